"""The `no_template_seams` check: no trace of template filling reaches the client.

A seam is where a sentence shows it was assembled: a particle written with both forms
(`모델을(를)`), an optional plural (`replica(s)`), a count that disagrees with its noun
(`1 requests`), a word doubled around an empty value (`and and`), an empty slot (`()`,
`the budget is no stated budget`), a flow rounded to nothing (`0 requests an hour`, `시간당 0건`),
an address only the planner can read (`kb/en/…`, `figures:planning`), or a table row whose
cells do not line up with its header (a line break or a stray `|` inside a cell). Each is a
defect whatever the engine, so the check runs on every document of every engine.
"""

from __future__ import annotations

import re
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CheckContext, check

SEAMS: dict[str, re.Pattern[str]] = {
    "placeholder particle": regex_cache.compile(
        r"(?:을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|과\(와\)|와\(과\)|\(으\)로|\(이\)[나라다며])"
    ),
    "optional plural": regex_cache.compile(r"[A-Za-z]\(s\)"),
    "unfilled placeholder": regex_cache.compile(r"\{[a-z_]+\}"),
    "number agreement": regex_cache.compile(r"(?<![\d.,])\b1 (?!(?:[a-z]+(?:ss|us|is)\b))[a-z]{3,}s\b"),
    "doubled word": regex_cache.compile(r"(?<![\w-])([^\W\d_]{2,})\s+\1(?![\w-])", re.IGNORECASE),
    "empty slot": regex_cache.compile(
        r"\(\s*\)|(?<!- )(?<!\d\. )\[\s*\]|\s,\s|[A-Za-z]\s{2,}(?:and|or)\s{2,}|\b(\w+) is no stated \1\b|없음(?:입니다|이며)"
    ),
    "zero flow": regex_cache.compile(
        r"\b0 (?:requests?|documents?|items?|queries|calls|messages|cases|tickets)\b(?: (?:an?|per) (?:hour|day))?"
        r"|(?:시간당|하루|일|월) 0건|0건/(?:시간|일)"
    ),
    "scientific notation": regex_cache.compile(r"(?<![\w.])\d(?:\.\d+)?e[+-]\d{1,3}(?!\d)"),
    "internal reference": regex_cache.compile(r"figures:\w+|\bcatalog:[\w.-]+|\bkb/(?:en|ko)/|\bplanning/data/|\b[\w/]+\.ya?ml\b"),
    # a choice among nothing ('0 models', '모델 0개') or a label whose only content is a citation ('**Recommended model:** [S1]')
    "empty model": regex_cache.compile(
        r"(?<![\d.,])\b0 (?:models?|candidates?)\b|모델 0개|(?<![\d,])0개 모델|\*\*[^*\n]{2,40}:\*\*\s*\[S\d+\]\s*$", re.MULTILINE
    ),
}
"""Seam kind -> the pattern that finds it (in either language)."""


def table_row_seams(text: str) -> list[str]:
    """Table rows cut by a line break (the row does not end with '|') or with a cell count other than the header's."""
    found: list[str] = []
    header: int | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            header = None
            continue
        cells = len(re.split(r"(?<!\\)\|", stripped.strip("|")))
        if not stripped.endswith("|") or stripped.endswith("\\|"):
            found.append(stripped)
        elif header is None:
            header = cells
        elif cells != header:
            found.append(stripped)
    return found


TABLE_ROW = "broken table row"
KINDS = (*SEAMS, TABLE_ROW)
"""Every seam kind, in report order (bench/unseen_runs.py prints one column per kind)."""


def seams_by_kind(text: str, context: int = 30) -> dict[str, list[str]]:
    """Every seam in a Markdown text, grouped by kind, each with `context` characters either side (line breaks shown as ⏎).

    The same patterns as the check: the bench that counts seams over unseen use cases and the
    pipeline test over every labelled one share them, so a figure and a test mean the same thing.
    """
    hits: dict[str, list[str]] = {}
    for kind, pattern in SEAMS.items():
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - context), min(len(text), match.end() + context)
            hits.setdefault(kind, []).append(text[start:end].replace("\n", " ⏎ "))
    rows = table_row_seams(text)
    if rows:
        hits[TABLE_ROW] = [row[:120] for row in rows]
    return hits


def find_seams(text: str) -> list[tuple[str, str]]:
    """(kind, the seam with a little context) for every seam in a Markdown text."""
    found: list[tuple[str, str]] = []
    for kind, pattern in SEAMS.items():
        for match in pattern.finditer(text):
            start, end = max(0, match.start() - 25), min(len(text), match.end() + 25)
            found.append((kind, text[start:end].replace("\n", " ")))
    found += [("broken table row", row[:70]) for row in table_row_seams(text)]
    return found


@check("no_template_seams")
def no_template_seams(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The whole document, its Sources list included, reads as written: no seam from template filling."""
    seams = find_seams(doc.raw)
    if not seams:
        return True, "no template seams"
    shown = "; ".join(f"{kind}: '{where.strip()}'" for kind, where in seams[:4])
    more = f" (and {len(seams) - 4} more)" if len(seams) > 4 else ""
    return False, f"{len(seams)} template seams: {shown}{more}; rewrite these phrases as plain sentences"
