"""One reading of negation and exclusion for every check that asks 'does the document do X?'.

"No claim file is sent to an outside API", "외부 API로 전송하지 않습니다", "GPT-4o is excluded
(API-only)" name a forbidden thing without doing it. Korean denies with grammar, read from kiwi's
morphemes (tools/korean.ko_negated), and with a few words (금지, 제외, 대신) listed in the lexicon. The per-document constraint checks, the
cross-document `constraints` check and the deployment checks all decide this here, so a
sentence one of them accepts the others accept too.
"""

from __future__ import annotations

import re

from genai_planner.core import regex_cache
from genai_planner.documents.content_lexicon import _words, has_hangul

CLAUSE_BREAK_RE = regex_cache.compile(r"[;:]|,\s+(?:and|but|while|with)\b|\bbut\b|\bhowever\b|\bwhereas\b|\bwhile\b|지만|반면|는데|하고,|고,|며,|으며")


def clause_around(sentence: str, start: int, end: int) -> str:
    """The clause of `sentence` that holds the span start:end (cut at ';', ':', 'but', '지만' ...)."""
    left = 0
    for m in CLAUSE_BREAK_RE.finditer(sentence, 0, start):
        left = m.end()
    m = CLAUSE_BREAK_RE.search(sentence, end)
    return sentence[left : m.start() if m else len(sentence)]


def has_any(text: str, words: list[str]) -> bool:
    """Whether `text` holds one of `words` (Latin words on word boundaries, Hangul as substrings)."""
    for word in words:
        if has_hangul(word) or not word[:1].isalpha():
            if word.lower() in text.lower():
                return True
        elif regex_cache.compile(r"(?<![A-Za-z])" + re.escape(word) + r"(?![A-Za-z])", re.IGNORECASE).search(text):
            return True
    return False


def negated(text: str) -> bool:
    """Whether a clause denies or forbids what it names ('never sent', '전송하지 않습니다', 'instead of')."""
    if has_any(text, _words("negation", "en") + _words("negation", "ko")) or re.search(r"n't\b", text):
        return True
    if not has_hangul(text):
        return False
    from genai_planner.tools.korean import ko_negated  # Korean grammar ('-지 않다', '아닌', '없다') from kiwi's morphemes

    return ko_negated(text)


def excluding(line: str, section_title: str = "", section_id: str = "") -> bool:
    """Whether a line (or its section) lists something as excluded or rejected."""
    if "excluded" in section_id or "excluded" in section_title.lower() or "제외" in section_title:
        return True
    return has_any(line, _words("exclusion", "en") + _words("exclusion", "ko"))
