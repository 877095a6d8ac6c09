"""Word-list patterns are compiled only for texts that can match them, with the compiled pattern's results.

`planning/lexicon.rx` answers "no match" by a substring test while a pattern's required
text is absent (most of the ~1,000 word-list patterns a run reads never match). These tests
pin that the test is sound (every match holds the text) and that results equal `re`'s.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from genai_planner.planning.lexicon import DATA_DIR, lexicon, required_text, rx

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"\bwarehouses?\b", "warehouse"),
        (r"(?:\b([a-z][a-z-]+)\s+)?\b(receptionists)\b", "receptionists"),
        (r"\bsummar(?:y|ies|ise)\b", "summar"),
        (r"(?<![가-힣])말레이시아어", "말레이시아어"),
        (r"\bclinical\s+(?:study|trial)\s+reports?\b", "clinical"),
        (r"\bgramm[\s-]leach[\s-]bliley\b", "bliley"),
        (r"(?<!data\s)\bshops?\b(?![- ]floor)", "shop"),
        (r"ab+c", "a"),  # one character: not worth a test
    ],
)
def test_required_text(pattern: str, text: str) -> None:
    assert required_text(pattern) == (text if len(text) > 1 else None)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(?:cloud|hosted)\b",  # alternation: no text is required
        r"cloud|on-prem",
        r"(?i)warehouse",  # case-insensitive: a substring test would be wrong
        r"(?x) ware house",  # verbose: spaces are not text
        r"\x41pple",  # an escape names a character this reader does not decode
        r"(?:warehouse)?s",
        r"(?:ware|house)hold",
    ],
)
def test_no_required_text_where_none_is_sure(pattern: str) -> None:
    found = required_text(pattern)
    assert found is None or found == "hold", found


def _corpus() -> list[str]:
    files = [*ROOT.glob("scenarios/*.yaml"), *sorted((ROOT / "tools" / "data" / "knowledge").rglob("*.md"))[::6]]
    return [f.read_text(encoding="utf-8").lower() for f in files]


def _data_patterns() -> list[str]:
    """Every pattern-looking string of the planning data files."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str) and any(c in value for c in "\\()[]?+*"):
            try:
                re.compile(value)
            except re.error:
                return
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in sorted(DATA_DIR.glob("*.yaml")):
        walk(lexicon(path.stem))
    return found


def test_every_data_pattern_gives_the_compiled_patterns_results() -> None:
    """Over the shipped texts: every match holds the required text, and rx's answers are re's."""
    patterns = _data_patterns()
    assert len(patterns) > 300
    corpus = _corpus()
    prefiltered = 0
    for pattern in patterns:
        text = required_text(pattern)
        prefiltered += text is not None
        compiled, lazy = re.compile(pattern), rx(pattern)
        for doc in corpus:
            expected = [(m.span(), m.groups()) for m in compiled.finditer(doc)]
            assert all(text in doc[a:b] for (a, b), _ in expected) if text else True, pattern
            assert [(m.span(), m.groups()) for m in lazy.finditer(doc)] == expected, pattern
    assert prefiltered > len(patterns) // 2


def test_a_pattern_is_compiled_only_for_a_text_that_can_match() -> None:
    pattern = rx(r"\bwarehouses?\b(?!-test-only)")
    assert pattern.search("a shop floor with no store room") is None
    assert list(pattern.finditer("nothing here")) == []
    assert pattern._compiled is None  # never compiled: no text held 'warehouse'
    assert pattern.search("two warehouses").group(0) == "warehouses"
    assert pattern.sub("depot", "one warehouse") == "one depot"


def test_model_mentions_search_only_the_spellings_the_text_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """`documents.model_names.mentions` runs a regex for a spelling only when the text holds it."""
    from genai_planner.documents import model_names
    from genai_planner.tools.catalog import load_catalog

    catalog = load_catalog()
    name = catalog[0]["name"]
    searched: list[str] = []
    real = re.finditer

    def counting(pattern: str, text: str, *args: object) -> object:
        searched.append(pattern)
        return real(pattern, text, *args)

    monkeypatch.setattr(model_names.re, "finditer", counting)
    assert model_names.mentions("a plan that names no model at all", catalog) == []
    assert searched == []
    found = model_names.mentions(f"we recommend {name} for the pilot", catalog)
    assert [n for _, _, n in found] == [name]
    assert 0 < len(searched) < 10
