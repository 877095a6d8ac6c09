"""Start-up and whole-run CPU: an offline planning run vs a bare 19-step LangGraph graph, side by side.

Every figure comes from a fresh Python process (what a user pays per command), measured with
`os.wait4`, so it is the child's own CPU time (user + system), not the machine's, and stays
readable on a busy 2-core machine where wall times run long:

- process start: importing what a run imports before its graph starts (`genai_planner.cli` and
  `genai_planner.run.runner`) vs importing LangGraph with the SQLite checkpointer;
- whole run: `genai-planner run SCENARIO --engine offline --no-memory` (five documents) vs a
  process that imports LangGraph, builds a 19-node chain, and streams it once with the same
  `AsyncSqliteSaver` and `durability="sync"` (the run's 19 super-steps, with no work in them).

Goal (issue 29): whole-run CPU <= 1.8x the bare graph. Medians of REPS runs after a warm-up.
Usage: `python bench/startup.py [--reps N] [--scenario FILE] [--root CHECKOUT] [--no-bytecode]`.

The children cache bytecode as a user's Python does (PYTHONDONTWRITEBYTECODE is cleared; the
warm-up writes the project's .pyc files): with it set, as on this team's machines, every
process compiled the project's ~110 modules from source (~0.5 s of a run's CPU) while the bare
graph imported only installed, byte-compiled packages. `--no-bytecode` measures that way.

`--root` measures another checkout of the project (say, the commit before a change:
`git worktree add /tmp/before <commit>`) with this environment's packages: the editable
install's package map is pointed at that checkout for the child processes, so "before" and
"after" run on the same machine, side by side, minutes apart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 1.8

IMPORT_RUN = "import genai_planner.cli, genai_planner.run.runner"
IMPORT_BARE = "import langgraph.graph, langgraph.checkpoint.sqlite.aio"

BARE_GRAPH = '''
import asyncio, sys
from typing import TypedDict
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import END, START, StateGraph

class S(TypedDict):
    n: int

async def step(s: S) -> dict:
    return {"n": s["n"] + 1}

async def main(db: str) -> None:
    b = StateGraph(S)
    names = [f"s{i}" for i in range(19)]
    for name in names:
        b.add_node(name, step)
    b.add_edge(START, names[0])
    for a, c in zip(names, names[1:]):
        b.add_edge(a, c)
    b.add_edge(names[-1], END)
    async with AsyncSqliteSaver.from_conn_string(db) as saver:
        g = b.compile(checkpointer=saver)
        async for _ in g.astream({"n": 0}, {"configurable": {"thread_id": "bare"}}, durability="sync"):
            pass

asyncio.run(main(sys.argv[1]))
'''


CWD = ROOT


def remap_editable_install(root: Path) -> Path:
    """A folder whose sitecustomize points the editable install's package map at `root`."""
    folder = Path(tempfile.mkdtemp(prefix="genai-startup-site-"))
    (folder / "sitecustomize.py").write_text(
        "import sys\n"
        "for name, mod in list(sys.modules.items()):\n"
        "    if name.startswith('__editable___genai_planner') and hasattr(mod, 'MAPPING'):\n"
        f"        mod.MAPPING.update({{k: v.replace({str(ROOT)!r}, {str(root)!r}) for k, v in mod.MAPPING.items()}})\n",
        encoding="utf-8",
    )
    return folder


def child_cpu(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process; its stdout and stderr are discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=CWD)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
    return usage.ru_utime + usage.ru_stime, wall


def measure(argv_for: callable, env: dict[str, str], reps: int) -> tuple[float, float]:  # type: ignore[valid-type]
    """Medians of (CPU, wall) over `reps` runs, after one warm-up (the OS file cache, .pyc files)."""
    child_cpu(argv_for(-1), env)
    runs = [child_cpu(argv_for(i), env) for i in range(reps)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scenario", default="scenarios/electronics_store.yaml")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--no-bytecode", action="store_true", help="children compile every module from source (PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args()
    root = args.root.resolve()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "TAVILY_", "GENAI_PLANNER_", "LANGSMITH_", "LANGCHAIN_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    if root != ROOT:
        env["PYTHONPATH"] = str(remap_editable_install(root))
    global CWD
    CWD = root
    work = Path(tempfile.mkdtemp(prefix="genai-startup-"))
    py = sys.executable
    cli = [py, "-m", "genai_planner.cli"]

    start_run = measure(lambda i: [py, "-c", IMPORT_RUN], env, args.reps)
    start_bare = measure(lambda i: [py, "-c", IMPORT_BARE], env, args.reps)
    run = measure(lambda i: [*cli, "run", args.scenario, "--engine", "offline", "--no-memory", "-o", str(work / f"runs{i}")], env, args.reps)
    bare = measure(lambda i: [py, "-c", BARE_GRAPH, str(work / f"bare{i}.sqlite")], env, args.reps)

    print(f"checkout: {root}")
    print(f"bytecode: {'not cached (PYTHONDONTWRITEBYTECODE=1): every module compiled from source' if args.no_bytecode else 'cached (.pyc), as a user runs'}")
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; medians of {args.reps} after a warm-up")
    print(f"{'':34}{'CPU s':>8}{'wall s':>8}")
    print(f"{'process start, genai-planner':34}{start_run[0]:8.2f}{start_run[1]:8.2f}")
    print(f"{'process start, bare LangGraph':34}{start_bare[0]:8.2f}{start_bare[1]:8.2f}")
    print(f"{'whole run, genai-planner (offline)':34}{run[0]:8.2f}{run[1]:8.2f}")
    print(f"{'whole run, bare 19-step graph':34}{bare[0]:8.2f}{bare[1]:8.2f}")
    ratio = run[0] / bare[0]
    print(f"process start ratio (CPU): {start_run[0] / start_bare[0]:.2f}x")
    print(f"whole-run ratio (CPU): {ratio:.2f}x (goal <= {GOAL}x: {'MET' if ratio <= GOAL else 'MISSED'})")


if __name__ == "__main__":
    main()
