"""The no_template_seams check (documents/seam_checks.py): each kind of seam fails, the written form passes."""

from __future__ import annotations

import pytest

from genai_planner.documents.checks import CheckContext, run_checks
from genai_planner.documents.specs import CheckSpec, load_document_specs

PASSING = """# Use Case Selection

## Problem statement

Solar Pro와 Gemini 2.0 Flash를 비교합니다. 영어로 동작합니다. Sizing: 2 x L4 at FP8, 1 replica, up to 1 request in flight.
Send staff's requests to the runner-up; the budget (no stated budget) is not a limit.

| Category | Weight | Why |
| --- | --- | --- |
| Quality | 40 | stated: "Trained volunteers answer calls" |

- [ ] Agree targets [S1]

## Sources

- [S1] Planning figures — calculated for this plan from the use case
"""

FAILING = [
    ("placeholder particle", "Solar Pro와 Gemini 2.0 Flash를", "Solar Pro과(와) Gemini 2.0 Flash을(를)"),
    ("placeholder particle", "영어로 동작", "영어(으)로 동작"),
    ("optional plural", "1 replica,", "1 replica(s),"),
    ("number agreement", "1 request in flight", "1 requests in flight"),
    ("doubled word", "is not a limit", "is not not a limit"),
    ("empty slot", "the budget (no stated budget) is", "the budget is no stated budget, is"),
    ("empty slot", "Send staff's requests to the runner-up", "Send staff's requests to the () runner-up"),
    ("zero flow", "up to 1 request in flight", "up to 0 requests an hour"),
    ("internal reference", "calculated for this plan from the use case", "`figures:planning`"),
    ("scientific notation", "2 x L4 at FP8", "about 8.691e+04 a month"),
    ("scientific notation", "Gemini 2.0 Flash를 비교합니다", "월 약 8.69e+04건 기준"),
    ("internal reference", "calculated for this plan from the use case", "`kb/en/use_case_selection.md#Writing`"),
    ("broken table row", 'stated: "Trained volunteers answer calls" |', 'stated: "Trained\nvolunteers answer calls" |'),
    ("broken table row", "| Quality | 40 |", "| Quality | 40 | 7 |"),
]


def _run(text: str, language: str = "en"):
    spec = load_document_specs()["1"]
    return run_checks([CheckSpec(id="seams", type="no_template_seams")], text, CheckContext(language=language, spec=spec))[0]


def test_a_document_written_as_prose_passes() -> None:
    result = _run(PASSING)
    assert result.passed, result.detail


@pytest.mark.parametrize("kind, good, bad", FAILING, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(FAILING)])
def test_each_seam_fails_the_check(kind: str, good: str, bad: str) -> None:
    assert good in PASSING
    result = _run(PASSING.replace(good, bad, 1))
    assert not result.passed and kind in result.detail, result.detail


def test_korean_zero_flow_and_empty_value() -> None:
    assert not _run(PASSING.replace("비교합니다", "최대 시간당 0건을 처리합니다"), "ko").passed
    assert not _run(PASSING.replace("비교합니다", "예산은 명시된 예산 없음입니다"), "ko").passed


def test_prose_that_says_a_value_is_missing_is_not_an_empty_slot() -> None:
    # A writer's own sentence (the relay run's strong model wrote it) is not the slot seam 'the budget is no stated budget'.
    assert _run(PASSING.replace("비교합니다", "비교합니다. There is no stated budget, so costs are compared with the figures"), "en").passed
    assert _run(PASSING.replace("비교합니다", "비교하며 해당 사항 없음으로 표시합니다"), "ko").passed


def test_every_document_spec_runs_the_check() -> None:
    for spec in load_document_specs().values():
        assert any(c.type == "no_template_seams" for c in spec.checks), spec.id
