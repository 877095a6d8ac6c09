"""Who does what in the plan: who uses the tool, who approves the plan, who runs its systems.

The documents give people jobs: someone checks every draft, labels the test set, rates the
pilot's outputs, approves the targets and the cost, runs the servers. The brief only lists the
people the use case names, so this module assigns them, by rules that hold for any client:

- **End customers never work on the outputs.** Patients, callers of a helpline, applicants,
  citizens, parents, library patrons and players are whom the service is for; they do not
  review, label, rate or approve anything. The working users are the staff the brief names, or
  failing that the staff-like stakeholders of the scenario, or the neutral "staff".
- **The approver is a named stakeholder when there is one**, with the title the client gave
  ("Chief Medical Officer Dr. Alan Okonkwo"), never a generic "executives" in its place.
- **Whoever runs the systems is named only if the client named them.** A health-information
  department is not an IT team and owns no GPUs. With no IT unit named, the office holder whose
  role fits the work (a CISO for the security review, a CIO or an operations director for the
  systems) takes it; with nobody fitting, a plain role noun ("{org}'s IT lead") leaves the naming
  to the client, rather than inventing IT staff or a circumlocution.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.planning.lexicon import lexicon

EXECUTIVE_EN = (
    "executive", "board", "trustees", "leadership", "senior management", "managing partner", "director", "mayor",
    "ceo", "cfo", "cio", "coo", "chief", "head of", "president", "owner", "principal", "dean", "commissioner", "governor",
)
"""Titles (lower case) of someone who approves targets and money."""
EXECUTIVE_KO = ("경영", "임원", "시장", "원장", "이사", "대표", "관장", "본부장", "실장", "팀장", "센터장", "국장", "과장", "청장", "총장")
"""Korean titles of an approver (a head of an office, a director, a board)."""

IT_EN = ("information technology", "informatics", "devops", "platform team", "data team", "engineering", "infrastructure", "it architecture")
"""Words that name the people who run servers and software (' it ' is matched as a word)."""
IT_KO = ("전산", "정보통신", "정보화", "정보시스템", "IT", "데이터팀", "인프라")
"""Korean words for an IT or data-centre unit ('정보보호팀' and '의료정보팀' are not among them)."""

CUSTOMERS_EXTRA_EN = (
    "patrons", "players", "readers", "viewers", "listeners", "families", "the public", "members of the public", "farmers", "buyers", "consumers",
)
"""End customers the extractor's role list does not carry (it reads staff and public from the prose)."""
CUSTOMERS_EXTRA_KO = ("플레이어", "회원", "보호자", "신청인", "지원자", "이용객", "승객", "독자", "시청자", "농민", "구매자", "화주사", "화주")

NAMED_OFFICES = ("manager", "officer", "lead", "head", "superintendent", "master")
"""Titles that make a named person an approver ('Operations Manager Hemi Walker'); unnamed, 'case managers' are staff."""

DEFAULT_STAFF = {"en": "staff", "ko": "직원"}
DEFAULT_IT = {"en": "{org}'s IT lead", "ko": "{org}의 IT 담당자"}
DEFAULT_EXECUTIVES = {"en": "executives", "ko": "경영진"}

PERSON_NAME_RE = regex_cache.compile(
    r"\b(?:Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Prof\.?)\s+[A-Z]|\(?(?:Mc|Mac|O['’])?[A-Z][a-zà-ÿā-ž]+ (?:Mc|Mac|O['’])?[A-Z][a-zà-ÿā-ž'’-]+\)?$"
)
"""An English value that ends with (or holds) a person's name: 'CEO Joanne Pryce', 'Dr. Alan Okonkwo'."""
KO_PERSON_RE = regex_cache.compile(r"\S+\s+[가-힣]{2,4}$")
"""'허가전략팀장 윤서진': a title then a two- to four-syllable name."""
UNIT_EN_RE = regex_cache.compile(r"\b(?:team|teams|department|departments|office|unit|committee|council|desk|centre|center|board|authority|management)\b", re.I)
UNIT_KO_RE = regex_cache.compile(r"(?:팀|과|실|부|본부|센터|위원회|이사회)$")


@cache
def _customers(language: str) -> tuple[str, ...]:
    roles = lexicon("cues")["roles"]
    words = [*roles["public_en"], *CUSTOMERS_EXTRA_EN] if language == "en" else [*roles["public_ko"], *CUSTOMERS_EXTRA_KO]
    return tuple(sorted({w.lower() for w in words}, key=len, reverse=True))


def _language(value: str) -> str:
    return "ko" if re.search(r"[가-힣]", value) else "en"


def is_end_customer(value: str) -> bool:
    """Whether a group is whom the service is for (its head noun is a customer word): 'callers', 'library users', '민원인'."""
    text = re.sub(r"\s*\([^)]*\)", "", value).strip().lower()
    language = _language(text)
    if language == "ko":
        return any(text == w or text.endswith((" " + w, w)) for w in _customers("ko"))
    head = text.split(" of ")[0] if " of " in text and not text.startswith(("members of", "the public")) else text
    return any(re.search(r"(?:^|\s)" + re.escape(w) + r"$", head) for w in _customers("en"))


def users_are_public(users: list[str]) -> bool:
    """Whether the brief's users are the public (guests, customers, citizens) rather than staff (`cues.yaml` roles):
    the first user naming a staff role says staff, the first naming a public one says public.
    """
    roles = lexicon("cues")["roles"]
    public = [w.lower() for w in roles["public_en"] + roles["public_ko"]]
    staff = [w.lower() for w in roles["staff_en"] + roles["staff_ko"]]
    for user in users:
        low = user.lower()
        if any(re.search(r"(?<![a-z가-힣])" + re.escape(s) + r"(?![a-z])", low) for s in staff):
            return False
        if any(p in low for p in public):
            return True
    return False


def is_named_person(value: str) -> bool:
    """Whether a stakeholder is one named person (with or without a title)."""
    if _language(value) == "ko":
        return bool(KO_PERSON_RE.search(value.strip()))
    return bool(PERSON_NAME_RE.search(value.strip()))


def _matches(value: str, words: tuple[str, ...]) -> bool:
    lowered = f" {value.lower()} "
    return any(w.lower() in lowered for w in words)


def is_executive(value: str) -> bool:
    """Whether a stakeholder approves targets and money (a chief, a director, a board, a head of office)."""
    if _language(value) == "ko":
        first = value.split()[0] if value.split() else value
        return _matches(value, EXECUTIVE_KO) or first.endswith("장")
    return _matches(value, EXECUTIVE_EN)


def is_it(value: str) -> bool:
    """Whether a stakeholder runs servers and software (an IT department, an IT service provider)."""
    if _language(value) == "ko":
        return any(w in value for w in IT_KO)
    return bool(re.search(r"(?<![\w-])IT(?![\w-])", value)) or _matches(value, IT_EN)


def _staff_like(value: str) -> bool:
    """A stakeholder group that could do the daily work: not a customer, an approver, IT, one person or a unit."""
    if is_end_customer(value) or is_executive(value) or is_it(value) or is_named_person(value):
        return False
    if _language(value) == "ko":
        return not UNIT_KO_RE.search(value.strip())
    capitalised = [w for w in value.split() if w[:1].isupper() and not w.isupper()]
    return not UNIT_EN_RE.search(value) and not capitalised


def working_users(users: list[Any], stakeholders: list[Any], language: str) -> list[str]:
    """The people who use the tool and check its outputs: the brief's users that are staff, else the
    staff-like stakeholders the scenario names, else the neutral 'staff'. Never end customers.
    """
    stated = [u.value for u in users if not is_end_customer(u.value) and u.evidence.source != "default"]
    if stated:
        return stated
    named = [s.value for s in stakeholders if _staff_like(s.value) and s.evidence.source != "default"]
    if named:
        return named[:2]
    defaults = [u.value for u in users if not is_end_customer(u.value)]
    return defaults or [DEFAULT_STAFF[language]]


def approver(stakeholders: list[Any], language: str) -> str:
    """Who approves the targets and the cost: the first executive stakeholder, a named person first."""
    executives = [s.value for s in stakeholders if is_executive(s.value)]
    # A named office holder approves even under a title the executive list lacks ('Operations Manager Hemi Walker'):
    # the client named that person, so the plan does not replace them with 'executives'.
    named = [s.value for s in stakeholders if is_named_person(s.value) and (is_executive(s.value) or _matches(s.value, NAMED_OFFICES))]
    # A person the prose names as signing off with no title ('Fiona MacLeod signs off every change') still comes before a generic title.
    people = [s.value for s in stakeholders if is_named_person(s.value) and s.evidence.source == "stated" and SIGNS_RE.search(s.evidence.quote or "")]
    # A security or systems office (a CISO) reviews and runs the systems (`systems_owner`); it approves targets and
    # money only when no other executive is named.
    business_named = [v for v in named if not SYSTEMS_OFFICE_RE.search(v)]
    business_executives = [v for v in executives if not SYSTEMS_OFFICE_RE.search(v)]
    return (business_named or people or business_executives or named or executives or [DEFAULT_EXECUTIVES[language]])[0]


SIGNS_RE = regex_cache.compile(r"\b(?:approves?|signs?(?:\s+off)?)\b|승인|결재", re.I)
"""A quote that says the person approves or signs off."""

SHORT_IT = {"en": "the IT lead", "ko": "IT 담당자"}
PERSON_TAIL_RE = regex_cache.compile(r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?:Mc|Mac|O['’])?[A-Z][a-zà-ÿā-ž'’-]+(?:\s+(?:Mc|Mac|O['’])?[A-Z][a-zà-ÿā-ž'’-]+)+\)?$")


def short_name(value: str, language: str, org: str = "") -> str:
    """A second mention, for a document over its word limit: the person without the title ('Dr. Alan Okonkwo'),
    the role to name without the organisation ('the system owner'); anything else as it is.
    """
    if value == DEFAULT_IT[language].format(org=org):
        return SHORT_IT[language]
    if language == "ko":
        match = KO_PERSON_RE.search(value)
        return value.split()[-1] if match else value
    match = PERSON_TAIL_RE.search(value.strip())
    return match.group(0).strip("()") if match and match.start() > 0 else value


SYSTEMS_OFFICE_RE = re.compile(
    r"\b(?:CISO|CIO|CTO|CDO|chief (?:information|technology|digital)(?: security)? officer|(?:information )?security officer|"
    r"head of (?:IT|technology|security|information security|systems)|(?:IT|operations|technology|systems) director|"
    r"director of (?:IT|operations|technology|systems))\b|정보보호최고책임자|정보보호책임자|정보보안책임자|보안책임자|전산실장|운영본부장|운영이사",
    re.I,
)
"""An office holder whose role fits the systems work (security review, servers, operations) when no IT unit is named."""


def systems_office(stakeholders: list[Any]) -> str | None:
    """The named office holder whose role fits the systems work ('CISO 김도윤', 'Operations Director Ana Silva'), a named person first."""
    fitting = [s.value for s in stakeholders if SYSTEMS_OFFICE_RE.search(s.value)]
    named = [v for v in fitting if is_named_person(v)]
    return (named or fitting or [None])[0]


def systems_owner(stakeholders: list[Any], org: str, language: str) -> str:
    """Who runs the servers, the provider account and the rollback: the IT stakeholder the client named, else the office
    holder whose role fits (`systems_office`), else a plain role to name ('{org}'s IT lead').
    """
    named = [s.value for s in stakeholders if is_it(s.value)]
    return named[0] if named else systems_office(stakeholders) or DEFAULT_IT[language].format(org=org)
