"""The reviewer→writer loop: a failing first draft is revised; a model that never fixes stops at the limit."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.models.factory import unregister_engine
from tests.conftest import ROOT, run_offline
from tests.scripted import is_doc, register_scripted

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"


def drop_stakeholders_in_first_draft(prompt: str, reply: str, n: int) -> str:
    if "Compile document 1:" in prompt:
        return reply.replace("## Stakeholder alignment", "## People")
    return reply


def never_fixes(prompt: str, reply: str, n: int) -> str:
    """Changes something on every call (so each revision is new) but never the failing heading."""
    return reply.replace("## Stakeholder alignment", "## People").rstrip() + f"\n\nAttempt {n}.\n" if is_doc(prompt, "1") else reply


def never_changes(prompt: str, reply: str, n: int) -> str:
    return reply.replace("## Stakeholder alignment", "## People") if is_doc(prompt, "1") else reply


def test_failed_check_is_fixed_by_the_revision(tmp_path):
    register_scripted("scripted-fix", drop_stakeholders_in_first_draft)
    try:
        result = run_offline(SCENARIO, tmp_path / "runs", engine="scripted-fix", documents=["1"], use_memory=False)
    finally:
        unregister_engine("scripted-fix")
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    doc = manifest["documents"][0]
    assert result.status == "completed" and doc["status"] == "passed"
    assert len(doc["iterations"]) >= 2 and doc["revisions"] >= 1
    first = {c["id"]: c for c in doc["iterations"][0]["checks"]}
    last = {c["id"]: c for c in doc["iterations"][-1]["checks"]}
    assert not first["sections_present"]["passed"] and "Stakeholder alignment" in first["sections_present"]["detail"]
    assert last["sections_present"]["passed"]
    assert not doc["iterations"][0]["accepted"] and doc["iterations"][-1]["accepted"]
    events = [json.loads(line) for line in (result.run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    rejected = [e for e in events if e["event"] == "review_decision" and not e["accepted"]]
    assert any("sections_present" in e["failed_checks"] for e in rejected)
    assert "FAILED check 'sections_present'" in rejected[0]["feedback"]


def test_model_that_never_fixes_stops_at_the_revision_limit_with_exit_1(tmp_path):
    register_scripted("scripted-never", never_fixes)
    try:
        result = CliRunner().invoke(
            app,
            ["run", str(SCENARIO), "--engine", "scripted-never", "--documents", "1", "--max-revisions", "2", "--no-memory", "-o", str(tmp_path / "runs")],
        )
    finally:
        unregister_engine("scripted-never")
    assert result.exit_code == 1, result.output
    run_dir = next((tmp_path / "runs").glob("*electronics*"))
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    doc = manifest["documents"][0]
    assert doc["status"] == "failed" and doc["revisions"] == 2 and len(doc["iterations"]) == 3
    assert "sections_present" in doc["reason"]
    assert (run_dir / "01_use_case_selection.md").exists(), "a failed document is still written"
    assert manifest["status"] == "completed_with_failures"


def test_a_revision_identical_to_the_draft_before_stops_the_loop_with_a_reason(tmp_path):
    register_scripted("scripted-same", never_changes)
    try:
        result = CliRunner().invoke(
            app,
            ["run", str(SCENARIO), "--engine", "scripted-same", "--documents", "1", "--max-revisions", "3", "--no-memory", "-o", str(tmp_path / "runs")],
        )
    finally:
        unregister_engine("scripted-same")
    assert result.exit_code == 1, result.output
    run_dir = next((tmp_path / "runs").glob("*electronics*"))
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    doc = manifest["documents"][0]
    assert doc["status"] == "failed" and doc["revisions"] == 1 and len(doc["iterations"]) == 2
    assert "identical to the draft before it" in doc["reason"] and "sections_present" in doc["reason"]
    assert "not reviewed again" in doc["iterations"][-1]["critique"]
    events = [json.loads(line) for line in (run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(e["event"] == "document_failed" and "identical" in e["reason"] for e in events)
