"""`no_foreign_words`: a Korean document keeps no untranslated English words."""

from __future__ import annotations

import re
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.documents.brief_terms import _get, _is_sources, regulations
from genai_planner.documents.checks import CheckContext, check
from genai_planner.documents.content_lexicon import LATIN_WORD_RE, NO_BRIEF, _quote, _words
from genai_planner.documents.language_check import QuotedText, _quoted_passages

# --------------------------------------------------------------------------- 5. no_foreign_words

_FOREIGN_TOKEN_RE = regex_cache.compile(r"[A-Za-z][A-Za-z0-9@'’./+_\-]*")


def _allowed_names(ctx: CheckContext) -> list[str]:
    names = set(_words("glossary"))
    for m in ctx.catalog:
        names.update(str(m[k]) for k in ("name", "provider", "id") if m.get(k))
    organisation = _get(ctx.brief, "organisation", "value")
    sources = [str(organisation or ""), *regulations(ctx.brief)]
    sources += [str(h.get("accelerator") or "") for h in _get(ctx.brief, "constraints", "hardware") or []]
    # The client's own terms (who uses it, what goes in and out) are kept as the client wrote them, like names:
    # an English use case planned in Korean names its users and inputs in English.
    for key in ("users", "stakeholders", "inputs", "outputs"):
        sources += [str(t.get("value") or "") for t in ctx.brief.get(key) or []]
    sources += [str(v.get("what") or "") for v in ctx.brief.get("volumes") or []] + [str(b.get("metric") or "") for b in ctx.brief.get("baselines") or []]
    sources.append(str(ctx.brief.get("domain") or ""))
    for text in sources:
        names.update(LATIN_WORD_RE.findall(text))
    return sorted((n for n in names if n), key=len, reverse=True)


def _token_allowed(token: str, allowed: frozenset[str], units: frozenset[str]) -> bool:
    lowered = token.lower()
    if lowered in allowed or token in units or lowered in units:
        return True
    if re.search(r"\d", token) or sum(ch.isupper() for ch in token) >= 2:
        return True
    parts = [p for p in re.split(r"[\-/.]", token) if p]
    return len(parts) > 1 and all(_token_allowed(p, allowed, units) for p in parts)


_CLIENT_RUN_RE = regex_cache.compile(r"[A-Za-z][A-Za-z0-9'’-]*(?:[ \t]+[A-Za-z][A-Za-z0-9'’-]*)*")
"""A run of Latin words (Hangul never joins it: '…summaries sent까지' holds the run 'summaries sent')."""


def _whole_words_in(run: str, haystack: str) -> bool:
    """Whether `run` occurs in `haystack` with no letter glued to either end ('care' in 'care,' but not in 'career')."""
    start = haystack.find(run)
    while start >= 0:
        end = start + len(run)
        if (start == 0 or not haystack[start - 1].isalpha()) and (end == len(haystack) or not haystack[end].isalpha()):
            return True
        start = haystack.find(run, start + 1)
    return False


def _without_client_words(text: str, quotes: QuotedText) -> str:
    """`text` without the runs of English words the client wrote as they stand (a quote, a metric in the client's words)."""
    if not quotes.haystack:
        return text

    def drop(match: re.Match[str]) -> str:
        run = match.group(0).strip("'’").lower()
        return " " if len(run) > 1 and _whole_words_in(run, quotes.haystack) else match.group(0)

    return _CLIENT_RUN_RE.sub(drop, text)


def _strip_non_prose(text: str) -> str:
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"https?://\S+|www\.\S+", " ", text)
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)|（[^（）]*）", " ", text)
    return text


@check("no_foreign_words")
def no_foreign_words(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """A Korean document keeps no untranslated English words.

    Latin-script words outside parentheses, code, citations and URLs are flagged unless
    they are catalog model or provider names, names from the brief (organisation,
    regulations, hardware), acronyms or mixed-case names (LoRA, vLLM), words with digits
    (p95, A100), units, or entries of the lexicon's glossary (Kubernetes, RAGAS ...).
    """
    if not ctx.brief:
        return True, NO_BRIEF
    if ctx.language != "ko":
        return True, "not a Korean document: nothing to check"
    names = _allowed_names(ctx)
    allowed = frozenset(n.lower() for n in names) | frozenset(w.lower() for w in params.get("allow", []))
    units = frozenset(_words("units"))
    multiword = [n for n in names if " " in n]
    quotes = _quoted_passages(ctx)  # the client's own English words, as written, are quotes (as for the `language` check)
    flagged: dict[str, str] = {}
    lines, in_fence = [], False
    for line in [doc.title] + [ln for s in doc.sections if not _is_sources(s.title, ctx) for ln in [s.title, *s.lines]]:
        if line.strip().startswith("```"):
            in_fence = not in_fence
        elif not in_fence:
            lines.append(line)
    for line in lines:
        prose = line
        for name in multiword:
            prose = re.sub(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", " ", prose, flags=re.IGNORECASE)
        prose = _strip_non_prose(_without_client_words(prose, quotes))
        for m in _FOREIGN_TOKEN_RE.finditer(prose):
            token = m.group().rstrip(".'’/-")
            if token and not _token_allowed(token, allowed, units) and token.lower() not in flagged:
                context = prose[max(0, m.start() - 20) : m.end() + 20].strip()
                flagged[token.lower()] = f"'{token}' in \"…{_quote(context)}…\""
    if flagged:
        more = f" (+{len(flagged) - 8} more)" if len(flagged) > 8 else ""
        return False, "English words in Korean text (translate them, or keep names only): " + "; ".join(list(flagged.values())[:8]) + more
    return True, "no untranslated English words"
