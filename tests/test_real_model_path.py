"""The real-model path: ChatOpenAI over real HTTP to a local OpenAI-compatible server.

The server (tests/fake_openai.py) runs on 127.0.0.1 and answers with the offline engine,
with the quirks of weak open models switched on, so the structured-output fallbacks,
retries, budgets and record/replay are exercised through the real client.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from tests.conftest import ROOT, run_offline
from tests.fake_openai import FakeOpenAI

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
DOCS = ["01_use_case_selection.md", "02_model_selection.md", "03_performance_improvement.md", "04_evaluation_framework.md", "05_deployment_plan.md"]
pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]


def _point_at(monkeypatch, server: FakeOpenAI) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-PLANTEDKEY-1234567890")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("GENAI_PLANNER_MODEL", "local")
    monkeypatch.setenv("GENAI_PLANNER_MAX_RETRIES", "2")  # our retry loop (ChatOpenAI itself never retries)


def _events(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]


def test_chatopenai_run_with_weak_model_quirks_records_and_replays(tmp_path, monkeypatch):
    with FakeOpenAI(quirks={"think", "json_in_text"}) as server:
        _point_at(monkeypatch, server)
        result = run_offline(SCENARIO, tmp_path / "runs", use_memory=False)
        requests = len(server.requests)
    assert result.engine == "openai" and result.manifest["model"] == "local"
    assert result.status == "completed", result.manifest
    events = _events(result.run_dir)
    llm = [e for e in events if e["event"] == "llm_call"]
    assert requests == len(llm) + sum(1 for e in events if e["event"] == "llm_error")
    assert {e["agent"] for e in llm} == {"planner", "researcher", "writer", "reviewer"}
    fallbacks = [e for e in events if e["event"] == "structured_fallback"]
    assert fallbacks and all(e["stage"] == "json_text" for e in fallbacks)
    totals = result.manifest["totals"]
    assert totals["input_tokens"] == sum(e["input_tokens"] for e in llm) > 0
    assert "<think>" not in (result.run_dir / DOCS[0]).read_text(encoding="utf-8")
    assert (result.run_dir / "recording" / "models.jsonl").stat().st_size > 0

    # Replay: no server, sockets blocked again by pytest-socket's default for new connections.
    replayed = CliRunner().invoke(app, ["replay", result.run_id, "-o", str(tmp_path / "runs")])
    assert replayed.exit_code == 0, replayed.output
    replay_dir = next(p for p in (tmp_path / "runs").iterdir() if p.name.startswith(result.run_id + "-replay"))
    for doc in DOCS:
        assert (replay_dir / doc).read_bytes() == (result.run_dir / doc).read_bytes(), doc
    for path in result.run_dir.rglob("*"):
        if path.is_file():
            assert "PLANTEDKEY" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_broken_tool_arguments_are_repaired_or_reasked(tmp_path, monkeypatch):
    with FakeOpenAI(quirks={"broken_args"}) as server:
        _point_at(monkeypatch, server)
        result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    assert result.status == "completed"
    assert any(e["event"] == "structured_fallback" for e in _events(result.run_dir))


def test_server_errors_are_retried(tmp_path, monkeypatch):
    with FakeOpenAI(fail_every=7) as server:
        _point_at(monkeypatch, server)
        result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    errors = [e for e in _events(result.run_dir) if e["event"] == "llm_error"]
    assert errors and result.status == "completed"


def test_token_budget_stops_the_run_cleanly(tmp_path, monkeypatch):
    with FakeOpenAI() as server:
        _point_at(monkeypatch, server)
        result = CliRunner().invoke(app, ["run", str(SCENARIO), "--max-tokens", "30000", "--no-memory", "-o", str(tmp_path / "runs")])
    assert result.exit_code == 1, result.output
    run_dir = next(p for p in (tmp_path / "runs").iterdir() if p.is_dir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "budget_exhausted" and "token budget" in manifest["reason"]
    statuses = {d["id"]: d["status"] for d in manifest["documents"]}
    assert "not_done" in statuses.values()
    for doc in manifest["documents"]:
        if doc["status"] == "passed":
            assert (run_dir / doc["file"]).exists()
