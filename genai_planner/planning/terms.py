"""The words of a use case: where data may go, languages, laws, sector, tasks, latency and people.

Each reader returns brief facts with their evidence: `stated` with a quote taken from the prose
(always a substring of it), or `inferred` with a one-line reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.core.languages import iso_639_1
from genai_planner.planning.brief import (
    TASK_TYPES,
    Evidence,
    LatencyFact,
    Regulation,
    ResidencyFact,
    SectorFact,
    SensitivityFact,
    Text,
    inferred,
    stated,
)
from genai_planner.planning.law_names import named_laws
from genai_planner.planning.lexicon import any_match, lexicon, rx
from genai_planner.planning.prose import Prose
from genai_planner.planning.quantities import strip_particle
from genai_planner.planning.routes import place_codes

_NOUNS_ENDING_GWA = {"결과", "효과", "성과", "학과", "교과", "부과", "통과", "초과", "사과", "분과", "외과", "내과", "치과"}
_RESIDENCY_RANK = {"on_premises": 4, "private_cloud": 3, "cloud_ok": 2, "condition": 1}


def _msg(p: Prose, language: str, en: str, ko: str) -> str:
    return ko if language == "ko" else en


# -------------------------------------------------------------------- residency
@dataclass
class ResidencyHit:
    """One residency phrase found in the prose."""

    kind: str  # on_premises | private_cloud | cloud_ok | condition
    start: int
    end: int
    negated: bool = False


def residency_hits(p: Prose) -> list[ResidencyHit]:
    """Every residency phrase, with on-premises phrases turned into permissions where negated."""
    table = lexicon("residency")
    hits: list[ResidencyHit] = []
    regions = table["regions"]
    for kind in ("on_premises", "private_cloud", "condition", "cloud_ok"):
        for pattern in table[kind]["en"] + table[kind]["ko"]:
            for m in p.find(rx(pattern)):
                hit = ResidencyHit(kind, m.start(), m.end())
                if kind == "on_premises":
                    if re.search(r"leave$", m.group(0)):
                        nxt = p.low[m.end() : m.end() + 30].strip()
                        if any(nxt.startswith(r + " ") or nxt.startswith(r + ".") or nxt == r or nxt.startswith(r + ",") for r in regions):
                            hit.kind = "condition"
                    if _outside_a_place(p, m.end()):
                        hit.kind = "condition"  # "may not be sent to any service hosted outside Japan": a region, not our own servers
                    c_start, c_end = p.clause_at(m.start())
                    s_start, _ = p.sentence_at(m.start())
                    before = p.low[max(s_start, m.start() - 60) : m.start()]
                    after = p.low[m.end() : c_end + 30]
                    if any_match(table["negators"]["before"], before) or any_match(table["negators"]["after"], after):
                        hit.kind, hit.negated = "cloud_ok", True
                if not any(h.start <= hit.start < h.end and h.kind == hit.kind for h in hits):
                    hits.append(hit)
    for m in re.finditer(
        r"\b(?:stay|stays|remain|remains|be\s+stored|stored|be\s+processed|processed|be\s+hosted|hosted|be\s+kept|kept)\s+(?:in|within|inside)\s+(?:the\s+)?([A-Z][A-Za-z]+|[A-Z]{2,})\b",
        p.text,
    ):
        if _is_place(m.group(1)) and not any(h.start <= m.start() < h.end for h in hits):
            hits.append(ResidencyHit("condition", m.start(), m.end()))  # a place: "must stay in the UAE"
    return sorted(hits, key=lambda h: h.start)


def _outside_a_place(p: Prose, end: int) -> bool:
    """Whether the words after an on-premises phrase name a country or region it must not go outside ('... outside Japan', '... outside the EU')."""
    m = re.match(r"\s*(?:[\w-]+\s+){0,3}?(?:outside|beyond)\s+(?:of\s+)?(?:the\s+)?([a-z]+(?:\s+[a-z]+)?)", p.low[end : end + 60])
    return bool(m and place_codes(m.group(1), p))


_NOT_PLACES = {"API", "APIS", "CRM", "ERP", "EMR", "EHR", "IT", "HR", "AI", "LLM", "SAP", "PDF", "SQL", "VPC", "AWS", "GCP", "OCR", "QA", "FAQ"}


def _is_place(word: str) -> bool:
    """A country or region ('UAE', 'Canada', 'Korea'), not a product or system ('SharePoint', 'CRM')."""
    if word.isupper():
        return 2 <= len(word) <= 4 and word not in _NOT_PLACES
    countries = lexicon("regulations")["countries"]
    low = word.lower()
    known = any(rx(pattern).fullmatch(low) or rx(pattern).search(f" {low} ") for patterns in countries.values() for pattern in patterns)
    return known or low in {"canada", "australia", "singapore", "switzerland", "norway", "india", "brazil", "mexico", "china", "taiwan", "vietnam", "indonesia"}


def read_residency(p: Prose, language: str) -> ResidencyFact | None:
    """on_premises > private_cloud > cloud_ok > condition; a private cloud named with an on-premises phrase in one sentence is a private cloud."""
    hits = residency_hits(p)
    if not hits:
        return None
    by_sentence: dict[tuple[int, int], set[str]] = {}
    for h in hits:
        by_sentence.setdefault(p.sentence_at(h.start), set()).add(h.kind)
    kinds = set()
    for sentence_kinds in by_sentence.values():
        if "private_cloud" in sentence_kinds and "on_premises" in sentence_kinds:
            sentence_kinds = sentence_kinds - {"on_premises"}
        kinds |= sentence_kinds
    for h in hits:
        if "on_premises" not in kinds and h.kind == "on_premises":
            h.kind = "private_cloud"
    best = max(kinds, key=lambda k: _RESIDENCY_RANK[k])
    if best == "condition":
        hit = next(h for h in hits if h.kind == "condition")
        reason = _msg(
            p,
            language,
            "the use case restricts how a provider may handle the data but does not allow a shared cloud API: treated as a private deployment",
            "외부 사업자의 데이터 처리에 제한을 두었으나 클라우드 사용을 허용한다는 말은 없어 전용 환경으로 봄",
        )
        return ResidencyFact(value="private_cloud", evidence=Evidence(source="inferred", quote=p.sentence_quote(hit.start), reason=reason))
    hit = next(h for h in hits if h.kind == best)
    if best == "cloud_ok" and hit.negated:
        reason = _msg(p, language, "the use case says the data does not need to stay on premises", "데이터를 내부에 둘 필요가 없다고 함")
        return ResidencyFact(value="cloud_ok", evidence=Evidence(source="stated", quote=p.sentence_quote(hit.start), reason=reason))
    return ResidencyFact(value=best, evidence=stated(p.sentence_quote(hit.start)))  # type: ignore[arg-type]


# -------------------------------------------------------------------- languages
def read_languages(p: Prose) -> list[tuple[str, int, int]]:
    """(ISO code, start, end) for each language the prose names as a language, in order of first mention."""
    table = lexicon("languages")
    cue_nouns = set(table["cue_nouns"])
    function_words = set(table["function_words"])
    before_words = table["before_words"]
    found: dict[str, tuple[int, int]] = {}
    for code, names in table["languages"].items():
        for name in names.get("ko", []):
            for m in p.find(rx(r"(?<![가-힣])" + re.escape(name))):
                found.setdefault(code, (m.start(), m.end()))
        for name in names.get("en", []):
            for m in p.find(rx(r"\b" + re.escape(name) + r"\b")):
                if code in found and found[code][0] < m.start():
                    break
                if _is_language_use(p, m.start(), m.end(), cue_nouns, function_words, before_words):
                    found[code] = (m.start(), m.end()) if code not in found else min(found[code], (m.start(), m.end()))
                    break
    # Any other language langcodes knows, where the words around it leave no doubt
    # ("Icelandic-speaking", "Estonian language", "translate into Latvian").
    strong_after = rx(r"(?:\s*[-‐]\s?speaking|\s+languages?\b)")
    strong_before = rx(r"\b(?:" + "|".join(re.escape(w) for w in before_words) + r")\s+$")
    after_in = rx(r"\s*(?:[^\sa-z]|$)|\s+(?:" + "|".join(re.escape(w) for w in sorted(cue_nouns | function_words)) + r")\b")
    for m in p.find(rx(r"\b[a-z]{4,}\b")):
        before_text = p.low[max(0, m.start() - 25) : m.start()]
        in_x = re.search(r"\bin\s+$", before_text) and after_in.match(p.low, m.end())  # "replies in Icelandic."
        if not (strong_after.match(p.low, m.end()) or strong_before.search(before_text) or in_x):
            continue
        code = iso_639_1(m.group(0))
        if code and code not in found:
            found[code] = (m.start(), m.end())
    return sorted(((code, a, b) for code, (a, b) in found.items()), key=lambda x: x[1])


def _is_language_use(p: Prose, start: int, end: int, cue_nouns: set[str], function_words: set[str], before_words: list[str]) -> bool:
    after = p.low[end : end + 30]
    before = p.low[max(0, start - 25) : start]
    if re.match(r"[-‐]\s?(?:speaking|language|speaker)", after):
        return True
    if any(re.search(r"\b" + re.escape(w) + r"\s+$", before) for w in before_words):
        return True
    names = {n for v in lexicon("languages")["languages"].values() for n in v.get("en", [])}
    if regex_cache.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names)) + r")\s*(?:,|and|or)\s*$").search(before):
        return True  # the second of a pair: "in Norwegian and Swedish about orders"
    nxt = re.match(r"\s*([a-z]+)", after)
    if not nxt or re.match(r"\s*[^\sa-z]", after):
        return True  # punctuation or end: "in English.", "Korean, Japanese"
    word = nxt.group(1)
    if word in cue_nouns or word in function_words:
        return True
    return word in names


# ------------------------------------------------------------------ regulations
def _countries(p: Prose, currencies: list[str]) -> set[str]:
    table = lexicon("regulations")
    found = {country for country, patterns in table["countries"].items() if any_match(patterns, p.low)}
    if not found:
        found = {table["currency_country"][c] for c in currencies if c in table["currency_country"]}
    if not found and p.korean:
        found = {"KR"}
    return found


def data_kinds(p: Prose) -> dict[str, re.Match[str]]:
    """Which kinds of data the prose mentions (health, personal, card), with the first cue found."""
    out = {}
    for kind, patterns in lexicon("regulations")["data_cues"].items():
        m = any_match(patterns, p.low)
        if m:
            out[kind] = m
    for implied in ("health", "card"):  # health records and card numbers belong to people
        if implied in out and "personal" not in out:
            out["personal"] = out[implied]
    return out


def read_regulations(p: Prose, language: str, sector: str, currencies: list[str]) -> list[Regulation]:
    """Named laws (stated) and laws that follow from the data and the place (inferred, with the reason)."""
    table = lexicon("regulations")
    out: list[Regulation] = []
    claimed: list[tuple[int, int]] = []
    hits = []
    for law in table["laws"]:
        for pattern in law["patterns"]:
            for m in p.find(rx(pattern)):
                if any(a < m.end() and m.start() < b for a, b in claimed):
                    continue
                claimed.append(m.span())
                hits.append((m.start(), law["name"]))
    # Laws the table does not list, read by their form ('Privacy Act 2020', 'Regulation (EU) 2019/779', 'under POPIA').
    for start, end, name in named_laws(p):
        if not any(a < end and start < b for a, b in claimed):
            claimed.append((start, end))
            hits.append((start, name))
    for start, name in sorted(hits):
        if all(r.name != name for r in out):
            out.append(Regulation(name=name, evidence=stated(p.sentence_quote(start))))
    kinds = data_kinds(p)
    countries = _countries(p, currencies)
    for rule in table["inferred"]:
        if rule["data"] not in kinds or any(r.name == rule["name"] for r in out):
            continue
        if rule.get("countries") and not countries & set(rule["countries"]):
            continue
        if rule.get("sectors") and sector not in rule["sectors"]:
            continue
        cue = p.text[kinds[rule["data"]].start() : kinds[rule["data"]].end()]
        reason = rule["reason"]["ko" if language == "ko" else "en"]
        out.append(Regulation(name=rule["name"], evidence=inferred(f"{reason} ('{cue}')")))
    return out


# ----------------------------------------------------------------------- sector
def sector_scores(text: str) -> dict[str, tuple[int, list[str]]]:
    """Each sector's keyword score over lower-cased `text`, with the words that scored."""
    scores = {}
    for sector, spec in lexicon("sectors")["sectors"].items():
        total, words = 0, []
        for weight, patterns in spec["keywords"].items():
            for pattern in patterns:
                hits = rx(pattern).findall(text)
                if hits:
                    total += int(weight) * min(len(hits), 2)
                    m = rx(pattern).search(text)
                    words.append(m.group(0) if m else pattern)
        scores[sector] = (total, words)
    return scores


def _unlisted_sector(text: str, listed_best: int, language: str) -> SectorFact | None:
    """'general' with the name of a sector the list lacks, when the text names one (weight 3) at least as strongly as the best listed sector."""
    best, best_total, best_words = None, 0, []
    for name, spec in (lexicon("sectors").get("unlisted") or {}).items():
        total, words, named = 0, [], False
        for weight, patterns in spec["keywords"].items():
            for pattern in patterns:
                hits = rx(pattern).findall(text)
                if hits:
                    total += int(weight) * min(len(hits), 2)
                    named = named or int(weight) >= 3
                    m = rx(pattern).search(text)
                    words.append(m.group(0) if m else pattern)
        if named and total >= max(listed_best, 3) and total > best_total:
            best, best_total, best_words = name, total, words
    if best is None:
        return None
    label = lexicon("sectors")["unlisted"][best]["label"]["ko" if language == "ko" else "en"]
    listed = ", ".join(f"'{w.strip()}'" for w in best_words[:3])
    reason = (
        f"사용 사례에 {listed} 등이 나옴: 분야 목록에 없는 {label} 분야이므로 다른 분야의 기본값을 쓰지 않음"
        if language == "ko"
        else f"the use case mentions {listed}: {label}, which the sector list lacks, so no other sector's defaults apply"
    )
    return SectorFact(value="general", name=label, evidence=inferred(reason))


def read_sector(p: Prose, extra: str, language: str) -> SectorFact | None:
    """The best-scoring sector over the prose plus `extra` (organisation and scenario name), or None."""
    text = p.low + " \n " + extra.lower()
    scores = sector_scores(text)
    best = max(scores, key=lambda s: scores[s][0])
    total, words = scores[best]
    unlisted = _unlisted_sector(text, total, language)
    if unlisted is not None:
        return unlisted
    if total < 2:
        return None
    said = sector_scores(p.low)[best][1]  # the reason quotes the use case's own words, never a name's (an English slug in a Korean run)
    if said:
        as_written = [p.text[i : i + len(w)] if (i := p.low.find(w)) >= 0 else w for w in said[:4]]  # 'EMR', not 'emr'
        listed = ", ".join(f"'{w.strip()}'" for w in as_written)
        reason = _msg(p, language, f"the use case mentions {listed}", f"사용 사례에 {listed} 등이 나옴")
    else:
        name = " ".join(extra.split())
        reason = _msg(p, language, f"the organisation and scenario name ('{name}') point to it", f"기관명과 시나리오 이름('{name}')으로 판단")
    return SectorFact(value=best, evidence=inferred(reason))  # type: ignore[arg-type]


# ------------------------------------------------------------ tasks and latency
def read_tasks(p: Prose) -> list[str]:
    """Task types in order of first mention."""
    cues = lexicon("cues")["tasks"]
    first = {}
    for task in TASK_TYPES:
        positions = [m.start() for pattern in cues[task] for m in p.find(rx(pattern))]
        if positions:
            first[task] = min(positions)
    return sorted(first, key=lambda t: first[t])


def _after_step(p: Prose, pos: int, patterns: list[str]) -> bool:
    """Whether the clause around `pos` names a person's step after the output (checking, signing, the morning round)."""
    start, end = p.clause_at(pos)
    return any(p.find(rx(pattern), start, end) for pattern in patterns)


def read_latency(p: Prose, tasks: list[str], language: str) -> LatencyFact | None:
    """Interactive when people wait for answers, batch for overnight or back-office work; None when the prose does not say.

    A strong cue ('chatbot', 'while customers wait', 'overnight batch') decides; weak cues ('assistant',
    '야간') only count for a chat, question-answering or search task.
    """
    cues = lexicon("cues")["latency"]
    strong = {kind: sorted((m for pattern in cues[kind]["strong"] for m in p.find(rx(pattern))), key=lambda m: m.start()) for kind in ("interactive", "batch")}
    if strong["batch"]:
        # 'The vet checks them instantly at the morning round': the wait is the person's step after the batch, not the model's.
        strong["interactive"] = [m for m in strong["interactive"] if not _after_step(p, m.start(), cues["batch"]["after_step"])]
    if strong["batch"] and (not strong["interactive"] or len(strong["batch"]) >= len(strong["interactive"])):
        return LatencyFact(value="batch", evidence=stated(p.sentence_quote(strong["batch"][0].start())))
    if strong["interactive"]:
        return LatencyFact(value="interactive", evidence=stated(p.sentence_quote(strong["interactive"][0].start())))
    if {"chat", "question_answering", "search"} & set(tasks):
        weak = sorted((m for pattern in cues["interactive"]["weak"] for m in p.find(rx(pattern))), key=lambda m: m.start())
        if weak:
            # A weak cue ('web chats', 'assistant') suggests people wait but does not say so: an inference, with the words it rests on.
            words = p.text[weak[0].start() : weak[0].end()].strip()
            reason = _msg(p, language, f"people seem to wait for answers ('{words}')", f"사용자가 답을 기다리는 것으로 보임('{words}')")
            return LatencyFact(value="interactive", evidence=inferred(reason))
        reason = _msg(p, language, "people ask questions and wait for the answers", "사용자가 질문하고 답을 기다림")
        return LatencyFact(value="interactive", evidence=inferred(reason))
    return None


# ----------------------------------------------------------------------- people
def read_people(p: Prose) -> tuple[list[Text], list[Text], list[Text]]:
    """(staff, public, units): role mentions with an optional modifier ('claims handlers', '매장 직원'), in order."""
    roles = lexicon("cues")["roles"]
    stop = set(roles["stop_modifiers"])
    plural_ok = set(roles["plural_modifiers"])
    needs_modifier = set(roles["needs_modifier"])
    found: list[tuple[int, int, str, str]] = []

    def add(kind: str, start: int, end: int) -> None:
        quote = p.quote(start, end)
        key = normalise_name(quote)
        for a, b, _, v in found:
            other = normalise_name(v)
            if a <= start < b or start <= a < end or other == key or other.endswith(" " + key):
                return
        found.append((start, end, kind, quote))

    if p.korean:
        for kind, names in (("unit", roles["units_ko"]), ("staff", roles["staff_ko"]), ("public", roles["public_ko"])):
            for name in sorted(names, key=len, reverse=True):
                for m in p.find(rx(r"(?<![가-힣])" + re.escape(name) + r"(?:들)?" + roles["ko_role_follow"])):
                    add(kind, m.start(), m.end())
    for kind, names in (("staff", roles["staff_en"]), ("unit", roles["units_en"]), ("public", roles["public_en"])):
        for name in sorted(names, key=len, reverse=True):
            for m in p.find(rx(r"(?:\b([a-z][a-z-]+)\s+)?\b(" + re.escape(name) + r")\b")):
                start, modifier = m.start(2), m.group(1)
                usable = (
                    modifier and modifier not in stop and not modifier.endswith(("ly", "ing", "ed")) and (not modifier.endswith("s") or modifier in plural_ok)
                )
                if usable:
                    start = m.start(1)
                elif name in needs_modifier:
                    continue
                add(kind, start, m.end(2))
    found.sort()

    def text(quote: str) -> Text:
        value = quote[0].lower() + quote[1:] if re.match(r"[A-Z][a-z]", quote) else quote
        return Text(value=value, evidence=stated(quote))

    staff = _workers_first([text(v) for _, _, k, v in found if k == "staff"], p, roles)
    public = [text(v) for _, _, k, v in found if k == "public"]
    units = [text(v) for _, _, k, v in found if k == "unit"]
    return staff, public, units


def _workers_first(staff: list[Text], p: Prose, roles: dict[str, Any]) -> list[Text]:
    """The staff the prose says do the work ('담당 수의사가 ... 직접 쓰고'), when it says so; else every staff role.

    A staff group only counted ('수의사 62명, 동물보건사 140명이 일합니다') is not a user when another
    group writes, checks or signs the outputs.
    """
    if len(staff) < 2:
        return staff
    follow = roles["ko_role_follow"] if p.korean else r"\b"
    subject = rx(roles["work_subject_ko"] if p.korean else roles["work_subject_en"])
    workers = []
    for t in staff:
        lead = r"(?<![가-힣])" if p.korean else r"\b"
        for m in p.find(rx(lead + re.escape(t.value.lower()) + follow)):
            if subject.match(p.low, m.end()):
                workers.append(t)
                break
    return workers or staff


def normalise_name(name: str) -> str:
    """A key to compare names: lower case, no articles, no plural 's', no Korean plural or particle."""
    key = name.lower().strip()
    key = re.sub(r"^(?:the|our|their|its)\s+", "", key)
    key = re.sub(r"['’]s?\b", "", key)
    key = re.sub(r"들$", "", strip_particle(key))
    key = re.sub(r"(?<=[a-z])ies$", "y", key)
    key = re.sub(r"(?<=[a-z])s$", "", key)
    return re.sub(r"\s+", " ", key)


# -------------------------------------------------------------- inputs, outputs
_DETERMINERS = frozenset({"a", "an", "the", "our", "their", "its", "each", "every", "one", "want", "wants", "need", "needs", "get", "have", "has", "like"})
"""Words before the noun of 'We want a briefing drafted': the output starts after the last of them."""


def _plural_noun(noun: str) -> str:
    """'briefing' -> 'briefings', 'summary' -> 'summaries': an output named once ('a briefing') stands for all of them."""
    head, _, last = noun.rpartition(" ")
    if last.endswith(("ch", "sh", "x", "z")):
        last += "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}".strip()


TIME_ADVERB = (
    r"^(?:overnight|nightly|daily|weekly|monthly|yearly|tonight|today|tomorrow|morning|evening|afternoon|night|"
    r"quickly|automatically|aloud|back|later|first|again)$"
)
"""A word after 'read'/'from' that says when or how, not what is read ('each item read overnight in batches')."""
SOURCE_OF = (
    r"\b(?:come|comes|came|coming|arrive|arrives|arrived|arriving|sent|called|calls|phoned|dialled|dialed|uploaded|streamed|logged)"
    r"\s+(?:in\s+)?from\s*$"
)
"""'from' after a verb of arriving ('entries come from the terminals'): where the data comes from, not the document."""


def read_io(p: Prose) -> tuple[list[Text], list[Text]]:
    """(inputs, outputs): what the model reads and what it produces, in the prose's words."""
    io = lexicon("cues")["io"]
    stop = set(io["stop_words_en"])
    inputs: list[Text] = []
    outputs: list[Text] = []

    roles = {r for key in ("staff_en", "public_en", "staff_ko", "public_ko") for r in lexicon("cues")["roles"][key]}

    def add(target: list[Text], start: int, end: int, plural: bool = False) -> None:
        value = p.quote(start, end)
        quote = value
        if plural and not value.lower().endswith("s"):
            value = _plural_noun(value)  # 'a briefing drafted for each movement': the outputs are briefings
        key = normalise_name(value)
        if len(value) < (2 if p.korean else 3):
            return
        for t in target:
            other = normalise_name(t.value)
            if other == key or other.endswith(" " + key) or key.endswith(" " + other) or other.endswith("'s " + key):
                return  # "centre" after "help centre", "own catalogue" after "catalogue"
        if value.split()[-1].lower() in roles or key in {normalise_name(r) for r in roles}:
            return  # "questions from prospective students": people are not inputs
        head = re.sub(r"(?<=[a-z])s$", "", value.split()[-1].lower())
        if re.search(r"\b" + re.escape(head) + r"['’]s\s", p.low) and not re.search(r"['’]s$", value.split()[0]):
            return  # "reports from local surveyors" beside "the surveyor's report": whoever owns a document is not an input
        if not p.text[p.sentence_at(start)[0] : start].strip(" \t\r\n*-#>") and re.match(r"[A-Z][a-z]+(?:\s+[a-z]|$)", value):
            value = value[0].lower() + value[1:]  # 'Claim files must stay ...': a sentence's capital, not a name
        target.append(Text(value=value, evidence=stated(quote)))

    phrase = r"(?:own\s+)?((?:[a-z][\w'’-]*\s+){0,3}?[a-z][\w'’-]*)"
    stopper = r"(?=[.,;:)]|\s+(?:and|to|so|that|for|when|instead|before|with|from|in|on|by|against|which|who|while|into|as|after|if|is|are)\b|$)"
    if not p.korean:
        # 'a vet reads each result and writes a summary': one item named stands for all of them ('results', 'summaries')
        one = r"a\s+|an\s+|each\s+|every\s+"
        one_rx = regex_cache.compile(r"\b(?:a|an|each|every)\s+$")
        for verb in io["input_verbs_en"]:
            for m in p.find(rx(r"\b" + verb + r"\s+(?:the\s+|our\s+|their\s+|its\s+|" + one + r")?" + phrase + stopper)):
                words = m.group(1).split()
                if words and words[0] not in stop and not re.match(r"^(?:them|it|this|that|us|me|you|average|time|scratch|hand)$", words[0]):
                    if re.match(TIME_ADVERB, words[0]) or re.search(SOURCE_OF, p.low[max(0, m.start() - 30) : m.start() + 5]):
                        continue  # 'read overnight in batches', 'entries come from the terminals': a time or a source, not a document
                    add(inputs, m.start(1), m.end(1), plural=bool(one_rx.search(p.low, m.start(), m.start(1))))
                    # 'reads the ship's particulars, the tide tables and the harbour master's notices': each item of the list
                    at = m.end(1)
                    while len(inputs) < 4:
                        nxt = re.match(r"(?:,\s*(?:and\s+)?|\s+and\s+)(?:the|our|their|its)\s+" + phrase + stopper, p.low[at:])
                        if not nxt or nxt.group(1).split()[0] in stop:
                            break
                        add(inputs, at + nxt.start(1), at + nxt.end(1))
                        at += nxt.end(1)
        for verb in io["output_verbs_en"]:
            for m in p.find(rx(r"\b" + verb + r"\s+(?:the\s+|our\s+|their\s+|" + one + r")?" + phrase + stopper)):
                words = m.group(1).split()
                if words and words[0] not in stop and not re.match(r"^(?:them|it|this|that|us|automatically|help)$", words[0]):
                    add(outputs, m.start(1), m.end(1), plural=bool(one_rx.search(p.low, m.start(), m.start(1))))
        nouns = "|".join(io["input_nouns_en"])
        for m in p.find(rx(r"\b((?:[a-z][\w-]*\s+)?(?:" + nouns + r"))\b")):
            words = m.group(1).split()
            keep_modifier = words[0] not in stop and len(words) > 1 and not words[0].endswith(("ing", "ed", "'s", "’s"))
            start = m.start(1) if keep_modifier else m.end(1) - len(" ".join(words[1:]) if len(words) > 1 else words[0])
            if len(inputs) < 4:
                add(inputs, start, m.end(1))
        for m in p.find(rx(r"\b" + phrase + r"\s+(?:generated|drafted|written|produced|summari[sz]ed|extracted|translated)\b")):
            words = m.group(1).split()
            if words and words[-1] not in stop and words[-1] not in {"be", "are", "is", "were", "was"}:
                # 'We want a briefing drafted': the noun after the last determiner, not the clause before it
                marks = [i for i, w in enumerate(words) if w.lower() in _DETERMINERS]
                start = m.start(1)
                if marks:
                    start += len(" ".join(words[: marks[-1] + 1])) + 1
                if start < m.end(1):
                    add(outputs, start, m.end(1), plural=bool(marks) and words[marks[-1]].lower() in {"a", "an", "each", "every", "one"})
    else:
        for marker in io["input_markers_ko"]:
            for m in p.find(rx(r"((?:[가-힣A-Za-z()]+\s){0,3}[가-힣A-Za-z()]+)" + marker)):
                tokens = list(re.finditer(r"\S+", p.text[m.start(1) : m.end(1)]))
                first = 0
                for i, tok in enumerate(tokens[:-1]):
                    if re.search(r"(?:은|는|이|가|의|에서|에게|고|며|면)$", tok.group(0)):
                        first = i + 1
                piece: list[re.Match[str]] = []
                for i, tok in enumerate(tokens[first:], start=first):
                    piece.append(tok)
                    word = tok.group(0)
                    if i < len(tokens) - 1 and word[-1] in "과와" and word not in _NOUNS_ENDING_GWA and len(word) > 2:
                        add(inputs, m.start(1) + piece[0].start(), m.start(1) + tok.end() - 1)
                        piece = []
                if piece:
                    add(inputs, m.start(1) + piece[0].start(), m.start(1) + piece[-1].end())
        for marker in io["output_markers_ko"]:
            for m in p.find(rx(r"(?:(?<=\s)|^)((?:[가-힣A-Za-z]+\s)?[가-힣A-Za-z]*" + marker + r")")):
                start = m.start(1)
                words = p.text[m.start(1) : m.end(1)].split()
                if len(words) > 1 and re.search(r"[은는이가을를의에로한된할던인]$", words[0]):
                    start += len(words[0]) + 1  # "정리한 의견서": the modifier is a verb, keep the noun
                add(outputs, start, m.end(1))
        if not inputs:
            nouns = "|".join(io["input_nouns_ko"])
            for m in p.find(rx(r"((?:[가-힣A-Za-z]+\s)?(?:" + nouns + r"))")):
                add(inputs, m.start(1), m.end(1))
    return inputs[:6], outputs[:6]


def read_success(p: Prose) -> list[Text]:
    """Sentences that say what success means (a goal, a target with a number)."""
    cues = lexicon("cues")["success"]
    out: list[Text] = []
    under_heading = False
    for start, end in p.sentences:
        sentence = p.low[start:end]
        cued = any_match(cues["ko"] if p.korean else cues["en"], sentence)
        line = sentence.strip()
        heading = cued and "\n" not in line and not re.search(r"\d", line) and (
            (line.endswith(":") and len(line.split()) <= 6) or (len(line.split()) <= 3 and not line.endswith((".", "!", "다")))
        )
        if heading:  # 'Success criteria:' / '성공 기준' alone: the list below it holds the criteria, the heading is none
            under_heading = True
            continue
        bullets = all(re.match(r"\s*(?:[-*•]|\d+[.)])\s", line) for line in sentence.strip().splitlines())
        if cued or (under_heading and bullets):
            quote = p.quote(start, end)
            if quote and all(t.value != quote for t in out):
                out.append(Text(value=quote, evidence=stated(quote)))
        under_heading = under_heading and bullets
    return out[:6]


def read_sensitivity(p: Prose, sector: str, residency: str, language: str) -> SensitivityFact:
    """High for health, card or legal data and for data that must stay inside; medium for other personal data; low otherwise."""
    kinds = data_kinds(p)
    personal = "personal" in kinds
    secret = r"confidential|privileged|proprietary|sensitive|secret|\bndas?\b|non-disclosure|기밀|민감|유출|비밀\s?유지"
    confidential = re.search(secret, p.low) and not re.search(
        r"\bnone of (?:this|it) is sensitive\b|\bnot sensitive\b", p.low
    )
    if (
        "health" in kinds
        or "card" in kinds
        or sector in ("healthcare", "legal")
        or residency == "on_premises"
        or (personal and sector in ("banking", "insurance"))
    ):
        level = "high"
    elif personal or confidential or residency == "private_cloud":
        level = "medium"
    else:
        level = "low"
    why = [k for k in ("health", "card", "personal") if k in kinds]
    cues = ", ".join(f"'{p.text[kinds[k].start() : kinds[k].end()]}'" for k in why)
    lang = "ko" if language == "ko" else "en"
    sectors = lexicon("sectors")
    sector_label = (sectors["sectors"].get(sector) or sectors["general"])["label"][lang]
    where = lexicon("text")[lang]["residency"].get(residency, residency)
    if lang == "ko":
        reason = f"데이터 종류: {cues}" if cues else f"분야({sector_label})와 데이터 위치({where})로 판단"
    else:
        reason = f"the data includes {cues}" if cues else f"judged from the sector ({sector_label}) and where the data may go ({where})"
    return SensitivityFact(value=level, personal_data=personal, evidence=inferred(reason))  # type: ignore[arg-type]


NOT_NAMES = ("Our", "We", "The", "A", "An", "It", "This", "Each", "Every", "Most", "Staff", "There", "They", "These", "Those", "Here", "Its", "Their")
"""Capitalised words that open a sentence without naming anyone ('There is no ...')."""


def read_organisation(p: Prose) -> Text | None:
    """The organisation's name when the prose gives one ('Harbourline Insurance settles ...', '한결은행 여신심사부는')."""
    spec = lexicon("cues")["organisation"]
    if p.korean:
        suffixes = "|".join(sorted(spec["ko_suffixes"], key=len, reverse=True))
        for m in re.finditer(r"(?:(?<=[\s*_#>|])|^)((?:[가-힣A-Za-z]+\s)?[가-힣A-Za-z]{1,12}(?:" + suffixes + r"))(?=은|는|이|가|의|에서|에는|\s)", p.text):
            name = m.group(1).strip()
            first = name.split()[0]
            if len(name.split()) > 1 and (first.endswith(("의", "은", "는", "을", "를")) or len(first) > 6):
                name = name.split()[-1]
            if name in spec["ko_suffixes"] or len(name) < 3:
                continue
            return Text(value=name, evidence=stated(name))
        first_word = re.match(r"(?:\s*#[^\n]*\n)?[\s#*_>|-]*([가-힣A-Za-z]{2,12})(?:은|는)\s", p.text)  # past a Markdown heading and marks
        if first_word and first_word.group(1) not in lexicon("cues")["roles"]["staff_ko"]:
            return Text(value=first_word.group(1), evidence=stated(first_word.group(1)))
        return None
    suffixes = "|".join(re.escape(s) for s in sorted(spec["en_suffixes"], key=len, reverse=True))
    name_rx = r"((?:[A-Z][\w&'’.-]*|&)(?:\s+(?:[A-Z][\w&'’.-]*|&|of|and))*?\s+(?:" + suffixes + r"))\b"
    m = re.search(name_rx, p.text)
    if m:
        name = re.sub(r"^(?:The|At|Our|We|In|For)\s+", "", m.group(1))
        return Text(value=name, evidence=stated(name))
    verbs = "|".join(spec["en_verbs"])
    for start, _ in p.sentences:
        # Markdown marks may open a sentence pasted from a wiki ('**Marlow & Finch sells ...**', '# ...').
        m = re.match(r"[\s#*_>|-]*(?:At\s+)?((?:[A-Z][\w&'’.-]*)(?:\s+(?:[A-Z][\w&'’.-]*|&))*)(?:['’]s\b|,\s+an?\b|\s+(?:" + verbs + r")\b)", p.text[start:])
        if m and m.group(1) not in NOT_NAMES:
            name = m.group(1)
            return Text(value=name, evidence=stated(name))
    generic = any_match(spec["en_generic"], p.low)
    if generic:
        word = p.text[generic.start(1) : generic.end(1)]
        return Text(value=f"the {word}", evidence=inferred(f"the use case says '{p.text[generic.start() : generic.end()]}'"))
    return None
