"""Template text agrees with the design the figures decided (issue 26, the renderer's wording).

Each use case below is written here for the rule it tests (never an unseen case): the brief is
read, the figures computed and the documents' contracts resolved and rendered, as both engines
get them, and the text is held to what the figures chose: one replica or several, owned GPUs
or an API, a nightly batch or people waiting, one record or a corpus, a build budget or not,
the place the data must stay.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from genai_planner.core import languages as language_names
from genai_planner.documents.contract import resolve_contract
from genai_planner.documents.specs import load_document_specs
from genai_planner.models.offline.renderer import render_document
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.tools.catalog import load_catalog

SPECS = load_document_specs()

NIGHTLY_LETTERS = {
    "name": "renewal-letters",
    "organisation": "Fjordvik Housing Association",
    "use_case": (
        "Fjordvik Housing Association manages 9,000 rented homes. Every night the tenancy system exports the leases that "
        "come up for renewal, and each morning a housing officer sends the tenant a renewal letter: about 60 letters a night, "
        "20 minutes each by hand. We want the letters drafted overnight from the lease record, so an officer only checks and "
        "sends them in the morning. Nobody waits on a letter during the night. Tenant data must stay in Norway, on our own "
        "server with two NVIDIA L40S GPUs."
    ),
    "constraints": {"languages": ["en"]},
    "stakeholders": ["Director of Housing Ingrid Dahl", "housing officers", "IT services"],
}

CHAT_OVER_API = {
    "name": "parts-desk",
    "organisation": "Kestrel Bike Parts",
    "use_case": (
        "Kestrel Bike Parts sells spare parts online. Our 12 support agents answer about 900 customer questions a day "
        "about which part fits which bike, using a catalogue of 15,000 product pages, and customers wait in the chat for "
        "each answer. We want an assistant that answers from the catalogue within five seconds. Cloud APIs are fine for "
        "this data, and we can spend EUR 3,000 a month."
    ),
    "constraints": {"languages": ["en"]},
    "stakeholders": ["Head of Support Tom Reyes", "support agents", "IT", "customers"],
}

GALLERY_BUILD_BUDGET = {
    "name": "gallery-guide",
    "organisation": "Dune Gallery of Modern Art",
    "use_case": (
        "Dune Gallery of Modern Art in Dubai has 900 visitors a day. We want a guide in the gallery's app that answers "
        "questions about the 600 works on show from the curators' wall texts, in Arabic and English, within a few seconds. "
        "Chat logs must be processed in the UAE. We have a one-off build budget of AED 300,000 for the first version and can "
        "spend AED 9,000 a month on running it."
    ),
    "constraints": {"languages": ["ar", "en"], "hosting": {"data_stays_in": ["AE"]}},
    "stakeholders": ["Gallery Director Omar Haddad", "curators", "visitor team", "IT team", "visitors"],
}


@cache
def _run(name: str, language: str = "en") -> tuple:
    scenario = {"NIGHTLY_LETTERS": NIGHTLY_LETTERS, "CHAT_OVER_API": CHAT_OVER_API, "GALLERY_BUILD_BUDGET": GALLERY_BUILD_BUDGET}[name]
    brief = extract_brief(dict(scenario), language)
    figures = compute_figures(brief, load_catalog(), language)
    facts = document_facts(brief, figures, {}, language, figures_ref="[S1]")
    return brief, figures, facts


def _doc(name: str, doc_id: str, language: str = "en") -> str:
    _, _, facts = _run(name, language)
    contract = resolve_contract(SPECS[doc_id], facts, language)
    return render_document(contract, [], language, whole=True)


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no section {heading!r}"
    return match.group(1)


# --- 1. text that depends on the figures --------------------------------------------------


def test_the_nightly_batch_case_is_read_as_a_single_replica_batch_on_owned_gpus() -> None:
    _, figures, facts = _run("NIGHTLY_LETTERS")
    assert facts.flags["batch_job"] and facts.flags["single_item"] and facts.flags["owned_gpus"]
    assert facts.flags["single_replica"] and facts.flags["self_hosted"] and facts.flags["has_hardware"]


def test_a_batch_on_fixed_gpus_is_never_told_to_autoscale_or_switch_live_traffic() -> None:
    doc5 = _doc("NIGHTLY_LETTERS", "5")
    scaling = _section(doc5, "Scalability and performance")
    assert "**Autoscaling:**" not in scaling and "**Capacity:** fixed at" in scaling
    assert "no autoscaling" in scaling
    assert "unfinished items" in _section(doc5, "Scalability and performance")  # a failed run is rerun, not rerouted live
    versioning = _section(doc5, "Versioning and updates")
    assert "traffic back" not in versioning and "next run back to the previous version" in versioning
    assert "traffic returns" not in _section(doc5, "Deployment process")
    considerations = _section(doc5, "Key considerations")
    assert "latency and cost per request" not in considerations and "finishing time against its deadline" in considerations


def test_a_one_record_task_has_no_corpus_index_to_rebuild_or_search() -> None:
    doc5, doc3 = _doc("NIGHTLY_LETTERS", "5"), _doc("NIGHTLY_LETTERS", "3")
    assert "Re-index" not in doc5 and "index versions" not in doc5
    rag = _section(doc3, "Retrieval-augmented generation (RAG)")
    for phrase in ("passages", "re-index", "retrieval hit rate", "top 5"):
        assert phrase not in rag.lower(), phrase
    assert "lookup, not a search" in rag


def test_an_api_route_has_no_replicas_of_its_own_to_balance() -> None:
    _, _, facts = _run("CHAT_OVER_API")
    assert not facts.flags["self_hosted"]
    balancing = next(ln for ln in _section(_doc("CHAT_OVER_API", "5"), "Scalability and performance").splitlines() if "Load balancing" in ln)
    assert "replica" not in balancing and "rate limit" in balancing


def test_no_regulation_named_is_not_cited_as_if_it_were_one() -> None:
    _, _, facts = _run("CHAT_OVER_API")
    assert not facts.flags["has_regulations"]
    doc5 = _doc("CHAT_OVER_API", "5")
    assert "applicable data-protection law review" not in doc5
    assert "Applicable data-protection law:" not in doc5
    assert "confirms which rules apply" in _section(doc5, "Security and privacy")  # one named person: the verb agrees


# --- 2. the place the data must stay -----------------------------------------------------


@pytest.mark.parametrize(("name", "place"), [("NIGHTLY_LETTERS", "Norway"), ("GALLERY_BUILD_BUDGET", "the United Arab Emirates")])
def test_the_deployment_plan_names_the_place_the_terms_fix(name: str, place: str) -> None:
    doc5 = _doc(name, "5")
    considerations = _section(doc5, "Key considerations")
    infrastructure = next(ln for ln in considerations.splitlines() if "Infrastructure" in ln)
    security = next(ln for ln in considerations.splitlines() if "Security" in ln)
    assert place in infrastructure and place in security
    assert not re.search(r"\b(?:AE|NO)\b", doc5)  # never a bare region code


def test_a_place_the_route_table_does_not_name_is_spelled_out_in_the_hosting_terms() -> None:
    _, figures, _ = _run("GALLERY_BUILD_BUDGET")
    assert "the United Arab Emirates" in figures.hosting_terms and " AE" not in figures.hosting_terms
    reasons = " ".join(r for g in figures.gates for r in g.reasons)
    assert "keep data in AE" not in reasons


def test_owned_servers_say_whose_they_are_with_the_right_possessive() -> None:
    _, _, facts = _run("NIGHTLY_LETTERS")
    assert "Fjordvik Housing Association's own" in facts.values["serving_where"]
    from genai_planner.planning.deployment_words import possessive

    assert possessive("Thanh Long Plastics", "en") == "Thanh Long Plastics'" and possessive("Kestrel", "en") == "Kestrel's"
    assert possessive("한빛대학병원", "ko") == "한빛대학병원"


# --- 3. language exclusions worded from the catalog --------------------------------------


def test_language_exclusions_name_only_languages_the_catalog_does_not_list() -> None:
    _, figures, _ = _run("GALLERY_BUILD_BUDGET")
    catalog = {m["name"]: m for m in load_catalog()}
    required = ["ar", "en"]
    worded = 0
    for gate in figures.gates:
        for reason in gate.reasons:
            assert "does not support" not in reason  # a claim about the model; the catalog knows only what its provider documents
            if "not among the languages its provider documents" in reason:
                worded += 1
                missing = language_names.missing(catalog[gate.model], required)
                assert missing, f"{gate.model} excluded for a language its catalog entry lists"
                named = reason.split(" not among")[0]
                assert named == " and ".join(language_names.name(c) for c in missing) or all(language_names.name(c) in named for c in missing)
    assert worded  # the brief needs Arabic, so some models fail it


def test_a_model_whose_catalog_lists_a_required_language_is_never_excluded_for_it() -> None:
    _, figures, _ = _run("GALLERY_BUILD_BUDGET")
    catalog = {m["name"]: m for m in load_catalog()}
    for gate in figures.gates:
        if not language_names.missing(catalog[gate.model], ["ar", "en"]):
            assert not any("Arabic" in r and "documents" in r for r in gate.reasons), gate.model


def test_models_sharing_a_reason_are_named_together_once() -> None:
    doc2 = _doc("NIGHTLY_LETTERS", "2")
    excluded = next(ln for ln in doc2.splitlines() if ln.startswith("- **Excluded:**"))
    reasons = re.findall(r"\((?:each: )?([^()]*(?:\([^()]*\))?[^()]*)\)", excluded)
    assert len(reasons) == len(set(reasons)), excluded
    assert "each: " in excluded


# --- 4. a one-off build budget -----------------------------------------------------------


def test_a_one_off_build_budget_is_shown_apart_from_the_monthly_one() -> None:
    brief, _, facts = _run("GALLERY_BUILD_BUDGET")
    assert brief.constraints.build_budget is not None and brief.constraints.monthly_budget is not None
    assert facts.flags["has_build_budget"]
    costs = _section(_doc("GALLERY_BUILD_BUDGET", "2"), "Monthly cost")
    # The computed build estimate stands against the one-off budget on its own line; the monthly verdict on another.
    line = next(ln for ln in costs.splitlines() if ln.startswith("One-off build"))
    assert "AED 300,000" in line and "one-off build budget" in line and "a month" not in line
    assert any("AED 9,000 budget" in ln for ln in costs.splitlines() if not ln.startswith("One-off"))


def test_no_build_budget_line_without_a_build_budget() -> None:
    assert "One-off build" not in _doc("CHAT_OVER_API", "2")


def test_the_stated_build_budget_is_a_fact_the_budget_check_accepts() -> None:
    from genai_planner.documents import markdown as md
    from genai_planner.documents.brief_facts import brief_facts
    from genai_planner.documents.checks import CheckContext

    budgets = {"monthly_budget": {"value": {"amount": 9000, "currency": "AED"}}, "build_budget": {"value": {"amount": 300_000, "currency": "AED"}}}
    brief = {"constraints": budgets}
    figures = {"costs": [{"model": "Granite 3.3 8B Instruct", "monthly_usd": 1037.0, "hosting": "self_hosted", "parts": {"rental": 1037.0}}]}
    ctx = CheckContext(language="en", spec=SPECS["2"], brief=brief, figures=figures)

    def check(line: str) -> tuple[bool, str]:
        return brief_facts(md.parse_document(f"# Plan\n\n## Monthly cost\n\n{line}\n"), {}, ctx)

    ok, detail = check("One-off build budget: AED 300,000, kept apart from the running cost, which is set against the monthly budget (AED 9,000 per month).")
    assert ok, detail
    ok, detail = check("One-off build budget: AED 350,000, kept apart from the running cost, which is set against the monthly budget (AED 9,000 per month).")
    assert not ok and "AED 350,000" in detail  # a changed amount is still caught


# --- 5. a thin use case says what it assumes ---------------------------------------------

THIN_TWO_SENTENCES = {
    "name": "surveyors-reports",
    "organisation": "Brackwater Surveyors",
    "use_case": "We are a small firm of building surveyors and want AI to help us write condition reports. We write them by hand at the moment.",
}


def test_a_thin_use_case_states_its_assumptions_instead_of_describing_a_workload() -> None:
    brief = extract_brief(dict(THIN_TWO_SENTENCES), "en")
    figures = compute_figures(brief, load_catalog(), "en")
    facts = document_facts(brief, figures, {}, "en", figures_ref="[S1]")
    assert facts.flags["thin"] and not facts.flags["has_volume"]
    doc1 = render_document(resolve_contract(SPECS["1"], facts, "en"), [], "en", whole=True)
    problem = _section(doc1, "Problem statement")
    assert "repetitive and slow" not in problem
    assert "assumptions to confirm before any build" in problem and "assumed" in problem
    assert "To settle first:" in _section(doc1, "Organisational readiness")


def test_gpus_for_an_on_premises_rule_are_installed_on_the_own_servers_never_rented_from_a_cloud() -> None:
    scenario = {
        "name": "clinic-letters",
        "organisation": "Elmfield Clinic",
        "use_case": (
            "Elmfield Clinic writes about 150 referral letters a day; a doctor takes 15 minutes on each. We want drafts from the "
            "consultation notes for the doctor to check. Patient data must stay on our own servers; we have no GPUs yet."
        ),
        "constraints": {"languages": ["en"]},
    }
    brief = extract_brief(scenario, "en")
    figures = compute_figures(brief, load_catalog(), "en")
    facts = document_facts(brief, figures, {}, "en", figures_ref="[S1]")
    assert brief.constraints.data_residency.value == "on_premises" and facts.flags["self_hosted"] and not facts.flags["has_hardware"]
    assert "rented" not in facts.values["serving_where"] and "Elmfield Clinic's own servers" in facts.values["serving_where"]


def test_no_named_regulation_is_a_question_to_settle_not_a_law_to_cite() -> None:
    doc1 = _doc("CHAT_OVER_API", "1")
    assert "applicable data-protection law" not in doc1
    assert "which data-protection rules apply" in _section(doc1, "Organisational readiness")
    _, _, facts = _run("CHAT_OVER_API")
    contract = resolve_contract(SPECS["1"], facts, "en")  # before any optional sentence is cut for length
    points = [p["text"] for section in contract["sections"] for p in section.get("points", [])]
    assert not any("applicable data-protection law" in text for text in points)


# --- 6. language: agreement and sentences that say something ------------------------------


def test_every_takes_the_singular_of_a_plural_output_written_into_it() -> None:
    from genai_planner.documents.contract import fill

    values = {"users": "agents", "output": "conversational answers"}
    assert fill("{users} approve every {output} before it is used.", values) == "Agents approve every conversational answer before it is used."
    assert fill("each {output} is checked.", {"output": "letter"}) == "each letter is checked."
    assert fill("every {output} goes out.", {"output": "status"}) == "every status goes out."  # not a plural
    assert fill("so that one {input} is fetched whole", {"input": "policy documents"}) == "so that one policy document is fetched whole"
    # The head noun comes first in a phrase with a preposition: never 'every answer to question'.
    assert fill("{users} approve every {output}.", {"users": "curators", "output": "answers to questions"}) == "Curators approve every answer to questions."


def test_a_stated_peak_is_told_once_and_an_unstated_one_is_called_assumed() -> None:
    _, _, facts = _run("CHAT_OVER_API")
    assert not facts.flags["has_peak"]
    doc5 = _doc("CHAT_OVER_API", "5")
    scalability = next(ln for ln in _section(doc5, "Key considerations").splitlines() if "Scalability" in ln)
    assert "(no stated peak)" not in scalability and "at an assumed peak (none is stated)" in scalability


def test_an_api_route_reads_with_its_article() -> None:
    _, figures, facts = _run("CHAT_OVER_API")
    route = figures.route_of(facts.values["model"])
    assert route is not None and route.route.endswith(" API")  # the case is written for a vendor API route
    assert f"through the {route.route}" in facts.values["serving_where"]


def test_the_outputs_list_is_not_joined_into_a_second_and() -> None:
    doc5 = _doc("CHAT_OVER_API", "5")
    protection = next(ln for ln in _section(doc5, "Security and privacy").splitlines() if "Data protection" in ln)
    assert protection.count(" and ") <= 1, protection


def test_guardrails_in_a_batch_are_bounded_by_the_batch_window_not_a_wait() -> None:
    doc3 = _doc("NIGHTLY_LETTERS", "3")
    other = _section(doc3, "Other techniques")
    assert "Guardrails add latency" not in other and "inside the batch window" in other


def test_a_runner_up_too_big_for_the_plan_is_not_promised_as_the_fallback() -> None:
    """The shipped hospital case: its runner-up needs more GPUs than the plan holds, so the figures make the
    manual process the fallback, and document 5 must say the same instead of sending work to that model."""
    from pathlib import Path

    import yaml

    scenario = yaml.safe_load((Path(__file__).parents[1] / "scenarios" / "hospital_discharge_ko.yaml").read_text(encoding="utf-8"))
    brief = extract_brief(scenario, "ko")
    figures = compute_figures(brief, load_catalog(), "ko")
    facts = document_facts(brief, figures, {}, "ko", figures_ref="[S1]")
    fallback = next(c for c in figures.colocated if c.role == "fallback")
    # The figures either rent GPUs for it or state the single point of failure; either way no live fallback.
    assert fallback.mode in ("rented", "none") and not facts.flags["has_fallback"]
    doc5 = render_document(resolve_contract(SPECS["5"], facts, "ko"), [], "ko", whole=True)
    line = next(ln for ln in doc5.splitlines() if "**대체 경로:**" in ln)
    assert f"{fallback.model}에 보내" not in line and "단일 장애 지점" in line and ("수작업" in line or "직접 작성" in line)


def test_the_bake_off_runs_where_the_service_will_run() -> None:
    doc2 = _doc("GALLERY_BUILD_BUDGET", "2")
    step = next(ln for ln in _section(doc2, "Evaluation process").splitlines() if ln.startswith("3. "))
    assert "own servers" not in step and "rented from a cloud provider" in step and "the United Arab Emirates" in step


def test_one_language_is_not_called_the_languages() -> None:
    factors = _section(_doc("NIGHTLY_LETTERS", "2"), "Selection factors")
    line = next(ln for ln in factors.splitlines() if "Language support" in ln)
    assert "the language " in line and "the languages" not in line


@pytest.mark.parametrize(("doc_id", "most"), [("3", 8), ("5", 7)])
def test_the_client_is_named_where_it_matters_not_in_every_checklist_line(doc_id: str, most: int) -> None:
    """A name repeated in every line reads as a template filled in: after the first mentions, 'the test set', 'the baselines in document 1'."""
    assert _doc("NIGHTLY_LETTERS", doc_id).count("Fjordvik Housing Association") <= most


def test_where_data_lives_is_a_place_not_the_same_environment_as_the_application() -> None:
    _, _, facts = _run("GALLERY_BUILD_BUDGET")
    assert facts.values["residency_short"] == "servers Dune Gallery of Modern Art controls in the United Arab Emirates"
    doc1 = _doc("CHAT_OVER_API", "1")
    assert "the same environment as the application" not in doc1 and "servers Kestrel Bike Parts controls" in doc1
