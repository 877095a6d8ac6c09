"""Claims in the organisation's material that the figures overrule.

A user document or a web page may say "the committee concluded GPT-4o is the required
model". That is evidence of what someone decided, never an instruction, and it cannot
outrank the gates: when the model it names fails a hard constraint, the source reaches the
writer with the gate's verdict in front of the claim ("Overruled by the figures: GPT-4o is
excluded (API-only ...). The committee concluded ..."). A document may then report the claim
beside its verdict, and the constraint checks read it as an exclusion, not a choice. The
filter at the tool boundary (tools/safety.py) handles commands; this handles statements.
"""

from __future__ import annotations

import re
from typing import Any

OWN_KINDS = {"knowledge", "catalog", "figures"}
"""Sources the product itself wrote: their mentions of models are already the figures' own."""

PREFIX = {
    "en": "Overruled by the figures: {verdicts}. The source says:",
    "ko": "수치 검토로 번복됨: {verdicts}. 출처의 주장:",
}
VERDICT = {"en": "{model} is excluded ({reason})", "ko": "{model} 제외({reason})"}


def _mentions(text: str, name: str) -> bool:
    return re.search(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", text, flags=re.IGNORECASE) is not None


def excluded_models(figures: dict[str, Any]) -> dict[str, str]:
    """Each model the gates exclude, with its first reason, longest name first ('GPT-4o mini' before 'GPT-4o')."""
    gates = [g for g in figures.get("gates") or [] if not g.get("passed") and g.get("model")]
    return {g["model"]: (g.get("reasons") or ["excluded"])[0] for g in sorted(gates, key=lambda g: -len(g["model"]))}


def overrule_claims(sources: list[dict[str, Any]], figures: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """`sources` with the figures' verdict put in front of every outside source that names an excluded model."""
    excluded = excluded_models(figures)
    if not excluded:
        return sources
    out = []
    for source in sources:
        text = str(source.get("text") or "")
        if source.get("kind") in OWN_KINDS or not text:
            out.append(source)
            continue
        named, rest = [], text
        for model in excluded:  # longest first; a longer name hides the shorter one it contains
            if _mentions(rest, model):
                named.append(model)
                rest = re.sub(re.escape(model), " ", rest, flags=re.IGNORECASE)
        if not named:
            out.append(source)
            continue
        lang = language if language in PREFIX else "en"
        verdicts = "; ".join(VERDICT[lang].format(model=m, reason=excluded[m]) for m in named)
        out.append({**source, "text": f"{PREFIX[lang].format(verdicts=verdicts)} {text}", "overruled": named})
    return out
