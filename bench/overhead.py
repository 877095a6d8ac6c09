"""Orchestration overhead: a full offline five-document run vs a bare LangGraph graph.

Super-steps are counted from the checkpoints the real run wrote for its thread: LangGraph
saves one checkpoint per super-step (metadata `step`; -1 is the input checkpoint), and each
task's writes are stored against the checkpoint its super-step started from, so the
`writes` table gives the number of tasks in every super-step. The bare graph replays that
exact profile (same number of super-steps, same parallel task count per step, via `Send`)
with trivial async nodes and the same AsyncSqliteSaver, and its checkpoint count is checked
against the real run's. Both are timed end to end (open the saver, compile, stream, read the
final state); medians over REPS runs after one warm-up of each.
"""

from __future__ import annotations

import asyncio
import json
import operator
import sqlite3
import time
from pathlib import Path
from typing import Annotated, Any, TypedDict

from _common import fresh_dir, median, timed_run, trace, ts, union_length, verdict
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send

REPS = 5
TARGET = 1.2


def step_profile(db: Path, thread_id: str) -> tuple[int, list[int], int]:
    """(checkpoints, tasks per super-step in step order without the input step, bytes saved) of one thread."""
    with sqlite3.connect(db) as conn:
        q = "SELECT checkpoint_id, metadata FROM checkpoints WHERE thread_id=?"
        steps = {cid: json.loads(meta)["step"] for cid, meta in conn.execute(q, (thread_id,))}
        q = "SELECT checkpoint_id, COUNT(DISTINCT task_id) FROM writes WHERE thread_id=? GROUP BY checkpoint_id"
        tasks = dict(conn.execute(q, (thread_id,)))
        size = sum(conn.execute(
            "SELECT (SELECT TOTAL(LENGTH(checkpoint)) FROM checkpoints WHERE thread_id=?1)"
            " + (SELECT TOTAL(LENGTH(value)) FROM writes WHERE thread_id=?1)", (thread_id,)).fetchone())
    return len(steps), [tasks[c] for c in sorted(tasks, key=steps.get) if steps[c] >= 0], int(size)


class BareState(TypedDict):
    plan: list[int]
    log: Annotated[list[int], operator.add]


async def work(task: dict[str, Any]) -> Command:
    i, plan = task["step"], task["plan"]
    last = not task["lead"] or i + 1 >= len(plan)
    sends = [] if last else [Send("work", {"step": i + 1, "lead": j == 0, "plan": plan}) for j in range(plan[i + 1])]
    return Command(update={"log": [i]}, goto=sends)


def bare_graph() -> StateGraph:
    builder = StateGraph(BareState)
    builder.add_node("work", work, destinations=("work",))
    builder.add_conditional_edges(START, lambda s: [Send("work", {"step": 0, "lead": j == 0, "plan": s["plan"]}) for j in range(s["plan"][0])])
    return builder


async def bare_run(plan: list[int]) -> tuple[float, int, int]:
    out = fresh_dir("bare")
    config = {"configurable": {"thread_id": "bare"}, "recursion_limit": 500}
    start = time.perf_counter()
    async with AsyncSqliteSaver.from_conn_string(str(out / "checkpoints.sqlite")) as saver:
        graph = bare_graph().compile(checkpointer=saver)
        async for _ in graph.astream({"plan": plan, "log": []}, config, stream_mode="updates"):
            pass
        await graph.aget_state(config)
    wall = time.perf_counter() - start
    n_ckpt, _, size = step_profile(out / "checkpoints.sqlite", "bare")
    return wall, n_ckpt, size


def split(events: list[dict[str, Any]]) -> tuple[float, float]:
    """Union of time inside node bodies and inside model calls, from the trace."""
    nodes = [(ts(e), ts(e) + e["duration_s"]) for e in events if e["event"] == "node_end"]
    calls = [(ts(e) - e["latency_s"], ts(e)) for e in events if e["event"] == "llm_call"]
    return union_length(nodes), union_length(calls)


async def main() -> None:
    _, warm = await timed_run()
    n_ckpt, plan, size = step_profile(warm.run_dir.parent / "checkpoints.sqlite", warm.run_id)
    await bare_run(plan)
    real, bare, in_nodes, in_calls = [], [], [], []
    for _ in range(REPS):
        wall, result = await timed_run()
        assert result.status == "completed", result.status
        nodes, calls = split(trace(result))
        real.append(wall), in_nodes.append(nodes), in_calls.append(calls)
        b_wall, b_ckpt, b_size = await bare_run(plan)
        bare.append(b_wall)
    steps = len(plan)
    r, b = median(real), median(bare)
    print(f"super-steps: {steps} (+1 input step); tasks per step: {plan}")
    print(f"checkpoints written: real {n_ckpt}, bare {b_ckpt} ({'match' if n_ckpt == b_ckpt else 'MISMATCH'})")
    print(f"checkpoint bytes written per run: real {size / 1e6:.2f} MB, bare {b_size / 1e3:.1f} kB")
    print(f"repetitions: {REPS} (medians, after one warm-up each)")
    print(f"full offline run:      {r:.3f} s  = {1000 * r / steps:.1f} ms per super-step")
    print(f"bare LangGraph graph:  {b:.3f} s  = {1000 * b / steps:.1f} ms per super-step")
    ratio = r / b
    print(f"ratio full/bare: {ratio:.2f} (target <= {TARGET}: {verdict(ratio <= TARGET)})")
    n, c = median(in_nodes), median(in_calls)
    print("where the full run's time goes (median):")
    print(f"  inside model calls (offline engine composing text): {c:.3f} s")
    print(f"  inside node bodies (model calls, tools, checks, memory): {n:.3f} s")
    print(f"  outside node bodies (LangGraph, checkpoints, run setup, writing outputs): {r - n:.3f} s")
    print(f"ratio full-minus-model-calls/bare: {(r - c) / b:.2f}")
    print(f"ratio outside-node-bodies/bare: {(r - n) / b:.2f}")
    if ratio > TARGET:
        print(f"TARGET MISSED: the full run costs {ratio:.1f}x the bare graph per super-step; the extra is node work, not LangGraph (see the split above).")


if __name__ == "__main__":
    asyncio.run(main())
