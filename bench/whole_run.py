"""Whole run: wall time and peak memory of one offline five-document run, as a user gets it.

Each scenario runs in a fresh Python process (clean environment, temporary working and
output directories), so the wall time includes interpreter start-up and imports. Peak RSS is
the child's own `getrusage(RUSAGE_SELF).ru_maxrss` (KiB on Linux), read when the run is over;
`RUSAGE_CHILDREN` in the parent would report the maximum over every child so far instead.
The child's CPU time is printed too: on a shared machine it is steadier than wall time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ("electronics_store", "hospital_discharge_ko")
MAX_WALL_S, MAX_RSS_MB = 10.0, 400.0
ENV_PREFIXES = ("OPENAI_", "TAVILY_", "GENAI_PLANNER_", "LANGSMITH_", "LANGCHAIN_")

CHILD = """
import asyncio, json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from genai_planner.run.runner import run_planning
from genai_planner.core.scenario import load_scenario
from genai_planner.core.settings import RunOptions
t1 = time.perf_counter()
result = asyncio.run(run_planning(load_scenario(Path(sys.argv[1])), RunOptions(output_dir=Path(sys.argv[2]), use_memory=False)))
t2 = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"status": result.status, "import_s": t1 - t0, "run_s": t2 - t1,
                  "rss_kb": usage.ru_maxrss, "cpu_s": usage.ru_utime + usage.ru_stime}))
"""


def measure(name: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryDirectory(prefix="genai-bench-") as tmp:
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT / "scenarios" / f"{name}.yaml"), str(Path(tmp) / "runs")],
            cwd=tmp, env=env, capture_output=True, text=True, check=True,
        )
        wall = time.perf_counter() - start
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out


def main() -> None:
    print(f"{'scenario':<24} {'status':<10} {'process s':>9} {'imports s':>9} {'run s':>6} {'CPU s':>6} {'peak RSS MB':>11}")
    missed = []
    for name in SCENARIOS:
        m = measure(name)
        rss_mb = m["rss_kb"] / 1024
        print(f"{name:<24} {m['status']:<10} {m['wall_s']:9.2f} {m['import_s']:9.2f} {m['run_s']:6.2f} {m['cpu_s']:6.2f} {rss_mb:11.1f}")
        if m["wall_s"] > MAX_WALL_S:
            missed.append(f"{name}: wall {m['wall_s']:.2f} s > {MAX_WALL_S} s")
        if rss_mb > MAX_RSS_MB:
            missed.append(f"{name}: peak RSS {rss_mb:.0f} MB > {MAX_RSS_MB} MB")
    print("(CPU s = the child's user+system CPU time; unlike wall time it hardly changes when the machine is busy)")
    print(f"targets: whole process <= {MAX_WALL_S} s and peak RSS <= {MAX_RSS_MB} MB: {'MET' if not missed else 'MISSED'}")
    for line in missed:
        print(f"TARGET MISSED: {line}")


if __name__ == "__main__":
    main()
