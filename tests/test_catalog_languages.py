"""Languages from model cards: ISO 639 through langcodes, official vs claimed tiers, one gate for prose and YAML."""

from __future__ import annotations

import pytest

from genai_planner.core import languages
from genai_planner.core.scenario import Constraints
from genai_planner.documents.checks import violates_constraints
from genai_planner.planning.prose import Prose
from genai_planner.planning.terms import read_languages
from genai_planner.tools.catalog import load_catalog

CATALOG = {m["id"]: m for m in load_catalog()}


def test_norwegian_macrolanguage_and_names() -> None:
    assert languages.covers("no", "nb") and languages.covers("nb", "no") and not languages.covers("nb", "nn")
    assert languages.name("no") == "Norwegian" and languages.name("sv", "ko") == "스웨덴어"
    assert languages.normalise("iw") == "he"


def test_tiers_from_model_cards() -> None:
    assert languages.tier(CATALOG["gemini-2.5-pro"], "no") == languages.OFFICIAL
    assert languages.tier(CATALOG["gemini-2.5-pro"], "nb") == languages.OFFICIAL
    assert languages.tier(CATALOG["gemma-3-27b-it"], "sv") == languages.CLAIMED  # "over 140 languages"
    assert languages.tier(CATALOG["command-r-plus"], "vi") == languages.CLAIMED
    assert languages.tier(CATALOG["llama-3.3-70b-instruct"], "sv") is None
    assert violates_constraints(CATALOG["gemma-3-27b-it"], {"languages": ["no"]}) is None
    assert violates_constraints(CATALOG["gpt-4o"], {"languages": ["no"]})


def test_every_catalog_language_is_an_iso_code() -> None:
    for model in CATALOG.values():
        for code in [*(model.get("languages") or []), *(model.get("languages_claimed") or [])]:
            assert isinstance(code, str) and languages.is_iso_639_1(code), (model["id"], code)


def test_scenario_languages_accept_codes_and_names_and_refuse_the_unknown() -> None:
    assert Constraints(languages=["NO", "nb", "sv"]).languages == ["no", "nb", "sv"]
    # A user writes the name as often as the code: English names and the language's own name are read.
    assert Constraints(languages=["Arabic", "English", "isiZulu", "Português", "한국어"]).languages == ["ar", "en", "zu", "pt", "ko"]
    for unknown in ["klingon", "Norway", "Brazil"]:  # a place is not a language
        with pytest.raises(ValueError, match=f"unknown language '{unknown}'"):
            Constraints(languages=[unknown])


def test_an_iso_639_1_code_with_a_successor_is_accepted() -> None:
    """'tl' (Tagalog) is ISO 639-1; langcodes replaces it with the three-letter 'fil', which must not refuse it."""
    assert Constraints(languages=["en", "tl"]).languages[0] == "en"
    assert len(Constraints(languages=["en", "tl"]).languages) == 2
    with pytest.raises(ValueError, match="unknown language 'tlh'"):
        Constraints(languages=["tlh"])


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Agents answer emails in Norwegian and Swedish about orders.", ["no", "sv"]),
        ("Our Icelandic-speaking staff answer questions; we translate into Latvian.", ["is", "lv"]),
        ("We work on no weekends, in English.", ["en"]),
    ],
)
def test_prose_languages(text: str, codes: list[str]) -> None:
    assert [code for code, _, _ in read_languages(Prose(text))] == codes


def test_one_currency_table_covers_every_accepted_currency() -> None:
    from genai_planner.planning.brief import Money
    from genai_planner.planning.extract import to_usd
    from genai_planner.planning.lexicon import lexicon

    rates = lexicon("fx")["per_usd"]
    assert "usd_rates" not in lexicon("units")["currencies"]  # one table, not two
    for code in [*lexicon("units")["currencies"]["codes"], "NOK", "SEK", "DKK", "CHF", "VND"]:
        assert code in rates, code
    assert to_usd(Money(amount=101000, currency="NOK")) == 10000.0


@pytest.mark.parametrize("language_words", ["Norwegian", "Swedish"])
def test_a_nordic_use_case_recommends_a_model_that_documents_the_language(language_words: str) -> None:
    from genai_planner.core.scenario import Scenario
    from genai_planner.planning.compute import compute_figures
    from genai_planner.planning.extract import extract_brief

    scenario = Scenario(name="nordic", organisation="Fjord Retail AS", use_case=f"Fjord Retail answers about 800 customer emails a day in {language_words}.")
    brief = extract_brief(scenario, "en")
    code = {"Norwegian": "no", "Swedish": "sv"}[language_words]
    assert code in brief.constraints.languages.value
    figures = compute_figures(brief, load_catalog(), "en")
    recommended = next(m for m in CATALOG.values() if m["name"] == figures.recommended)
    assert languages.tier(recommended, code) == languages.OFFICIAL
    claimed = next(s for s in figures.scores if s.model == "Gemma 3 27B IT")
    assert "over 140 languages" in claimed.reasons["language"] and claimed.scores["language"] < figures.scores[0].scores["language"]


def test_a_norwegian_run_completes_offline(tmp_path) -> None:
    from typer.testing import CliRunner

    from genai_planner.cli import app

    path = tmp_path / "oslo.yaml"
    path.write_text(
        "name: oslo\norganisation: Fjord Retail AS\nuse_case: Fjord Retail answers about 800 customer emails a day in Norwegian and Swedish.\n"
        "constraints: {languages: [no, sv]}\ndocuments: [1, 2]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["run", str(path), "--engine", "offline", "--no-memory", "-o", str(tmp_path / "runs")])
    assert result.exit_code == 0, result.output
    doc = next((tmp_path / "runs").glob("*/02_model_selection.md")).read_text(encoding="utf-8")
    assert "**Recommended model:** Gemini" in doc
