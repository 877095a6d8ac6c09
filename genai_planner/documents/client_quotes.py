"""Where a line quotes the client's own words (part of `figures_match`).

A document may cite the brief's evidence as it was written ('(stated: "has a one-off budget of JPY
25 million for the build and...")'). Amounts inside such a quotation are the client's words, not
figures the document states, so the money checks skip them. A quotation counts as the client's when
a label says so ('stated:', '명시:', 'quote:') or when its text, less an elision, is part of the use
case or of a quote the brief kept as evidence.
"""

from __future__ import annotations

import re
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents.checks import CheckContext

QUOTE_RE = regex_cache.compile(r'"([^"\n]+)"|“([^”\n]+)”|「([^」\n]+)」|『([^』\n]+)』')
LABEL_RE = regex_cache.compile(r"(?:stated|quoted?|verbatim|명시|인용|원문)\s*[:：]\s*$", re.IGNORECASE)
ELISION_RE = regex_cache.compile(r"^(?:\.{3}|…)\s*|\s*(?:\.{3}|…)$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _evidence(value: Any) -> list[str]:
    """Every evidence quote held anywhere in the brief."""
    if isinstance(value, dict):
        found = [str(value["quote"])] if isinstance(value.get("quote"), str) else []
        return found + [q for v in value.values() for q in _evidence(v)]
    if isinstance(value, list):
        return [q for v in value for q in _evidence(v)]
    return []


def client_spans(line: str, ctx: CheckContext) -> list[tuple[int, int]]:
    """The (start, end) of each quotation in `line` that holds the client's own words."""
    sources = [_squash(t) for t in (*ctx.quoted, *_evidence(ctx.brief or {})) if t]
    spans = []
    for m in QUOTE_RE.finditer(line):
        inner = _squash(ELISION_RE.sub("", next(g for g in m.groups() if g is not None)))
        labelled = LABEL_RE.search(line[: m.start()])
        if inner and (labelled or any(inner in s for s in sources)):
            spans.append((m.start(), m.end()))
    return spans


def inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `position` falls inside one of the quotations."""
    return any(start <= position < end for start, end in spans)
