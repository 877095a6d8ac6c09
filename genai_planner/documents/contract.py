"""The document contract, resolved: what each section must say for this run, in concrete words.

A section spec (`documents/specs/*.yaml`) holds templates; the facts
(`planning.facts.document_facts`) hold this run's brief, figures and decisions. Resolving the
one with the other gives, per section: its heading, form, purpose, the items it must have
(each label with the concrete thing to say), table rows computed from the figures, and the
markers checks read. The writer's prompt carries this as the `<contract>` block, so a real
model and the offline engine write from the same contract, and the checks hold both to it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.core.yamlio import load_yaml
from genai_planner.documents import grammar
from genai_planner.documents.specs import Block, DocumentSpec, Point, SectionSpec
from genai_planner.planning.facts import PLACEHOLDERS, Facts, join, number

VOCABULARY_PATH = Path(__file__).parent / "specs" / "vocabulary.yaml"
PLACEHOLDER_RE = regex_cache.compile(r"\{([a-z_]+)(?::[^}]*)?\}")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, dict[str, str]]]:
    """Localised names the contract's tables use: rubric categories, metric kinds, yes/no."""
    return load_yaml(VOCABULARY_PATH)


def term(group: str, key: str, language: str) -> str:
    """One localised vocabulary word (the key itself when unknown)."""
    return vocabulary().get(group, {}).get(key, {}).get(language, key)


def condition_holds(expression: str | None, flags: dict[str, bool]) -> bool:
    """Evaluate 'a & !b' over the flags; an unknown flag is an error (caught when specs load)."""
    if not expression:
        return True
    for part in expression.split("&"):
        name = part.strip()
        negate = name.startswith("!")
        name = name.lstrip("!").strip()
        if name not in flags:
            raise KeyError(f"unknown condition {name!r}")
        if flags[name] == negate:
            return False
    return True


attach_particles = grammar.attach_particles
"""Kept under its old name: the particle rules live in `documents.grammar`."""


def fill(template: str, values: dict[str, Any], language: str = "en") -> str:
    """Substitute {placeholders} (an unknown one is an error, caught when specs load), then let the
    words around each value agree with it (particles, counts, possessives; `documents.grammar`).
    """
    if language == "en":
        template = grammar.agree_every(grammar.agree_verbs(template, values), values)
    text = grammar.finish(grammar.mark_possessives(template).format_map(values).strip(), language)
    if language == "en" and template.startswith("{") and text[:2].islower():
        text = text[0].upper() + text[1:]  # a sentence opened by a value: 'Executives sign off ...'
    return text


def _cell(value: Any, language: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return term("answer", "yes" if value else "no", language)
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else number(round(value))
    if isinstance(value, int):
        return number(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _name_retells(name: str, quote: str) -> bool:
    """Whether a metric named from the client's own words already says what its quote says (most of the name's
    words are in the quote): shortened to fit, the line then keeps the name and the target, not the words twice.
    """
    words = [w for w in re.findall(r"[^\W\d_]{3,}", name.lower())]
    if not words or not quote:
        return False
    low = quote.lower()
    return sum(w in low for w in words) >= 0.7 * len(words)


def _row_values(row: dict[str, Any], language: str) -> dict[str, Any]:
    """A row's fields plus the localised names tables and items show."""
    out = dict(row)
    if "kind" in row:
        out["kind_label"] = term("metric_kind", row["kind"], language)
    if "origin" in row:
        out["origin_label"] = term("origin", row["origin"], language)
        out["measured_label"] = term("measured", row.get("measured") or "test_set", language)
        out["measured_long"] = term("measured_long", row.get("measured") or "test_set", language)
        out["direction_label"] = term("direction", row.get("direction") or "", language)
        out["gate_label"] = term("gate", "yes" if row.get("release_gate") else "no", language)
    if "definition" in row:
        # Over the word limit a metric keeps its name, target and baseline: a client's criterion its own words as the
        # definition, a catalogue metric none (document 4 defines every metric in full).
        out["definition_short"] = "" if _name_retells(str(row.get("metric") or ""), str(row.get("quote") or "")) else row.get("quote") or ""
    if "baseline" in row:
        out["baseline_short"] = term("baseline", "pilot", language) if row.get("source") == "pilot" else row["baseline"]
    if "category" in row:
        out["category_name"] = term("category", row["category"], language)
        out["criteria"] = term("criteria", row["category"], language)
    if "reasons" in row and isinstance(row["reasons"], list):
        out["reason"] = "; ".join(row["reasons"])
    return out


def _rows(section: SectionSpec, facts: Facts) -> list[dict[str, Any]]:
    rows = facts.lists.get(section.rows or "", [])
    return rows[: section.limit] if section.limit else rows


def _table(section: SectionSpec, facts: Facts, language: str) -> dict[str, Any]:
    rows = _rows(section, facts)
    categories = [w["category"] for w in facts.lists.get("weights", [])]
    header: list[str] = []
    for col in section.columns:
        if col.value == "scores.*":
            header += [term("category", c, language) for c in categories]
        else:
            header.append(col.title.get(language))  # type: ignore[arg-type]
    body = []
    for row in rows:
        values = {**facts.values, **_row_values(row, language)}
        cells: list[str] = []
        for col in section.columns:
            if col.value == "scores.*":
                cells += [str(row.get("scores", {}).get(c, "—")) for c in categories]
            elif "{" in col.value:
                cells.append(fill(col.value, values, language))
            elif col.value == "total":
                cells.append(f"{row['total']:.2f}")
            else:
                cells.append(_cell(row.get(col.value), language))
        body.append([grammar.cell(c) for c in cells])
    return {"columns": header, "rows": body}


def _point(point: Point, values: dict[str, Any], spec: DocumentSpec, facts: Facts, language: str) -> dict[str, Any] | None:
    if not condition_holds(point.when, facts.flags):
        return None
    label = None
    if point.marker:
        label = spec.markers[point.marker].get(language)  # type: ignore[arg-type]
    elif point.label:
        label = fill(point.label.get(language), values, language)  # type: ignore[arg-type]
    out: dict[str, Any] = {"label": label, "text": fill(point.say.get(language), values, language)}  # type: ignore[arg-type]
    short = fill(grammar.short_template(point.say.get(language)), values, language)  # type: ignore[arg-type]
    empty_first = re.match(r"\s*[;:,.]\s*", short)  # a short form that left its first slot empty ('; target 90%')
    if empty_first:
        short = short[empty_first.end() :]
        short = short[:1].upper() + short[1:]
    if short != out["text"]:
        out["short"] = short  # the same point with each list cut to its first item, for a writer over the word limit
    if point.optional:
        out["optional"] = True
    if point.factor and point.factor in facts.key_factors:
        out["key"] = True
    return out


def _points(points: list[Point], section: SectionSpec, spec: DocumentSpec, facts: Facts, language: str) -> list[dict[str, Any]]:
    out = []
    if section.rows and section.each and points is section.points:
        for row in _rows(section, facts):
            item = _point(section.each, {**facts.values, **_row_values(row, language)}, spec, facts, language)
            if item:
                out.append(item)
    for point in points:
        item = _point(point, facts.values, spec, facts, language)
        if item:
            out.append(item)
    return out


def _block(block: Block, section: SectionSpec, spec: DocumentSpec, facts: Facts, language: str) -> dict[str, Any]:
    return {"label": block.label.get(language), "form": block.form, "points": _points(block.points, section, spec, facts, language)}  # type: ignore[arg-type]


def resolve_section(section: SectionSpec, spec: DocumentSpec, facts: Facts, language: str) -> dict[str, Any]:
    """One section's contract with every template filled from this run's facts."""
    out: dict[str, Any] = {
        "id": section.id,
        "heading": section.title.get(language),  # type: ignore[arg-type]
        "form": section.form,
        "purpose": fill(section.purpose.get(language), facts.values, language),  # type: ignore[arg-type]
    }
    if section.form == "table":
        out["table"] = _table(section, facts, language)
    elif section.form == "blocks":
        out["blocks"] = [_block(b, section, spec, facts, language) for b in section.blocks]
    else:
        out["points"] = _points(section.points, section, spec, facts, language)
    after = [p for p in (_point(a, facts.values, spec, facts, language) for a in section.after) if p]
    hidden = facts.lists.get(section.rows or "", [])[len(_rows(section, facts)) :] if section.rows else []
    if hidden:
        # Named, so the client can check who was left out (never 'the planning figures list them', which they do not see).
        names = join([str(r.get("model") or r.get("name") or "") for r in hidden], language)
        after.insert(0, {"label": None, "text": term("more_rows", "text", language).format(n=len(hidden), names=names)})
    if after:
        out["after"] = after
    count = section.count or (len(out.get("points", [])) if section.form in {"list", "numbered", "checklist"} else None)
    if count:
        out["count"] = count
    if section.max_words:
        out["max_words"] = section.max_words
    return out


def word_limits(spec: DocumentSpec) -> dict[str, int]:
    """Word limits from the document's checks: 'document' for the whole body, else a section id."""
    return {str(c.params.get("section", "document")): int(c.params["limit"]) for c in spec.checks if c.type == "max_words"}


def resolve_contract(spec: DocumentSpec, facts: Facts, language: str, section_ids: list[str] | None = None) -> dict[str, Any]:
    """The document's contract for this run: markers, word limits and every (or the named) section resolved."""
    return {
        "doc_id": spec.id,
        "title": spec.title.get(language),  # type: ignore[arg-type]
        "limits": word_limits(spec),
        "markers": {k: v.get(language) for k, v in sorted(spec.markers.items())},  # type: ignore[arg-type]
        "sections": [resolve_section(s, spec, facts, language) for s in spec.sections if section_ids is None or s.id in section_ids],
    }


def contract_block(spec: DocumentSpec, facts: Facts, language: str, section_ids: list[str] | None = None) -> str:
    """The `<contract>` JSON the writer's prompt carries (compact, keys in a fixed order)."""
    return json.dumps(resolve_contract(spec, facts, language, section_ids), ensure_ascii=False, separators=(",", ":"))


def contract_outline(spec: DocumentSpec, facts: Facts, language: str) -> str:
    """The contract without its points and tables (headings, forms, purposes, counts, limits, markers):
    what the reviewer judges a draft against, beside the check results that hold the details.
    """
    full = resolve_contract(spec, facts, language)
    keep = ("id", "heading", "form", "purpose", "count", "max_words")
    outline = {**full, "sections": [{k: s[k] for k in keep if k in s} for s in full["sections"]]}
    return json.dumps(outline, ensure_ascii=False, separators=(",", ":"))


def template_problems(spec: DocumentSpec, flags: set[str]) -> list[str]:
    """Placeholders and conditions in a spec that the facts do not define (empty when sound)."""
    problems = []
    row_fields = {"metric", "kind", "kind_label", "definition", "baseline", "target", "source", "category", "category_name", "weight", "reason",
                  "criteria", "baseline_short", "model", "provider", "total", "monthly_usd", "api_usd", "self_host_usd", "within_budget",
                  "precision", "gpu", "gpus_needed",
                  "replicas", "total_gb", "weights_gb", "kv_cache_gb", "fits_owned", "name", "value", "reasons", "passed",
                  "origin_label", "measured_label", "measured_long", "direction_label", "gate_label"}
    for section in spec.sections:
        points = [*section.points, *section.after, *(p for b in section.blocks for p in b.points)] + ([section.each] if section.each else [])
        texts = [(p.say.en, p.say.ko, p.when) for p in points] + [(section.purpose.en, section.purpose.ko, None)]
        texts += [(c.value, c.value, None) for c in section.columns if "{" in c.value]
        for en, ko, when in texts:
            for name in PLACEHOLDER_RE.findall(en) + PLACEHOLDER_RE.findall(ko):
                if name not in PLACEHOLDERS and name not in row_fields:
                    problems.append(f"document {spec.id} section {section.id}: unknown placeholder {{{name}}}")
            for part in (when or "").split("&"):
                name = part.strip().lstrip("!").strip()
                if name and name not in flags:
                    problems.append(f"document {spec.id} section {section.id}: unknown condition {name!r}")
        for p in points:
            if p.marker and p.marker not in spec.markers:
                problems.append(f"document {spec.id} section {section.id}: unknown marker {p.marker!r}")
    return problems
