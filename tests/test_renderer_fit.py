"""Document 1 fits its 300-word limit whatever the facts hold.

The offline renderer shortens a document over its limit in steps (optional points, short forms,
evidence lines). A thin use case adds a discovery list, an unnamed IT owner a long role name
("the person who runs X's systems"), a named approver a long title; each run here takes every
labelled use case and shipped scenario, stretches its facts to the longest each can hold (all six
questions to settle, the long role names, long quotes in every section's research), and renders
document 1: the result must be within the limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from genai_planner.documents import markdown as md
from genai_planner.documents.checks import document_words
from genai_planner.documents.contract import resolve_contract
from genai_planner.documents.specs import load_document_specs
from genai_planner.models.offline.protocol import Finding
from genai_planner.models.offline.renderer import render_document
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.discovery import DISCOVERY_SHORT, QUESTIONS, discovery
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.planning.roles import DEFAULT_IT, short_name
from genai_planner.tools.catalog import load_catalog
from tests.planning_samples import labelled_scenarios

ROOT = Path(__file__).resolve().parents[1]
CATALOG = list(load_catalog())
SPEC = load_document_specs()["1"]
LONG_APPROVER = {
    "en": "Group Chief Operating Officer and Deputy Chair of the Executive Committee Dr. Alexandra Montgomery-Whitfield",
    "ko": "그룹 최고운영책임자 겸 경영위원회 부위원장 김정현",
}


def _longest_facts(scenario: dict[str, Any]) -> tuple[Any, str]:
    language = scenario.get("language", "en")
    brief = extract_brief(scenario, language)
    facts = document_facts(brief, compute_figures(brief, CATALOG, language), {}, language, figures_ref="[S1]")
    org = brief.organisation.value
    v = facts.values
    v["it_team"] = DEFAULT_IT[language].format(org=org)
    v["it_team_short"] = short_name(v["it_team"], language, org)
    v["executives"] = LONG_APPROVER[language]
    v["executives_short"] = short_name(v["executives"], language, org)
    v["discovery"] = discovery({}, v, language)  # every question: the brief states nothing
    v["discovery_short"] = discovery({}, v, language, first=DISCOVERY_SHORT)
    facts.flags["thin"] = True
    assert v["discovery"].count(";") == len(QUESTIONS) - 1
    return facts, language


@pytest.mark.parametrize(("case_id", "scenario"), labelled_scenarios(), ids=[c for c, _ in labelled_scenarios()])
def test_document_1_fits_300_words_with_the_longest_facts(case_id: str, scenario: dict[str, Any]) -> None:
    facts, language = _longest_facts(scenario)
    contract = resolve_contract(SPEC, facts, language)
    limit = contract["limits"]["document"]
    assert limit == 300
    note = " ".join(["Our own notes say the process is slow and error-prone"] * 4)
    findings = [Finding(id=f"S{i + 20}", section=s["id"], kind="user_document", ref="docs/notes.md", title="notes", text=note)
                for i, s in enumerate(contract["sections"])]
    text = render_document(contract, findings, language, whole=True)
    assert document_words(text, language) <= limit, text


def test_the_discovery_list_and_a_client_metric_have_short_forms() -> None:
    """Over the limit the list to settle keeps its first two questions, a client metric its own words, a catalogue metric no definition."""
    facts, language = _longest_facts(dict(labelled_scenarios()[0][1]))
    contract = resolve_contract(SPEC, facts, language)
    readiness = next(s for s in contract["sections"] if s["id"] == "organisational_readiness")
    settle = next(p for p in readiness["points"] if "To settle first" in p["text"])
    assert settle["short"].endswith("To settle first: " + facts.values["discovery_short"] + ".")
    assert facts.values["discovery_short"].count(";") == DISCOVERY_SHORT - 1
    metrics = next(s for s in contract["sections"] if s["id"] == "key_metrics")["points"]
    rows = facts.lists["targets"]
    for point, row in zip(metrics, rows, strict=False):
        expected = row["quote"] if row["origin"] == "client" else ""
        assert point["short"].startswith(expected[:1].upper() + expected[1:] if expected else "Target "), point


@pytest.mark.parametrize(("case_id", "scenario"), labelled_scenarios()[::8], ids=[c for c, _ in labelled_scenarios()[::8]])
def test_a_section_with_its_own_limit_fits_it_with_long_research(case_id: str, scenario: dict[str, Any]) -> None:
    """A section's own limit (document 3's RAG section, 200 words) is fitted like the document's: a quoted research
    line that takes the section over its limit goes, though the document as a whole is within its own."""
    facts, language = _longest_facts(scenario)
    spec = load_document_specs()["3"]
    heading = next(s["heading"] for s in resolve_contract(spec, facts, language)["sections"] if s["id"] == "rag")

    def rag(findings: list[Finding], limit: int | None = None) -> str:
        contract = resolve_contract(spec, facts, language)
        if limit is not None:
            contract["limits"]["rag"] = limit
        section = md.parse_document(render_document(contract, findings, language, whole=True)).find(heading)
        assert section is not None
        return section.text

    note = " ".join(["Our retrieval notes say the index is rebuilt weekly and search is slow"] * 5)
    findings = [Finding(id="S20", section="rag", kind="user_document", ref="docs/notes.md", title="notes", text=note)]
    full = rag(findings, limit=10_000)
    assert "retrieval notes" in full  # the research line is there when there is room
    limit = md.count_words(full) - 1
    fitted = rag(findings, limit=limit)
    assert md.count_words(fitted) <= limit  # optional points, short forms or the research line go, as the limit needs


LONG = {
    "en": {
        "org": "Northern Coastal Regional Water, Wastewater and Stormwater Services Authority",
        "inputs": "free-text fault reports, call-centre transcripts, field inspection photographs, asset register extracts and "
                  "maintenance work orders from the work-management system",
        "outputs": "fault categories with priorities, likely duplicate links and depot routing suggestions",
        "users": "call-centre agents, control-room dispatchers and depot supervisors",
        "quote": "no report that mentions sewage entering a home, a school or a clinic may ever be marked lower than priority two",
    },
    "ko": {
        "org": "한빛광역상하수도사업본부 북부권역 고객지원센터",
        "inputs": "자유 서술형 누수 신고, 콜센터 통화 기록, 현장 점검 사진, 시설물 대장 발췌본, 작업 지시서",
        "outputs": "고장 유형과 우선순위, 중복 신고 연결, 사업소 배정 제안",
        "users": "콜센터 상담원, 상황실 배차 담당자, 사업소 감독자",
        "quote": "가정이나 학교, 병원에 오수가 들어온다는 신고는 어떤 경우에도 2순위보다 낮게 분류되어서는 안 됨",
    },
}


@pytest.mark.parametrize(("case_id", "scenario"), labelled_scenarios()[::20], ids=[c for c, _ in labelled_scenarios()[::20]])
def test_document_1_fits_its_limits_on_a_very_long_brief(case_id: str, scenario: dict[str, Any]) -> None:
    """A brief with long names, long lists of inputs, outputs and users and four more client criteria: the optional
    points, short forms and evidence lines are not enough, and the renderer drops later sentences and clauses until the
    document and its problem statement fit, keeping every section, every list's items and every metric's target."""
    facts, language = _longest_facts(scenario)
    long = LONG[language]
    for key in ("org", "inputs", "outputs", "users"):
        facts.values[key] = long[key]
    rows = facts.lists["targets"]
    extra = [{**rows[0], "metric": f"{long['quote'][:40]} {i}", "origin": "client", "quote": long["quote"], "target": "0"} for i in range(4)]
    facts.lists["targets"] = rows + extra
    contract = resolve_contract(SPEC, facts, language)
    limit = contract["limits"]["document"]
    text = render_document(contract, [], language, whole=True)
    doc = md.parse_document(text)
    assert document_words(text, language) <= limit, text
    headings = [s["heading"] for s in contract["sections"]]
    assert all(doc.find(h) is not None for h in headings), text
    problem = doc.find(headings[0])
    assert problem is not None and md.count_words(problem.text) <= contract["limits"]["problem_statement"]
    metrics = doc.find(next(s["heading"] for s in contract["sections"] if s["id"] == "key_metrics"))
    assert metrics is not None and len(md.list_items(metrics.text)) == len(facts.lists["targets"])
    assert metrics.text.count(" 0 (") + metrics.text.count(" 0(") >= len(extra), metrics.text  # each client criterion keeps its target
    requirements = doc.find(next(s["heading"] for s in contract["sections"] if s["id"] == "requirements"))
    assert requirements is not None and len(md.list_items(requirements.text)) == 3
    assert render_document(resolve_contract(SPEC, facts, language), [], language, whole=True) == text  # deterministic


def test_the_fitting_keeps_first_sentences_figures_and_abbreviations() -> None:
    """Later sentences and clauses without a figure go first; a clause with a number, a bracketed aside and an
    abbreviation's full stop stay; a point's first sentence is never cut."""
    from genai_planner.models.offline import fitting

    assert fitting.sentences("Acme Inc. handles 300 claims. Staff check each.") == ["Acme Inc. handles 300 claims.", "Staff check each."]
    contract = {"sections": [
        {"id": "a", "points": [{"text": "Value: accuracy. Risk: people approve outputs.", "short": "Value."}]},
        {"id": "b", "points": [{"text": "Work in English; staff approve every output."},
                               {"text": "Accuracy; target 90% (baseline: pilot; pilot only)."}]},
    ]}
    assert fitting.drop_lower_priority(contract, {"a": 5, "b": 10})
    assert contract["sections"][0]["points"][0] == {"text": "Value: accuracy."}  # a later sentence before any clause
    assert fitting.drop_lower_priority(contract, {"a": 5, "b": 10})
    assert contract["sections"][1]["points"][0]["text"] == "Work in English."
    assert not fitting.drop_lower_priority(contract, {"a": 5, "b": 10})  # figures, brackets and first sentences stay
    assert contract["sections"][1]["points"][1]["text"] == "Accuracy; target 90% (baseline: pilot; pilot only)."
