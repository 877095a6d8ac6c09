"""People the prose names outside the role lexicon: working groups it counts, and named office holders.

The role lexicon (`cues.yaml` roles) knows common jobs (nurses, adjusters, agents), but every
client has its own: marine pilots, skippers, assessors, sommeliers. Two general readings find them:

- **A counted group that does the work.** "a cooperative of 23 marine pilots ... a pilot reads the
  ship's particulars ... the pilot checks": a plural noun after a count is a working group when its
  singular is the subject of a work verb elsewhere in the prose. Things are counted too ("40 ship
  movements"), but a movement never reads or checks anything, so only people pass.
- **A named office holder.** "the Chief Pilot, Captain Aroha Ngata, approves the rollout",
  "Mere Tane, our Head of Customer Experience, signs off", "CEO Joanne Pryce": a person's name
  beside a title. The stakeholder is written title first ("Chief Pilot Captain Aroha Ngata"),
  so `roles.approver` picks that person by name rather than a generic "executives".

Counted workers are read in English only (Korean roles are nouns the lexicon lists, `staff_ko`); Korean
office holders are a three-syllable name beside a title ('김도윤 본부장').
"""

from __future__ import annotations

import re

from genai_planner.core import regex_cache
from genai_planner.planning.brief import Text, stated
from genai_planner.planning.lexicon import lexicon
from genai_planner.planning.prose import Prose
from genai_planner.tools.korean import _kiwi

HONORIFIC = r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Captain|Capt|Commander|Sir|Dame|Judge|Rev|Father|Sister)\.?\s+)"
NAME_WORD = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-zà-ÿā-ž'’-]+"
"""One word of a name, with an inner capital where names have one ('MacLeod', 'O'Brien') and macrons ('Pōtae')."""
NAME = HONORIFIC + r"?" + NAME_WORD + r"(?:\s+(?:van|von|de|da|del|le|la|bin|ben|" + NAME_WORD + r")){1,3}"
TITLE_WORD = r"[A-Z][A-Za-z&-]*"
TITLE = TITLE_WORD + r"(?:\s+(?:of|for|and|the|&)?\s*" + TITLE_WORD + r"){0,5}"

TITLE_THEN_NAME = regex_cache.compile(r"(?P<title>" + TITLE + r"),\s+(?P<name>" + NAME + r")\s*,")
NAME_THEN_TITLE = regex_cache.compile(r"(?P<name>" + NAME + r"),\s+(?:our|the|its|their)\s+(?P<title>[A-Za-z][A-Za-z& -]{2,50}?)\s*,")
TITLE_NAME = regex_cache.compile(
    r"(?P<title>" + TITLE + r")\s+(?P<name>" + NAME + r")(?=\s+(?:approves|signs|decides|owns|sponsors|leads|chairs|will|must|has|is)\b)"
)

NAME_SIGNS = re.compile(
    r"(?<![A-Za-z,] )(?P<name>" + NAME + r")\s+(?:(?:still|personally|always|must|will|has\s+to)\s+)?"
    r"(?:approves|signs\s+off|signs|must\s+approve|will\s+approve)\b"
)
"""'Fiona MacLeod signs off every change': a named person who approves, with no title given."""

OFFICE_WORDS = (
    "chief", "head", "director", "manager", "president", "officer", "ceo", "cfo", "coo", "cio", "cto", "dean", "mayor",
    "principal", "chair", "owner", "partner", "master", "superintendent", "commissioner", "governor", "lead", "secretary",
    "registrar", "editor", "captain", "pilot",
)
"""Words that make a capitalised phrase a title ('Chief Pilot', 'Head of Customer Experience')."""

WORK_VERBS = (
    r"(?:reads|read|checks|check|reviews|review|signs|sign|writes|write|drafts|draft|edits|edit|answers|answer|handles|handle|"
    r"prepares|prepare|approves|approve|files|file|types|type|dictates|dictate|compiles|compile|spends|spend|fills|fill|"
    r"triages|triage|translates|translate|inspects|inspect|assesses|assess|guides|guide)"
)
NUMBER_WORDS = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few)"
PLURAL_CHECKERS = re.compile(
    r"\b(?:our|the|their)\s+(?:" + NUMBER_WORDS + r"\s+)?(?:senior\s+|qualified\s+|duty\s+)?(?P<noun>[a-z][a-z-]{3,}(?:ists|ors|ians))"
    r"(?:\s*,\s*[^,.;]{3,60}?,)?\s+(?:still\s+|then\s+|also\s+|always\s+)?(?:check|review|approve|verify|correct|sign\s+off)\b"
)
"""A group by its job ('archivists', 'inspectors', 'surveyors') that checks, reviews or approves the outputs."""
NOT_PEOPLE = frozenset({"it", "ai", "tool", "model", "system", "assistant", "chatbot", "bot", "service", "app", "platform", "team", "process"})


def _title_ok(title: str) -> bool:
    words = title.lower().split()
    return bool(words) and any(w in OFFICE_WORDS for w in words) and words[0] not in {"we", "our", "the", "and"}


def _clean_title(title: str) -> str:
    return re.sub(r"^(?:The|Our|Their|Its)\s+", "", title.strip())


KO_SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공"
    "현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉"
)
KO_TITLE = (
    r"(?:[가-힣]{0,6}(?:본부장|센터장|원장|처장|국장|실장|팀장|부장|과장|소장|단장|사장|회장|이사장|이사|대표|대표이사|책임자|총장|청장|시장|구청장)"
    r"|CISO|CIO|CTO|CPO|CDO)"
)
KO_NAME_TITLE = regex_cache.compile(
    r"(?<![가-힣])(?P<name>[" + KO_SURNAMES + r"][가-힣]{2})\s(?P<title>" + KO_TITLE + r")(?:님)?(?=이|가|은|는|께서|의|과|와|\s|$)"
)
KO_TITLE_NAME = regex_cache.compile(
    r"(?<![가-힣])(?P<title>" + KO_TITLE + r")\s(?P<name>[" + KO_SURNAMES + r"][가-힣]{2})(?=이|가|은|는|께서|의|과|와|님|\s|$)"
)
"""'김도윤 본부장이 승인', '본부장 김도윤이', '김도윤 CISO가': a three-syllable name that opens with a common surname beside an office title."""


def _korean_office_holders(p: Prose) -> list[Text]:
    out: list[Text] = []
    for pattern in (KO_NAME_TITLE, KO_TITLE_NAME):
        for m in pattern.finditer(p.text):
            if len(_kiwi().tokenize(m.group("name"))) > 1:
                continue  # '도입은 센터장 ...': a noun and its particle, not a name
            value = f"{m.group('title')} {m.group('name')}"
            if value not in [t.value for t in out]:
                out.append(Text(value=value, evidence=stated(p.quote(m.start(), m.end()))))
    return out


def named_office_holders(p: Prose) -> list[Text]:
    """'Chief Pilot Captain Aroha Ngata' from 'the Chief Pilot, Captain Aroha Ngata, approves ...' (title first, as written);
    '본부장 김도윤' from '김도윤 본부장이 승인합니다'.
    """
    if p.korean:
        return _korean_office_holders(p)
    out: list[Text] = []
    seen: set[str] = set()
    for pattern in (TITLE_THEN_NAME, NAME_THEN_TITLE, TITLE_NAME):
        for m in pattern.finditer(p.text):
            title, name = _clean_title(m.group("title")), " ".join(m.group("name").split())
            if not _title_ok(title) or name in seen or title.lower() in name.lower():
                continue
            if pattern is NAME_THEN_TITLE:
                small = {"of", "for", "and", "the"}
                title = " ".join(w if w.isupper() or w in small else w[:1].upper() + w[1:] for w in title.split())
            seen.add(name)
            out.append(Text(value=f"{' '.join(title.split())} {name}", evidence=stated(p.quote(m.start(), m.end()).rstrip(" ,"))))
    for m in NAME_SIGNS.finditer(p.text):
        name = " ".join(m.group("name").split())
        if name not in seen and not any(name in t.value for t in out) and name.split()[0] not in {"The", "Our", "Their", "Each", "Every"}:
            seen.add(name)
            out.append(Text(value=name, evidence=stated(p.quote(m.start(), m.end()))))
    return out


def counted_workers(p: Prose) -> list[Text]:
    """'marine pilots' from '23 marine pilots ... a pilot reads ...': a counted plural whose singular does the work."""
    if p.korean:
        return []
    adverb = r"(?:(?:then|now|still|also|always|usually|must|will)\s+)?"
    subject = r"\b(?:a|an|the|each|every|our|their|one)\s+([a-z][a-z-]{2,})\s+" + adverb + WORK_VERBS + r"\b"
    subjects = {m.group(1) for m in re.finditer(subject, p.low)}
    subjects -= NOT_PEOPLE
    public = {w.lower() for w in lexicon("cues")["roles"]["public_en"]}
    out: list[Text] = []
    # 'our two archivists, Hamish Tait and Mere Pōtae, check every record': a group the prose names as checking
    # the work is a working group, whether or not the role lexicon knows the job.
    for m in PLURAL_CHECKERS.finditer(p.low):
        noun = m.group("noun")
        singular = re.sub(r"(?:es|s)$", "", noun) if noun.endswith(("ches", "shes", "sses")) else noun[:-1]
        if singular in NOT_PEOPLE or noun in public or noun in NOT_PEOPLE or noun in [t.value.lower() for t in out]:
            continue
        out.append(Text(value=p.text[m.start("noun") : m.end("noun")], evidence=stated(p.quote(m.start(), m.end()))))
    for m in re.finditer(r"\b\d[\d,]*\s+((?:[a-z][a-z-]+\s+)?([a-z][a-z-]+?)(?:s|es))\b", p.low):
        singular = m.group(2)
        if singular in subjects and singular + "s" not in public and m.group(1) not in [t.value for t in out]:
            value = p.text[m.start(1) : m.end(1)]
            modifier = value.split()[0].lower() if len(value.split()) > 1 else ""
            if modifier and not re.fullmatch(r"[a-z-]+", modifier) or modifier in {"more", "new", "other", "full", "part"}:
                value = value.split()[-1]
            out.append(Text(value=value, evidence=stated(p.quote(m.start(), m.end()))))
    return out


NEGATED_WORK_EN = re.compile(
    r"\b(?P<group>[a-z][a-z-]+s)\s+(?:(?:do|does|will|must|should|can|may|are)\s+not|don['’]t|doesn['’]t|won['’]t|can['’]t|cannot|never|are\s+not\s+allowed\s+to)\s+"
    r"(?:ever\s+|themselves\s+)?(?:approve|review|see|check|sign|use|read|edit|touch|access|receive|handle|open|work\s+on)\b"
)
"""'volunteers do not approve records', 'residents never see the draft': a group kept off the outputs."""
NEGATED_WORK_KO = re.compile(
    r"(?<![가-힣])(?P<group>[가-힣]{2,8}?)(?:들)?(?:은|는|이|가|께서는)\s+(?:[가-힣A-Za-z]+\s+){0,3}?"
    r"[가-힣]*?(?:승인|검토|확인|사용|열람|결재|수정|이용|보|받|읽|만지)(?:하지|지)\s?(?:않|못)"
)
"""'자원봉사자는 아무것도 승인하지 않으며', '입주민은 초안을 보지 않습니다'."""


def barred_groups(p: Prose) -> set[str]:
    """Groups the prose says never approve, review, see or use the outputs (lower case, as written):
    such a group is not a user or reviewer of the tool, however often the prose mentions it.
    """
    pattern = NEGATED_WORK_KO if p.korean else NEGATED_WORK_EN
    return {m.group("group") for m in pattern.finditer(p.low)}


def is_barred(value: str, barred: set[str]) -> bool:
    """Whether a role value names a barred group ('volunteers', 'museum volunteers', '자원봉사자들')."""
    low = value.lower()
    return any(low == g or low.endswith((" " + g, g + "들")) or (re.search(r"[가-힣]", g) and low.endswith(g)) for g in barred)
