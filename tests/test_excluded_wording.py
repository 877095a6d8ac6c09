"""The excluded-models line groups models that fail for the same reason: one clause per reason."""

from __future__ import annotations

from types import SimpleNamespace

from genai_planner.planning.facts import _excluded


def _gate(model: str, reason: str) -> SimpleNamespace:
    return SimpleNamespace(model=model, reasons=[reason])


def test_models_sharing_a_reason_share_one_clause():
    api = "API-only (no open weights), so it cannot run in the organisation's private cloud"
    line = _excluded([_gate("GPT-4o", api), _gate("GPT-4.1", api), _gate("Claude Sonnet 4", api)], "en")
    assert line == f"GPT-4o, GPT-4.1 and Claude Sonnet 4 (each: {api})"
    assert line.count(api) == 1


def test_several_reasons_are_clauses_and_the_rest_is_counted():
    gates = [_gate("A", "r1"), _gate("B", "r2"), _gate("C", "r1"), *[_gate(f"M{i}", "r3") for i in range(6)]]
    assert _excluded(gates, "en") == "A and C (each: r1); B (r2); M0, M1 and M2 (each: r3); and 3 more"
    assert _excluded(gates, "ko").endswith(" 외 3개")
