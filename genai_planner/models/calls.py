"""Calling models: every agent's model call goes through here.

One place measures latency and tokens, estimates cost, enforces the run's budget,
retries transient failures with backoff, and degrades structured output gracefully:
tool calling → JSON in text (repaired, `<think>` stripped) → re-ask with the error.
Every fallback is a trace event.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from dataclasses import dataclass
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from pydantic import BaseModel, ValidationError

from genai_planner.core.tracing import emit
from genai_planner.models.pricing import price_for

STRUCTURED_JSON_FALLBACK = """Reply with one JSON object only, no prose, matching this JSON schema:
{schema}"""

STRUCTURED_REASK = """Your previous reply could not be used: {error}
Reply again with one JSON object that matches the schema exactly."""


T = TypeVar("T", bound=BaseModel)
THINK_RE = re.compile(r"<think>.*?(</think>|$)", re.DOTALL | re.IGNORECASE)


class ModelCallError(RuntimeError):
    """A model call failed after every retry."""


class StructuredOutputError(RuntimeError):
    """No valid structured reply after every fallback."""


class BudgetExceeded(RuntimeError):
    """The run's token or cost budget is spent."""


@dataclass
class RunUsage:
    """Token and cost totals of one run, shared by every branch of that run."""

    max_tokens: int | None = None
    max_cost: float | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0
    calls: int = 0

    def check(self) -> None:
        """Raise `BudgetExceeded` when a budget is spent."""
        if self.max_tokens is not None and self.input_tokens + self.output_tokens >= self.max_tokens:
            raise BudgetExceeded(f"token budget spent ({self.input_tokens + self.output_tokens} of {self.max_tokens})")
        if self.max_cost is not None and self.cost >= self.max_cost:
            raise BudgetExceeded(f"cost budget spent (${self.cost:.4f} of ${self.max_cost})")


_USAGE: dict[str, RunUsage] = {}


def usage_for(run_id: str, max_tokens: int | None = None, max_cost: float | None = None) -> RunUsage:
    """The usage record of a run (created on first use)."""
    usage = _USAGE.setdefault(run_id, RunUsage())
    usage.max_tokens, usage.max_cost = max_tokens, max_cost
    return usage


def _retry_base() -> float:
    return float(os.environ.get("GENAI_PLANNER_RETRY_BASE_S", "0.5"))


def model_name(model: Any) -> str:
    """The name a model reports (through bindings and wrappers)."""
    inner = getattr(model, "bound", model)
    return str(getattr(inner, "model_name", None) or getattr(inner, "model", None) or type(inner).__name__)


def _attempts() -> int:
    from genai_planner.core.settings import load_settings

    return load_settings().genai_planner_max_retries + 1


async def invoke_model(
    model: Any, messages: list[BaseMessage], *, usage: RunUsage, purpose: str, attempts: int | None = None
) -> AIMessage:
    """Call a (possibly tool-bound) model once, with retries (the one retry policy), events and budget."""
    name = model_name(model)
    attempts = attempts or _attempts()
    for attempt in range(1, attempts + 1):
        usage.check()
        start = time.perf_counter()
        try:
            reply = await model.ainvoke(messages)
        except Exception as exc:
            latency = time.perf_counter() - start
            emit("llm_error", model=name, purpose=purpose, attempt=attempt, error=f"{type(exc).__name__}: {exc}"[:300], latency_s=round(latency, 4))
            if attempt == attempts:
                raise ModelCallError(f"{purpose}: model call failed after {attempts} attempts ({type(exc).__name__})") from exc
            await asyncio.sleep(_retry_base() * 2 ** (attempt - 1))
            continue
        latency = time.perf_counter() - start
        meta = getattr(reply, "usage_metadata", None) or {}
        tokens_in, tokens_out = int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0))
        price = price_for(name)
        cost = (tokens_in * price[0] + tokens_out * price[1]) / 1e6 if price else None
        usage.input_tokens += tokens_in
        usage.output_tokens += tokens_out
        usage.cost += cost or 0.0
        usage.calls += 1
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
