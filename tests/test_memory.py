"""Memory: decisions flow between documents, lessons carry across runs, documents agree."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

from langgraph.store.sqlite.aio import AsyncSqliteStore

from genai_planner.memory.lessons import all_lessons, record_lesson
from genai_planner.memory.namespaces import decisions_ns, lessons_ns
from genai_planner.models.factory import unregister_engine
from tests.conftest import ROOT, run_offline
from tests.scripted import register_scripted

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"
CITY = ROOT / "scenarios" / "city_hall_complaints.yaml"


async def _namespace(db, ns):
    async with AsyncSqliteStore.from_conn_string(str(db)) as store:
        return {item.key: item.value for item in await store.asearch(ns, limit=100)}


def test_run_decisions_are_isolated_per_run(tmp_path):
    out = tmp_path / "runs"
    a = run_offline(SCENARIO, out, use_memory=True)  # with memory off decisions live in the run's own in-process store
    b = run_offline(CITY, out, use_memory=True)
    da = asyncio.run(_namespace(out / "memory.sqlite", decisions_ns(a.run_id)))
    db = asyncio.run(_namespace(out / "memory.sqlite", decisions_ns(b.run_id)))
    assert {"brief", "figures", "requirements", "metrics", "recommended_model", "runner_up", "techniques"} <= set(da)
    assert da["brief"]["value"]["sector"]["value"] == "retail" and db["brief"]["value"]["sector"]["value"] == "public_sector"
    assert da["recommended_model"] != db["recommended_model"] or da["requirements"] != db["requirements"]
    doc3_b = (b.run_dir / "03_performance_improvement.md").read_text(encoding="utf-8")
    assert db["recommended_model"]["value"] in doc3_b
    assert da["recommended_model"]["value"] not in doc3_b or da["recommended_model"] == db["recommended_model"]


def test_lessons_are_isolated_per_user(tmp_path):
    async def scenario():
        async with AsyncSqliteStore.from_conn_string(str(tmp_path / "m.sqlite")) as store:
            await store.setup()
            await record_lesson(store, "alice", "1", "total_words", "too long", "shortened")
            return await all_lessons(store, "alice"), await all_lessons(store, "bob")

    alice, bob = asyncio.run(scenario())
    assert len(alice) == 1 and bob == []


def pad_unless_warned(prompt: str, reply: str, n: int) -> str:
    """A writer that runs over the word limit in its first draft, unless a lesson about the limit is in its prompt."""
    learned = "<lessons>" in prompt and "total_words" in prompt.split("<lessons>", 1)[1]
    if "Compile document 1:" in prompt and not learned:
        padding = " ".join(f"padding{i}" for i in range(60))  # distinct words: a repeated one is a template seam of its own
        return reply.replace("## Requirements", padding + "\n\n## Requirements", 1)
    return reply


def test_lessons_from_one_run_reach_the_next_runs_writer(tmp_path):
    out = tmp_path / "runs"
    register_scripted("pad-unless-warned", pad_unless_warned)
    try:
        first = run_offline(SCENARIO, out, documents=["1"], engine="pad-unless-warned")
        second = run_offline(SCENARIO, out, documents=["1"], engine="pad-unless-warned")
        without = run_offline(SCENARIO, out, documents=["1"], engine="pad-unless-warned", use_memory=False)
    finally:
        unregister_engine("pad-unless-warned")
    revisions = [r.manifest["documents"][0]["revisions"] for r in (first, second, without)]
    assert revisions[0] >= 1 and revisions[1] == 0 and revisions[2] >= 1, revisions
    events = [json.loads(line) for line in (second.run_dir / "trace.jsonl").read_text().splitlines()]
    assert any(e["event"] == "lessons_used" and "total_words" in e["checks"] for e in events)
    lessons = asyncio.run(_namespace(out / "memory.sqlite", lessons_ns("local")))
    assert any(v["check_id"] == "total_words" for v in lessons.values())


def test_memory_survives_a_process_restart(tmp_path):
    out = tmp_path / "runs"
    cli = [sys.executable, "-m", "genai_planner.cli"]
    register_scripted("pad-unless-warned", pad_unless_warned)
    try:  # this process records a lesson; fresh processes read and clear it
        first = run_offline(SCENARIO, out, documents=["1"], engine="pad-unless-warned")
    finally:
        unregister_engine("pad-unless-warned")
    assert first.status == "completed"
    shown = subprocess.run([*cli, "memory", "show", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert "total_words" in shown.stdout
    cleared = subprocess.run([*cli, "memory", "clear", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert "deleted 1 lesson" in cleared.stdout
    again = subprocess.run([*cli, "memory", "show", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert "total_words" not in again.stdout


RIVAL = "Llama 3.1 405B Instruct"


def plant_rival_model(prompt: str, reply: str, n: int) -> str:
    if "Compile document 3:" in prompt:
        return reply.replace(
            "## Retrieval-augmented generation (RAG)", f"A second adapter will be trained on {RIVAL}.\n\n## Retrieval-augmented generation (RAG)"
        )
    return reply


def test_planted_inconsistency_is_caught_and_fixed(tmp_path):
    register_scripted("plant-rival", plant_rival_model)
    try:
        result = run_offline(SCENARIO, tmp_path / "runs", engine="plant-rival", use_memory=False)
    finally:
        unregister_engine("plant-rival")
    consistency = result.manifest["consistency"]
    first = {(c["document"], c["id"]): c for c in consistency[0]["checks"]}
    assert not first[("3", "doc3_no_other_model")]["passed"] and RIVAL in first[("3", "doc3_no_other_model")]["detail"]
    assert consistency[0]["sent_back"] == ["3"]
    assert all(c["passed"] for c in consistency[-1]["checks"])
    doc3 = next(d for d in result.manifest["documents"] if d["id"] == "3")
    assert doc3["status"] == "passed" and any(it["kind"] == "consistency" for it in doc3["iterations"])
    assert RIVAL not in (result.run_dir / "03_performance_improvement.md").read_text(encoding="utf-8")
    assert result.status == "completed"
