"""Every 'must never' rule the client writes is a release gate, whatever its subject and verb, in
English and Korean; a hosting rule or a statement about people is not. Sentences written here."""

from __future__ import annotations

import pytest

from genai_planner.planning.extract import extract_brief
from genai_planner.planning.targets import read_criteria


def gates(text: str, language: str = "en") -> list[str]:
    brief = extract_brief({"name": "t", "use_case": text}, language)
    return [c.phrase for c in read_criteria(brief) if c.direction == "zero"]


@pytest.mark.parametrize(
    "text, gate",
    [
        ("Housing officers draft replies to tenants. A reply must never threaten eviction.", "Outputs that threaten eviction"),
        ("Coaches check the itineraries. Drafts should never promise a departure time.", "Outputs that promise a departure time"),
        ("Pharmacists check every leaflet. Never recommend a dose change.", "Outputs that recommend a dose change"),
    ],
)
def test_a_must_never_rule_is_a_gate(text: str, gate: str) -> None:
    assert gate in gates(text)


@pytest.mark.parametrize(
    "text, gate",
    [
        ("상담원이 답변 초안을 검토합니다. 초안은 절대로 위약금 면제를 약속해서는 안 됩니다.", "위약금 면제를 약속한 초안"),
        ("사서가 모든 기록을 확인합니다. 절대로 기증자 연락처를 공개해서는 안 됩니다.", "기증자 연락처를 공개한 산출물"),
    ],
)
def test_a_korean_must_never_act_is_a_gate_named_by_the_act(text: str, gate: str) -> None:
    assert gate in gates(text, "ko")


def test_a_hosting_rule_and_people_who_never_see_drafts_are_not_gates() -> None:
    assert gates("Clerks draft the notices. Tenant data must never leave Canada. Tenants never see the drafts.") == []
