"""The last steps of fitting a rendered document into its word limits: lower-priority sentences and clauses.

The renderer first drops what the contract marks optional, then uses each point's shorter wording, then
the lines quoting the organisation's own material. A long brief (many client criteria, long names, a
long list of inputs) can still leave the document over its limit after all three. These steps make
the fitting total, and keep it deterministic:

1. a point's later sentences that state no figure go before any point's first sentence ('Value: X.
   Risk: Y.' keeps 'Value: X.'): the first sentence of a point carries what the contract asks that
   point to say, so lists keep their item count and every section keeps its lead;
2. then a sentence's later clauses (after '; ') that state no figure ('Work in English; staff
   approve every output.' keeps 'Work in English.'): a clause with a number holds a target, a
   volume or a size the checks compare with the figures ('...; target 0 (baseline: 11 minutes)');
3. last, later sentences whatever they state.

Each step takes from the section with the most words at that moment (the one that can best spare it;
on a tie, the later section), from its last point that has something to spare, so cuts are spread
over the document instead of emptying its last section. Wording only: which facts each point holds
was decided before the prompt was written.
"""

from __future__ import annotations

import re
from typing import Any

SENTENCE_BREAK = re.compile(r"(?<=[.!?。])\s+(?=[^\s\[(])")
"""Between two sentences: an end mark, a space, and a next sentence (not a citation '[S2]' or an aside)."""
NOT_AN_END = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|Inc|Ltd|Co|Corp|No|Dr|Mr|Mrs|Ms|St|approx)|\b[A-Z]|\d)\.$")
"""A full stop that ends an abbreviation, an initial or a number, not a sentence ('Acme Inc. handles ...')."""
CLAUSE_BREAK = "; "


def sentences(text: str) -> list[str]:
    """The sentences of a point's text, abbreviations and initials kept inside their sentence."""
    out: list[str] = []
    start = 0
    for m in SENTENCE_BREAK.finditer(text):
        head = text[start : m.start()]
        if NOT_AN_END.search(head):
            continue
        out.append(head)
        start = m.end()
    out.append(text[start:])
    return [s for s in out if s.strip()]


def _groups(section: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return [section.get("points", []), *(b.get("points", []) for b in section.get("blocks", [])), section.get("after", [])]


def _states_figure(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _without_last_sentence(text: str, keep_figures: bool = True) -> str | None:
    parts = sentences(text)
    if len(parts) < 2 or (keep_figures and _states_figure(parts[-1])):
        return None
    return " ".join(parts[:-1])


def _clause_cut(sentence: str) -> str | None:
    if CLAUSE_BREAK not in sentence:
        return None
    head, _, tail = sentence.rpartition(CLAUSE_BREAK)
    if _states_figure(tail) or head.count("(") != head.count(")") or head.count("'") % 2 or head.count('"') % 2:
        return None
    end = re.search(r"[.!?。]\s*$", tail)
    return head.rstrip(" ,;:") + (end.group(0).strip() if end else "")


def _without_last_clause(text: str) -> str | None:
    """The text without the last '; ' clause of its last sentence that has one to spare (a clause stating a figure,
    or one inside brackets or quotes, stays).
    """
    parts = sentences(text)
    for i in range(len(parts) - 1, -1, -1):
        shorter = _clause_cut(parts[i])
        if shorter:
            return " ".join([*parts[:i], shorter, *parts[i + 1 :]])
    return None


def _cut_once(contract: dict[str, Any], words_of: dict[str, int], only: str | None, cut: Any) -> bool:
    """Apply `cut` to one point: the last point that `cut` can shorten, in the wordiest section that has one."""
    sections = [s for s in contract.get("sections", []) if only is None or s.get("id") == only]
    order = sorted(enumerate(sections), key=lambda pair: (words_of.get(str(pair[1].get("id")), 0), pair[0]), reverse=True)
    for _, section in order:
        points = [p for group in _groups(section) for p in group]
        for point in reversed(points):
            shorter = cut(point["text"])
            if shorter:
                point["text"] = shorter
                point.pop("short", None)  # the shorter wording was the same point's whole text: it no longer applies
                return True
    return False


def drop_lower_priority(contract: dict[str, Any], words_of: dict[str, int], only: str | None = None) -> bool:
    """Drop one later sentence or clause, in the order above; False when nothing is left to drop.

    Args:
        contract: The resolved contract, changed in place.
        words_of: Each section's words as rendered now (by section id), to take from the wordiest first.
        only: Take only from this section (a section over its own limit).
    """
    return (
        _cut_once(contract, words_of, only, _without_last_sentence)
        or _cut_once(contract, words_of, only, _without_last_clause)
        or _cut_once(contract, words_of, only, lambda text: _without_last_sentence(text, keep_figures=False))
    )
