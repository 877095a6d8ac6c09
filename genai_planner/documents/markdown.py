"""Reading planning documents: split Markdown into sections, lists, tables and words.

Checks and the offline engine both read documents through these helpers, so what a check
counts is exactly what the writer was asked to produce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from genai_planner.core import regex_cache

CITATION_RE = regex_cache.compile(r"\[(S\d+)\]")
LIST_ITEM_RE = regex_cache.compile(r"^(?:[-*+]|\d+[.)])\s+(?!\[[ xX]\])")
ORDERED_ITEM_RE = regex_cache.compile(r"^\d+[.)]\s+")
CHECKLIST_RE = regex_cache.compile(r"^[-*+]\s+\[[ xX]\]\s+\S")
HANGUL_RE = regex_cache.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
LATIN_RE = regex_cache.compile(r"[A-Za-z]")


@dataclass
class Section:
    """A `##` section: its heading and body lines."""

    title: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body as one string."""
        return "\n".join(self.lines).strip()


@dataclass
class ParsedDocument:
    """A document split at its `##` headings."""

    title: str
    sections: list[Section]
    raw: str

    def find(self, heading: str) -> Section | None:
        """The section whose heading matches `heading` (case- and space-insensitive)."""
        want = normalise_heading(heading)
        for section in self.sections:
            if normalise_heading(section.title) == want:
                return section
        return None


SOURCES_TITLE: dict[str, str] = {"en": "Sources", "ko": "출처"}
"""The heading of a document's list of sources, per language (not a section of the contract)."""


def normalise_heading(text: str) -> str:
    """Lower-case, strip numbering, emphasis and extra spaces from a heading."""
    text = re.sub(r"^[\d.\s]+", "", text.strip())
    text = text.replace("*", "").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def parse_document(markdown: str) -> ParsedDocument:
    """Split a Markdown document into its H1 title and H2 sections (fenced code is kept whole)."""
    title = ""
    sections: list[Section] = []
    in_fence = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if not in_fence and stripped.startswith("# ") and not title and not sections:
            title = stripped[2:].strip()
            continue
        if not in_fence and stripped.startswith("## "):
            sections.append(Section(title=stripped[3:].strip()))
            continue
        if sections:
            sections[-1].lines.append(line)
    return ParsedDocument(title=title, sections=sections, raw=markdown)


def list_items(text: str, ordered_only: bool = False) -> list[str]:
    """Top-level list items (bullets or numbered; not checklist items) in `text`."""
    items = []
    pattern = ORDERED_ITEM_RE if ordered_only else LIST_ITEM_RE
    for line in text.splitlines():
        if line.startswith((" ", "\t")):
            continue
        if pattern.match(line):
            items.append(line)
    return items


def checklist_items(text: str) -> list[str]:
    """Checklist items (`- [ ] ...`) in `text`."""
    return [line for line in text.splitlines() if CHECKLIST_RE.match(line.strip())]


def strip_for_words(text: str) -> str:
    """Text without citations, Markdown markup and table rules, for word counting."""
    text = CITATION_RE.sub("", text)
    text = re.sub(r"^\s*\|?[\s:|-]+\|[\s:|-]*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"[#*_`>|]", " ", text)
    text = re.sub(r"^\s*(?:[-+]|\d+[.)])\s+(\[[ xX]\]\s+)?", "", text, flags=re.MULTILINE)
    return text


def count_words(text: str) -> int:
    """Whitespace-separated words (for Korean, 어절), ignoring markup and citations."""
    return len(strip_for_words(text).split())


def table_rows(text: str) -> list[list[str]]:
    """Rows of the first Markdown table in `text` (header first, separator dropped)."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
                continue
            rows.append(cells)
        elif rows:
            break
    return rows


def citations(text: str) -> list[str]:
    """Source ids cited as `[S3]` in `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in CITATION_RE.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def prose_for_language(text: str) -> str:
    """Text with code, citations, URLs and Latin-script names that any language keeps removed."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    # Table bodies hold names and numbers; the header row carries the language.
    lines, in_table = [], False
    for line in text.splitlines():
        is_row = line.strip().startswith("|")
        if is_row and in_table:
            continue
        in_table = is_row
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"`[^`]*`", " ", text)
    text = CITATION_RE.sub(" ", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\([A-Za-z0-9][^()]*\)", " ", text)  # "검색 증강 생성(RAG)": the English gloss
    return text


def hangul_share(text: str) -> float:
    """Share of Hangul among letters (Hangul + Latin) in `text`; 0.0 when it has none."""
    prose = prose_for_language(text)
    hangul = len(HANGUL_RE.findall(prose))
    latin = len(LATIN_RE.findall(prose))
    total = hangul + latin
    return hangul / total if total else 0.0
