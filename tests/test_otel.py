"""OpenTelemetry export: spans reach a local OTLP/HTTP collector as run → nodes → model, tool and check spans.

The collector is `tests.otlp_receiver`, an http.server on 127.0.0.1 that decodes the protobuf
`ExportTraceServiceRequest`. The spans must form the tree, follow the GenAI semantic
conventions, carry the run id, and hold no secret and no prompt text; an unreachable
collector costs one warning, and without the variable nothing is even imported.
"""

from __future__ import annotations

import json
import socket
import sys

import pytest

from genai_planner.agents.prompts import RESEARCHER_SYSTEM
from genai_planner.core.tracing import emit, read_trace, register_secrets, trace_run
from tests.conftest import ROOT, run_offline
from tests.otlp_receiver import OtlpReceiver

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
HEADER_TOKEN = "s3cr3t-collector-token-77"
OPENAI_KEY = "sk-otel-test-key-0123456789abcdef"


@pytest.mark.integration
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_run_reaches_the_collector_as_a_span_tree_without_secrets_or_prompts(tmp_path, monkeypatch):
    with OtlpReceiver() as collector:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint)
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", f"authorization=Bearer {HEADER_TOKEN}")
        monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)  # a secret in the process; the engine stays offline
        result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False, engine="offline")
    assert result.status in {"completed", "completed_with_failures"}
    spans = collector.spans
    assert collector.headers and all(h.get("authorization") == f"Bearer {HEADER_TOKEN}" for h in collector.headers)  # the setting is used
    by_id = {s["span_id"]: s for s in spans}

    roots = [s for s in spans if s["parent"] is None]
    assert [r["name"] for r in roots] == ["genai_planner.run"]
    root = roots[0]
    assert root["resource"]["service.name"] == "genai-planner" and root["attributes"]["genai_planner.status"] == result.status
    assert all(s["attributes"]["genai_planner.run_id"] == result.run_id for s in spans)
    assert len({s["trace_id"] for s in spans}) == 1

    nodes = [s for s in spans if s["parent"] == root["span_id"] and "genai_planner.node" in s["attributes"]]
    assert {"plan_run", "research_document", "draft_document", "review_document"} <= {n["name"] for n in nodes}
    node_ids = {n["span_id"] for n in nodes}

    chats = [s for s in spans if s["name"].startswith("chat ")]
    assert chats and all(c["parent"] in node_ids for c in chats)
    for c in chats:
        a = c["attributes"]
        assert a["gen_ai.operation.name"] == "chat" and a["gen_ai.request.model"] == "offline-engine-1"
        assert a["gen_ai.usage.input_tokens"] > 0 and a["gen_ai.usage.output_tokens"] > 0
        assert c["start"] <= c["end"] and by_id[c["parent"]]["start"] <= c["start"]
    assert {by_id[c["parent"]]["name"] for c in chats} >= {"plan_run", "draft_document"}

    tools = [s for s in spans if s["name"].startswith("execute_tool ")]
    assert tools and all(by_id[t["parent"]]["name"] == "research_document" for t in tools)
    assert all(t["attributes"]["gen_ai.operation.name"] == "execute_tool" and t["attributes"]["gen_ai.tool.name"] for t in tools)
    assert "gen_ai.tool.call.arguments" not in tools[0]["attributes"]  # content stays out by default

    checks = [s for s in spans if s["name"].startswith("check ")]
    assert checks and all(by_id[c["parent"]]["name"] in {"review_document", "schedule_documents", "review_consistency"} for c in checks)

    raw = b"".join(collector.bodies).decode("utf-8", errors="replace")
    assert HEADER_TOKEN not in raw and OPENAI_KEY not in raw
    events = read_trace(result.run_dir / "trace.jsonl")
    questions = [e["args"]["query"] for e in events if e["event"] == "tool_call" and e["args"].get("query")]
    prompt_bits = [*questions, "looking up product specifications", RESEARCHER_SYSTEM.split("{")[0].strip()[:60]]
    assert questions and all(bit and bit not in raw for bit in prompt_bits)
    assert not [e for e in events if e["event"] == "otel_export_failed"]


@pytest.mark.integration
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_an_unreachable_collector_costs_one_warning_never_the_run(tmp_path, monkeypatch):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", f"http://127.0.0.1:{port}/v1/traces")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TIMEOUT", "1")
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    assert result.status in {"completed", "completed_with_failures"}
    warnings = [e for e in read_trace(result.run_dir / "trace.jsonl") if e["event"] == "otel_export_failed"]
    assert len(warnings) == 1 and warnings[0]["level"] == "warning" and str(port) in warnings[0]["message"]


@pytest.mark.parametrize("switch", [None, ("OTEL_SDK_DISABLED", "true"), ("OTEL_TRACES_EXPORTER", "none")])
def test_without_an_endpoint_or_with_traces_switched_off_nothing_is_imported(tmp_path, monkeypatch, switch):
    if switch:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
        monkeypatch.setenv(*switch)
    sys.modules.pop("genai_planner.core.otel", None)
    with trace_run("no-otel", tmp_path / "trace.jsonl") as sink:
        emit("run_start", engine="offline")
        emit("run_end", status="completed")
    assert "genai_planner.core.otel" not in sys.modules
    assert sink.listeners == []


def _memory_spans(monkeypatch, capture: bool, events: list[dict]) -> list:
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from genai_planner.core.otel import RunSpans

    monkeypatch.setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true" if capture else "false")
    exporter = InMemorySpanExporter()
    spans = RunSpans("r1", exporter)
    for e in events:
        spans(e)
    spans.provider.force_flush()
    return list(exporter.get_finished_spans())


EVENTS = [
    {"event": "run_start", "engine": "openai", "model": "m"},
    {"event": "node_start", "node": "research_document", "agent": "researcher", "document": "1", "iteration": 0},
    {"event": "tool_call", "tool": "wiki", "args": {"query": "uptime of the token-abc123-secret service"}, "sources": ["S2"], "duration_s": 0.1,
     "error": "ERROR token-abc123-secret refused", "agent": "researcher", "document": "1", "iteration": 0},
    {"event": "node_end", "node": "research_document", "agent": "researcher", "document": "1", "iteration": 0},
    {"event": "run_end", "status": "completed"},
]


def test_content_only_with_the_capture_flag_and_secrets_redacted_even_then(monkeypatch):
    register_secrets(["token-abc123-secret"])
    plain = {s.name: s for s in _memory_spans(monkeypatch, False, EVENTS)}
    assert "gen_ai.tool.call.arguments" not in plain["execute_tool wiki"].attributes
    captured = {s.name: s for s in _memory_spans(monkeypatch, True, EVENTS)}
    args = captured["execute_tool wiki"].attributes["gen_ai.tool.call.arguments"]
    assert "uptime of the" in args and "token-abc123-secret" not in args
    assert "token-abc123-secret" not in (captured["execute_tool wiki"].status.description or "")
    assert captured["execute_tool wiki"].parent.span_id == captured["research_document"].context.span_id
    assert captured["research_document"].parent.span_id == captured["genai_planner.run"].context.span_id


def test_grpc_without_its_exporter_is_one_warning(tmp_path, monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
    monkeypatch.setitem(sys.modules, "opentelemetry.exporter.otlp.proto.grpc", None)  # not installed
    with trace_run("grpc-run", tmp_path / "trace.jsonl"):
        emit("run_start", engine="offline")
        emit("run_end", status="completed")
    warnings = [e for e in read_trace(tmp_path / "trace.jsonl") if e["event"] == "otel_export_failed"]
    assert len(warnings) == 1 and "opentelemetry-exporter-otlp-proto-grpc" in warnings[0]["message"]
    assert json.dumps(warnings)  # plain data
