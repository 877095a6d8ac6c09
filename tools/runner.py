"""The one tool boundary: every tool call runs here.

It enforces the per-step call limit, times the call, turns any exception into a tool
message the agent can read, normalises whatever the tool returned by the tool-result
contract (`tools.results`; each part it cannot use is a `tool_warning` event), withholds
instruction-like sentences from untrusted results (`tools.safety`; each withholding is an
`untrusted_instruction_removed` event that keeps the sentences, marked), numbers each
result as a source in the research log, and emits a `tool_call` event. This is the only
place that filters: the engines and writers do not. Tests add hooks here (fault injection,
recording) without touching the agents.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool

from genai_planner.core.tracing import emit, warn
from genai_planner.tools.research_log import ResearchLog, excerpt
from genai_planner.tools.results import normalise_output
from genai_planner.tools.safety import injection_rule, neutralise_markup, payloads, sanitise

WITHHELD_MARKER = "withheld: reads like an instruction to the model"

ToolHook = Callable[[str, dict[str, Any]], Awaitable[None] | None]
_HOOKS: dict[str, ToolHook] = {}


def register_tool_hook(name: str, hook: ToolHook) -> None:
    """Run `hook(tool_name, args)` before every tool call (it may raise to inject a fault)."""
    _HOOKS[name] = hook


def unregister_tool_hook(name: str) -> None:
    """Remove a hook registered by a test."""
    _HOOKS.pop(name, None)


TOOL_MESSAGE_CHARS = 320
"""Characters of each source the researcher model reads back (the log keeps the whole text)."""


def format_sources(tool: str, sources: list[Any], note: str, withheld: int = 0) -> str:
    """The tool message the model reads: numbered sources inside an untrusted-data block."""
    parts = [f'<tool_result tool="{tool}" trust="untrusted-data">']
    if note:
        parts.append(f"note: {note}")
    for s in sources:
        marker = f"\n[{s.withheld} sentence(s) {WITHHELD_MARKER}]" if getattr(s, "withheld", 0) else ""
        parts.append(f"[{s.id}] {s.title} ({s.ref})\n{excerpt(s.text, TOOL_MESSAGE_CHARS)}{marker}")
    if withheld:
        parts.append(f"[{withheld} result(s) {WITHHELD_MARKER}]")
    parts.append("</tool_result>")
    return "\n\n".join(parts)


def withheld_text(sentences: list[str]) -> list[str]:
    """The withheld sentences and their payloads: what no draft may contain (the `untrusted_text_absent` check)."""
    out: list[str] = []
    for sentence in sentences:
        for item in [sentence, *payloads(sentence)]:
            if item not in out:
                out.append(item)
    return out


def _clean_text(tool: str, ref: str, field_name: str, text: str, sink: list[str] | None = None) -> tuple[str, int]:
    """`text` without model-directed sentences or prompt markup; each withholding is traced with its marker."""
    result = sanitise(text)
    if sink is not None:
        sink.extend(result.withheld)
    if result.withheld:
        emit(
            "untrusted_instruction_removed",
            tool=tool,
            ref=ref,
            field=field_name,
            marker=WITHHELD_MARKER,
            rules=sorted(set(result.rules)),
            sentences=[w[:300] for w in result.withheld[:5]],
            count=len(result.withheld),
        )
    cleaned, tags = neutralise_markup(result.text)
    if tags:
        emit("untrusted_markup_neutralised", tool=tool, ref=ref, field=field_name, count=tags)
    return cleaned, len(result.withheld)


def sanitise_results(tool: str, payload: dict[str, Any]) -> tuple[list[dict[str, Any]], str, int]:
    """The payload's results and note made safe for the model and the writer.

    Returns:
        The results (each with `withheld`, the count of sentences kept from the writer), the
        note, and how many results were withheld entirely (nothing usable was left).
    """
    results, dropped = [], 0
    for r in payload.get("results", []):
        removed: list[str] = []
        text, withheld = _clean_text(tool, r["ref"], "text", r["text"], removed)
        title = r["title"]
        if injection_rule(title):
            _clean_text(tool, r["ref"], "title", title, removed)
            title = f"{tool} result"
        if not text.strip():
            dropped += 1  # the whole result read as instructions: kept in the trace only
            continue
        extra = {"withheld_text": withheld_text(removed)} if removed else {}
        results.append({**r, "title": neutralise_markup(title)[0], "text": text, "withheld": withheld, **extra})
    note, _ = _clean_text(tool, "", "note", str(payload.get("note") or ""))
    return results, note, dropped


class ToolRunner:
    """Runs one agent step's tool calls against the registry's tools."""

    def __init__(self, tools: list[BaseTool], log: ResearchLog, max_calls: int, hooks: list[str] | None = None, tape: Any = None):
        self.tools = {t.name: t for t in tools}
        self.log = log
        self.max_calls = max_calls
        self.calls = 0
        self.hooks = hooks
        self.tape = tape  # records tool outcomes, or answers them in a replay

    async def run_all(self, calls: list[dict[str, Any]], sections: list[str | None]) -> list[ToolMessage]:
        """Execute calls concurrently, then number their sources in call order (deterministic ids)."""
        outcomes = await asyncio.gather(*(self._execute(call) for call in calls))
        return [self._record(call, section, outcome) for call, section, outcome in zip(calls, sections, outcomes, strict=True)]

    async def run(self, call: dict[str, Any], section: str | None = None) -> ToolMessage:
        """Execute one tool call; never raises."""
        return (await self.run_all([call], [section]))[0]

    async def _execute(self, call: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None, float]:
        name, args = call["name"], dict(call.get("args") or {})
        self.calls += 1
        start = time.perf_counter()
        if self.calls > self.max_calls:
            return None, f"tool-call limit reached ({self.max_calls} per step); answer with what you have", 0.0
        if name not in self.tools:
            return None, f"unknown tool {name!r}; available: {', '.join(sorted(self.tools))}", 0.0
        if self.tape is not None:
            payload, error = await self.tape.around(name, args, lambda: self._invoke(name, args))
            return payload, error, time.perf_counter() - start
        payload, error = await self._invoke(name, args)
        return payload, error, time.perf_counter() - start

    async def _invoke(self, name: str, args: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
        try:
            for hook_name, hook in list(_HOOKS.items()):
                if self.hooks is None or hook_name in self.hooks:
                    result = hook(name, args)
                    if hasattr(result, "__await__"):
                        await result  # type: ignore[misc]
            raw = await self.tools[name].ainvoke(args)
            return normalise_output(name, raw), None
        except Exception as exc:  # a tool failure is a message, never a crash
            return None, f"{type(exc).__name__}: {exc}"[:500]

    def _record(self, call: dict[str, Any], section: str | None, outcome: tuple[dict[str, Any] | None, str | None, float]) -> ToolMessage:
        name, args, call_id = call["name"], dict(call.get("args") or {}), call.get("id") or ""
        payload, error, duration = outcome
        sources: list[Any] = []
        note, dropped = "", 0
        if payload is not None:
            normalised = normalise_output(name, payload)  # idempotent; also reads recordings made before the contract
            for warning in normalised["warnings"]:
                warn("tool_warning", tool=name, warning=warning, section=section)
            results, note, dropped = sanitise_results(name, normalised)
            sources = self.log.add_results(name, results, query=str(args.get("query", "")), section=section)
        content = f"ERROR from {name}: {error}" if error else format_sources(name, sources, note, dropped)
        emit(
            "tool_call",
            tool=name,
            args=args,
            result_chars=len(content),
            sources=[s.id for s in sources],
            duration_s=round(duration, 4),
            error=error,
        )
        return ToolMessage(content=content, tool_call_id=call_id, name=name, status="error" if error else "success")
