"""A stated one-off build budget is checked against estimated build costs (labelling, translated pairs,
fine-tuning compute, integration engineering, evaluation), each with its basis, in the budget's currency.
"""

from __future__ import annotations

import pytest

from genai_planner.planning.build import compute_build
from genai_planner.planning.compute import compute_figures, load_data
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())
CLINIC_KO = (
    "새봄치과는 지점 4곳에서 치료 후 안내문을 하루 120건 씁니다. 담당 치과의사가 직접 쓰고 있어 한 건에 10분 걸립니다. "
    "구축비는 8천만 원, 운영비는 월 200만 원 이내로 승인받았습니다."
)
SMALL_BUILD_EN = (
    "Calder & Finch drafts about 400 engagement letters a month; paralegals write each one today. "
    "Our one-off build cost is capped at EUR 20,000 and running costs must stay under EUR 2,000 a month."
)


def brief(text: str, language: str = "en"):
    return extract_brief({"name": "case", "use_case": text}, language)


def test_a_korean_build_cost_is_a_one_off_budget_apart_from_the_running_one():
    c = brief(CLINIC_KO, "ko").constraints
    assert (c.build_budget.value.amount, c.build_budget.value.currency) == (80_000_000, "KRW")
    assert c.monthly_budget.value.amount == 2_000_000


def test_the_estimate_adds_up_with_worked_numbers():
    # No fine-tuning job (API plan): 200 test items x 15 min + 1,000 pairs x 3 min = 100 expert hours x USD 60 = USD 6,000;
    # 400 translated pairs x 30 min = 200 h x USD 45 = USD 9,000; 6 weeks x 40 h x USD 100 = USD 24,000;
    # evaluation: 3 runs x 20 sampled outputs x 2 raters x 5 min = 10 h x USD 60 = USD 600; training: 20 users (assumed: no
    # count stated) x 2 h x USD 60 + 24 h preparation x USD 100 = USD 4,800; contingency 15% of USD 44,400 = USD 6,660.
    # Total USD 51,060.
    b = brief(CLINIC_KO, "ko")
    est = compute_build(b, "en", test_items=200, pairs_collected=1000, pairs_translated=400, fine_tuning=None, model=None,
                        self_hosted=False, owned=False)
    usd = {i.name: i.usd for i in est.items}
    assert usd == {"labelling": 6000, "translation": 9000, "integration": 24000, "evaluation": 600, "training": 4800, "contingency": 6660}
    assert est.total_usd == 51060
    rate = load_data("fx")["per_usd"]["KRW"]
    assert est.total_local == pytest.approx(51060 * rate) and est.currency == "KRW"
    assert est.within is (51060 * rate <= 80_000_000)
    assert "against the stated one-off build budget of KRW 80,000,000" in est.verdict


def test_an_estimate_over_the_budget_says_by_how_much_in_its_currency():
    figures = compute_figures(brief(SMALL_BUILD_EN), CATALOG, "en")
    est = figures.build
    assert est is not None and est.currency == "EUR" and est.within is False
    over = est.total_local - 20000
    assert f"over it by EUR {over:,.0f}" in est.verdict
    assert "Build estimate: " in figures.summary()


def test_no_build_budget_no_estimate_and_the_documents_carry_the_verdict():
    assert compute_figures(brief("Calder & Finch drafts about 400 engagement letters a month."), CATALOG, "en").build is None
    b = brief(SMALL_BUILD_EN)
    figures = compute_figures(b, CATALOG, "en")
    facts = document_facts(b, figures, {}, "en")
    assert facts.flags["has_build_estimate"] and facts.values["build_verdict"] == figures.build.verdict


def test_an_indian_build_budget_in_lakh_is_read_at_its_scale():
    # 1 lakh = 100,000: 'INR 45 lakh' is INR 4,500,000 (it was read as INR 45, so every estimate was 'over').
    c = brief("The lab has an approved build budget of INR 45 lakh and INR 3.5 lakh a month to run it. We read 900 forms a day.").constraints
    assert c.build_budget.value.amount == 4_500_000 and c.monthly_budget.value.amount == 350_000


def test_the_amount_over_the_build_budget_is_a_computed_figure_for_brief_facts():
    """'over it by EUR 41,430' is the estimate less the budget: brief_facts accepts it, as it accepts both sides."""
    from genai_planner.documents import markdown as md
    from genai_planner.documents.brief_facts import brief_facts
    from genai_planner.documents.checks import CheckContext
    from genai_planner.documents.specs import load_document_specs

    b = brief(SMALL_BUILD_EN)
    figures = compute_figures(b, CATALOG, "en")
    ctx = CheckContext(language="en", spec=load_document_specs()["2"], brief=b.model_dump(mode="json"), figures=figures.model_dump(mode="json"))
    doc = md.parse_document(f"# Plan\n\n## Monthly cost\n\nOne-off build: {figures.build.verdict}.\n")
    ok, detail = brief_facts(doc, {}, ctx)
    assert ok, detail
    wrong = md.parse_document("# Plan\n\n## Monthly cost\n\nOne-off build: the budget is over by EUR 1,234.\n")
    assert not brief_facts(wrong, {}, ctx)[0]
