"""The tool boundary: plugins, user documents, failing tools, web search without key or network."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from genai_planner.agents.context import clear_tool_cache
from genai_planner.tools.base import ToolContext
from genai_planner.tools.registry import discover_tools
from genai_planner.tools.runner import register_tool_hook, unregister_tool_hook
from tests.conftest import ROOT, run_offline

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
PLUGIN = Path(__file__).parent / "plugin_pkg"


def _events(run_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A temporary distribution declaring a `genai_planner.tools` entry point, on sys.path."""
    site = tmp_path / "site"
    dist = site / "planner_crm_plugin-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: planner-crm-plugin\nVersion: 0.1\n")
    shutil.copy(PLUGIN / "entry_points.txt", dist / "entry_points.txt")
    shutil.copy(PLUGIN / "planner_crm_plugin.py", site / "planner_crm_plugin.py")
    monkeypatch.syspath_prepend(str(site))
    clear_tool_cache()
    yield
    clear_tool_cache()
    sys.modules.pop("planner_crm_plugin", None)


def test_builtin_tools_register_through_entry_points():
    tools = {t.tool.name: t for t in discover_tools(ToolContext())}
    assert {"knowledge_search", "model_catalog", "web_search", "user_documents"} <= set(tools)
    assert all(t.origin.startswith("genai-planner:genai_planner.tools.") for t in tools.values())
    assert tools["knowledge_search"].agents == ("researcher",)


def test_plugin_tool_is_called_and_reaches_the_sources(installed_plugin, tmp_path):
    from typer.testing import CliRunner

    from genai_planner.cli import app

    listing = CliRunner().invoke(app, ["tools", "list"])
    assert "crm_lookup" in listing.output and "planner-crm-plugin" in listing.output
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    assert result.status == "completed"
    calls = [e for e in _events(result.run_dir) if e["event"] == "tool_call" and e["tool"] == "crm_lookup"]
    assert calls and not calls[0]["error"]
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    refs = {s["ref"]: s["id"] for s in manifest["documents"][0]["sources"]}
    assert "crm://reports/weekly" in refs
    doc = (result.run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")
    assert f"[{refs['crm://reports/weekly']}]" in doc and "crm://reports/weekly" in doc


def test_tool_access_is_configurable(installed_plugin, monkeypatch):
    monkeypatch.setenv("GENAI_PLANNER_TOOL_ACCESS", "researcher=knowledge_search,model_catalog;writer=crm_lookup")
    tools = {t.tool.name: t.agents for t in discover_tools(ToolContext())}
    assert tools["crm_lookup"] == ("writer",)
    assert tools["web_search"] == ()


def test_user_documents_are_searched_and_cited(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "returns.md").write_text(
        "# Returns policy\n\nRetail returns for store staff product questions.\n\n"
        "- Customers may return unopened products within thirty days with a receipt.\n",
        encoding="utf-8",
    )
    clear_tool_cache()
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False, docs_dir=docs)
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert any(s["ref"].startswith("docs/returns.md") for s in manifest["documents"][0]["sources"])
    assert "thirty days" in (result.run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")


def test_a_raising_tool_becomes_a_message_and_the_run_completes(tmp_path):
    def boom(tool: str, args: dict) -> None:
        if tool == "knowledge_search" and "executives" in str(args.get("query", "")).lower():
            raise ConnectionError("knowledge service unreachable")

    register_tool_hook("boom", boom)
    try:
        result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    finally:
        unregister_tool_hook("boom")
    assert result.status == "completed"
    errors = [e for e in _events(result.run_dir) if e["event"] == "tool_call" and e["error"]]
    assert errors and "knowledge service unreachable" in errors[0]["error"]
    assert result.manifest["totals"]["tool_errors"] == len(errors)


def test_web_search_without_a_key_says_so_and_the_run_goes_on(tmp_path):
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    web = [e for e in _events(result.run_dir) if e["event"] == "tool_call" and e["tool"] == "web_search"]
    assert web and not web[0]["error"] and web[0]["sources"] == []
    assert result.status == "completed"


def test_web_search_with_the_network_down_and_the_key_never_leaks(tmp_path, monkeypatch):
    planted = "tvly-PLANTEDSECRET0123456789"
    monkeypatch.setenv("TAVILY_API_KEY", planted)
    monkeypatch.setenv("TAVILY_BASE_URL", "http://127.0.0.1:9")  # closed loopback port; sockets are blocked anyway
    clear_tool_cache()
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    clear_tool_cache()
    assert result.status == "completed"
    web = [e for e in _events(result.run_dir) if e["event"] == "tool_call" and e["tool"] == "web_search"]
    assert web and web[0]["sources"] == []
    for path in result.run_dir.rglob("*"):
        if path.is_file():
            assert planted not in path.read_text(encoding="utf-8", errors="replace"), path
