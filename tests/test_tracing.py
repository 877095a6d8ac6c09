"""Tracing is the library's own: it never reconfigures the host's structlog, and a failing listener is traced."""

from __future__ import annotations

import asyncio

import structlog

from genai_planner.core.scenario import load_scenario
from genai_planner.core.settings import RunOptions
from genai_planner.core.tracing import emit, read_trace, trace_run
from genai_planner.run.runner import run_planning
from tests.conftest import ROOT, run_offline

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"


def test_the_library_leaves_structlog_configuration_to_the_host(tmp_path):
    seen: list[dict] = []

    def host_processor(logger, method, event_dict):
        seen.append(event_dict)
        raise structlog.DropEvent

    structlog.configure(processors=[host_processor])
    try:
        before = structlog.get_config()
        run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
        assert structlog.get_config() == before
        assert not [e for e in seen if e.get("event") in {"node_start", "llm_call"}]
    finally:
        structlog.reset_defaults()


def test_a_failing_listener_is_traced_not_swallowed(tmp_path):
    def broken(event: dict) -> None:
        raise ValueError("display exploded")

    path = tmp_path / "trace.jsonl"
    with trace_run("listener-run", path, [broken]):
        for i in range(8):
            emit("tick", i=i)
    events = read_trace(path)
    errors = [e for e in events if e["event"] == "listener_error"]
    assert errors and errors[0]["error"] == "ValueError: display exploded" and errors[0]["listener"].endswith("broken")
    assert errors[-1]["detached"] is True and len(errors) < 8
    assert [e["i"] for e in events if e["event"] == "tick"] == list(range(8))


def test_a_failing_listener_does_not_stop_a_run(tmp_path):
    def broken(event: dict) -> None:
        if event.get("event") == "plan_ready":
            raise RuntimeError("progress display broke")

    result = asyncio.run(run_planning(load_scenario(SCENARIO), RunOptions(output_dir=tmp_path / "runs", documents=["1"], use_memory=False), listeners=[broken]))
    assert result.status == "completed"
    assert any(e["event"] == "listener_error" and e["on_event"] == "plan_ready" for e in read_trace(result.run_dir / "trace.jsonl"))
