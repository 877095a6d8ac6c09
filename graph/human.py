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
from genai_planner.planning.brief import Brief

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
        return Command(goto="compute_figures")
    plan = state["plan"]
    rejected: str | None = None  # why the last answer was not used: shown with the plan when it is asked again
    while True:
        answer = _decision(interrupt({"kind": "plan", "plan": plan, "brief": state.get("brief"), **({"rejected": rejected} if rejected else {})}), PLAN_ACTIONS)
        with node_span("review_plan", agent="human"):
            record = {"kind": "plan", "action": answer["action"], "comment": answer.get("instructions") or answer.get("detail")}
            emit("human_decision", **record)
            if answer["action"] == "accept":
                return Command(update={"human_decisions": [record]}, goto="compute_figures")
            if answer["action"] == "instruct" and str(answer.get("instructions", "")).strip():
                return Command(update={"human_decisions": [record], "plan_instructions": str(answer["instructions"])[:2000]}, goto="plan_run")
            if answer["action"] == "edit":
                try:
                    edited = _validated_plan(answer.get("plan"), plan, state["scenario"], runtime.context.language)
                    candidate = answer.get("plan") or {}
                    edited_brief = candidate.get("brief") if isinstance(candidate, dict) else None
                    brief = Brief.model_validate(edited_brief).model_dump() if edited_brief else state.get("brief")
                except (ValidationError, ValueError, TypeError) as exc:
                    rejected = _reason(exc)
                    emit("human_decision_rejected", kind="plan", reason=rejected)
                    continue  # ask again, saying why: an invalid edit never replaces the plan
                return Command(update={"human_decisions": [record], "plan": edited, "brief": brief, **_removals(plan, edited, record)}, goto="compute_figures")
            rejected = str(answer.get("detail") or "the instructions were empty")
            emit("human_decision_rejected", kind="plan", reason=rejected)


def _validated_plan(candidate: Any, current: dict[str, Any], scenario: dict[str, Any], language: str) -> dict[str, Any]:
    specs = load_document_specs()
    order = current["order"]
    parsed = Plan.model_validate({k: candidate[k] for k in ("documents", "rationale") if k in candidate})
    unknown = {d.doc_id for d in parsed.documents} - set(order)
    if unknown:
        raise ValueError(f"the edited plan names documents outside this run: {sorted(unknown)}")
    kept = {d.doc_id for d in parsed.documents}
    removed = [d for d in order if d not in kept]
    if removed:  # deleting a document from the plan removes it from the run, when nothing left needs it
        if len(removed) == len(order):
            raise ValueError("the edited plan removes every document; keep at least one")
        for doc_id in order:
            needs = sorted(set(current["depends_on"].get(doc_id, [])) & set(removed))
            if doc_id in kept and needs:
                raise ValueError(f"document {doc_id} builds on document {', '.join(needs)}: remove {doc_id} too, or keep {', '.join(needs)}")
        order = [d for d in order if d in kept]
    fixed = normalise_plan(parsed, order, specs, fallback_plan(order, specs, language)).model_dump()
    return {**fixed, "order": order, "depends_on": {d: [x for x in current["depends_on"].get(d, []) if x in order] for d in order}}


def _reason(exc: Exception) -> str:
    """One line on why an edited plan was not used."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "plan"
        return f"{where}: {first['msg']}"[:300]
    return str(exc)[:300]


def _removals(plan: dict[str, Any], edited: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The state update for documents a person deleted from the plan: marked not done, with the reason."""
    removed = [d for d in plan["order"] if d not in edited["order"]]
    if not removed:
        return {}
    record["removed_documents"] = removed
    emit("plan_documents_removed", documents=removed)
    reason = "removed from the plan at the plan review"
    return {"documents": {d: {"status": "not_done", "reason": reason} for d in removed}}


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
        record = {"kind": "document", "document": doc_id, "iteration": task["iteration"], "action": answer["action"], "comment": comment or None}
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
            rejected_draft = {
                "iteration": task["iteration"],
                "kind": task.get("kind", "draft"),
                "draft": task["draft"],
                "checks": task.get("checks", []),
                "critique": task.get("critique", ""),
                "accepted": False,  # the checks passed, but the person sent it back
                "human_comment": comment,
            }
            update = {"human_decisions": [record], "documents": {doc_id: {"iterations": [rejected_draft]}}}
            return Command(update=update, goto=Send("draft_document", next_task))
        await remember_document(runtime, task)
    return Command(
        update={"human_decisions": [record], "documents": {doc_id: {"status": "passed", "final": task["draft"]}}},
        goto="schedule_documents",
    )
