"""The client's own plan wins over our defaults (issue 24, plan4): a stated pilot becomes document 5's rollout, a
stated retention period replaces the default '90 days for debugging', in English and Korean.

Sentences written for these tests; none comes from a scenario or an unseen use case.
"""

from __future__ import annotations

from genai_planner.planning.client_plan import read_pilot, read_retention, retention_words
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.prose import Prose
from genai_planner.planning.shape import compute_rollout

PILOT_EN = (
    "Tidewater Mutual has 380 claims handlers who write about 9,000 call notes a day. We want an assistant that drafts "
    "each call note. We plan to pilot with the 30 motor-claims handlers in Cardiff for 6 weeks, then roll out to all sites. "
    "Every drafted note and the reason for each flag must be kept for 7 years."
)
PILOT_KO = (
    "누리카드는 상담사 360명이 하루 약 20,000건의 통화를 처리하며 통화마다 상담 기록을 씁니다. 생성형 AI로 상담 기록 초안을 만들려 합니다. "
    "광주센터 대출 상담팀 25명으로 6주간 시범 운영한 뒤 전 센터로 확대하려 합니다. 확정된 상담 기록과 표시 근거는 5년간 보관해야 합니다."
)
NO_PLAN_EN = "Tidewater Mutual has 380 claims handlers who write about 9,000 call notes a day. We want an assistant that drafts each call note."


def test_an_english_pilot_is_read_with_group_size_site_duration_and_next_step() -> None:
    pilot = read_pilot(Prose(PILOT_EN))
    assert pilot is not None
    assert (pilot.group, pilot.size, pilot.site, pilot.duration, pilot.next_step) == (
        "motor-claims handlers", 30, "Cardiff", "6 weeks", "roll out to all sites"
    )
    assert pilot.evidence.quote in PILOT_EN
    other = read_pilot(Prose("We will trial it with twelve nurses on Ward 7 for four weeks before extending it to the whole hospital."))
    assert other is not None and (other.size, other.site, other.duration) == (12, "Ward 7", "4 weeks")


def test_a_korean_pilot_is_read_with_group_size_site_duration_and_next_step() -> None:
    pilot = read_pilot(Prose(PILOT_KO))
    assert pilot is not None
    assert (pilot.group, pilot.size, pilot.site, pilot.duration, pilot.next_step) == ("대출 상담팀", 25, "광주센터", "6주", "전 센터로 확대")


def test_a_job_called_pilot_or_no_pilot_at_all_keeps_the_default_rollout() -> None:
    assert read_pilot(Prose("The cooperative has 23 marine pilots. A pilot reads the ship's particulars.")) is None
    assert read_pilot(Prose(NO_PLAN_EN)) is None
    brief = extract_brief({"name": "case", "use_case": NO_PLAN_EN}, "en")
    assert brief.pilot is None
    assert compute_rollout(brief, "en").stages[0].startswith("shadow for one week")


def test_the_stated_pilot_replaces_shadow_and_canary_in_the_rollout() -> None:
    brief = extract_brief({"name": "case", "use_case": PILOT_EN}, "en")
    rollout = compute_rollout(brief, "en")
    assert rollout.rule == "stated_pilot" and rollout.first_stage_people == 30
    assert "the 30 motor-claims handlers in Cardiff for 6 weeks" in rollout.stages[0]
    assert rollout.stages[-1].startswith("roll out to all sites")
    assert not any("shadow" in s or "canary" in s for s in rollout.stages)
    ko = compute_rollout(extract_brief({"name": "case", "use_case": PILOT_KO}, "ko"), "ko")
    assert "광주센터 대출 상담팀 25명으로 6주간" in ko.stages[0]
    assert ko.stages[-1].startswith("전 센터로 확대")
    assert not any("섀도" in s or "카나리" in s for s in ko.stages)


def test_a_stated_retention_is_read_in_both_languages() -> None:
    en = read_retention(Prose(PILOT_EN))
    assert en is not None and (en.period, en.covers) == ("7 years", "Every drafted note and the reason for each flag")
    assert retention_words(en, "en") == "every drafted note and the reason for each flag for 7 years, as the use case requires"
    ko = read_retention(Prose(PILOT_KO))
    assert ko is not None and (ko.period, ko.covers) == ("5년", "확정된 상담 기록과 표시 근거")
    where = read_retention(Prose("승인된 답변은 문서관리시스템에 10년간 보관합니다."))
    assert where is not None and (where.period, where.covers) == ("10년", "승인된 답변")
    assert read_retention(Prose("Approved summaries are retained for ten years under the records policy.")).period == "10 years"
    assert read_retention(Prose(NO_PLAN_EN)) is None


def _deployment_lines(use_case: str, language: str) -> str:
    import json

    from genai_planner.documents.contract import resolve_contract
    from genai_planner.documents.specs import load_document_specs
    from genai_planner.planning.compute import compute_figures
    from genai_planner.planning.facts import document_facts
    from genai_planner.tools.catalog import load_catalog

    brief = extract_brief({"name": "case", "use_case": use_case}, language)
    facts = document_facts(brief, compute_figures(brief, load_catalog(), language), {}, language)
    return json.dumps(resolve_contract(load_document_specs()["5"], facts, language), ensure_ascii=False)


def test_document_five_states_the_clients_pilot_and_retention_and_never_the_defaults() -> None:
    en = _deployment_lines(PILOT_EN, "en")
    assert "30 motor-claims handlers in Cardiff for 6 weeks" in en and "roll out to all sites" in en
    assert "every drafted note and the reason for each flag for 7 years" in en
    assert "90 days" not in en and "Shadow mode for one week" not in en
    ko = _deployment_lines(PILOT_KO, "ko")
    assert "광주센터 대출 상담팀 25명으로 6주간" in ko and "5년간 보관" in ko
    assert "90일" not in ko and "1주간 섀도" not in ko
    default = _deployment_lines(NO_PLAN_EN, "en")
    assert "Shadow mode for one week" in default


def test_a_korean_pilots_duration_is_read_in_its_own_sentence_after_a_long_opening() -> None:
    """The duration is searched from the head-count on in the pilot's sentence, not from an offset into the whole text."""
    opening = "상담사의 평균 근속 기간은 1년 8개월이고, 통화 한 건은 평균 4분 10초 걸립니다. " * 3
    pilot = read_pilot(Prose(opening + "먼저 대전센터의 카드 상담팀 40명을 대상으로 8주간 시범 운영한 뒤 전체 센터로 확대할 계획입니다."))
    assert pilot is not None and (pilot.size, pilot.duration) == (40, "8주")
