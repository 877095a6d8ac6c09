"""Metric targets a document states against the figures' targets (part of `figures_match`).

A line (or table row) that names one metric of the figures and states a target gives the
figures' target; a restated brief baseline keeps its value.
"""

from __future__ import annotations

import math
import re
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CheckContext
from genai_planner.documents.content_lexicon import _quote as quote


def _numbers(text: str) -> list[float]:
    from genai_planner.documents.doc_tables import NUMBER_RE

    return [float(m.group(1).replace(",", "") + (f".{m.group(2)}" if m.group(2) else "")) for m in NUMBER_RE.finditer(text)]


PERCENT_AFTER = regex_cache.compile(r"\s*(?:%|퍼센트(?!\s*포인트)|per\s?cent(?!age)\b|percentage\s+points?\b|points?\b|%p\b|포인트)", re.IGNORECASE)
"""What follows a number in a percentage metric's own unit."""
MARGIN_BEFORE = regex_cache.compile(r"(?:±|\+/-|\+-|plus or minus|오차)\s*$", re.IGNORECASE)
CONFIDENCE_AFTER = regex_cache.compile(r"\s*(?:%|퍼센트|percent|per cent)?\s*(?:신뢰|confidence)", re.IGNORECASE)


def _in_unit(text: str, unit_after: re.Pattern[str]) -> list[float]:
    """The numbers of `text` written in the metric's unit: a stray value restates the metric only in that unit.

    '최근 12개월', '150건', '2명', 'the last 12 months', '150 items' count something else; a margin ('±4.8퍼센트포인트')
    and a confidence level ('95% 신뢰수준') are the statistics of a sample, not the metric's value.
    """
    from genai_planner.documents.doc_tables import NUMBER_RE

    out = []
    for m in NUMBER_RE.finditer(text):
        after, before = text[m.end() :], text[: m.start()]
        if not unit_after.match(after) or MARGIN_BEFORE.search(before) or CONFIDENCE_AFTER.match(after):
            continue
        out.append(float(m.group(1).replace(",", "") + (f".{m.group(2)}" if m.group(2) else "")))
    return out


def _sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds the metric's name (start..end): a number of another sentence on the
    same line ('파일럿 그룹 2명에 적용(10% 카나리는 너무 적음). 정확도 (90% 이상)를 유지할 때만') is not next to it.
    """
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in SENTENCE_END.finditer(text, end)), len(text))
    return text[left:right]


SENTENCE_END = regex_cache.compile(r"(?<=[.!?。])\s+")


DURATION_AFTER = regex_cache.compile(
    r"\s*(?:시간|분|초|영업일|일|주|개월|hours?\b|hrs?\b|minutes?\b|mins?\b|seconds?\b|secs?\b|(?:working |business )?days?\b|weeks?\b|months?\b)",
    re.IGNORECASE,
)
"""What follows a number in a duration metric's own unit."""


def _unit_of(target: str) -> re.Pattern[str] | None:
    """The unit family of a figure's target ('1.5시간', 'under 10 minutes' -> durations; '90%' -> percentages)."""
    for unit in (PERCENT_AFTER, DURATION_AFTER):
        if _in_unit(target, unit):
            return unit
    return None


def _has(values: list[float], wanted: float) -> bool:
    return any(math.isclose(v, wanted, abs_tol=0.051) for v in values)


def targets_match(doc: md.ParsedDocument, ctx: CheckContext, targets: list[dict[str, Any]]) -> tuple[bool, str, int]:
    """A line (or table row) that names a metric and states a target gives the figures' target (and stated baseline)."""
    from genai_planner.documents.figure_checks import TARGET_WORDS_RE, _fmt, _lines, _mentions  # figure_checks imports this module

    checked = 0
    names = [t["metric"] for t in targets]
    by_name = {t["metric"]: t for t in targets}
    for line, from_table in _lines(doc, ctx):
        mentions = _mentions(line, names)
        if len(mentions) != 1:
            continue
        start, end, name = mentions[0]
        target = by_name[name]
        rest = line
        # The target word must be the line's, not the metric's own ('답변까지 걸리는 시간' holds '까지'): a line that
        # only names the metric ('today the time to an answer is 2 days') states no target.
        if not from_table and not TARGET_WORDS_RE.search(line[:start] + " " + line[end:]):
            continue
        # A target is a number in the metric's unit: a line that names a duration metric and holds no duration (a
        # dashboard of each run's duration that alerts on 2% failed items 'before staff start work') states none.
        unit = _unit_of(target["target"])
        if not from_table and unit is not None and not _in_unit(line, unit):
            continue
        found = _numbers(rest)
        want = _numbers(target["target"])
        if from_table:
            cells = [c.split(": ", 1)[-1] for c in rest.split(" | ")]
            headers = [c.split(": ", 1)[0].lower() if ": " in c else "" for c in rest.split(" | ")]
            target_cells = [c for c, h in zip(cells, headers, strict=False) if "target" in h or "목표" in h]
            if not target_cells:
                continue
            found = _numbers(" ".join(target_cells))
        checked += 1
        if not all(_has(found, w) for w in want):
            detail = (f"metric '{name}': the document's target does not match the figures' target '{target['target']}' "
                      f"(baseline '{target['baseline']}'): \"{quote(line)}\"")
            return False, detail, checked
        if target.get("source") == "brief" and not from_table:
            base = _numbers(target["baseline"])
            # The metric's own name and definition may hold numbers ('Share of summaries sent within 48 hours'): not a stray value.
            own = _numbers(f"{name} {target.get('definition', '')}")
            stray = [v for v in _in_unit(_sentence_at(rest, start, end), PERCENT_AFTER) if not _has(want, v) and not _has(base, v) and not _has(own, v)]
            if stray and "%" in target["target"] + target["baseline"]:
                return False, (f"metric '{name}': {_fmt(stray[0])} is neither the baseline '{target['baseline']}' nor the target "
                               f"'{target['target']}': \"{quote(line)}\""), checked
    return True, "", checked
