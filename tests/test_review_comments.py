"""A person's comment at a review pause is applied by the writer and verified in the text, and plan
edits that break the plan's rules are shown again with the reason (a deleted document is honoured
or refused, never ignored).
"""

from __future__ import annotations

import asyncio
import json

import pytest

from genai_planner.core.scenario import load_scenario
from genai_planner.core.settings import RunOptions
from genai_planner.core.tracing import read_trace
from genai_planner.documents.comments import CommentRequest, parse_comment, verify_comment
from genai_planner.models.offline.comments import apply_comment
from genai_planner.run.runner import run_planning
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"

DRAFT = """# Use-case selection

## Problem statement

Store staff spend a large part of their shifts looking up product specifications. [S1]

## Requirements

- **Functional:** the assistant cites the product catalogue for every answer. [S2]
- **Non-functional:** answers arrive within two seconds at p95. [S3]

## Sources

- [S1] Store staff survey — `kb/en/survey.md`
"""


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ('replace "store staff" with "floor staff"', [CommentRequest("replace", "store staff", "floor staff")]),
        ("Change store staff to floor staff.", [CommentRequest("replace", "store staff", "floor staff")]),
        ("use floor staff instead of store staff", [CommentRequest("replace", "store staff", "floor staff")]),
        ("Add a pilot timeline for two stores", [CommentRequest("add", "a pilot timeline for two stores")]),
        ("Name the loyalty programme team as a stakeholder", [CommentRequest("add", "the loyalty programme team")]),
        ("please mention GDPR; remove the product catalogue", [CommentRequest("add", "GDPR"), CommentRequest("remove", "the product catalogue")]),
        ('"매장 직원"을 "현장 직원"으로 바꿔 주세요', [CommentRequest("replace", "매장 직원", "현장 직원")]),
        ("개인정보보호법 추가", [CommentRequest("add", "개인정보보호법")]),
        ("make it punchier", []),
    ],
)
def test_comments_are_read_as_requests(comment, expected):
    assert parse_comment(comment) == expected


def test_a_replacement_counts_only_when_the_old_wording_is_gone_and_the_new_is_there():
    comment = 'replace "store staff" with "floor staff"'
    assert not verify_comment(comment, DRAFT, DRAFT)[0]
    pasted = DRAFT.replace("## Problem statement\n\n", f"## Problem statement\n\nChange requested by the reviewer, addressed: {comment}\n\n")
    passed, detail = verify_comment(comment, pasted, DRAFT)
    assert not passed and "'store staff' still appears" in detail  # pasting the request is not making it
    only_added = DRAFT.replace("Store staff spend", "Store staff and floor staff spend")
    assert not verify_comment(comment, only_added, DRAFT)[0]
    done = DRAFT.replace("Store staff", "Floor staff")
    assert verify_comment(comment, done, DRAFT) == (True, "replace 'store staff' with 'floor staff': done")
    in_sources_only = done.replace("[S1] Floor staff survey", "[S1] Store staff survey")
    assert verify_comment(comment, in_sources_only, DRAFT)[0]  # the sources list is the run's, not the writer's


def test_additions_removals_and_free_form_comments_are_checked_in_the_text():
    assert verify_comment("mention GDPR", DRAFT.replace("two seconds", "two seconds, under GDPR"), DRAFT)[0]
    assert not verify_comment("mention GDPR", DRAFT.replace("## Sources", "mention GDPR\n\n## Sources"), DRAFT)[0]
    assert verify_comment("remove the product catalogue", DRAFT.replace("the product catalogue", "its sources"), DRAFT)[0]
    assert not verify_comment("remove the product catalogue", DRAFT, DRAFT)[0]
    assert not verify_comment("make it punchier", DRAFT + "\nmake it punchier\n", DRAFT)[0]  # only the pasted comment changed
    assert verify_comment("make it punchier", DRAFT.replace("a large part", "much"), DRAFT)[0]


def test_the_offline_writer_applies_each_request_to_the_prose_only():
    replaced = apply_comment(DRAFT, 'replace "store staff" with "floor staff"', "en")
    assert "store staff spend" not in replaced.lower() and "floor staff spend" in replaced.lower()
    assert "[S1] Store staff survey" in replaced  # the sources list is left alone
    assert "## Problem statement" in replaced and "## Requirements" in replaced
    added = apply_comment(DRAFT, "Add a pilot timeline for two stores", "en")
    assert "a pilot timeline for two stores" in added and "Add a pilot timeline" not in added
    removed = apply_comment(DRAFT, "remove the product catalogue", "en")
    assert "the product catalogue" not in removed and "cites for every answer" in removed
    for comment in ('replace "store staff" with "floor staff"', "Add a pilot timeline for two stores", "remove the product catalogue"):
        assert verify_comment(comment, apply_comment(DRAFT, comment, "en"), DRAFT)[0], comment
    assert apply_comment(DRAFT, "make it punchier", "en") == DRAFT


def _reviewer(comment: str):
    seen: list[dict] = []

    async def reviewer(payload: dict):
        seen.append(payload)
        if payload["kind"] == "document" and not any(p["kind"] == "document" for p in seen[:-1]):
            return {"action": "revise", "comment": comment}
        return {"action": "accept"}

    return reviewer, seen


def test_a_document_sent_back_with_a_comment_gets_the_change(tmp_path):
    comment = 'Replace "BrightWave Electronics" with "the BrightWave stores"'
    reviewer, seen = _reviewer(comment)
    options = RunOptions(output_dir=tmp_path / "runs", review=["documents"], documents=["4"], use_memory=False)
    result = asyncio.run(run_planning(load_scenario(SCENARIO), options, reviewer=reviewer))
    asked = next(p for p in seen if p["kind"] == "document")
    assert "BrightWave Electronics" in asked["draft"]
    doc = next(d for d in result.manifest["documents"] if d["id"] == asked["doc_id"])
    first, human = doc["iterations"][0], next(it for it in doc["iterations"] if it["kind"] == "human")
    assert first["accepted"] is False and first["human_comment"] == comment  # its checks passed; the person sent it back
    check = next(c for c in human["checks"] if c["id"] == "human_comment_addressed")
    assert check["passed"], check
    revised = next(p for p in (result.run_dir / "versions").glob(f"*/v{human['iteration']}.md") if p.parent.name in doc["file"])
    body = revised.read_text(encoding="utf-8").split("\n## Sources")[0]
    assert "BrightWave Electronics" not in body and "the BrightWave stores" in body and "Change requested" not in body, body
    decision = result.manifest["human_decisions"][0]
    assert decision == {"kind": "document", "document": asked["doc_id"], "iteration": first["iteration"], "action": "revise", "comment": comment}
    report = (result.run_dir / "report.html").read_text(encoding="utf-8")
    assert "Sent back by a person" in report and "the BrightWave stores" in report


def test_a_pasted_comment_does_not_pass_the_check():
    from genai_planner.agents.reviewer import human_comment_check

    comment = 'replace "store staff" with "floor staff"'
    pasted = DRAFT.replace("## Problem statement\n\n", f"## Problem statement\n\nChange requested by the reviewer, addressed: {comment}\n\n")
    task = {"draft": pasted, "commented_draft": DRAFT, "human_comment": comment}
    result = human_comment_check(task)  # type: ignore[arg-type]
    assert not result.passed and "still appears" in result.detail


def _plan_run(tmp_path, answers: list, documents=("1", "4")):
    seen: list[dict] = []

    async def reviewer(payload: dict):
        seen.append(payload)
        answer = answers.pop(0) if answers else {"action": "accept"}
        return answer(payload) if callable(answer) else answer

    options = RunOptions(output_dir=tmp_path / "runs", review=["plan"], documents=list(documents), use_memory=False)
    return asyncio.run(run_planning(load_scenario(SCENARIO), options, reviewer=reviewer)), seen


def _without(doc_id: str):
    def edit(payload: dict) -> dict:
        plan = json.loads(json.dumps(payload["plan"]))
        plan["documents"] = [d for d in plan["documents"] if d["doc_id"] != doc_id]
        return {"action": "edit", "plan": plan}

    return edit


def test_a_plan_edit_that_breaks_the_schema_is_shown_again_with_the_reason(tmp_path):
    result, seen = _plan_run(tmp_path, [{"action": "edit", "plan": {"documents": "not a list"}}])
    assert [p["kind"] for p in seen[:2]] == ["plan", "plan"]
    assert "rejected" not in seen[0] and "documents" in seen[1]["rejected"] and "list" in seen[1]["rejected"].lower()
    rejected = [e for e in read_trace(result.run_dir / "trace.jsonl") if e["event"] == "human_decision_rejected"]
    assert rejected and rejected[0]["reason"] == seen[1]["rejected"]


def test_deleting_a_document_in_the_plan_removes_it_from_the_run(tmp_path):
    result, seen = _plan_run(tmp_path, [_without("4")])
    assert len(seen) == 1
    assert [d["id"] for d in result.manifest["documents"]] == ["1"]
    assert result.manifest["human_decisions"][0]["removed_documents"] == ["4"]
    assert not (result.run_dir / "04_evaluation_framework.md").exists()


def test_deleting_a_document_others_build_on_is_refused_with_the_reason(tmp_path):
    result, seen = _plan_run(tmp_path, [_without("1")])
    assert len(seen) == 2 and "document 4 builds on document 1" in seen[1]["rejected"]
    assert [d["id"] for d in result.manifest["documents"]] == ["1", "4"]


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_real_model_is_asked_to_make_the_change_not_paste_it(tmp_path, monkeypatch):
    from tests.fake_openai import FakeOpenAI

    comment = 'Replace "BrightWave Electronics" with "the BrightWave stores"'
    reviewer, _ = _reviewer(comment)
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("GENAI_PLANNER_MODEL", "local")
        options = RunOptions(output_dir=tmp_path / "runs", review=["documents"], documents=["4"], use_memory=False)
        result = asyncio.run(run_planning(load_scenario(SCENARIO), options, reviewer=reviewer))
        prompts = ["\n".join(str(m.get("content")) for m in r["messages"]) for r in server.requests]
    revise = [p for p in prompts if f"HUMAN COMMENT: {comment}" in p]
    assert revise and all("make exactly the" in p and "never copy the comment" in p for p in revise)
    human = [it for d in result.manifest["documents"] for it in d["iterations"] if it["kind"] == "human"]
    assert human and {c["id"]: c["passed"] for c in human[0]["checks"]}["human_comment_addressed"]
