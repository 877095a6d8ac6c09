"""Orchestration overhead: a full offline five-document run vs a bare LangGraph graph.

Super-steps are counted from the checkpoints the real run wrote for its thread: LangGraph
saves one checkpoint per super-step (metadata `step`; -1 is the input checkpoint), and each
task's writes are stored against the checkpoint its super-step started from, so the
`writes` table gives the number of tasks in every super-step. The bare graph replays that
exact profile (same number of super-steps, same parallel task count per step, via `Send`)
with trivial async nodes and the same AsyncSqliteSaver, and its checkpoint count is checked
against the real run's. Both are timed end to end (open the saver, compile, stream, read the
final state); medians over REPS runs after one warm-up of each. Each side reuses one output
directory (new thread per run), so the one-off SQLite schema setup (~0.2 s for the store's
migrations on a fresh directory) is not counted.
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


def step_profile(db: Path, thread_id: str) -> dict[str, Any]:
    """Checkpoints, tasks per super-step (step order, input step excluded) and bytes saved for one thread."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT checkpoint_id, metadata, LENGTH(checkpoint) FROM checkpoints WHERE thread_id=?", (thread_id,)).fetchall()
        steps = {cid: json.loads(meta)["step"] for cid, meta, _ in rows}
        q = "SELECT checkpoint_id, COUNT(DISTINCT task_id) FROM writes WHERE thread_id=? GROUP BY checkpoint_id"
        tasks = dict(conn.execute(q, (thread_id,)))
        writes, sends, send_bytes = conn.execute(
            "SELECT TOTAL(LENGTH(value)), SUM(channel='__pregel_tasks'), TOTAL(CASE WHEN channel='__pregel_tasks' THEN LENGTH(value) END)"
            " FROM writes WHERE thread_id=?", (thread_id,)).fetchone()
    plan = [tasks[c] for c in sorted(tasks, key=steps.get) if steps[c] >= 0]
    last = max(rows, key=lambda r: steps[r[0]])[2]
    return {"checkpoints": len(rows), "plan": plan, "bytes": int(sum(r[2] for r in rows) + writes),
            "pad_state": int(last / sum(plan)), "pad_send": int(send_bytes / max(sends or 0, 1))}


class BareState(TypedDict):
    plan: list[int]
    pad_state: int
    pad_send: int
    log: Annotated[list[str], operator.add]


async def work(task: dict[str, Any]) -> Command:
    i, plan = task["step"], task["plan"]
    last = not task["lead"] or i + 1 >= len(plan)
    sends = [] if last else [Send("work", {**task, "step": i + 1, "lead": j == 0}) for j in range(plan[i + 1])]
    return Command(update={"log": ["x" * task["pad_state"]]}, goto=sends)


def bare_graph() -> StateGraph:
    builder = StateGraph(BareState)
    builder.add_node("work", work, destinations=("work",))
    def first(s: BareState) -> list[Send]:
        task = {"plan": s["plan"], "pad_state": s["pad_state"], "pad": "y" * s["pad_send"]}
        return [Send("work", {**task, "step": 0, "lead": j == 0}) for j in range(s["plan"][0])]

    builder.add_conditional_edges(START, first)
    return builder


async def bare_run(out: Path, plan: list[int], pad_state: int = 0, pad_send: int = 0) -> tuple[float, dict[str, Any]]:
    """Run the bare graph; with pads, tasks append `pad_state` bytes to the state and Sends carry `pad_send` bytes."""
    thread = f"bare-{time.time_ns()}"
    config = {"configurable": {"thread_id": thread}, "recursion_limit": 500}
    start = time.perf_counter()
    async with AsyncSqliteSaver.from_conn_string(str(out / "checkpoints.sqlite")) as saver:
        graph = bare_graph().compile(checkpointer=saver)
        async for _ in graph.astream({"plan": plan, "pad_state": pad_state, "pad_send": pad_send, "log": []}, config, stream_mode="updates"):
            pass
        await graph.aget_state(config)
    wall = time.perf_counter() - start
    return wall, step_profile(out / "checkpoints.sqlite", thread)


def split(events: list[dict[str, Any]]) -> tuple[float, float]:
    """Union of time inside node bodies and inside model calls, from the trace."""
    nodes = [(ts(e), ts(e) + e["duration_s"]) for e in events if e["event"] == "node_end"]
    calls = [(ts(e) - e["latency_s"], ts(e)) for e in events if e["event"] == "llm_call"]
    return union_length(nodes), union_length(calls)


async def main() -> None:
    out, bare_out = fresh_dir("real"), fresh_dir("bare")
    _, warm = await timed_run(out=out)
    prof = step_profile(out / "checkpoints.sqlite", warm.run_id)
    plan, pads = prof["plan"], (prof["pad_state"], prof["pad_send"])
    await bare_run(bare_out, plan), await bare_run(bare_out, plan, *pads)
    real, bare, padded, in_nodes, in_calls = [], [], [], [], []
    for _ in range(REPS):
        wall, result = await timed_run(out=out)
        assert result.status == "completed", result.status
        nodes, calls = split(trace(result))
        real.append(wall), in_nodes.append(nodes), in_calls.append(calls)
        b_wall, b_prof = await bare_run(bare_out, plan)
        p_wall, p_prof = await bare_run(bare_out, plan, *pads)
        bare.append(b_wall), padded.append(p_wall)
    steps = len(plan)
    r, b, p = median(real), median(bare), median(padded)
    same = prof["checkpoints"] == b_prof["checkpoints"] and plan == b_prof["plan"]
    print(f"super-steps: {steps} (+1 input step); tasks per step: {plan}")
    print(f"checkpoints written: real {prof['checkpoints']}, bare {b_prof['checkpoints']} ({'same profile' if same else 'MISMATCH'})")
    print(f"checkpoint data written per run: real {prof['bytes'] / 1e6:.2f} MB, bare {b_prof['bytes'] / 1e3:.1f} kB, "
          f"bare+payload {p_prof['bytes'] / 1e6:.2f} MB")
    print(f"repetitions: {REPS} (medians, after one warm-up each; each graph reuses one output dir, so its SQLite files are set up)")
    print(f"full offline run:      {r:.3f} s = {1000 * r / steps:5.1f} ms per super-step")
    print(f"bare LangGraph graph:  {b:.3f} s = {1000 * b / steps:5.1f} ms per super-step")
    ratio = r / b
    print(f"ratio full/bare: {ratio:.2f} (target <= {TARGET}: {verdict(ratio <= TARGET)})")
    n, c = median(in_nodes), median(in_calls)
    print("where the full run's time goes (median):")
    print(f"  inside model calls (the offline engine composing text): {c:.3f} s")
    print(f"  inside node bodies (model calls, tools, checks, memory): {n:.3f} s")
    print(f"  outside node bodies (LangGraph, checkpoints, run setup, writing outputs): {r - n:.3f} s")
    print(f"ratio outside-node-bodies/bare: {(r - n) / b:.2f}")
    print(f"bare graph carrying the real run's payload sizes (state +{pads[0]} B per task, {pads[1]} B per Send): "
          f"{p:.3f} s = {1000 * p / steps:5.1f} ms per super-step, {p / b:.2f}x the empty bare graph")
    if ratio > TARGET:
        print(f"TARGET MISSED: the full run costs {ratio:.1f}x an empty graph per super-step; most of it is node work "
              "(engine, tools, checks), the rest checkpointing a large state and run setup (see above).")


if __name__ == "__main__":
    asyncio.run(main())
