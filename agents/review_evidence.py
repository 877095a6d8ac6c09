"""The reviewer's judgement per contract item, held to the draft's own words.

A model that judges meaning can be wrong in a way no check sees: it can praise a section for a
sentence the draft does not hold. So every item of the verdict quotes its evidence, and the
quote is looked up in the draft (spacing and Markdown emphasis aside, nothing else): an item
whose quote is not there counts as failed, whatever the model said, and the writer is told
why. Items the model marks failed go back to the writer with their quote and reason. The
deterministic checks still gate every draft; this only decides what the model's voice adds.
"""

from __future__ import annotations

import re

from genai_planner.agents.schemas import ContractItem, ReviewVerdict

UNSUPPORTED = "the quoted evidence is not in the draft, so this judgement cannot stand"
MIN_QUOTE_CHARS = 8
"""A shorter quote ('the', a model's name) proves nothing about a section."""


def _squash(text: str) -> str:
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"\s+", " ", text).strip().casefold()


def quoted_in(evidence: str, draft: str) -> bool:
    """Whether `evidence` is the draft's own text, verbatim but for spacing and emphasis marks."""
    quote = _squash(evidence).strip(" \"'“”‘’")
    return len(quote) >= MIN_QUOTE_CHARS and quote in _squash(draft)


def verify_items(verdict: ReviewVerdict, draft: str) -> ReviewVerdict:
    """The verdict with each item's quote checked against the draft.

    An item whose quote is not in the draft becomes a failed item whose reason says so (the
    model's own reason is kept after it); a verdict with any failed item does not accept.
    """
    items: list[ContractItem] = []
    for item in verdict.items:
        if not quoted_in(item.evidence, draft):
            item = item.model_copy(update={"passed": False, "reason": f"{UNSUPPORTED} (the reviewer said: {item.reason})", "verified": False})
        else:
            item = item.model_copy(update={"verified": True})
        items.append(item)
    accept = verdict.accept and all(i.passed for i in items)
    return verdict.model_copy(update={"items": items, "accept": accept})


def item_feedback(verdict: ReviewVerdict) -> list[str]:
    """One feedback line per failed item: what the contract asked, the draft's words, and why they miss it."""
    lines = []
    for item in verdict.items:
        if item.passed:
            continue
        said = f' The draft says: "{item.evidence}"' if item.evidence.strip() else ""
        lines.append(f"- Contract item '{item.item}' not met: {item.reason.rstrip('.')}.{said}")
    return lines
