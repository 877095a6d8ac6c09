"""Postgres checkpoints and store: a run killed mid-way resumes from Postgres in a second process."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.components import require
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
pytestmark = [pytest.mark.integration, pytest.mark.enable_socket, pytest.mark.allow_hosts(["127.0.0.1"])]


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_db_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{c}'" for c in cmd)]


@pytest.fixture(scope="module")
def postgres_url():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        require("PostgreSQL server", "initdb/pg_ctl not installed (apt-get install postgresql)")
    data = Path(tempfile.mkdtemp(prefix="genai-planner-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    subprocess.run(_as_db_user([initdb, "-D", str(data / "db"), "-U", "postgres", "--auth=trust"]), check=True, capture_output=True, timeout=120)
    opts = f"-p {port} -k {data} -h 127.0.0.1"
    start = _as_db_user([pg_ctl, "-D", str(data / "db"), "-o", opts, "-l", str(data / "log"), "-w", "start"])
    subprocess.run(start, check=True, capture_output=True, timeout=120)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_db_user([pg_ctl, "-D", str(data / "db"), "-m", "immediate", "stop"]), capture_output=True, timeout=60)
        shutil.rmtree(data, ignore_errors=True)


def test_run_killed_mid_way_resumes_from_postgres(postgres_url, tmp_path):
    env = {**os.environ, "GENAI_PLANNER_DATABASE_URL": postgres_url}
    out = tmp_path / "runs"
    crash = [sys.executable, str(Path(__file__).parent / "crash_cli.py"), "150", "SIGKILL"]
    killed = subprocess.run([*crash, "run", str(SCENARIO), "--no-memory", "-o", str(out)], env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9, killed.stderr[-800:]
    run_dir = next(p for p in out.iterdir() if p.is_dir())
    assert not (out / "checkpoints.sqlite").exists(), "checkpoints must go to Postgres, not SQLite"
    resumed = subprocess.run(
        [sys.executable, "-m", "genai_planner.cli", "resume", run_dir.name, "-o", str(out)], env=env, capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stdout[-800:] + resumed.stderr[-800:]
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "completed"
    assert [d["status"] for d in manifest["documents"]] == ["passed"] * 5
    events = [json.loads(line) for line in (run_dir / "trace.jsonl").read_text().splitlines()]
    assert [e["resumed"] for e in events if e["event"] == "run_start"] == [False, True]
