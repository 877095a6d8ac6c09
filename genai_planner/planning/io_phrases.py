"""What the model reads and what it produces, settled as phrases a sentence can carry.

`terms.read_io` cuts inputs and outputs from the client's sentences by cue words, and
`phrases.keep_things` keeps the cuts that are noun phrases. A noun phrase can still be the wrong
kind of thing: "October" (from "in October to December"), "previous month" (from a complaint
that reports are copied from the previous month), "last year's rulings" (the thing read, with a
time stuck to it), "quality payment rules" (the policy the work follows, not the record it
works on), "questions" (from "if a line is too vague, draft a question": a fallback, not the
deliverable). Pasted into "Collect 150 recent {inputs} with reference {outputs}", each of these
makes the sentence wrong for the client. This module applies the rules every engine shares:

1. An input or output is never a time expression; a time that only modifies the thing is cut
   off ("last year's rulings" -> "rulings", "지난달 민원" -> "민원").
2. A rule, policy or guideline is the standard the work follows: it stays an input only when
   the task answers from documents (corpus_qa, assistant) or nothing else is read.
3. The thing produced is not an input ("chooses the TARIC code" beside "propose TARIC codes").
4. The input the sentence says is read ("reads the supplier's description", "from the loan
   officers' voice notes") leads the list: it is the head noun a template names.
5. The output is the main deliverable ("propose the three most likely TARIC codes",
   "summarise each note into a structured visit summary"); an output named only in a
   conditional clause ("if ..., draft a question", "모호하면 ... 질문 초안") is a fallback and is
   not THE output while a main one exists.
6. A template slot gets the list as a phrase: one or two items joined, more than two as the
   head plus "and related records" (never a pasted list of fragments).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from genai_planner.planning.brief import Text, stated
from genai_planner.planning.phrases import keep_things, noun_phrase
from genai_planner.planning.prose import Prose
from genai_planner.tools.korean import _kiwi

T = TypeVar("T", bound=Any)

_MONTHS = "january|february|march|april|june|july|august|september|october|november|december"
_DAYS = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|weekdays?|weekends?"
_SEASONS = "spring|summer|autumn|fall|winter|christmas|easter|ramadan|year[- ]end|month[- ]end|quarter[- ]end|holidays?"
_RELATIVE = (
    r"(?:(?:the\s+)?(?:previous|last|next|this|past|coming|current|same|prior|following|first|second|third|fourth)\s+"
    r"(?:days?|weeks?|months?|quarters?|years?|seasons?|shifts?|half|fortnight))"
)
_EN_TIME_ALT = (
    r"(?:" + _MONTHS + r"|(?-i:May)|" + _DAYS + r"|" + _SEASONS + r"|yesterday|today|tomorrow|tonight|q[1-4]|h[12]|" + _RELATIVE[3:-1] + r"|(?:19|20)\d\d)"
)
EN_TIME = re.compile(r"\b" + _EN_TIME_ALT + r"\b", re.IGNORECASE)
"""A time in English: a month, a weekday, a season, a relative period, a year."""
KO_TIME = re.compile(
    r"(?:지난|이번|다음|올|내|작|전|금)\s?(?:달|해|주|월|년|분기|반기)|작년|올해|내년|전년|전월|전일|전날|어제|오늘|내일|"
    r"\d+\s?(?:월|분기|년도?|주차)|(?:1|2|3|4|일|이|삼|사)분기|분기|(?:상|하)반기|[월화수목금토일]요일|주말|평일|"
    r"연말|연초|월말|월초|분기말|봄|여름|가을|겨울|명절|성수기|비수기"
)
"""A time in Korean: 지난달, 작년, 10월, 1분기, 월요일, 연말, 여름."""

EN_FILLER = re.compile(r"\b(?:of|the|from|to|in|on|and|or|between|until|through|each|every|s)\b|['’]s?|[-–,]|\d+(?:st|nd|rd|th)?")


def is_time(value: str) -> bool:
    """Whether a value names a time and nothing else ('October', 'previous month', '1분기', '지난해')."""
    if re.search(r"[가-힣]", value):
        rest = KO_TIME.sub("", value)
        rest = re.sub(r"(?:의|부터|까지|에|와|과|및|,|~|-|\s)+", "", rest)
        return not rest
    rest = EN_FILLER.sub(" ", EN_TIME.sub(" ", value))
    return not rest.strip()


_EN_TIME_LEAD = re.compile(r"^(?:\b" + _EN_TIME_ALT + r"(?:['’]s?)?\s+)+", re.IGNORECASE)
_KO_TIME_LEAD = re.compile(r"^(?:(?:" + KO_TIME.pattern + r")(?:의)?\s+)+")


def without_time(value: str) -> str:
    """The thing without a time that only dates it: "last year's rulings" -> 'rulings', '지난달 민원' -> '민원'."""
    lead = _KO_TIME_LEAD if re.search(r"[가-힣]", value) else _EN_TIME_LEAD
    rest = lead.sub("", value).strip()
    return rest if rest and noun_phrase(rest) else value


REFERENCE_HEADS_EN = frozenset(
    "rule rules policy policies guideline guidelines regulation regulations standard standards procedure procedures "
    "criteria rulebook playbook code-of-practice tariff tariffs schedule".split()
)
REFERENCE_HEADS_KO = ("규정", "지침", "정책", "기준", "규칙", "내규", "법령", "약관", "요율표")
"""The standard the work follows: what it is checked against, not the record it works on."""
CORPUS_ARCHETYPES = frozenset({"corpus_qa", "assistant"})
"""Archetypes that answer from documents: there the policies and rules are what the model reads."""


def is_reference(value: str) -> bool:
    """Whether a value names a rule, policy or guideline ('quality payment rules', 'credit policy', '품질 지급 규정')."""
    if re.search(r"[가-힣]", value):
        return value.split()[-1].endswith(REFERENCE_HEADS_KO)
    words = value.lower().split()
    return bool(words) and words[-1] in REFERENCE_HEADS_EN


def _head(value: str) -> str:
    """The last word, singular and lower-case ('TARIC codes' -> 'code'): what a phrase is about."""
    word = value.split()[-1].lower() if value.split() else ""
    if re.search(r"[가-힣]", word):
        return word
    word = re.sub(r"ies$", "y", word)
    return re.sub(r"(?<=[a-z])(?<!s)s$", "", word)


def _positions(p: Prose, item: Any) -> list[int]:
    quote = item.evidence.quote or item.value
    return [m.start() for m in re.finditer(re.escape(quote.lower()), p.low)] if quote else []


_READ_BEFORE = re.compile(
    r"\b(?:reads?|reading|read|reviews?|reviewing|checks?|opens?|listens?\s+to|works?\s+from|from)\s+(?:the\s+|each\s+|every\s+|a\s+|an\s+|our\s+|their\s+|its\s+|his\s+|her\s+)?$"
)
_READ_AFTER_KO = re.compile(r"^(?:을|를)?\s?(?:읽|듣|보고|검토)")


def _read_rank(p: Prose, item: Any) -> int:
    """0 for what the sentence says is read, 1 otherwise, 2 for a rule or policy."""
    if is_reference(item.value):
        return 2
    quote = item.evidence.quote or item.value
    for pos in _positions(p, item):
        if _READ_BEFORE.search(p.low[max(0, pos - 40) : pos]) or _READ_AFTER_KO.match(p.text[pos + len(quote) : pos + len(quote) + 6]):
            return 0
    return 1


CUT_ADVERBS = frozenset("together again also alone instead first too then now later separately manually carefully closely".split())
"""Adverbs a cut can end on ('reads each result together with ...' -> 'result together'): no thing ends in one."""


def _cut_at_adverb(value: str) -> bool:
    words = value.lower().split()
    return bool(words) and (words[-1] in CUT_ADVERBS or words[-1].removesuffix("s") in CUT_ADVERBS)


def settle_inputs(p: Prose, inputs: list[T], outputs: list[Any], archetype: str | None) -> list[T]:
    """Inputs by the rules above: no times, a dating time cut off, no output, no rule while a record is read, the read one first."""
    out: list[T] = []
    output_heads = {_head(o.value) for o in outputs}
    for item in inputs:
        if is_time(item.value) or _cut_at_adverb(item.value):
            continue
        value = without_time(item.value)
        if _head(value) in output_heads:
            continue  # 'chooses the TARIC code' beside 'propose TARIC codes': what is produced is not read
        if value.lower() in {o.value.lower() for o in out}:
            continue
        out.append(item if value == item.value else item.model_copy(update={"value": value}))
    if archetype not in CORPUS_ARCHETYPES and any(not is_reference(i.value) for i in out):
        out = [i for i in out if not is_reference(i.value)]
    return sorted(out, key=lambda i: _read_rank(p, i))


_EN_CONDITIONAL = re.compile(
    r"\b(?:if|unless|in\s+case|whenever|otherwise|when\s+(?:\w+\s+){0,4}?(?:is|are)\s+(?:missing|unclear|vague|incomplete|ambiguous|absent))\b"
)


def _conditional_ko(prefix: str) -> bool:
    """Whether a Korean clause before the output is a condition ('모호하면', '없는 경우')."""
    if re.search(r"경우(?:에는|에|엔)?\s", prefix):
        return True
    return any(t.tag == "EC" and t.form in {"면", "으면"} for t in _kiwi().tokenize(prefix)) if prefix.strip() else False


def is_fallback(p: Prose, item: Any) -> bool:
    """Whether every mention of an output sits after a condition in its sentence ('if a line is too vague, draft a question')."""
    spots = _positions(p, item)
    if not spots:
        return False
    for pos in spots:
        start, _ = p.sentence_at(pos)
        prefix = p.text[start:pos]
        if not (_conditional_ko(prefix) if p.korean else _EN_CONDITIONAL.search(prefix.lower())):
            return False
    return True


_COUNT_EN = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
_RANKED = r"(?:likely|likeliest|probable|relevant|best|closest|top|ranked|candidate|matching|suitable)"
_PHRASE = r"((?:[a-z0-9][\w'’-]*\s+){0,3}?[a-z0-9][\w'’-]*)"
_STOP = r"(?=[.,;:)]|\s+(?:and|to|so|that|for|when|with|from|in|on|by|which|while|as|if|per|based)\b|$)"
MAIN_EN = (
    # 'propose the three most likely TARIC codes', 'suggest the top 3 matching articles'
    re.compile(
        r"\b(?:propose|proposes|suggest|suggests|recommend|recommends|rank|ranks|return|returns|shortlist|shortlists|list|lists)\s+"
        r"(?:the\s+|a\s+)?(?:top\s+)?" + _COUNT_EN + r"\s+(?:(?:most\s+)?" + _RANKED + r"\s+)*" + _PHRASE + _STOP
    ),
    # 'summarise each note into a structured visit summary'
    re.compile(r"\bsummari[sz]e\s+(?:each|every|the|a|an|all|our|their)?\s*(?:[\w'’-]+\s+){0,3}?into\s+(?:a\s+|an\s+|one\s+)?" + _PHRASE + _STOP),
)
MAIN_KO = re.compile(r"((?:[A-Za-z가-힣]+\s)?[A-Za-z가-힣]+)\s?(?:한|두|세|네|다섯|\d+)\s?(?:개|가지)(?:를|을)?(?:\s\S+){0,3}?\s?(?:제안|추천|골라|선택|제시)")
"""The main deliverable a sentence asks for when it is a ranked set or a summary into a form."""


MASS_NOUNS = frozenset(
    """history data information feedback text content documentation evidence advice software correspondence mail audio footage
    guidance research knowledge news metadata equipment legislation traffic weather payroll literature music speech imagery
    signage copy work coursework homework telemetry inventory stock analysis news""".split()
)
"""Nouns with no plural a template could use ('account history', 'source code'): they stay as written."""
COUNT_ING = frozenset("recording briefing listing filing finding ruling booking posting reading drawing meeting hearing painting".split())
"""Nouns in -ing that count ('call recording'); other -ing words ('billing', 'reporting') stay as written."""


def _plural(value: str) -> str:
    """The value named as a kind ('wrap-up note' -> 'wrap-up notes', 'country of origin' -> 'countries of origin')."""
    before, of, after = value.partition(" of ")
    if of:
        return _plural(before) + of + after
    head, _, last = value.rpartition(" ")
    if last.endswith("s") or not re.fullmatch(r"[a-z-]+", last) or last in MASS_NOUNS or last.endswith("ware"):
        return value
    if last.endswith("ing") and last not in COUNT_ING:
        return value
    if value.lower().endswith(("source code", "program code")) or value.lower() in {"code", "codebase"}:
        return value
    if last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
        last = last[:-1] + "ies"
    else:
        last += "es" if last.endswith(("ch", "sh", "x", "ss")) else "s"
    return f"{head} {last}".strip()


def one_of(value: str, language: str) -> str:
    """One item of a kind, for the singular slots ('the one {input} it is about'): 'call transcripts' -> 'call transcript'."""
    if language == "ko":
        return value
    before, of, after = value.partition(" of ")
    if of:
        return one_of(before, language) + of + after
    head, _, last = value.rpartition(" ")
    if not re.fullmatch(r"[a-z-]+s", last) or last in MASS_NOUNS or last.endswith(("ss", "is", "us", "ics")):
        return value
    for cut in (last[:-3] + "y", last[:-2], last[:-1]):
        if cut and _plural("a " + cut) == "a " + last:
            return f"{head} {cut}".strip()
    return value


def as_kinds(items: list[T], language: str) -> list[T]:
    """English inputs and outputs named as kinds, the way every slot uses them ('Collect 100 recent call transcripts')."""
    if language == "ko":
        return items
    return [i if _plural(i.value) == i.value else i.model_copy(update={"value": _plural(i.value)}) for i in items]


def main_outputs(p: Prose) -> list[Text]:
    """The deliverables the prose asks for in the shapes `terms.read_io` does not cut ('propose the three most likely codes')."""
    found: list[Text] = []
    if p.korean:
        for m in p.find(MAIN_KO):
            phrase = noun_phrase(p.quote(m.start(1), m.end(1)))
            if phrase:
                found.append(Text(value=phrase, evidence=stated(p.quote(m.start(1), m.end(1)))))
        return found
    for pattern in MAIN_EN:
        for m in p.find(pattern):
            quote = p.quote(m.start(1), m.end(1))
            value = _plural(quote)
            if noun_phrase(value):
                found.append(Text(value=value, evidence=stated(quote)))
    return found


def settle_outputs(p: Prose, outputs: list[T]) -> list[T]:
    """The main deliverable first; outputs named only under a condition dropped while a main one exists."""
    main = keep_things(main_outputs(p))
    merged: list[Any] = list(main)
    for o in outputs:
        if not any(_head(o.value) == _head(m.value) for m in merged):
            merged.append(o)
    kept = [o for o in merged if not is_fallback(p, o)]
    return kept or merged  # a condition that triggers the only output ('if a customer emails, draft a reply') names the work


RELATED = {"en": "{head} and related records", "ko": "{head} 등 관련 기록"}


def inputs_phrase(values: list[str], language: str) -> str:
    """The inputs for a template slot: one or two joined, more than two as the head plus 'related records'."""
    values = [v for v in values if v]
    if len(values) > 2:
        return RELATED["ko" if language == "ko" else "en"].format(head=values[0])
    if language == "ko":
        return ", ".join(values)
    return " and ".join(values)


def distributive_once(prefix: str, text: str) -> str:
    """'요청마다 ' + '먼저 녹음마다 …' reads doubled: the prefix is left out when the text's first clause has its own 마다."""
    first_clause = re.split(r"[,，;]|그다음", text, maxsplit=1)[0]
    return text if "마다" in first_clause else prefix + text
