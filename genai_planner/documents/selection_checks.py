"""Document 2's model-choice checks: the rubric's weights, the candidates against the catalog and the
gates, the key factors, and the recommendation with its runner-up.

Registered with `genai_planner.documents.checks` (imported at the end of that module), which keeps
`find_recommendation`, `marker` and `violates_constraints` importable from there too.
"""

from __future__ import annotations

import re
from typing import Any

from genai_planner.core.languages import missing as missing_languages
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CheckContext, _scope, check
from genai_planner.documents.specs import DocumentSpec


def _number(cell: str) -> float | None:
    match = re.search(r"-?\d+(?:\.\d+)?", cell.replace(",", ""))
    return float(match.group()) if match else None


def _column(header: list[str], *names: str) -> int | None:
    for i, cell in enumerate(header):
        lowered = cell.lower()
        if any(name in lowered for name in names):
            return i
    return None


WEIGHT_HEADERS = ("weight", "가중치")


@check("table_weights")
def table_weights(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """A scoring table whose weight column adds up to `total`, with at least `min_rows` rows."""
    ((sid, text),) = _scope(doc, params, ctx)
    if text is None:
        return False, f"section '{sid}' is missing"
    rows = md.table_rows(text)
    if len(rows) < 2:
        return False, f"{sid} has no Markdown table (header | rows)"
    col = _column(rows[0], *WEIGHT_HEADERS)
    if col is None:
        return False, f"{sid} table has no 'Weight' column"
    weights = [_number(r[col]) for r in rows[1:] if col < len(r)]
    if any(w is None for w in weights):
        return False, f"{sid} table has a weight that is not a number"
    total = sum(w for w in weights if w is not None)
    minimum = int(params.get("min_rows", 1))
    if len(weights) < minimum:
        return False, f"{sid} table has {len(weights)} categories, expected at least {minimum}"
    if abs(total - float(params.get("total", 100))) > 0.01:
        return False, f"{sid} weights add up to {total:g}, expected {params.get('total', 100)}"
    return True, f"{len(weights)} categories, weights add up to {total:g}"


def catalog_names(ctx: CheckContext) -> dict[str, dict[str, Any]]:
    """Catalog entries keyed by lower-cased display name."""
    return {m["name"].lower(): m for m in ctx.catalog}


def violates_constraints(model: dict[str, Any], constraints: dict[str, Any]) -> str | None:
    """Why `model` cannot meet the hard constraints, or None when it can."""
    if constraints.get("on_premises") and "on-premises" not in model.get("hosting", []):
        return f"{model['name']} cannot run on-premises"
    for lang in missing_languages(model, constraints.get("languages", [])):
        return f"{model['name']} does not document language '{lang}'"
    return None


@check("candidates")
def candidates(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The candidates table scores at least `min_rows` real catalog models that meet the constraints."""
    ((sid, text),) = _scope(doc, params, ctx)
    if text is None:
        return False, f"section '{sid}' is missing"
    rows = md.table_rows(text)
    if len(rows) < 2:
        return False, f"{sid} has no Markdown table of candidates"
    names = catalog_names(ctx)
    found = []
    for row in rows[1:]:
        name = re.sub(r"[*_`]", "", row[0]).strip().lower()
        model = names.get(name)
        if model is None:
            return False, f"candidate '{row[0]}' is not in the model catalog"
        reason = violates_constraints(model, ctx.constraints)
        if reason:
            return False, f"candidate excluded by a hard constraint: {reason}"
        found.append(model["name"])
    if len(found) < int(params.get("min_rows", 3)):
        return False, f"{sid} scores {len(found)} candidates, expected at least {params.get('min_rows', 3)}"
    return True, f"{len(found)} catalog candidates scored"


DEFAULT_MARKERS = {"recommended": {"en": "Recommended model", "ko": "권장 모델"}, "runner_up": {"en": "Runner-up", "ko": "차선 모델"}}


def marker(spec: DocumentSpec | None, name: str, language: str) -> str:
    """A marker's exact words from the document's contract (the shared defaults when it has none)."""
    if spec is not None and name in spec.markers:
        return spec.markers[name].get(language)  # type: ignore[arg-type]
    return DEFAULT_MARKERS[name][language]


def marker_value(text: str, words: str) -> str | None:
    """The value after 'Marker:' on a line, bold or plain ('**Recommended model:** X [S1]' -> 'X')."""
    pattern = rf"(?:^|\n)\s*[-*]?\s*\**\s*{re.escape(words)}\s*:?\s*\**\s*:?\s*([^\n\[]+)"
    match = re.search(pattern, text, re.IGNORECASE)
    if not match:
        return None
    value = re.sub(r"[*_`]", "", match.group(1)).strip().rstrip(".;,")
    return value or None


def find_recommendation(text: str, spec: DocumentSpec | None = None, language: str = "en") -> tuple[str | None, str | None]:
    """The recommended model and runner-up named in a recommendation section, by the contract's markers.

    Without a spec, both languages' default markers are tried (reading an old document).
    """
    languages = [language] if spec is not None else ["en", "ko"]
    rec = next((v for lang in languages if (v := marker_value(text, marker(spec, "recommended", lang)))), None)
    run = next((v for lang in languages if (v := marker_value(text, marker(spec, "runner_up", lang)))), None)
    return rec, run


@check("key_factors")
def key_factors(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The key-factor marker stands on the factors the figures weigh highest (and only on those)."""
    ((sid, text),) = _scope(doc, params, ctx)
    if text is None:
        return False, f"section '{sid}' is missing"
    words = ctx.spec.markers["key_factor"].get(ctx.language) if "key_factor" in ctx.spec.markers else None  # type: ignore[arg-type]
    if not words:
        return True, "the contract defines no key-factor marker"
    marked = [item for item in md.list_items(text) if words.lower() in item.lower()]
    if not marked:
        return False, f"no factor carries the marker '({words})'"
    want = len(ctx.figures.get("key_factors") or []) or None
    if want and len(marked) != want:
        return False, f"{len(marked)} factors carry '({words})'; mark exactly the {want} the rubric weighs highest"
    return True, f"{len(marked)} key factors marked"


@check("recommendation")
def recommendation(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """One recommended catalog model (and a runner-up) that meet the hard constraints."""
    ((sid, text),) = _scope(doc, params, ctx)
    if text is None:
        return False, f"section '{sid}' is missing"
    rec, runner = find_recommendation(text, ctx.spec, ctx.language)
    label = f"**{marker(ctx.spec, 'recommended', ctx.language)}:**"
    if not rec:
        return False, f"no '{label} <name>' line"
    names = catalog_names(ctx)
    for name in filter(None, [rec, runner]):
        model = names.get(name.lower())
        if model is None:
            return False, f"'{name}' is not a model in the catalog"
        reason = violates_constraints(model, ctx.constraints)
        if reason:
            return False, f"recommendation breaks a hard constraint: {reason}"
    if not runner:
        if ctx.figures and not ctx.figures.get("runner_up"):
            return True, f"recommends {rec}; no runner-up passes every gate ({ctx.figures.get('shortfall') or 'shortfall'})"
        return False, f"no '**{marker(ctx.spec, 'runner_up', ctx.language)}:** <name>' line"
    return True, f"recommends {rec} (runner-up {runner})"
