"""Shared fixtures: a clean environment (no keys, no .env), and one offline run per scenario."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
ENV_PREFIXES = ("OPENAI_", "TAVILY_", "GENAI_PLANNER_", "LANGSMITH_", "LANGCHAIN_", "OTEL_")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No keys, no endpoints, no developer .env; fast retries; run in a temporary folder."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIXES):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GENAI_PLANNER_RETRY_BASE_S", "0.001")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_offline(scenario: Path, output_dir: Path, **options: object):
    """One offline planning run (the same entry point the CLI uses)."""
    from genai_planner.core.scenario import load_scenario
    from genai_planner.core.settings import RunOptions
    from genai_planner.run.runner import run_planning

    return asyncio.run(run_planning(load_scenario(scenario), RunOptions(output_dir=output_dir, **options)))


@pytest.fixture(scope="session")
def offline_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Every shipped scenario run once offline, with memory off so runs are independent."""
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith(ENV_PREFIXES)}
    try:
        out = tmp_path_factory.mktemp("runs")
        return {s.stem: run_offline(s, out, use_memory=False) for s in SCENARIOS}
    finally:
        os.environ.update(saved)
