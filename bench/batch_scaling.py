"""Batch scaling: 1, 4 and 16 concurrent planning runs in one process (asyncio.gather) with
the latency-injecting model (engine "latency", see bench/_common.py).

Scaling efficiency at N = (runs per second at N) / (N × runs per second at 1) = wall(1) / wall(N).
Each run gets its own output directory (its own SQLite checkpointer and store). Two extra
rows check SQLite sharing: 16 runs in one *fresh* shared output directory (all of them set the
databases up at once), then 16 runs in a shared directory one earlier run has already set up.
Process CPU time / wall time shows whether the single event loop (one core, GIL) is the limit.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from _common import LATENCY_SCALE, fresh_dir, timed_run, verdict

SIZES = (1, 4, 16)
TARGET = 0.8


async def batch(n: int, shared: bool = False, prepare: bool = False) -> tuple[float, float, Counter]:
    out = fresh_dir(f"batch{n}") if shared else None
    if prepare:
        await timed_run(engine="latency", out=out)
    cpu, start = time.process_time(), time.perf_counter()
    results = await asyncio.gather(*(timed_run(engine="latency", out=out) for _ in range(n)), return_exceptions=True)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    outcome = Counter(
        f"{type(r).__name__}: {str(r)[:60]}" if isinstance(r, BaseException)
        else r[1].status if r[1].status == "completed" else f"{r[1].status}: {r[1].manifest.get('reason')}"
        for r in results
    )
    return wall, cpu, outcome


async def main() -> None:
    print(f"latency model scale {LATENCY_SCALE} (real-model latencies divided by {1 / LATENCY_SCALE:g}); separate output dirs")
    print(f"{'N':>3} {'wall s':>7} {'runs/s':>7} {'efficiency':>10} {'CPU s':>6} {'CPU/wall':>8}  outcome")
    await timed_run()  # warm-up (offline engine): one-off loading is not charged to N=1
    base = None
    efficiency, cpu_at = {}, {}
    for n in SIZES:
        wall, cpu, outcome = await batch(n)
        base = base or wall
        efficiency[n], cpu_at[n] = base / wall, cpu
        print(f"{n:>3} {wall:7.2f} {n / wall:7.3f} {efficiency[n]:10.2f} {cpu:6.2f} {cpu / wall:8.2f}  {dict(outcome)}")
    ok = efficiency[SIZES[-1]] >= TARGET
    print(f"efficiency at {SIZES[-1]}: {efficiency[SIZES[-1]]:.2f} (target >= {TARGET}: {verdict(ok)})")
    wall, cpu, outcome = await batch(16, shared=True)
    print(f"16 runs, one fresh shared output dir: wall {wall:.2f} s, outcome {dict(outcome)}")
    wall, cpu, outcome = await batch(16, shared=True, prepare=True)
    print(f"16 runs, shared output dir already set up: wall {wall:.2f} s, efficiency {base / wall:.2f}, outcome {dict(outcome)}")
    if not ok:
        per_run = cpu_at[SIZES[-1]] / SIZES[-1]
        print(f"TARGET MISSED: the {SIZES[-1]} runs share one event loop and one core; about {per_run:.2f} s of CPU per run "
              f"(x{SIZES[-1]}) against a {base:.1f} s single run means the runs' CPU work queues on the loop and stretches each run.")


if __name__ == "__main__":
    asyncio.run(main())
