"""What MCP tool sources and OpenTelemetry export cost: figures, not a timed test.

- MCP: starting the shipped example server over stdio and listing its tools (once per run),
  one tool call through the hub (mean of 20), and closing the session and process.
- OpenTelemetry: an in-process offline run of document 1 without export, then exporting to a
  local OTLP/HTTP receiver (tests/otlp_receiver.py), best of 2 each, with the spans received.

    python bench/mcp_otel.py
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def bench_mcp(tmp: Path) -> None:
    from genai_planner.tools.mcp import close_mcp_servers, mcp_hub

    config = tmp / "mcp.json"
    server = ROOT / "examples" / "mcp" / "store_facts_server.py"
    config.write_text(json.dumps({"mcpServers": {"store-facts": {"command": sys.executable, "args": [str(server)]}}}), encoding="utf-8")
    start = time.perf_counter()
    hub = mcp_hub(str(config), "bench")
    opened = time.perf_counter() - start
    tool = hub.tools()[0][0]

    async def calls() -> list[float]:
        out = []
        for _ in range(20):
            t = time.perf_counter()
            await tool.ainvoke({"query": "how long do staff wait on lookups?"})
            out.append(time.perf_counter() - t)
        return out

    latencies = asyncio.run(calls())
    start = time.perf_counter()
    close_mcp_servers("bench")
    closed = time.perf_counter() - start
    print(f"mcp stdio server start + list tools: {opened:.2f} s")
    print(f"mcp tool call through the hub: mean {statistics.mean(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms (20 calls)")
    print(f"mcp close (session and process): {closed:.2f} s")


def bench_otel(tmp: Path) -> None:
    from genai_planner.core.scenario import load_scenario
    from genai_planner.core.settings import RunOptions
    from genai_planner.run.runner import run_planning
    from tests.otlp_receiver import OtlpReceiver

    scenario = load_scenario(ROOT / "scenarios" / "electronics_store.yaml")

    def one() -> float:
        t = time.perf_counter()
        asyncio.run(run_planning(scenario, RunOptions(output_dir=tmp / "runs", documents=["1"], use_memory=False, engine="offline")))
        return time.perf_counter() - t

    one()  # warm imports and caches
    plain = min(one() for _ in range(2))
    with OtlpReceiver() as collector:
        os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.endpoint
        try:
            exported = min(one() for _ in range(2))
        finally:
            del os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"]
        spans = len(collector.spans) // 2
    change = 100 * (exported / plain - 1)
    print(f"offline run (document 1) without export: {plain:.2f} s; with OTLP/HTTP export: {exported:.2f} s ({spans} spans per run, {change:+.1f}%)")


if __name__ == "__main__":
    for name in [n for n in os.environ if n.startswith(("OPENAI_", "OTEL_"))]:
        del os.environ[name]
    with tempfile.TemporaryDirectory() as d:
        bench_mcp(Path(d))
        bench_otel(Path(d))
