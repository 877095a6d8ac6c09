"""Record and replay: every model and tool exchange of a run, kept in its run directory.

A real-model run records `recording/models.jsonl` and `recording/tools.jsonl`.
`genai-planner replay RUN_ID` re-executes the whole graph against the recording, with no
model and no network: the replay model answers each call with the recorded reply (matched
by the exact prompt, else by agent, document, iteration and order), and tool calls are
answered from the tape. LangGraph's own time travel re-calls the model; this does not.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, message_to_dict, messages_from_dict
from langchain_core.outputs import ChatGeneration, ChatResult
from structlog.contextvars import get_contextvars

from genai_planner.core import regex_cache
from genai_planner.models.wrapping import WrappingChatModel

_LOCK = threading.Lock()
_COUNTERS: dict[tuple[str, ...], int] = defaultdict(int)


class ReplayMiss(RuntimeError):
    """The recording has no reply for this call."""


LESSONS_RE = regex_cache.compile(r"\n<lessons>\n.*?\n</lessons>\n", re.DOTALL)


def _canonical(messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
    """The prompt as matched in a replay; cross-run lessons are left out (they change between runs)."""
    tools = [t.get("function", {}).get("name") for t in kwargs.get("tools") or []]
    body = [
        [m.type, LESSONS_RE.sub("\n", m.content) if isinstance(m.content, str) else m.content, getattr(m, "tool_calls", None), getattr(m, "tool_call_id", None)]
        for m in messages
    ]
    return json.dumps([body, tools, kwargs.get("tool_choice")], sort_keys=True, default=str, ensure_ascii=False)


def exchange_key(role: str, messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
    """A hash of the exact prompt (messages, tools, tool choice) and the agent role."""
    return hashlib.sha256((role + _canonical(messages, kwargs)).encode()).hexdigest()


def _slot(role: str, run_id: str) -> str:
    ctx = get_contextvars()
    scope = (run_id, role, str(ctx.get("document")), str(ctx.get("iteration")))
    with _LOCK:
        _COUNTERS[scope] += 1
        return "|".join([*scope[1:], str(_COUNTERS[scope])])


def _append(path: Path, record: dict[str, Any]) -> None:
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


class RecordingChatModel(WrappingChatModel):
    """Passes calls to the inner model and appends each exchange to a JSONL file."""

    path: Path
    role: str
    run_id: str

    def _record(self, messages: list[BaseMessage], kwargs: dict[str, Any], result: ChatResult) -> ChatResult:
        _append(
            self.path,
            {
                "key": exchange_key(self.role, messages, kwargs),
                "slot": _slot(self.role, self.run_id),
                "model": self.model_name,
                "reply": message_to_dict(result.generations[0].message),
            },
        )
        return result

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
    ) -> ChatResult:
        return self._record(messages, kwargs, self.inner._generate(messages, stop, **kwargs))

    async def _agenerate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: AsyncCallbackManagerForLLMRun | None = None, **kwargs: Any
    ) -> ChatResult:
        return self._record(messages, kwargs, await self.inner._agenerate(messages, stop, **kwargs))


class Tape:
    """Recorded replies, looked up by exact key first, then by slot."""

    def __init__(self, path: Path):
        self.by_key: dict[str, deque[dict[str, Any]]] = defaultdict(deque)
        self.by_slot: dict[str, dict[str, Any]] = {}
        self.model = "replay"
        if not path.is_file():
            raise FileNotFoundError(f"no recording at {path}")
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            self.by_key[record["key"]].append(record)
            if "slot" in record:
                self.by_slot[record["slot"]] = record
            self.model = record.get("model", self.model)
        self._lock = threading.Lock()

    def take(self, key: str, slot: str | None) -> dict[str, Any]:
        with self._lock:
            if self.by_key.get(key):
                return self.by_key[key].popleft()
            if slot and slot in self.by_slot:
                return self.by_slot[slot]
        raise ReplayMiss("the recording has no reply for this call")


class ReplayChatModel(BaseChatModel):
    """Answers every call from a recording; never touches a network."""

    tape: Any
    role: str
    run_id: str

    @property
    def _llm_type(self) -> str:
        return "replay"

    @property
    def model_name(self) -> str:
        return f"replay:{self.tape.model}"

    def bind_tools(self, tools: list[Any], *, tool_choice: Any = None, **kwargs: Any):  # type: ignore[override]
        """Bind tools in OpenAI format so prompts hash the same as when recorded."""
        from langchain_core.utils.function_calling import convert_to_openai_tool

        formatted = [convert_to_openai_tool(t) for t in tools]
        choice = (
            {"type": "function", "function": {"name": tool_choice}}
            if isinstance(tool_choice, str) and tool_choice not in {"auto", "any", "none", "required"}
            else tool_choice
        )
        return self.bind(tools=formatted, tool_choice=choice, **kwargs)

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any
    ) -> ChatResult:
        record = self.tape.take(exchange_key(self.role, messages, kwargs), _slot(self.role, self.run_id))
        message = messages_from_dict([record["reply"]])[0]
        return ChatResult(generations=[ChatGeneration(message=message)])


class ToolTape:
    """Records tool outcomes (`mode='record'`) or answers tool calls from them (`mode='replay'`)."""

    def __init__(self, path: Path, mode: str):
        self.path, self.mode = path, mode
        self.entries: dict[str, deque[dict[str, Any]]] = defaultdict(deque)
        if mode == "replay":
            if not path.is_file():
                raise FileNotFoundError(f"no tool recording at {path}")
            for line in path.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                self.entries[record["key"]].append(record)
        self._lock = threading.Lock()

    @staticmethod
    def key(name: str, args: dict[str, Any]) -> str:
        return hashlib.sha256(json.dumps([name, args], sort_keys=True, default=str).encode()).hexdigest()

    async def around(self, name: str, args: dict[str, Any], execute: Any) -> tuple[dict[str, Any] | None, str | None]:
        """Run (and record) the tool, or answer from the recording."""
        key = self.key(name, args)
        if self.mode == "replay":
            with self._lock:
                queue = self.entries.get(key)
                record = queue.popleft() if queue and len(queue) > 1 else (queue[0] if queue else None)
            if record is None:
                return None, f"replay: no recorded result for {name}"
            return record["payload"], record["error"]
        payload, error = await execute()
        _append(self.path, {"key": key, "tool": name, "payload": payload, "error": error})
        return payload, error
