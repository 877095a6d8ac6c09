"""Batch runs: bounded concurrency, one run directory per scenario, failures stay local."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3

from typer.testing import CliRunner

from genai_planner.cli import app
from tests.conftest import SCENARIOS


def test_batch_runs_every_scenario_and_a_bad_one_does_not_stop_the_others(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for s in SCENARIOS:
        if "ko" not in s.stem:
            shutil.copy(s, folder / s.name)
    (folder / "zz_broken.yaml").write_text("name: broken\n", encoding="utf-8")
    out = tmp_path / "runs"
    result = CliRunner().invoke(app, ["batch", str(folder), "--concurrency", "2", "--no-memory", "-o", str(out)])
    assert result.exit_code == 1, result.output  # the broken scenario makes the batch non-green
    assert "zz_broken.yaml" in result.output and "invalid" in result.output
    assert result.output.count("completed") >= 3
    run_dirs = [p for p in out.iterdir() if p.is_dir()]
    assert len(run_dirs) == 3
    for run_dir in run_dirs:
        assert (run_dir / "manifest.json").exists() and (run_dir / "05_deployment_plan.md").exists()


def test_batch_rejects_a_folder_without_scenarios(tmp_path):
    result = CliRunner().invoke(app, ["batch", str(tmp_path)])
    assert result.exit_code == 2 and "no .yaml scenarios" in result.stderr


def test_batch_over_two_worker_processes_keeps_rows_in_order_and_failures_local(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    names = []
    for s in SCENARIOS:
        if "ko" not in s.stem:
            shutil.copy(s, folder / s.name)
            names.append(s.name)
    (folder / "aa_broken.yaml").write_text("use_case: [not, text]\n", encoding="utf-8")
    out = tmp_path / "runs"
    result = CliRunner().invoke(app, ["batch", str(folder), "--concurrency", "4", "--workers", "2", "--no-memory", "-o", str(out)])
    assert result.exit_code == 1, result.output
    progress = [line for line in result.output.splitlines() if line.startswith("[")]
    assert len(progress) == len(names) + 1 and progress[-1].startswith(f"[{len(names) + 1}/{len(names) + 1}]")
    assert result.output.count("completed") >= len(names) and "invalid" in result.output
    manifests = [json.loads(p.read_text()) for p in out.glob("*/manifest.json")]
    assert sorted(m["status"] for m in manifests) == ["completed"] * len(names)
    # Both workers wrote into the one output directory: one checkpoint database, one thread per run.
    with sqlite3.connect(out / "checkpoints.sqlite") as conn:
        threads = {row[0] for row in conn.execute("SELECT DISTINCT thread_id FROM checkpoints")}
    assert threads == {m["run_id"] for m in manifests}


def test_default_workers_add_a_process_per_eight_runs_up_to_the_cores(monkeypatch):
    from genai_planner import batch

    monkeypatch.setattr(batch.os, "cpu_count", lambda: 2)
    assert batch.default_workers(4, 20) == 1
    assert batch.default_workers(16, 20) == 2
    assert batch.default_workers(64, 64) == 2
    assert batch.default_workers(16, 3) == 1


def test_run_batch_rows_follow_the_folder_order_whichever_worker_ran_them(tmp_path):
    from genai_planner.batch import run_batch, scenario_files
    from genai_planner.settings import RunOptions

    folder = tmp_path / "scenarios"
    folder.mkdir()
    for i, s in enumerate(p for p in SCENARIOS if "ko" not in p.stem):
        shutil.copy(s, folder / f"{i}_{s.name}")
    (folder / "1a_empty.yaml").write_text("name: x\nuse_case: ''\n", encoding="utf-8")
    files = scenario_files(folder)
    seen = []
    rows = asyncio.run(run_batch(files, RunOptions(use_memory=False, output_dir=tmp_path / "runs"), 4, workers=2, on_done=seen.append))
    assert [r.scenario for r in rows] == [f.name for f in files]
    assert {r.scenario: r.status for r in rows}["1a_empty.yaml"] == "invalid"
    assert sorted(e["scenario"] for e in seen) == sorted(f.name for f in files)
    assert all(r.run_id and r.passed == "5/5" for r in rows if r.status == "completed")
