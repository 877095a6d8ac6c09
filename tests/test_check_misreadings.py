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


def test_a_number_next_to_a_percentage_metric_restates_it_only_in_its_unit():
    """A period ('최근 12개월'), a sample size ('150건'), a headcount ('2명'), a sample's margin ('±4.8퍼센트포인트')
    or a share in another sentence is not the metric's value; a percentage that is neither baseline nor target is.
    """
    ko = [{"metric": "배정 정확도", "target": "90% 이상", "baseline": "95%", "source": "brief"}]
    for sound in [
        "최근 12개월 자료에서 평가용 150건을 빼고, 배정 정확도 목표(90% 이상)에 미치지 못할 때만 진행합니다.",
        "- **규모:** 150건: 배정 정확도 목표 90% 기준 95% 신뢰수준에서 약 ±4.8퍼센트포인트입니다.",
        "파일럿 그룹 2명에 2주간 적용합니다(10% 카나리는 너무 적음). 배정 정확도 목표(90% 이상)를 유지할 때만 진행합니다.",
    ]:
        ok, detail, _ = targets_match(_doc(sound), _ctx("3", language="ko"), ko)
        assert ok, detail
    ok, detail, _ = targets_match(_doc("배정 정확도를 최근 12개월 평균 80%에서 목표 90% 이상으로 올립니다."), _ctx("3", language="ko"), ko)
    assert not ok and "80" in detail
    en = [{"metric": "Routing accuracy", "target": "at least 90%", "baseline": "95%", "source": "brief"}]
    sound = "Routing accuracy (target at least 90%) is measured on the last 12 months, 150 items held out, within ±4.8 percentage points."
    ok, detail, _ = targets_match(_doc(sound), _ctx("3"), en)
    assert ok, detail
    ok, detail, _ = targets_match(_doc("Routing accuracy must reach the target of at least 90%, up from 70% today."), _ctx("3"), en)
    assert not ok and "70" in detail


def test_a_scale_word_belongs_to_the_amount():
    jpy = amounts.per_usd()["JPY"]
    found = amounts.amounts("has a one-off budget of JPY 25 million for the build")
    assert [a.text for a in found] == ["JPY 25 million"] and abs(found[0].usd - 25_000_000 / jpy) < 1
    assert abs(amounts.amounts("1.2 billion KRW")[0].usd - 1.2e9 / amounts.per_usd()["KRW"]) < 1


def test_an_amount_inside_a_quotation_of_the_client_is_not_a_stated_figure():
    from genai_planner.documents.figure_checks import figures_match

    use_case = "Agencies charge us about JPY 38 million a year and take six weeks per manual."
    brief = {"constraints": {"monthly_budget": {"value": {"amount": 900_000, "currency": "JPY"}}}}
    figures = {"costs": [{"model": "Model A", "monthly_usd": 1000.0, "api_usd": 1000.0, "hosting": "api"}]}
    ctx = _ctx("2", brief=brief, figures=figures, quoted=(use_case,))
    for sound in [
        'Cost | weight 25 | a monthly budget of JPY 900,000 is set (stated: "we pay about JPY 38 million a year and...")',
        "Cost | weight 25 | a monthly budget of JPY 900,000 is set; the client says “Agencies charge us about JPY 38 million a year”.",
        '한 달 예산은 JPY 900,000입니다(명시: "번역 회사에 연 JPY 38 million을 냅니다...").',
    ]:
        ok, detail = figures_match(_doc(sound), {}, ctx)
        assert ok, detail
    ok, detail = figures_match(_doc("A monthly budget of JPY 900,000 is set; agencies cost JPY 38 million a year."), {}, ctx)
    assert not ok and "JPY 38 million" in detail


def test_a_volume_is_restated_only_by_its_head_noun_and_a_stock_not_by_a_flow():
    brief = _volume("approved terms", 12_000)
    for sound in [
        "Data: the last 12 months give about 251,850 approved pairs besides the 150 held out for evaluation.",
        "Reviewers checked 4,000 approved pairs by hand.",
        "The glossary grows by about 300 terms a month.",
    ]:
        ok, detail = brief_facts(_doc(sound), {}, _ctx(doc_id="3", brief=brief))
        assert ok, detail
    for changed in ["The terminology database holds 15,000 approved terms.", "The database holds 15,000 terms."]:
        ok, detail = brief_facts(_doc(changed), {}, _ctx(doc_id="3", brief=brief))
        assert not ok and "15,000" in detail
    ko = _volume("승인된 용어", 12_000)
    for sound in ["최근 12개월 동안 승인된 문장 쌍 251,850건이 쌓였습니다.", "검토자가 4,000개의 승인된 문장을 직접 확인했습니다."]:
        ok, detail = brief_facts(_doc(sound), {}, _ctx(doc_id="3", language="ko", brief=ko))
        assert ok, detail
    ok, detail = brief_facts(_doc("용어 데이터베이스에는 15,000개의 승인된 용어가 있습니다."), {}, _ctx(doc_id="3", language="ko", brief=ko))
    assert not ok and "15,000" in detail


def test_a_counted_noun_used_as_a_modifier_is_not_the_volume():
    """'6,300 client relationships' is not restated by '85 relationship managers': the head noun must end
    the counted phrase; '6,500 client relationships' still changes the stated fact."""
    brief = {"volumes": [{"quantity": 6300, "what": "client relationships", "per": None, "peak": False,
                          "evidence": {"source": "stated", "quote": "about 6,300 client relationships"}}]}
    sound = "Rollout: a canary of 20 of the 85 relationship managers for two weeks, then all 85 relationship managers."
    ok, detail = brief_facts(_doc(sound), {}, _ctx(brief=brief))
    assert ok, detail
    ok, detail = brief_facts(_doc("The bank looks after 6,500 client relationships."), {}, _ctx(brief=brief))
    assert not ok and "6,500" in detail


def test_a_signed_number_is_a_change_not_a_count():
    """'+10 users need Arabic' in a rubric row adds 10 points to a weight; '10 users' restates the 64 users."""
    brief = {"volumes": [{"quantity": 64, "what": "users", "per": None, "peak": False,
                          "evidence": {"source": "stated", "quote": "Users: 64 users."}}]}
    sound = "| Language support | Coverage in the required languages | 14 | base 10; +10 users need Arabic, Russian; 14 after scaling |"
    ok, detail = brief_facts(_doc(sound), {}, _ctx(doc_id="2", brief=brief))
    assert ok, detail
    ok, detail = brief_facts(_doc("The assistant serves 10 users at the front desks."), {}, _ctx(doc_id="2", brief=brief))
    assert not ok and "as 10" in detail


def test_a_line_naming_a_duration_metric_without_a_duration_states_no_target():
    """A monitoring line names the metric ('소요 시간') and holds '까지' and a 2% alert, but no duration: no target
    to compare; a line that does give the metric a duration is still held to the figures' target."""
    from genai_planner.documents.figure_checks import figures_match

    figures = {"targets": [{"metric": "소요 시간", "target": "1.5시간", "baseline": "3시간", "source": "brief"}]}
    ctx = _ctx("4", language="ko", figures=figures)
    sound = ("- **실시간 모니터링:** 실행마다 소요 시간(처음부터 끝까지의 지연), 실패 건 대시보드를 두고, 실패 건이 2%를 "
             "넘거나 담당자의 업무 시작 전까지 실행이 끝나지 않으면 경보를 보냅니다.")
    ok, detail = figures_match(_doc(sound), {}, ctx)
    assert ok, detail
    ok, detail = figures_match(_doc("- 소요 시간: 3시간에서 2시간 이하로 줄입니다."), {}, ctx)
    assert not ok and "1.5시간" in detail
    en = _ctx("4", figures={"targets": [{"metric": "Handling time", "target": "under 10 minutes", "baseline": "25 minutes", "source": "brief"}]})
    ok, detail = figures_match(_doc("Dashboards show handling time per case; alert when more than 2% of items fail before the target run ends."), {}, en)
    assert ok, detail
    ok, detail = figures_match(_doc("Handling time: target under 12 minutes."), {}, en)
    assert not ok and "10 minutes" in detail


def test_people_is_a_counter_like_명_and_a_named_group_is_still_checked():
    """'2,300,000 people' served is a population: 'a 10% canary would be 3 people' counts a rollout group."""
    brief = _volume("people", 2_300_000)
    ok, detail = brief_facts(_doc("A 10% canary would be 3 people, too few to show a change."), {}, _ctx(brief=brief))
    assert ok, detail
    residents = _volume("residents", 2_300_000)
    ok, detail = brief_facts(_doc("The utility serves 3 residents."), {}, _ctx(brief=residents))
    assert not ok and "restates 2,300,000 residents as 3" in detail
