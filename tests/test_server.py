"""The planning graph on LangGraph Server: `langgraph dev` serves `langgraph.json`'s "planner".

Starts a real `langgraph dev` on 127.0.0.1 (no analytics, no version check, no browser, no
reload, log outside the project), drives one complete offline planning run through the
official `langgraph_sdk` client (then a review pause, then two threads at once that must not
share a memory namespace), and stops the server by its process group.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.components import require

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
READY_TIMEOUT_S = 90.0
RUN_TIMEOUT_S = 180.0
MOVED_PORT = re.compile(r"already in use, using port (\d+) instead")
ALLOW_BLOCKING = False
"""The server runs strict (blocking calls in async nodes fail), so a new blocking call fails this test."""


def _langgraph_cli() -> str | None:
    """The `langgraph` executable: next to this interpreter (the venv) first, then on PATH."""
    beside = Path(sys.executable).with_name("langgraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("langgraph")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(log: Path, chars: int = 6000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return "<no server log>"


def _wait_until_ready(proc: subprocess.Popen, url: str, log: Path) -> str:
    """Poll `/ok` until it answers; return the server's URL.

    `langgraph dev` silently moves to another port when the chosen one was taken meanwhile:
    follow it (its log says so).
    """
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"langgraph dev exited ({proc.returncode}) before it was ready:\n{_log_tail(log)}"
            )
        moved = MOVED_PORT.search(_log_tail(log, 20000))
        if moved:
            url = f"http://127.0.0.1:{moved.group(1)}"
        try:
            with urllib.request.urlopen(f"{url}/ok", timeout=2) as resp:
                if resp.status == 200:
                    return url
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"langgraph dev not ready within {READY_TIMEOUT_S:.0f} s:\n{_log_tail(log)}")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group by its PID: SIGTERM, then SIGKILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.mark.integration
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_langgraph_dev_serves_a_complete_planning_run(tmp_path: Path) -> None:
    """Thread → streamed run (updates) → final state: all five documents passed."""
    cli = _langgraph_cli()
    if cli is None:
        require("langgraph CLI", "the `langgraph` CLI is not installed (pip install -e '.[dev]')")
    if importlib.util.find_spec("langgraph_api") is None:
        require("langgraph-api", "`langgraph dev` needs langgraph-cli[inmem] (pip install -e '.[dev]')")
    from langgraph_sdk import get_sync_client

    from genai_planner.core.scenario import load_scenario
    from genai_planner.graph.builder import RECURSION_LIMIT

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "langgraph-dev.log"  # outside the project: the dev server watches its tree
    env = {
        **os.environ,
        "LANGGRAPH_CLI_NO_ANALYTICS": "1",
        "LANGGRAPH_NO_VERSION_CHECK": "1",
        "LANGSMITH_TRACING": "false",
        "PYTHONUNBUFFERED": "1",
        "GENAI_PLANNER_HOME": str(tmp_path / "home"),  # the server's run home: where its runs write their folders
    }
    cmd = [cli, "dev", "--no-browser", "--no-reload", "--host", "127.0.0.1", "--port", str(port)]
    if ALLOW_BLOCKING:
        cmd.append("--allow-blocking")

    started = time.monotonic()
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = _wait_until_ready(proc, url, log)
        ready_s = time.monotonic() - started

        client = get_sync_client(url=url, timeout=RUN_TIMEOUT_S)
        thread = client.threads.create()
        scenario = load_scenario(SCENARIO).model_dump(mode="json")
        run_id = f"server-{uuid.uuid4().hex[:12]}"
        nodes: list[str] = []
        errors: list[object] = []
        for part in client.runs.stream(
            thread["thread_id"],
            "planner",
            input={"scenario": scenario},
            context={"run_id": run_id, "use_memory": False},
            config={"recursion_limit": RECURSION_LIMIT},
            stream_mode="updates",
        ):
            if part.event == "updates":
                nodes.extend(part.data.keys())
            elif part.event == "error":
                errors.append(part.data)
        assert not errors, f"the run failed on the server: {errors}\n{_log_tail(log)}"
        for node in (
            "plan_run",
            "research_document",
            "draft_document",
            "review_document",
            "finalize_run",
        ):
            assert node in nodes, f"no streamed update from {node!r}; got {nodes}"

        state = client.threads.get_state(thread["thread_id"])["values"]
        statuses = {doc_id: doc.get("status") for doc_id, doc in state.get("documents", {}).items()}
        assert statuses == dict.fromkeys(("1", "2", "3", "4", "5"), "passed"), statuses
        assert state["status"] == "completed"
        assert state["plan"]
        # The run left the CLI's run folder under the server's run home: listed, shown, exported.
        home = tmp_path / "home"
        run_dir = home / run_id
        for name in ("run.json", "manifest.json", "report.html", "trace.jsonl", "01_use_case_selection.md", "05_deployment_plan.md"):
            assert (run_dir / name).is_file(), f"the server run wrote no {name} in {home}"
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["status"] == "completed" and manifest["totals"]["llm_calls"] > 0
        cli_env = {**env, "COLUMNS": "200"}
        listed = subprocess.run([sys.executable, "-m", "genai_planner.cli", "runs", "-o", str(home)], capture_output=True, text=True, env=cli_env, timeout=120)
        assert listed.returncode == 0 and run_id in listed.stdout, listed.stdout + listed.stderr
        exported = subprocess.run(
            [sys.executable, "-m", "genai_planner.cli", "export", run_id, "-o", str(home), "--format", "md", "--out", str(tmp_path / "plan.md")],
            capture_output=True, text=True, env=cli_env, timeout=120,
        )
        assert exported.returncode == 0 and (tmp_path / "plan.md").is_file(), exported.stdout + exported.stderr
        # A review pause surfaces as an interrupt that the client resumes with Command(resume=...).
        paused = client.threads.create()
        one_doc = {**scenario, "documents": ["1"]}
        review_ctx = {"run_id": f"server-{uuid.uuid4().hex[:12]}", "use_memory": False, "review": ["plan"]}
        for _ in client.runs.stream(paused["thread_id"], "planner", input={"scenario": one_doc}, context=review_ctx,
                                    config={"recursion_limit": RECURSION_LIMIT}, stream_mode="updates"):
            pass
        waiting = client.threads.get_state(paused["thread_id"])
        interrupts = [i for task in waiting["tasks"] for i in task.get("interrupts", [])]
        assert interrupts and interrupts[0]["value"]["kind"] == "plan", waiting["tasks"]
        for _ in client.runs.stream(paused["thread_id"], "planner", command={"resume": {"action": "accept"}}, context=review_ctx,
                                    config={"recursion_limit": RECURSION_LIMIT}, stream_mode="updates"):
            pass
        resumed = client.threads.get_state(paused["thread_id"])["values"]
        assert resumed["status"] == "completed" and resumed["human_decisions"][0]["action"] == "accept"
        # Two threads at once whose context names no run_id: each gets its own decisions
        # namespace, keyed by its thread id (they used to share run_id "server").
        threads = [client.threads.create()["thread_id"] for _ in range(2)]
        runs = [
            client.runs.create(t, "planner", input={"scenario": one_doc}, context={"use_memory": False}, config={"recursion_limit": RECURSION_LIMIT})
            for t in threads
        ]
        for t, r in zip(threads, runs, strict=True):
            client.runs.join(t, r["run_id"])
            assert client.threads.get_state(t)["values"]["status"] == "completed"
        namespaces = {tuple(ns) for ns in client.store.list_namespaces(prefix=["runs"], limit=1000)["namespaces"]}
        assert {("runs", t, "decisions") for t in threads} <= namespaces, namespaces
        assert ("runs", "server", "decisions") not in namespaces
        run_s = time.monotonic() - started - ready_s
        print(f"\nlanggraph dev ready in {ready_s:.1f} s; run + final state in {run_s:.1f} s")
    except BaseException:
        print(f"\n--- langgraph dev log tail ({log}) ---\n{_log_tail(log)}")
        raise
    finally:
        _stop(proc)
