"""What every node runs inside: the run's resolved context and its share of the usage.

`run_node(fn)` wraps a node function (the builder wraps each one). Before the node runs it

- resolves the context the way the CLI does, for callers that leave it open (LangGraph
  Server): no `run_id` → the thread id (`config["configurable"]["thread_id"]`), so two
  threads never share a decisions namespace; no `engine` → from settings ('openai' when
  OPENAI_API_KEY is set, else 'offline');
- gives the node a usage ledger (`models/calls.py` `RunUsage`) that reports to the run's
  live ledger when the caller shares one (the runner does, under `LEDGER_KEY`), else to one
  seeded from the state's `usage` (or the task's copy of it).

After the node returns, what it spent is added to its update under `usage` (summed by the
reducer in `graph/state.py`, so it is checkpointed with the node's other writes), and every
`Send` it issues carries the run's total so far.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Awaitable, Callable
from typing import Any

from langgraph.config import get_config
from langgraph.runtime import Runtime
from langgraph.types import Command, Send
from structlog.contextvars import bound_contextvars

from genai_planner.core.config import RunContext
from genai_planner.core.settings import load_settings
from genai_planner.models.calls import RunUsage, counting_into
from genai_planner.models.factory import resolve_engine

LEDGER_KEY = "genai_planner_usage"
"""`config["configurable"]` key under which a driver shares the run's live `RunUsage` with its nodes."""

Node = Callable[[Any, Runtime[RunContext]], Awaitable[Any]]


def _configurable() -> dict[str, Any]:
    try:
        return dict(get_config().get("configurable") or {})
    except RuntimeError:  # called outside a graph run
        return {}


OPEN_VALUES = {"run_id": (None, "", "server"), "engine": (None, "")}
"""Values that mean "not given" for a context that cannot say which fields were set."""


def _left_open(ctx: Any, name: str) -> bool:
    """Whether the caller left a context field open (did not give it)."""
    fields_set = getattr(ctx, "model_fields_set", None)
    if fields_set is not None:
        return name not in fields_set
    return getattr(ctx, name, None) in OPEN_VALUES[name]


def _copy(ctx: Any, updates: dict[str, Any]) -> Any:
    if hasattr(ctx, "model_copy"):
        return ctx.model_copy(update=updates)
    return dataclasses.replace(ctx, **updates)


def resolve_context(ctx: RunContext | dict[str, Any] | None, thread_id: str | None = None) -> RunContext:
    """The context with `run_id` and `engine` filled in where the caller left them open."""
    if not isinstance(ctx, RunContext):
        ctx = RunContext(**(ctx or {}))
    updates: dict[str, Any] = {}
    if _left_open(ctx, "run_id") and thread_id:
        updates["run_id"] = str(thread_id)
    if _left_open(ctx, "engine"):
        updates["engine"] = resolve_engine(None, load_settings())
    return _copy(ctx, updates) if updates else ctx


def _run_ledger(ctx: RunContext, state: Any, configurable: dict[str, Any]) -> RunUsage:
    live = configurable.get(LEDGER_KEY)
    if isinstance(live, RunUsage):
        return live
    spent = state.get("usage") if isinstance(state, dict) else None
    return RunUsage.from_totals(spent, ctx.max_tokens, ctx.max_cost)


def _carry(goto: Any, spent: dict[str, Any]) -> Any:
    if isinstance(goto, Send):
        return Send(goto.node, {**goto.arg, "usage": spent}) if isinstance(goto.arg, dict) else goto
    if isinstance(goto, list | tuple):
        return [_carry(g, spent) for g in goto]
    return goto


def _with_usage(result: Any, used: RunUsage, ledger: RunUsage) -> Any:
    delta = {"usage": used.totals()} if used.calls else {}
    if isinstance(result, Command):
        update = result.update
        if delta and (update is None or isinstance(update, dict)):
            update = {**(update or {}), **delta}
        return dataclasses.replace(result, update=update, goto=_carry(result.goto, ledger.totals()))
    if isinstance(result, dict):
        return {**result, **delta}
    return result


def run_node(fn: Node) -> Node:
    """`fn` with a resolved context and its usage counted into the run's state."""

    @functools.wraps(fn)
    async def node(state: Any, runtime: Runtime[RunContext]) -> Any:
        configurable = _configurable()
        thread_id = configurable.get("thread_id") or getattr(runtime.execution_info, "thread_id", None)
        ctx = resolve_context(runtime.context, thread_id)
        if ctx is not runtime.context:
            runtime = runtime.override(context=ctx)
        ledger = _run_ledger(ctx, state, configurable)
        used = ledger.child()
        with counting_into(used), bound_contextvars(run_id=ctx.run_id):  # a server run's events name their run too
            result = await fn(state, runtime)
        return _with_usage(result, used, ledger)

    return node
