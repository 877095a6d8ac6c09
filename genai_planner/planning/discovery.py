"""Thin use cases: what the plan assumes, and the questions to settle before building.

A two-sentence use case ("nine staff want AI to draft replies to client e-mails; about KRW 500,000
a month") leaves most of a plan's inputs unsaid: how much work arrives, how long it takes today,
what the drafts are written from, where the data may go, what counts as success. The figures
still need numbers, so the planner assumes them; a plan that hides this reads as invented. So
when the brief is thin, the documents say plainly what is assumed and open with the questions
to settle first (a discovery list), and `specific_to_use_case` accepts a section that can only
be general because the client gave nothing more to name.

Both functions read the brief as a dict (`Brief.model_dump(mode="json")`), the form the checks
get, so the writer and the checks judge thinness the same way.
"""

from __future__ import annotations

from typing import Any

THIN_AT_MOST = 1
"""A brief with this many substantive stated facts or fewer is thin (see `substance`)."""
DISCOVERY_SHORT = 2
"""A document over its word limit asks only the first two questions: what the plan most depends on."""

QUESTIONS = {
    "volume": {"en": "how many {output} a month", "ko": "월 {output} 건수"},
    "baseline": {"en": "how long one takes today", "ko": "현재 건당 소요 시간"},
    "inputs": {"en": "which records {users} work from", "ko": "{users}이(가) 보는 자료"},
    "residency": {"en": "where data may be processed", "ko": "데이터 처리 위치"},
    "success": {"en": "what counts as success", "ko": "성공 기준"},
    "approver": {"en": "who approves targets and cost", "ko": "목표와 비용 승인자"},
}
"""One question per kind of fact the brief lacks, in the order a first meeting would take them."""


def _stated(item: Any) -> bool:
    return isinstance(item, dict) and (item.get("evidence") or {}).get("source") in {"stated", "scenario"}


def missing(brief: dict[str, Any]) -> list[str]:
    """The kinds of fact (keys of `QUESTIONS`) the brief does not state."""
    c = brief.get("constraints") or {}
    flows = [v for v in brief.get("volumes") or [] if _stated(v) and v.get("per")]
    gaps = []
    if not flows:
        gaps.append("volume")
    if not brief.get("baselines"):
        gaps.append("baseline")
    if not any(_stated(i) for i in brief.get("inputs") or []):
        gaps.append("inputs")
    if not _stated(c.get("data_residency")):
        gaps.append("residency")
    if not brief.get("success_criteria"):
        gaps.append("success")
    if not any(_stated(s) for s in brief.get("stakeholders") or [] if (s.get("evidence") or {}).get("source") == "scenario"):
        gaps.append("approver")
    return gaps


def substance(brief: dict[str, Any]) -> int:
    """How many of the facts a plan is built on the use case states (of the six `QUESTIONS` cover)."""
    return len(QUESTIONS) - len(missing(brief))


def thin(brief: dict[str, Any]) -> bool:
    """Whether the use case says too little to plan without assumptions (a discovery list is due)."""
    return bool(brief) and substance(brief) <= THIN_AT_MOST


def discovery(brief: dict[str, Any], values: dict[str, str], language: str, first: int | None = None) -> str:
    """The questions to settle first, joined into one clause: 'how many replies a month ...; who approves ...'.

    `first` keeps only the first questions: the short form a document over its word limit uses
    (the questions come in order of what the plan most depends on).
    """
    return "; ".join(QUESTIONS[k][language].format(**values) for k in missing(brief)[:first])
