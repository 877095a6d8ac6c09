"""Tokens: input and output tokens per document and per run (offline engine, whose token
counts are `estimate_tokens`: about four UTF-8 bytes per token), against a naive baseline.

The naive baseline is a design that puts everything into every writer and reviewer prompt:
for each writer/reviewer llm_call, its real input tokens plus
  * the tokens of every other document already finished (accepted or failed) when the call
    was made (the final Markdown in the run directory), and
  * the tokens of all of the run's findings (every source of every document, rendered as
    the writer's <source> blocks, read from the run's final checkpointed state).
Planner and researcher calls are counted as they are. This slightly over-states the
baseline for writer calls, which already carry their own section's findings.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from typing import Any

from _common import SCENARIOS, timed_run, trace
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from genai_planner.agents.context import findings_block
from genai_planner.graph.builder import build_graph
from genai_planner.models.offline.model import estimate_tokens
from genai_planner.run.runner import RunResult

LIMIT = 150_000
DETAIL = "electronics_store"


async def final_state(result: RunResult) -> dict[str, Any]:
    async with AsyncSqliteSaver.from_conn_string(str(result.run_dir.parent / "checkpoints.sqlite")) as saver:
        snapshot = await build_graph().compile(checkpointer=saver).aget_state({"configurable": {"thread_id": result.run_id}})
    return dict(snapshot.values)


async def measure(name: str) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    _, result = await timed_run(name)
    events = trace(result)
    state = await final_state(result)
    sources = [s for rec in state["documents"].values() for s in rec.get("sources") or []]
    findings = estimate_tokens(findings_block(sources))
    files = {d["id"]: result.run_dir / d["file"] for d in json.loads((result.run_dir / "manifest.json").read_text())["documents"]}
    doc_tokens = {d: estimate_tokens(p.read_text(encoding="utf-8")) if p.exists() else 0 for d, p in files.items()}
    finished: list[str] = []
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in events:
        doc = e.get("document")
        if e["event"] in ("review_decision", "document_failed") and doc and (e.get("accepted") or e["event"] == "document_failed"):
            finished.append(doc)
        if e["event"] != "llm_call":
            continue
        row = rows[doc or "run"]
        row["calls"] += 1
        row["input"] += e["input_tokens"]
        row["output"] += e["output_tokens"]
        extra = 0
        if e.get("agent") in ("writer", "reviewer"):
            extra = findings + sum(doc_tokens[d] for d in set(finished) if d != doc)
        row["baseline"] += e["input_tokens"] + extra
    totals = {k: sum(r[k] for r in rows.values()) for k in ("calls", "input", "output", "baseline")}
    totals["findings"] = findings
    return rows, totals


async def main() -> None:
    print(__doc__.split("\n\n", 1)[1].strip())
    rows, totals = await measure(DETAIL)
    print(f"\n{DETAIL}: tokens per document ('run' = the planner's calls)")
    print(f"{'doc':<4} {'calls':>5} {'input':>8} {'output':>7} {'naive input':>11} {'naive/real':>10}")
    for doc in sorted(rows, key=lambda d: (d == "run", d)):
        r = rows[doc]
        print(f"{doc:<4} {r['calls']:>5} {r['input']:>8} {r['output']:>7} {r['baseline']:>11} {r['baseline'] / r['input']:>10.2f}")
    print(f"(all findings of the run: {totals['findings']} tokens)")
    print(f"\nper run (all scenarios): input+output vs the {LIMIT:,}-token budget")
    print(f"{'scenario':<26} {'calls':>5} {'input':>8} {'output':>7} {'total':>8} {'naive total':>11} {'naive/real':>10}  under 150k?")
    missed = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        t = totals if path.stem == DETAIL else (await measure(path.stem))[1]
        real, naive = t["input"] + t["output"], t["baseline"] + t["output"]
        print(
            f"{path.stem:<26} {t['calls']:>5} {t['input']:>8} {t['output']:>7} {real:>8} {naive:>11} {naive / real:>10.2f}  {'yes' if real < LIMIT else 'NO'}"
        )
        if real >= LIMIT:
            missed.append(path.stem)
    print(f"every full run under {LIMIT:,} tokens: {'MET' if not missed else 'MISSED'}")
    if missed:
        print(f"TARGET MISSED: {', '.join(missed)} use {LIMIT:,} tokens or more")


if __name__ == "__main__":
    asyncio.run(main())
