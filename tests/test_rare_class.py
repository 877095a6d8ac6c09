"""A recall target on a rare class gets an enriched sample (issue 24, plan4 item 4): a random test set holds too
few positives to measure it. Sentences written for these tests."""

from __future__ import annotations

import json

from genai_planner.documents.contract import resolve_contract
from genai_planner.documents.specs import load_document_specs
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.planning.rare_class import stated_share
from genai_planner.planning.shape import items_for_margin
from genai_planner.tools.catalog import load_catalog

CATALOG = load_catalog()
EN = (
    "Tidewater Mutual's 380 claims handlers take about 12,000 calls a day and write a note after each. We want an assistant "
    "that drafts the call note and flags signs of a formal complaint. Complaint signs must be detected with at least 95% "
    "recall; about 90 of the 12,000 calls a day contain one."
)
KO = (
    "누리카드는 상담사 360명이 하루 약 20,000건의 통화를 처리하며 통화마다 상담 기록을 씁니다. 생성형 AI로 상담 기록 초안을 만들고 민원 징후를 "
    "표시하려 합니다. 민원 징후는 재현율 95% 이상으로 찾아야 하며, 하루 20,000건 중 약 120건에 민원 징후가 있습니다."
)


def _figures(text: str, language: str):
    brief = extract_brief({"name": "case", "use_case": text}, language)
    return brief, compute_figures(brief, CATALOG, language)


def test_a_stated_share_is_read_as_a_fraction() -> None:
    assert stated_share("about 90 of the 12,000 calls a day contain one")[0] == 90 / 12000
    assert stated_share("하루 20,000건 중 약 120건에 민원 징후가 있습니다")[0] == 120 / 20000
    assert stated_share("fraud is about 0.4% of all claims")[0] == 0.004
    assert stated_share("at least 95% recall") is None


def test_a_rare_class_recall_target_gets_an_enriched_sample_sized_by_the_test_sets_margin_formula() -> None:
    _, figures = _figures(EN, "en")
    ev = figures.evaluation
    assert ev is not None
    # 0.75% of a random set of this size is about one positive: far below what recall needs.
    assert ev.test_set_size * 90 / 12000 < 5
    assert ev.rare_class_positives == items_for_margin(ev.margin_wanted, 1.96, 50, 0.95)
    assert "enriched sample of" in ev.rare_class_text and "flagged past cases" in ev.rare_class_text
    assert "precision" in ev.rare_class_text
    _, ko = _figures(KO, "ko")
    assert ko.evaluation is not None and ko.evaluation.rare_class_positives == items_for_margin(ko.evaluation.margin_wanted, 1.96, 50, 0.95)
    assert "보강 표본" in ko.evaluation.rare_class_text


def test_a_common_class_or_an_unstated_share_gets_no_enriched_sample() -> None:
    common = EN.replace("about 90 of the 12,000", "about 6,000 of the 12,000")
    assert _figures(common, "en")[1].evaluation.rare_class_text == ""
    unstated = EN.replace("; about 90 of the 12,000 calls a day contain one", "")
    assert _figures(unstated, "en")[1].evaluation.rare_class_text == ""


def test_document_four_carries_the_enriched_sample() -> None:
    brief, figures = _figures(EN, "en")
    facts = document_facts(brief, figures, {}, "en")
    contract = json.dumps(resolve_contract(load_document_specs()["4"], facts, "en"), ensure_ascii=False)
    assert "concerns a rare class" in contract
