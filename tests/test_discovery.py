"""Thin use cases (planning/discovery.py): a two-sentence use case gets the questions to settle
first, and `specific_to_use_case` accepts general sections there instead of demanding facts
the client never gave."""

from __future__ import annotations

from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CHECKS, CheckContext
from genai_planner.documents.specs import load_document_specs
from genai_planner.planning.discovery import discovery, missing, thin
from genai_planner.planning.extract import extract_brief

TERSE_EN = {"name": "t", "language": "en", "use_case": "A small surveying firm wants AI to draft replies to client emails. We can spend about EUR 300 a month."}
TERSE_KO = {"name": "t", "language": "ko", "use_case": "사진관 직원 4명이 손님 문의에 답하는 안내문 초안을 AI로 만들고 싶습니다. 예산은 월 30만 원입니다."}
FULL_EN = {
    "name": "f",
    "language": "en",
    "use_case": (
        "Our 40 claims handlers process about 600 claims a day from the claim files in our core system. Each summary takes 25 minutes today. "
        "Data must stay in the EU. Success means summaries in under 5 minutes."
    ),
    "stakeholders": ["COO Ines Berg", "claims handlers"],
}


def _brief(scenario: dict) -> dict:
    return extract_brief(scenario, scenario["language"]).model_dump(mode="json")


def test_a_two_sentence_use_case_is_thin_and_a_full_one_is_not():
    assert thin(_brief(TERSE_EN)) and thin(_brief(TERSE_KO))
    assert not thin(_brief(FULL_EN))
    assert "volume" in missing(_brief(TERSE_EN)) and "volume" not in missing(_brief(FULL_EN))


def test_the_discovery_list_asks_for_what_is_missing_in_the_run_language():
    en = discovery(_brief(TERSE_EN), {"output": "replies", "users": "staff"}, "en")
    assert "how many replies a month" in en and "who approves targets and cost" in en
    ko = discovery(_brief(TERSE_KO), {"output": "안내문 초안", "users": "직원"}, "ko")
    assert "월 안내문 초안 건수" in ko and "목표와 비용 승인자" in ko


def _specific(brief: dict) -> tuple[bool, str]:
    text = "# Plan\n\n## Security and privacy\n\nEncrypt data at rest and in transit; review access every quarter.\n"
    c = CheckContext(language="en", spec=load_document_specs()["5"], catalog=[], brief=brief)
    return CHECKS["specific_to_use_case"](md.parse_document(text), {}, c)


def test_specific_to_use_case_accepts_general_sections_only_for_a_thin_use_case():
    ok, detail = _specific(_brief(TERSE_EN))
    assert ok and "questions to settle first" in detail, detail
    ok, detail = _specific(_brief(FULL_EN))
    assert not ok and "fit any client" in detail, detail
