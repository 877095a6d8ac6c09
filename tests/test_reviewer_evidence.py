"""The reviewer's structured verdict (issue 25, item 6): per contract item pass/fail, the evidence quoted
verbatim from the draft and the reason; a quote the draft does not hold is rejected and the item fails.

The offline engine answers the same request at the chat-model boundary (its items quote the draft);
a fake real model returns a verdict that praises document 1 for a sentence the draft never had.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genai_planner.agents.review_evidence import UNSUPPORTED, item_feedback, quoted_in, verify_items
from genai_planner.agents.schemas import ContractItem, ReviewVerdict
from genai_planner.models.offline.model import review
from tests.conftest import ROOT, run_offline
from tests.fake_openai import FakeOpenAI, forced_tool, prompt_of

DRAFT = "# Plan\n\n## Problem statement\n\nStaff at **120 stores** look up   products in four systems.\n\n## Requirements\n\n- Answer from the catalogue.\n"
FABRICATED = "Each lookup takes staff nine minutes today, measured in March."


def _verdict(*items: ContractItem, accept: bool = True) -> ReviewVerdict:
    return ReviewVerdict(accept=accept, critique="c", items=list(items))


def test_a_quote_is_the_drafts_own_words_but_for_spacing_and_emphasis():
    assert quoted_in("Staff at 120 stores look up products in four systems.", DRAFT)
    assert not quoted_in(FABRICATED, DRAFT)
    assert not quoted_in("Staff", DRAFT)  # too short to show anything


def test_a_fabricated_quote_fails_its_item_and_the_verdict():
    good = ContractItem(item="requirements", passed=True, evidence="Answer from the catalogue.", reason="a functional requirement")
    made_up = ContractItem(item="problem_statement", passed=True, evidence=FABRICATED, reason="states the baseline")
    checked = verify_items(_verdict(good, made_up), DRAFT)
    assert not checked.accept
    first, second = checked.items
    assert first.passed and first.verified
    assert not second.passed and second.verified is False and UNSUPPORTED in second.reason and "states the baseline" in second.reason
    [line] = item_feedback(checked)
    assert "problem_statement" in line and FABRICATED in line and UNSUPPORTED in line


def test_a_failed_item_is_sent_back_with_its_quote_and_reason():
    line = "Staff at 120 stores look up products in four systems."
    missed = ContractItem(item="problem_statement", passed=False, evidence=line, reason="no baseline in minutes")
    checked = verify_items(_verdict(missed, accept=True), DRAFT)
    assert not checked.accept and checked.items[0].verified
    assert item_feedback(checked) == [f"- Contract item 'problem_statement' not met: no baseline in minutes. The draft says: \"{line}\""]


def _prompt(results: list[dict]) -> str:
    contract = {"sections": [{"id": "problem_statement", "heading": "Problem statement"}, {"id": "requirements", "heading": "Requirements"}]}
    return (f"<contract>\n{json.dumps(contract)}\n</contract>\n\n<draft>\n{DRAFT}\n</draft>\n\n"
            f"<check_results>\n{json.dumps(results)}\n</check_results>\n\nReview document 1: Plan, iteration 1. Reply with the ReviewVerdict.")


def test_the_offline_reviewer_judges_each_item_from_the_checks_and_quotes_the_draft():
    results = [{"id": "sections_present", "passed": True, "detail": "", "section": None},
               {"id": "item_count", "passed": False, "detail": "too few", "section": "requirements"}]
    verdict = ReviewVerdict.model_validate(review(_prompt(results)))
    by_item = {i.item: i for i in verdict.items}
    assert by_item["problem_statement"].passed and by_item["problem_statement"].evidence == "Staff at **120 stores** look up   products in four systems."
    assert not by_item["requirements"].passed and "item_count" in by_item["requirements"].reason
    assert all(i.verified for i in verify_items(verdict, DRAFT).items)  # every offline quote is the draft's own


# --------------------------------------------------------------------------- the real-model path, through a fake model


def _fabricating_reviewer(body, reply):
    """A reviewer model that accepts document 1's first draft on the strength of a sentence it does not hold."""
    if forced_tool(body) != "ReviewVerdict" or "Review document 1:" not in prompt_of(body) or ", iteration 1." not in prompt_of(body):
        return None
    call = reply.tool_calls[0]
    args = json.loads(json.dumps(call["args"]))
    args["accept"] = True
    args["items"] = [{"item": "problem_statement", "passed": True, "evidence": FABRICATED, "reason": "the baseline is stated"}]
    return reply.model_copy(update={"tool_calls": [{**call, "args": args}]})


@pytest.mark.integration
@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_real_models_fabricated_quote_is_rejected_traced_and_sent_to_the_writer(tmp_path: Path, monkeypatch):
    with FakeOpenAI(rewrite=_fabricating_reviewer) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-evidence-1234567890")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("GENAI_PLANNER_MODEL", "local")
        result = run_offline(ROOT / "scenarios" / "electronics_store.yaml", tmp_path / "runs", documents=["1"], use_memory=False)
    assert not server.failures and len(server.rewritten) == 1
    events = [json.loads(line) for line in (result.run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    first_items = next(e for e in events if e["event"] == "review_items" and e.get("document") == "1")
    [made_up] = [i for i in first_items["items"] if i["evidence"] == FABRICATED]
    assert not made_up["passed"] and made_up["verified"] is False
    first, second = [e for e in events if e["event"] == "review_decision" and e.get("document") == "1"]
    assert not first["accepted"] and first["failed_checks"] == [] and UNSUPPORTED in first["feedback"] and FABRICATED in first["feedback"]
    assert second["accepted"]
    assert result.manifest["documents"][0]["status"] == "passed"


def test_the_model_is_never_offered_the_verified_flag():
    """`verified` is the product's finding about a quote; the reviewer's tool schema must not let a model set it."""
    import json

    from langchain_core.utils.function_calling import convert_to_openai_tool

    from agents.schemas import ContractItem, ReviewVerdict

    assert "verified" not in json.dumps(convert_to_openai_tool(ReviewVerdict))
    assert "verified" in ContractItem.model_fields  # the product still records it
