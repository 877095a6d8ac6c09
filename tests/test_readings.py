"""How the brief reads the task archetype and the hosting rule from the prose, measured on labelled sentences.

tests/data/readings.yaml holds sentences written for these tests (English and Korean); each one
says what the client wants produced, or where data may be processed and through which route.
The accuracy tests fail below 0.9; the worked tests pin each rule with one case.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from genai_planner.core.scenario import Scenario
from genai_planner.planning.archetype import order_tasks, read_archetype
from genai_planner.planning.brief import Evidence, HostingTerms, ResidencyFact, default
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.prose import Prose
from genai_planner.planning.routes import gate_routes, hosting_reading, read_hosting_terms, settle_residency, terms_text
from genai_planner.planning.shape import compute_task_shape
from genai_planner.planning.terms import read_tasks
from genai_planner.tools.catalog import load_catalog

DATA = yaml.safe_load((Path(__file__).parent / "data" / "readings.yaml").read_text(encoding="utf-8"))
CATALOG = {m["id"]: m for m in load_catalog()}


# ----------------------------------------------------------------------------- accuracy


def test_labelled_sets_are_large_and_bilingual() -> None:
    for key in ("archetype", "hosting"):
        cases = DATA[key]
        assert len(cases) >= 30
        assert {c["lang"] for c in cases} == {"en", "ko"}


def test_archetype_accuracy() -> None:
    cases = DATA["archetype"]
    right = [c for c in cases if (r := read_archetype(Prose(c["text"]))) is not None and r.archetype == c["archetype"]]
    misses = [(c["archetype"], c["text"][:60]) for c in cases if c not in right]
    assert len(right) / len(cases) >= 0.9, misses
    every = {"translation", "text_to_sql", "classification", "extraction", "record_drafting", "corpus_qa", "conversation_summary", "code", "digest"}
    assert {c["archetype"] for c in cases} >= every


def test_input_step_accuracy() -> None:
    cases = DATA["archetype"]
    right = [c for c in cases if (r := read_archetype(Prose(c["text"]))) is not None and r.step == c["step"]]
    assert len(right) / len(cases) >= 0.9, [c["text"][:60] for c in cases if c not in right]


def _hosting(text: str, lang: str) -> tuple[str, list[str], list[str], bool]:
    c = extract_brief({"use_case": text, "language": lang}, lang).constraints
    reading = hosting_reading(c.data_residency.value, c.hosting_terms)
    return reading.where, sorted(reading.via), sorted(reading.regions), reading.retention_off


def test_hosting_accuracy() -> None:
    cases = DATA["hosting"]
    expected = {id(c): (c["where"], sorted(c["via"]), sorted(c["stays_in"]), c["retention"]) for c in cases}
    got = {id(c): _hosting(c["text"], c["lang"]) for c in cases}
    misses = [(c["text"][:60], got[id(c)], expected[id(c)]) for c in cases if got[id(c)] != expected[id(c)]]
    assert 1 - len(misses) / len(cases) >= 0.9, misses


# ----------------------------------------------------------------------------- archetype, worked


def test_what_is_produced_outweighs_an_incidental_word() -> None:
    text = (
        "Our service desk gets 500 machine fault reports a day; each must be sorted by severity and sent to the right repair team. "
        "Each report carries an alarm code from our list of 40."
    )
    reading = read_archetype(Prose(text))
    assert reading is not None and reading.archetype == "classification"
    assert "code" in read_tasks(Prose(text))  # the old first-mention reader sees 'code' ...
    assert "code" not in order_tasks(read_tasks(Prose(text)), reading)  # ... the archetype drops it
    assert order_tasks(read_tasks(Prose(text)), reading)[0] == "classification"


def test_a_sentence_about_today_counts_less() -> None:
    text = "The tool should draft the repair quote for each job. Today our clerks answer customer questions about quotes by phone."
    reading = read_archetype(Prose(text))
    assert reading is not None and reading.archetype == "record_drafting"
    assert reading.scores["corpus_qa"] < reading.scores["record_drafting"]


def test_meeting_minutes_are_a_summary_with_speech_to_text() -> None:
    text = "Hallam Works records its 30 weekly site meetings and wants minutes with actions by the next morning, in English."
    scenario = Scenario(name="minutes", organisation="Hallam Works", use_case=text)
    brief = extract_brief(scenario, "en")
    assert brief.task_shape is not None
    assert (brief.task_shape.archetype, brief.task_shape.mode, brief.task_shape.input_step) == ("conversation_summary", "batch", "speech_to_text")
    assert brief.task_types[0] == "summarisation"
    shape = compute_task_shape(brief, "en", 8000, 2)
    assert shape.retrieval.startswith("first transcribe each recording")
    assert "no passage search" in shape.retrieval


def test_scanned_forms_get_ocr_before_extraction() -> None:
    text = "스캔한 주문서 하루 600장에서 거래처, 품목, 수량을 추출해 전산에 입력하려 합니다."
    brief = extract_brief({"use_case": text, "language": "ko"}, "ko")
    assert brief.task_shape is not None and (brief.task_shape.archetype, brief.task_shape.input_step) == ("extraction", "ocr")
    assert compute_task_shape(brief, "ko", 4000, 1).retrieval.startswith("먼저 스캔하거나")


def test_no_step_for_born_digital_inputs() -> None:
    reading = read_archetype(Prose("Translate our web shop's product pages from German into French and Italian."))
    assert reading is not None and (reading.archetype, reading.step) == ("translation", None)


# ----------------------------------------------------------------------------- hosting, worked


def test_named_private_endpoint_allows_that_cloud_only() -> None:
    terms = read_hosting_terms(Prose("Language models may be used only through our Azure private endpoint in West Europe, with zero retention."), "en")
    assert (terms.via, terms.data_stays_in, terms.no_retention, terms.private_endpoint) == (["azure"], ["EU"], True, True)
    api, _, routes = gate_routes(CATALOG["gpt-4o"], terms)
    assert api is not None and api.key == "azure"
    assert ("via", "fails") in next(r for r in routes if r.key == "api").failures  # never the vendor's public API
    api, _, routes = gate_routes(CATALOG["claude-sonnet-4"], terms)
    assert api is None and all(("via", "fails") in r.failures for r in routes if r.kind != "self_hosted")


def test_a_region_rule_excludes_a_route_whose_region_is_elsewhere_or_unknown() -> None:
    terms = read_hosting_terms(Prose("이사회는 국내 리전 클라우드만 허용합니다."), "ko")
    assert terms.data_stays_in == ["KR"]
    api, _, routes = gate_routes(CATALOG["deepseek-v3"], terms)
    assert next(r for r in routes if r.key == "api").failures == [("data_stays_in", "KR")]
    api, _, _ = gate_routes(CATALOG["gemini-2.0-flash"], terms)
    assert api is not None and api.key == "gcp-vertex"  # the Gemini API's region is unverified; Vertex AI lists KR


def test_domestic_resolves_to_the_home_country() -> None:
    assert read_hosting_terms(Prose("Only domestic-region cloud may process these files; the budget is AUD 4,000 a month."), "en").data_stays_in == ["AU"]


def test_scenario_gb_is_the_route_tables_uk() -> None:
    api, _, _ = gate_routes(CATALOG["gpt-4o"], HostingTerms(data_stays_in=["GB"], private_endpoint=True))
    assert api is not None and api.key == "azure"


def test_outside_a_country_is_a_region_not_own_servers() -> None:
    text = "Manuals may not be sent to any service hosted outside Japan. A cloud API hosted in Japan is fine."
    brief = extract_brief({"use_case": text, "language": "en"}, "en")
    c = brief.constraints
    assert (c.data_residency.value, c.hosting_terms.data_stays_in) == ("cloud_ok", ["JP"])


def test_settle_keeps_a_stated_own_servers_rule() -> None:
    stated_rule = ResidencyFact(value="on_premises", evidence=Evidence(source="stated", quote="Nothing may leave our servers."))
    assert settle_residency(stated_rule, HostingTerms(data_stays_in=["EU"]), "en").value == "on_premises"
    inferred_rule = ResidencyFact(value="private_cloud", evidence=Evidence(source="inferred", reason="a condition"))
    assert settle_residency(inferred_rule, HostingTerms(data_stays_in=["EU"]), "en").value == "cloud_ok"
    assert settle_residency(inferred_rule, HostingTerms(no_retention=True), "en").value == "private_cloud"  # no where/route rule: unchanged
    unsaid = ResidencyFact(value="unspecified", evidence=default("nothing said"))
    assert settle_residency(unsaid, HostingTerms(), "en").value == "unspecified"


TARN = Scenario(
    name="claims",
    organisation="Tarn Mutual",
    use_case=(
        "Tarn Mutual wants each motor claim letter drafted from the claim file, 900 a week, in English. Models only through our own Azure tenancy in UK South."
    ),
    constraints={"data_residency": "private_cloud"},
)


def test_written_private_cloud_with_a_named_cloud_prices_that_clouds_api() -> None:
    brief = extract_brief(TARN, "en")
    assert brief.constraints.data_residency.value == "private_cloud" and brief.constraints.hosting_terms.via == ["azure"]
    figures = compute_figures(brief, load_catalog(), "en")
    gate = next(g for g in figures.gates if g.model == "GPT-4o")
    assert gate.passed, gate.reasons
    route = figures.route_of("GPT-4o")
    assert route is not None and route.kind == "cloud_private" and "Azure" in route.route
    claude = next(g for g in figures.gates if g.model == "Claude Sonnet 4")
    assert not claude.passed  # Bedrock and Vertex are not the cloud the client named


def test_terms_name_places_in_words() -> None:
    assert (
        terms_text(HostingTerms(data_stays_in=["KR"], via=["azure"]), "en") == "data stays in South Korea; cloud models only through Azure (private endpoint)"
    )
    assert "한국" in terms_text(HostingTerms(data_stays_in=["KR"]), "ko")


def test_personal_data_closes_routes_that_may_train_on_it() -> None:
    text = "Our 40 agents summarise customer calls about insurance claims; the calls include customers' home addresses and dates of birth."
    terms = extract_brief({"use_case": text, "language": "en"}, "en").constraints.hosting_terms
    assert terms.no_training and terms.evidence is not None and terms.evidence.source == "inferred"
    api, _, routes = gate_routes(CATALOG["deepseek-v3"], terms)
    assert ("no_training", "unverified") in next(r for r in routes if r.key == "api").failures
    api, _, _ = gate_routes(CATALOG["gpt-4o"], terms)
    assert api is not None and api.key == "api"  # the OpenAI API documents no training by default
    public = extract_brief({"use_case": "Translate our public museum labels from English into Spanish, 200 a month.", "language": "en"}, "en")
    assert not public.constraints.hosting_terms.no_training


def test_constraints_check_lets_the_named_clouds_models_in() -> None:
    from tests.test_content_checks import ctx, doc, run

    brief = extract_brief(TARN, "en")
    markdown = doc(("Evaluation process", "1. Use GPT-4o through the Azure OpenAI private endpoint as the judge model."))
    ok, detail = run("constraints_respected", markdown, ctx("en", brief))
    assert ok, detail
    other = doc(("Evaluation process", "1. Use Claude Sonnet 4 as the judge model."))
    ok, detail = run("constraints_respected", other, ctx("en", brief))
    assert not ok and "API-only model Claude Sonnet 4" in detail


def test_a_call_summary_is_heard_first_unless_the_calls_are_text() -> None:
    calls = read_archetype(Prose("Agents want a short summary of every customer call saved to the CRM."))
    assert calls is not None and (calls.archetype, calls.step) == ("conversation_summary", "speech_to_text")
    chats = read_archetype(Prose("Agents want a short summary of every customer chat saved to the CRM."))
    assert chats is not None and (chats.archetype, chats.step) == ("conversation_summary", None)


def test_a_region_condition_becomes_cloud_through_that_region() -> None:
    c = extract_brief({"use_case": "Processing must remain within the EU and the provider may retain nothing.", "language": "en"}, "en").constraints
    assert (c.data_residency.value, c.data_residency.evidence.source) == ("cloud_ok", "inferred")
    assert "data stays in the EU" in (c.data_residency.evidence.reason or "")


def test_korean_route_facts_carry_no_english_common_words() -> None:
    from genai_planner.planning.routes import route_facts_text, routes_for

    azure = next(r for r in routes_for(CATALOG["gpt-4o"], "ko") if r.key == "azure")
    text = route_facts_text(azure, "ko")
    assert "SOC 2 유형 2" in text and "Type" not in text and "Private" not in text
    assert "SOC 2 Type 2" in route_facts_text(next(r for r in routes_for(CATALOG["gpt-4o"], "en") if r.key == "azure"), "en")


def test_client_files_under_nda_are_confidential() -> None:
    text = "Our 20 surveyors want help writing inspection reports; the client drawings are covered by NDAs."
    brief = extract_brief({"use_case": text, "language": "en"}, "en")
    assert brief.data_sensitivity.value == "medium" and brief.constraints.hosting_terms.no_training
