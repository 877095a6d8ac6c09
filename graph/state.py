"""The graph's state: narrow, documented, with explicit reducers for parallel branches.

Documents live in state (drafts, check results, iterations); decisions that later
documents need live in the memory store (see `memory/decisions.py`).
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, NotRequired, TypedDict

DocumentStatus = Literal["pending", "in_progress", "passed", "failed", "not_done"]


class IterationRecord(TypedDict):
    """One draft of a document and what the reviewer made of it."""

    iteration: int
    """1 for the first draft, 2 for the first revision, and so on."""
    kind: str
    """'draft', 'revision' or 'consistency' (sent back by the cross-document review)."""
    draft: str
    """The Markdown the writer produced."""
    checks: list[dict[str, Any]]
    """`{id, passed, detail}` for every check run on this draft."""
    critique: str
    """The reviewer's written critique."""
    accepted: bool
    """Whether this draft was accepted (False also when its checks passed but a person sent it back)."""
    human_comment: NotRequired[str]
    """The comment of the person who sent this draft back at a review pause."""
    review_items: NotRequired[list[dict[str, Any]]]
    """The reviewer's judgement per contract section `{item, passed, evidence, reason, verified}` (absent when not reviewed)."""


class DocumentRecord(TypedDict, total=False):
    """Everything the run knows about one document; merged key by key across branches."""

    doc_id: str
    status: DocumentStatus
    iterations: list[IterationRecord]
    sources: list[dict[str, Any]]
    subtask_drafts: dict[str, str]
    final: str
    reason: str


class Usage(TypedDict, total=False):
    """Model usage of the run so far: what the budget (`--max-tokens`, `--max-cost`) is checked against."""

    input_tokens: int
    output_tokens: int
    cost_usd: float
    calls: int


USAGE_KEYS = ("input_tokens", "output_tokens", "cost_usd", "calls")


def add_usage(left: Usage | None, right: Usage | None) -> Usage:
    """Sum usage: every node returns what it spent, parallel branches add up, checkpoints keep the total."""
    total: dict[str, Any] = {}
    for key in USAGE_KEYS:
        value = (left or {}).get(key, 0) + (right or {}).get(key, 0)
        total[key] = round(value, 8) if key == "cost_usd" else int(value)
    return total  # type: ignore[return-value]


def merge_documents(left: dict[str, DocumentRecord], right: dict[str, DocumentRecord]) -> dict[str, DocumentRecord]:
    """Merge per-document updates: keys overwrite, iterations are replaced by number or appended."""
    merged = {k: dict(v) for k, v in (left or {}).items()}
    for doc_id, update in (right or {}).items():
        current = merged.setdefault(doc_id, {"doc_id": doc_id})
        for key, value in update.items():
            if key == "iterations":
                by_number = {it["iteration"]: it for it in current.get("iterations", [])}
                for it in value:
                    by_number[it["iteration"]] = it
                current["iterations"] = [by_number[n] for n in sorted(by_number)]
            elif key == "subtask_drafts":
                current["subtask_drafts"] = {**current.get("subtask_drafts", {}), **value}
            else:
                current[key] = value
    return merged  # type: ignore[return-value]


class InputState(TypedDict):
    """What a caller passes in: the scenario as plain data."""

    scenario: dict[str, Any]
    """A validated `Scenario` dumped to a dict."""


class PlanningState(InputState):
    """The whole run's state."""

    plan: dict[str, Any]
    """The planner's `Plan` (per-document sub-tasks and research questions, order, source)."""
    brief: dict[str, Any]
    """What the planner understood (`planning.brief.Brief`): every later step reads it."""
    figures: dict[str, Any]
    """The computed planning figures (`planning.figures.Figures`): gates, weights, scores, cost, capacity, targets."""
    documents: Annotated[dict[str, DocumentRecord], merge_documents]
    """Per-document records, keyed by document id."""
    consistency: Annotated[list[dict[str, Any]], operator.add]
    """One entry per consistency review round: its check results and the documents sent back."""
    status: str
    """'running', 'completed' (all passed), 'completed_with_failures'."""
    plan_instructions: str
    """Plain-text instructions a person gave at the plan review; the planner folds them in."""
    human_decisions: Annotated[list[dict[str, Any]], operator.add]
    """Every decision a person made at a review pause (kind, action, comment)."""
    usage: Annotated[Usage, add_usage]
    """Tokens, cost and calls spent so far; each node adds its own, so a resumed run continues from here."""


class OutputState(TypedDict):
    """What a run returns."""

    plan: dict[str, Any]
    brief: dict[str, Any]
    figures: dict[str, Any]
    documents: dict[str, DocumentRecord]
    consistency: list[dict[str, Any]]
    status: str
    human_decisions: list[dict[str, Any]]
    usage: Usage


class DocumentTask(TypedDict, total=False):
    """The payload a `Send` carries to the research, draft and review nodes of one document."""

    doc_id: str
    scenario: dict[str, Any]
    plan: dict[str, Any]
    brief: dict[str, Any]
    figures: dict[str, Any]
    iteration: int
    kind: str
    sources: list[dict[str, Any]]
    draft: str
    subtask_drafts: dict[str, str]
    feedback: str
    max_iteration: int
    failed_history: list[dict[str, Any]]
    previous_draft: str
    """The draft the last review sent back; a revision identical to it stops the loop."""
    checks: list[dict[str, Any]]
    human_comment: str
    commented_draft: str
    critique: str
    usage: Usage
    """What the run had spent when this task was sent (the budget's floor where no live ledger is shared)."""
