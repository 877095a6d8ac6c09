"""How the brief reads a client's own sentences (written for these tests, in sectors the shipped scenarios lack).

Each rule here is general: a residency rule naming any country, a stated peak, who uses, checks and
approves, a release gate named after what it forbids, and phrases that are phrases.
"""

from __future__ import annotations

import pytest

from genai_planner.planning.extract import extract_brief
from genai_planner.planning.routes import hosting_reading


def _brief(text: str, lang: str = "en"):
    return extract_brief({"use_case": text, "language": lang}, lang)


# ----------------------------------------------------------------------------- residency


@pytest.mark.parametrize(
    "text, lang, regions",
    [
        ("Our river-freight dispatchers want a daily cargo summary. Vessel data must stay in New Zealand.", "en", ["NZ"]),
        ("A dairy co-operative drafts supplier letters; farm records must be kept in the Netherlands.", "en", ["NL"]),
        ("The lottery board answers player questions, and all ticket data must stay in Tuvalu.", "en", ["Tuvalu"]),  # a country the table lacks
        ("검침원 20명이 민원 답변 초안을 검토합니다. 데이터는 국내에만 보관해야 합니다.", "ko", ["KR"]),
    ],
)
def test_a_country_named_in_a_stay_rule_pins_the_region(text: str, lang: str, regions: list[str]) -> None:
    c = _brief(text, lang).constraints
    reading = hosting_reading(c.data_residency.value, c.hosting_terms)
    assert reading.where == "provider_region"
    assert reading.regions == regions


def test_a_place_inside_the_organisation_is_not_a_country() -> None:
    c = _brief("Claims handlers review each letter. The data must stay in the building.").constraints
    assert c.data_residency.value == "on_premises" and c.hosting_terms.data_stays_in == []
