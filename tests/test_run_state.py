"""Run state on every path: usage and budget live in the checkpointed graph state, and the server resolves its context."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path

from genai_planner.core.scenario import load_scenario
from genai_planner.core.settings import RunOptions
from genai_planner.core.tracing import read_trace
from genai_planner.graph.nodes import resolve_context
from genai_planner.graph.state import add_usage
from genai_planner.run.runner import resume_planning, run_planning
from tests.conftest import ROOT, run_offline

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
BUDGET = 60_000


def _cli(out: Path, *args: str, crash_at: int | None = None) -> subprocess.CompletedProcess:
    base = [sys.executable, str(ROOT / "tests" / "crash_cli.py"), str(crash_at), "SIGKILL"] if crash_at else [sys.executable, "-m", "genai_planner.cli"]
    return subprocess.run([*base, *args, "-o", str(out)], capture_output=True, text=True, timeout=300, cwd=out.parent)


def _calls(run_dir: Path) -> list[dict]:
    return [e for e in read_trace(run_dir / "trace.jsonl") if e["event"] == "llm_call"]


def _tokens(call: dict) -> int:
    return call["input_tokens"] + call["output_tokens"]


def _state(output_dir: Path, run_id: str) -> dict:
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    from genai_planner.graph.builder import build_graph

    async def read() -> dict:
        async with AsyncSqliteSaver.from_conn_string(str(output_dir / "checkpoints.sqlite")) as saver:
            snapshot = await build_graph().compile(checkpointer=saver).aget_state({"configurable": {"thread_id": run_id}})
            return dict(snapshot.values)

    return asyncio.run(read())


def test_usage_is_in_the_checkpointed_state_summed_across_parallel_branches(tmp_path):
    result = run_offline(SCENARIO, tmp_path / "runs", use_memory=False)
    calls = _calls(result.run_dir)
    usage = _state(tmp_path / "runs", result.run_id)["usage"]
    parallel = {e["document"] for e in calls if e.get("document") in {"2", "4"}}
    assert parallel == {"2", "4"}  # documents 2 and 4 were drafted in parallel branches
    assert usage["calls"] == len(calls)
    assert usage["input_tokens"] + usage["output_tokens"] == sum(_tokens(c) for c in calls)
    assert add_usage({"calls": 2, "cost_usd": 0.5}, {"calls": 3, "input_tokens": 7}) == {"input_tokens": 7, "output_tokens": 0, "cost_usd": 0.5, "calls": 5}


def test_a_budgeted_run_killed_and_resumed_never_spends_its_budget_twice(tmp_path):
    reference = tmp_path / "ref" / "runs"
    reference.parent.mkdir()
    assert _cli(reference, "run", str(SCENARIO), "--no-memory", "--max-tokens", str(BUDGET)).returncode == 1
    ref_calls = _calls(next(p for p in reference.iterdir() if p.is_dir()))
    # Kill right after a model call inside a node that makes several (document 1's sub-tasks,
    # then the parallel drafts of documents 2 and 4): that node's earlier calls were paid for
    # but never checkpointed.
    for nth in (3, 13):
        out = tmp_path / f"kill{nth}" / "runs"
        out.parent.mkdir()
        killed = _cli(out, "run", str(SCENARIO), "--no-memory", "--max-tokens", str(BUDGET), crash_at=ref_calls[nth - 1]["seq"])
        assert killed.returncode == -signal.SIGKILL, killed.stderr[-500:]
        run_dir = next(p for p in out.iterdir() if p.is_dir())
        paid = sum(_tokens(c) for c in _calls(run_dir))
        checkpointed = _state(out, run_dir.name).get("usage") or {}
        assert 0 < checkpointed.get("input_tokens", 0) + checkpointed.get("output_tokens", 0) < paid < BUDGET
        resumed = _cli(out, "resume", run_dir.name)
        assert resumed.returncode == 1, resumed.stdout[-600:] + resumed.stderr[-600:]
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["status"] == "budget_exhausted" and "token budget" in manifest["reason"]
        calls = _calls(run_dir)
        total = sum(_tokens(c) for c in calls)
        # Both processes together stop at the budget: only the one call that crossed it goes over.
        assert total - _tokens(calls[-1]) < BUDGET <= total, (nth, paid, total)


def test_a_resumed_run_continues_from_the_usage_in_its_state(tmp_path):
    """With no trace to read (as on LangGraph Server), the checkpointed usage alone carries the budget over."""
    out = tmp_path / "runs"
    options = RunOptions(output_dir=out, review=["documents"], use_memory=False, max_tokens=BUDGET)
    paused = asyncio.run(run_planning(load_scenario(SCENARIO), options))
    assert paused.status == "awaiting_review"
    spent = _state(out, paused.run_id)["usage"]
    assert 0 < spent["input_tokens"] + spent["output_tokens"] < BUDGET
    largest = max(_tokens(c) for c in _calls(paused.run_dir))
    (paused.run_dir / "trace.jsonl").unlink()

    async def accept(payload: dict) -> dict:
        return {"action": "accept"}

    resumed = asyncio.run(resume_planning(paused.run_id, out, reviewer=accept))
    assert resumed.status == "budget_exhausted"
    usage = _state(out, paused.run_id)["usage"]
    resumed_calls = _calls(paused.run_dir)
    resumed_tokens = sum(_tokens(c) for c in resumed_calls)
    largest = max(largest, *(_tokens(c) for c in resumed_calls))  # the one call that may cross the budget is any call of the run
    assert usage["input_tokens"] + usage["output_tokens"] <= BUDGET + largest
    assert resumed_tokens < BUDGET - (spent["input_tokens"] + spent["output_tokens"]) + largest


def test_server_context_takes_the_run_id_from_the_thread_and_the_engine_from_settings(monkeypatch):
    assert resolve_context({}, "thread-a").run_id == "thread-a"
    assert resolve_context({"run_id": "mine"}, "thread-a").run_id == "mine"
    assert resolve_context({}, "thread-a").engine == "offline"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    assert resolve_context({}, "thread-a").engine == "openai"
    assert resolve_context({"engine": "offline"}, "thread-a").engine == "offline"


class _FixedModel:
    """A model whose every reply costs exactly 1,000 tokens."""

    model_name = "fixed"

    async def ainvoke(self, messages):
        from langchain_core.messages import AIMessage

        await asyncio.sleep(0.01)
        return AIMessage(content="ok", usage_metadata={"input_tokens": 900, "output_tokens": 100, "total_tokens": 1000})


def test_concurrent_calls_overshoot_the_budget_by_at_most_one_call():
    from genai_planner.models.calls import BudgetExceeded, RunUsage, invoke_model

    run = RunUsage(max_tokens=2_500)

    async def many() -> list:
        calls = [invoke_model(_FixedModel(), [], usage=run.child(), purpose=f"p{i}") for i in range(6)]
        return await asyncio.gather(*calls, return_exceptions=True)

    outcomes = asyncio.run(many())
    assert sum(isinstance(o, BudgetExceeded) for o in outcomes) == 3
    assert run.tokens == 3_000 and run.calls == 3  # the third call crossed the budget; no call ran beside it
