"""Shared helpers for the benchmark scripts: a clean offline environment, one-run helpers,
trace reading, and the latency-injecting chat model registered as engine "latency".

Importing this module strips every OPENAI_/TAVILY_/GENAI_PLANNER_/LANGSMITH_/LANGCHAIN_
variable (so nothing can reach a network) and moves into a temporary working directory
(so no developer `.env` is read).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
ENV_PREFIXES = ("OPENAI_", "TAVILY_", "GENAI_PLANNER_", "LANGSMITH_", "LANGCHAIN_")


def clean_env() -> None:
    """No keys, no endpoints, no .env: the offline engine is the only one that can run."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIXES):
            del os.environ[name]
    os.environ["GENAI_PLANNER_RETRY_BASE_S"] = "0.001"


clean_env()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="genai-bench-"))
os.chdir(WORKDIR)

from langchain_core.outputs import ChatResult  # noqa: E402

from genai_planner.core.scenario import load_scenario  # noqa: E402
from genai_planner.core.settings import RunOptions  # noqa: E402
from genai_planner.core.tracing import read_trace  # noqa: E402
from genai_planner.models.factory import register_engine  # noqa: E402
from genai_planner.models.offline import OfflineChatModel  # noqa: E402
from genai_planner.run.runner import RunResult, run_planning  # noqa: E402

FIRST_TOKEN_S = 0.2
TOKENS_PER_S = 50.0
LATENCY_SCALE = 0.1
"""Simulated latencies are multiplied by this so a run takes seconds, not minutes."""


class LatencyChatModel(OfflineChatModel):
    """The offline model, plus a non-blocking sleep of (first token + output/rate) × scale per call."""

    first_token_s: float = FIRST_TOKEN_S
    tokens_per_s: float = TOKENS_PER_S
    scale: float = LATENCY_SCALE

    async def _agenerate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> ChatResult:
        result = self._generate(messages, stop=stop, **kwargs)
        out = (result.generations[0].message.usage_metadata or {}).get("output_tokens", 0)
        await asyncio.sleep((self.first_token_s + out / self.tokens_per_s) * self.scale)
        return result


register_engine("latency", lambda role, ctx, settings: LatencyChatModel())


def scenario(name: str = "electronics_store"):
    """A shipped scenario by file stem."""
    return load_scenario(SCENARIOS / f"{name}.yaml")


def fresh_dir(tag: str) -> Path:
    """A new, empty output directory under the benchmark's temporary folder."""
    return Path(tempfile.mkdtemp(prefix=f"{tag}-", dir=WORKDIR))


async def timed_run(name: str = "electronics_store", engine: str | None = None, out: Path | None = None) -> tuple[float, RunResult]:
    """One independent planning run (memory off); its wall time around `run_planning` and its result."""
    options = RunOptions(output_dir=out or fresh_dir("run"), use_memory=False, **({"engine": engine} if engine else {}))
    start = time.perf_counter()
    result = await run_planning(scenario(name), options)
    return time.perf_counter() - start, result


def trace(result: RunResult) -> list[dict[str, Any]]:
    """The run's trace events."""
    return read_trace(result.run_dir / "trace.jsonl")


def ts(event: dict[str, Any]) -> float:
    """An event's timestamp in seconds since the epoch."""
    return dt.datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp()


def union_length(intervals: list[tuple[float, float]]) -> float:
    """Total length covered by possibly overlapping intervals."""
    total, end = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b > end:
            total += b - max(a, end)
            end = b
    return total


def median(values: list[float]) -> float:
    return statistics.median(values)


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"
