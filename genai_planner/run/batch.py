"""Batch: many scenarios at once, with bounded concurrency, one thread (run) each.

Runs share one checkpointer and store connection. A failing scenario (bad file, crash,
failed checks) is a row in the summary; it never stops the others.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from genai_planner.core.errors import InputError, PlannerError
from genai_planner.core.scenario import load_scenario
from genai_planner.core.settings import RunOptions, Settings, load_settings
from genai_planner.core.tracing import Listener
from genai_planner.run.runner import open_persistence, prepare_output_dir, run_planning


@dataclass
class BatchRow:
    """The outcome of one scenario in a batch."""

    scenario: str
    status: str
    run_id: str | None = None
    passed: str = "-"
    detail: str = ""


def scenario_files(directory: Path) -> list[Path]:
    """The YAML scenarios in a folder, or `InputError`."""
    if not directory.is_dir():
        raise InputError(f"batch expects a folder of scenarios: {directory}")
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not files:
        raise InputError(f"no .yaml scenarios in {directory}")
    return files


async def run_batch(
    files: list[Path],
    options: RunOptions,
    concurrency: int,
    *,
    settings: Settings | None = None,
    on_done: Listener | None = None,
) -> list[BatchRow]:
    """Run every scenario, at most `concurrency` at a time."""
    settings = settings or load_settings()
    output_dir = prepare_output_dir(options.output_dir)
    gate = asyncio.Semaphore(max(1, concurrency))

    rows: dict[Path, BatchRow] = {}

    async def one(path: Path, persistence: tuple) -> BatchRow:
        async with gate:
            try:
                scenario = load_scenario(path)
                result = await run_planning(scenario, options, settings=settings, persistence=persistence)
                docs = result.manifest.get("documents", [])
                row = BatchRow(
                    path.name,
                    result.status,
                    result.run_id,
                    f"{sum(d['status'] == 'passed' for d in docs)}/{len(docs)}",
                    result.manifest.get("reason") or "",
                )
            except PlannerError as exc:
                row = BatchRow(path.name, "invalid", detail=str(exc))
            except (asyncio.CancelledError, KeyboardInterrupt):
                rows[path] = BatchRow(path.name, "interrupted", detail="stopped before it finished")
                raise
            except Exception as exc:  # noqa: BLE001 - one scenario must not stop the batch
                row = BatchRow(path.name, "error", detail=f"{type(exc).__name__}: {exc}"[:300])
            rows[path] = row
            if on_done:
                on_done({"event": "batch_item", "scenario": row.scenario, "status": row.status})
            return row

    async with open_persistence(output_dir, settings) as persistence:
        try:
            # return_exceptions: the gather ends when every run has (a cancelled run records its
            # manifest first); without it the first cancelled waiter ended it and closed the
            # databases under the runs still writing theirs.
            await asyncio.gather(*(one(p, persistence) for p in files), return_exceptions=True)
        except (asyncio.CancelledError, KeyboardInterrupt):
            # Ctrl-C or SIGTERM: every run stopped records itself 'interrupted' (and is resumable);
            # the summary still lists every scenario, the ones never started included.
            pass
    return [rows.get(p) or BatchRow(p.name, "interrupted", detail="not started") for p in files]
