"""`language`: every section's own prose is in the run's language (the user's quoted words and names aside)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import SOURCES_TITLE, CheckContext, check

LANGUAGE_MIN_SHARE = 0.6
QUOTE_MIN_CHARS = 20
QUOTE_MARKS_RE = regex_cache.compile(rf'"[^"\n]{{{QUOTE_MIN_CHARS},}}"|“[^”\n]{{{QUOTE_MIN_CHARS},}}”|「[^」\n]+」|『[^』\n]+』')


@dataclass
class QuotedText:
    """The user's own words a document may repeat (the use case, the brief's evidence quotes)."""

    sentences: list[str]
    """Whole sentences, longest first."""
    haystack: str
    """All of it, lower-cased with single spaces, to look phrases up in."""
    language: str
    """The run's language: only phrases in the other script are taken out (a name, a term as the user wrote it)."""


LATIN_RUN_RE = regex_cache.compile(r"[A-Za-z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*)*")
HANGUL_RUN_RE = regex_cache.compile(r"[\uac00-\ud7a3]+(?:[ \t]+[\uac00-\ud7a3]+)*")


def _quoted_passages(ctx: CheckContext) -> QuotedText:
    """What of the user's own text (the use case; quotes the brief cites) a document may repeat verbatim."""
    texts = list(ctx.quoted)
    stack: list[Any] = [ctx.brief]
    while stack:  # every evidence quote in the brief
        item = stack.pop()
        if isinstance(item, dict):
            texts += [v for k, v in item.items() if k == "quote" and isinstance(v, str)]
            stack += [v for v in item.values() if isinstance(v, dict | list)]
        elif isinstance(item, list):
            stack += item
    sentences = []
    for text in texts:
        for sentence in re.split(r"(?<=[.!?。])\s+", " ".join(text.split())):
            if len(sentence) >= QUOTE_MIN_CHARS:
                sentences.append(sentence)
    haystack = " ".join(" ".join(texts).split()).lower()
    return QuotedText(sorted(set(sentences), key=len, reverse=True), haystack, ctx.language)


@lru_cache(maxsize=32)
def _sentences_pattern(sentences: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation for all the user's sentences (longest first, so a longer one wins where both fit).

    Compiled once per set of sentences: a pattern per sentence per section was ~30k compiles
    in a run, and past re's 512-pattern cache every one of them was compiled anew.
    """
    words = [r"\s+".join(map(re.escape, s.rstrip(".!?。").split())) for s in sentences]
    words = [w for w in words if w]
    return regex_cache.compile("|".join(words)) if words else None


def _without_quotes(text: str, quotes: QuotedText) -> str:
    """`text` without what it repeats of the user's words, and without passages in quotation marks.

    Whole sentences go; so does each phrase in the other script that the user wrote as it
    stands ("store staff", "warranty policies" in a Korean document about an English use
    case): the writer kept the user's terms, it did not write in the wrong language.
    """
    pattern = _sentences_pattern(tuple(quotes.sentences))
    if pattern is not None:  # the same words, however the lines were wrapped
        text = pattern.sub(" ", text)
    if quotes.haystack:
        foreign = LATIN_RUN_RE if quotes.language == "ko" else HANGUL_RUN_RE
        text = foreign.sub(lambda m: " " if m.group(0).lower() in quotes.haystack else m.group(0), text)
    return QUOTE_MARKS_RE.sub(" ", text)


def _without_names(text: str, ctx: CheckContext) -> str:
    """`text` without model names, GPU names, precisions and currency codes: names are in no language."""
    for model in sorted(ctx.catalog, key=lambda m: len(str(m.get("name", ""))), reverse=True):
        for name in filter(None, (model.get("name"), model.get("id"))):
            text = regex_cache.compile(re.escape(str(name)), re.IGNORECASE).sub(" ", text)
    return re.sub(r"\b(?:[A-Za-z]*\d[\w.\-]*|[A-Z]{2,5}s?)\b", " ", text)


@check("language")
def language(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Every section's prose is predominantly in the run's language."""
    wrong = []
    quotes = _quoted_passages(ctx)
    for section in doc.sections:
        if md.normalise_heading(section.title) == SOURCES_TITLE[ctx.language].lower():
            continue
        prose = "\n".join(ln for ln in section.lines if not ln.strip().startswith("|"))  # tables hold names and numbers
        own = _without_names(_without_quotes(section.title + "\n" + prose, quotes), ctx)
        if not md.HANGUL_RE.search(own) and not md.LATIN_RE.search(own):
            continue  # nothing but quoted text: nothing in the writer's own words to judge
        share = md.hangul_share(own)
        ok = share >= LANGUAGE_MIN_SHARE if ctx.language == "ko" else share <= 1 - LANGUAGE_MIN_SHARE
        if not ok:
            wrong.append(f"'{section.title}' ({share:.0%} Hangul)")
    if wrong:
        want = "Korean" if ctx.language == "ko" else "English"
        return False, f"not predominantly {want}: " + ", ".join(wrong)
    return True, f"every section is in '{ctx.language}'"
