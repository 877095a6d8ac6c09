"""`margins_match_sizes`: every '±N points' a document puts beside a test-set size is the margin that size gives.

A test set of 1,000 items quoted 'about ±7 points', or 200 items quoted '±3', tells the client the
evaluation is more (or less) certain than it is. The figures size the test set from the margin
wanted (`planning.shape.compute_evaluation`: 1.96 x sqrt(p(1-p)/n) at 95%); this check holds any
size and margin a document writes together to the same computation: the margin at that size at
the figures' expected rate, or at the worst case 50%, to the precision written ('±3' for 2.7, to
the nearest point; '±2.7' to 0.1). A margin the text calls wanted ('wanted ±3 points', '±3퍼센트
포인트를 원하면') is the goal the size was computed from, not a claim about a size.
"""

from __future__ import annotations

import re
from typing import Any

from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CheckContext, body_text, check
from genai_planner.planning.shape import margin_points

MARGIN = re.compile(
    r"(?:±|\+/-|plus or minus)\s*(\d+(?:\.\d+)?)\s*(?:percentage[- ]points?|points?|pp\b|%p|퍼센트\s?포인트|%포인트|포인트|%)", re.IGNORECASE
)
SIZE = re.compile(
    r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)\s*(?:-\s*)?(?:test\s+items?|items?|cases?|examples?|questions?|outputs?|건|개\s*항목|문항|사례)(?![a-z])",
    re.IGNORECASE,
)
WANTED = re.compile(r"(?:want(?:ed|s)?|target(?:ed)?|goal|aim(?:ed)?|원하|목표로|얻으려면)\s*$", re.IGNORECASE)
WANTED_AFTER = re.compile(r"^[^.;\n]{0,24}?(?:를|을)?\s*(?:원하|얻으려|목표로)", re.IGNORECASE)
Z = 1.96


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _fits(written: str, n: int, rates: list[float]) -> bool:
    value = float(written)
    step = 0.05 if "." in written else 0.5  # '±2.7' to a tenth, '±3' to the nearest point
    return any(abs(value - margin_points(n, Z, p)) <= step + 1e-9 for p in rates)


@check("margins_match_sizes")
def margins_match_sizes(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Each margin written after a size in the same sentence is that size's 95% margin (at the expected rate or 50%)."""
    evaluation = (ctx.figures or {}).get("evaluation") or {}
    rates = [0.5]
    if evaluation.get("expected_rate_pct"):
        rates.insert(0, float(evaluation["expected_rate_pct"]) / 100)
    wrong: list[str] = []
    for sentence in _sentences(body_text(doc, ctx)):
        for m in MARGIN.finditer(sentence):
            before = sentence[: m.start()]
            if WANTED.search(before[-20:]) or WANTED_AFTER.match(sentence[m.end() :]):
                continue
            sizes = [s for s in SIZE.finditer(before) if "±" not in before[s.end() :]]
            if not sizes:
                continue
            size = sizes[-1]
            n = int(size.group(1).replace(",", ""))
            if n < 2 or _fits(m.group(1), n, rates):
                continue
            right = ", ".join(f"±{margin_points(n, Z, p):g} at {100 * p:g}%" for p in rates)
            wrong.append(f"'{size.group(0)} ... {m.group(0)}': at {n:,} items the 95% margin is {right} (1.96 x sqrt(p(1-p)/n))")
    if wrong:
        return False, "a margin that its test-set size does not give: " + "; ".join(wrong[:3])
    return True, "every margin matches its test-set size"
