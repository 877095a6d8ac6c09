"""LangGraph Server's entry (`langgraph.json`): the planning graph whose last step writes the run folder.

A run started through the server leaves the same folder a CLI run leaves (run.json,
trace.jsonl, the documents and their versions, manifest.json, report.html), under the
server's run home: `$GENAI_PLANNER_HOME` (default `./runs`, resolved against the server's
working directory when this module is imported). So `genai-planner runs`, `show`, `trace`
and `export` read it like any other run. The folder is named by the run's id: the context's
`run_id`, or the thread id when the caller leaves it open. It is written when the graph
reaches its end (a run paused for review gets it once resumed to the end there); its
run.json says it ran on the server (`origin`, `thread_id`), so `genai-planner resume`
points back to the server instead of starting it again.

The graph layer cannot import this layer, so the builder takes the writing step as its
`finish` node. The server rejects blocking calls on its event loop: data files are read
here, at import (as `graph/app.py` does), trace events go to their file through a queue
that one thread drains, and the folder is written in a worker thread.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import queue
import threading
from pathlib import Path
from typing import Any

from langgraph.config import get_config
from langgraph.runtime import Runtime

from genai_planner.core.config import RunContext
from genai_planner.core.errors import InputError
from genai_planner.core.settings import load_settings
from genai_planner.core.tracing import TraceSink, route_unclaimed_runs
from genai_planner.documents.specs import load_consistency_spec, load_document_specs
from genai_planner.graph.builder import build_graph
from genai_planner.run.manifest import build_manifest, write_outputs
from genai_planner.run.report import write_report
from genai_planner.run.runner import CONTEXT_EXCLUDE, RUN_FILE, SERVED_ORIGIN, model_label, run_dir_for, write_json_atomic
from genai_planner.tools.catalog import load_catalog

TRACE_FILE = "trace.jsonl"


class ServerTraces:
    """Each server run's events, appended to its folder's trace.jsonl by one thread.

    `write` (called on the event loop by the tracing router) only puts the event on a
    queue; the thread opens a run's trace file at its first event and `finish` closes it.
    """

    def __init__(self, home: Path):
        self.home = home
        self._queue: queue.SimpleQueue[tuple[str, Any, Any]] = queue.SimpleQueue()
        self._sinks: dict[str, TraceSink] = {}
        self._first: dict[str, str] = {}
        threading.Thread(target=self._drain, name="genai-planner-server-traces", daemon=True).start()

    def sink_for(self, run_id: str) -> ServerTraces:
        """The tracing router's fallback: this object's `write` takes every unclaimed run's events."""
        return self

    def write(self, event: dict[str, Any]) -> None:
        self._queue.put(("event", event, None))

    def finish(self, run_id: str, status: str) -> str | None:
        """Write the run's `run_end` after every event queued before it, close its trace; its first event's time.

        Blocks until the thread has done so: call it off the event loop.
        """
        done: list[str | None] = []
        flushed = threading.Event()
        self._queue.put(("finish", (run_id, status, done), flushed))
        flushed.wait()
        return done[0] if done else None

    def _drain(self) -> None:
        while True:
            kind, item, flushed = self._queue.get()
            try:
                if kind == "event":
                    self._append(item)
                else:
                    run_id, status, done = item
                    done.append(self._close(run_id, status))
            except Exception:  # noqa: BLE001, S110 - a trace line must never stop the server's runs
                pass
            finally:
                if flushed is not None:
                    flushed.set()

    def _sink(self, run_id: str) -> TraceSink | None:
        if run_id not in self._sinks:
            try:
                run_dir = run_dir_for(self.home, run_id)
            except InputError:
                return None  # a run id that would leave the run home keeps no trace
            run_dir.mkdir(parents=True, exist_ok=True)
            self._sinks[run_id] = TraceSink(run_dir / TRACE_FILE)
        return self._sinks[run_id]

    def _append(self, event: dict[str, Any]) -> None:
        run_id = str(event.get("run_id") or "")
        sink = self._sink(run_id)
        if sink is not None:
            self._first.setdefault(run_id, str(event.get("timestamp") or _now()))
            sink.write(event)

    def _close(self, run_id: str, status: str) -> str | None:
        first = self._first.pop(run_id, None)
        sink = self._sink(run_id)
        if sink is None:
            return first
        wall = (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(first)).total_seconds() if first else 0.0
        sink.write(
            {"event": "run_end", "run_id": run_id, "status": status, "reason": None, "wall_s": round(wall, 3), "timestamp": _now(),
             "level": "info", "document": None, "agent": None, "iteration": None}
        )
        sink.close()
        del self._sinks[run_id]
        return first


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def write_run_folder(home: Path, ctx: RunContext, values: dict[str, Any], *, thread_id: str | None, started_at: str | None) -> Path:
    """Write a finished server run's folder as the CLI's runner does: run.json, documents, manifest, report."""
    run_dir = run_dir_for(home, ctx.run_id)
    run_dir.mkdir(parents=True, exist_ok=True)
    ctx = ctx.model_copy(update={"run_dir": str(run_dir), "output_dir": home})
    specs = load_document_specs()
    saved = {
        "run_id": ctx.run_id,
        "scenario": values["scenario"],
        "context": ctx.model_dump(mode="json", exclude=CONTEXT_EXCLUDE),
        "started_at": started_at or _now(),
        "model": model_label(ctx, load_settings()),
        "engine_reason": "server",
        "origin": SERVED_ORIGIN,
        "thread_id": thread_id,
    }
    write_json_atomic(run_dir / RUN_FILE, saved)
    status = str(values.get("status") or "error")
    write_outputs(run_dir, specs, values, ctx.language, final=True)
    build_manifest(run_dir, specs, values, ctx, saved, status, None)
    write_report(run_dir)
    return run_dir


def run_home() -> Path:
    """Where server runs write their folders: `$GENAI_PLANNER_HOME` (default ./runs), absolute."""
    return load_settings().genai_planner_home.resolve()


TRACES = ServerTraces(run_home())


async def record_run(state: dict[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """The graph's last step on the server: the run folder, written off the event loop."""
    ctx = runtime.context
    thread_id = (get_config().get("configurable") or {}).get("thread_id")
    status = str(state.get("status") or "error")
    started = await asyncio.to_thread(TRACES.finish, ctx.run_id, status)
    await asyncio.to_thread(write_run_folder, TRACES.home, ctx, dict(state), thread_id=str(thread_id) if thread_id else None, started_at=started)
    return {}


load_document_specs()
load_consistency_spec()
load_catalog()
route_unclaimed_runs(TRACES.sink_for)

graph = build_graph(finish=record_run).compile()
