"""Reading a document's Markdown tables and the names in them (the rubric, the candidate scores), for
the figure checks: which table holds the weights, which columns score which rubric category.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.planning.compute import category_of

TOTAL_WORDS = ("weighted", "total", "가중 점수", "가중 합계", "총점", "합계")
MIN_SCORE_COLUMNS = 3
CITATION_RE = regex_cache.compile(r"\[S\d+\]")
NUMBER_RE = regex_cache.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\d])")


@dataclass
class Table:
    """One Markdown table: the section it sits in, its header and its body rows."""

    section: str
    header: list[str]
    rows: list[list[str]]


def tables(doc: md.ParsedDocument) -> list[Table]:
    """Every Markdown table of the document, in order (a section may hold several)."""
    found: list[Table] = []
    for section in doc.sections:
        block: list[str] = []
        for line in section.lines + [""]:
            if line.strip().startswith("|"):
                block.append(line)
                continue
            if block:
                rows = md.table_rows("\n".join(block))
                if rows:
                    found.append(Table(section=section.title, header=rows[0], rows=rows[1:]))
                block = []
    return found


def clean(cell: str) -> str:
    """A cell or name without citations, emphasis, code marks and extra spaces."""
    cell = CITATION_RE.sub("", cell)
    cell = re.sub(r"[*_`]", "", cell)
    return re.sub(r"\s+", " ", cell).strip()


def norm(name: str) -> str:
    """A model or metric name for comparison."""
    return clean(name).lower()


def first_number(cell: str) -> float | None:
    """The first number in a cell ('4.25', '1,234', '25%')."""
    match = NUMBER_RE.search(clean(cell))
    if not match:
        return None
    return float(match.group(1).replace(",", "") + (f".{match.group(2)}" if match.group(2) else ""))


def _same_name(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    return a == b or a.startswith(b + " (") or b.startswith(a + " (")


def _is_weight_header(cell: str) -> bool:
    lowered = cell.lower()
    return ("weight" in lowered and "weighted" not in lowered) or "가중치" in lowered


def _is_total_header(cell: str) -> bool:
    lowered = cell.lower()
    return any(word in lowered for word in TOTAL_WORDS) and not _is_weight_header(cell)


def _rubric(doc: md.ParsedDocument) -> tuple[Table, int] | None:
    for table in tables(doc):
        col = next((i for i, h in enumerate(table.header) if _is_weight_header(h)), None)
        if col is not None and col > 0:
            return table, col
    return None


def _score_columns(table: Table, labels: list[str], language: str) -> dict[str, int]:
    """Rubric label -> column of the candidate table that scores it (same name, else same category)."""
    out: dict[str, int] = {}
    for label in labels:
        col = next((i for i, h in enumerate(table.header) if norm(h) == norm(label)), None)
        if col is None:
            category = category_of(label, language)
            col = next((i for i, h in enumerate(table.header) if i > 0 and category and not _is_total_header(h) and category_of(h, language) == category), None)
        if col is not None:
            out[label] = col
    return out


def _candidate_table(doc: md.ParsedDocument, labels: list[str], language: str) -> tuple[Table, dict[str, int], int] | None:
    for table in tables(doc):
        total = next((i for i, h in enumerate(table.header) if _is_total_header(h)), None)
        if total is None:
            continue
        columns = _score_columns(table, labels, language)
        if len(columns) >= MIN_SCORE_COLUMNS:
            return table, columns, total
    return None
