"""The rubric a document shows against the one the planning figures computed.

`rubric_arithmetic` checks that a document's rubric adds up; these helpers check that it is
the run's rubric: each category's weight and each candidate's per-category score equal the
figures' (a self-consistent table of invented scores adds up, and is still wrong). Categories
are matched by meaning (`planning.compute.category_of`), models through their aliases.
"""

from __future__ import annotations

from typing import Any

from genai_planner.documents import model_names
from genai_planner.planning.compute import category_of


def weight_problem(weights: dict[str, float], figures: dict[str, Any], language: str) -> str | None:
    """Why the document's weights (label -> weight) differ from the figures', or None."""
    computed = {w["category"]: float(w["weight"]) for w in figures.get("weights", [])}
    for label, weight in weights.items():
        category = category_of(label, language)
        if category in computed and abs(computed[category] - weight) > 0.01:
            return f"rubric weight of '{label}' is {weight:g}; the planning figures give {computed[category]:g} (the weights come from the figures)"
    return None


def score_problem(model: str, scores: dict[str, float], figures: dict[str, Any], catalog: list[dict[str, Any]], language: str) -> str | None:
    """Why a candidate row's scores (label -> score) differ from the figures' scores of that model, or None."""
    rows = {s["model"]: s for s in figures.get("scores", [])}
    known = [m for m in catalog if m.get("name") in rows] or [{"name": n} for n in rows]
    found = model_names.resolve(model, known)
    if found is None:
        return None
    computed = rows[found["name"]].get("scores") or {}
    for label, score in scores.items():
        category = category_of(label, language)
        if category in computed and abs(float(computed[category]) - score) > 0.01:
            return f"row '{model}': score {score:g} under '{label}'; the planning figures score {found['name']} {computed[category]} there ({category})"
    return None
