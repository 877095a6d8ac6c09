"""The researcher: answers a document's research questions with tools and logs every source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langgraph.runtime import Runtime
from langgraph.types import Command, Send

from genai_planner.agents.context import agent_tools, brief_of, figures_of, run_constraints, run_usage, spec_for
from genai_planner.agents.prompts import RESEARCHER_NUDGE, RESEARCHER_SYSTEM, RESEARCHER_TASK, UNTRUSTED_NOTE
from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, node_span
from genai_planner.models.calls import ModelCallError, invoke_model
from genai_planner.models.factory import chat_model_for
from genai_planner.models.recording import ToolTape
from genai_planner.planning.claims import overrule_claims
from genai_planner.tools.registry import answers_question
from genai_planner.tools.research_log import ResearchLog
from genai_planner.tools.runner import ToolRunner

if TYPE_CHECKING:
    from genai_planner.graph.state import DocumentTask


def tool_tape(ctx: RunContext) -> ToolTape | None:
    """Record tool outcomes in recorded runs; answer from the recording in replays."""
    if ctx.engine == "replay" and ctx.replay_from:
        return ToolTape(Path(ctx.replay_from) / "recording" / "tools.jsonl", "replay")
    if "record" in ctx.wrappers and ctx.run_dir:
        return ToolTape(Path(ctx.run_dir) / "recording" / "tools.jsonl", "record")
    return None


def route_questions(questions: list[dict[str, Any]], tools: list[Any], doc_id: str) -> list[dict[str, Any]]:
    """Each planned question with `tools`: the tool the planner named, then every other tool that answers it.

    A tool answers the questions its `metadata["answers"]` patterns match (see
    `tools.registry.answers_question`); a plugin that declares nothing gets every question,
    each with the section it serves, so its results are numbered under that section.
    """
    names = [t.name for t in tools]
    routed = []
    for q in questions:
        primary = q.get("tool") if q.get("tool") in names else ("knowledge_search" if "knowledge_search" in names else None)
        extra = [t.name for t in tools if t.name != primary and answers_question(t, doc_id, q["section"])]
        routed.append({**q, "tools": ([primary] if primary else []) + extra})
    return routed


def planned_calls(questions: list[dict[str, Any]]) -> int:
    """How many tool calls the routed questions ask for."""
    return sum(len(q.get("tools") or []) for q in questions)


def _found(log: ResearchLog) -> bool:
    """Whether a tool has returned evidence yet (the computed figures are not research)."""
    return any(s.tool != "planning_figures" for s in log.sources)


async def _research_without_the_model(runner: ToolRunner, questions: list[dict[str, Any]]) -> None:
    """When the model would not call tools (weak models often don't), ask each planned question directly."""
    calls, sections = [], []
    for i, q in enumerate(questions):
        for tool in q.get("tools") or []:
            args = {"query": "" if tool == "model_catalog" else q["question"]}
            calls.append({"name": tool, "args": args, "id": f"planned-{i}-{tool}"})
            sections.append(q["section"])
    emit("research_fallback", reason="the model made no tool call; asking the planned questions directly", calls=len(calls))
    runner.max_calls = runner.calls + len(calls)
    await runner.run_all(calls, sections)


def _section_for(call: dict[str, Any], questions: list[dict[str, Any]]) -> str | None:
    """Which section a tool call serves: the question it quotes (asked of this tool first), or the question naming its tool."""
    query = str((call.get("args") or {}).get("query", "")).strip().lower()
    quoting = [q for q in questions if query and q["question"].strip().lower() == query]
    if quoting:
        routed = [q for q in quoting if call["name"] in (q.get("tools") or [])]
        return (routed or quoting)[0]["section"]
    for q in questions:
        if q.get("tool") == call["name"] and q.get("tool") != "knowledge_search":
            return q["section"]
    return None


FIGURES_TITLE = {"en": "Planning figures (computed for this run)", "ko": "계획 수치(이번 실행에서 계산)"}


def cite_figures(log: ResearchLog, task: DocumentTask, language: str) -> None:
    """Put the run's computed figures first in the research log, so every writer can cite them."""
    figures = figures_of(task)
    result = {"title": FIGURES_TITLE.get(language, FIGURES_TITLE["en"]), "ref": "figures:planning", "kind": "figures", "text": figures.summary()}
    log.add_tool_output("planning_figures", json.dumps({"results": [result]}, ensure_ascii=False))


def every_question_answered(log: ResearchLog, questions: list[dict[str, Any]]) -> bool:
    """Whether every planned question's section has at least one source (a failed or empty search leaves it open)."""
    found = {section for s in log.sources if s.kind != "figures" for section in (s.sections or [s.section])}
    return all(q.get("section") in found for q in questions)


async def research_document(task: DocumentTask, runtime: Runtime[RunContext]) -> Command:
    """Run the researcher's tool loop for one document, then hand the sources to the writer."""
    ctx = runtime.context
    doc_id = task["doc_id"]
    spec = spec_for(doc_id)
    doc_plan = next(d for d in task["plan"]["documents"] if d["doc_id"] == doc_id)
    log = ResearchLog()
    cite_figures(log, task, ctx.language)
    with node_span("research_document", agent="researcher", document=doc_id, iteration=0) as info:
        tools = agent_tools("researcher", ctx, {"constraints": run_constraints(task)})
        questions = route_questions(doc_plan["research_questions"], tools, doc_id)
        max_calls = ctx.max_tool_calls + planned_calls(questions)
        runner = ToolRunner(tools, log, max_calls=max_calls, tape=tool_tape(ctx))
        messages: list[BaseMessage] = [
            SystemMessage(content=RESEARCHER_SYSTEM.format(language=ctx.language, untrusted=UNTRUSTED_NOTE)),
            HumanMessage(
                content=RESEARCHER_TASK.format(
                    doc_id=doc_id,
                    doc_title=spec.title.get(ctx.language),  # type: ignore[arg-type]
                    brief=brief_of(task).view_json(),
                    constraints=json.dumps(run_constraints(task), ensure_ascii=False, sort_keys=True),
                    questions=json.dumps(questions, ensure_ascii=False, indent=1),
                    max_tool_calls=max_calls,
                )
            ),
        ]
        model = chat_model_for("researcher", ctx)
        bound = model.bind_tools(tools) if tools else model
        rounds = 0
        try:
            for rounds in range(1, ctx.max_research_rounds + 1):  # noqa: B007 - reported after the loop
                reply: AIMessage = await invoke_model(bound, messages, usage=run_usage(ctx), purpose="research")
                messages.append(reply)
                if not reply.tool_calls:
                    if _found(log) or not tools:
                        break
                    messages.append(HumanMessage(content=RESEARCHER_NUDGE))  # no evidence yet: ask once more
                    continue
                results = await runner.run_all(reply.tool_calls, [_section_for(call, questions) for call in reply.tool_calls])
                messages.extend(results)
                if runner.calls >= runner.max_calls:
                    break
                if every_question_answered(log, questions):  # nothing left to ask: skip the model's summary turn
                    emit("research_complete", questions=len(questions), sources=len(log.sources))
                    break
        except ModelCallError as exc:
            emit("research_incomplete", reason=str(exc)[:300])
        if not _found(log) and tools:
            await _research_without_the_model(runner, questions)
        info.update(rounds=rounds, tool_calls=runner.calls, planned_calls=planned_calls(questions), sources=len(log.sources))
    # An outside source's claim about a model the gates exclude reaches the writer with the verdict in front of it.
    sources = overrule_claims([s.model_dump() for s in log.sources], task.get("figures") or {}, ctx.language)
    next_task: DocumentTask = {**task, "iteration": 1, "kind": "draft", "sources": sources}
    return Command(
        update={"documents": {doc_id: {"status": "in_progress", "sources": sources}}},
        goto=Send("draft_document", next_task),
    )
