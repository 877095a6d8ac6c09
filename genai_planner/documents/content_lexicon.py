"""The content checks' word lists (content_lexicon.yaml) and the text helpers they share: terms, numbers, quotes.

One place for how a term is found in text (Hangul substrings, Latin word boundaries, plurals)
and how numbers are read ('1,200', '1.2k', '300명', 'six'), so every check reads text the same way.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.core.yamlio import load_yaml
from genai_planner.documents import markdown as md

LEXICON_PATH = Path(__file__).with_name("content_lexicon.yaml")
QUOTE_CHARS = 600
NO_BRIEF = "no brief in the check context: nothing to compare"
STEP_FORMS = ("numbered", "steps")

HANGUL_RE = regex_cache.compile(r"[\uac00-\ud7a3]")
LATIN_WORD_RE = regex_cache.compile(r"[A-Za-z][A-Za-z0-9'’\-]*")


# --------------------------------------------------------------------------- lexicon


def _require_strings(node: Any, where: str) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                raise ValueError(f"{LEXICON_PATH.name}: key {key!r} under {where} is not a string; quote it")
            _require_strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for value in node:
            _require_strings(value, where)
    elif not isinstance(node, str):
        raise ValueError(f"{LEXICON_PATH.name}: {node!r} under {where} is not a string; quote it")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists of `content_lexicon.yaml` (validated: every leaf is a string)."""
    data = load_yaml(LEXICON_PATH)
    _require_strings(data, "lexicon")
    return data


def _words(key: str, language: str | None = None) -> list[str]:
    entry = lexicon()[key]
    if language is None:
        return list(entry)
    return list(entry.get(language, []))


@lru_cache(maxsize=8)
def _lowered(key: str, language: str | None = None) -> frozenset[str]:
    return frozenset(w.lower() for w in _words(key, language))


# --------------------------------------------------------------------------- text helpers


def has_hangul(text: str) -> bool:
    """Whether `text` contains a Hangul syllable."""
    return bool(HANGUL_RE.search(text))


def _syllables(text: str) -> int:
    return len(HANGUL_RE.findall(text))


def _quote(text: str) -> str:
    """The whole step or sentence, on one line: a writer must see all of what failed (QUOTE_CHARS bounds only long paragraphs)."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _plain(text: str) -> str:
    """A line without list markers, checkboxes, emphasis, code ticks and citations."""
    text = md.CITATION_RE.sub(" ", text)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?", "", text)
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?。])\s+(?=\S)", text) if s.strip()]


def _strip_particle(word: str) -> str:
    """A Korean word without its trailing particles, as kiwipiepy's morphemes read them (not by string endings)."""
    from genai_planner.tools.korean import strip_particles  # loads kiwi's model on first use (Hangul only)

    return strip_particles(word) if has_hangul(word) else word


@lru_cache(maxsize=8192)
def _term_pattern(term: str) -> re.Pattern[str]:
    """How a term is found in text.

    Hangul terms match as substrings (particles attach to nouns) with spacing ignored
    ("개인정보 보호법" finds "개인정보보호법"); Latin terms match case-insensitively on
    word boundaries, with plural and possessive endings and hyphen/space alike.
    """
    term = re.sub(r"\s+", " ", term.strip())
    if has_hangul(term):
        chars = [re.escape(ch) for ch in term if not ch.isspace()]
        lead = r"(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", term) else ""
        return regex_cache.compile(lead + r"\s*".join(chars), re.IGNORECASE)
    words = [w for w in re.split(r"[\s\-]+", term) if w]
    pieces = []
    for word in words:
        lw = word.lower()
        if not re.search(r"[a-z]$", lw) or len(lw) <= 3 and word.isupper():
            pieces.append(re.escape(word))
        elif lw.endswith("ies") and len(lw) > 4:
            pieces.append(re.escape(word[:-3]) + "(?:y|ies)")
        elif lw.endswith("y") and len(lw) > 3 and lw[-2] not in "aeiou":
            pieces.append(re.escape(word[:-1]) + "(?:y|ies)")
        elif lw.endswith("s") and not lw.endswith(("ss", "us", "is")) and len(lw) > 3:
            pieces.append(re.escape(word[:-1]) + "(?:s|es|'s|’s)?")
        else:
            pieces.append(re.escape(word) + "(?:s|es|'s|’s)?")
    body = r"[\s\-]+".join(pieces)
    return regex_cache.compile(r"(?<![A-Za-z0-9])" + body + r"(?![A-Za-z])", re.IGNORECASE)


def _mentions(text: str, term: str) -> bool:
    return bool(_term_pattern(term).search(text))


# --------------------------------------------------------------------------- numbers

_NUM_TERM_RE = regex_cache.compile(r"^(\d[\d,]*(?:\.\d+)?)(?:\s+(.+))?$")
_TEXT_NUM_RE = regex_cache.compile(
    r"(?<![A-Za-z0-9.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(k|K|천|만|억|thousand|million|billion)(?![A-Za-z]))?(?![A-Za-z0-9])"
)
_SCALE = {"k": 1e3, "K": 1e3, "천": 1e3, "thousand": 1e3, "만": 1e4, "억": 1e8, "million": 1e6, "billion": 1e9}


def _format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


@lru_cache(maxsize=1024)
def _text_numbers(text: str) -> list[tuple[float, str]]:
    """Every number in `text` as (value, the text right after it); '1,200', '1.2k', '300명', '4만' and 'six' are read."""
    words = lexicon()["number_words"]
    text = re.sub(r"(?<![A-Za-z])(" + "|".join(words) + r")(?![A-Za-z])", lambda m: words[m.group(1).lower()], text, flags=re.IGNORECASE)
    out = []
    for m in _TEXT_NUM_RE.finditer(text):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= _SCALE[m.group(3)]
        out.append((value, text[m.end() : m.end() + 12]))
    return out


def _unit_aliases(unit: str) -> list[str]:
    unit = unit.strip().lower()
    for group in lexicon()["unit_aliases"]:
        if unit in (u.lower() for u in group):
            return list(group)
    return [unit]


_MEASURE_AFTER_RE = regex_cache.compile(
    r"\s*(?:ms|s|sec|seconds?|min|minutes?|h|hours?|GB|MB|TB|GiB|tokens?|%|x|USD|EUR|KRW|원|초|분|시간)(?![A-Za-z])", re.IGNORECASE
)


def _number_hit(text: str, term: str) -> bool:
    m = _NUM_TERM_RE.match(term)
    if not m:
        return False
    value = float(m.group(1).replace(",", ""))
    unit = m.group(2)
    numbers = _text_numbers(text)
    if value >= 100:  # a large count needs no unit, but a measurement of something else is not it ('120 ms' is not '120 stores')
        return any(math.isclose(v, value, rel_tol=1e-9) and not _MEASURE_AFTER_RE.match(after) for v, after in numbers)
    if not unit:
        return False
    aliases = _unit_aliases(unit)
    for v, after in numbers:
        if not math.isclose(v, value, rel_tol=1e-9):
            continue
        after = after.lstrip()
        for alias in aliases:
            if has_hangul(alias) or not alias[0].isalpha():
                if after.startswith(alias):
                    return True
            elif re.match(re.escape(alias) + r"(?![A-Za-z])", after, flags=re.IGNORECASE):
                return True
    return False


def _is_number_term(term: str) -> bool:
    return bool(_NUM_TERM_RE.match(term))

