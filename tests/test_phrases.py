"""Phrases that are phrases (planning/phrases.py): what the brief extractor hands the templates is a noun phrase."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from genai_planner.planning.extract import extract_brief
from genai_planner.planning.phrases import is_thing, noun_phrase, trimmed_phrase

ROOT = Path(__file__).resolve().parents[1]


def _use_cases() -> list[tuple[str, dict, str]]:
    cases = []
    for path in sorted((ROOT / "tests" / "data" / "briefs").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            cases.append((case["id"], {"name": case["id"], "use_case": case["use_case"]}, case.get("language", "en")))
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases.append((path.stem, scenario, "ko" if path.stem.endswith("_ko") else "en"))
    return cases


CASES = _use_cases()


@pytest.mark.parametrize(
    "fragment",
    ["less documentation", "s playbook", "We want drafts", "needs its Japanese subtitles", "include employees", "generated automatically",
     "are confidential", "Ashford College's tutors give", "작성하는 데", "데 문서", "설계팀은 도면", "맞춰 피드백", "상담사가 약관"],
)
def test_fragments_are_not_phrases(fragment: str) -> None:
    assert noun_phrase(fragment) is None


@pytest.mark.parametrize(
    "value, phrase",
    [("repair estimates", "repair estimates"), ("mayor's office", "mayor's office"), ("help centre", "help centre"),
     ("질문만을", "질문"), ("상담 기록을", "상담 기록"), ("경위서", "경위서"), ("쉬운 안내문", "쉬운 안내문"), ("승인된 답변", "승인된 답변")],
)
def test_noun_phrases_pass_and_lose_a_final_particle(value: str, phrase: str) -> None:
    assert noun_phrase(value) == phrase


def _reads_as_phrase(value: str) -> bool:
    """A counted noun or a metric name: a noun phrase, or words with no function word, pronoun or auxiliary at either edge."""
    return trimmed_phrase(value, "\u0000") == value


@pytest.mark.parametrize(
    "value, trimmed",
    [("inpatients on", "inpatients"), ("calls and web chats", "calls and web chats"), ("time taken", "time taken"), ("of the", "items"), ("we want", "items")],
)
def test_a_counted_noun_loses_the_words_of_a_cut_clause(value: str, trimmed: str) -> None:
    assert trimmed_phrase(value, "items") == trimmed


@pytest.mark.parametrize("value", ["people", "callers", "Success means notes"])
def test_people_and_clauses_are_not_inputs_or_outputs(value: str) -> None:
    assert not (is_thing(value) and noun_phrase(value) == value)


def test_every_use_case_gives_the_templates_noun_phrases_only() -> None:
    """Every labelled use case (all splits, both languages) and every shipped scenario, through the extractor."""
    fragments = []
    for case_id, scenario, language in CASES:
        brief = extract_brief(scenario, language)
        for field in ("inputs", "outputs", "users", "stakeholders"):
            for text in getattr(brief, field):
                if text.evidence.source in {"stated", "inferred"} and noun_phrase(text.value) != text.value:  # not the YAML's own labels
                    fragments.append(f"{case_id} {field}: {text.value!r}")
                if field in {"inputs", "outputs"} and not is_thing(text.value):
                    fragments.append(f"{case_id} {field} names people: {text.value!r}")
        # What a volume counts and what a baseline measures are pasted into sentences too ('95 inpatients per day').
        for volume in brief.volumes:
            if not _reads_as_phrase(volume.what):
                fragments.append(f"{case_id} volume: {volume.what!r}")
        for baseline in brief.baselines:
            if not _reads_as_phrase(baseline.metric):
                fragments.append(f"{case_id} baseline: {baseline.metric!r}")
    assert len(CASES) > 80
    assert not fragments, fragments
