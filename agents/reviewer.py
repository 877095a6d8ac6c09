"""The reviewer: runs the checks, writes the critique, accepts or sends a draft back.

The checks are a floor: a draft that fails one is never accepted. Above the floor the
reviewer model has a voice: it may reject a draft that passes every check (a generic
section, advice wrong for the constraints), and its critique goes to the writer as feedback
to address. At the revision limit a draft that passes every check is accepted, with the
critique recorded, so a reviewer can never keep a run looping.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime
from langgraph.types import Command, Send

from genai_planner.agents.context import contract_outline_for, run_usage, spec_for, writer_decisions
from genai_planner.agents.prompts import REVIEWER_SYSTEM, REVIEWER_TASK
from genai_planner.agents.review_evidence import item_feedback, verify_items
from genai_planner.agents.schemas import ReviewVerdict
from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, node_span
from genai_planner.documents.checks import CheckContext, CheckResult, run_checks
from genai_planner.documents.comments import verify_comment
from genai_planner.documents.grammar import english
from genai_planner.documents.specs import DocumentSpec
from genai_planner.memory.decisions import extract_decisions, load_decisions, save_decisions
from genai_planner.memory.lessons import record_lesson
from genai_planner.models.calls import ModelCallError, StructuredOutputError, invoke_structured
from genai_planner.models.factory import chat_model_for
from genai_planner.planning.brief import Brief
from genai_planner.planning.extract import brief_constraints_dict
from genai_planner.tools.catalog import load_catalog

if TYPE_CHECKING:
    from genai_planner.graph.state import DocumentTask, IterationRecord


def check_context(
    spec: DocumentSpec, language: str, brief: dict[str, Any], figures: dict[str, Any], sources: list[dict[str, Any]], decisions: dict[str, Any],
    quoted: tuple[str, ...] = (),
) -> CheckContext:
    """Everything a check may read for one document: the brief's constraints are the hard ones."""
    return CheckContext(
        language=language,  # type: ignore[arg-type]
        spec=spec,
        known_sources={s["id"] for s in sources},
        researched_sections={s["section"] for s in sources if s.get("section") and s["section"] != "domain"},
        decisions=decisions,
        quoted=quoted,
        catalog=list(load_catalog()),
        constraints=brief_constraints_dict(Brief.model_validate(brief)) if brief else {},
        brief=brief,
        figures=figures,
        withheld=tuple(dict.fromkeys(t for s in sources for t in s.get("withheld_text") or [])),
    )


def _quoted(task: DocumentTask) -> tuple[str, ...]:
    """The person's own words a document may quote (the use case, the stakeholders as named): not held against the run's language."""
    scenario = task.get("scenario") or {}
    return (str(scenario.get("use_case") or ""), *(str(s) for s in scenario.get("stakeholders") or []))


UNCHANGED_CRITIQUE = "(not reviewed again: this revision is identical to the draft before it; the checks decide)"


def feedback_text(failed: list[CheckResult], verdict: ReviewVerdict) -> str:
    """What the writer reads: every failed check with its detail, then the critique's revisions."""
    lines = [f"- FAILED check '{r.id}': {r.detail}" for r in failed]
    lines += item_feedback(verdict)
    lines += [f"- Reviewer ({rev.section}): {rev.instruction}" for rev in verdict.revisions]
    lines.append(f"Critique: {verdict.critique}")
    return "\n".join(lines)


async def review_document(task: DocumentTask, runtime: Runtime[RunContext]) -> Command:
    """Check and critique one draft; accept it, send it back, or stop at the revision limit."""
    ctx = runtime.context
    doc_id, iteration, draft = task["doc_id"], task["iteration"], task["draft"]
    spec = spec_for(doc_id)
    sources = task.get("sources") or []
    with node_span("review_document", agent="reviewer", document=doc_id, iteration=iteration) as info:
        decisions = await load_decisions(runtime.store, ctx.run_id)
        results = run_checks(spec.checks, draft, check_context(spec, ctx.language, task["brief"], task["figures"], sources, decisions, quoted=_quoted(task)))
        if task.get("human_comment"):
            results.append(human_comment_check(task))
        for r in results:
            emit("check_result", check=r.id, passed=r.passed, detail=r.detail)
        failed = [r for r in results if not r.passed and not r.advisory]  # advisory findings inform the critique only
        messages = [
            SystemMessage(content=REVIEWER_SYSTEM.format(language=ctx.language)),
            HumanMessage(
                content=REVIEWER_TASK.format(
                    doc_id=doc_id,
                    doc_title=spec.title.get(ctx.language),  # type: ignore[arg-type]
                    iteration=iteration,
                    check_results=json.dumps([r.model_dump() for r in results], ensure_ascii=False, separators=(",", ":")),
                    contract=contract_outline_for(task, spec, writer_decisions(decisions), ctx.language),
                    draft=draft,
                )
            ),
        ]
        unchanged = iteration > 1 and task.get("previous_draft") == draft
        if unchanged:  # the writer could not act on the feedback: reviewing the same text again changes nothing
            verdict = ReviewVerdict(accept=not failed, critique=UNCHANGED_CRITIQUE)
        else:
            try:
                verdict = await invoke_structured(chat_model_for("reviewer", ctx), ReviewVerdict, messages, usage=run_usage(ctx), purpose="review")
                verdict = verify_items(verdict, draft)  # a judgement rests on the draft's own words, or it fails
                emit("review_items", items=[i.model_dump() for i in verdict.items])
            except (StructuredOutputError, ModelCallError) as exc:
                verdict = ReviewVerdict(accept=not failed, critique=f"(reviewer reply unusable; the checks decide: {str(exc)[:200]})")
        last_allowed = task.get("max_iteration") or (1 + ctx.max_revisions)
        accepted = not failed and (verdict.accept or iteration >= last_allowed)
        if verdict.accept and failed:
            emit("review_override", reason="the critique accepted a draft that fails checks; the checks decide")
        if not failed and not verdict.accept:
            emit("review_critique", rejected=not accepted, reason=verdict.critique[:300], at_limit=iteration >= last_allowed)
        record: IterationRecord = {
            "iteration": iteration,
            "kind": task.get("kind", "draft"),
            "draft": draft,
            "checks": [r.model_dump(exclude={"section"}) for r in results],
            "critique": verdict.critique,
            "accepted": accepted,
        }
        if verdict.items:  # why the reviewer judged each section as it did, kept for `show` and the manifest
            record["review_items"] = [i.model_dump() for i in verdict.items]
        feedback = feedback_text(failed, verdict) if not accepted else ""
        if feedback and task.get("human_comment"):  # a person's request stays in force until accepted
            feedback = f"HUMAN COMMENT: {task['human_comment']}\n{feedback}"
        emit("review_decision", accepted=accepted, failed_checks=[r.id for r in failed], critique=verdict.critique, feedback=feedback)
        info.update(accepted=accepted, failed=len(failed))

        if accepted and "documents" in ctx.review:
            approval: DocumentTask = {**task, "checks": record["checks"], "critique": record["critique"]}
            return Command(update={"documents": {doc_id: {"iterations": [record]}}}, goto=Send("approve_document", approval))
        if accepted:
            await remember_document(runtime, task)
            return Command(
                update={"documents": {doc_id: {"status": "passed", "final": draft, "iterations": [record]}}},
                goto="schedule_documents",
            )
        if iteration >= last_allowed or unchanged:
            reason = english(f"checks still failing after {iteration - 1} revision(s): ") + ", ".join(r.id for r in failed)
            if unchanged:
                reason = f"revision {iteration - 1} is identical to the draft before it, so the loop stopped; still failing: " + ", ".join(r.id for r in failed)
            emit("document_failed", reason=reason)
            await remember_document(runtime, {**task, "failed_history": []})  # later documents still need its decisions
            return Command(
                update={"documents": {doc_id: {"status": "failed", "final": draft, "reason": reason, "iterations": [record]}}},
                goto="schedule_documents",
            )
        history = list(task.get("failed_history") or []) + [{"iteration": iteration, "failed": [r.model_dump() for r in failed], "feedback": feedback}]
        next_task: DocumentTask = {
            **task,
            "iteration": iteration + 1,
            "kind": "revision" if task.get("kind") != "consistency" else "consistency",
            "feedback": feedback,
            "failed_history": history,
            "previous_draft": draft,
        }
        return Command(update={"documents": {doc_id: {"iterations": [record]}}}, goto=Send("draft_document", next_task))


def human_comment_check(task: DocumentTask) -> CheckResult:
    """A person's comment counts as addressed when the text shows the change it asked for (documents/comments.py).

    "replace A with B": A is gone and B is there; "add/mention X": X is there; "remove X": X
    is gone. Pasting the comment into the document does not count.
    """
    passed, detail = verify_comment(task["human_comment"], task["draft"], task.get("commented_draft") or "")
    return CheckResult(id="human_comment_addressed", passed=passed, detail=f"the person asked: {task['human_comment']!r}; {detail}")


async def remember_document(runtime: Runtime[RunContext], task: DocumentTask) -> None:
    """Store the accepted document's decisions, and a lesson for each check a revision fixed."""
    ctx = runtime.context
    spec, draft = spec_for(task["doc_id"]), task["draft"]
    store = runtime.store
    if store is None:
        return
    decisions = extract_decisions(spec, draft, ctx.language, task.get("figures"))
    if decisions:
        await save_decisions(store, ctx.run_id, decisions)
        emit("decisions_recorded", keys=sorted(decisions))
    if not ctx.use_memory:
        return
    for earlier in task.get("failed_history") or []:
        for check in earlier["failed"]:
            await record_lesson(
                store, ctx.user_id, spec.id, check["id"], check["detail"], fix=f"revision {earlier['iteration'] + 1} followed: {earlier['feedback'][:200]}"
            )
            emit("lesson_recorded", check=check["id"])
