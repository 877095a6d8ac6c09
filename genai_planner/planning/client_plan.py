"""The client's own plan, read from the prose: a pilot it has already chosen and how long it keeps records.

A client that writes "we want to pilot with the 40 card-team counsellors in Daejeon for 8 weeks,
then roll out to all centres" has decided its rollout; a plan that answers with a generic
"1-week shadow, then a 10% canary for two weeks" replaces the client's decision with ours. The
same holds for "every suggestion and its justification must be kept for 3 years": a default
"keep prompts and outputs for 90 days, then delete them" contradicts a stated obligation.

- `read_pilot`: the pilot group, its size, duration, site and the step after it, in the client's
  own words (English and Korean). Nothing stated: None, and the default rollout stands.
- `read_retention`: the retention period and what it covers. Nothing stated: None, and the
  default retention line stands.

Both keep the sentence as the quote, so the brief shows where the plan came from.
"""

from __future__ import annotations

import re

from genai_planner.planning.brief import StatedPilot, StatedRetention, stated
from genai_planner.planning.prose import Prose

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_NUM = r"(\d[\d,]*|" + "|".join(_NUMBER_WORDS) + r")"
_PERIOD_EN = _NUM + r"[- ](days?|weeks?|months?|years?)"

# 'pilot with/on/in the 40 card-team counsellors', 'trial it with 25 nurses', 'a pilot of 30 handlers'.
PILOT_EN = re.compile(
    r"\b(?:pilot|trial)(?:\s+(?:it|the\s+(?:tool|assistant|system|service)))?\s+(?:with|on|among|of|in)\s+(?:the\s+|our\s+|a\s+group\s+of\s+|a\s+team\s+of\s+)?"
    + _NUM
    + r"\s+(?P<group>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,3}?)"
    r"(?:\s+(?:in|at|from|on)\s+(?:the\s+|our\s+)?(?P<site>(?-i:[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|\d+)){0,3})(?:\s+(?:office|centre|center|branch|site|ward|depot|plant|hospital|campus|clinic))?))?"
    r"(?=\s+(?:for|then|before|and|comes?|first|starts?|runs?|will|would|is|are|over|during)\b|\s*[,.;(]|$)",
    re.I,
)
"""The pilot verb, then a head-count and the group (a job is a plural noun); the site is a capitalised place."""
PILOT_WORD_EN = re.compile(r"\b(?:pilot|trial)\b", re.I)
NEXT_EN = re.compile(
    r"\b(?:then|after\s+(?:that|which)|before|followed\s+by)\s+(?:we\s+)?(?:will\s+|would\s+|want\s+to\s+|plan\s+to\s+)?"
    r"(?P<next>(?:roll(?:ing)?|extend(?:ing)?|expand(?:ing)?|widen(?:ing)?|go(?:ing)?|open(?:ing)?|scal(?:e|ing))\b[^.;]*)",
    re.I,
)

# '대전센터 카드 상담팀 40명으로 8주간 시범 운영한 뒤 전 센터로 확대'.
PILOT_KO = re.compile(r"(?P<before>[^.。,]{0,40}?)\s*(?P<size>\d[\d,]*)\s*명(?:으로|을\s*대상으로|이|과|와|에서|이\s*먼저)?")
PILOT_WORD_KO = re.compile(r"시범\s*(?:운영|도입|적용|사업)|파일럿|시범적으로")
DURATION_KO = re.compile(r"(\d+)\s*(주|개월|달|일)\s*(?:간|동안)?")
NEXT_KO = re.compile(r"(?:뒤|후|다음)(?:에)?\s*,?\s*(?P<next>[^.。]*?(?:확대|확산|전면\s*도입|전면\s*적용|적용|도입|배포))")
SITE_KO = re.compile(r"^[가-힣]+(?:센터|지점|지사|본부|병원|공장|사무소|캠퍼스|병동|지역|점)$")

# 'must be kept for 3 years', 'retained for seven years', 'keep every draft for 5 years'.
KEEP_PASSIVE_EN = re.compile(
    r"(?P<covers>[^.;:]*?)\s+(?:(?:must|shall|will|should|are\s+to|is\s+to|have\s+to|has\s+to|need\s+to|needs\s+to)\s+be|are|is)\s+"
    r"(?:kept|retained|stored|archived|preserved|held)\s+(?:on\s+file\s+)?for\s+(?:at\s+least\s+|a\s+minimum\s+of\s+)?(?P<period>" + _PERIOD_EN + r")",
    re.I,
)
KEEP_ACTIVE_EN = re.compile(
    r"\b(?:keep|retain|store|archive|preserve)\s+(?P<covers>[^.;:]*?)\s+for\s+(?:at\s+least\s+|a\s+minimum\s+of\s+)?(?P<period>" + _PERIOD_EN + r")",
    re.I,
)
RETENTION_NOUN_EN = re.compile(r"(?P<period>" + _PERIOD_EN + r")\s+retention(?:\s+(?:of|for)\s+(?P<covers>[^.;:,]+))?", re.I)
KEEP_KO = re.compile(r"(?P<covers>[^.。]*?)(?:은|는|을|를|도)?\s*(?:최소\s*)?(?P<period>\d+\s*(?:년|개월|일))\s*(?:간|동안|이상)?\s*(?:보관|보존)")


def _clean_covers_en(covers: str) -> str | None:
    """The thing kept, without a lead-in clause: 'and every suggestion' -> 'every suggestion'."""
    text = re.split(r",\s*|\b(?:and|so|because|since|while)\s+(?=(?:we|they|it|all)\b)", covers)[-1].strip()
    text = re.sub(r"^(?:and|also|that|which|then)\s+", "", text, flags=re.I).strip()
    return text or None


def read_retention(p: Prose) -> StatedRetention | None:
    """The retention period the use case states, and what it covers; None when it states none."""
    if p.korean:
        for m in KEEP_KO.finditer(p.text):
            covers = re.split(r"[,，]\s*|(?:하며|하고|이며)\s+", m.group("covers"))[-1].strip()
            # The topic particle closes what is kept; the words after it say where ('답변은 문서관리시스템에'): not what.
            covers = re.split(r"(?<=[가-힣])(?:은|는)\s+", covers)[0].strip()
            start, end = p.sentence_at(m.start("period"))
            return StatedRetention(period=re.sub(r"\s+", "", m.group("period")), covers=covers or None, evidence=stated(p.quote(start, end)))
        return None
    for rx in (KEEP_PASSIVE_EN, KEEP_ACTIVE_EN, RETENTION_NOUN_EN):
        m = rx.search(p.text)
        if m is None:
            continue
        covers = m.group("covers") or ""
        start, end = p.sentence_at(m.start("period"))
        number, unit = re.match(_PERIOD_EN, m.group("period"), re.I).groups()  # type: ignore[union-attr]
        return StatedRetention(period=_period(number, unit), covers=_clean_covers_en(covers) if covers else None, evidence=stated(p.quote(start, end)))
    return None


def _count(word: str) -> int:
    word = word.lower().replace(",", "")
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _period(number: str, unit: str) -> str:
    """'8 weeks' from ('eight', 'week'): digits, and the unit's plural after more than one."""
    n = _count(number)
    unit = unit.lower().rstrip("s")
    return f"{n} {unit}" + ("s" if n != 1 else "")


def _pilot_en(p: Prose) -> StatedPilot | None:
    for m in PILOT_EN.finditer(p.text):
        start, end = p.sentence_at(m.start())
        sentence = p.text[start:end]
        duration = re.search(r"\bfor\s+(?:about\s+|the\s+first\s+)?" + _PERIOD_EN, sentence, re.I) or re.search(
            r"\b" + _PERIOD_EN + r"\s+(?:pilot|trial)", sentence, re.I
        )
        nxt = NEXT_EN.search(sentence, m.end() - start)
        return StatedPilot(
            group=m.group("group").strip(),
            size=_count(m.group(1)),
            duration=_period(duration.group(1), duration.group(2)) if duration else None,
            site=m.group("site"),
            next_step=nxt.group("next").strip() if nxt else None,
            evidence=stated(p.quote(start, end)),
        )
    return None


def _pilot_ko(p: Prose) -> StatedPilot | None:
    for word in PILOT_WORD_KO.finditer(p.text):
        start, end = p.sentence_at(word.start())
        head = p.text[start : word.start()]
        counts = list(PILOT_KO.finditer(head))
        if not counts:
            continue
        m = counts[-1]
        words = [w for w in re.split(r"\s+", m.group("before").strip()) if w]
        words = [w for w in words if not re.fullmatch(r"(?:우선|먼저|처음에는?|올해|내년|우리는?|저희는?|[가-힣]*(?:은|는))", w)] if len(words) > 1 else words
        site = words[0] if words and SITE_KO.match(words[0]) and len(words) > 1 else None
        group = " ".join(words[1:] if site else words) or "사용자"
        duration = DURATION_KO.search(p.text, start + m.end(), word.start() + 1) or DURATION_KO.search(p.text, start, end)  # m is in `head`
        nxt = NEXT_KO.search(p.text, word.end(), end)
        return StatedPilot(
            group=group,
            size=int(m.group("size").replace(",", "")),
            duration=f"{duration.group(1)}{duration.group(2)}" if duration else None,
            site=site,
            next_step=re.sub(r"\s+", " ", nxt.group("next")).strip() if nxt else None,
            evidence=stated(p.quote(start, end)),
        )
    return None


def read_pilot(p: Prose) -> StatedPilot | None:
    """The pilot the use case plans (group, size, duration, site, next step); None when it plans none.

    Only a pilot with a head-count is read: 'a pilot' alone leaves the sizing to the default rollout,
    and 'marine pilots' (a job) never matches, since the verb must be followed by whom it pilots with.
    """
    if p.korean:
        return _pilot_ko(p)
    if not PILOT_WORD_EN.search(p.text):
        return None
    return _pilot_en(p)


RETENTION_WORDS = {
    "en": {"line": "{covers} for {period}, as the use case requires", "records": "the confirmed records"},
    "ko": {"line": "{covers}을(를) {period}간 보관(사용 사례에 명시된 기간)", "records": "확정된 기록"},
}
"""How the stated retention reads in a document: what is kept, then the client's period."""


def retention_words(retention: StatedRetention | None, language: str) -> str:
    """'every suggestion and its justification for 3 years, as the use case requires'; '' when no retention is stated."""
    if retention is None:
        return ""
    words = RETENTION_WORDS["ko" if language == "ko" else "en"]
    covers = retention.covers or words["records"]
    if len(covers) > 1 and covers[0].isupper() and covers[1].islower():
        covers = covers[0].lower() + covers[1:]  # 'Every suggestion' opens a sentence in the prose, not in the plan
    return words["line"].format(covers=covers, period=retention.period)
