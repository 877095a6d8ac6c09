"""OpenTelemetry export of a run, built from its trace events (events, not instrumentation).

`core.tracing.trace_run` attaches a `RunSpans` listener when `OTEL_EXPORTER_OTLP_ENDPOINT`
or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (and neither `OTEL_SDK_DISABLED=true` nor
`OTEL_TRACES_EXPORTER=none`); otherwise this module is never imported,
and neither is OpenTelemetry. The events already say everything a span needs, so the agents
are not instrumented twice:

- `run_start` .. `run_end`: the root span `genai_planner.run`;
- `node_start` .. `node_end`: a child span per graph node (`research_document`, `draft_document` ...);
- `llm_call` / `llm_error`: `chat <model>` spans under their node, with the GenAI semantic
  conventions (`gen_ai.operation.name`, `gen_ai.request.model`, `gen_ai.usage.input_tokens`,
  `gen_ai.usage.output_tokens`); started `latency_s` before the event;
- `tool_call`: `execute_tool <tool>` spans (`gen_ai.tool.name`, sources, error);
- `check_result`: `check <id>` spans with `genai_planner.check.passed`.

Every span carries `genai_planner.run_id`. Content stays out unless
`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`: then tool arguments (the research
questions) and check details are added. Prompts are never in events, so never in spans.
Values pass `redact` again, so a registered secret cannot leave in an attribute.

Spans go out in the background (a batch processor) over OTLP/HTTP protobuf, or gRPC when
`OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL=grpc` and its exporter is installed. A collector that
is unreachable or refuses the spans costs one `otel_export_failed` warning at the end of the
run, and the exporter's own log lines are kept off the console.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Sequence
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import Span, Status, StatusCode

from genai_planner.core.tracing import redact, register_secrets, warn

CAPTURE_VAR = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
FLUSH_TIMEOUT_MS = 5000
DEFAULT_EXPORT_TIMEOUT_S = 5.0
"""Per export (the exporter's own default is 10 s of retries); `OTEL_EXPORTER_OTLP_TIMEOUT` overrides it."""
_QUIET_LOGGERS = ("opentelemetry.exporter", "opentelemetry.sdk.trace.export")


def endpoint() -> str:
    """The traces endpoint as the exporter will use it (for the warning line)."""
    return os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or ""


def _protocol() -> str:
    return (os.environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL") or "http/protobuf").strip().lower()


def _export_timeout() -> float | None:
    given = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") or os.environ.get("OTEL_EXPORTER_OTLP_TIMEOUT")
    return None if given else DEFAULT_EXPORT_TIMEOUT_S


def _header_secrets() -> None:
    """Header values (collector API keys) are secrets: never in a trace line or a warning."""
    for var in ("OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"):
        for pair in (os.environ.get(var) or "").split(","):
            if "=" in pair:
                register_secrets([pair.split("=", 1)[1].strip()])


def _make_exporter() -> SpanExporter | None:
    """The OTLP exporter the environment asks for; None (and one warning) when it cannot be had."""
    if _protocol() == "grpc":
        try:
            from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
        except ImportError:
            warn(
                "otel_export_failed",
                endpoint=endpoint(),
                error="grpc exporter not installed",
                message="OTLP protocol grpc needs opentelemetry-exporter-otlp-proto-grpc (pip install it, or use http/protobuf); spans are not exported",
            )
            return None
        return GrpcExporter(timeout=_export_timeout())
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter(timeout=_export_timeout())


class _GuardedExporter(SpanExporter):
    """Remembers the first failure and stops trying after it: one unreachable collector, one warning."""

    def __init__(self, inner: SpanExporter):
        self.inner = inner
        self.error: str | None = None
        self.exported = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        if self.error is not None:
            return SpanExportResult.FAILURE
        try:
            result = self.inner.export(spans)
        except Exception as exc:  # noqa: BLE001 - the export must never reach the run
            self.error = f"{type(exc).__name__}: {exc}"[:200]
            return SpanExportResult.FAILURE
        if result is not SpanExportResult.SUCCESS:
            self.error = "the collector did not accept the spans (unreachable, or an error status)"
        else:
            self.exported += len(spans)
        return result

    def shutdown(self) -> None:
        try:
            self.inner.shutdown()
        except Exception:  # noqa: BLE001,S110 - closing must never fail a finished run
            pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def _scalar(value: Any) -> Any:
    """An attribute value OpenTelemetry accepts, redacted."""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return [redact(v) for v in value]
    return redact(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str))


NODE_KEYS = ("document", "agent", "iteration")


class RunSpans:
    """A trace listener that turns one run's events into spans and exports them."""

    def __init__(self, run_id: str, exporter: SpanExporter):
        for name in _QUIET_LOGGERS:
            quiet = logging.getLogger(name)
            quiet.addHandler(logging.NullHandler())
            quiet.propagate = False
        self.run_id = run_id
        self.capture = os.environ.get(CAPTURE_VAR, "").strip().lower() == "true"
        resource = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": "genai-planner"}
        self.provider = TracerProvider(resource=Resource.create(resource))
        self.exporter = _GuardedExporter(exporter)
        self.provider.add_span_processor(BatchSpanProcessor(self.exporter, schedule_delay_millis=2000))
        self.tracer = self.provider.get_tracer("genai_planner")
        self.root: Span | None = None
        self.nodes: list[tuple[tuple[Any, ...], Span]] = []
        self.engine = ""

    @classmethod
    def start(cls, run_id: str) -> RunSpans | None:
        """The listener for `run_id`, or None (with one warning) when spans cannot be exported."""
        _header_secrets()
        try:
            exporter = _make_exporter()
        except Exception as exc:  # noqa: BLE001 - a bad endpoint or header value is a warning, not a failed run
            warn(
                "otel_export_failed",
                endpoint=endpoint(),
                error=f"{type(exc).__name__}: {exc}"[:200],
                message=f"cannot export spans to {endpoint()} ({type(exc).__name__})",
            )
            return None
        return cls(run_id, exporter) if exporter is not None else None

    def _span(self, name: str, parent: Span | None, start_ns: int, attributes: dict[str, Any]) -> Span:
        context = trace.set_span_in_context(parent) if parent is not None else None
        attrs = {"genai_planner.run_id": self.run_id, **{k: _scalar(v) for k, v in attributes.items() if v is not None}}
        return self.tracer.start_span(name, context=context, start_time=start_ns, attributes=attrs)

    def _parent(self, event: dict[str, Any]) -> Span | None:
        """The innermost open node span of the event's document, agent and iteration; the root otherwise."""
        key = tuple(event.get(k) for k in NODE_KEYS)
        for node_key, span in reversed(self.nodes):
            if node_key[1:] == key:
                return span
        return self.root

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        now = time.time_ns()
        if kind == "run_start":
            self.engine = str(event.get("engine") or "")
            if self.root is None:
                self.root = self._span(
                    "genai_planner.run",
                    None,
                    now,
                    {
                        "genai_planner.engine": self.engine,
                        "genai_planner.model": event.get("model"),
                        "genai_planner.language": event.get("language"),
                        "genai_planner.resumed": event.get("resumed"),
                    },
                )
        elif kind == "node_start":
            attrs = {
                "genai_planner.node": event.get("node"),
                "gen_ai.agent.name": event.get("agent"),
                "genai_planner.document": event.get("document"),
                "genai_planner.iteration": event.get("iteration"),
            }
            span = self._span(str(event.get("node")), self._parent(event), now, attrs)
            self.nodes.append(((event.get("node"), *(event.get(k) for k in NODE_KEYS)), span))
        elif kind == "node_end":
            self._end_node(event, now)
        elif kind in {"llm_call", "llm_error"}:
            self._model_call(event, now)
        elif kind == "tool_call":
            self._tool_call(event, now)
        elif kind == "check_result":
            attrs: dict[str, Any] = {"genai_planner.check.id": event.get("check"), "genai_planner.check.passed": bool(event.get("passed"))}
            if self.capture:
                attrs["genai_planner.check.detail"] = event.get("detail")
            span = self._span(f"check {event.get('check')}", self._parent(event), now, attrs)
            span.end(end_time=now)
        elif kind == "run_end":
            self._end_run(event, now)
        elif event.get("level") == "warning":
            target = self._parent(event)
            if target is not None:
                target.add_event(str(kind), attributes={k: _scalar(event[k]) for k in ("tool", "server", "check") if event.get(k) is not None})

    def _end_node(self, event: dict[str, Any], now: int) -> None:
        key = (event.get("node"), *(event.get(k) for k in NODE_KEYS))
        for i in range(len(self.nodes) - 1, -1, -1):
            if self.nodes[i][0] == key:
                span = self.nodes.pop(i)[1]
                if event.get("error"):
                    span.set_status(Status(StatusCode.ERROR, str(event["error"])))
                    span.set_attribute("error.type", str(event["error"]))
                span.end(end_time=now)
                return

    def _model_call(self, event: dict[str, Any], now: int) -> None:
        model = str(event.get("model") or "")
        start = now - int(float(event.get("latency_s") or 0) * 1e9)
        attrs = {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": self.engine or None,
            "gen_ai.request.model": model,
            "gen_ai.usage.input_tokens": event.get("input_tokens"),
            "gen_ai.usage.output_tokens": event.get("output_tokens"),
            "genai_planner.purpose": event.get("purpose"),
            "genai_planner.cost_usd": event.get("cost_usd"),
            "genai_planner.attempt": event.get("attempt"),
        }
        span = self._span(f"chat {model}", self._parent(event), start, attrs)
        if event["event"] == "llm_error":
            span.set_status(Status(StatusCode.ERROR, redact(str(event.get("error") or ""))[:200]))
            span.set_attribute("error.type", str(event.get("status") or "error"))
        span.end(end_time=now)

    def _tool_call(self, event: dict[str, Any], now: int) -> None:
        tool = str(event.get("tool") or "")
        start = now - int(float(event.get("duration_s") or 0) * 1e9)
        attrs: dict[str, Any] = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": tool,
            "genai_planner.sources": len(event.get("sources") or []),
        }
        if self.capture:
            attrs["gen_ai.tool.call.arguments"] = event.get("args")
        span = self._span(f"execute_tool {tool}", self._parent(event), start, attrs)
        if event.get("error"):
            span.set_status(Status(StatusCode.ERROR, redact(str(event["error"]))[:200]))
            span.set_attribute("error.type", "tool_error")
        span.end(end_time=now)

    def _end_run(self, event: dict[str, Any], now: int) -> None:
        for _, span in reversed(self.nodes):  # interrupted nodes end with the run
            span.end(end_time=now)
        self.nodes.clear()
        if self.root is not None:
            self.root.set_attribute("genai_planner.status", str(event.get("status") or ""))
            if event.get("status") == "error":
                self.root.set_status(Status(StatusCode.ERROR, redact(str(event.get("reason") or ""))[:200]))
            self.root.end(end_time=now)
            self.root = None

    def finish(self) -> None:
        """End what is still open, send the rest, and say once if the collector never took the spans."""
        if self.root is not None:
            self._end_run({"status": "interrupted"}, time.time_ns())
        flushed = self.provider.force_flush(timeout_millis=FLUSH_TIMEOUT_MS)
        error = self.exporter.error or (None if flushed else f"no answer within {FLUSH_TIMEOUT_MS // 1000} s")
        self.exporter.error = self.exporter.error or error  # stop any export still queued
        self.provider.shutdown()
        if error:
            where = redact(endpoint())
            warn("otel_export_failed", endpoint=where, error=error, message=f"spans not exported to {where}: {error}; the run's own trace.jsonl is complete")
