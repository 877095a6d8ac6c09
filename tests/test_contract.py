"""The document contract: templates that resolve for every run, item counts that hold under every condition."""

from __future__ import annotations

import itertools
import re

import pytest

from genai_planner.documents import markdown as md
from genai_planner.documents.contract import attach_particles, condition_holds, resolve_contract, template_problems
from genai_planner.documents.specs import load_document_specs
from genai_planner.models.offline.renderer import render_document
from genai_planner.planning.facts import document_facts
from tests.planning_samples import sample_brief, sample_figures

SPECS = load_document_specs()


def _facts(language: str):
    return document_facts(sample_brief(language), sample_figures(language), {}, language, figures_ref="[S1]")


@pytest.mark.parametrize("doc_id", sorted(SPECS))
def test_every_template_names_known_facts_and_conditions(doc_id: str) -> None:
    flags = set(_facts("en").flags)
    assert template_problems(SPECS[doc_id], flags) == []


def test_the_facts_set_exactly_the_conditions_specs_may_name() -> None:
    from genai_planner.planning.facts import FLAGS

    assert set(_facts("en").flags) == set(FLAGS)


def test_a_spec_naming_an_unknown_fact_fails_when_the_specs_load(tmp_path, monkeypatch) -> None:
    from genai_planner.documents.specs import SPECS_DIR, _load_specs

    for path in SPECS_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("01"):
            text = text.replace("{org} handles {volume}", "{org} handles {no_such_fact}", 1)
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="no_such_fact"):
        _load_specs(str(tmp_path))


def test_an_unknown_placeholder_is_reported() -> None:
    spec = SPECS["1"].model_copy(deep=True)
    spec.sections[0].points[0].say.en = "{org} and {no_such_fact}"
    spec.sections[0].points[0].when = "no_such_flag"
    problems = template_problems(spec, set(_facts("en").flags))
    assert any("no_such_fact" in p for p in problems) and any("no_such_flag" in p for p in problems)


def _count_checks(doc_id: str) -> dict[str, int]:
    # `count: targets` follows the figures (one item per key metric): tested with the figures, not here.
    checks = [c for c in SPECS[doc_id].checks if c.type == "item_count" and "count" in c.params and str(c.params["count"]).isdigit()]
    return {c.params["section"]: int(c.params["count"]) for c in checks}


@pytest.mark.parametrize("doc_id", sorted(SPECS))
def test_item_counts_hold_under_every_combination_of_conditions(doc_id: str) -> None:
    """A section that must have exactly N items gets N points whatever the brief's flags are."""
    spec = SPECS[doc_id]
    for section_id, want in _count_checks(doc_id).items():
        section = spec.section(section_id)
        if section.rows:
            continue  # one item per row of the figures (the targets): their count is tested with the figures
        names = sorted({part.strip().lstrip("!").strip() for p in section.points if p.when for part in p.when.split("&")})
        for values in itertools.product([False, True], repeat=len(names)):
            flags = dict(zip(names, values, strict=True))
            n = sum(1 for p in section.points if condition_holds(p.when, flags))
            assert n == want, f"document {doc_id} section {section_id}: {n} items, expected {want}, with {flags}"


def test_conditions() -> None:
    flags = {"a": True, "b": False}
    assert condition_holds("a & !b", flags) and not condition_holds("a & b", flags) and condition_holds(None, flags)
    with pytest.raises(KeyError):
        condition_holds("c", flags)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("병원은(는) 간다", "병원은 간다"),
        ("의료진이(가) 검토", "의료진이 검토"),
        ("서버(으)로 보냄", "서버로 보냄"),
        ("파일(으)로 저장", "파일로 저장"),
        ("기록(으)로 남김", "기록으로 남김"),
        ("하루 300건(퇴원 요약)을(를) 처리", "하루 300건(퇴원 요약)을 처리"),
        ("GPT-4o은(는) 빠르다", "GPT-4o는 빠르다"),
        ("3을(를)", "3을"),
    ],
)
def test_korean_particles_follow_the_word(text: str, want: str) -> None:
    assert attach_particles(text) == want


@pytest.mark.parametrize("language", ["en", "ko"])
def test_resolved_contract_has_no_unfilled_placeholder_and_renders_every_section(language: str) -> None:
    facts = _facts(language)
    for doc_id, spec in SPECS.items():
        contract = resolve_contract(spec, facts, language)
        text = render_document(contract, [], language, whole=True)
        assert not re.search(r"\{[a-z_]+\}", text), f"document {doc_id} has an unfilled placeholder"
        doc = md.parse_document(text)
        assert [s.title for s in doc.sections] == [s.title.get(language) for s in spec.sections]


def test_key_factor_marker_goes_on_the_figures_key_factors() -> None:
    facts = _facts("en")
    contract = resolve_contract(SPECS["2"], facts, "en")
    factors = next(s for s in contract["sections"] if s["id"] == "selection_factors")
    keyed = [p for p in factors["points"] if p.get("key")]
    spec_factors = {p.label.en: p.factor for p in SPECS["2"].section("selection_factors").points}
    assert {spec_factors[p["label"]] for p in keyed} == set(sample_figures("en").key_factors)
    text = render_document(contract, [], "en", whole=True)
    assert text.count("(key for this use case)") == 2


def test_tables_come_from_the_figures() -> None:
    figures = sample_figures("en")
    contract = resolve_contract(SPECS["2"], _facts("en"), "en")
    table = next(s for s in contract["sections"] if s["id"] == "candidates")["table"]
    assert [row[0] for row in table["rows"]] == [s.model for s in figures.scores]
    assert [row[-2] for row in table["rows"]] == [f"{s.total:.2f}" for s in figures.scores]
    costs = [figures.cost_of(s.model).monthly_usd for s in figures.scores]  # type: ignore[union-attr]
    assert [row[-1] for row in table["rows"]] == [f"{c:,.0f}" if c >= 100 else f"{c:,.2f}" for c in costs]
    weights = next(s for s in contract["sections"] if s["id"] == "rubric")["table"]
    assert sum(int(row[2]) for row in weights["rows"]) == 100


def test_covering_document_1s_metrics_never_passes_vacuously() -> None:
    from genai_planner.documents.checks import CheckContext, run_checks
    from genai_planner.documents.specs import CheckSpec

    check = CheckSpec(id="covers", type="covers_metrics", decision="metrics")
    ctx = CheckContext(language="en", spec=SPECS["4"], decisions={"requirements": ["Functional: produce answers"]})
    result = run_checks([check], "# T\n\n## Evaluation metrics\n\n- accuracy\n", ctx)[0]
    assert not result.passed and "no key metrics" in result.detail
    alone = run_checks([check], "# T\n", CheckContext(language="en", spec=SPECS["4"]))[0]
    assert alone.passed, "without document 1 in the run there is nothing to cover"


def test_a_metric_named_with_a_quote_in_parentheses_is_covered_by_its_own_label() -> None:
    """'48시간 이내 처리 건(summaries sent) 비율' is document 1's metric; document 4's label loses the parentheses like the name."""
    from genai_planner.documents.checks import CheckContext, run_checks
    from genai_planner.documents.specs import CheckSpec

    check = CheckSpec(id="covers", type="covers_metrics", decision="metrics", section="evaluation_metrics")
    name = "48시간 이내 처리 건(summaries sent) 비율"
    ctx = CheckContext(language="ko", spec=SPECS["4"], decisions={"metrics": [name]})
    heading = next(s.title.get("ko") for s in SPECS["4"].sections if s.id == "evaluation_metrics")
    result = run_checks([check], f"# T\n\n## {heading}\n\n- **{name}:** 목표 90% 이상.\n", ctx)[0]
    assert result.passed, result.detail


def test_renderer_fits_the_word_limit_whatever_the_research_returned() -> None:
    """Long quotes of the organisation's own material go before the document passes its limit."""
    from genai_planner.documents.checks import document_words
    from genai_planner.models.offline.protocol import Finding

    contract = resolve_contract(SPECS["1"], _facts("en"), "en")
    limit = contract["limits"]["document"]
    bare = document_words(render_document(resolve_contract(SPECS["1"], _facts("en"), "en"), [], "en", whole=True), "en")
    assert bare <= limit
    long_note = " ".join(["Our own notes say the process is slow and error-prone"] * 4)
    findings = [Finding(id=f"S{i + 20}", section=s["id"], kind="user_document", ref="docs/notes.md", title="notes", text=long_note)
                for i, s in enumerate(contract["sections"])]
    text = render_document(contract, findings, "en", whole=True)
    assert document_words(text, "en") <= limit


def test_renderer_cuts_long_lists_to_their_first_item_when_nothing_else_is_left_to_drop() -> None:
    from genai_planner.documents.checks import document_words

    facts = _facts("en")
    facts.values["inputs"] = ", ".join(["maintenance manuals, defect descriptions from the technical log, parts catalogues and service bulletins"] * 3)
    facts.values["outputs"] = "rectification entries, likely fault isolation tasks and parts requests for the stores team"
    contract = resolve_contract(SPECS["1"], facts, "en")
    limit = contract["limits"]["document"]
    assert any(p.get("short") for s in contract["sections"] for p in s.get("points", []))
    text = render_document(contract, [], "en", whole=True)
    assert document_words(text, "en") <= limit
    assert facts.values["inputs"] in text, "the first mention keeps the whole list where it fits"


@pytest.mark.parametrize("language", ["en", "ko"])
def test_automated_scoring_names_only_what_a_test_set_can_measure(language: str) -> None:
    """Documents 2 and 3 score candidates and tuned models on the test set: a pilot-only measure (time
    per case, weekly adoption) needs real users, so those lines name only the test-set metrics.
    """
    figures = sample_figures(language)
    targets = [t.model_copy(update={"measured": "pilot"}) if i == 0 else t.model_copy(update={"measured": "test_set"})
               for i, t in enumerate(figures.targets)]
    figures = figures.model_copy(update={"targets": targets})
    pilot = [targets[0].metric]
    facts = document_facts(sample_brief(language), figures, {}, language, figures_ref="[S1]")
    for doc_id, marker in (("2", "{automated_metrics}"), ("3", "{automated_metrics}")):
        assert marker in str(SPECS[doc_id].model_dump()), f"document {doc_id} scores something automatically"
        contract = resolve_contract(SPECS[doc_id], facts, language)
        text = render_document(contract, [], language, whole=True)
        for line in text.splitlines():
            if any(w in line for w in ("automatically", "bake-off", "held-out", "자동 채점", "비교 평가")):
                assert not any(m in line for m in pilot), line



@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_zero_tolerance_gate_is_enforced_per_output_not_proven_by_the_test_set(language: str) -> None:
    """A client's 'never a wrong dose' is a release gate a test set can only bound (rule of three), so
    document 4 says every output is checked against its source and signed before it leaves.
    """
    figures = sample_figures(language)
    targets = [t.model_copy(update={"release_gate": i == 0}) for i, t in enumerate(figures.targets)]
    facts = document_facts(sample_brief(language), figures.model_copy(update={"targets": targets}), {}, language, figures_ref="[S1]")
    text = render_document(resolve_contract(SPECS["4"], facts, language), [], language, whole=True)
    assert ("No test set proves" if language == "en" else "증명할 수 없고") in text
    assert targets[0].metric in text


def test_a_client_metric_named_from_its_quote_drops_the_quote_when_shortened():
    """Fitted to a word limit, 'Outputs that quote a room rate ...: 'must never quote a room rate ...'' says the same
    words twice: the short form keeps the name and the target. A neutral name keeps the client's words."""
    from genai_planner.documents.contract import _row_values

    retold = _row_values({"metric": "Outputs that quote a room rate or promise a refund", "definition": "q",
                          "quote": "must never quote a room rate or promise a refund"}, "en")
    assert retold["definition_short"] == ""
    neutral = _row_values({"metric": "Client measure", "definition": "q", "quote": "at least 85% of claims where we hold the item"}, "en")
    assert neutral["definition_short"] == "at least 85% of claims where we hold the item"


def test_candidates_beyond_the_tables_limit_are_named_not_referred_to_the_figures() -> None:
    facts = _facts("en")
    rows = facts.lists["scores"]
    more = [{**rows[0], "model": f"Extra model {i}"} for i in range(7)]
    facts.lists["scores"] = rows + more
    section = next(s for s in resolve_contract(SPECS["2"], facts, "en")["sections"] if s["id"] == "candidates")
    shown = len(section["table"]["rows"])
    hidden = [r["model"] for r in facts.lists["scores"][shown:]]
    text = section["after"][0]["text"]
    assert text.startswith(f"Other candidates that pass every gate but score lower ({len(hidden)}): ")
    assert all(name in text for name in hidden) and "planning figures" not in text
