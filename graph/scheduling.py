"""Nodes that move the run along: start ready documents, review consistency, finish.

A document starts as soon as the documents it depends on are done, so independent
documents (2 and 4; then 3 and 5) run in parallel branches.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Command, Send

from genai_planner.agents.reviewer import check_context
from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, node_span
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CheckResult, run_check
from genai_planner.documents.specs import load_consistency_spec, load_document_specs
from genai_planner.graph.state import DocumentTask, PlanningState
from genai_planner.memory.decisions import load_decisions, with_figure_stand_ins

DONE = {"passed", "failed", "not_done"}


def _task(state: PlanningState, doc_id: str, **extra: Any) -> DocumentTask:
    return {"doc_id": doc_id, "scenario": state["scenario"], "plan": state["plan"], "brief": state["brief"], "figures": state["figures"], **extra}  # type: ignore[typeddict-item]


async def schedule_documents(state: PlanningState, runtime: Runtime[RunContext]) -> Command:
    """Start every pending document whose dependencies are done; review consistency when all are."""
    plan = state["plan"]
    docs = state.get("documents", {})
    with node_span("schedule_documents", agent="planner") as info:
        ready = [
            d
            for d in plan["order"]
            if docs.get(d, {}).get("status") == "pending"
            and all(docs.get(dep, {}).get("status") in DONE for dep in plan["depends_on"].get(d, []))
        ]
        all_done = all(docs.get(d, {}).get("status") in DONE for d in plan["order"])
        info.update(started=ready, all_done=all_done)
        for d in ready:
            emit("document_started", document=d)
    if ready:
        return Command(
            update={"documents": {d: {"status": "in_progress"} for d in ready}},
            goto=[Send("research_document", _task(state, d)) for d in ready],
        )
    if all_done:
        return Command(goto="review_consistency")
    return Command(goto=[])


async def review_consistency(state: PlanningState, runtime: Runtime[RunContext]) -> Command:
    """Cross-document checks; a failing document goes back to the writer (bounded rounds)."""
    ctx = runtime.context
    specs = load_document_specs()
    docs = state.get("documents", {})
    round_no = len(state.get("consistency", [])) + 1
    with node_span("review_consistency", agent="reviewer", iteration=round_no) as info:
        decisions = with_figure_stand_ins(await load_decisions(runtime.store, ctx.run_id), state.get("figures"))
        results: list[dict[str, Any]] = []
        failures: dict[str, list[CheckResult]] = defaultdict(list)
        for check in load_consistency_spec().checks:
            targets = check.params.get("documents") or [check.params.get("document")]
            for doc_id in targets:
                record = docs.get(doc_id)
                if not record or record.get("status") != "passed":
                    continue
                cctx = check_context(specs[doc_id], ctx.language, state["brief"], state["figures"], record.get("sources") or [], decisions)
                result = run_check(check, md.parse_document(record.get("final", "")), cctx)
                emit("check_result", check=result.id, passed=result.passed, detail=result.detail, document=doc_id, scope="consistency")
                results.append({"document": doc_id, **result.model_dump(exclude={"section"})})
                if not result.passed:
                    failures[doc_id].append(result)
        can_retry = round_no <= ctx.max_consistency_rounds
        sent_back = sorted(failures) if can_retry else []
        info.update(failed=sorted(failures), sent_back=sent_back)
    update: dict[str, Any] = {"consistency": [{"round": round_no, "checks": results, "sent_back": sent_back}]}
    if not sent_back:
        if failures:  # out of rounds: the documents stay written but do not pass
            update["documents"] = {
                d: {"status": "failed", "reason": "consistency checks still failing: " + ", ".join(r.id for r in rs)}
                for d, rs in failures.items()
            }
        return Command(update=update, goto="finalize_run")
    sends = []
    for doc_id in sent_back:
        record = docs[doc_id]
        iteration = len(record.get("iterations", [])) + 1
        feedback = "\n".join(f"- FAILED consistency check '{r.id}': {r.detail}" for r in failures[doc_id])
        emit("consistency_send_back", document=doc_id, checks=[r.id for r in failures[doc_id]])
        sends.append(
            Send(
                "draft_document",
                _task(
                    state,
                    doc_id,
                    iteration=iteration,
                    kind="consistency",
                    draft=record.get("final", ""),
                    sources=record.get("sources") or [],
                    feedback=feedback,
                    max_iteration=iteration + ctx.max_revisions,
                ),
            )
        )
    update["documents"] = {d: {"status": "in_progress"} for d in sent_back}
    return Command(update=update, goto=sends)


async def finalize_run(state: PlanningState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Set the run's final status."""
    docs = state.get("documents", {})
    statuses = [docs.get(d, {}).get("status") for d in state["plan"]["order"]]
    status = "completed" if all(s == "passed" for s in statuses) else "completed_with_failures"
    with node_span("finalize_run", agent="planner") as info:
        info.update(status=status)
    return {"status": status}
