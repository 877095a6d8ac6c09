"""Roles from the brief (planning/roles.py): who uses, who approves and who runs the systems are
different people, end customers never review, and named stakeholders appear by name and title."""

from __future__ import annotations

import pytest

from genai_planner.documents.contract import fill
from genai_planner.planning.brief import Text, default, from_scenario, stated
from genai_planner.planning.roles import approver, is_end_customer, systems_owner, working_users


def _people(*names: str, source: str = "scenario") -> list[Text]:
    evidence = {"scenario": from_scenario("stakeholders"), "stated": stated("x"), "default": default("none named")}[source]
    return [Text(value=n, evidence=evidence) for n in names]


@pytest.mark.parametrize("group", ["callers", "patients", "applicants", "citizens", "parents", "library users", "민원인", "학부모", "이용자"])
def test_end_customers_are_recognised(group: str) -> None:
    assert is_end_customer(group)


@pytest.mark.parametrize("group", ["family physicians", "case officers", "volunteers", "duty supervisors", "상담사", "사서"])
def test_staff_are_not_end_customers(group: str) -> None:
    assert not is_end_customer(group)


def test_end_customers_never_become_the_working_users() -> None:
    stakeholders = _people("CEO Ana Ruiz", "duty supervisors", "volunteers", "board of trustees", "callers")
    users = working_users(_people("callers", source="stated"), stakeholders, "en")
    assert users == ["duty supervisors", "volunteers"]
    assert working_users(_people("callers", source="stated"), _people("callers"), "en") == ["staff"]
    assert working_users(_people("이용자", source="stated"), _people("관장 최은영", "사서", "이용자"), "ko") == ["사서"]


def test_stated_staff_stay_the_users() -> None:
    assert working_users(_people("case officers", source="stated"), _people("residents"), "en") == ["case officers"]


def test_the_approver_is_the_named_stakeholder_with_title() -> None:
    stakeholders = _people("Privacy Office", "Chief Medical Officer Dr. Ada Osei", "pharmacy", "patients")
    assert approver(stakeholders, "en") == "Chief Medical Officer Dr. Ada Osei"
    assert approver(_people("board of trustees"), "en") == "board of trustees"
    assert approver(_people("허가전략팀장 김하늘", "품질보증팀"), "ko") == "허가전략팀장 김하늘"
    assert approver(_people("pharmacy"), "en") == "executives"


def test_a_health_information_team_is_not_it_and_nobody_is_invented() -> None:
    stakeholders = _people("Health Information Management", "Privacy Office")
    # Nobody fits: a plain role noun for the client to name, not 'the person who runs ...'s systems'.
    assert systems_owner(stakeholders, "Bayview Clinic", "en") == "Bayview Clinic's IT lead"
    assert systems_owner(_people("external IT service provider"), "X", "en") == "external IT service provider"
    assert systems_owner(_people("의료정보팀", "정보보호팀"), "가람병원", "ko") == "가람병원의 IT 담당자"
    assert systems_owner(_people("시청 정보통신과"), "가람도서관", "ko") == "시청 정보통신과"


@pytest.mark.parametrize(
    "value, sentence",
    [
        ("CEO Ana Ruiz", "CEO Ana Ruiz approves the targets and signs off."),
        ("executives", "Executives approve the targets and sign off."),
        ("board of trustees", "Board of trustees approves the targets and signs off."),
        ("staff", "Staff approve the targets and sign off."),
        ("the person who runs Bayview Clinic's systems", "The person who runs Bayview Clinic's systems approves the targets and signs off."),
        ("Bayview Clinic's IT lead", "Bayview Clinic's IT lead approves the targets and signs off."),
        # an '&' inside the organisation's name is not a list of people
        ("the person who runs Qasr Sahil Hotels & Resorts' systems",
         "The person who runs Qasr Sahil Hotels & Resorts' systems approves the targets and signs off."),
        ("Layla Haddad & Omar Saleh", "Layla Haddad & Omar Saleh approve the targets and sign off."),
    ],
)
def test_the_verb_agrees_with_the_people_it_follows(value: str, sentence: str) -> None:
    assert fill("{executives} approve the targets and {executives} sign off.", {"executives": value}).replace(f" and {value} ", " and ") == sentence


def test_a_named_security_or_systems_office_runs_the_systems_when_no_it_unit_is_named() -> None:
    # Issue 24 (plan4, item 5): the client named a CISO; the security review and the servers go to that person.
    en = _people("claims handlers", "Chief Information Security Officer Rosa Lind", "CFO Martin Hale")
    assert systems_owner(en, "Tidewater Mutual", "en") == "Chief Information Security Officer Rosa Lind"
    assert approver(en, "en") == "CFO Martin Hale"  # the CISO reviews security; the CFO approves money
    assert systems_owner(_people("상담사", "CISO 최민재"), "누리카드", "ko") == "CISO 최민재"
    assert systems_owner(_people("상담사", "운영이사"), "누리카드", "ko") == "운영이사"
    assert systems_owner(_people("IT operations", "CISO 최민재"), "누리카드", "ko") == "IT operations"  # a named IT unit still comes first


def test_a_korean_cisos_name_is_read_from_the_prose() -> None:
    from genai_planner.planning.extract import extract_brief

    brief = extract_brief({"name": "case", "use_case": "누리카드는 상담 기록 초안을 만들려 합니다. 보안 검토는 최민재 CISO가 맡습니다."}, "ko")
    assert "CISO 최민재" in [s.value for s in brief.stakeholders]


# Issue 24 item 8: a Korean role is a whole noun ('약사법' is an act, not pharmacists), and the users are the
# people the prose says do the work, not every staff group it counts.
def _users(text: str, language: str = "ko") -> list[str]:
    from genai_planner.planning.extract import extract_brief

    return [u.value for u in extract_brief({"name": "case", "use_case": text}, language).users]


@pytest.mark.parametrize(
    ("text", "users"),
    [
        ("처방 내용은 약사법과 의료법을 따라야 합니다. 병동에 간호사 20명이 일합니다.", ["간호사"]),
        ("처방 내용은 약사법을 따라야 하며 퇴원 안내문 초안이 필요합니다.", ["직원"]),
        ("진료 기록은 의사결정 지원에 쓰입니다. 상담원 15명이 있습니다.", ["상담원"]),
        ("간호사실에서 교사용 자료를 관리하며, 상담사 8명이 있습니다.", ["상담사"]),
        ("약사들이 복약 안내문을 직접 씁니다.", ["약사들"]),
        ("수의사가 안내문을 작성하고 약사는 처방을 확인합니다.", ["수의사", "약사"]),
    ],
)
def test_a_korean_role_is_a_whole_noun(text, users):
    assert _users(text) == users


@pytest.mark.parametrize(
    ("text", "language", "users"),
    [
        ("동물병원에 수의사 40명과 동물보건사 90명이 일합니다. 지금은 담당 수의사가 차트를 보며 안내문을 직접 쓰고 있습니다.", "ko", ["수의사"]),
        ("병동에는 의사 30명, 간호사 120명이 있습니다. 퇴원 요약은 간호사가 작성하고 의사가 서명합니다.", "ko", ["의사", "간호사"]),
        ("The clinic employs 12 doctors and 30 receptionists. Doctors write every referral letter by hand.", "en", ["doctors"]),
        ("We have 40 nurses and 9 pharmacists; pharmacists review each discharge medication list.", "en", ["pharmacists"]),
    ],
)
def test_the_users_are_the_staff_who_do_the_work(text, language, users):
    assert _users(text, language) == users


def test_staff_with_no_stated_work_all_stay_users():
    assert _users("동물병원에 수의사 40명과 동물보건사 90명이 일합니다. 퇴원 안내문 초안이 필요합니다.") == ["수의사", "동물보건사"]


@pytest.mark.parametrize(
    ("template", "values", "sentence"),
    [
        ("Test for leakage, as {regulations} require.", {"regulations": "applicable data-protection law"},
         "Test for leakage, as applicable data-protection law requires."),
        ("Test for leakage, as {regulations} require.", {"regulations": "GDPR and the UAE PDPL"}, "Test for leakage, as GDPR and the UAE PDPL require."),
        ("Feasibility: {inputs} exist.", {"inputs": "the night-shift log"}, "Feasibility: the night-shift log exists."),
        ("Feasibility: {inputs} exist.", {"inputs": "fact sheets and menus"}, "Feasibility: fact sheets and menus exist."),
    ],
)
def test_a_verb_after_a_thing_agrees_with_it(template: str, values: dict, sentence: str) -> None:
    assert fill(template, values) == sentence
