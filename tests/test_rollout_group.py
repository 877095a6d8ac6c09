"""Rollout sized to the assistant's users: the role that uses or signs its output, not every head-count in the prose.

A clinic group that names '48 vets and 90 technicians' where the vets sign each draft rolls out to
48 people; the technicians are counted in the prose but are not the rollout population.
"""

from __future__ import annotations

from genai_planner.planning.extract import extract_brief
from genai_planner.planning.shape import compute_rollout, others_counted, user_count

VETS_EN = (
    "Harbour Vets runs 9 clinics with 62 veterinarians and 140 veterinary nurses. The veterinarians write each "
    "discharge note by hand today, about 20 minutes each; we see 85 discharges a day. We want the assistant to "
    "draft the notes overnight, and the veterinarian checks and signs each one in the morning."
)
VETS_KO = (
    "한빛동물병원은 병원 5곳에서 수의사 48명과 테크니션 90명이 일합니다. 지금은 담당 수의사가 퇴원 안내문을 직접 쓰고 "
    "있어 한 건에 15분가량 걸립니다. 퇴원은 하루 60건 정도입니다. 밤마다 초안을 만들어 두고 수의사가 확인한 뒤 서명하려 합니다."
)


def brief(text: str, language: str = "en"):
    return extract_brief({"name": "case", "use_case": text}, language)


def test_the_english_rollout_counts_the_vets_who_sign_not_the_nurses():
    b = brief(VETS_EN)
    assert [u.value for u in b.users] == ["veterinarians"]  # the role the prose says writes the notes
    assert user_count(b) == 62  # not 62 + 140 = 202
    rollout = compute_rollout(b, "en")
    assert rollout.rule == "canary" and rollout.first_stage_people == 20  # max(20, ceil(62 x 10%) = 7)
    assert rollout.stages[2] == "half of the veterinarians (31) for one week" and rollout.stages[-1] == "all 62 veterinarians"
    assert rollout.not_users == ["140 veterinary nurses"]


def test_the_korean_head_count_is_read_by_its_role_word():
    b = brief(VETS_KO, "ko")
    people = {v.what: v.quantity for v in b.volumes if v.unit == "people"}
    assert people == {"수의사": 48, "테크니션": 90}  # not '한빛동물병원' for both
    assert user_count(b) == 48  # not 48 + 90 = 138
    rollout = compute_rollout(b, "ko")
    assert rollout.rule == "small_team" and rollout.first_stage_people == 12  # ceil(48 / 4), under the 50 of a canary
    assert rollout.stages[-1] == "수의사 전체 48명" and others_counted(b) == ["90 테크니션"]


def test_a_generic_head_count_still_stands_for_the_users_when_no_role_is_counted():
    b = brief("Our claims team of 30 people answers about 400 emails a day; the team drafts every reply.")
    assert user_count(b) == 30 and others_counted(b) == []


def test_the_figures_text_names_who_is_left_out_of_the_rollout():
    from genai_planner.planning.compute import compute_figures
    from genai_planner.tools.catalog import load_catalog

    figures = compute_figures(brief(VETS_EN), list(load_catalog()), "en")
    assert figures.rollout is not None and figures.rollout.users == 62
    assert "Rollout population: the 62 users of the assistant only; not counted: 140 veterinary nurses." in figures.summary()


def test_one_count_over_several_user_groups_is_said_as_users():
    """'17 site managers and 6 veterinarians' both use it: 23 users, never '23 site managers, veterinarians'
    (which restates the 17 site managers as 23)."""
    b = brief(
        "Our 17 site managers and 6 fish health veterinarians ask questions about feed and mortality every day; "
        "the site managers and the veterinarians use the answers to plan treatments."
    )
    assert len(b.users) == 2
    rollout = compute_rollout(b, "en")
    n = user_count(b)
    text = " ".join(rollout.stages)
    assert f"{n} users (" in text and f"{n} site managers" not in text


def test_a_korean_compound_role_counts_its_users_and_students_never_do():
    """'특수교사 210명' counts the teachers who use it (the compound ends with '교사'); the students the plans are for
    ('학생 2,900명') are never the rollout population."""
    b = brief(
        "교육지원청 특수교육지원센터는 관내 학교의 특수교육 대상 학생 2,900명의 개별화교육계획을 지원합니다. "
        "특수교사 210명이 학생 한 명의 기록을 읽고 계획 초안을 직접 쓰고 있으며, 교사가 초안을 검토해 확정합니다.",
        "ko",
    )
    assert user_count(b) == 210
