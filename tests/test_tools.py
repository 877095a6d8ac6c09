"""The tool boundary: plugins, user documents, failing tools, web search without key or network."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from langchain_core.messages import ToolMessage
from langchain_core.tools import tool

from genai_planner.agents.context import clear_tool_cache
from genai_planner.models.factory import register_engine, unregister_engine
from genai_planner.models.offline import OfflineChatModel
from genai_planner.models.offline.protocol import json_block
from genai_planner.tools.base import ToolContext
from genai_planner.tools.registry import answers_question, declared_answers, discover_tools
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


class PromptRecorder(OfflineChatModel):
    """The offline engine, keeping every prompt it is given."""

    prompts: list[str] = []

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        PromptRecorder.prompts.append("\n\n".join(str(m.content) for m in messages if not isinstance(m, ToolMessage)))
        return super()._generate(messages, stop, run_manager, **kwargs)


def test_builtin_tools_register_through_entry_points():
    tools = {t.tool.name: t for t in discover_tools(ToolContext())}
    assert {"knowledge_search", "model_catalog", "web_search", "user_documents"} <= set(tools)
    assert all(t.origin.startswith("genai-planner:genai_planner.tools.") for t in tools.values())
    assert tools["knowledge_search"].agents == ("researcher",)
    answers = {name: declared_answers(t.tool) for name, t in tools.items()}
    assert answers == {"knowledge_search": [], "model_catalog": [], "web_search": ["domain"], "user_documents": []}
    with_docs = {t.tool.name: t.tool for t in discover_tools(ToolContext(docs_dir=Path("docs")))}
    assert declared_answers(with_docs["user_documents"]) == ["*"]


def test_answers_patterns_match_sections_and_documents():
    @tool
    def probe(query: str) -> str:
        """Probe."""
        return query

    assert answers_question(probe, "1", "key_metrics")  # nothing declared: every question
    probe.metadata = {"answers": ["key_*", "2:*", "domain"]}
    assert answers_question(probe, "1", "key_metrics") and answers_question(probe, "2", "rubric") and answers_question(probe, "4", "domain")
    assert not answers_question(probe, "1", "requirements")
    probe.metadata = {"answers": []}
    assert not answers_question(probe, "1", "key_metrics")


def test_plugins_get_the_planned_questions_of_their_sections_and_are_cited(installed_plugin, tmp_path):
    from typer.testing import CliRunner

    from genai_planner.cli import app

    listing = CliRunner().invoke(app, ["tools", "list"])
    assert "crm_lookup" in listing.output and "crm_metrics" in listing.output and "planner-crm-plugin" in listing.output
    PromptRecorder.prompts = []
    register_engine("recording-offline", lambda role, ctx, settings: PromptRecorder())
    try:
        result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False, engine="recording-offline")
    finally:
        unregister_engine("recording-offline")
    assert result.status in {"completed", "completed_with_failures"}  # routing and citation are the point here
    events = _events(result.run_dir)
    calls = [e for e in events if e["event"] == "tool_call" and e["tool"] in {"crm_lookup", "crm_metrics"}]
    assert calls and not any(e["error"] for e in calls)
    assert not [e for e in events if e["event"] == "tool_warning"]

    # Each plugin got the planned question of every section it answers, not one sector string.
    research = next(p for p in PromptRecorder.prompts if "<research_questions>" in p)
    questions = json_block(research, "research_questions")
    plugin = sys.modules["planner_crm_plugin"]
    assert sorted(plugin.CALLS) == sorted(q["question"] for q in questions)
    assert plugin.METRIC_CALLS == [q["question"] for q in questions if q["section"] == "key_metrics"]
    assert all({"crm_lookup", "web_search"} <= set(q["tools"]) and "crm_metrics" not in q["tools"] for q in questions if q["section"] == "domain")

    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    by_ref = {s["ref"]: s for s in manifest["documents"][0]["sources"]}
    assert by_ref["crm://reports/weekly"]["section"] == questions[0]["section"]
    metrics = next(s for ref, s in by_ref.items() if ref.startswith("tool:crm_metrics#"))
    assert (metrics["kind"], metrics["section"], metrics["title"]) == ("tool", "key_metrics", "crm_metrics result")
    # The writer of the key-metrics sub-task sees the plain-text result in its <findings>, under its section.
    tag = f'<source id="{metrics["id"]}" section="key_metrics" kind="tool" ref="{metrics["ref"]}">'
    assert any(tag in p and "First-contact resolution was 71 percent" in p for p in PromptRecorder.prompts if "<findings>" in p)
    doc = (result.run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")
    weekly = by_ref["crm://reports/weekly"]["id"]
    assert f"[{weekly}]" in doc and "crm://reports/weekly" in doc


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
    (docs / "service_levels.md").write_text(
        "# Service levels\n\n- Non-functional: latency under three seconds, availability of 99.5 percent, security review before launch.\n",
        encoding="utf-8",
    )
    clear_tool_cache()
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False, docs_dir=docs)
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    sources = {s["ref"]: s for s in manifest["documents"][0]["sources"]}
    # The policy that answers the requirements question is found by that question, and filed under it.
    levels = sources["docs/service_levels.md#part1"]
    assert levels["section"] == "requirements"
    doc = (result.run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")
    assert "latency under three seconds" in doc and f"[{levels['id']}]" in doc


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
