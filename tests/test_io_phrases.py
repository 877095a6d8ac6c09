"""What the model reads and produces (planning/io_phrases.py): no times, no rules for records, the main deliverable, no pasted lists.

The use cases here are written for this test, in the shapes that broke documents on fresh use
cases: a month or a complaint's 'previous month' taken as an input, a rule named in 'based on'
taken as the record, a fallback ('if vague, draft a question') taken as THE output, four
fragments pasted into one slot, and a doubled Korean distributive.
"""

from __future__ import annotations

import pytest

from genai_planner.planning.extract import extract_brief
from genai_planner.planning.io_phrases import as_kinds, distributive_once, inputs_phrase, is_fallback, is_time, one_of, without_time
from genai_planner.planning.phrases import noun_phrase
from genai_planner.planning.prose import Prose

# id, language, use case, inputs that must be there (head first), outputs that must lead, values that must not appear
CASES = [
    (
        "customs",
        "en",
        "Brennan Freight is a customs broker in Rotterdam. For each new invoice line the agent reads the supplier's description, "
        "checks it against last year's rulings and chooses the 10-digit TARIC code; in October to December we handle about 4,000 "
        "lines a week. We want the system to propose the three most likely TARIC codes with a short justification for each, and "
        "the agent picks the final code. If a line is too vague, the system should draft a question to the client.",
        ["supplier's descriptions"],
        ["TARIC codes"],
        ["October", "questions", "TARIC code", "last year's rulings"],
    ),
    (
        "microfinance",
        "en",
        "Kilima Microfinance has 60 loan officers who record voice notes after each client visit. Supervisors complain that "
        "reports are copied from the previous month. We want the system to summarise each note into a structured visit summary "
        "based on the credit policy, from the loan officers' voice notes. About 3,000 visits a month.",
        ["loan officers' voice notes"],
        ["structured visit summaries"],
        ["previous month", "credit policy"],
    ),
    (
        "lab",
        "en",
        "Northvale Veterinary Labs releases about 260 lab results a day. A vet reads each result together with the quality "
        "payment rules and writes a short interpretation for the practice. We want drafts of the interpretation generated for "
        "the vet to approve, based on the quality payment rules.",
        ["lab results"],
        [],
        ["quality payment rules", "result togethers"],
    ),
    (
        "call-centre",
        "en",
        "Metro Gas runs a call centre with 45 agents taking 1,200 calls a day in winter. After each call the agent writes a "
        "wrap-up note from the call transcript, the customer's account history, the tariff sheet and the complaint log. We want "
        "the system to draft the wrap-up note for the agent to check. If the caller is angry, it should suggest an escalation message.",
        ["call transcripts"],
        ["wrap-up notes"],
        ["escalation messages", "winter"],
    ),
    (
        "underwriting",
        "en",
        "Each week our underwriters read broker submissions from January, schedules of values and loss runs, based on our "
        "underwriting guidelines. We would like the system to produce a risk summary for each submission.",
        ["broker submissions"],
        ["risk summaries"],
        ["January", "underwriting guidelines"],
    ),
    (
        "brokers",
        "en",
        "Our brokers classify goods using the supplier's description, the invoice and the previous month's declarations. The "
        "system should suggest the commodity code for each line with a justification, and, when information is missing, "
        "draft a query to the importer.",
        [],
        ["commodity codes"],
        ["queries", "previous month's declarations"],
    ),
    (
        "ko-customs",
        "ko",
        "관세사무소 한빛관세는 매주 송장 품목 3,000건을 처리합니다. 직원은 공급업체 품목 설명을 읽고 10자리 HS 코드를 고릅니다. "
        "10월부터 12월까지는 물량이 두 배입니다. 시스템이 가능성이 높은 HS 코드 세 개를 근거와 함께 제안하고, 설명이 모호하면 고객에게 "
        "보낼 질문 초안을 작성하기를 원합니다.",
        ["공급업체 품목 설명"],
        ["HS 코드"],
        ["질문 초안", "10월"],
    ),
    (
        "ko-lab",
        "ko",
        "동물검사센터는 하루 300건의 검사 결과를 발급합니다. 수의사는 검사 결과와 품질 지급 규정을 바탕으로 해석 의견서를 씁니다. "
        "1분기와 지난해 자료를 참고해 의견서 초안을 만들어 주면 좋겠습니다.",
        ["검사 결과"],
        [],
        ["분기", "1분기", "지난해 자료", "품질 지급 규정"],
    ),
    (
        "ko-call",
        "ko",
        "콜센터 상담사 80명이 하루 5,000건의 통화를 처리합니다. 상담사는 통화 녹취를 바탕으로 상담 요약본을 씁니다. "
        "고객이 불만을 제기하면 사과 안내문을 작성합니다. 월요일에는 통화가 많습니다.",
        ["통화 녹취"],
        ["상담 요약본"],
        ["사과 안내문", "월요일"],
    ),
    (
        "ko-complaints",
        "ko",
        "구청 민원팀은 매월 민원 1,000건을 받습니다. 담당자는 지난달 민원과 규정을 검토하고 답변 초안을 작성합니다.",
        ["민원"],
        ["답변 초안"],
        ["지난달 민원", "규정"],
    ),
]


@pytest.mark.parametrize("case_id, language, text, inputs, outputs, absent", CASES, ids=[c[0] for c in CASES])
def test_inputs_and_outputs_are_the_things_read_and_delivered(case_id, language, text, inputs, outputs, absent) -> None:
    brief = extract_brief({"name": case_id, "use_case": text, "language": language}, language)
    got_in = [t.value for t in brief.inputs]
    got_out = [t.value for t in brief.outputs]
    assert got_in[: len(inputs)] == inputs, got_in
    assert got_out[: len(outputs)] == outputs, got_out
    assert not {v.lower() for v in got_in} & {v.lower() for v in got_out}, (got_in, got_out)  # what is produced is not read
    for value in got_in + got_out:
        assert noun_phrase(value) == value, value
        assert not is_time(value), value
        assert value not in absent, (value, got_in, got_out)


@pytest.mark.parametrize("value", ["October", "previous month", "the last year", "Mondays", "winter", "Q3", "1분기", "지난달", "10월", "월요일", "여름"])
def test_a_time_is_not_a_thing(value: str) -> None:
    assert is_time(value)


@pytest.mark.parametrize("value", ["monthly reports", "supplier's description", "call transcript", "민원", "검사 결과", "may rulings"])
def test_a_thing_is_not_a_time(value: str) -> None:
    assert not is_time(value)


@pytest.mark.parametrize(
    "value, thing",
    [("last year's rulings", "rulings"), ("previous month's declarations", "declarations"), ("지난달 민원", "민원"), ("October invoices", "invoices")],
)
def test_a_time_that_dates_a_thing_is_cut_off(value: str, thing: str) -> None:
    assert without_time(value) == thing


def test_a_conditional_output_is_a_fallback_and_a_trigger_is_not() -> None:
    from genai_planner.planning.brief import Text, stated

    p = Prose("We want drafts of the letter. If a line is too vague, the system should draft a question to the client.")
    assert is_fallback(p, Text(value="questions", evidence=stated("question")))
    assert not is_fallback(p, Text(value="letters", evidence=stated("letter")))


def test_a_list_reads_as_its_head_plus_related_records() -> None:
    assert inputs_phrase(["call transcripts"], "en") == "call transcripts"
    assert inputs_phrase(["call transcripts", "account histories"], "en") == "call transcripts and account histories"
    assert inputs_phrase(["call transcripts", "account histories", "tariff sheets"], "en") == "call transcripts and related records"
    assert inputs_phrase(["통화 녹취", "계정 이력", "요율표"], "ko") == "통화 녹취 등 관련 기록"


def test_a_korean_distributive_is_said_once() -> None:
    assert (
        distributive_once("요청마다 ", "먼저 녹음마다 음성 인식으로 전사하며, 그다음 기록을 불러옵니다")
        == "먼저 녹음마다 음성 인식으로 전사하며, 그다음 기록을 불러옵니다"
    )
    assert distributive_once("요청마다 ", "해당 건과 분류 정의를 전달합니다") == "요청마다 해당 건과 분류 정의를 전달합니다"


@pytest.mark.parametrize(
    "written, kind",
    [
        ("wrap-up note", "wrap-up notes"),
        ("call transcript", "call transcripts"),
        ("country of origin", "countries of origin"),
        ("customer's account history", "customer's account history"),
        ("source code", "source code"),
        ("billing", "billing"),
    ],
)
def test_english_inputs_and_outputs_are_named_as_kinds_and_one_of_them_is_singular(written: str, kind: str) -> None:
    from genai_planner.planning.brief import Text, stated

    assert [t.value for t in as_kinds([Text(value=written, evidence=stated(written))], "en")] == [kind]
    assert one_of(kind, "en") == written


def _facts(language: str, inputs: list[str], retrieval: str = ""):
    from genai_planner.planning.brief import Text, stated
    from genai_planner.planning.facts import document_facts
    from genai_planner.planning.figures import TaskShape
    from tests.planning_samples import sample_brief, sample_figures

    brief = sample_brief(language).model_copy(update={"inputs": [Text(value=v, evidence=stated(v)) for v in inputs]})
    figures = sample_figures(language)
    if retrieval:
        shape = TaskShape(
            archetype="conversation_summary",
            archetype_name="요약",
            mode="batch",
            single_item=True,
            retrieval=retrieval,
            caching="",
            waiting="",
            reason="",
            input_step="speech_to_text",
        )
        figures = figures.model_copy(update={"task_shape": shape})
    return document_facts(brief, figures, {}, language).values


def test_the_inputs_slot_never_pastes_a_list_and_the_input_slot_is_one_item() -> None:
    values = _facts("en", ["call transcripts", "account histories", "tariff sheets", "complaint logs"])
    assert values["inputs"] == "call transcripts and related records"
    assert values["input"] == "call transcript"
    assert _facts("ko", ["통화 녹취", "계정 이력", "요율표"])["inputs"] == "통화 녹취 등 관련 기록"


def test_the_korean_retrieval_step_says_its_distributive_once() -> None:
    step = "먼저 녹음마다 음성 인식(STT)으로 전사하며, 그다음 해당 통화 한 건의 전사문 전체를 전달합니다"
    assert _facts("ko", ["녹음"], step)["retrieval_step"] == step
    plain = "해당 건과 분류 정의를 전달합니다"
    assert _facts("ko", ["녹음"], plain)["retrieval_step"] == "요청마다 " + plain


def test_a_condition_that_triggers_the_only_output_keeps_it() -> None:
    # 'If a customer emails, draft a reply' names the work itself: with no other output, it is THE output.
    text = "Parcelhub has 30 agents. If a customer emails about a delayed parcel, the system should draft a reply for the agent to check."
    brief = extract_brief({"name": "trigger", "use_case": text, "language": "en"}, "en")
    assert [o.value for o in brief.outputs][:1] == ["replies"]
