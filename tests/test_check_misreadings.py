"""Sound sentences the checks misread on unseen use cases (second round of issue 25), each pinned with the
flaw the check must still catch. The sentences are our own, written to the mechanism, not copied from a run.
"""

from __future__ import annotations

from genai_planner.documents import amounts
from genai_planner.documents import markdown as md
from genai_planner.documents.brief_facts import brief_facts
from genai_planner.documents.checks import CheckContext
from genai_planner.documents.figure_targets import targets_match
from genai_planner.documents.specs import load_document_specs


def _ctx(doc_id: str = "5", language: str = "en", **extra) -> CheckContext:
    return CheckContext(language=language, spec=load_document_specs()[doc_id], **extra)


def _doc(line: str) -> md.ParsedDocument:
    return md.parse_document(f"# Plan\n\n## Section\n\n{line}\n")


def test_a_rate_per_unit_of_a_currency_is_not_a_sum_of_money():
    line = "월 비용은 KRW 900,000이며 예산 KRW 2,000,000 이내입니다(EUR당 1,480 KRW 기준)."
    assert [a.text.strip() for a in amounts.amounts(line)] == ["KRW 900,000", "KRW 2,000,000"]
    assert [a.text.strip() for a in amounts.amounts("월 비용은 KRW 900,000, 달러당 1,365원으로 환산합니다.")] == ["KRW 900,000"]


def _volume(what: str, quantity: float, per: str | None = None) -> dict:
    return {"volumes": [{"quantity": quantity, "what": what, "per": per, "peak": False, "evidence": {"source": "stated", "quote": "q"}}]}


def test_a_korean_number_counts_the_noun_only_through_a_counter():
    brief = _volume("환자", 300, "day")
    for sound in ["하루 검토 대상 모델 중 22개는 환자 정보 조건을 통과하지 못했습니다.", "하루 한 번 문서 1의 환자 기준값과 비교합니다."]:
        ok, detail = brief_facts(_doc(sound), {}, _ctx(language="ko", brief=brief))
        assert ok, detail
    for changed in ["하루 120명의 환자가 퇴원합니다.", "하루 120명 환자의 요약을 씁니다."]:
        ok, detail = brief_facts(_doc(changed), {}, _ctx(language="ko", brief=brief))
        assert not ok and "120" in detail and changed in detail


def _baseline(value: float, unit: str, metric: str, quote: str) -> dict:
    return {"baselines": [{"metric": metric, "value": value, "unit": unit, "evidence": {"source": "stated", "quote": quote}}]}


def test_a_short_quote_is_retold_by_its_words_not_by_its_letters():
    brief = _baseline(20, "minutes", "time per letter", "each takes 15 to 20 minutes")
    sound = "Reviewers meet for 45 minutes each Tuesday to calibrate their scores and check the alert thresholds."
    ok, detail = brief_facts(_doc(sound), {}, _ctx(brief=brief))
    assert ok, detail
    ok, detail = brief_facts(_doc("Each letter takes 35 minutes today."), {}, _ctx(brief=_baseline(20, "minutes", "letter", "Each letter takes 20 minutes")))
    assert not ok and "35" in detail


def test_when_something_happens_is_not_how_long_the_work_takes():
    brief = _baseline(2, "days", "소요 시간", "요청부터 답까지 평균 2일이 걸립니다.")
    for sound in ["30일 후 소요 시간을 문서 1의 기준값과 비교합니다.", "문제가 생기면 1일 안에 현재 소요 시간 기준값으로 되돌립니다."]:
        ok, detail = brief_facts(_doc(sound), {}, _ctx(language="ko", brief=brief))
        assert ok, detail
    ok, detail = brief_facts(_doc("현재 소요 시간은 평균 5일입니다."), {}, _ctx(language="ko", brief=brief))
    assert not ok and "5" in detail
    en = _baseline(2, "days", "time to answer", "an answer takes 2 days")
    ok, detail = brief_facts(_doc("After 30 days, compare the time to answer with the baseline of document 1."), {}, _ctx(brief=en))
    assert ok, detail


def test_a_target_word_inside_the_metrics_name_states_no_target():
    targets = [{"metric": "답변까지 걸리는 시간", "target": "1일", "baseline": "2일", "source": "brief"}]
    sound = "도서관은 하루 400건을 처리하며, 현재 답변까지 걸리는 시간은 2일입니다."
    ok, detail, _ = targets_match(_doc(sound), _ctx("1", language="ko"), targets)
    assert ok, detail
    wrong = "- **답변까지 걸리는 시간:** 목표 3일(기준값 2일)."
    ok, detail, _ = targets_match(_doc(wrong), _ctx("1", language="ko"), targets)
    assert not ok and "답변까지 걸리는 시간:** 목표 3일(기준값 2일)." in detail  # the whole line, quoted


def test_the_parts_of_a_computed_monthly_cost_are_computed_costs():
    """'USD 531 = power USD 30.88 + operations USD 500' restates the figures' cost breakdown (an owned
    GPU's power and operations); the check held the parts to the budget and the totals only (met in a
    strong-model run whose contract dictated that very line).
    """
    brief = {"constraints": {"monthly_budget": {"value": {"amount": 3_000_000, "currency": "KRW"}}}}
    figures = {"costs": [{"model": "Gemma 3 27B IT", "monthly_usd": 530.88, "self_host_usd": 530.88, "hosting": "owned",
                          "parts": {"power": 30.88, "operations": 500.0}}]}
    sound = "The monthly cost of Gemma 3 27B IT is USD 530.88 = power USD 30.88 + operations USD 500, within the budget."
    ok, detail = brief_facts(_doc(sound), {}, _ctx(doc_id="2", brief=brief, figures=figures))
    assert ok, detail
    changed = "The monthly cost is USD 530.88 = power USD 60 + operations USD 470, within the budget."
    ok, detail = brief_facts(_doc(changed), {}, _ctx(doc_id="2", brief=brief, figures=figures))
    assert not ok and "USD 60" in detail


def test_the_evaluation_judge_named_judging_is_not_served():
    """Document 5 budgets the evaluation's judge ('Judge: GPT-4o judges evaluation runs through its API');
    naming the judge at its job serves no user, while serving it to users still fails."""
    from genai_planner.documents.structure_checks import serves_recommended
    from genai_planner.tools.catalog import load_catalog

    figures = {"recommended": "Granite 3.3 8B Instruct", "runner_up": "Qwen2.5 7B Instruct", "evaluation": {"judge": "GPT-4o"}}
    ctx = _ctx(doc_id="5", figures=figures, catalog=list(load_catalog()),
               decisions={"recommended_model": "Granite 3.3 8B Instruct", "runner_up": "Qwen2.5 7B Instruct"})
    serve = "- [ ] Serve Granite 3.3 8B Instruct on the owned GPU to the claims technicians."
    judged = serve + "\n- [ ] Judge: GPT-4o judges evaluation runs through its API: no GPU of the plan."
    ok, detail = serves_recommended(_doc(judged), {}, ctx)
    assert ok, detail
    ok, detail = serves_recommended(_doc(serve + "\n- [ ] Serve GPT-4o to the claims technicians from day one."), {}, ctx)
    assert not ok and "GPT-4o" in detail
