"""A recall target on a rare class cannot be measured on a random test set: the evaluation sizes an enriched sample.

"Complaint signs detected with at least 95% recall", where about 150 of 32,000 calls a day carry one
(0.47%), leaves a 400-item random test set with about 2 positives: a recall measured on 2 items says
nothing. Where the share the use case states (a count of a total, or a percentage) leaves the random
set fewer positives than the margin wanted needs, the plan says so and sizes an enriched sample:

- positives needed: the test set's own margin formula (`shape.items_for_margin`) at the recall target
  (95% recall, ±3 points: 1.96² × 0.95 × 0.05 / 0.03² = 203 -> 250 positives);
- drawn from past cases already flagged and confirmed, capped by how many the history holds
  (items a month × share × the months the test set draws on);
- the random set stays, to measure precision and false alarms at the real share.

Nothing stated about the share: no line, and the test set stands as sized (`data/rare_class.yaml`).
"""

from __future__ import annotations

import re
from typing import Any

from genai_planner.planning.brief import Brief
from genai_planner.planning.figures import Target
from genai_planner.planning.lexicon import lexicon


def _cfg() -> dict[str, Any]:
    return lexicon("rare_class")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def stated_share(sentence: str) -> tuple[float, str] | None:
    """(share as a fraction, the words stating it) from 'about 90 of the 12,000 calls', '12,000건 중 약 90건', '0.5% of calls'."""
    pats = _cfg()["share_patterns"]
    low = sentence.lower()
    for key in ("count_of_total", "total_then_count"):
        for m in re.finditer(pats[key], low):
            count, total = _number(m.group("count")), _number(m.group("total"))
            if 0 < count < total:
                return count / total, sentence[m.start() : m.end()].strip()
    for key in ("percent_of", "percent_ko"):
        m = re.search(pats[key], low)
        if m is not None and 0 < float(m.group("pct")) < 100:
            return float(m.group("pct")) / 100, sentence[m.start() : m.end()].strip()
    return None


def _is_recall(target: Target) -> bool:
    words = " ".join((target.metric, target.definition, target.quote)).lower()
    return target.measured == "test_set" and any(w in words for w in _cfg()["recall_words"])


def _recall_value(target: Target) -> float | None:
    m = re.search(r"(\d+(?:\.\d+)?)\s*%", target.target)
    return float(m.group(1)) / 100 if m and 0 < float(m.group(1)) < 100 else None


def rare_class_sample(
    brief: Brief, targets: list[Target], test_set_size: int, wanted: float, items_per_month: float, language: str
) -> tuple[int, str] | None:
    """(positives wanted, the evaluation line) for the first recall target on a class whose stated share leaves the
    random test set too few positives; None when no recall target names a stated share, or the random set has enough.
    """
    from genai_planner.planning.shape import items_for_margin, margin_points

    ev = lexicon("shape")["evaluation"]
    lang = "ko" if language == "ko" else "en"
    text = _cfg()["text"][lang]
    for target in targets:
        recall = _recall_value(target) if _is_recall(target) else None
        if recall is None:
            continue
        quote = target.quote.strip("'\"‘’“” ")
        sentences = [c.value for c in brief.success_criteria if quote and quote in c.value] or [
            c.value for c in brief.success_criteria if any(w in c.value.lower() for w in _cfg()["recall_words"])
        ]
        found = next((s for s in (stated_share(x) for x in sentences) if s is not None), None)
        if found is None:
            continue
        share, stated_words = found
        expected = test_set_size * share
        positives = items_for_margin(wanted, ev["z"], ev["round_to"], recall)
        if share > float(_cfg()["max_share"]) or expected >= positives:
            continue  # not rare, or the random set already holds enough positives for the margin wanted
        months = int(ev["history_months"])
        available = int(items_per_month * months * share)
        if available >= positives:
            supply = text["supply_ok"].format(available=f"{available:,}", months=months)
        else:
            supply = text["supply_short"].format(available=f"{available:,}", months=months, margin=f"{margin_points(max(available, 1), ev['z'], recall):g}")
            positives = max(available, 1)
        formula = text["formula"].format(
            wanted=f"{wanted:g}", recall=f"{100 * recall:g}", pq=f"{recall:g} × {1 - recall:.4g}", wanted_frac=f"{wanted / 100:g}"
        )
        rounded = round(expected, 1) if expected < 10 else round(expected)
        line = text["line"].format(
            metric=target.metric, target=target.target, share=f"{100 * share:.2g}", stated=stated_words, n=f"{test_set_size:,}",
            expected=f"{rounded:g}", s="" if rounded == 1 else "s", positives=f"{positives:,}", formula=formula, supply=supply,
        )
        return positives, line
    return None
