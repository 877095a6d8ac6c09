"""Free-text constraints a user writes in YAML join the prose the brief reads, instead of a refusal up front."""

from __future__ import annotations

import pytest

from genai_planner.core.errors import InputError
from genai_planner.core.scenario import parse_scenario
from genai_planner.planning.extract import extract_brief


def _scenario(constraints: dict, language: str = "en"):
    return parse_scenario({"name": "x", "language": language, "use_case": "Our 40 claims handlers answer broker emails.", "constraints": constraints})


def test_free_text_constraints_become_stated_sentences_of_the_use_case():
    s = _scenario({"budget": "EUR 4,000 a month", "users": 40, "success_criteria": ["Cut handling time from 12 to 7 minutes", "Must never quote a premium"],
                   "data_residency": "data must stay in Germany", "on_premises": False})
    assert "Budget: EUR 4,000 a month." in s.use_case
    assert "Users: 40 users." in s.use_case
    assert "- Cut handling time from 12 to 7 minutes" in s.use_case and "- Must never quote a premium" in s.use_case
    assert "Data residency: data must stay in Germany." in s.use_case
    assert s.constraints.data_residency is None  # free text is prose, not the typed field
    brief = extract_brief(s, "en")
    budget = brief.constraints.monthly_budget
    assert budget is not None and budget.value.currency == "EUR" and budget.value.amount == pytest.approx(4000)
    assert budget.evidence.source == "stated"


def test_typed_values_stay_typed_and_korean_labels_follow_the_run_language():
    s = _scenario({"data_residency": "on_premises", "latency": "batch"})
    assert s.constraints.data_residency == "on_premises" and s.constraints.latency == "batch"
    assert "Stated as constraints" not in s.use_case
    ko = _scenario({"budget": "월 500만 원", "users": 60}, "ko")
    assert "예산: 월 500만 원." in ko.use_case and "사용자 수: 60명." in ko.use_case


def test_a_constraint_that_is_neither_text_nor_a_list_of_texts_is_one_line_error():
    with pytest.raises(InputError, match="constraints.budget must be text"):
        _scenario({"budget": {"amount": 5}})


def test_hardware_written_as_text_is_read_from_the_prose_and_a_typed_list_stays_typed():
    """`hardware: "3 x NVIDIA L4, owned"` is how people write it; the brief reads the GPUs from that sentence."""
    s = _scenario({"hardware": "3 x NVIDIA L4 in our own server room"})
    assert "Hardware we own: 3 x NVIDIA L4 in our own server room." in s.use_case and s.constraints.hardware is None
    hw = extract_brief(s, "en").constraints.hardware
    assert [(h.accelerator, h.count, h.memory_gb) for h in hw] == [("NVIDIA L4", 3, 24.0)]
    ko = _scenario({"hardware": ["NVIDIA A100 80GB x 2"]}, "ko")
    assert "보유 장비: NVIDIA A100 80GB x 2." in ko.use_case
    typed = _scenario({"hardware": [{"accelerator": "A100", "count": 2}]})
    assert typed.constraints.hardware[0].count == 2 and "Stated as constraints" not in typed.use_case
