"""Run configuration is declared once (RunConfig): the graph's context schema, environment defaults, the CLI's help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.core.config import RunConfig, RunContext
from genai_planner.core.settings import RunOptions


def test_one_class_under_every_name():
    from genai_planner.graph.builder import build_graph

    assert RunContext is RunConfig and RunOptions is RunConfig
    assert build_graph().context_schema is RunConfig


def test_environment_gives_defaults_and_an_explicit_value_wins(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GENAI_PLANNER_MAX_REVISIONS", "5")
    monkeypatch.setenv("GENAI_PLANNER_REVIEW", "plan,documents")
    monkeypatch.setenv("GENAI_PLANNER_USE_MEMORY", "false")
    config = RunConfig()
    assert (config.max_revisions, config.review, config.use_memory) == (5, ("plan", "documents"), False)
    assert config.given("max_revisions") and not config.given("language")
    assert RunConfig(max_revisions=1).max_revisions == 1


def test_fields_the_environment_never_sets(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GENAI_PLANNER_RUN_ID", "shared")
    monkeypatch.setenv("GENAI_PLANNER_MODEL", "gpt-x")  # Settings' global model: per-role settings must still win over it
    monkeypatch.setenv("GENAI_PLANNER_WRAPPERS", "record")
    config = RunConfig()
    assert (config.run_id, config.model, config.wrappers) == ("server", None, ())
    assert RunConfig.env_name("run_id") is None and RunConfig.env_name("max_revisions") == "GENAI_PLANNER_MAX_REVISIONS"


def test_the_cli_reads_dotenv_and_its_flags_win(clean_env: Path):
    (clean_env / ".env").write_text("GENAI_PLANNER_MAX_TOOL_CALLS=9\nGENAI_PLANNER_MAX_REVISIONS=50\nGENAI_PLANNER_HOME=elsewhere\n")
    config = RunConfig.from_cli(max_revisions=2, engine=None)
    assert (config.max_tool_calls, config.max_revisions, config.given("engine")) == (9, 2, False)


def test_cli_help_comes_from_the_fields():
    result = CliRunner().invoke(app, ["run", "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    for name in ("max_revisions", "max_tool_calls", "max_tokens", "review"):
        assert RunConfig.model_fields[name].description.rstrip(".") in result.stdout, name
        assert RunConfig.env_name(name) in result.stdout


def test_an_environment_language_beats_the_scenario_and_a_flag_beats_both(monkeypatch: pytest.MonkeyPatch, clean_env: Path):
    monkeypatch.setenv("GENAI_PLANNER_LANGUAGE", "ko")
    runner = CliRunner()
    for flags, expected in (([], "ko"), (["--lang", "en"], "en")):
        out = clean_env / f"runs-{expected}-{len(flags)}"
        result = runner.invoke(app, ["run", "--example", "electronics_store", "--documents", "1", "--no-memory", "-o", str(out), *flags])
        assert result.exit_code in (0, 1), result.output  # the run finished (a translated scenario may fail a check)
        (manifest,) = out.glob("*/manifest.json")
        assert json.loads(manifest.read_text(encoding="utf-8"))["language"] == expected
