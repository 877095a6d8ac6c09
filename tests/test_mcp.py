"""MCP servers as tool sources: the shipped example server over stdio and streamable HTTP, cited in a run.

The server is `examples/mcp/store_facts_server.py`, the one the README's MCP section runs; its
one tool returns a fact no other source has ("19 minutes per shift"), so finding it cited in
document 1 proves the whole path: config file, session, registry, runner, research log, writer.
A server that crashes on start and one that never answers each cost exactly one warning.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from genai_planner.core.errors import InputError
from genai_planner.tools.mcp import load_mcp_config
from tests.conftest import ROOT, run_offline

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
SERVER = ROOT / "examples" / "mcp" / "store_facts_server.py"
FACT = "19 minutes per shift"
FACT_REF = "ops://surveys/spring-lookups"


def write_config(path: Path, servers: dict) -> Path:
    path.write_text(json.dumps({"mcpServers": servers}), encoding="utf-8")
    return path


def test_bad_config_files_are_one_clear_error(tmp_path):
    cases = {
        "missing.json": None,
        "not_json.json": "{nope",
        "no_servers.json": json.dumps({"servers": {}}),
        "no_command.json": json.dumps({"mcpServers": {"wiki": {"args": []}}}),
        "bad_answers.json": json.dumps({"mcpServers": {"wiki": {"command": "x", "answers": "key_metrics"}}}),
        "bad_url.json": json.dumps({"mcpServers": {"wiki": {"url": "ftp://host/mcp"}}}),
    }
    for name, text in cases.items():
        if text is not None:
            (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_mcp_config(tmp_path / name)
        assert str(err.value).startswith(f"--mcp {tmp_path / name}") and "\n" not in str(err.value), name


def test_config_reads_the_standard_shapes_and_our_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("WIKI_TOKEN", "wiki-secret-2")
    config = write_config(
        tmp_path / "mcp.json",
        {
            "files": {"command": "python", "args": ["server.py"], "env": {"TOKEN": "abc-secret-1"}, "answers": ["2:*"], "timeout": 5},
            "wiki": {"url": "http://127.0.0.1:9/mcp", "headers": {"Authorization": "Bearer ${WIKI_TOKEN}"}},
            "old": {"type": "sse", "url": "http://127.0.0.1:9/sse"},
            "off": {"command": "python", "disabled": True},
        },
    )
    servers = {s.name: s for s in load_mcp_config(config)}
    assert set(servers) == {"files", "wiki", "old"}
    assert servers["files"].connection["transport"] == "stdio" and servers["files"].answers == ("2:*",) and servers["files"].timeout_s == 5
    assert servers["wiki"].connection["transport"] == "streamable_http" and servers["wiki"].answers is None
    assert servers["wiki"].connection["headers"] == {"Authorization": "Bearer wiki-secret-2"}  # ${VAR} from the environment
    assert servers["old"].connection["transport"] == "sse"
    from genai_planner.core.tracing import redact

    assert "abc-secret-1" not in redact("env abc-secret-1") and "wiki-secret-2" not in redact("Bearer wiki-secret-2 x")


def test_the_cli_refuses_a_bad_mcp_file_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from genai_planner.cli import app

    result = CliRunner().invoke(app, ["run", str(SCENARIO), "--engine", "offline", "--mcp", str(tmp_path / "none.json"), "-o", str(tmp_path / "runs")])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: --mcp {tmp_path / 'none.json'}: no such file"
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").glob("*/run.json"))


def _server_processes(marker: str) -> list[int]:
    """Live processes whose command line names `marker` (the test's own copy of the server script)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline and (proc / "status").read_text().find("State:\tZ") < 0:
                pids.append(int(proc.name))
    return pids


def _assert_fact_cited(result, tool: str = "store_facts") -> None:
    events = [json.loads(line) for line in (result.run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    calls = [e for e in events if e["event"] == "tool_call" and e["tool"] == tool]
    assert len(calls) == 1 and calls[0]["error"] is None, calls  # answers: ["problem_statement"] only
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    source = next(s for s in manifest["documents"][0]["sources"] if s["ref"] == FACT_REF)
    assert source["section"] == "problem_statement" and source["kind"] == "tool"
    doc = (result.run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")
    assert FACT in doc and f"[{source['id']}]" in doc and FACT_REF in doc


@pytest.mark.integration
def test_a_stdio_server_answers_its_question_and_broken_servers_cost_one_warning_each(tmp_path, capfd):
    from genai_planner.tools import mcp as mcp_module

    script = tmp_path / "store_facts_server.py"
    shutil.copy(SERVER, script)  # a unique path, to find its processes afterwards
    config = write_config(
        tmp_path / "mcp.json",
        {
            "store-facts": {"command": sys.executable, "args": [str(script)], "answers": ["problem_statement"]},
            "crashing": {"command": sys.executable, "args": [str(script), "--crash"]},
            "silent": {"command": sys.executable, "args": ["-c", "import time; time.sleep(60)"], "timeout": 2},
        },
    )
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False, mcp=config)
    assert result.status in {"completed", "completed_with_failures"}
    _assert_fact_cited(result)
    events = [json.loads(line) for line in (result.run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    warnings = [e for e in events if e["event"] == "mcp_server_unavailable"]
    assert sorted(e["server"] for e in warnings) == ["crashing", "silent"]
    assert all(e["level"] == "warning" and "\n" not in e["message"] for e in warnings)
    assert "timed out" in next(e["error"] for e in warnings if e["server"] == "silent")
    assert "cannot open the operations database" in next(e["message"] for e in warnings if e["server"] == "crashing")  # its stderr, in the one line
    assert "cannot open the operations database" not in capfd.readouterr().err  # not a second line on the console
    # The run's sessions are closed and its server processes gone.
    assert not [k for k in mcp_module._HUBS if k[0] == result.run_id]
    deadline = time.monotonic() + 10
    while _server_processes(str(script)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _server_processes(str(script)) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def http_server():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(SERVER), "--http", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the example server exited: {proc.stderr.read().decode()[-500:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}/mcp", proc
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.integration
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_streamable_http_server_is_listed_and_cited(http_server, tmp_path):
    from typer.testing import CliRunner

    from genai_planner.cli import app

    url, _ = http_server
    config = write_config(tmp_path / "mcp.json", {"store-facts": {"url": url, "answers": ["problem_statement"]}})
    listing = CliRunner().invoke(app, ["tools", "list", "--mcp", str(config)])
    assert listing.exit_code == 0, listing.output
    row = next(line for line in listing.output.splitlines() if "store_facts" in line)
    assert "mcp:store-facts" in row and "researcher" in row

    os.environ.pop("GENAI_PLANNER_MCP", None)
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False, mcp=config)
    assert result.status in {"completed", "completed_with_failures"}
    _assert_fact_cited(result)


def _readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## MCP servers as tools (`--mcp`)\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_example_is_the_shipped_config_and_it_loads(monkeypatch):
    from genai_planner.core.config import RunConfig

    shown = json.loads(re.search(r"```json\n(.*?)\n```", _readme_section(), re.DOTALL)[1])
    assert shown == json.loads((ROOT / "examples" / "mcp" / "mcp.json").read_text(encoding="utf-8"))
    assert [s.origin for s in load_mcp_config(ROOT / "examples" / "mcp" / "mcp.json")] == ["mcp:store-facts"]
    monkeypatch.setenv("GENAI_PLANNER_MCP", "examples/mcp/mcp.json")  # the setting form of --mcp
    assert RunConfig.from_cli().mcp == "examples/mcp/mcp.json"
    assert FACT in SERVER.read_text(encoding="utf-8")


@pytest.mark.integration
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_tools_answer_sync_and_async_and_a_server_that_dies_is_out_with_one_warning(http_server, tmp_path):
    import asyncio

    from langchain_core.tools import ToolException

    from genai_planner.core.tracing import read_trace, trace_run
    from genai_planner.tools.base import ToolContext
    from genai_planner.tools.mcp import close_mcp_servers
    from genai_planner.tools.registry import discover_tools

    url, proc = http_server
    config = write_config(tmp_path / "mcp.json", {"store-facts": {"url": url, "timeout": 5}})
    try:
        tool = next(t.tool for t in discover_tools(ToolContext(mcp_config=str(config), run_id="sync-check")) if t.tool.name == "store_facts")
        for payload in (tool.invoke({"query": "waiting"}), asyncio.run(tool.ainvoke({"query": "waiting"}))):
            assert payload["results"][0]["ref"] == FACT_REF and FACT in payload["results"][0]["text"]
        proc.terminate()
        proc.wait(timeout=10)
        with trace_run("sync-check", tmp_path / "trace.jsonl"):
            for _ in range(2):
                with pytest.raises(ToolException, match="unavailable"):
                    tool.invoke({"query": "waiting"})
        assert [e["server"] for e in read_trace(tmp_path / "trace.jsonl") if e["event"] == "mcp_server_unavailable"] == ["store-facts"]
    finally:
        close_mcp_servers("sync-check")
