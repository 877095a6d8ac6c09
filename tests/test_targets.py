"""Key metrics client first, task shape, evaluation statistics and rollout (issue 24, items 4, 5, 7, 9).

Each rule is pinned with worked numbers: the margin a test-set size gives (1.96 x sqrt(0.25/n)),
the rule of three, the count of metrics a use case gets, the stages a team of 14 gets.
"""

from __future__ import annotations

import re

import pytest

from genai_planner.documents.contract import resolve_contract
from genai_planner.documents.specs import load_document_specs
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.planning.figures import Cost, Score
from genai_planner.planning.shape import (
    compute_evaluation,
    compute_rollout,
    compute_task_shape,
    expected_rate,
    fine_tune_data,
    items_for_margin,
    margin_points,
    user_count,
    zero_failure_window,
)
from genai_planner.planning.targets import compute_targets, read_criteria
from genai_planner.planning.tiebreak import tie_break
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())

HOSPITAL_EN = (
    "Northgate Hospital wants to draft discharge summaries from the EMR for its hospitalists. "
    "Doctors spend 25 minutes per summary today and write about 150 summaries a day. "
    "Success means halving the time per summary with no increase in medication errors."
)
HOSPITAL_KO = (
    "한빛병원은 전자의무기록으로 퇴원 요약 초안을 작성하려 합니다. 의료진은 환자당 25분이 걸립니다. "
    "목표는 작성 시간을 절반으로 줄이되 투약 오류가 늘지 않는 것입니다."
)
CLAIMS = (
    "Claims handlers take 35 minutes per file to draft the assessment note. "
    "Success means the first note is ready within 10 minutes of a file arriving. "
    "We want to cut handling time by 30% and have zero critical errors."
)


def brief(text: str, language: str = "en", **scenario):
    return extract_brief({"name": "case", "use_case": text, **scenario}, language)


def by_name(targets, name):
    return next(t for t in targets if t.metric == name)


# ----------------------------------------------------------------------------- 4. metrics from the client first


def test_the_clients_own_criterion_becomes_a_metric_with_its_direction_and_a_release_gate():
    targets = compute_targets(brief(HOSPITAL_EN), "en")
    errors = by_name(targets, "Medication errors")
    assert (errors.origin, errors.direction, errors.release_gate, errors.measured) == ("client", "no_increase", True, "pilot")
    assert errors.target == "no increase on the pre-pilot rate"
    # 'halving the time per summary' meets the stated baseline of 25 minutes: 25 x (1 - 50%) = 12.5 minutes.
    time = by_name(targets, "Time per summary")
    assert (time.origin, time.direction, time.baseline, time.target) == ("client", "reduce", "25 minutes", "12.5 minutes")
    # The client's criteria come before the defaults fill in: both are among the five.
    assert len(targets) == 5 and [t.kind for t in targets].count("technical") == 3


def test_a_korean_criterion_keeps_the_clients_words():
    targets = compute_targets(brief(HOSPITAL_KO, "ko"), "ko")
    errors = by_name(targets, "투약 오류")
    assert errors.release_gate and errors.direction == "no_increase" and errors.target == "파일럿 전 수준 대비 증가 없음"
    assert by_name(targets, "작성 시간").target == "12.5분"  # 25분 x 50%


def test_the_metric_count_follows_the_use_case():
    b = brief(CLAIMS)
    assert [(c.phrase, c.direction) for c in read_criteria(b)] == [
        ("first note is ready", "at_most"),
        ("critical errors", "zero"),
        ("handling time", "reduce"),
    ]
    targets = compute_targets(b, "en")
    # 3 client criteria + the stated 35-minute baseline = 4 business metrics; at least 2 test-set technical ones: 6, not a fixed 5.
    assert len(targets) == 6
    assert [t.metric for t in targets if t.origin == "client"] == ["Time until first note is ready", "Critical errors", "Handling time"]
    assert by_name(targets, "Time until first note is ready").target == "≤ 10 minutes"
    assert by_name(targets, "Critical errors").release_gate and by_name(targets, "Critical errors").target == "0"
    assert by_name(targets, "Handling time").target == "30% below the pilot baseline"
    assert sum(1 for t in targets if t.kind == "technical" and t.measured == "test_set") >= 2


DISCHARGE_48H = (
    "Ward doctors write discharge letters from the chart for the family doctor; about 30 letters a day, and spend 25 minutes per letter. "
    "Only 52% of letters reach the family doctor within 2 days; our target is 95%.\n"
    "Success criteria:\n- letters sent within 2 days for at least 95% of discharges;\n"
    "- doctor time per letter under 8 minutes;\n- no wrong dosage in any letter."
)


def test_a_share_within_a_window_is_one_metric_with_its_stated_baseline():
    targets = compute_targets(brief(DISCHARGE_48H), "en")
    shares = [t for t in targets if "within 2 days" in t.metric]
    # One metric, not 'time until letters sent <= 2 days' beside 'discharges >= 95%' with 'baseline: pilot'.
    assert [(t.metric, t.baseline, t.target, t.direction, t.source) for t in shares] == [
        ("Share of letters sent within 2 days", "52%", "≥ 95%", "at_least", "brief")
    ]
    assert not any(t.metric.startswith("Time until") or t.metric == "Discharges" for t in targets)


def test_a_stated_limit_is_the_target_never_a_looser_default():
    targets = compute_targets(brief(DISCHARGE_48H), "en")
    time = [t for t in targets if "time per" in t.metric.lower()]
    # The stated 25 minutes is the baseline; the client's 'under 8 minutes' the target, not the default -50% (12.5 minutes).
    assert [(t.metric, t.baseline, t.target, t.origin) for t in time] == [("Doctor time per letter", "25 minutes", "≤ 8 minutes", "client")]


def test_a_safety_criterion_with_a_wrong_thing_is_a_zero_release_gate():
    targets = compute_targets(brief(DISCHARGE_48H), "en")
    dosage = by_name(targets, "Wrong dosage")
    assert (dosage.direction, dosage.target, dosage.release_gate) == ("zero", "0", True)
    # Three client criteria, each with its direction, and the test set still scores two technical metrics: 5 in all.
    assert [t.direction for t in targets if t.origin == "client"] == ["at_least", "at_most", "zero"]
    assert sum(1 for t in targets if t.measured == "test_set") >= 2


def test_a_list_of_criteria_on_one_line_keeps_each_criterion():
    b = brief("Claims handlers draft notes. Success: notes ready within 1 day for 80% of claims, handling time under 20 minutes, zero critical errors.")
    assert [(c.phrase, c.direction, c.value) for c in read_criteria(b)] == [
        ("notes ready within 1 day", "at_least", 80.0),
        ("critical errors", "zero", None),
        ("handling time", "at_most", 20.0),
    ]


def test_a_korean_share_within_a_window_reads_the_current_rate_as_the_baseline():
    b = brief("병동 의사가 차트로 퇴원 요약을 작성합니다. 하루 30건입니다. "
              "목표는 퇴원 요약의 48시간 이내 발송 비율을 현재 41%에서 90% 이상으로 높이는 것입니다.", "ko")
    share = next(t for t in compute_targets(b, "ko") if "48시간" in t.metric)
    assert (share.baseline, share.target, share.direction) == ("41%", "90% 이상", "at_least")


def test_no_self_service_metric_where_a_person_approves_every_output():
    staff = compute_targets(brief("Support agents use a chatbot to answer questions from the help centre."), "en")
    assert "Self-service resolution rate" not in [t.metric for t in staff]
    public = compute_targets(brief("Customers chat with our chatbot to answer questions about orders."), "en")
    assert "Self-service resolution rate" in [t.metric for t in public]


def test_automated_evaluation_scores_only_test_set_metrics():
    b = brief(HOSPITAL_EN)
    figures = compute_figures(b, CATALOG, "en")
    ev = figures.evaluation
    assert "Medication errors" in ev.pilot_only and "Medication errors" not in ev.automated
    assert all(by_name(figures.targets, m).measured == "test_set" for m in ev.automated)
    contract = resolve_contract(load_document_specs()["4"], document_facts(b, figures, {}, "en"), "en")
    automated = next(s for s in contract["sections"] if s["id"] == "automated_evaluation")
    metrics = next(p["text"] for p in automated["points"] if p["label"] == "Metrics")
    scored, pilot = metrics.split(";", 1)
    assert "Medication errors" not in scored and "Medication errors" in pilot and "only in the pilot" in pilot
    gates = next(s for s in contract["sections"] if s["id"] == "release_gates")
    assert any("Medication errors" in p["text"] and "stops the rollout" in p["text"] for p in gates["points"])


# ----------------------------------------------------------------------------- 5. task shape


def test_summarising_one_record_is_a_batch_job_without_passage_search_or_per_user_caches():
    b = brief(HOSPITAL_EN)
    assert b.task_shape is not None and (b.task_shape.archetype, b.task_shape.mode) == ("record_drafting", "batch")
    shape = compute_task_shape(b, "en", 9000, 1)
    assert "no passage search" in shape.retrieval and "top 5" not in shape.retrieval and "9,000 tokens" in shape.retrieval
    assert "no per-user or answer cache" in shape.caching
    assert "expected wait" not in shape.waiting
    targets = compute_targets(b, "en")
    assert not any("recall@5" in t.metric for t in targets)


@pytest.mark.parametrize(
    ("text", "archetype", "mode", "words"),
    [
        ("Store staff ask questions about the product catalogue and warranty policies.", "corpus_qa", "interactive", "top 5 passages"),
        ("Analysts ask questions in plain English that become SQL queries over the sales database.", "text_to_sql", "interactive", "semantic layer"),
        ("Complaints are classified and routed to the right department.", "classification", "batch", "label definitions"),
    ],
)
def test_retrieval_follows_the_archetype(text, archetype, mode, words):
    b = brief(text)
    shape = compute_task_shape(b, "en", 4000, 2)
    assert (shape.archetype, shape.mode) == (archetype, mode)
    assert words in shape.retrieval


def test_a_stated_latency_sets_the_mode():
    b = brief("Claims handlers draft assessment notes from each claim file while the customer waits on the phone.", constraints={"latency": "interactive"})
    assert (b.task_shape.archetype, b.task_shape.mode) == ("record_drafting", "interactive")
    assert "expected wait" in compute_task_shape(b, "en", 4000, 3).waiting


# ----------------------------------------------------------------------------- 7. evaluation statistics


def test_the_margin_written_is_the_one_the_size_gives():
    assert margin_points(300) == 5.7  # 1.96 x sqrt(0.25 / 300) = 0.0566
    assert margin_points(1000) == 3.1  # 1.96 x sqrt(0.25 / 1000) = 0.0310
    assert items_for_margin(5) == 400  # 1.96^2 x 0.25 / 0.05^2 = 384.2 -> 385 -> 400
    assert items_for_margin(3) == 1100  # 1.96^2 x 0.25 / 0.03^2 = 1,067.1 -> 1,068 -> 1,100
    # Around an expected 95%: p(1-p) = 0.0475, not the worst case 0.25.
    assert items_for_margin(3, rate=0.95) == 250  # 1.96^2 x 0.0475 / 0.03^2 = 202.8 -> 203 -> 250
    assert margin_points(250, rate=0.95) == 2.7  # 1.96 x sqrt(0.0475 / 250) = 0.0270


def test_the_test_set_size_comes_from_the_margin_wanted_around_the_expected_rate_and_the_supply():
    b = brief(HOSPITAL_EN)  # a release gate (medication errors): ±3 points wanted
    targets = compute_targets(b, "en")
    assert expected_rate(targets) == (0.95, "Factual consistency")  # the test-set targets are 95% (factual consistency, coverage)
    ev = compute_evaluation(b, targets, [], None, items_per_month=4500, language="en")
    # 250 items, not the 1,100 the worst case 50% would take; the margin written is the one 250 gives.
    assert (ev.test_set_size, ev.margin_points, ev.margin_wanted, ev.expected_rate_pct) == (250, 2.7, 3.0, 95.0)
    assert "about ±2.7 points" in ev.margin_text and "around the expected 95%" in ev.margin_text
    assert "1.96² × 0.95 × 0.05 / 0.03²" in ev.size_reason
    # Without a test-set rate target the worst case 50% stays, and says so.
    assert expected_rate([]) == (0.5, None)
    # 13 documents a month: three months give 39 items; the margin says how wide that is: 1.96 x sqrt(0.0475/39) = 6.8.
    small = compute_evaluation(b, targets, [], None, items_per_month=13, language="en")
    assert (small.test_set_size, small.margin_points) == (39, 6.8)
    assert "3 months of real items give 39" in small.size_reason
    # Nor can the zero-failure gate review 300 outputs: all 39 bound the rate at 3/39 = 7.7%, and people keep reviewing.
    assert (small.gate_window, small.gate_bound_pct) == (39, 7.69) and "3/39 = 7.7%" in small.gate_text and "every output" in small.gate_text


def test_the_zero_failure_gate_uses_the_rule_of_three():
    assert zero_failure_window(1) == 300 and zero_failure_window(2) == 150
    # 'no critical error in the last 20' only bounds the rate at 3/20 = 15%: the gate asks for 300 (1%) where a release gate exists.
    ev = compute_evaluation(brief(HOSPITAL_EN), compute_targets(brief(HOSPITAL_EN), "en"), [], None, 4500, "en")
    assert (ev.gate_window, ev.gate_bound_pct) == (300, 1.0) and "3/300 = 1%" in ev.gate_text
    assert "McNemar" in ev.regression_text and "paired bootstrap" in ev.regression_text
    assert "weighted Cohen's kappa" in ev.agreement_text


def _score(model: str, quality: int, total: float) -> Score:
    return Score(model=model, provider="p", scores={"quality": quality}, total=total)


def test_the_judge_is_stronger_than_the_judged_model_or_people_check_it():
    b = brief(HOSPITAL_EN)
    targets = compute_targets(b, "en")
    scores = [_score("Small", 3, 4.0), _score("Mid", 2, 3.5), _score("Large", 5, 3.0)]
    ev = compute_evaluation(b, targets, scores, "Small", 4500, "en")
    assert ev.judge == "Large" and ev.judge_at_least_as_strong and "person" not in ev.judge_text  # quality 5 > 3
    weak = compute_evaluation(b, targets, [_score("Big", 5, 4.0), _score("Mid", 3, 3.5)], "Big", 4500, "en")
    assert weak.judge == "Mid" and not weak.judge_at_least_as_strong
    assert "a person re-scores 50 judged items" in weak.judge_text  # 10% of 250 is 25, at least 50
    # The runner-up that lost to the judged model with the same quality score is not stronger: people check it.
    equal = compute_evaluation(b, targets, [_score("Llama", 4, 4.32), _score("Qwen", 4, 4.32)], "Llama", 4500, "en")
    assert equal.judge == "Qwen" and "the same as the 4 of Llama, not stronger" in equal.judge_text
    assert "a person re-scores 50 judged items" in equal.judge_text
    alone = compute_evaluation(b, targets, [_score("Only", 4, 4.0)], "Only", 4500, "en")
    assert alone.judge is None and "people score" in alone.judge_text


def test_the_judge_reads_the_use_cases_languages_at_least_as_well_as_the_judged_model():
    """A model scored 2 for Korean cannot grade Korean summaries; an equally strong one scored 4 can."""
    b = brief(HOSPITAL_KO, "ko")
    targets = compute_targets(b, "ko")

    def score(model, quality, language, total):
        return Score(model=model, provider="p", scores={"quality": quality, "language": language}, total=total)

    scores = [score("Qwen 72B", 4, 4, 4.1), score("Granite 8B", 2, 2, 3.9), score("Mistral Small", 3, 2, 3.8), score("Gemma 27B", 3, 4, 3.7)]
    ev = compute_evaluation(b, targets, scores, "Qwen 72B", 4500, "ko")
    assert ev.judge == "Gemma 27B"  # not Mistral Small, ranked higher but weak in Korean
    # Where no other model reads the language as well, the strongest other one judges and people check it.
    weak = compute_evaluation(b, targets, [score("Qwen 72B", 4, 4, 4.1), score("Mistral Small", 3, 2, 3.8)], "Qwen 72B", 4500, "ko")
    assert weak.judge == "Mistral Small" and not weak.judge_at_least_as_strong


def test_a_tie_at_the_top_is_shown_with_the_rule_that_broke_it():
    a = Score(model="Llama", provider="p", scores={"quality": 4, "privacy": 5}, total=4.32)
    b = Score(model="Qwen", provider="p", scores={"quality": 4, "privacy": 4}, total=4.32)
    assert tie_break([a, b], [], "privacy", "en") == (
        "Llama and Qwen tie at a weighted score of 4.32; Llama is put first by the higher privacy and hosting score, "
        "the use case's top factor (Llama 5 against 4)"
    )
    same = Score(model="Qwen", provider="p", scores={"quality": 4, "privacy": 5}, total=4.32)
    costs = [Cost(model="Llama", monthly_input_tokens=1, monthly_output_tokens=1, monthly_usd=900.0),
             Cost(model="Qwen", monthly_input_tokens=1, monthly_output_tokens=1, monthly_usd=1200.0)]
    assert "the lower monthly cost (Llama at USD 900.00, Qwen at USD 1,200.00)" in tie_break([a, same], costs, "privacy", "en")
    assert tie_break([a, Score(model="Qwen", provider="p", scores={}, total=4.31)], [], "privacy", "en") == ""
    # Three API models tie for the hospital case: all three are named, and document 2 shows the tie, not 'the highest weighted score'.
    figures = compute_figures(brief(HOSPITAL_EN), CATALOG, "en")
    tied = [s.model for s in figures.scores if s.total == figures.scores[0].total]
    assert len(tied) >= 2 and all(m in figures.tie_break for m in tied)
    contract = resolve_contract(load_document_specs()["2"], document_facts(brief(HOSPITAL_EN), figures, {}, "en"), "en")
    rec = next(s for s in contract["sections"] if s["id"] == "recommendation")
    assert any(figures.tie_break in p["text"] for p in rec["points"])
    assert not any("has the highest weighted score" in p["text"] for p in rec["points"])


# ----------------------------------------------------------------------------- 9. rollout at the client's scale


def test_a_team_of_14_pilots_with_one_named_group_not_a_10_percent_canary():
    b = brief("Our regulatory writing team of 14 people drafts 13 submission documents a month.")
    assert user_count(b) == 14
    rollout = compute_rollout(b, "en")
    assert rollout.rule == "small_team" and rollout.first_stage_people == 4  # ceil(14 / 4) = 4, at least 3
    assert "a 10% canary would be 1 person" in rollout.stages[1]  # 14 x 10% = 1.4 -> 1
    assert rollout.stages[-1] == "all 14 staff"


def test_a_korean_team_of_14_is_counted():
    b = brief("14명의 규제 문서 작성팀이 매월 13건의 허가 문서를 작성합니다.", "ko")
    assert user_count(b) == 14 and compute_rollout(b, "ko").first_stage_people == 4


def test_a_large_user_base_gets_a_canary_with_a_minimum():
    b = brief("About 300 nurses will use the tool to draft handover notes.")
    rollout = compute_rollout(b, "en")
    assert rollout.rule == "canary" and rollout.first_stage_people == 30  # max(20, 10% of 300)
    small = compute_rollout(brief("About 120 nurses will use the tool to draft handover notes."), "en")
    assert small.first_stage_people == 20  # 10% of 120 is 12, below the minimum of 20


def test_without_a_user_count_the_first_stage_is_a_named_team():
    rollout = compute_rollout(brief(HOSPITAL_EN), "en")
    assert rollout.users is None and rollout.rule == "unknown" and "one named team" in rollout.stages[1] and "%" not in rollout.stages[1]


def test_no_default_metric_repeats_a_client_criterion_with_a_looser_target():
    # One client criterion on the time per item; the drafting default (time per item -50%) would sit beside it.
    targets = compute_targets(brief("Paralegals draft engagement letters from the client file. Success: drafting time per letter under 8 minutes."), "en")
    timed = [(t.metric, t.target) for t in targets if "time" in t.metric.lower()]
    assert timed == [("Drafting time per letter", "≤ 8 minutes")]


# ----------------------------------------------------------------------------- fine-tuning data sized to the client


def test_fine_tuning_data_follows_the_clients_volume():
    # 13 documents a month: 13 x 12 = 156 pairs a year, 39 held out -> 117, below the 200 minimum: no 1,000-pair set.
    examples, enough, text = fine_tune_data(13, 39, "Serin", "en")
    assert (examples, enough) == (200, False)
    assert "only about 117 pairs" in text and "few-shot examples and retrieval carry the work" in text
    assert "about 7 more months" in text  # (200 - 117) / 13 = 6.4 -> 7
    # 2,850 discharges a month: 34,200 a year less 250 held out; a tenth of a month (285) is below 1,000, so 1,000.
    assert fine_tune_data(2850, 250, "Hollins", "en")[:2] == (1000, True)
    # 600 a month: 7,200 - 250 = 6,950 pairs, enough for 1,000.
    assert fine_tune_data(600, 250, "Y", "en")[:2] == (1000, True)
    # 90 a month: 1,080 - 250 = 830 pairs exist: the set asks for 800 (rounded down to 50), never the 1,000 that are not there.
    assert fine_tune_data(90, 250, "Z", "en")[:2] == (800, True)
    # A large volume is written in full, never in scientific notation ('월 약 8.691e+04건').
    assert "86,910" in fine_tune_data(86910, 400, "L", "en")[2] and "e+0" not in fine_tune_data(86910, 400, "L", "ko")[2]


def test_document_3_says_the_fine_tuning_data_the_client_has():
    b = brief("Our regulatory writing team of 14 people drafts 13 submission documents a month from study reports.")
    figures = compute_figures(b, CATALOG, "en")
    facts = document_facts(b, figures, {}, "en")
    assert facts.flags["ft_data_short"] and facts.values["ft_examples"] == "200"
    contract = resolve_contract(load_document_specs()["3"], facts, "en")
    text = " ".join(p["text"] for s in contract["sections"] for p in s.get("points", []) + [q for blk in s.get("blocks", []) for q in blk.get("points", [])])
    assert "few-shot examples and retrieval carry the work" in text and "1,000" not in text


# ----------------------------------------------------------------------------- 8. the brief: one-off and running budgets apart


@pytest.mark.parametrize(
    ("text", "language", "amount", "currency"),
    [
        ("Our legal team drafts 40 contracts a month. The initial build budget is EUR 80,000.", "en", 80000.0, "EUR"),
        ("법무팀은 한 달에 계약서 40건을 작성합니다. 초기 구축 예산은 3,000만 원입니다.", "ko", 30000000.0, "KRW"),
    ],
)
def test_a_one_off_build_budget_is_never_a_monthly_budget(text, language, amount, currency):
    b = brief(text, language)
    assert b.constraints.monthly_budget is None
    assert (b.constraints.build_budget.value.amount, b.constraints.build_budget.value.currency) == (amount, currency)
    facts = document_facts(b, compute_figures(b, CATALOG, language), {}, language)
    assert ("one-off" if language == "en" else "일회성") in facts.values["budget_verdict"]
    assert ("one-off build budget" if language == "en" else "일회성 구축 예산") in facts.values["budget"]


def test_a_running_budget_stays_monthly_beside_a_build_budget():
    b = brief("Our legal team drafts 40 contracts a month. The initial build budget is EUR 80,000 and we can spend EUR 2,000 a month to run it.")
    assert b.constraints.monthly_budget.value.amount == 2000.0 and b.constraints.build_budget.value.amount == 80000.0


def test_a_model_that_reads_the_build_budget_as_monthly_is_corrected():
    from genai_planner.planning.extract import reconcile_brief

    scenario = {"name": "case", "use_case": "Our legal team drafts 40 contracts a month. The initial build budget is EUR 80,000."}
    proposed = brief(scenario["use_case"]).model_dump()
    proposed["constraints"]["monthly_budget"] = {"value": {"amount": 80000.0, "currency": "EUR"},
                                                 "evidence": {"source": "stated", "quote": "The initial build budget is EUR 80,000."}}
    proposed["constraints"]["build_budget"] = None
    fixed = reconcile_brief(proposed, scenario, "en")
    assert fixed.constraints.monthly_budget is None and fixed.constraints.build_budget.value.amount == 80000.0


def test_a_number_in_the_metrics_own_name_is_not_a_stray_figure():
    from genai_planner.documents import markdown as md
    from genai_planner.documents.checks import CHECKS, CheckContext

    b = brief(DISCHARGE_48H)
    figures = compute_figures(b, CATALOG, "en")
    share = next(t for t in figures.targets if "within 2 days" in t.metric)
    doc = "# Doc\n\n## Key metrics\n\n" + f"- **{share.metric}:** {share.definition}; target {share.target} (baseline: {share.baseline}).\n"
    ctx = CheckContext(language="en", spec=None, figures=figures.model_dump(), brief=b.model_dump())
    ok, detail = CHECKS["figures_match"](md.parse_document(doc), {}, ctx)
    assert ok, detail  # the 2 of 'within 2 days' is the metric's own, not a third value beside 52% and 95%
    wrong = doc.replace("(baseline: 52%)", "(baseline: 52%, 70% last year)")
    assert not CHECKS["figures_match"](md.parse_document(wrong), {}, ctx)[0]


@pytest.mark.parametrize(
    ("text", "language", "metric", "baseline", "target"),
    [
        ("법무팀 12명은 한 달에 약 20건의 의견서를 작성합니다. 의견서 한 건의 초안을 쓰는 데 평균 6일이 걸립니다. "
         "초안 작성 기간을 절반으로 줄이고, 인용 오류는 한 건도 없어야 합니다.", "ko", "초안 작성 기간", "6일", "3일"),
        ("Our lawyers draft 20 opinions a month and spend 6 days per opinion. Success means halving the drafting period.",
         "en", "Drafting period", "6 days", "3 days"),
    ],
)
def test_a_time_criterion_in_the_clients_words_takes_the_stated_time_baseline(text, language, metric, baseline, target):
    targets = compute_targets(brief(text, language), language)
    timed = [t for t in targets if t.kind == "business" and t.direction == "reduce"]
    # One metric: 6 days x 50% = 3 days, not 'drafting period -50% on the pilot baseline' beside 'time per item 6 -> 3 days'.
    assert [(t.metric, t.baseline, t.target) for t in timed] == [(metric, baseline, target)]


def test_a_limit_in_minutes_or_less_takes_the_stated_effort_and_a_missed_safety_event_is_a_gate():
    b = brief("Caseworkers write about 900 case notes a month. Notes take 14 minutes on average. "
              "Success means notes written in 6 minutes or less and no missed escalation.")
    targets = compute_targets(b, "en")
    timed = [(t.baseline, t.target, t.origin) for t in targets if t.direction == "at_most"]
    assert timed == [("14 minutes", "≤ 6 minutes", "client")]  # the stated 14 minutes, the client's 6 (never -50% = 7)
    assert [c.quote for c in read_criteria(b)] == ["notes written in 6 minutes or less", "no missed escalation"]  # not 'means notes ...'
    missed = by_name(targets, "Missed escalation")
    assert (missed.direction, missed.target, missed.release_gate) == ("zero", "0", True)


def test_volunteers_who_write_every_note_are_the_users_not_the_callers():
    b = brief("Trained volunteers answer calls and web chats from callers in distress. After every contact the volunteer "
              "writes a contact note; we want a tool that drafts the note from the chat transcript. The volunteer always edits and submits it.")
    assert [u.value for u in b.users] == ["volunteers"]
    metrics = [t.metric for t in compute_targets(b, "en")]
    assert "Self-service resolution rate" not in metrics  # a volunteer submits every note: nothing is resolved without a person
    assert "callers" not in compute_rollout(b, "en").stages[1]


def test_one_time_metric_for_the_same_minutes():
    b = brief("Support agents answer customer questions from the help centre articles. Agents spend 9 minutes handle time per ticket.")
    targets = compute_targets(b, "en")
    timed = [t.metric for t in targets if t.metric in ("Handle time", "Average handle time", "Time per item")]
    assert len(timed) == 1, timed  # the stated handle time; no 'time per item -50% on the pilot baseline' beside it


def test_a_weak_latency_cue_is_an_inference_not_a_statement():
    b = brief("Clerks answer questions from the policy manual. We want an assistant for the clerks.")
    latency = b.constraints.latency
    # 'an assistant' suggests people wait on it but does not say so: interactive, inferred with the word it rests on, never 'stated'.
    assert (latency.value, latency.evidence.source) == ("interactive", "inferred") and "'assistant'" in latency.evidence.reason


# A zero-tolerance prohibition is a zero-target release gate (issue 24, item 4): the thing it is about,
# the client's words as the quote, several phrasings in each language; a sentence with no prohibition is no gate.
@pytest.mark.parametrize(
    ("text", "language", "phrase"),
    [
        ("복약 안내서에 잘못된 용량이 적힌 경우는 단 한 건도 환자에게 전달되어서는 안 됩니다.", "ko", "잘못된 용량이 적힌 경우"),
        ("잘못된 처방 정보가 담긴 문서는 절대로 외부로 나가면 안 된다.", "ko", "잘못된 처방 정보가 담긴 문서"),
        ("환자 이름이 뒤바뀐 요약지는 하나도 없어야 합니다.", "ko", "환자 이름이 뒤바뀐 요약지"),
        ("알레르기 정보가 빠진 안내문은 한 번도 발송되지 않아야 합니다.", "ko", "알레르기 정보가 빠진 안내문"),
        ("절대로 잘못된 투약 정보가 고객에게 나가서는 안 됩니다.", "ko", "잘못된 투약 정보"),
        ("검사 결과가 잘못 옮겨진 보고서가 한 건이라도 나가면 안 됩니다.", "ko", "검사 결과가 잘못 옮겨진 보고서"),
        ("A discharge sheet listing the wrong drug must never be handed to an owner.", "en", "discharge sheet listing wrong drug"),
        ("Owners take the sheet home, and a sheet with a wrong dose must never reach them.", "en", "sheet with wrong dose"),
        ("Not a single care sheet with an incorrect dose may go out.", "en", "care sheet with incorrect dose"),
        ("Under no circumstances may a letter with the wrong patient's name reach a family.", "en", "letter with wrong patient's name"),
        ("We must never send out a report with a misquoted lab value.", "en", "report with misquoted lab value"),
        ("Zero mislabelled prescriptions, ever.", "en", "mislabelled prescriptions"),
    ],
)
def test_a_zero_tolerance_prohibition_is_a_zero_release_gate(text, language, phrase):
    lead = "직원이 차트를 보고 안내문을 씁니다. " if language == "ko" else "Staff write letters from the chart. "
    b = brief(lead + text, language)
    criteria = read_criteria(b)
    assert [(c.phrase, c.direction, c.safety) for c in criteria] == [(phrase, "zero", True)]
    gate = next(t for t in compute_targets(b, language) if t.direction == "zero")
    assert (gate.release_gate, gate.target, gate.origin) == (True, "0건" if language == "ko" else "0", "client")


@pytest.mark.parametrize(
    "text",
    ["오류가 하나도 없으면 좋겠지만 현실적으로 어렵습니다. 하나도 빠짐없이 확인해야 합니다.",
     "We never had a problem with the old tool, and staff must never be asked to type twice.",
     "The assistant drafts the entry. It must never release an aircraft: certifying staff sign every entry.",
     "The model must never issue a refund on its own; an agent approves each one.",
     "Our Privacy Office has ruled that charts must never leave the hospital's data centre."],
)
def test_no_prohibition_or_a_rule_about_people_is_no_gate(text):
    language = "ko" if "오류" in text else "en"
    assert not [c for c in read_criteria(brief(text, language)) if c.direction == "zero"]


def test_a_prohibition_beside_a_time_target_adds_a_metric_and_keeps_the_count():
    text = ("수의사가 전자차트를 보며 안내문을 직접 씁니다. 한 건에 25분이 걸립니다. "
            "용량이 틀린 안내문은 단 한 건도 보호자에게 가서는 안 되며, 작성 시간을 건당 5분 이하로 줄이는 것이 목표입니다.")
    targets = compute_targets(brief(text, "ko"), "ko")
    gates = [(t.metric, t.target) for t in targets if t.release_gate]
    assert gates == [("용량이 틀린 안내문", "0건")]
    # 3 technical + the gate + the time criterion (25분 -> 5분 이하): five, the gate in place of a default business metric.
    assert len(targets) == 5 and "주간 활용률" not in [t.metric for t in targets]


def _outside_parentheses(name: str) -> str:
    return re.sub(r"\([^()]*\)", " ", name)


def test_a_client_metric_is_named_in_the_output_language_with_the_clients_words_only_as_a_quote():
    # An English use case planned in Korean: 'Share of letters sent within 2 days' is an untranslated name.
    client = [t.metric for t in compute_targets(brief(DISCHARGE_48H, "ko"), "ko") if t.origin == "client"]
    assert client and not any(re.search(r"[A-Za-z]", _outside_parentheses(m)) for m in client), client
    share = next(m for m in client if "비율" in m)
    assert share.startswith("2일 이내 ") and "(letters sent)" in share  # the window in Korean units, the client's words as a quote
    # A Korean use case planned in English: no Hangul outside a quote, the window in English units.
    b = brief("병동 의사가 차트로 퇴원 요약을 작성합니다. 하루 30건입니다. "
              "목표는 퇴원 요약의 48시간 이내 발송 비율을 현재 41%에서 90% 이상으로 높이고 투약 오류가 늘지 않는 것입니다.", "en")
    client = [t.metric for t in compute_targets(b, "en") if t.origin == "client"]
    assert client and not any(re.search(r"[가-힣]", _outside_parentheses(m)) for m in client), client
    assert any(m.startswith("Share of items") and m.endswith("within 48 hours") for m in client), client
