"""Document 1's readiness names the client's own people beside its data, so it is specific even when the inputs are
a common word; a readiness section of inputs and gaps alone still fails `specific_to_use_case`.

Our own use case: a port authority whose inputs are 'reports' (a word every plan uses, so no term of the brief).
"""

from __future__ import annotations

from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CHECKS, CheckContext
from genai_planner.documents.contract import resolve_contract
from genai_planner.documents.specs import load_document_specs
from genai_planner.models.offline.renderer import render_document
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())
SPEC = load_document_specs()["1"]
PORT = (
    "Our control-room dispatchers read about 300 incident reports a day from ships in the bay and sort each into one of 12 "
    "incident types before it is passed on. We want the reports classified and routed in under a minute."
)


def _readiness(text: str) -> str:
    heading = next(s.title.get("en") for s in SPEC.sections if s.id == "organisational_readiness")
    section = md.parse_document(text).find(heading)
    assert section is not None
    return section.text


def test_readiness_names_the_users_and_passes_while_inputs_and_gaps_alone_fail():
    brief = extract_brief({"name": "port", "organisation": "Bayview Port Authority", "use_case": PORT}, "en")
    figures = compute_figures(brief, CATALOG, "en")
    facts = document_facts(brief, figures, {}, "en", figures_ref="[S1]")
    users = facts.values["users"]
    assert users and "dispatcher" in users.lower()
    text = render_document(resolve_contract(SPEC, facts, "en"), [], "en", whole=True)
    readiness = _readiness(text)
    assert "dispatcher" in readiness.lower(), readiness
    ctx = CheckContext(language="en", spec=SPEC, catalog=CATALOG, brief=brief.model_dump(mode="json"), figures=figures.model_dump(mode="json"))
    check = CHECKS["specific_to_use_case"]
    params = {"sections": ["organisational_readiness"]}
    ok, detail = check(md.parse_document(text), params, ctx)
    assert ok, detail
    generic = text.replace(readiness, "Ready: reports. Gaps: a test set; confirming which data-protection rules apply.")
    ok, detail = check(md.parse_document(generic), params, ctx)
    assert not ok and "Organisational readiness" in detail, detail
