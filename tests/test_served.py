"""A run driven the way LangGraph Server drives it leaves the CLI's run folder (issue 29, item 6).

In process: `run/served.py`'s graph (its last node writes the folder) under an in-memory
store, no checkpointer, a thread id and a context that leaves the run id open, as the
server passes them. tests/test_server.py does the same through a real `langgraph dev`.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from langgraph.store.memory import InMemoryStore

from genai_planner.core.errors import InputError
from genai_planner.core.scenario import load_scenario
from genai_planner.core.tracing import route_unclaimed_runs
from genai_planner.graph.builder import RECURSION_LIMIT, build_graph
from genai_planner.run.export import export_run
from genai_planner.run.inspection import list_runs
from genai_planner.run.runner import resume_planning

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The server entry with its run home in tmp_path; unclaimed runs' events stop going anywhere afterwards."""
    from genai_planner.run import served as module

    traces = module.ServerTraces(tmp_path / "home")
    monkeypatch.setattr(module, "TRACES", traces)
    route_unclaimed_runs(traces.sink_for)
    yield module
    route_unclaimed_runs(None)


def test_a_server_run_writes_the_cli_run_folder(served, tmp_path: Path) -> None:
    home = tmp_path / "home"
    graph = build_graph(finish=served.record_run).compile(store=InMemoryStore())
    scenario = load_scenario(ROOT / "scenarios" / "electronics_store.yaml").model_dump(mode="json")
    scenario["documents"] = ["1", "2"]
    config = {"configurable": {"thread_id": "thread-7f3a"}, "recursion_limit": RECURSION_LIMIT}
    final = asyncio.run(graph.ainvoke({"scenario": scenario}, config, context={"use_memory": False, "engine": "offline"}))
    assert final["status"] == "completed"

    run_dir = home / "thread-7f3a"  # no run id given: the thread's id names the folder
    for name in ("run.json", "manifest.json", "report.html", "trace.jsonl", "01_use_case_selection.md", "02_model_selection.md"):
        assert (run_dir / name).is_file(), f"no {name} in {sorted(p.name for p in run_dir.iterdir())}"
    saved = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert saved["origin"] == "langgraph-server" and saved["thread_id"] == "thread-7f3a"
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in manifest["documents"]] == ["passed", "passed"]
    assert manifest["totals"]["llm_calls"] > 0, "the server run's trace (model calls) reached its folder"
    assert manifest["wall_seconds"] > 0
    events = [json.loads(line)["event"] for line in (run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "node_start" in events and events[-1] == "run_end"

    rows = list_runs(home)
    assert [(r["run_id"], r["status"], r["passed"]) for r in rows] == [("thread-7f3a", "completed", "2/2")]
    exported = export_run(run_dir, "md", tmp_path / "plan.md")
    assert manifest["documents"][0]["title"] in exported.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="LangGraph Server"):
        asyncio.run(resume_planning("thread-7f3a", home))
