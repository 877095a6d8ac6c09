"""A person in the loop: plan and document pauses, driven programmatically and through a terminal."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import select
import subprocess
import sys
import time

from genai_planner.core.scenario import load_scenario
from genai_planner.core.settings import RunOptions
from genai_planner.run.runner import resume_planning, run_planning
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"


def scripted(answers: list):
    seen: list[dict] = []

    async def reviewer(payload: dict):
        seen.append(payload)
        return answers.pop(0) if answers else {"action": "accept"}

    return reviewer, seen


def run(tmp_path, reviewer, review, documents=("1",)):
    options = RunOptions(output_dir=tmp_path / "runs", review=list(review), documents=list(documents), use_memory=False)
    return asyncio.run(run_planning(load_scenario(SCENARIO), options, reviewer=reviewer))


def test_plan_instructions_are_folded_in_and_recorded(tmp_path):
    reviewer, seen = scripted([{"action": "instruct", "instructions": "warranty and returns policy questions"}, {"action": "accept"}])
    result = run(tmp_path, reviewer, ["plan"])
    assert result.status == "completed"
    assert [p["kind"] for p in seen] == ["plan", "plan"]
    questions = [q["question"] for d in seen[1]["plan"]["documents"] for q in d["research_questions"]]
    assert "warranty and returns policy questions" in questions
    decisions = result.manifest["human_decisions"]
    assert [d["action"] for d in decisions] == ["instruct", "accept"]
    events = [json.loads(line) for line in (result.run_dir / "trace.jsonl").read_text().splitlines()]
    assert [e["action"] for e in events if e["event"] == "human_decision"] == ["instruct", "accept"]


def test_an_edited_plan_is_validated_and_used(tmp_path):
    def edit(plan: dict, question: str) -> dict:
        edited = json.loads(json.dumps(plan))
        edited["documents"][0]["research_questions"][0]["question"] = question
        return {"action": "edit", "plan": edited}

    state: dict = {}

    async def reviewer(payload: dict):
        state.setdefault("n", 0)
        state["n"] += 1
        if state["n"] == 1:
            return {"action": "edit", "plan": {"documents": "not a list"}}  # invalid: asked again
        if state["n"] == 2:
            return edit(payload["plan"], "store staff product questions edited by a person")
        return {"action": "accept"}

    result = run(tmp_path, reviewer, ["plan"])
    assert result.status == "completed" and state["n"] == 2
    events = [json.loads(line) for line in (result.run_dir / "trace.jsonl").read_text().splitlines()]
    assert any(e["event"] == "human_decision_rejected" for e in events)
    queries = [e["args"].get("query") for e in events if e["event"] == "tool_call"]
    assert "store staff product questions edited by a person" in queries


def test_a_document_sent_back_with_a_comment_is_revised_and_rechecked(tmp_path):
    comment = "Name the loyalty programme team as a stakeholder"
    reviewer, seen = scripted([{"action": "revise", "comment": comment}, {"action": "accept"}])
    result = run(tmp_path, reviewer, ["documents"])
    assert result.status == "completed"
    assert [p["kind"] for p in seen] == ["document", "document"]
    doc = result.manifest["documents"][0]
    human = [it for it in doc["iterations"] if it["kind"] == "human"]
    assert human and {c["id"]: c["passed"] for c in human[0]["checks"]}["human_comment_addressed"]
    text = (result.run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")
    assert "the loyalty programme team" in text and comment not in text  # the change is made, the comment is not pasted
    assert result.manifest["human_decisions"][0] == {"kind": "document", "document": "1", "iteration": 1, "action": "revise", "comment": comment}


def test_a_pause_is_durable_and_resume_asks_again(tmp_path):
    result = run(tmp_path, None, ["plan", "documents"])
    assert result.status == "awaiting_review" and result.exit_code == 3
    reviewer, seen = scripted([])
    resumed = asyncio.run(resume_planning(result.run_id, tmp_path / "runs", reviewer=reviewer))
    assert resumed.status == "completed"
    assert [p["kind"] for p in seen] == ["plan", "document"]


def _read_until(fd: int, needle: bytes, timeout: float = 120) -> bytes:
    buf, end = b"", time.time() + timeout
    while needle not in buf:
        ready, _, _ = select.select([fd], [], [], max(0.0, end - time.time()))
        if not ready:
            raise AssertionError(f"timed out waiting for {needle!r}; got {buf[-500:]!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
    return buf


def test_a_person_answers_the_prompt_in_a_real_terminal(tmp_path):
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "genai_planner.cli",
            "run",
            str(SCENARIO),
            "--review",
            "documents",
            "--documents",
            "1",
            "--no-memory",
            "-o",
            str(tmp_path / "runs"),
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "120", "TERM": "dumb"},
    )
    os.close(slave)
    try:
        _read_until(master, b"[r]evise")
        os.write(master, b"r\n")
        _read_until(master, b"What should change?")
        os.write(master, b"Add a pilot timeline for two stores\n")
        _read_until(master, b"[r]evise")
        os.write(master, b"a\n")
        _read_until(master, b"Run directory")
        assert proc.wait(timeout=120) == 0
    finally:
        proc.kill()
        os.close(master)
    run_dir = next(p for p in (tmp_path / "runs").iterdir() if p.is_dir())
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [d["action"] for d in manifest["human_decisions"]] == ["revise", "accept"]
    text = (run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")
    assert "a pilot timeline for two stores" in text and "Add a pilot timeline for two stores" not in text
