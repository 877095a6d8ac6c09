"""Batch: many scenarios at once, with bounded concurrency, one thread (run) each.

Within a process, runs share one event loop and one checkpointer and store connection. One
event loop is one core (the GIL), so a large batch is split over worker processes: each
runs its share of the scenarios on its own loop, against the same output directory (SQLite
in WAL mode, schema set up under a file lock; or Postgres). A failing scenario (bad file,
crash, failed checks), or even a dying worker, is a row in the summary; it never stops the
others.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import queue as queue_module
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from genai_planner.errors import InputError, PlannerError
from genai_planner.runner import open_persistence, prepare_output_dir, run_planning
from genai_planner.scenario import load_scenario
from genai_planner.settings import RunOptions, Settings, load_settings
from genai_planner.tracing import Listener


@dataclass
class BatchRow:
    """The outcome of one scenario in a batch."""

    scenario: str
    status: str
    run_id: str | None = None
    passed: str = "-"
    detail: str = ""


RUNS_PER_WORKER = 8
"""Concurrent runs one event loop takes before the batch adds a worker process (`workers=None`)."""


def default_workers(concurrency: int, n_files: int) -> int:
    """Worker processes for a batch: one per `RUNS_PER_WORKER` concurrent runs, at most one per core."""
    return max(1, min(os.cpu_count() or 1, math.ceil(min(concurrency, n_files) / RUNS_PER_WORKER)))


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
    workers: int | None = None,
    settings: Settings | None = None,
    on_done: Listener | None = None,
) -> list[BatchRow]:
    """Run every scenario, at most `concurrency` at a time, over `workers` processes.

    `workers=None` picks `default_workers`; 1 runs everything on this process's event loop.
    Rows come back in the order of `files`.
    """
    settings = settings or load_settings()
    output_dir = prepare_output_dir(options.output_dir)
    workers = default_workers(concurrency, len(files)) if workers is None else max(1, min(workers, len(files)))
    if workers > 1:
        return await _run_in_processes(files, options.model_copy(update={"output_dir": output_dir}), concurrency, workers, settings, on_done)
    gate = asyncio.Semaphore(max(1, concurrency))

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
            except Exception as exc:  # noqa: BLE001 - one scenario must not stop the batch
                row = BatchRow(path.name, "error", detail=f"{type(exc).__name__}: {exc}"[:300])
            if on_done:
                on_done({"event": "batch_item", **asdict(row)})
            return row

    async with open_persistence(output_dir, settings) as persistence:
        return list(await asyncio.gather(*(one(p, persistence) for p in files)))


# --- worker processes ---------------------------------------------------------------

_EVENTS: Any = None  # the parent's event queue, set in each worker by `_init_worker`


def _init_worker(events: Any) -> None:
    global _EVENTS
    _EVENTS = events


def _worker(files: list[Path], options: RunOptions, concurrency: int, settings: Settings) -> list[BatchRow]:
    """One worker's share of a batch, on its own event loop."""
    return asyncio.run(run_batch(files, options, concurrency, workers=1, settings=settings, on_done=_EVENTS.put))


async def _run_in_processes(
    files: list[Path], options: RunOptions, concurrency: int, workers: int, settings: Settings, on_done: Listener | None
) -> list[BatchRow]:
    # "spawn": a forked copy of a process with an event loop and database threads is unsafe.
    mp = multiprocessing.get_context("spawn")
    events = mp.Queue()
    shares = [files[i::workers] for i in range(workers)]
    per_worker = max(1, math.ceil(concurrency / workers))
    reported: dict[str, BatchRow] = {}

    def forward(block: bool) -> None:
        while True:
            try:
                event = events.get(timeout=0.2) if block else events.get_nowait()
            except queue_module.Empty:
                return
            fields = {k: v for k, v in event.items() if k != "event"}
            reported[fields["scenario"]] = BatchRow(**fields)
            if on_done:
                on_done(event)
            block = False

    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp, initializer=_init_worker, initargs=(events,)) as pool:
        futures = [loop.run_in_executor(pool, _worker, share, options, per_worker, settings) for share in shares]
        pending = asyncio.gather(*futures, return_exceptions=True)
        while not pending.done():
            await asyncio.to_thread(forward, True)
        results = await pending
    forward(False)
    rows: list[BatchRow | None] = [None] * len(files)
    for i, (share, result) in enumerate(zip(shares, results, strict=True)):
        indices = range(i, len(files), workers)  # share i holds files[i::workers]
        if not isinstance(result, BaseException):
            for index, row in zip(indices, result, strict=True):
                rows[index] = row
            continue
        # The worker died (killed, out of memory): runs it had finished keep their rows.
        for index, path in zip(indices, share, strict=True):
            row = reported.get(path.name) or BatchRow(path.name, "error", detail=f"worker process failed: {type(result).__name__}: {result}"[:300])
            if path.name not in reported and on_done:
                on_done({"event": "batch_item", **asdict(row)})
            rows[index] = row
    return [row for row in rows if row is not None]
