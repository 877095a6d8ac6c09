"""A person in the loop: pauses (LangGraph `interrupt`) at the plan and at each passed document.

A pause is durable: the process may exit while it waits, and the run resumes with
`Command(resume=...)` (the CLI's `resume`, or a LangGraph Server client). The resume value
is a dict: `{"action": "accept"}`, `{"action": "edit", "plan": {...}}`,
`{"action": "instruct", "instructions": "..."}` for the plan, and `{"action": "accept"}` or
`{"action": "revise", "comment": "..."}` for a document.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Command, Send, interrupt
from pydantic import ValidationError

from genai_planner.agents.planner import fallback_plan, normalise_plan
from genai_planner.agents.reviewer import remember_document
from genai_planner.agents.schemas import Plan
from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, node_span
from genai_planner.documents.specs import load_document_specs
from genai_planner.graph.state import DocumentTask, PlanningState

PLAN_ACTIONS = {"accept", "edit", "instruct"}
DOCUMENT_ACTIONS = {"accept", "revise"}


def _decision(value: Any, allowed: set[str]) -> dict[str, Any]:
    if isinstance(value, str):
        value = {"action": value}
    if not isinstance(value, dict) or value.get("action") not in allowed:
        return {"action": "invalid", "detail": f"expected an action in {sorted(allowed)}, got {value!r}"[:300]}
    return value


async def review_plan(state: PlanningState, runtime: Runtime[RunContext]) -> Command:
    """Pause after the planner when plan review is on; accept, edit or steer the plan."""
    if "plan" not in runtime.context.review:
        return Command(goto="schedule_documents")
    plan = state["plan"]
    while True:
        answer = _decision(interrupt({"kind": "plan", "plan": plan}), PLAN_ACTIONS)
        with node_span("review_plan", agent="human"):
            record = {"kind": "plan", "action": answer["action"], "comment": answer.get("instructions") or answer.get("detail")}
            emit("human_decision", **record)
            if answer["action"] == "accept":
                return Command(update={"human_decisions": [record]}, goto="schedule_documents")
            if answer["action"] == "instruct" and str(answer.get("instructions", "")).strip():
                return Command(update={"human_decisions": [record], "plan_instructions": str(answer["instructions"])[:2000]}, goto="plan_run")
            if answer["action"] == "edit":
                try:
                    edited = _validated_plan(answer.get("plan"), plan, state["scenario"], runtime.context.language)
                except (ValidationError, ValueError, TypeError) as exc:
                    emit("human_decision_rejected", kind="plan", reason=str(exc)[:300])
                    continue  # ask again: an invalid edit never replaces the plan
                return Command(update={"human_decisions": [record], "plan": edited}, goto="schedule_documents")
            emit("human_decision_rejected", kind="plan", reason=answer.get("detail", "empty instructions"))


def _validated_plan(candidate: Any, current: dict[str, Any], scenario: dict[str, Any], language: str) -> dict[str, Any]:
    specs = load_document_specs()
    order = current["order"]
    parsed = Plan.model_validate({k: candidate[k] for k in ("profile", "documents", "rationale") if k in candidate})
    unknown = {d.doc_id for d in parsed.documents} - set(order)
    if unknown:
        raise ValueError(f"the edited plan names documents outside this run: {sorted(unknown)}")
    fixed = normalise_plan(parsed, order, specs, fallback_plan(order, specs, scenario, language)).model_dump()
    return {**fixed, "order": order, "depends_on": current["depends_on"]}


async def approve_document(task: DocumentTask, runtime: Runtime[RunContext]) -> Command:
    """Pause when a document has passed its checks; accept it or send it back with a comment."""
    doc_id = task["doc_id"]
    payload = {"kind": "document", "doc_id": doc_id, "draft": task["draft"], "checks": task.get("checks", [])}
    while True:
        answer = _decision(interrupt(payload), DOCUMENT_ACTIONS)
        comment = str(answer.get("comment", "")).strip()
        if answer["action"] == "revise" and not comment:
            answer = {"action": "invalid", "detail": "a revision needs a comment"}
        if answer["action"] != "invalid":
            break
        emit("human_decision_rejected", kind="document", document=doc_id, reason=answer["detail"])
    with node_span("approve_document", agent="human", document=doc_id, iteration=task["iteration"]):
        record = {"kind": "document", "document": doc_id, "action": answer["action"], "comment": comment or None}
        emit("human_decision", kind="document", action=answer["action"], comment=comment or None)
        if answer["action"] == "revise":
            next_task: DocumentTask = {
                **task,
                "iteration": task["iteration"] + 1,
                "kind": "human",
                "feedback": f"HUMAN COMMENT: {comment}",
                "human_comment": comment,
                "commented_draft": task["draft"],
                "max_iteration": task["iteration"] + 1 + runtime.context.max_revisions,
            }
            return Command(update={"human_decisions": [record]}, goto=Send("draft_document", next_task))
        await remember_document(runtime, task)
    return Command(
        update={"human_decisions": [record], "documents": {doc_id: {"status": "passed", "final": task["draft"]}}},
        goto="schedule_documents",
    )
