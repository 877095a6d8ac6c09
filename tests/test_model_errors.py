"""Model errors, classified: a wrong key, a forbidden or unknown model and a prompt beyond the
context fail fast with one line (exit 2) and are never retried; timeouts, 429 and 5xx are
retried with backoff. Real HTTP through langchain-openai to the loopback fake server.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.core.tracing import read_trace
from tests.conftest import ROOT, run_offline
from tests.fake_openai import FakeOpenAI

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
pytestmark = [pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]


def _point_at(monkeypatch, server: FakeOpenAI) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-PLANTEDKEY-1234567890")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("GENAI_PLANNER_MODEL", "local")
    monkeypatch.setenv("GENAI_PLANNER_MAX_RETRIES", "3")


def _events(run_dir: Path, kind: str) -> list[dict]:
    return [e for e in read_trace(run_dir / "trace.jsonl") if e["event"] == kind]


FATAL = {
    401: "rejected the API key",
    403: "may not use model 'local'",
    404: "model 'local' was not found",
    400: "does not fit model 'local''s context window",
}


@pytest.mark.parametrize("status", sorted(FATAL))
def test_configuration_errors_fail_fast_with_one_line_and_exit_2(tmp_path, monkeypatch, status):
    at = 1 if status != 400 else 3  # the context-length error comes later in the run, after work was done
    with FakeOpenAI(errors={at: status}) as server:
        _point_at(monkeypatch, server)
        started = time.monotonic()
        result = CliRunner().invoke(app, ["run", str(SCENARIO), "--documents", "1", "--no-memory", "-o", str(tmp_path / "runs")])
        elapsed = time.monotonic() - started
        requests = len(server.requests)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and FATAL[status] in lines[0], result.stderr
    assert "Traceback" not in result.output and "PLANTEDKEY" not in result.output
    assert requests == at, f"retried a {status}: {requests} requests"
    assert elapsed < 30
    run_dir = next(p for p in (tmp_path / "runs").iterdir() if p.is_dir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "error" and FATAL[status] in manifest["reason"]
    errors = _events(run_dir, "llm_error")
    assert [e["status"] for e in errors] == [status] and errors[0]["retry"] is False


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limits_and_server_errors_are_retried_with_backoff(tmp_path, monkeypatch, status):
    with FakeOpenAI(errors={1: status, 2: status}) as server:
        _point_at(monkeypatch, server)
        result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
        requests = len(server.requests)
    assert result.status == "completed"
    errors = _events(result.run_dir, "llm_error")
    assert [(e["status"], e["retry"], e["attempt"]) for e in errors] == [(status, True, 1), (status, True, 2)]
    assert requests == len(_events(result.run_dir, "llm_call")) + 2


def test_a_timeout_is_retried(tmp_path, monkeypatch):
    with FakeOpenAI(slow={1: 3.0}) as server:
        _point_at(monkeypatch, server)
        monkeypatch.setenv("GENAI_PLANNER_TIMEOUT_S", "1")
        result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    assert result.status == "completed"
    errors = _events(result.run_dir, "llm_error")
    assert len(errors) == 1 and errors[0]["status"] is None and errors[0]["retry"] is True
    assert "Timeout" in errors[0]["error"]


def test_another_client_error_fails_that_call_without_retrying(tmp_path, monkeypatch):
    with FakeOpenAI(errors={1: 422}) as server:
        _point_at(monkeypatch, server)
        result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    errors = _events(result.run_dir, "llm_error")
    assert [(e["status"], e["retry"]) for e in errors] == [(422, False)]
    assert result.status == "completed"  # the planner fell back to JSON in text on the next request
