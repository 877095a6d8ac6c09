"""Events, not prints: structlog events with the run's context, one JSON line each in trace.jsonl.

Nodes, model calls, tool calls and checks call `emit`. A processor routes each event to its
run's `TraceSink` (by `run_id`), numbers it, and hands it to listeners (the CLI progress
display). Secrets are redacted before anything is written or shown.

The library owns its processor pipeline (a logger made with `structlog.wrap_logger`), so it
never reconfigures the host application's structlog; `show_events_on_stderr` is for the
CLI entry point only. A listener that raises is recorded in the trace (`listener_error`).
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import structlog
from structlog.contextvars import bound_contextvars, merge_contextvars

from genai_planner.core import regex_cache

Listener = Callable[[dict[str, Any]], None]

_SINKS: dict[str, TraceSink] = {}
_SECRETS: set[str] = set()
_LOCK = threading.Lock()
_CONSOLE = {"on": False}
_FALLBACK: list[Callable[[str], Any]] = []
"""At most one: gives the sink for a run no `trace_run` block holds (LangGraph Server's entry sets it)."""
LISTENER_MAX_ERRORS = 5
"""A listener that fails this many times is detached (and the trace says so)."""
BEARER_RE = regex_cache.compile(r"(Bearer\s+)[A-Za-z0-9._\-]+", re.IGNORECASE)
KEY_RE = regex_cache.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|tvly-[A-Za-z0-9_\-]{8,})")


def register_secrets(values: list[str]) -> None:
    """Values that must never appear in a trace, manifest or log line."""
    _SECRETS.update(v for v in values if v and len(v) >= 4)


def redact(text: str) -> str:
    """Text with registered secrets, bearer tokens and API-key shapes replaced by '***'."""
    for secret in _SECRETS:
        text = text.replace(secret, "***")
    text = BEARER_RE.sub(r"\1***", text)
    return KEY_RE.sub("***", text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    return value


class TraceSink:
    """Appends a run's events to trace.jsonl with a monotonic sequence number."""

    def __init__(self, path: Path):
        self.path = path
        self.listeners: list[Listener] = []
        self._seq = self._last_seq(path)
        self._file = path.open("a", encoding="utf-8")
        self._listener_errors: dict[int, int] = {}

    @staticmethod
    def _last_seq(path: Path) -> int:
        if not path.exists():
            return 0
        last = 0
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    last = max(last, int(json.loads(line).get("seq", 0)))
                except (json.JSONDecodeError, ValueError, TypeError):
                    continue
        return last

    def _append(self, event: dict[str, Any]) -> None:
        with _LOCK:
            self._seq += 1
            event["seq"] = self._seq
            self._file.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
            self._file.flush()

    def write(self, event: dict[str, Any]) -> None:
        self._append(event)
        for listener in list(self.listeners):
            try:
                listener(event)
            except Exception as exc:  # a display problem must never stop a run, but it is recorded
                self._listener_failed(listener, event, exc)

    def _listener_failed(self, listener: Listener, event: dict[str, Any], exc: Exception) -> None:
        errors = self._listener_errors[id(listener)] = self._listener_errors.get(id(listener), 0) + 1
        detached = errors >= LISTENER_MAX_ERRORS
        if detached and listener in self.listeners:
            self.listeners.remove(listener)
        record = {
            "event": "listener_error",
            "listener": getattr(listener, "__qualname__", type(listener).__qualname__),
            "on_event": event.get("event"),
            "error": redact(f"{type(exc).__name__}: {exc}")[:300],
            "detached": detached,
            "run_id": event.get("run_id"),
            "timestamp": event.get("timestamp"),
            "level": "error",
            **{key: event.get(key) for key in TRACE_KEYS},
        }
        self._append(record)  # straight to the file: never back through the failing listener

    def close(self) -> None:
        self._file.close()


TRACE_KEYS = ("document", "agent", "iteration")


def _route(logger: Any, method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    event_dict = _redact_value(event_dict)
    for key in TRACE_KEYS:  # every event carries them; None at run level
        event_dict.setdefault(key, None)
    run_id = str(event_dict.get("run_id", ""))
    sink = _SINKS.get(run_id)
    if sink is None and _FALLBACK and run_id:
        sink = _FALLBACK[0](run_id)
    if sink is not None:
        sink.write(dict(event_dict))
    if not _CONSOLE["on"]:
        raise structlog.DropEvent
    return event_dict


def _render(logger: Any, method: str, event_dict: dict[str, Any]) -> str:
    return structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())(logger, method, event_dict)


class _StderrLogger:
    """Writes rendered lines to the current `sys.stderr` (looked up per line, so captures work)."""

    def msg(self, message: str) -> None:
        sys.stderr.write(message + "\n")

    info = warning = error = debug = critical = exception = msg


def route_unclaimed_runs(factory: Callable[[str], Any] | None) -> None:
    """Send the events of runs no `trace_run` block holds to `factory(run_id)`'s sink (its `write(event)`); None stops.

    A process that drives no run itself (LangGraph Server) keeps a trace per run this way;
    the CLI never sets it, so its traces stay exactly those its runs open.
    """
    _FALLBACK.clear()
    if factory is not None:
        _FALLBACK.append(factory)


def show_events_on_stderr(on: bool = True) -> None:
    """Also render every event on stderr (for a CLI entry point; the library never turns it on)."""
    _CONSOLE["on"] = on


OTEL_ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")


@contextmanager
def trace_run(run_id: str, path: Path, listeners: list[Listener] | None = None) -> Iterator[TraceSink]:
    """Route every event carrying `run_id` to `path` while the block runs.

    With an OTLP endpoint in the environment the events also leave as OpenTelemetry spans
    (`core.otel`, imported only then); its warnings land in this same trace.
    """
    sink = TraceSink(path)
    sink.listeners.extend(listeners or [])
    _SINKS[run_id] = sink
    try:
        with bound_contextvars(run_id=run_id):
            spans = _start_spans(run_id, sink)
            try:
                yield sink
            finally:
                if spans is not None:
                    spans.finish()
    finally:
        _SINKS.pop(run_id, None)
        sink.close()


def _start_spans(run_id: str, sink: TraceSink) -> Any:
    """The OpenTelemetry listener when an OTLP endpoint is set; nothing (not even the import) otherwise."""
    if not any(os.environ.get(v) for v in OTEL_ENDPOINT_VARS):
        return None
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true" or os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "none":
        return None  # the standard switches for "no traces", honoured as other OpenTelemetry programs do
    try:
        from genai_planner.core.otel import RunSpans
    except ImportError as exc:
        warn("otel_export_failed", error=str(exc)[:200], message=f"OpenTelemetry is not installed ({exc.name}); spans are not exported")
        return None
    spans = RunSpans.start(run_id)
    if spans is not None:
        sink.listeners.append(spans)
    return spans


_log = structlog.wrap_logger(
    _StderrLogger(),
    processors=[
        merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _route,
        _render,
    ],
    wrapper_class=structlog.BoundLogger,  # a host's filtering wrapper must not drop trace events
    context_class=dict,
    cache_logger_on_first_use=True,
)
"""The library's own pipeline: independent of (and never changing) `structlog.configure`."""


def emit(event: str, **fields: Any) -> None:
    """Emit one trace event (the run's context is merged in from contextvars)."""
    _log.info(event, **fields)


def warn(event: str, **fields: Any) -> None:
    """Emit one trace event at level `warning`: something was skipped or cut, and the run goes on."""
    _log.warning(event, **fields)


@contextmanager
def node_span(node: str, **context: Any) -> Iterator[dict[str, Any]]:
    """Bind the node's context, emit node_start/node_end with its duration."""
    start = time.perf_counter()
    info: dict[str, Any] = {}
    with bound_contextvars(**{k: v for k, v in context.items() if v is not None}):
        emit("node_start", node=node)
        try:
            yield info
        except BaseException as exc:
            emit("node_end", node=node, duration_s=round(time.perf_counter() - start, 4), error=type(exc).__name__, **info)
            raise
        emit("node_end", node=node, duration_s=round(time.perf_counter() - start, 4), **info)


def read_trace(path: Path) -> list[dict[str, Any]]:
    """Every event of a trace file, skipping lines a crash may have cut short."""
    events = []
    if not path.exists():
        return events
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events
