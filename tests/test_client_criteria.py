"""Every success criterion the client states becomes a metric, its numbers kept exactly (issue 24, item 4).

Worked examples on sentences written for this file: a Markdown bullet list of criteria (English and
Korean), targets against baselines ('from 9% to under 3%', '15분에서 5분 이하로'), safety rules kept
whole and scored on a targeted test subset as well as in production.
"""

from __future__ import annotations

import re

from genai_planner.planning.extract import extract_brief
from genai_planner.planning.targets import compute_targets

HOTEL_LIST = (
    "Seaview Inns runs 9 small hotels. Guests write to the front desk on the website chat about parking, "
    "breakfast hours and allergens on the menu. We want an assistant that answers guests directly on the chat "
    "and hands the conversation to a front-desk agent when it cannot help.\n\n"
    "Success criteria:\n"
    "- Median first reply under 1 minute, down from 11 minutes\n"
    "- At least 60% of conversations resolved without an agent\n"
    "- Must never quote a room rate, promise a refund, confirm an upgrade or change a booking\n"
    "- No allergen answer not taken from the current menu\n"
)

KO_LIST = (
    "누리손해보험의 보상 심사 담당자 40명은 매일 사고 접수 서류를 읽고 보상 가능 여부를 확인합니다. "
    "담당자가 서류 요약 초안을 검토하고 승인합니다.\n\n"
    "성공 기준:\n"
    "- 답변 정확도 95% 이상\n"
    "- 상담 1건당 확인 시간을 15분에서 5분 이하로 단축\n"
    "- 오류율을 9%에서 3% 미만으로 낮춤\n"
)

DEPOT = (
    "Redline Coaches runs 300 coaches from 4 depots. Each evening a planner assembles the morning handover "
    "for the next shift by hand. We want a tool that drafts the handover from the day's defect tickets for the "
    "planner to check. Success means rework falls from 9% to under 3%, and brake or door defects must never be "
    "left out of the handover."
)


def targets(text: str, language: str = "en"):
    brief = extract_brief({"name": "case", "use_case": text}, language)
    return compute_targets(brief, language)


def client(ts):
    return [t for t in ts if t.origin == "client"]


def find(ts, *words):
    """The one metric whose name holds every word (case-insensitive)."""
    hits = [t for t in ts if all(w.lower() in t.metric.lower() for w in words)]
    assert len(hits) == 1, (words, [t.metric for t in ts])
    return hits[0]


# ----------------------------------------------------------------------------- 1. a bullet list: every line a metric


def test_every_bullet_of_an_english_list_is_a_client_metric():
    ts = targets(HOTEL_LIST)
    assert len(client(ts)) == 4, [(t.metric, t.target) for t in ts]


def test_a_listed_time_target_keeps_the_clients_number_and_baseline():
    reply = find(targets(HOTEL_LIST), "first reply")
    assert re.search(r"\b1 minute\b", reply.target) and "<" in reply.target, reply.target
    assert reply.baseline.startswith("11 minute"), reply.baseline
    assert reply.direction == "at_most"


def test_no_default_metric_loosens_the_clients_target():
    # '11 minutes' is the criterion's own baseline: no default 'waiting time -50%' (5.5 minutes) beside it.
    ts = targets(HOTEL_LIST)
    assert not any("5.5" in t.target for t in ts), [(t.metric, t.target) for t in ts]


def test_a_listed_share_is_a_target_not_a_baseline():
    share = find(targets(HOTEL_LIST), "resolved without")
    assert "60" in share.target and share.direction == "at_least"
    assert "60" not in share.baseline


# ----------------------------------------------------------------------------- 3. safety rules kept whole


def test_a_must_never_list_keeps_every_forbidden_act():
    gate = find(targets(HOTEL_LIST), "room rate")
    for act in ("room rate", "refund", "upgrade", "booking"):
        assert act in gate.metric.lower(), gate.metric
    assert gate.release_gate and gate.direction == "zero"


def test_a_no_line_is_a_zero_gate():
    gate = find(targets(HOTEL_LIST), "allergen")
    assert "current menu" in gate.metric.lower()
    assert gate.release_gate and gate.direction == "zero"


def test_a_safety_gate_is_scored_on_a_targeted_test_subset_and_in_production():
    for gate in (find(targets(HOTEL_LIST), "room rate"), find(targets(DEPOT), "brake or door")):
        assert gate.release_gate
        assert gate.measured == "test_set", gate
        assert "test subset" in gate.definition and "production" in gate.definition, gate.definition


def test_a_prohibition_keeps_its_whole_subject():
    gate = find(targets(DEPOT), "brake or door")
    assert "left out" in gate.metric.lower(), gate.metric


# ----------------------------------------------------------------------------- 2. target against baseline


def test_from_x_to_under_y_is_baseline_x_and_target_y():
    rework = find(targets(DEPOT), "rework")
    assert rework.baseline == "9%", rework
    assert "3%" in rework.target and "<" in rework.target and "4.5" not in rework.target


def test_at_least_in_prose_is_a_target():
    ts = targets("Mossgrove Library wants an assistant that answers members' questions about opening hours. "
                 "Success means answer accuracy of at least 95% on the reference questions.")
    acc = find(ts, "accuracy")
    assert "95" in acc.target and "95" not in acc.baseline


def test_korean_list_every_line_a_metric():
    ts = targets(KO_LIST, "ko")
    assert len(client(ts)) == 3, [(t.metric, t.baseline, t.target) for t in ts]


def test_korean_at_least_is_a_target():
    acc = find(targets(KO_LIST, "ko"), "답변 정확도")
    assert acc.target == "95% 이상" and "95" not in acc.baseline


def test_korean_from_to_is_baseline_and_target():
    ts = targets(KO_LIST, "ko")
    time = find(ts, "확인 시간")
    assert time.baseline == "15분" and time.target == "5분 이하", time
    errors = find(ts, "오류율")
    assert errors.baseline == "9%" and errors.target == "3% 미만", errors


def test_no_metric_is_named_from_a_fragment():
    for t in targets(KO_LIST, "ko"):
        assert not re.search(r"^\d|에서$|^분|이하$|미만$", t.metric), t.metric


# ----------------------------------------------------------------------------- a list under its own heading


def test_a_list_after_a_blank_line_under_a_heading_is_read():
    text = (
        "Tallow Bakeries runs 30 shops and wants a staff assistant for recipe and allergen questions.\n\n"
        "Success criteria:\n\n"
        "- Median answer time under 20 seconds\n"
        "- 90% of answers rated correct by the head baker\n\n"
        "The shops are in Ghent."
    )
    ts = client(targets(text))
    assert len(ts) == 2, [t.metric for t in ts]
    assert not any("criteria" in t.metric.lower() for t in ts)


def test_a_korean_list_under_a_bare_heading_is_read():
    text = (
        "누리손해보험은 심사 담당자 40명이 사고 서류를 검토합니다.\n\n"
        "성공 기준\n\n"
        "- 답변 정확도 95% 이상\n"
        "- 오류율을 9%에서 3% 미만으로 낮춤"
    )
    ts = client(targets(text, "ko"))
    assert sorted(t.target for t in ts) == ["3% 미만", "95% 이상"], [(t.metric, t.target) for t in ts]


# ----------------------------------------------------------------------------- 4. zero-failure gates: the bound and a per-output control


def evaluation(text: str, per_month: float = 20000, language: str = "en"):
    from genai_planner.planning.shape import compute_evaluation

    brief = extract_brief({"name": "case", "use_case": text}, language)
    return compute_evaluation(brief, compute_targets(brief, language), [], None, items_per_month=per_month, language=language)


def test_the_gate_window_follows_the_tolerance_the_client_states():
    # 'below 0.5%' is the tolerance: rule of three, 3 / 0.005 = 600 reviewed outputs with no critical error.
    ev = evaluation("Harrow Clinic wants discharge letters drafted for its doctors to sign. "
                    "Success means critical errors stay below 0.5% of letters.")
    assert ev.gate_window == 600 and "3/600 = 0.5%" in ev.gate_text, ev.gate_text


def test_a_must_never_rule_is_paired_with_a_check_on_every_output():
    ev = evaluation(HOTEL_LIST)
    assert ev.gate_window == 300 and "3/300 = 1%" in ev.gate_text
    assert "every output" in ev.gate_text and "guardrail" in ev.gate_text, ev.gate_text


def test_no_must_never_rule_no_guardrail_sentence():
    ev = evaluation("Harrow Clinic wants discharge letters drafted for its doctors to sign. "
                    "Success means halving the time per letter.")
    assert "guardrail" not in ev.gate_text


# ----------------------------------------------------------------------------- 5. deflection follows the interaction mode

DEFLECTION = "Self-service resolution rate"

DIRECT_STAFF_USERS = (
    "Pinecrest Rail's customer-service staff answer 3,000 passenger messages a day about delays and refunds. "
    "We want a chatbot on the website that answers passengers directly and hands the conversation to an agent "
    "when it cannot help."
)
REVIEWED_PUBLIC_USERS = (
    "Customers of Pinecrest Rail email about delays and refunds, 3,000 messages a day. "
    "We want an assistant that drafts each reply; an agent reviews and approves every reply before it is sent."
)


def test_a_direct_answer_with_a_hand_off_gets_a_deflection_metric_whoever_the_users_are():
    ts = targets(DIRECT_STAFF_USERS)
    assert any(t.metric == DEFLECTION for t in ts), [t.metric for t in ts]


def test_no_deflection_metric_where_a_person_approves_every_output():
    ts = targets(REVIEWED_PUBLIC_USERS)
    assert not any(t.metric == DEFLECTION for t in ts), [t.metric for t in ts]


def test_a_looser_error_target_never_loosens_the_gate():
    # '오류율 9% -> 3% 미만' is an overall error rate: the critical-error window stays at 3/300 = 1%, not 3/100.
    ev = evaluation(KO_LIST, language="ko")
    assert ev.gate_window == 300, ev.gate_text


def test_a_korean_list_keeps_its_range_baseline_and_its_zero_rules_whole():
    """Nominal Korean list items ('... 없어야 함', '... 절대 나오면 안 됨') are zero-tolerance gates named by their whole
    subject; '5~6시간에서 2시간 이내로' is a target of at most 2 hours, never a default cut to 3."""
    from genai_planner.planning.extract import extract_brief
    from genai_planner.planning.targets import read_criteria

    text = (
        "특수교사 210명이 학생 기록을 읽고 계획 초안을 씁니다. 성공 기준:\n"
        "- 계획 1건 작성 시간을 5~6시간에서 2시간 이내로 단축\n"
        "- 장애 유형이나 진단명을 잘못 적은 초안이 한 건도 없어야 함\n"
        "- 다른 학생의 정보가 섞인 초안이 절대 나오면 안 됨"
    )
    read = {c.phrase: c for c in read_criteria(extract_brief({"name": "x", "use_case": text}, "ko"))}
    assert read["계획 1건 작성 시간"].value == 2.0 and read["계획 1건 작성 시간"].direction == "at_most"
    assert read["장애 유형이나 진단명을 잘못 적은 초안"].direction == "zero"
    assert read["다른 학생의 정보가 섞인 초안"].safety


def test_a_korean_prohibition_is_named_by_its_head_not_the_clause_before_it():
    """'사서가 확인하지 않은 ... 약속을 절대로 해서는 안 됨': Korean puts the head noun last, so the metric is the promises
    (the measured thing), never the librarian or the office that opens the relative clause."""
    text = (
        "우리 도서관은 하루 200건의 이용자 문의에 답합니다. 답변은 사서가 정하지 않은 면제나 연장 약속을 절대로 해서는 "
        "안 되고, 답변 시간을 건당 5분 이내로 줄이는 것이 목표입니다."
    )
    ts = client(targets(text, "ko"))
    assert [t.metric for t in ts if t.target == "0건"] == ["면제나 연장 약속"], [t.metric for t in ts]
    assert find(ts, "답변 시간").target == "5분 이하"  # an opening still names a rate-cut clause ('답변 시간을 건당')
    # A bare head is no name ('답변' would be every output): with no longer ending, the opening names it, as before.
    ts = client(targets("우리 도서관은 하루 200건의 문의에 답합니다. 반납 규정을 잘못 안내하는 답변은 한 건도 없어야 합니다.", "ko"))
    assert "답변" not in [t.metric for t in ts], [t.metric for t in ts]
