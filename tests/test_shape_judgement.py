"""Shape judgements a senior reviewer found wrong on fresh use cases (issue 24 items 3, 5, 6; issue 26).

Each rule is pinned on sentences written for this file: the stock of approved pairs stays an
estimate with its assumption; (further items below).
"""

from __future__ import annotations

from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.planning.shape import fine_tune_data
from genai_planner.tools.catalog import load_catalog

CATALOG = list(load_catalog())


def brief(text: str, language: str = "en", **scenario):
    return extract_brief({"name": "case", "use_case": text, **scenario}, language)


# ----------------------------------------------------------------------------- approved pairs are an estimate


def test_approved_pairs_are_an_estimate_if_kept_when_the_brief_never_mentions_past_outputs():
    _, enough, text = fine_tune_data(2000, 150, "Tern", "en")
    assert enough
    assert text.startswith("if the last 12 months of approved outputs are kept") and "confirm in discovery" in text
    assert "give about" not in text.split("would")[0]  # never 'the last 12 months give about N approved pairs'
    _, short, text = fine_tune_data(10, 30, "Tern", "en")
    assert not short and "even if the last 12 months" in text and "estimate" in text
    ko = fine_tune_data(2000, 150, "Tern", "ko")[2]
    assert "남아 있다면" in ko and "추정" in ko and "확인" in ko


def test_a_mentioned_archive_is_counted_but_still_an_estimate():
    _, _, text = fine_tune_data(2000, 150, "Tern", "en", history_stated=True)
    assert "the past approved outputs the use case mentions" in text and "estimated" in text and "confirm the count in discovery" in text


def test_the_brief_records_whether_past_outputs_are_kept():
    silent = brief("Our claims team of 30 drafts 400 settlement letters a week from the claim file.")
    archive = brief(
        "Our claims team of 30 drafts 400 settlement letters a week from the claim file. We keep an archive of signed settlement letters since 2019."
    )
    korean = brief("보상팀은 청구 파일로 매주 합의 안내문 400건을 작성합니다. 그동안 작성한 안내문은 모두 보관된 상태입니다.", "ko")
    assert silent.task_shape is not None and not silent.task_shape.history_stated
    assert archive.task_shape is not None and archive.task_shape.history_stated
    assert korean.task_shape is not None and korean.task_shape.history_stated
    facts = document_facts(silent, compute_figures(silent, CATALOG, "en"), {}, "en")
    assert facts.values["ft_data"].startswith("if the last 12 months")
    facts = document_facts(archive, compute_figures(archive, CATALOG, "en"), {}, "en")
    assert "the use case mentions" in facts.values["ft_data"]
