"""The brief reaches the user and the run: printed first, in the manifest, and loud when the planner falls back."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.models.factory import register_engine, unregister_engine
from genai_planner.models.offline import OfflineChatModel
from tests.conftest import ROOT

HOSPITAL = ROOT / "scenarios" / "hospital_discharge_ko.yaml"
LAW_FIRM = ROOT / "scenarios" / "law_firm_contracts.yaml"


class BrokenPlanner(OfflineChatModel):
    """The offline engine, except that every structured reply of the planner is unusable."""

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        choice = kwargs.get("tool_choice")
        forced = choice.get("function", {}).get("name") if isinstance(choice, dict) else choice
        prompt = "\n".join(str(m.content) for m in messages)
        if forced in {"Brief", "Plan"} or ("<json_schema>" in prompt and ('"title": "Plan"' in prompt or '"title": "Brief"' in prompt)):
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content="not json at all"))])
        return super()._generate(messages, stop, run_manager, **kwargs)


def test_the_run_prints_what_it_understood_with_the_evidence_before_any_document(tmp_path):
    result = CliRunner().invoke(app, ["run", str(LAW_FIRM), "--documents", "1", "--no-memory", "-o", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    understood = result.output.index("Understood:")
    assert understood < result.output.index("[1] started")
    block = result.output[understood : result.output.index("[1] started")]
    assert "data residency: on premises" in block and "stated" in block
    assert "hardware: 2 x" in block
    manifest = json.loads(next((tmp_path / "runs").glob("*/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["plan_source"] == "model"
    assert manifest["brief"]["constraints"]["data_residency"]["value"] == "on_premises"
    assert manifest["figures"]["recommended"]


def test_a_planner_fallback_is_loud_and_the_rules_brief_still_drives_the_run(tmp_path):
    register_engine("broken-planner", lambda role, ctx, settings: BrokenPlanner())
    try:
        result = CliRunner().invoke(
            app, ["run", str(HOSPITAL), "--engine", "broken-planner", "--documents", "1", "--no-memory", "-o", str(tmp_path / "runs")]
        )
    finally:
        unregister_engine("broken-planner")
    assert "경고" in result.output or "warning" in result.output, result.output
    manifest = json.loads(next((tmp_path / "runs").glob("*/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["plan_source"] == "fallback"
    assert manifest["brief"]["constraints"]["data_residency"]["value"] == "on_premises", "the rule-based brief stands"
    assert all(g["passed"] is False for g in manifest["figures"]["gates"] if g["model"] == "GPT-4o")


def test_a_scenario_without_organisation_or_stakeholders_runs_with_stated_assumptions(tmp_path):
    scenario = tmp_path / "short.yaml"
    scenario.write_text("name: short\nuse_case: We want an assistant that drafts replies to customer emails.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(scenario), "--documents", "1", "--no-memory", "-o", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    assert "assumed:" in result.output
    manifest = json.loads(next((tmp_path / "runs").glob("*/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["plan_source"] == "model" and manifest["brief"]["organisation"]["value"]
