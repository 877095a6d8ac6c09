"""Whole-run CPU of two checkouts and the bare graph, interleaved: before, after, bare; repeated.

`bench/startup.py` measures one checkout at a time; on a shared machine the load drifts between
two such calls by more than a 0.2 s change. Interleaving the three processes pair by pair lets
drift hit all of them alike. Same child measurement (`os.wait4` CPU time), bytecode cached.
Usage: `python bench/startup_ab.py --before CHECKOUT [--reps N] [--scenario FILE]`
(e.g. `git worktree add --detach /tmp/before main`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import startup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout (measured with this environment's packages)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scenario", default="scenarios/electronics_store.yaml")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TAVILY_", "GENAI_PLANNER_", "LANGSMITH_", "LANGCHAIN_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    before = args.before.resolve()
    before_env = {**env, "PYTHONPATH": str(startup.remap_editable_install(before))}
    work = Path(tempfile.mkdtemp(prefix="genai-startup-ab-"))
    py = sys.executable

    def run(run_env: dict[str, str], root: Path, i: int) -> float:
        startup.CWD = root
        argv = [py, "-m", "genai_planner.cli", "run", args.scenario, "--engine", "offline", "--no-memory", "-o", str(work / f"{root.name}{i}")]
        return startup.child_cpu(argv, run_env)[0]

    def bare(i: int) -> float:
        return startup.child_cpu([py, "-c", startup.BARE_GRAPH, str(work / f"bare{i}.sqlite")], env)[0]

    run(before_env, before, -1), run(env, startup.ROOT, -1), bare(-1)  # warm-up: file cache, .pyc files
    b, a, g = [], [], []
    for i in range(args.reps):
        b.append(run(before_env, before, i))
        a.append(run(env, startup.ROOT, i))
        g.append(bare(i))
        print(f"pair {i}: before {b[-1]:.2f}  after {a[-1]:.2f}  bare {g[-1]:.2f}  load {os.getloadavg()[0]:.1f}", flush=True)
    mb, ma, mg = statistics.median(b), statistics.median(a), statistics.median(g)
    print(f"medians of {args.reps}: before {mb:.2f} s ({mb / mg:.2f}x bare), after {ma:.2f} s ({ma / mg:.2f}x bare), bare graph {mg:.2f} s")
    # The ratio of medians and the median of each pair's own ratio differ under load; report both.
    rb = statistics.median(x / y for x, y in zip(b, g, strict=True))
    ra = statistics.median(x / y for x, y in zip(a, g, strict=True))
    print(f"median of per-pair ratios: before {rb:.2f}x bare, after {ra:.2f}x bare")


if __name__ == "__main__":
    main()
