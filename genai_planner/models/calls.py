"""Calling models: every agent's model call goes through here.

One place measures latency and tokens, estimates cost, enforces the run's budget,
retries transient failures with backoff (and fails fast, with one line, on errors no
retry can fix: a wrong key, a forbidden or unknown model, a prompt beyond the model's
context), and degrades structured output gracefully:
tool calling → JSON in text (repaired, `<think>` stripped) → re-ask with the error.
Every fallback is a trace event.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel, ValidationError

from genai_planner.core import regex_cache
from genai_planner.core.errors import ModelConfigError
from genai_planner.core.tracing import emit, redact
from genai_planner.models.pricing import price_for

STRUCTURED_JSON_FALLBACK = """<json_schema>
{schema}
</json_schema>
Reply with one JSON object only, no prose, matching the JSON schema above."""

STRUCTURED_REASK = """Your previous reply could not be used: {error}
Reply again with one JSON object that matches the schema exactly."""


T = TypeVar("T", bound=BaseModel)
THINK_RE = regex_cache.compile(r"<think>.*?(</think>|$)", re.DOTALL | re.IGNORECASE)


class ModelCallError(RuntimeError):
    """A model call failed after every retry (or with an error no retry can fix, like a bad request)."""


class StructuredOutputError(RuntimeError):
    """No valid structured reply after every fallback."""


class BudgetExceeded(RuntimeError):
    """The run's token or cost budget is spent."""


@dataclass
class RunUsage:
    """Token and cost totals with the run's budget; a `child()` counts one node's share too.

    The run's totals live in graph state (`graph/state.py` `usage`, summed across branches by
    its reducer, checkpointed). A `RunUsage` is the live view of those totals while a process
    drives the run: seeded from the state (and on resume from the trace), shared by the
    branches of that one run, never by two runs.
    """

    max_tokens: int | None = None
    max_cost: float | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    calls: int = 0
    parent: RunUsage | None = field(default=None, repr=False, compare=False)
    _in_flight: int = field(default=0, repr=False, compare=False)
    _largest_tokens: int = field(default=0, repr=False, compare=False)
    _largest_cost: float = field(default=0.0, repr=False, compare=False)
    _cond: asyncio.Condition | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_totals(cls, totals: dict[str, Any] | None, max_tokens: int | None = None, max_cost: float | None = None) -> RunUsage:
        """A ledger that starts at `totals` (the state's `usage`)."""
        totals = totals or {}
        return cls(
            max_tokens=max_tokens,
            max_cost=max_cost,
            input_tokens=int(totals.get("input_tokens") or 0),
            output_tokens=int(totals.get("output_tokens") or 0),
            cost=float(totals.get("cost_usd") or 0.0),
            calls=int(totals.get("calls") or 0),
        )

    def root(self) -> RunUsage:
        """The run-wide ledger this one reports to."""
        return self.parent.root() if self.parent is not None else self

    def child(self) -> RunUsage:
        """A ledger for one node: counts its own calls and reports each to this one."""
        return RunUsage(parent=self)

    @property
    def tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    def totals(self) -> dict[str, Any]:
        """The totals as the state's `usage` value."""
        return {"input_tokens": self.input_tokens, "output_tokens": self.output_tokens, "cost_usd": round(self.cost, 8), "calls": self.calls}

    def check(self) -> None:
        """Raise `BudgetExceeded` when the run's budget is spent."""
        run = self.root()
        if run.max_tokens is not None and run.tokens >= run.max_tokens:
            raise BudgetExceeded(f"token budget spent ({run.tokens} of {run.max_tokens})")
        if run.max_cost is not None and run.cost >= run.max_cost:
            raise BudgetExceeded(f"cost budget spent (${run.cost:.4f} of ${run.max_cost})")

    def record(self, tokens_in: int, tokens_out: int, cost: float) -> None:
        """Count one finished call here and in every ledger above."""
        self.input_tokens += tokens_in
        self.output_tokens += tokens_out
        self.cost += cost
        self.calls += 1
        self._largest_tokens = max(self._largest_tokens, tokens_in + tokens_out)
        self._largest_cost = max(self._largest_cost, cost)
        if self.parent is not None:
            self.parent.record(tokens_in, tokens_out, cost)

    def _room_for(self, calls: int, expected_tokens: int = 0) -> bool:
        """Whether `calls` more calls still fit the budget, each as large as the largest seen or the one asking."""
        if not self._largest_tokens and not self._largest_cost:
            return False  # no call measured yet in this process: one at a time until one is
        size = max(self._largest_tokens, expected_tokens)
        if self.max_tokens is not None and self.tokens + calls * size >= self.max_tokens:
            return False
        return not (self.max_cost is not None and self.cost + calls * self._largest_cost >= self.max_cost)

    @asynccontextmanager
    async def admitted(self, expected_tokens: int = 0) -> AsyncIterator[None]:
        """Hold a slot for one model call (`expected_tokens`: its prompt's size, when the caller knows it).

        Without a budget every call is admitted at once. With one, a call starts alongside
        others only while all of them (at the largest size seen) still fit; near the end of
        the budget calls go one at a time, so the run overshoots by at most the one call
        that was in flight when the budget ran out.
        """
        run = self.root()
        if run.max_tokens is None and run.max_cost is None:
            yield
            return
        if run._cond is None:
            run._cond = asyncio.Condition()
        async with run._cond:
            while True:
                run.check()
                if run._in_flight == 0 or run._room_for(run._in_flight + 1, expected_tokens):
                    break
                await run._cond.wait()
            run._in_flight += 1
        try:
            yield
        finally:
            async with run._cond:
                run._in_flight -= 1
                run._cond.notify_all()


_NODE_USAGE: ContextVar[RunUsage | None] = ContextVar("genai_planner_node_usage", default=None)


@contextmanager
def counting_into(usage: RunUsage) -> Iterator[RunUsage]:
    """Make `usage` the ledger that `current_usage()` returns inside the block (one graph node)."""
    token = _NODE_USAGE.set(usage)
    try:
        yield usage
    finally:
        _NODE_USAGE.reset(token)


def current_usage() -> RunUsage | None:
    """The ledger of the node running now, or None outside a graph node."""
    return _NODE_USAGE.get()


def _retry_base() -> float:
    return float(os.environ.get("GENAI_PLANNER_RETRY_BASE_S", "0.5"))


MAX_RETRY_AFTER_S = 60.0
CONTEXT_LENGTH_MARKERS = ("context_length_exceeded", "maximum context length", "context length", "context window", "too many tokens", "prompt is too long")


def model_name(model: Any) -> str:
    """The name a model reports (through bindings and wrappers)."""
    inner = getattr(model, "bound", model)
    return str(getattr(inner, "model_name", None) or getattr(inner, "model", None) or type(inner).__name__)


def _attempts() -> int:
    from genai_planner.core.settings import load_settings

    return load_settings().genai_planner_max_retries + 1


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def _server_message(exc: BaseException) -> str:
    body = getattr(exc, "body", None)
    message = body.get("message") if isinstance(body, dict) else None
    if not message and isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = body["error"].get("message")
    return redact(" ".join(str(message or exc).split()))[:160]


def classify_error(exc: BaseException, model: str) -> tuple[str, str]:
    """('fatal' | 'retry' | 'fail', why) for a failed model call.

    Fatal: authentication (401), permission (403), unknown model (404) and a prompt beyond
    the model's context (400): no retry helps, the run stops with one line. Retried: timeouts,
    connection errors, 408, 409, 429 and 5xx. Other 4xx fail this call without a retry. An
    error without an HTTP status (a local engine, a test double) is retried.
    """
    status = _status(exc)
    detail = _server_message(exc)
    if status == 401:
        return "fatal", f"the model endpoint rejected the API key (HTTP 401: {detail}); check OPENAI_API_KEY"
    if status == 403:
        return "fatal", f"the API key may not use model '{model}' (HTTP 403: {detail})"
    if status == 404:
        return "fatal", f"model '{model}' was not found at the endpoint (HTTP 404: {detail}); check --model or GENAI_PLANNER_MODEL and OPENAI_BASE_URL"
    text = f"{getattr(exc, 'code', '') or ''} {detail} {exc}".lower()
    if status in (400, 413) and any(marker in text for marker in CONTEXT_LENGTH_MARKERS):
        return "fatal", (
            f"the prompt does not fit model '{model}''s context window (HTTP {status}: {detail}); "
            "use a model with a longer context or lower GENAI_PLANNER_MAX_OUTPUT_TOKENS"
        )
    if status is None or status in (408, 409, 429) or status >= 500:
        return "retry", detail
    return "fail", detail


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None)
    value = headers.get("retry-after") if headers is not None else None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_S) if value is not None else None
    except (TypeError, ValueError):
        return None


async def invoke_model(
    model: Any, messages: list[BaseMessage], *, usage: RunUsage, purpose: str, attempts: int | None = None
) -> AIMessage:
    """Call a (possibly tool-bound) model once, with retries (the one retry policy), events and budget."""
    name = model_name(model)
    attempts = attempts or _attempts()
    expected = sum(len(str(m.content).encode("utf-8")) for m in messages) // 4  # the prompt alone, a lower bound on the call's size
    for attempt in range(1, attempts + 1):
        wait = _retry_base() * 2 ** (attempt - 1)
        async with usage.admitted(expected):
            usage.check()
            start = time.perf_counter()
            reply: AIMessage | None = None
            try:
                reply = await model.ainvoke(messages)
            except Exception as exc:
                latency = time.perf_counter() - start
                kind, why = classify_error(exc, name)
                emit(
                    "llm_error", model=name, purpose=purpose, attempt=attempt, error=f"{type(exc).__name__}: {exc}"[:300],
                    status=_status(exc), retry=kind == "retry" and attempt < attempts, latency_s=round(latency, 4),
                )
                if kind == "fatal":
                    raise ModelConfigError(why) from None
                if kind == "fail":
                    raise ModelCallError(f"{purpose}: model call failed, not retried ({why})") from exc
                if attempt == attempts:
                    raise ModelCallError(f"{purpose}: model call failed after {attempts} attempts ({type(exc).__name__})") from exc
                wait = max(wait, _retry_after(exc) or 0.0)
            if reply is not None:
                latency = time.perf_counter() - start
                meta = getattr(reply, "usage_metadata", None) or {}
                tokens_in, tokens_out = int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0))
                price = price_for(name)
                cost = (tokens_in * price[0] + tokens_out * price[1]) / 1e6 if price else None
                usage.record(tokens_in, tokens_out, cost or 0.0)
                emit(
                    "llm_call",
                    model=name,
                    purpose=purpose,
                    input_tokens=tokens_in,
                    output_tokens=tokens_out,
                    latency_s=round(latency, 4),
                    cost_usd=round(cost, 6) if cost is not None else None,
                    tool_calls=[tc["name"] for tc in getattr(reply, "tool_calls", [])],
                    attempt=attempt,
                )
                return reply
        await asyncio.sleep(wait)  # outside the budget slot: a waiting retry holds no one up
    raise ModelCallError(f"{purpose}: no reply")  # pragma: no cover - loop always returns or raises


def strip_thinking(text: str) -> str:
    """Remove `<think>...</think>` blocks (and an unterminated one) from a reply."""
    return THINK_RE.sub("", text).strip()


def extract_json(text: str) -> Any:
    """The first JSON object in `text`, repairing common breakage (fences, trailing commas, quotes, cut-off)."""
    text = strip_thinking(text)
    text = re.sub(r"^```(?:json)?\s*|\s*```$", "", text.strip(), flags=re.MULTILINE)
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object in the reply")
    candidate = text[start:]
    for attempt in (candidate, _repair(candidate)):
        try:
            obj, _ = json.JSONDecoder().raw_decode(attempt)
            return obj
        except json.JSONDecodeError:
            continue
    raise ValueError("the JSON in the reply could not be parsed or repaired")


def _repair(text: str) -> str:
    text = re.sub(r",\s*([}\]])", r"\1", text)
    if "'" in text and '"' not in text:
        text = text.replace("'", '"')
    depth_curly = text.count("{") - text.count("}")
    depth_square = text.count("[") - text.count("]")
    if text.count('"') % 2:
        text += '"'
    return text + "]" * max(depth_square, 0) + "}" * max(depth_curly, 0)


def _validate(schema: type[T], data: Any) -> T:
    if isinstance(data, dict) and set(data) == {"properties"} and isinstance(data["properties"], dict):
        data = data["properties"]  # small models sometimes echo the schema wrapper
    return schema.model_validate(data)


async def invoke_structured(
    model: BaseChatModel, schema: type[T], messages: list[BaseMessage], *, usage: RunUsage, purpose: str, reasks: int = 2
) -> T:
    """A validated `schema` instance from the model, degrading through every fallback."""
    name = schema.__name__
    errors: list[str] = []
    try:
        bound = model.bind_tools([schema], tool_choice=name)
        reply = await invoke_model(bound, messages, usage=usage, purpose=purpose)
        calls = [tc for tc in reply.tool_calls if tc["name"] == name]
        if calls:
            return _validate(schema, calls[0]["args"])
        if reply.content:
            emit("structured_fallback", schema=name, purpose=purpose, stage="json_text", reason="no tool call; reading JSON from the reply text")
            return _validate(schema, extract_json(str(reply.content)))
        errors.append("no tool call in the reply")
    except BudgetExceeded:
        raise
    except (ValidationError, ValueError, ModelCallError, NotImplementedError) as exc:
        errors.append(f"{type(exc).__name__}: {exc}"[:300])
    emit("structured_fallback", schema=name, purpose=purpose, stage="json_text", reason=errors[-1])

    schema_json = json.dumps({"title": name, **schema.model_json_schema()}, ensure_ascii=False)
    convo = [*messages, HumanMessage(content=STRUCTURED_JSON_FALLBACK.format(schema=schema_json))]
    for attempt in range(reasks + 1):
        try:
            reply = await invoke_model(model, convo, usage=usage, purpose=f"{purpose}:json")
            return _validate(schema, extract_json(str(reply.content)))
        except BudgetExceeded:
            raise
        except ModelCallError as exc:
            errors.append(str(exc))
            break
        except (ValidationError, ValueError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            errors.append(error)
            if attempt < reasks:
                emit("structured_fallback", schema=name, purpose=purpose, stage="reask", reason=error)
                convo = [*convo, AIMessage(content=str(reply.content)[:4000]), HumanMessage(content=STRUCTURED_REASK.format(error=error))]
    emit("structured_failed", schema=name, purpose=purpose, errors=errors[-3:])
    raise StructuredOutputError(f"{purpose}: no valid {name} after {len(errors)} tries ({errors[-1]})")
