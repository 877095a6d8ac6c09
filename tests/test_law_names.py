"""Laws the client names by their form, not from a list: a titled act, an EU act by number, an
authority's Part, an acronym where a law is meant, a Korean 법/규정/고시 name. Each reading is
removed once to watch its test fail; none of these sentences come from the bench's use cases."""

from __future__ import annotations

import pytest

from genai_planner.planning.extract import extract_brief


def laws(text: str, language: str = "en") -> list[str]:
    brief = extract_brief({"name": "t", "use_case": text}, language)
    return [r.name for r in brief.constraints.regulations if r.evidence.source == "stated"]


@pytest.mark.parametrize(
    "text, law",
    [
        ("Our dive school in Fiji drafts trip briefings; the Fiji Online Safety Act 2018 applies to what we post.", "Fiji Online Safety Act 2018"),
        ("The cooperative keeps seed records under the Plant Variety Rights Act, 1987 and nothing else.", "Plant Variety Rights Act, 1987"),
        ("Logs of the crane fleet must follow Directive 2006/42/EC before the AI writes the daily note.", "Directive 2006/42/EC"),
        ("Every tachograph summary must respect Regulation (EU) No 165/2014 when we draft it.", "Regulation (EU) No 165/2014"),
        ("Our hangar works to FAA Part 145 and the summaries feed the release paperwork.", "FAA Part 145"),
        ("The workshop holds a Part-147 approval and drafts the training records.", "Part-147"),
        ("Customer emails in Cape Town are handled under PAIA, so replies stay in our tenancy.", "PAIA"),
        ("The Saudi PDPL applies to every caller record we keep.", "Saudi PDPL"),
        ("The Labour Standards Code 2019 covers what we may draft about shift patterns.", "Labour Standards Code 2019"),
    ],
)
def test_a_named_law_is_read_by_its_form(text: str, law: str) -> None:
    assert law in laws(text)


def test_an_acronym_listed_after_a_law_is_a_law_too() -> None:
    assert laws("Replies must meet the Consumer Credit Act 1974 and CONC rules, plus the FCA handbook.")[:2] == ["Consumer Credit Act 1974", "CONC"]


@pytest.mark.parametrize(
    "text",
    [
        "Technicians write notes in SAP PM and the CMS holds the photos; the assistant drafts a summary.",
        "Ask Jo Law in the front office before the assistant drafts a reply to a guest.",
        "Under the Act we are told little. Part of the team checks every draft.",
        "Records go to the ECM requirements of the maintenance plan and the drafts stay internal.",
    ],
)
def test_names_and_systems_are_not_laws(text: str) -> None:
    assert laws(text) == []


@pytest.mark.parametrize(
    "text, law",
    [
        ("정비 일지는 철도안전법에 따라 보관해야 하며 요약 초안은 반장이 확인합니다.", "철도안전법"),
        ("배송 기사 위치 기록은 위치정보법 시행령을 지켜야 합니다.", "위치정보법 시행령"),
        ("검사 결과지는 「의료기기 허가 고시」에 맞춰 작성해야 합니다.", "의료기기 허가 고시"),
        ("예약 문의 답변은 전자상거래소비자보호법을 어기면 안 됩니다.", "전자상거래소비자보호법"),
    ],
)
def test_a_korean_law_is_read_by_its_ending(text: str, law: str) -> None:
    assert law in laws(text, "ko")


def test_korean_words_that_end_in_beop_are_not_laws() -> None:
    assert laws("보고서 작성법과 검토 방법은 내부 규정대로 팀장이 정합니다.", "ko") == []


def test_a_named_law_reaches_the_constraints_not_a_generic_phrase() -> None:
    brief = extract_brief({"name": "t", "use_case": "The Samoa Data Privacy Act 2022 applies to every member record we draft."}, "en")
    assert [r.name for r in brief.constraints.regulations] == ["Samoa Data Privacy Act 2022"]
