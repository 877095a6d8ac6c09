"""Phrases that are phrases: a value read from the prose enters a sentence only as a noun phrase.

The brief's inputs, outputs and people are cut from the client's sentences by cue words, and
a cut can land mid-clause: "We want drafts", "needs its Japanese subtitles", "include
employees", "설계팀은 도면", "맞춰 피드백", "질문만을". Pasted into a template ("Collect 200
recent {inputs}"), such a fragment shows the seam on every page. This module decides whether a
value is a well-formed noun phrase, and trims what can be trimmed (a Korean particle at the
end: "질문만을" -> "질문"); the extractor drops the rest and falls back to the task's neutral
term, as it does when the prose names nothing.

English has no analyser here, so the test is lexical: a noun phrase neither starts nor ends
with a function word, quantifier, pronoun, auxiliary or common verb, and holds no pronoun or
auxiliary anywhere. Korean goes through kiwipiepy (loaded only when a value has Hangul): a
noun phrase is nouns (with numbers, foreign words and noun suffixes); a particle may end it
(and is stripped), but no particle inside it and no verb, adjective or ending anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from genai_planner.core import regex_cache
from genai_planner.tools.korean import _kiwi

FUNCTION_WORDS = frozenset(
    """a an the and or nor but of to from for with without by on in at as into onto than per via about over under
    less more fewer most least some many much few several each every any all both either neither no not only just also
    s its their our your his her my this that these those which who whom whose what when where how why
    we i you they he she it us them me""".split()
)
"""Words a noun phrase cut from a sentence may not start or end with."""

ANYWHERE = frozenset(
    """we i you they he she it us them me we'd we'll we're i'd i'm they're
    is are was were be been being am must should would could can will shall may might
    do does did want wants wanted like likes need needs needed means""".split()
)
"""Pronouns, auxiliaries and wishes: a phrase holding one is a clause, not a noun phrase."""

VERBS_AT_EDGE = frozenset(
    """include includes including carry carries give gives given take takes taken make makes made get gets got
    used send sends sent build builds built write writes written
    go goes come comes become becomes produce produces receive receives""".split()
)
"""Common verbs that show a cut through a clause when they open or close a value."""
NOUNS_IN_LY = frozenset("reply supply family assembly anomaly ally rally italy july monopoly belly jelly lily fly butterfly".split())
"""Nouns ending in -ly: the last word of a noun phrase, not an adverb ('first reply', 'water supply')."""

T = TypeVar("T", bound=Any)
"""A brief text (`planning.brief.Text`): anything with a `value` and `model_copy`."""

LATIN_WORD_RE = regex_cache.compile(r"[A-Za-z][A-Za-z'’-]*")
HANGUL_RE = regex_cache.compile(r"[가-힣]")

NOUN_TAGS = ("NNG", "NNP", "NR", "SL", "SN", "SH", "XSN", "XPN", "NNB", "W_")
"""Kiwi tags a Korean noun phrase is made of (NNB only after a number or noun: '13건')."""
PUNCT_TAGS = ("SS", "SP", "SW", "SO", "SE", "SF")
NOUN_ENDINGS = {"서"}
"""Particles kiwi reads where a noun ends ('경위서' is a statement, not '경위' + '서')."""
KO_LIMIT_WORDS = frozenset({"이하", "이상", "이내", "미만", "초과", "정도", "가량", "내외", "안팎"})
"""Words of a limit ('10분 이하로'): a phrase that opens or ends with one is a cut, not a thing."""
KO_RATE_WORDS = frozenset({"건당", "당"})
"""'건당' opens a metric ('건당 처리 시간') but cannot end a phrase ('시간을 건당' is a cut)."""
MODIFIER_TAGS = {"MM", "VV", "VA", "VX", "VCP", "XSV", "XSA", "EP", "XR"}
"""Parts of a modifier ('모든', '쉬운', '승인된'): allowed only where an adnominal ending leads them to a noun."""


def english_phrase(value: str) -> bool:
    """Whether an English value reads as a noun phrase (not a cut through a clause)."""
    words = [w.lower().strip("'’") for w in LATIN_WORD_RE.findall(value) if not (len(w) > 1 and w.isupper())]  # 'IT', 'US': acronyms
    if not words and LATIN_WORD_RE.search(value):
        return True
    if not words:
        return bool(value.strip())
    if any(w in ANYWHERE for w in words):
        return False
    first, last = words[0], words[-1]
    if first in FUNCTION_WORDS or last in FUNCTION_WORDS or first in VERBS_AT_EDGE or last in VERBS_AT_EDGE:
        return False
    if len(words) > 1 and ((last.endswith("ly") and last not in NOUNS_IN_LY) or last.endswith("ed")):
        return False  # "generated automatically", "reports attached" (but "first reply", "water supply")
    return not re.match(r"^\s*s\b", value)  # "s playbook" from "client's playbook"


@dataclass(frozen=True)
class _Token:
    form: str
    tag: str
    start: int
    len: int


def korean_phrase(value: str) -> str | None:
    """The value as a Korean noun phrase (a final particle stripped), or None when it is not one."""
    tokens = [_Token(t.form, t.tag.split("-")[0], t.start, t.len) for t in _kiwi().tokenize(value)]  # 'VA-I' -> 'VA'
    if not tokens:
        return None
    tokens = [
        _Token(t.form, "XSN", t.start, t.len)
        if t.tag.startswith("J") and t.form in NOUN_ENDINGS and i and tokens[i - 1].start + tokens[i - 1].len == t.start
        else t
        for i, t in enumerate(tokens)
    ]
    if len(tokens) >= 2 and [t.tag for t in tokens[-2:]] == ["VCP", "ETM"] and tokens[-1].start == tokens[-2].start:
        tokens[-2:] = [_Token("인", "XSN", tokens[-2].start, 1)]  # '감시인': the person suffix 인, not 이 + ㄴ
    end = len(tokens)
    while end > 0 and (tokens[end - 1].tag.startswith("J") or tokens[end - 1].tag.startswith(PUNCT_TAGS)):
        end -= 1
    core = tokens[:end]
    if not core or core[0].tag in {"NNB", "XSN"}:
        return None  # "데 문서": a dependent noun cannot open a phrase
    depth = 0
    for i, tok in enumerate(core):
        following = core[i + 1].tag if i + 1 < len(core) else ""
        if tok.tag == "SSO":
            depth += 1
        elif tok.tag == "SSC":
            depth = max(0, depth - 1)
        elif depth or tok.tag.startswith(PUNCT_TAGS) or tok.tag in MODIFIER_TAGS:
            continue  # an aside in parentheses is the client's own words; '모든', '쉽' + 'ㄴ' modify the noun after
        elif tok.tag == "ETM":
            if not following.startswith(NOUN_TAGS) or following in {"NNB", "XSN"}:
                return None  # '작성하는 데': an adnominal ending must lead to a full noun
        elif tok.tag == "NNB" and i and core[i - 1].tag == "ETM":
            return None
        elif tok.tag in {"JC", "JKG"} and following.startswith(NOUN_TAGS):
            continue  # '분류와 배정 결과', '기관의 문서': nouns joined into one phrase
        elif tok.tag.startswith("J") and following in MODIFIER_TAGS:
            continue  # '질문에 대한 답변', '직원이 검토할 답변': a clause that ends in a modifier of the noun
        elif not tok.tag.startswith(NOUN_TAGS):
            return None  # a particle inside, an adverb, a connective or final ending
    if not core[-1].tag.startswith(NOUN_TAGS):
        return None
    if core[0].form in KO_LIMIT_WORDS or core[-1].form in KO_LIMIT_WORDS | KO_RATE_WORDS:
        return None  # '이하로', '시간을 건당': a limit or a rate word at the edge
    last = core[-1]
    text = value[: last.start + last.len].strip()
    return text if text.count("(") == text.count(")") else None


def noun_phrase(value: str) -> str | None:
    """The value trimmed to a noun phrase, or None when it is a fragment the documents must not show."""
    value = " ".join(value.split())
    if not value:
        return None
    if HANGUL_RE.search(value):
        return korean_phrase(value)
    return value if english_phrase(value) else None


PEOPLE_HEADS = frozenset(
    """people persons person staff employees volunteers callers customers clients patients citizens residents applicants
    users members visitors parents students players""".split()
)
"""Head nouns that name people: a value of this kind is never what goes into or comes out of the model."""


KO_COUNTERS = frozenset({"건", "명", "개", "통", "회", "장", "부"})
"""Korean counters that stand for the counted thing when the prose names nothing else ('하루 300건')."""


def _edge_ok(word: str) -> bool:
    w = word.lower().strip("'’.,;:")
    return bool(w) and w not in FUNCTION_WORDS and w not in ANYWHERE


def trimmed_phrase(value: str, fallback: str) -> str:
    """A counted noun or a metric name as a noun phrase: edge words of a cut clause trimmed
    ('inpatients on' -> 'inpatients'), or the neutral `fallback` when no phrase is left.
    """
    phrase = noun_phrase(value)
    if phrase:
        return phrase
    if HANGUL_RE.search(value):
        return value if value.strip() in KO_COUNTERS else fallback  # '9건': the counter alone names what is counted
    words = value.split()
    while words and not _edge_ok(words[-1]):
        words.pop()
    while words and not _edge_ok(words[0]):
        words.pop(0)
    kept = " ".join(words)
    return kept if kept and not any(w.lower() in ANYWHERE for w in words) else fallback


def is_thing(value: str) -> bool:
    """Whether an input or output names a thing, not people ('people', 'callers' are not what a model reads or writes)."""
    words = LATIN_WORD_RE.findall(value)
    return not (words and words[-1].lower() in PEOPLE_HEADS)


def keep_things(items: list[T]) -> list[T]:
    """`keep_phrases` for inputs and outputs: noun phrases that name things."""
    return [item for item in keep_phrases(items) if is_thing(item.value)]


def keep_phrases(items: list[T]) -> list[T]:
    """The brief's texts that are noun phrases, trimmed; fragments dropped, duplicates once (the extractor's hook)."""
    out: list[T] = []
    seen: set[str] = set()
    for item in items:
        phrase = noun_phrase(item.value)
        phrase = " ".join(phrase.split()) if phrase else phrase  # a tab or a line break inside a value reads as a space
        if phrase and phrase.lower() not in seen:
            seen.add(phrase.lower())
            out.append(item if phrase == item.value else item.model_copy(update={"value": phrase}))
    return out
