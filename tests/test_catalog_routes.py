"""Hosting routes: model x route gated on the brief's data terms, cited in document 2; no run recommends nobody."""

from __future__ import annotations

import pytest

from genai_planner.core.errors import InputError
from genai_planner.core.scenario import Scenario
from genai_planner.planning.brief import HostingTerms
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.planning.prose import Prose
from genai_planner.planning.routes import gate_routes, read_hosting_terms
from genai_planner.tools.catalog import load_catalog

CATALOG = {m["id"]: m for m in load_catalog()}

BANK = Scenario(
    name="bank",
    organisation="Nordlys Bank",
    use_case=(
        "Nordlys Bank wants an assistant that drafts answers to 2,000 customer emails a day about loans, in English. "
        "Cloud models are allowed only through our private endpoint, and the provider must not retain prompts: we need zero data retention."
    ),
)
NON_PROFIT = Scenario(
    name="helpline",
    organisation="Open Door Helpline",
    use_case=(
        "Open Door Helpline is a non-profit that answers 300 chat conversations a day about housing support, in English. "
        "Our provider must not train on our conversations."
    ),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cloud models only through our private endpoint.", {"private_endpoint": True}),
        ("The vendor must not train on our data.", {"no_training": True}),
        ("We need zero data retention.", {"no_retention": True}),
        ("All data must stay in Norway.", {"data_stays_in": ["NO"]}),
        ("No providers from China.", {"no_provider_from": ["CN"]}),
        ("We answer emails about training courses.", {}),
        ("상담 내용은 모델 학습에 사용하지 않아야 하며 전용 엔드포인트로만 접속합니다.", {"no_training": True, "private_endpoint": True}),
        ("고객 데이터는 국내에 보관되어야 합니다. 중국 업체는 제외합니다.", {"data_stays_in": ["KR"], "no_provider_from": ["CN"]}),
    ],
)
def test_terms_read_from_prose(text: str, expected: dict) -> None:
    terms = read_hosting_terms(Prose(text), "en")
    assert terms.model_dump(exclude={"evidence"}) == HostingTerms(**expected).model_dump(exclude={"evidence"})


def test_route_gates() -> None:
    private = HostingTerms(private_endpoint=True, no_retention=True)
    api, own, routes = gate_routes(CATALOG["gpt-4o"], private)
    assert api is not None and api.key == "azure"  # the public OpenAI API has no verified private endpoint
    assert next(r for r in routes if r.key == "api").failures
    api, own, _ = gate_routes(CATALOG["hyperclova-x"], private)
    assert api is None and own is None  # its only route's terms are unverified
    api, own, _ = gate_routes(CATALOG["deepseek-v3"], HostingTerms(no_provider_from=["CN"]))
    assert api is None and own is None  # the provider itself is from CN
    api, own, _ = gate_routes(CATALOG["claude-sonnet-4"], HostingTerms(data_stays_in=["SE"]))
    assert api is not None and api.key == "aws-bedrock"


@pytest.mark.parametrize(("scenario", "term_words"), [(BANK, "private networking"), (NON_PROFIT, "not trained on customer data")])
def test_recommended_route_meets_the_terms_and_is_cited(scenario: Scenario, term_words: str) -> None:
    brief = extract_brief(scenario, "en")
    assert brief.constraints.hosting_terms.any()
    figures = compute_figures(brief, load_catalog(), "en")
    assert figures.recommended
    # every scored model is planned on a route that meets the terms; a model with none is excluded, with the reason
    assert [s.model for s in figures.scores] == [r.model for r in figures.routes]
    assert any(any("no hosting route meets" in r for r in g.reasons) for g in figures.gates)
    route = figures.route_of(figures.recommended)
    assert route is not None
    model = next(m for m in load_catalog() if m["name"] == figures.recommended)
    chosen = next(r for r in gate_routes(model, brief.constraints.hosting_terms)[2] if r.name == route.route)
    assert not chosen.failures
    if brief.constraints.hosting_terms.private_endpoint:
        assert route.kind in {"cloud_private", "self_hosted"}
    facts = document_facts(brief, figures, {}, "en")
    assert term_words in facts.values["route_terms"] or route.kind == "self_hosted"
    assert "https://" in facts.values["route_terms"] or route.kind == "self_hosted"
    assert "as of 2025-06" in facts.values["route_terms"]
    assert "2025-06" in facts.values["sources_dated"]


def test_no_candidate_is_refused_up_front_with_a_relaxation() -> None:
    from genai_planner.run.preflight import check_constraints_satisfiable

    scenario = Scenario(
        name="impossible",
        organisation="Tiny Co",
        use_case="Tiny Co answers 100 emails a day in Icelandic. The provider must not train on our data and cloud models are allowed only "
        "through our private endpoint. No provider from the United States.",
    )
    with pytest.raises(InputError) as err:
        check_constraints_satisfiable(scenario, None)
    message = str(err.value)
    assert "0 catalog models pass" in message
    assert "Least damaging relaxation: drop no provider from the US" in message and "trade-off" in message


def test_prose_language_refused_like_a_yaml_language() -> None:
    from genai_planner.run.preflight import check_constraints_satisfiable

    prose = Scenario(name="x", use_case="We answer 100 emails a day in Icelandic. No providers from the United States.")
    yaml = Scenario(name="x", use_case="We answer 100 emails a day. No providers from the United States.", constraints={"languages": ["is"]})
    messages = []
    for scenario in (prose, yaml):
        with pytest.raises(InputError) as err:
            check_constraints_satisfiable(scenario, None)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "a required language missing" in messages[0]


def test_a_model_brief_cannot_drop_a_stated_term() -> None:
    from genai_planner.planning.extract import reconcile_brief

    proposed = extract_brief(BANK, "en").model_dump()
    proposed["constraints"]["hosting_terms"] = {"no_training": True}
    brief = reconcile_brief(proposed, BANK, "en")
    terms = brief.constraints.hosting_terms
    assert terms.private_endpoint and terms.no_retention and terms.no_training


def test_dates_and_routes_reach_the_report_and_export() -> None:
    figures = compute_figures(extract_brief(NON_PROFIT, "en"), load_catalog(), "en")
    names = [a.name for a in figures.assumptions]
    assert "Prices, catalog facts and exchange rates" in names
    dated = next(a for a in figures.assumptions if a.name == "Prices, catalog facts and exchange rates")
    assert "2025-06" in dated.reason and "ECB" in dated.reason
    assert any(a.name == f"Hosting route of {figures.recommended}" for a in figures.assumptions)
