"""Issue 27: nothing spends twice, and every failure is one line with the right exit code.

Parsing (alias bombs, duplicate keys, infinite budgets, unknown currencies, contradictory
constraints), the run lease, SIGTERM, torn state files, database and disk errors, batches
stopped part-way. Each test fails when the defence it names is removed.
"""

from __future__ import annotations

import asyncio
import errno
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.run import lease as lease_mod
from genai_planner.run import runner
from tests.conftest import ROOT
from tests.test_bad_input import assert_one_line_error, write

GOOD = ROOT / "scenarios" / "electronics_store.yaml"


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def _proc(out: Path, *args: str, crash: tuple[int, str] | None = None, **kw) -> subprocess.Popen:
    base = [sys.executable, str(ROOT / "tests" / "crash_cli.py"), str(crash[0]), crash[1]] if crash else [sys.executable, "-m", "genai_planner.cli"]
    return subprocess.Popen([*base, *args, "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def _run(out: Path, *args: str, crash: tuple[int, str] | None = None) -> subprocess.CompletedProcess:
    p = _proc(out, *args, crash=crash)
    stdout, stderr = p.communicate(timeout=300)
    return subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr)


# --- parsing --------------------------------------------------------------------------------


def alias_bomb() -> str:
    """Nine levels of nine aliases under `documents:` (9^9 items once expanded), under 500 bytes."""
    text = 'name: x\nuse_case: y\na: &a ["1","1","1","1","1","1","1","1","1"]\n'
    prev = "a"
    for name in "bcdefgh":
        text += f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n"
        prev = name
    return text + f"documents: [{','.join(['*' + prev] * 9)}]\n"


def test_alias_bomb_is_a_fast_one_line_error(tmp_path):
    bomb = alias_bomb()
    assert len(bomb.encode()) < 500
    start = time.perf_counter()
    result = cli("run", write(tmp_path, bomb), "-o", str(tmp_path / "r"))
    assert time.perf_counter() - start < 5
    assert_one_line_error(result, "aliases", "line 4")


def test_duplicate_key_is_an_error_naming_both_lines(tmp_path):
    assert_one_line_error(cli("run", write(tmp_path, "name: x\nuse_case: y\nname: z\n")), "duplicate key 'name'", "line 3", "line 1")
    nested = "name: x\nuse_case: y\nconstraints:\n  on_premises: true\n  on_premises: false\n"
    assert_one_line_error(cli("run", write(tmp_path, nested)), "duplicate key 'on_premises'")


@pytest.mark.parametrize(
    "budget, needle",
    [
        ("monthly_budget_usd: .inf", "finite"),
        ("monthly_budget_usd: .nan", "finite"),
        ("monthly_budget: {amount: 1e308, currency: USD}", "less than or equal"),
        ("monthly_budget: {amount: 1.0e+308, currency: USD}", "less than or equal"),
        ("monthly_budget_usd: 1.0e+16", "less than or equal"),
    ],
)
def test_budgets_are_finite_and_in_range(tmp_path, budget, needle):
    assert_one_line_error(cli("run", write(tmp_path, f"name: x\nuse_case: y\nconstraints:\n  {budget}\n"), "-o", str(tmp_path / "r")), needle)


def test_unknown_currency_names_the_known_ones(tmp_path):
    text = "name: x\nuse_case: A shop assistant.\nconstraints:\n  monthly_budget: {amount: 500, currency: XYZ}\n"
    assert_one_line_error(cli("run", write(tmp_path, text), "-o", str(tmp_path / "r")), "'XYZ'", "known: ", "EUR", "KRW", "USD")
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    "scenario",
    [
        "name: x\nuse_case: A store assistant for staff in 120 stores.\nconstraints:\n  on_premises: true\n  monthly_budget_usd: 5\n",
        "name: x\nuse_case: A store assistant for staff in 120 stores. Everything must stay on premises and our monthly budget is at most USD 5.\n",
    ],
    ids=["yaml", "prose"],
)
def test_contradictory_constraints_refused_before_any_model_call(tmp_path, scenario):
    result = cli("run", write(tmp_path, scenario), "-o", str(tmp_path / "r"), "--no-memory")
    assert_one_line_error(result, "contradict", "on-premises", "USD 5", "raise the budget to at least", "cloud")
    assert not (tmp_path / "r").exists()  # refused before a run directory, let alone a model call


# --- the lease ------------------------------------------------------------------------------


def _backend(tmp_path: Path) -> lease_mod._Sqlite:
    return lease_mod._Sqlite(tmp_path / "checkpoints.sqlite")


def test_a_live_lease_refuses_a_second_holder_naming_it(tmp_path):
    first = lease_mod.Lease(_backend(tmp_path), "run-1")
    first.acquire()
    with pytest.raises(lease_mod.RunBusy) as busy:
        lease_mod.Lease(_backend(tmp_path), "run-1").acquire()
    message = str(busy.value)
    assert f"pid {os.getpid()}" in message and socket.gethostname() in message and "started 20" in message
    lease_mod.Lease(_backend(tmp_path), "run-2").acquire()  # another run is not affected
    first.release()
    lease_mod.Lease(_backend(tmp_path), "run-1").acquire()  # released: free again


def test_a_dead_holders_lease_is_taken_over(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = lease_mod.Lease(_backend(tmp_path), "run-1")
    stale.pid = dead.pid
    stale.acquire()
    taker = lease_mod.Lease(_backend(tmp_path), "run-1")
    taker.acquire()
    assert taker.took_over is not None and taker.took_over.pid == dead.pid
    assert not stale.renew() and taker.renew()  # the old holder has lost it


def test_a_silent_holders_lease_expires(tmp_path, monkeypatch):
    silent = lease_mod.Lease(_backend(tmp_path), "run-1")
    silent.acquire()
    with pytest.raises(lease_mod.RunBusy):
        lease_mod.Lease(_backend(tmp_path), "run-1").acquire()
    real_now = lease_mod.dt.datetime.now

    class Later(lease_mod.dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return real_now(tz) + lease_mod.dt.timedelta(seconds=lease_mod.TTL_S + 5)

    monkeypatch.setattr(lease_mod.dt, "datetime", Later)
    lease_mod.Lease(_backend(tmp_path), "run-1").acquire()


def test_three_resumes_started_together_spend_once(tmp_path):
    out = tmp_path / "runs"
    spent = _run(out, "run", str(GOOD), "--no-memory", "--max-tokens", "20000")
    assert spent.returncode == 1 and "token budget spent" in spent.stdout, spent.stderr[-500:]
    run_id = next(p.name for p in out.iterdir() if p.is_dir())
    procs = [_proc(out, "resume", run_id, "--max-tokens", "400000") for _ in range(3)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    # Started together, one drives and two refuse; on a machine so loaded that a process starts
    # after the winner has finished, that one resumes a finished run and spends nothing.
    assert 0 in codes and set(codes) <= {0, 75} and codes.count(75) >= 1, [(c, e[-300:]) for c, _, e in results]
    for code, _, stderr in results:
        if code == 75:
            lines = [ln for ln in stderr.splitlines() if ln.strip()]
            assert len(lines) == 1 and "already being driven by pid" in lines[0], stderr
    run_dir = out / run_id
    events = [json.loads(line) for line in (run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    seqs = [e["seq"] for e in events if "seq" in e]
    assert len(seqs) == len(set(seqs)), "duplicate trace sequence numbers: two writers"
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "completed"
    spenders, spent_here = 0, False
    for e in events:  # the stretches of the trace that made model calls: the first run and one resume
        if e.get("event") == "run_start":
            spenders, spent_here = spenders + spent_here, False
        spent_here = spent_here or e.get("event") == "llm_call"
    assert spenders + spent_here == 2, "more than one resume spent"
    reference = _run(tmp_path / "ref", "run", str(GOOD), "--no-memory")
    ref_calls = json.loads(next(p for p in (tmp_path / "ref").iterdir() if p.is_dir()).joinpath("manifest.json").read_text())["totals"]["llm_calls"]
    assert reference.returncode == 0
    assert manifest["totals"]["llm_calls"] <= ref_calls + 11  # at most the step in flight redone
    assert manifest["budget_changes"][0]["max_tokens"] == {"from": 20000, "to": 400000}
    assert manifest["settings"]["max_tokens"] == 400000


def test_resume_rejects_a_nonsense_budget(tmp_path):
    out = tmp_path / "runs"
    run_dir = out / "r1"
    run_dir.mkdir(parents=True)
    (run_dir / "run.json").write_text(json.dumps({"run_id": "r1", "scenario": {"name": "x"}, "context": {"run_id": "r1", "engine": "offline"}}))
    assert_one_line_error(cli("resume", "r1", "-o", str(out), "--max-tokens", "0"), "max-tokens")


# --- signals --------------------------------------------------------------------------------


def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    out = tmp_path / "runs"
    stopped = _run(out, "run", str(GOOD), "--no-memory", crash=(12, "SIGTERM"))
    assert stopped.returncode == 128 + signal.SIGTERM, (stopped.returncode, stopped.stderr[-500:])
    assert "genai-planner resume" in stopped.stderr and "Traceback" not in stopped.stderr
    run_dir = next(p for p in out.iterdir() if p.is_dir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "interrupted"
    assert _run(out, "resume", run_dir.name).returncode == 0


def test_a_stopped_batch_lists_every_run_as_interrupted_not_error(tmp_path):
    from genai_planner.core.config import RunConfig
    from genai_planner.run.batch import run_batch

    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(3):
        (folder / f"s{i}.yaml").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    options = RunConfig.from_cli(engine="offline", use_memory=False, output_dir=tmp_path / "runs")

    async def stop_part_way():
        task = asyncio.create_task(run_batch(sorted(folder.glob("*.yaml")), options, 2))
        for _ in range(600):  # until a run has written its first document
            await asyncio.sleep(0.05)
            if any((tmp_path / "runs").glob("*/01_*.md")):
                break
        task.cancel()
        return await task

    rows = asyncio.run(stop_part_way())
    assert [r.status for r in rows] == ["interrupted"] * 3, rows
    started = [r for r in rows if r.run_id]
    assert started, rows
    for row in started:  # each run that started wrote its manifest and can be resumed
        manifest = json.loads((tmp_path / "runs" / row.run_id / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["status"] == "interrupted"


# --- state files, databases, disks ------------------------------------------------------------


def _fake_run(out: Path, name: str, run_json: str) -> None:
    (out / name).mkdir(parents=True)
    (out / name / "run.json").write_text(run_json, encoding="utf-8")


def test_runs_skips_torn_and_foreign_state_files_with_a_warning(tmp_path):
    out = tmp_path / "runs"
    _fake_run(out, "a-good", json.dumps({"run_id": "a-good", "scenario": {"name": "shop"}, "context": {"engine": "offline"}}))
    _fake_run(out, "b-torn", '{"run_id": "b-torn", "scen')
    _fake_run(out, "c-foreign", "[1, 2, 3]")
    (out / "a-good" / "manifest.json").write_text('{"status": "comp', encoding="utf-8")
    result = cli("runs", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "a-good" in result.stdout and "b-torn" not in result.stdout
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning: skipped")]
    assert len(warnings) == 2 and "b-torn" in result.stderr and "c-foreign" in result.stderr


@pytest.mark.parametrize("text, needle", [('{"run_id": "r', "damaged"), ('{"run_id": "r"}', "not a run description")])
def test_resume_of_a_torn_or_foreign_run_json_is_one_line(tmp_path, text, needle):
    _fake_run(tmp_path / "runs", "r1", text)
    assert_one_line_error(cli("resume", "r1", "-o", str(tmp_path / "runs")), needle)


def test_runs_given_a_file_is_one_line(tmp_path):
    assert_one_line_error(cli("runs", "-o", write(tmp_path, "x", "f.txt")), "not a file")


def test_state_files_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "run.json"
    runner.write_json_atomic(path, {"v": 1})

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runner.os, "fsync", no_space)
    with pytest.raises(OSError):
        runner.write_json_atomic(path, {"v": 2, "pad": "x" * 100_000})
    assert json.loads(path.read_text()) == {"v": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]  # no temp file left behind


def test_disk_full_writing_run_json_is_one_line(tmp_path, monkeypatch):
    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runner, "write_json_atomic", full)
    result = cli("run", str(GOOD), "-o", str(tmp_path / "r"), "--no-memory")
    assert result.exit_code == 1 and "disk is full" in result.stderr and "Traceback" not in result.output
    assert len([ln for ln in result.stderr.splitlines() if ln.strip()]) == 1


def test_disk_full_setting_up_the_databases_is_one_line(tmp_path, monkeypatch):
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    async def full(self):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(AsyncSqliteSaver, "setup", full)
    result = cli("run", str(GOOD), "-o", str(tmp_path / "r"), "--no-memory")
    assert result.exit_code == 1 and "disk is full" in result.stderr, result.output
    assert len([ln for ln in result.stderr.splitlines() if ln.strip()]) == 1


def test_disk_full_outside_a_run_is_one_line(tmp_path, monkeypatch):
    from genai_planner.run import inspection

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(inspection, "list_runs", full)
    (tmp_path / "runs").mkdir()
    result = cli("runs", "-o", str(tmp_path / "runs"))
    assert result.exit_code == 1 and result.stderr.strip() == "error: the disk is full", result.output


@pytest.mark.parametrize(
    "url, needle",
    [("postgresql://u:hunter2@127.0.0.1:1/db", "Connection refused"), ("postgresql://u:hunter2@[::1", "IPv6"), ("not a url", "connection info")],
)
def test_postgres_connection_and_url_errors_are_one_line(tmp_path, monkeypatch, url, needle):
    pytest.importorskip("psycopg")
    monkeypatch.setenv("GENAI_PLANNER_DATABASE_URL", url)
    result = cli("run", str(GOOD), "-o", str(tmp_path / "r"), "--no-memory")
    assert_one_line_error(result, "Postgres", needle)
    assert "hunter2" not in result.output


def test_docs_warnings_reach_the_terminal(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.md").write_text("# Returns\nCustomers may return products within 30 days.\n", encoding="utf-8")
    (docs / "scan.md").write_bytes(b"\x89PNG\x00\x00binary")
    result = cli("run", str(GOOD), "--docs", str(docs), "--documents", "1", "-o", str(tmp_path / "r"), "--no-memory")
    assert result.exit_code == 0, result.output
    assert any(ln.startswith("warning: ") and "scan.md" in ln for ln in result.stderr.splitlines()), result.stderr


def test_a_file_size_limit_and_sqlites_io_error_count_as_no_room():
    assert runner.disk_full(OSError(errno.EFBIG, "File too large"))
    assert runner.disk_full(sqlite3.OperationalError("disk I/O error"))
    assert not runner.disk_full(sqlite3.OperationalError("no such table: x"))
    message = str(runner._storage_error(Path("/tmp/runs/r1"), "r1", sqlite3.OperationalError("disk I/O error")))
    assert message.startswith("writing to disk failed (disk I/O error)") and "genai-planner resume r1" in message


@pytest.mark.parametrize("value", ["inf", "nan", "1e400"])
def test_a_cost_budget_flag_must_be_finite(tmp_path, value):
    assert_one_line_error(cli("run", str(GOOD), "--max-cost", value, "-o", str(tmp_path / "r")), "max_cost")
