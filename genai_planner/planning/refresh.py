"""How often the client's data changes, and the refresh cadence that follows from it.

A consultant refreshes a search index and the approved examples when the data they are built from
changes: records written twice a year ('학기마다 작성', 'revised twice a year') are re-indexed after
each writing season, not every quarter; rules amended every month, every month. Where the use case
states no frequency, the defaults in `data/refresh.yaml` apply and say they are defaults.
The frequency is read from the prose by sentence: a frequency word and, in the same sentence, a
verb of writing or change (`verbs`), so '300 notes daily' (a volume) is not read as data that
changes every day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from genai_planner.planning.lexicon import lexicon


def _cfg() -> dict[str, Any]:
    return lexicon("refresh")


@dataclass(frozen=True)
class Cadence:
    """The refresh cadence: the stated frequency's key (None: defaults), the quote it rests on, and the documents' words."""

    key: str | None
    quote: str
    index: str
    examples: str
    reason: str


def read_update_frequency(text: str) -> tuple[str, str] | None:
    """(cadence key, the sentence's words) for the first sentence stating how often the data changes, or None."""
    cfg = _cfg()
    for sentence in re.split(r"(?<=[.!?。])\s+|\n+", text):
        low = sentence.lower()
        for c in cfg["cadences"]:
            for lang in ("en", "ko"):
                m = re.search(c[lang], low)
                if m and re.search(cfg["verbs"][c["verbs"]][lang], low):
                    return c["key"], _quote(sentence, m.start(), m.end())
    return None


def _quote(sentence: str, start: int, end: int, limit: int = 90) -> str:
    """The client's words around the frequency: the whole sentence when short, else about `limit` characters around it."""
    text = sentence.strip()
    if len(text) <= limit:
        return text
    lead = len(sentence) - len(sentence.lstrip())
    a = max(0, start - lead - limit // 2)
    b = min(len(text), a + limit)
    a = text.rfind(" ", 0, a) + 1 if a else 0
    piece = text[a:b]
    piece = piece[: piece.rfind(" ")] if b < len(text) and " " in piece else piece
    return ("..." if a else "") + piece.strip() + ("..." if b < len(text) else "")


def refresh_cadence(stated: str | None, quote: str, language: str) -> Cadence:
    """The index and examples cadence in the run's language: the stated frequency's, else the defaults with their reason."""
    cfg = _cfg()
    lang = "ko" if language == "ko" else "en"
    by_key = {c["key"]: c for c in cfg["cadences"]}
    text = cfg["text"][lang]
    if stated in by_key:
        c = by_key[stated]
        floor = min((x for x in cfg["cadences"] if x["months"] >= float(cfg["examples_min_months"])), key=lambda x: x["months"])
        examples = c if c["months"] >= floor["months"] else floor
        words = c["words"][lang]
        return Cadence(stated, quote, words, examples["words"][lang], text["stated"].format(words=words, quote=quote))
    index, examples = by_key[cfg["default"]["index"]]["words"][lang], by_key[cfg["default"]["examples"]]["words"][lang]
    return Cadence(None, "", index, examples, text["default"].format(index=index, examples=examples))
