"""A busiest hour stated as a count, with a season's share beside it: the plan sizes for count x share, and the
check comparing documents with the brief accepts exactly that figure (both read `planning.peaks`).

Our own sentences: a ferry operator's chat, 'about 30 chats an hour at peak' and 'July is roughly 40% busier'.
"""

from __future__ import annotations

from genai_planner.documents.checks import CheckContext, run_checks
from genai_planner.documents.specs import CheckSpec, load_document_specs
from genai_planner.planning import peaks
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())
FERRY = (
    "Our ferry company answers passengers on the web chat while they wait for a reply. At peak (Sunday afternoons) "
    "we get about 30 chats an hour, and July is roughly 40% busier than our average month because of the holidays."
)


def _brief(text: str = FERRY):
    return extract_brief({"name": "ferry", "organisation": "Fjordline Ferries", "use_case": text}, "en")


def test_the_season_multiplies_the_stated_busiest_hour():
    brief = _brief()
    assert peaks.peak_hour_counts(brief.volumes) == [30.0, 42.0]
    cap = compute_figures(brief, CATALOG, "en").capacity
    assert cap.season_uplift == 1.4
    assert cap.peak_items_per_hour == 42.0  # 30 x 1.4: the client's busiest hour in the busy season


def test_a_stated_busiest_hour_is_not_overruled_by_an_assumed_volume():
    """With no daily or monthly volume, the day follows from the stated hour: the assumed default volume (far more
    items an hour on average than the client's own peak) no longer sets the busiest hour."""
    brief = _brief(FERRY.replace(", and July is roughly 40% busier than our average month because of the holidays", ""))
    assert peaks.peak_hour_counts(brief.volumes) == [30.0]
    cap = compute_figures(brief, CATALOG, "en").capacity
    assert cap.peak_items_per_hour == 30.0


def _brief_facts(text: str) -> tuple[bool, str]:
    brief = _brief().model_dump(mode="json")
    spec = load_document_specs()["5"]
    ctx = CheckContext(language="en", spec=spec, brief=brief, figures={})
    doc = f"# Deployment\n\n## Pre-deployment preparation\n\n{text}\n"
    result = run_checks([CheckSpec(id="brief_facts", type="brief_facts")], doc, ctx)[0]
    return result.passed, result.detail


def test_the_check_accepts_the_figures_the_plan_computes_and_rejects_others():
    assert _brief_facts("Size for 42 chats an hour at peak (1.4x the usual load).")[0]
    assert _brief_facts("The client sees about 30 chats an hour at peak.")[0]
    passed, detail = _brief_facts("Size for 62 chats an hour at peak.")
    assert not passed and "62" in detail
    passed, detail = _brief_facts("Size for the peak at 3x the usual load.")  # a multiple the client never stated
    assert not passed and "3 times" in detail
