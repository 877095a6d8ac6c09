"""The offline engine: a deterministic LangChain chat model that needs no key and no network.

It sits exactly where ChatOpenAI would: agents bind tools, force structured replies by
tool name, and read text replies from it. It answers from what the prompt carries, so the
graph, prompts, tool calls, checks and traces are the same as with a real model.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool

from genai_planner.documents.grammar import english
from genai_planner.models.offline.comments import apply_comment
from genai_planner.models.offline.protocol import block, json_block, parse_findings
from genai_planner.models.offline.renderer import render_document

OFFLINE_MODEL_NAME = "offline-engine-1"


def estimate_tokens(text: str) -> int:
    """A stable token estimate (about four bytes of UTF-8 per token)."""
    return max(1, len(text.encode("utf-8")) // 4)


_FORMATTED: dict[int, tuple[Any, dict[str, Any]]] = {}


def _openai_tool(tool: Any) -> dict[str, Any]:
    """`convert_to_openai_tool(tool)`, built once per tool object (a copy each time).

    Building a tool's JSON schema through pydantic costs ~3 ms; a run binds the same
    structured-output schemas and research tools about thirty times. The cache holds the tool
    itself, so an id is never reused for another object while its entry lives.
    """
    hit = _FORMATTED.get(id(tool))
    if hit is None or hit[0] is not tool:
        if len(_FORMATTED) >= 256:  # a long batch binds new tool objects per run: stay bounded
            _FORMATTED.clear()
        hit = _FORMATTED[id(tool)] = (tool, convert_to_openai_tool(tool))
    return copy.deepcopy(hit[1])


def _text(message: BaseMessage) -> str:
    return message.content if isinstance(message.content, str) else json.dumps(message.content, ensure_ascii=False)


def _call_id(*parts: str) -> str:
    return "call_" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


class OfflineChatModel(BaseChatModel):
    """Deterministic chat model with tool calling and structured output, built for planning runs."""

    model_name: str = OFFLINE_MODEL_NAME

    @property
    def _llm_type(self) -> str:
        return "genai-planner-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name}

    def bind_tools(self, tools: list[Any], *, tool_choice: Any = None, **kwargs: Any):  # type: ignore[override]
        """Bind tools in OpenAI format, as ChatOpenAI does."""
        formatted = [_openai_tool(t) for t in tools]
        return self.bind(tools=formatted, tool_choice=tool_choice, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tools = kwargs.get("tools") or []
        names = [t["function"]["name"] for t in tools]
        choice = kwargs.get("tool_choice")
        forced = choice.get("function", {}).get("name") if isinstance(choice, dict) else choice
        prompt = "\n\n".join(_text(m) for m in messages if not isinstance(m, ToolMessage))
        if forced in names and forced in STRUCTURED:
            args = STRUCTURED[forced](prompt)
            message = AIMessage(content="", tool_calls=[{"name": forced, "args": args, "id": _call_id(forced, prompt)}])
        elif block(prompt, "json_schema") is not None:
            schema_name = _schema_title(block(prompt, "json_schema") or "")
            producer = STRUCTURED.get(schema_name or "")
            content = json.dumps(producer(prompt), ensure_ascii=False) if producer else "{}"
            message = AIMessage(content=content)
        elif names and "<research_questions>" in prompt:
            message = _research_step(messages, prompt, names)
        elif block(prompt, "contract") is not None:
            message = AIMessage(content=_write(prompt))
        else:
            message = AIMessage(content="No tools were available, so no evidence was gathered.")
        usage_in = estimate_tokens("".join(_text(m) for m in messages))
        usage_out = estimate_tokens(_text(message) + json.dumps([tc["args"] for tc in message.tool_calls]))
        message.usage_metadata = {"input_tokens": usage_in, "output_tokens": usage_out, "total_tokens": usage_in + usage_out}
        message.response_metadata = {"model_name": self.model_name, "finish_reason": "stop"}
        return ChatResult(generations=[ChatGeneration(message=message)])


def _schema_title(prompt: str) -> str | None:
    match = re.search(r'"title":\s*"(\w+)"', prompt)
    return match.group(1) if match else None


def brief(prompt: str) -> dict[str, Any]:
    """The planner's brief: the rule-based reading of the use case that the prompt carries, as is.

    A real model may correct it; the offline engine has no reading of its own to add.
    """
    return json_block(prompt, "draft_brief", {}) or {}


def plan(prompt: str) -> dict[str, Any]:
    """The planner's reply: one research question per section (from the specs), plus one on the domain."""
    understood = json_block(prompt, "brief", {}) or {}
    documents = json_block(prompt, "documents", []) or []
    instructions = block(prompt, "instructions")
    domain = " ".join(filter(None, [understood.get("domain"), *[str(i) for i in understood.get("inputs", [])[:1]]]))
    plans = []
    for doc in documents:
        questions = [
            {"section": s["id"], "question": s["research"], "tool": s.get("tool") or "knowledge_search"}
            for s in doc.get("sections", [])
        ]
        if domain:
            questions.append({"section": "domain", "question": domain, "tool": "knowledge_search"})
        if instructions:  # a person's steer becomes research every document must do
            questions.append({"section": "domain", "question": instructions[:200], "tool": "knowledge_search"})
        plans.append({"doc_id": doc["doc_id"], "subtasks": doc.get("subtasks", []), "research_questions": questions})
    rationale = "Documents follow their dependencies so decisions flow forward; every section gets one focused question plus one on the domain."
    return {"documents": plans, "rationale": rationale}


MIN_EVIDENCE_CHARS = 12
"""The first line of a section that says something: a label ('**Steps:**') shows nothing."""


def _items(prompt: str, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One judgement per contract section: passed when its checks pass, with the section's first line as the
    evidence, copied from the draft as a real model is asked to (the product verifies the quote either way).
    """
    draft = block(prompt, "draft") or ""
    sections = (json_block(prompt, "contract", {}) or {}).get("sections") or []
    lines = draft.split("\n")
    items = []
    for section in sections:
        heading = str(section.get("heading") or "")
        start = next((i for i, ln in enumerate(lines) if ln.startswith("## ") and ln[3:].strip() == heading.strip()), None)
        body = []
        if start is not None:
            body = [ln.strip() for ln in itertools.takewhile(lambda ln: not ln.startswith("## "), lines[start + 1 :]) if ln.strip()]
        failing = [r["id"] for r in results if not r.get("passed") and not r.get("advisory") and r.get("section") == section.get("id")]
        if not body:
            reason = "the draft has no such section"
        elif failing:
            reason = "its checks fail: " + ", ".join(failing)
        else:
            reason = "its checks pass"
        said = next((ln for ln in body if len(re.sub(r"[*_`\s:|-]", "", ln)) > MIN_EVIDENCE_CHARS), body[0] if body else "")  # not a bare 'Steps:'
        items.append({"item": str(section.get("id")), "passed": bool(body) and not failing, "evidence": said, "reason": reason})
    return items


def review(prompt: str) -> dict[str, Any]:
    """The reviewer's reply: accept only when every check passed; name each failure otherwise; one item per section."""
    results = json_block(prompt, "check_results", []) or []
    failed = [r for r in results if not r.get("passed")]
    items = _items(prompt, results)
    if not failed:
        return {
            "accept": True,
            "critique": f"All {len(results)} checks pass. The sections follow the spec and cite their evidence.",
            "items": items,
            "revisions": [],
        }
    revisions = [{"section": r.get("section") or "document", "instruction": f"Fix '{r['id']}': {r['detail']}"} for r in failed]
    names = ", ".join(r["id"] for r in failed)
    critique = english(f"{len(failed)} check(s) failing: {names}. Address each before resubmitting.")
    return {"accept": False, "critique": critique, "items": items, "revisions": revisions}


STRUCTURED = {"Brief": brief, "Plan": plan, "ReviewVerdict": review}


def _research_step(messages: list[BaseMessage], prompt: str, tool_names: list[str]) -> AIMessage:
    if any(isinstance(m, ToolMessage) for m in messages):
        retry = _failed_calls_to_retry(messages)
        if retry:
            return AIMessage(content="", tool_calls=retry)
        done = sum(1 for m in messages if isinstance(m, ToolMessage))
        return AIMessage(content=f"Research complete: {done} tool results gathered for the questions.")
    questions = json_block(prompt, "research_questions", []) or []
    constraints = json_block(prompt, "constraints", {}) or {}
    limit = int((json_block(prompt, "limits", {}) or {}).get("max_tool_calls", 8))
    calls = []
    later = []
    for q in questions:
        # The researcher routed each question to its tools: the one the planner named first,
        # then every tool that answers the question's section (the user's documents, plugins).
        routed = [t for t in q.get("tools") or [q.get("tool") or "knowledge_search"] if t in tool_names]
        if not routed and "knowledge_search" in tool_names:
            routed = ["knowledge_search"]
        for n, tool in enumerate(routed):
            if tool == "model_catalog":
                args: dict[str, Any] = {"query": "", "limit": 12}
                if "ko" in (constraints.get("languages") or []) or constraints.get("language") == "ko":
                    args["language"] = "ko"
            elif tool == "knowledge_search":
                args = {"query": q["question"], "k": 2}
            else:
                args = {"query": q["question"]}
            (calls if n == 0 else later).append((tool, args))
    planned = calls + later  # each question's first tool, then the others, as before the routing
    out = [{"name": t, "args": a, "id": _call_id(t, json.dumps(a, ensure_ascii=False), str(i))} for i, (t, a) in enumerate(planned)]
    return AIMessage(content="", tool_calls=out[:limit])


def _failed_calls_to_retry(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    """Tool calls whose result was an error (not the call limit), each retried once."""
    results = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    retry = []
    for message in messages:
        if not isinstance(message, AIMessage):
            continue
        for call in message.tool_calls:
            result = results.get(call["id"])
            failed = result is not None and _text(result).startswith("ERROR from") and "tool-call limit" not in _text(result)
            if failed and not call["id"].startswith("retry_"):
                retry.append({**call, "id": "retry_" + call["id"]})
    retried = {c["id"] for m in messages if isinstance(m, AIMessage) for c in m.tool_calls}
    return [c for c in retry if c["id"] not in retried]


def _write(prompt: str) -> str:
    contract = json_block(prompt, "contract", {}) or {}
    task = json_block(prompt, "task", {}) or {}
    language = task.get("language", "en")
    feedback = block(prompt, "feedback") or ""
    whole = task.get("kind") in {"compile", "revise"}
    sections = None if whole else task.get("sections")
    comment = re.search(r"HUMAN COMMENT: (.+)", feedback)
    # A person's request is applied to the text, not pasted into it, and counted within the word limit.
    edit = (lambda text: apply_comment(text, comment.group(1).strip(), language)) if comment else None
    return render_document(contract, parse_findings(prompt), language, whole=whole, sections=sections, edit=edit)
