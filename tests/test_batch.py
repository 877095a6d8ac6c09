"""Batch runs: bounded concurrency, one run directory per scenario, failures stay local."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from genai_planner.cli import app
from tests.conftest import SCENARIOS


def test_batch_runs_every_scenario_and_a_bad_one_does_not_stop_the_others(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    copied = [s for s in SCENARIOS if "ko" not in s.stem]
    for s in copied:
        shutil.copy(s, folder / s.name)
    (folder / "zz_broken.yaml").write_text("name: broken\n", encoding="utf-8")
    out = tmp_path / "runs"
    result = CliRunner().invoke(app, ["batch", str(folder), "--concurrency", "2", "--no-memory", "-o", str(out)])
    assert result.exit_code == 1, result.output  # the broken scenario makes the batch non-green
    assert "zz_broken.yaml" in result.output and "invalid" in result.output
    assert result.output.count("completed") >= len(copied)
    run_dirs = [p for p in out.iterdir() if p.is_dir()]
    assert len(run_dirs) == len(copied)
    for run_dir in run_dirs:
        assert (run_dir / "manifest.json").exists() and (run_dir / "05_deployment_plan.md").exists()


def test_batch_rejects_a_folder_without_scenarios(tmp_path):
    result = CliRunner().invoke(app, ["batch", str(tmp_path)])
    assert result.exit_code == 2 and "no .yaml scenarios" in result.stderr
