"""Batch scaling: 1, 4 and 16 concurrent planning runs through `run_batch` (what
`genai-planner batch` runs) with the latency-injecting model (engine "latency", see
bench/_common.py).

Scaling efficiency at N = (runs per second at N) / (N × runs per second at 1) = wall(1) / wall(N).
All runs of one row share one output directory and one SQLite checkpointer and store
connection, on one event loop, as a batch does. CPU s / wall s above 1 would mean more than
one core; a batch is one process, so its ceiling is one core.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from _common import LATENCY_SCALE, SCENARIOS, fresh_dir, timed_run, verdict

from genai_planner.core.settings import RunOptions
from genai_planner.run.batch import run_batch

SIZES = (1, 4, 16)
TARGET = 0.8


async def batch(n: int) -> tuple[float, float, Counter]:
    files = [SCENARIOS / "electronics_store.yaml"] * n
    options = RunOptions(engine="latency", use_memory=False, output_dir=fresh_dir(f"batch{n}"))
    cpu, start = time.process_time(), time.perf_counter()
    rows = await run_batch(files, options, concurrency=n)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    outcome = Counter(r.status if r.status == "completed" else f"{r.status}: {r.detail[:60]}" for r in rows)
    return wall, cpu, outcome


async def main() -> None:
    print(f"latency model scale {LATENCY_SCALE} (real-model latencies divided by {1 / LATENCY_SCALE:g}); one shared output dir per row")
    print(f"{'N':>3} {'wall s':>7} {'runs/s':>7} {'efficiency':>10} {'CPU s':>6} {'CPU/wall':>8}  outcome")
    await timed_run()  # warm-up (offline engine): one-off loading is not charged to N=1
    base = None
    efficiency = {}
    for n in SIZES:
        wall, cpu, outcome = await batch(n)
        base = base or wall
        efficiency[n] = base / wall
        print(f"{n:>3} {wall:7.2f} {n / wall:7.3f} {efficiency[n]:10.2f} {cpu:6.2f} {cpu / wall:8.2f}  {dict(outcome)}")
    n = SIZES[-1]
    ok = efficiency[n] >= TARGET
    print(f"efficiency at {n}: {efficiency[n]:.2f} (target >= {TARGET}: {verdict(ok)})")
    if not ok:
        print(f"TARGET MISSED: {n} runs need about {cpu / n:.2f} s of CPU each on one event loop, against a {base:.1f} s single run; see RESULTS.md.")


if __name__ == "__main__":
    asyncio.run(main())
