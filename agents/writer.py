"""The writer: drafts every sub-task, compiles the document, and revises it from feedback."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.runtime import Runtime
from langgraph.types import Command, Send

from genai_planner.agents.context import brief_of, contract_for, facts_for, findings_block, run_usage, spec_for, writer_decisions
from genai_planner.agents.prompts import (
    LESSONS_BLOCK,
    UNTRUSTED_NOTE,
    WRITER_COMPILE,
    WRITER_CONTEXT,
    WRITER_REVISE,
    WRITER_SUBTASK,
    WRITER_SYSTEM,
)
from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, node_span
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import SOURCES_TITLE, document_words
from genai_planner.documents.contract import contract_block
from genai_planner.documents.sources import source_line
from genai_planner.documents.specs import DocumentSpec
from genai_planner.memory.decisions import load_decisions
from genai_planner.memory.lessons import lessons_for, render_lessons
from genai_planner.models.calls import ModelCallError, invoke_model, strip_thinking
from genai_planner.models.factory import chat_model_for

if TYPE_CHECKING:
    from genai_planner.graph.state import DocumentTask

REGISTER = {"en": "", "ko": " (business Korean, 합니다체; technical terms may keep their English name in parentheses)"}


def finish_markdown(text: str, spec: DocumentSpec, language: str, sources: list[dict[str, Any]]) -> str:
    """Normalise a draft: no thinking, the spec's title, no model-made sources list, ours appended."""
    text = strip_thinking(text).strip()
    text = re.sub(r"^```(?:markdown|md)?\s*\n(.*)\n```\s*$", r"\1", text, flags=re.DOTALL)
    title = spec.title.get(language)  # type: ignore[arg-type]
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        lines = [f"# {title}", "", *lines]
    sources_title = SOURCES_TITLE[language]
    cut = next((i for i, ln in enumerate(lines) if ln.strip().lower() in {f"## {sources_title.lower()}", "## sources", "## 출처"}), None)
    if cut is not None:
        lines = lines[:cut]
    body = "\n".join(lines).rstrip()
    cited = md.citations(body)
    by_id = {s["id"]: s for s in sources}
    listed = [by_id[c] for c in cited if c in by_id]
    if listed:
        body += f"\n\n## {sources_title}\n\n" + "\n".join(source_line(s, language) for s in listed)
    return body + "\n"


def _system(ctx: RunContext) -> SystemMessage:
    from genai_planner.agents.context import LANGUAGE_NAMES

    return SystemMessage(
        content=WRITER_SYSTEM.format(language_name=LANGUAGE_NAMES[ctx.language], register=REGISTER[ctx.language], untrusted=UNTRUSTED_NOTE)
    )


async def _lessons(runtime: Runtime[RunContext], doc_id: str) -> str:
    ctx = runtime.context
    if not ctx.use_memory:
        return ""
    lessons = await lessons_for(runtime.store, ctx.user_id, doc_id)
    if lessons:
        emit("lessons_used", count=len(lessons), checks=[v["check_id"] for v in lessons])
    return LESSONS_BLOCK.format(lessons=render_lessons(lessons)) if lessons else ""


def _context(task: DocumentTask, decisions: dict[str, Any], lessons: str) -> Callable[[str], str]:
    """What a writer call of this document carries, given its `<contract>`: the shared part first (a cacheable prefix).

    A sub-task's call carries only its own sections of the contract: the whole contract in
    each of a document's four or five sub-task calls was a fifth of a plan's input tokens (a
    Korean plan went over 150k), and a sub-task writes only its sections.
    """
    parts = {
        "brief": brief_of(task).view_json(),
        "use_case": task["scenario"]["use_case"],
        "decisions": json.dumps(decisions, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        "findings": findings_block(task.get("sources") or []),
        "lessons": lessons,
    }
    return lambda contract: WRITER_CONTEXT.format(contract=contract, **parts)


def _task_block(kind: str, ctx: RunContext, **extra: Any) -> str:
    return json.dumps({"kind": kind, "language": ctx.language, **extra}, ensure_ascii=False, sort_keys=True)


async def _first_draft(task: DocumentTask, runtime: Runtime[RunContext], spec: DocumentSpec, decisions: dict[str, Any]) -> tuple[str, dict[str, str]]:
    ctx = runtime.context
    language = ctx.language
    model = chat_model_for("writer", ctx)
    usage = run_usage(ctx)
    title = spec.title.get(language)  # type: ignore[arg-type]
    lessons = await _lessons(runtime, spec.id)
    facts = facts_for(task, decisions, language)
    context = _context(task, decisions, lessons)

    async def subtask(st: Any) -> tuple[str, str]:
        headings = ", ".join(f"'## {spec.section(sid).title.get(language)}'" for sid in st.sections)  # type: ignore[arg-type]
        prompt = context(contract_block(spec, facts, language, list(st.sections))) + WRITER_SUBTASK.format(
            task=_task_block("subtask", ctx, subtask=st.id, sections=st.sections),
            subtask_id=st.id,
            doc_id=spec.id,
            doc_title=title,
            instruction=st.instruction,
            sections=headings,
        )
        reply = await invoke_model(model, [_system(ctx), HumanMessage(content=prompt)], usage=usage, purpose=f"subtask {st.id}")
        text = strip_thinking(str(reply.content))
        emit("subtask_done", subtask=st.id, words=md.count_words(text))
        return st.id, text

    parts = [st for st in spec.subtasks if not st.compile and st.sections]
    # The first sub-task goes alone: once its prompt is cached, the others (sent together) reuse the shared prefix.
    drafts = dict([await subtask(parts[0])] + await asyncio.gather(*(subtask(st) for st in parts[1:]))) if parts else {}
    compile_task = next(st for st in spec.subtasks if st.compile)
    prompt = context(contract_block(spec, facts, language)) + WRITER_COMPILE.format(
        subtask_drafts="\n\n".join(f"### Sub-task {k}\n{v}" for k, v in drafts.items()),
        task=_task_block("compile", ctx, subtask=compile_task.id),
        doc_id=spec.id,
        doc_title=title,
        instruction=compile_task.instruction,
    )
    reply = await invoke_model(model, [_system(ctx), HumanMessage(content=prompt)], usage=usage, purpose=f"compile {compile_task.id}")
    return str(reply.content), drafts


async def _revision(task: DocumentTask, runtime: Runtime[RunContext], spec: DocumentSpec, decisions: dict[str, Any]) -> str:
    ctx = runtime.context
    title = spec.title.get(ctx.language)  # type: ignore[arg-type]
    prompt = _context(task, decisions, "")(contract_for(task, spec, decisions, ctx.language)) + WRITER_REVISE.format(
        draft=task.get("draft", ""),
        feedback=task.get("feedback", ""),
        task=_task_block("revise", ctx, iteration=task["iteration"]),
        doc_id=spec.id,
        doc_title=title,
        iteration=task["iteration"],
    )
    model = chat_model_for("writer", ctx)
    reply = await invoke_model(model, [_system(ctx), HumanMessage(content=prompt)], usage=run_usage(ctx), purpose="revise")
    return str(reply.content)


async def draft_document(task: DocumentTask, runtime: Runtime[RunContext]) -> Command:
    """Write (or rewrite) one document and send it to the reviewer."""
    ctx = runtime.context
    doc_id, iteration = task["doc_id"], task["iteration"]
    spec = spec_for(doc_id)
    with node_span("draft_document", agent="writer", document=doc_id, iteration=iteration) as info:
        decisions = writer_decisions(await load_decisions(runtime.store, ctx.run_id))
        subtask_drafts: dict[str, str] = {}
        try:
            if task.get("kind", "draft") == "draft" and iteration == 1:
                raw, subtask_drafts = await _first_draft(task, runtime, spec, decisions)
            else:
                raw = await _revision(task, runtime, spec, decisions)
        except ModelCallError as exc:
            reason = f"writer could not get a reply: {exc}"
            emit("document_failed", reason=reason)
            return Command(update={"documents": {doc_id: {"status": "failed", "reason": reason, "final": task.get("draft", "")}}}, goto="schedule_documents")
        draft = finish_markdown(raw, spec, ctx.language, task.get("sources") or [])
        words = document_words(draft, ctx.language)  # the number the word-limit check counts
        info.update(words=words)
        emit("document_version", version=iteration, kind=task.get("kind", "draft"), words=words, chars=len(draft))
    update: dict[str, Any] = {"status": "in_progress"}
    if subtask_drafts:
        update["subtask_drafts"] = subtask_drafts
    return Command(
        update={"documents": {doc_id: update}},
        goto=Send("review_document", {**task, "draft": draft}),
    )
