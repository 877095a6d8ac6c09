"""Laws the prose names that the regulation table does not list.

`regulations.yaml` lists the laws whose consequences the plan knows (GDPR, HIPAA, 개인정보보호법);
a client names many more: a country's privacy act, an EU regulation by number, an aviation
authority's Part, a data-protection law by its acronym. Dropping them made the documents say that
"none is named" about a client who named one. These readings find a law by its form, not by a list:

- **A titled act, code or regulation**: capitalised words ending in Act, Law, Code, Regulations,
  Ordinance or Decree, with the year where given ("Privacy Act 2020", "Kenya Data Protection Act,
  2019"; a Code, Regulations, Ordinance or Decree only with its year).
- **An EU act by number**: "Regulation (EU) 2019/779", "Directive 2002/58/EC".
- **An authority's Part**: "Part-145", "FAA Part 135".
- **An acronym where a law is meant**: after "under", "comply with", "in line with", "subject to",
  "bound by" ("under POPIA", "the UAE PDPL applies"), or before "applies"/"compliance"; never a
  system's name (SAP, CMS) and never an acronym that only qualifies "requirements of" another law.
- **Korean**: a noun compound ending in 법, 법률, 시행령, 시행규칙, 규정 or 고시 whose nouns before the
  ending run to three syllables or more ('철도안전법', '위치정보법', '전자금융감독규정'), so that
  '작성법', '방법', '내부 규정' stay ordinary words; anything in 「」 that ends so.
"""

from __future__ import annotations

import re

from genai_planner.planning.prose import Prose

_CAP = r"[A-Z][A-Za-z'’-]*"
_LINK = r"(?:of|and|for|the|on|in|to|&)"
_TITLED = re.compile(
    r"\b(?P<name>" + _CAP + r"(?:\s+(?:" + _CAP + r"|" + _LINK + r"))*?\s+"
    r"(?:(?P<act>Act|Law)(?:,?\s+(?:19|20)\d\d)?|(?P<dated>Code|Regulations|Rules|Ordinance|Decree)\s+(?:of\s+)?(?:19|20)\d\d))\b"
)
_EU_NUMBERED = re.compile(
    r"\b(?:(?:Commission|Council)\s+(?:Implementing\s+|Delegated\s+)?)?(?:Regulation|Directive|Decision)\s+"
    r"(?:\((?:EU|EC|EEC|EU,\s?Euratom)\)\s+(?:No\.?\s*)?\d{2,4}/\d{1,4}|(?:No\.?\s*)?\d{2,4}/\d{1,4}/(?:EU|EC|EEC))"
)
_PART = re.compile(r"\b(?:[A-Z]{2,5}\s+Part[- ]\d{1,4}[A-Z]?|Part-\d{1,4}[A-Z]?)\b")
_DECREE_LAW = re.compile(r"\b(?:Federal\s+)?Decree[- ]Law\s+No\.?\s*\d+(?:\s+of\s+(?:19|20)\d\d)?")

_ACRONYM = r"(?P<acr>[A-Z][A-Z0-9]{2,7})"
_QUALIFIER = r"(?:(?P<qual>[A-Z]{2,4}|[A-Z][a-z]+(?:'s|’s)?)\s+)?"
_BEFORE = re.compile(
    r"\b(?:under|comply with|complies with|complying with|compliant with|compliance with|in line with|subject to|bound by|"
    r"governed by|required by|obligations under|meet|meets|follow|follows|per|against)\s+(?:the\s+)?" + _QUALIFIER + _ACRONYM + r"\b(?!-)"
)
_AFTER = re.compile(
    r"\b(?:the\s+)?" + _QUALIFIER + _ACRONYM + r"\s+(?:applies|apply|compliance|obligations|rules)\b|\b" + _ACRONYM.replace("acr", "acr2") + r"-compliant\b"
)
_NOT_LAWS = frozenset(
    {
        "SAP", "CMS", "API", "APIS", "CRM", "ERP", "PDF", "GPU", "CPU", "SLA", "SLAS", "KPI", "KPIS", "LLM", "OCR", "EMR", "EHR", "SQL", "AWS",
        "GCP", "IBM", "NHS", "CEO", "CFO", "CIO", "CTO", "COO", "ECM", "MRO", "ATA", "PLN", "USD", "EUR", "GBP", "NZD", "AUD", "KRW", "CAD",
        "CHF", "JPY", "FAQ", "FAQS", "HR", "RAG", "VPN", "SSO", "UTC", "ISO", "IEC", "THE", "AND", "OUR", "ALL", "ANY", "NOT", "NEVER",
    }
)
_LEADING = re.compile(r"^(?:(?:The|Under|Per|As|By|In|With|Our|We|And|Also|Both|Each|For|Of|Since|Because|This|That|These|Any|All|Its|Their|New)\s+)+")
_UNDER_NAME = re.compile(r"^(?:of|and|for|the|on|in|to|&)\b", re.I)

_LAW_TOPICS = frozenset(
    {"protection", "privacy", "security", "information", "data", "labour", "labor", "tax", "consumer", "banking", "health", "safety",
     "cybersecurity", "insurance", "employment", "competition", "procurement", "archives", "records", "transport", "railway", "aviation"}
)
"""The word before 'Law' in a law's name without a year ('... Protection Law')."""
_KO_ENDING = re.compile(r"(?:법률|시행령|시행규칙|법|규정|고시)$")
_KO_HOW_TO = frozenset(
    {"작성", "사용", "활용", "계산", "표기", "조리", "치료", "학습", "공부", "운영", "검토", "입력", "분류", "해결", "표현", "접근", "측정", "평가",
     "대처", "해석", "방법", "기법", "문법", "요법", "해법", "용법", "어법", "화법", "비법", "불법", "합법", "위법", "편법", "수법", "방",
     "내부", "사내", "회사", "관련", "해당", "보안", "자체", "기존"}
)
"""The word before 법/규정 that makes a way of doing or an in-house rule ('작성법', '내부 규정'), not a law."""
_KO_BRACKETED = re.compile(r"「([^」]{2,60}?(?:법률|시행령|시행규칙|법|규정|고시|규칙|지침|기준))」")


def _titled(p: Prose) -> list[tuple[int, int, str]]:
    out = []
    for m in _TITLED.finditer(p.text):
        name = m.group(0)
        lead = _LEADING.match(name)
        start = m.start() + (lead.end() if lead else 0)
        name = p.text[start : m.end()]
        owner = re.match(r"\S+(?:'s|’s)\s+", name)
        if owner:  # "China's Personal Information Protection Law": the law without its owner
            start, name = start + owner.end(), name[owner.end() :]
        words = name.split()
        if m.group("act") == "Law" and not re.search(r"\d{4}$", name) and words[-2].lower() not in _LAW_TOPICS:
            continue  # 'Ask Jo Law' is a person; 'Personal Information Protection Law' is a law
        if len(words) < 2 or _UNDER_NAME.match(words[0]) or not words[0][:1].isupper():
            continue
        out.append((start, m.end(), " ".join(words).replace(" ,", ",")))
    return out


def _acronyms(p: Prose) -> list[tuple[int, int, str]]:
    out = []
    for pattern in (_BEFORE, _AFTER):
        for m in pattern.finditer(p.text):
            group = "acr" if m.groupdict().get("acr") else "acr2"
            acr = m.group(group)
            if acr.upper() in _NOT_LAWS or p.text[m.end(group) : m.end(group) + 16].lstrip().startswith(("requirements of", "rules of")):
                continue
            qual = m.groupdict().get("qual")
            qual = qual if qual and qual.upper() not in _NOT_LAWS and qual not in {"The", "Our", "Their", "Its"} else None
            start = m.start("qual") if qual else m.start(group)
            out.append((start, m.end(group), f"{qual.rstrip('’s').rstrip(chr(39))} {acr}" if qual else acr))
    return out


def _korean(p: Prose) -> list[tuple[int, int, str]]:
    from genai_planner.tools.korean import _kiwi  # the analyser loads only for Korean prose

    out = [(m.start(1), m.end(1), m.group(1)) for m in _KO_BRACKETED.finditer(p.text)]
    tokens = _kiwi().tokenize(p.text)
    run: list = []
    for tok in tokens:
        if tok.tag.startswith("NN") or tok.tag in {"SL", "SN", "XPN", "XSN"}:
            if run and tok.start > run[-1].start + run[-1].len + 1:
                run = []  # two spaces or a cut: a new compound
            run.append(tok)
            head = tok.form
            if _KO_ENDING.search(head) and len(run) >= 1:
                ending = _KO_ENDING.search(head).group(0)
                before = "".join(t.form for t in run)[: -len(ending)]
                if len(re.findall(r"[가-힣]", before)) >= 3:
                    end = tok.start + tok.len
                    words = p.text[run[0].start : end].split()
                    # the fewest words from the end whose nouns before the ending run to three syllables
                    for n in range(1, len(words) + 1):
                        if len(re.findall(r"[가-힣A-Za-z]", "".join(words[-n:]))) - len(ending) >= 3:
                            break
                    if re.sub(r"(?:법|규정)$", "", words[-1]) in _KO_HOW_TO or words[-1] in _KO_HOW_TO:
                        continue  # '작성법', '검토 방법', '내부 규정': a way of doing, not a law
                    start = p.text.rfind(words[-n], run[0].start, end)
                    out.append((start, end, p.text[start:end]))
        else:
            run = []
    return out


_LISTED_ACRONYM = re.compile(r"\s*(?:,\s*|\s+)(?:and|or|as well as)?\s*(?:the\s+)?(?P<acr>[A-Z][A-Z0-9]{2,7})\b(?![-\w])")


def _listed_after(p: Prose, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """An acronym listed right after a law ('the Privacy Act 2020 and POPIA'): a law too."""
    out = []
    for _, end, _ in found:
        m = _LISTED_ACRONYM.match(p.text, end)
        if m and m.group("acr") not in _NOT_LAWS:
            out.append((m.start("acr"), m.end("acr"), m.group("acr")))
    return out


def named_laws(p: Prose) -> list[tuple[int, int, str]]:
    """(start, end, name) of each law the prose names by its form, in text order, longest first where spans overlap."""
    found = _korean(p) if p.korean else []
    for pattern in (_EU_NUMBERED, _PART, _DECREE_LAW):
        found += [(m.start(), m.end(), " ".join(m.group(0).split())) for m in pattern.finditer(p.text)]
    found += _titled(p) + _acronyms(p)
    if not p.korean and re.search(r"[가-힣]", p.text):
        found += _korean(p)
    found += _listed_after(p, found)
    out: list[tuple[int, int, str]] = []
    for start, end, name in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if any(a < end and start < b for a, b, _ in out):
            continue
        out.append((start, end, name.strip()))
    return out
