"""The numbers of a use case: hardware it owns, its budget, how much work arrives, and today's figures.

Each reader takes a `Prose` and the spans already claimed by an earlier reader (hardware first,
then money, then durations and shares), so one number is never read twice: "4x H100" is hardware,
"€15,000 a month" is money, "40 minutes" is a baseline, and what is left can be a volume.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from genai_planner.core import regex_cache
from genai_planner.planning.brief import Baseline, Budget, Evidence, Hardware, Money, Volume, stated
from genai_planner.planning.lexicon import any_match, lexicon, rx
from genai_planner.planning.prose import Amount, Duration, Number, Prose

Span = tuple[int, int]
_KO_PARTICLES = ("에서는", "에서", "으로", "에게", "에는", "과", "와", "은", "는", "이", "가", "을", "를", "의", "에", "도", "로", "만")
_EN_STOP = {
    "the",
    "our",
    "their",
    "its",
    "a",
    "an",
    "of",
    "about",
    "around",
    "roughly",
    "some",
    "nearly",
    "over",
    "approximately",
    "more",
    "than",
    "such",
    "these",
    "new",
}
_VERB = regex_cache.compile(
    r"^(?:call|calls|send|sends|write|writes|contact|contacts|ask|asks|file|files|submit|submits|come|comes|arrive|arrives|reach|reaches|"
    r"need|needs|go|goes|get|gets|make|makes|use|uses|visit|visits|open|opens|raise|raises|report|reports|review|reviews|"
    r"are|is|was|were|take|takes|run|runs|have|has)$"
)
_PERIOD_WORDS = regex_cache.compile(r"^(?:in|on|at|during|come|comes|arrive|arrives|arriving|per|and|are|is|we|get|handled|received|that)$")


def overlaps(span: Span, taken: list[Span]) -> bool:
    """Whether `span` shares a character with any span in `taken`."""
    return any(span[0] < b and a < span[1] for a, b in taken)


def strip_particle(word: str) -> str:
    """A Korean word without its trailing particle ('민원을' -> '민원')."""
    for p in _KO_PARTICLES:
        if word.endswith(p) and len(word) > len(p) + 1:
            return word[: -len(p)]
    return word


@dataclass
class Quantities:
    """Everything numeric the prose says, with the spans each reader claimed."""

    hardware: list[Hardware] = field(default_factory=list)
    budget: Budget | None = None
    build_budget: Budget | None = None
    volumes: list[Volume] = field(default_factory=list)
    baselines: list[Baseline] = field(default_factory=list)
    taken: list[Span] = field(default_factory=list)


def _plural(noun: str) -> str:
    """English plural of one noun ('claim' -> 'claims', 'entry' -> 'entries', 'batch' -> 'batches')."""
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")


KO_STAFFING = regex_cache.compile(r"(?:이|가|은|는|의)?[^.。\n]{0,10}?(?:근무|교대|출근|일하|일합|상주)")
"""After 'N명' a day: the people work there (staffing), as '2 clerks per day' is in English."""


def _staff_words() -> set[str]:
    """Staff roles (`cues.yaml`), lower case: a count of them per day is staffing, not a volume of work."""
    return {w.lower() for w in lexicon("cues")["roles"]["staff_en"]}


def read_quantities(p: Prose, language: str = "en") -> Quantities:
    """Hardware, then the budget, then baselines, then volumes, each on what the previous left (reasons in `language`)."""
    q = Quantities()
    q.hardware = read_hardware(p, q.taken, language)
    q.build_budget = read_build_budget(p)
    q.budget = read_budget(p, q.taken, language)
    uplifts = read_uplifts(p, q.taken)  # before the baselines, which take every share
    q.baselines = read_baselines(p, q.taken)
    q.volumes = read_volumes(p, q.taken, [n for n, _ in uplifts])
    for n, factor in uplifts:
        flows = [v for v in q.volumes if v.per is not None and not v.peak]
        before = [v for v in flows if 0 <= p.low.find((v.evidence.quote or "\0").lower()) < n.start]
        base = (before or flows)[-1].what if flows else ("volume" if not p.korean else "물량")
        c_start, c_end = p.clause_at(n.start)
        q.volumes.append(Volume(what=base, quantity=factor, unit="x", peak=True, evidence=stated(p.quote(c_start, c_end))))
    return q


def read_uplifts(p: Prose, taken: list[Span]) -> list[tuple[Number, float]]:
    """Shares added in a season ('up 30% in the autumn season'), each with its factor (1.3); their spans are taken."""
    out = []
    for n in p.numbers:
        if overlaps((n.start, n.end), taken):
            continue
        factor = _season_uplift(p, n)
        if factor is not None:
            m = _PERCENT.match(p.low, n.end)
            taken.append((n.start, m.end() if m else n.end))
            out.append((n, factor))
    return out


# --------------------------------------------------------------------- hardware
_COUNT_WORDS = r"a\s+single|one\s+single|a\s+pair\s+of|pair\s+of|single|dual|quad|an|a"
_NATIVE = "|".join(sorted(lexicon("units")["number_words"]["ko_native"], key=len, reverse=True))


def _count_before(p: Prose, start: int, lo: int) -> tuple[int | None, int, bool]:
    """(count, where the count starts, whether it was written as '4x') just before an accelerator name."""
    before = p.low[lo:start]
    m = re.search(r"(?:^|[^a-z0-9])((\d+)\s?(x|×|\*)?|(" + _word_alternatives() + r")|(" + _COUNT_WORDS + r"))\s+(?:nvidia\s+|amd\s+|intel\s+)?$", before)
    if not m:
        m2 = re.search(r"(?:^|[^a-z0-9])(\d+)\s?(x|×)$", before)
        if m2:
            return int(m2.group(1)), lo + m2.start(1), True
        return None, start, False
    where = lo + m.start(1)
    if m.group(2):
        return int(m.group(2)), where, bool(m.group(3))
    if m.group(4):
        return int(lexicon("units")["number_words"]["en"][m.group(4)]), where, False
    word = re.sub(r"\s+", " ", m.group(5))
    return int(lexicon("units")["number_words"]["en_count_words"].get(word, 1)), where, False


def _word_alternatives() -> str:
    return "|".join(sorted(lexicon("units")["number_words"]["en"], key=len, reverse=True))


def _number_value(token: str) -> int | None:
    words = lexicon("units")["number_words"]
    if token.isdigit():
        return int(token)
    return words["en"].get(token) or words["ko_native"].get(token)


def read_hardware(p: Prose, taken: list[Span], language: str = "en") -> list[Hardware]:
    """Accelerators the organisation says it owns ('two A100 80GB', '4x H100', 'NVIDIA L4 24GB 2장', 'A100 4대')."""
    table = lexicon("accelerators")
    found: list[Hardware] = []
    names_seen: set[str] = set()
    mentions: list[tuple[int, int, str, float | None, int]] = []  # start, end, name, default memory, per_system
    for system in table["systems"]:
        for m in p.find(rx(r"(?<![a-z0-9])(?:nvidia\s+)?(?:" + system["pattern"] + r")s?(?![a-z0-9])")):
            mentions.append((m.start(), m.end(), system["accelerator"], None, int(system["per_system"])))
    claimed = [(a, b) for a, b, *_ in mentions]
    for acc in table["accelerators"]:
        pattern = r"(?<![a-z0-9])(?:nvidia\s+|amd\s+|intel\s+|tesla\s+)?(?:" + acc["pattern"] + r")(?:\s?(?:pcie|sxm\d?|nvl))?s?(?![a-z0-9])"
        for m in p.find(rx(pattern)):
            if overlaps(m.span(), claimed):
                continue
            if acc.get("needs_gpu_word") and not re.search(r"gpu", p.low[slice(*p.clause_at(m.start()))]):
                continue
            claimed.append(m.span())
            mentions.append((m.start(), m.end(), acc["name"], float(acc["memory_gb"]), 1))
    memory_table = {a["name"]: float(a["memory_gb"]) for a in table["accelerators"]}
    for start, end, name, default_memory, per_system in sorted(mentions):
        c_start, c_end = p.clause_at(start)
        s_start, s_end = p.sentence_at(start)
        memory, q_end = None, end
        mm = re.match(r"\s?[-(]?\s?(\d{2,3})\s?(?:gb|g\b|기가)\)?", p.low[end : end + 14])
        if mm:
            memory, q_end = float(mm.group(1)), end + mm.end()
        else:
            mb = re.search(r"(\d{2,3})\s?gb\s+$", p.low[max(c_start, start - 10) : start])
            if mb:
                memory = float(mb.group(1))
        count, q_start, written_x = _count_before(p, start, c_start)
        after = p.low[q_end:c_end]
        m_post = re.match(r"\s?(?:gpus?|cards?|accelerators?)?\s?(?:x|×|\*)\s?(\d+)\b", after) or re.match(
            r"\s?(?:gpu\s?)?(\d+|" + _NATIVE + r")\s?(?:장|대|개|기|units?\b|pcs\b)", after
        )
        if m_post and count is None:
            count = _number_value(m_post.group(1))
            q_end += m_post.end()
        unit = re.match(
            r"\s?(?:gpus?|cards?|accelerators?|graphics\s+cards?)\b|\s?(?:gpu\s+)?(servers?|nodes?|machines?|workstations?|boxes|systems)\b", p.low[q_end:c_end]
        )
        if unit:
            q_end += unit.end()
            if unit.group(1) and not written_x:
                servers = count or 1
                per = re.search(
                    r"\bwith\s+(\d+|"
                    + _word_alternatives()
                    + r")\s+(?:[\w-]+\s+)?(?:gpus|cards|accelerators)\b(\s+(?:each|apiece)|\s+per\s+(?:server|node|machine))?",
                    p.low[q_end:c_end],
                )
                if per:
                    per_count = _number_value(per.group(1)) or 1
                    count = per_count * servers if (per.group(2) or servers == 1) else per_count
                    q_end += per.end()
        if count is None:
            per_server = re.search(r"\bwith\s+(\d+|" + _word_alternatives() + r")\s+(?:[\w-]+\s+)?(?:gpus|cards)\b", p.low[c_start:start])
            count = _number_value(per_server.group(1)) if per_server else None
        taken.append((min(q_start, start), max(q_end, end)))
        before_in_sentence = p.low[s_start:start]
        if any_match(table["not_owned"], p.low[c_start:c_end]) or (
            not re.search(r"[,;]", before_in_sentence) and any_match(table["not_owned"], before_in_sentence)
        ):
            continue
        if name in names_seen:
            continue
        names_seen.add(name)
        memory = memory or default_memory or memory_table.get(name)
        quote = p.quote(min(q_start, start), max(q_end, end))
        evidence = stated(quote)
        if count is None or not mm:
            notes = []
            ko = language == "ko"
            if count is None:
                notes.append("수량 언급 없음: 1대로 가정" if ko else "count not stated: 1 assumed")
            if not mm and default_memory:
                notes.append(f"장치당 메모리는 알려진 모델 표의 값({memory:g} GB)" if ko else f"memory per device from the known-model table ({memory:g} GB)")
            evidence = Evidence(source="stated", quote=quote, reason="; ".join(notes) or None)
        found.append(Hardware(accelerator=name, count=max(1, (count or 1) * per_system), memory_gb=memory, evidence=evidence))
    return found


# ----------------------------------------------------------------------- budget
_MONTH_AFTER = regex_cache.compile(
    r"\s?(?:/\s?(mo|month)\b|(?:a|per|each|every)\s+(month)\b|(monthly)\b|/\s?(yr|year)\b|(?:a|per|each|every)\s+(year)\b|(annually|yearly)\b|per\s+(annum)\b"
    r"|(?:a|per|each|every)\s+(quarter)\b|(quarterly)\b|\s?/\s?(월)|\s?/\s?(년))"
)
_MONTH_BEFORE = regex_cache.compile(
    r"\bmonthly\b|\bper\s+month\b|\ba\s+month\b|\beach\s+month\b|\bevery\s+month\b|매월|매달|한\s?달|월간|(?<![가-힣0-9])월(?=\s|\d)"
)
_YEAR_BEFORE = regex_cache.compile(
    r"\bannual(?:ly)?\b|\byearly\b|\bper\s+year\b|\ba\s+year\b|\bper\s+annum\b|\beach\s+year\b|연간|(?<![가-힣0-9])연(?=\s|\d)|매년|(?:1|일)\s?년|한\s?해|年"
)
_QUARTER_BEFORE = regex_cache.compile(r"\bquarterly\b|\bper\s+quarter\b|\ba\s+quarter\b|분기")


def _money_period(p: Prose, a: Amount) -> tuple[str | None, int]:
    """'month', 'year' or 'quarter' for an amount, and the end of the period words after it."""
    m = _MONTH_AFTER.match(p.low, a.end)
    if m:
        g = [x for x in m.groups() if x]
        word = g[0] if g else ""
        if word in ("mo", "month", "monthly", "월"):
            return "month", m.end()
        if word in ("quarter", "quarterly"):
            return "quarter", m.end()
        return "year", m.end()
    c_start, _ = p.clause_at(a.start)
    s_start, _ = p.sentence_at(a.start)
    before = p.low[max(s_start, c_start - 60) : a.start]
    hits = [(mm.end(), "month") for mm in _MONTH_BEFORE.finditer(before)]
    hits += [(mm.end(), "year") for mm in _YEAR_BEFORE.finditer(before)]
    hits += [(mm.end(), "quarter") for mm in _QUARTER_BEFORE.finditer(before)]
    if hits:
        return max(hits)[1], a.end
    return None, a.end


def money_mentions(p: Prose) -> list[tuple[Amount, str | None, bool, int]]:
    """Every amount with (period, is it a budget for the solution, end of its period words)."""
    cues = lexicon("cues")["budget"]
    out = []
    for a in p.amounts:
        period, end = _money_period(p, a)
        s_start, s_end = p.sentence_at(a.start)
        sentence = p.low[s_start:s_end]
        budget_word = re.search(r"budget|예산|한도", sentence)
        is_budget = bool(any_match(cues["cues"], sentence))
        current = any_match(cues["current"], sentence)
        if current and not budget_word:
            is_budget = False
        if period and not current:
            is_budget = True
        out.append((a, period, is_budget, end))
    return out


_ONE_OFF = regex_cache.compile(
    r"\b(?:initial|one-off|one\s+off|one-time|one\s+time|set-?up|build|implementation|up-?front|capital|capex|project)\s+(?:\w+\s+){0,2}?budget\b"
    r"|\bbudget\s+(?:\w+\s+){0,2}?(?:to|for)\s+(?:build|set\s+up|implement)"
    r"|(?:초기|구축|도입|개발|일회성|설비)\s*(?:[가-힣]+\s*){0,2}?예산"
    r"|\b(?:build|set-?up|implementation|one-off|one-time|initial|up-?front)\s+(?:costs?|spend|funding)\b"
    r"|(?<![가-힣])(?:구축|도입|개발|초기|일회성)\s?(?:비용|비)(?:는|은|가|이|로|를|에|,|\s)"
)


def read_build_budget(p: Prose) -> Budget | None:
    """A one-off budget to build the solution: a budget amount with no period whose sentence says it is initial, set-up or build money.

    'An initial build budget of KRW 15 million' (초기 구축 예산은 1,500만 원) pays for building the
    solution once; reading it as a monthly running budget would compare it with the monthly cost.
    It is kept apart, shown as one-off, and never divided into months.
    """
    for a, period, _is_budget, end in money_mentions(p):
        if period:
            continue
        s_start, s_end = p.sentence_at(a.start)
        if _ONE_OFF.search(p.low[s_start:s_end]):
            c_start, c_end = p.clause_at(a.start)
            quote = p.quote(c_start, max(c_end, end)) or p.quote(a.start, end)
            return Budget(value=Money(amount=a.amount, currency=a.currency), evidence=stated(quote))
    return None


def read_budget(p: Prose, taken: list[Span], language: str = "en") -> Budget | None:
    """The monthly budget: the first amount that is a budget and has a period (a year / 12, a quarter / 3)."""
    budget = None
    for a, period, is_budget, end in money_mentions(p):
        taken.append((a.start, end))
        if budget or not is_budget or not period:
            continue
        c_start, c_end = p.clause_at(a.start)
        quote = p.quote(c_start, max(c_end, end)) or p.quote(a.start, end)
        money = Money(amount=a.amount, currency=a.currency)
        if period == "month":
            budget = Budget(value=money, evidence=stated(quote))
        else:
            divisor = 12 if period == "year" else 3
            monthly = Money(amount=round(a.amount / divisor, 2), currency=a.currency)
            if language == "ko":
                reason = f"{'연간' if period == 'year' else '분기'} 예산 {a.amount:,.0f} {a.currency}를 {divisor}로 나눔"
            else:
                reason = f"a {'yearly' if period == 'year' else 'quarterly'} budget of {a.amount:,.0f} {a.currency} divided by {divisor}"
            budget = Budget(value=monthly, evidence=Evidence(source="inferred", quote=quote, reason=reason))
    return budget


# -------------------------------------------------------------------- baselines
def _one_unit_durations(p: Prose) -> list[Duration]:
    """'takes about a week per episode', 'waits an hour': a duration of one unit written with 'a'/'an'."""
    out = []
    pattern = (
        r"\b(?:takes?|took|taking|spends?|spent|waits?|waited|waiting|about|around|roughly|nearly|almost|over|under)\s+"
        r"(?:about\s+|around\s+|roughly\s+|nearly\s+)?(an?)\s+(minute|hour|day|week|month|working\s+day)\b"
    )
    for m in p.find(pattern):
        unit = lexicon("units")["time_units"]["names"][re.sub(r"\s+", " ", m.group(2))]
        out.append(Duration(m.start(1), m.end(), 1.0, unit))
    return out


def _metric_name(p: Prose, clause: str, after: str) -> str:
    if p.korean:
        if re.search(r"대기|기다", clause):
            return "대기 시간"
        if "통화" in clause:
            return "평균 통화 시간"
        if "답변" in clause:
            return "답변까지 걸리는 시간"
        m = re.search(r"([가-힣]+)\s한\s(?:명|건|화|장)당", clause) or re.search(r"(?<![가-힣])([가-힣]{1,4})당", clause)
        if m:
            return f"{strip_particle(m.group(1))}당 소요 시간"
        return "소요 시간"
    if re.search(r"\bwait", clause):
        return "waiting time"
    for phrase in ("handle time", "handling time", "turnaround time", "response time", "lead time", "resolution time"):
        if phrase in clause:
            return phrase
    m = re.match(r"\s*(?:on\s+average\s+)?(?:per|for\s+each|on\s+each|each|a)\s+([a-z-]+(?:\s+[a-z-]+)?)", after)
    if m and m.group(1).split(" ")[0] not in ("one", "of", "item", "the"):
        return f"time per {m.group(1).split(' ')[0]}"
    if m:
        return "time per item"
    m = re.search(r"\b(?:per|for\s+each|on\s+each)\s+([a-z-]+(?:\s+summary|\s+report)?)", clause)
    if m:
        return f"time per {m.group(1)}"
    return "time taken"


def read_baselines(p: Prose, taken: list[Span]) -> list[Baseline]:
    """Today's figures: durations and rates next to a 'takes / spends / waits / average' cue, not inside a target."""
    cues = lexicon("cues")["baseline"]
    out: list[Baseline] = []
    durations = sorted(p.durations + _one_unit_durations(p), key=lambda d: d.start)
    for d in durations:
        if overlaps((d.start, d.end), taken):
            continue
        if re.match(r"\s+of\s+[a-z]", p.low[d.end : d.end + 8]):
            continue  # "30 hours of drama a month": an amount of content, read as a volume
        c_start, c_end = p.clause_at(d.start)
        clause = p.low[c_start:c_end]
        taken.append((d.start, d.end))
        if any_match(cues["timeline"], clause):
            continue
        before = p.low[c_start : d.start]
        if any_match(cues["targets"], before) and not re.search(r"\bfrom\s+(?:about\s+|around\s+)?$", before):
            continue
        if p.korean and any_match(cues["targets"], p.low[d.end : c_end]):
            continue  # Korean puts the verb last: "30분을 줄일 수 있을" is a target
        s_start, s_end = p.sentence_at(d.start)
        if not any_match(cues["cues"], clause) and not any_match(cues["cues"], p.low[s_start:s_end]):
            continue
        if re.match(r"\s?(?:a|per|each)\s+(?:day|week|month|year)\b", p.low[d.end : d.end + 12]) and not re.search(r"\bspen|\btak|씁|쓰", clause):
            continue
        metric = _metric_name(p, clause, p.low[d.end : c_end])
        if any(b.value == d.value and b.unit == d.unit for b in out):
            continue
        out.append(Baseline(metric=metric, value=d.value, unit=d.unit, evidence=stated(p.quote(c_start, c_end))))
    for share in p.percents:
        if overlaps((share.start, share.end), taken):
            continue
        number = next((n for n in p.numbers if n.start == share.start), None)
        if number is not None and _percent_uplift(p, number) is not None:
            continue  # '+40% in peak season' is the peak load's uplift (`read_volumes`), not a rate baseline
        taken.append((share.start, share.end))
        c_start, c_end = p.clause_at(share.start)
        clause = p.low[c_start:c_end]
        before = p.low[c_start : share.start]
        if p.korean:
            before += " " + p.low[share.end : c_end]
        if any_match(cues["targets"], before) or any_match(cues["timeline"], clause):
            continue
        if not any_match(cues["rate_cues"], clause):
            continue
        metric = p.quote(c_start, share.start).strip() or p.quote(share.end, c_end)
        metric = re.sub(r"^(?:and|but|while|so|with|today|currently)\s+|\s+(?:are|is|was|were)$", "", metric, flags=re.I).strip() or "share"
        metric = re.sub(r"^(?:of\s+the|of|are|is|were|was)\s+", "", metric).rstrip(".").strip() or "share"
        out.append(Baseline(metric=metric[:80], value=share.value, unit="%", evidence=stated(p.quote(c_start, c_end))))
    return out


# ---------------------------------------------------------------------- volumes
def _en_what(p: Prose, between: str, number: Number, flows: list[Volume]) -> tuple[str, str]:
    """What a flow counts: the words between the number and its period, else what the sentence is about."""
    words = [w for w in re.findall(r"[a-z][a-z'’-]*", between) if w not in _EN_STOP]
    cut = next((i for i, w in enumerate(words) if i > 0 and _VERB.match(w)), len(words))
    words = words[:cut]  # "250 tenants call our housing association": the verb ends what is counted
    while words and _PERIOD_WORDS.match(words[-1]):
        words.pop()
    if words and words[0] not in ("them", "these", "those", "which", "it"):
        unit = words[-1] if words[-1].endswith("s") else "items"
        if len(words) > 4:  # a long list ("supplier, licensing and distribution contracts"): its head noun
            return words[-1], unit
        return " ".join(words), unit
    s_start, _ = p.sentence_at(number.start)
    same_sentence = [v for v in flows if p.sentence_at(p.text.find(v.evidence.quote or "\0"))[0] == s_start]
    if same_sentence:
        return same_sentence[-1].what, same_sentence[-1].unit
    subject = re.match(r"\s*(?:an?|the|each|every)\s+([a-z-]+(?:\s+[a-z-]+)?)", p.low[s_start : number.start])
    if words and subject:  # "40 of them a week": what the sentence is about
        noun = subject.group(1).split()
        return " ".join(noun), noun[-1]
    roles = {r for key in ("staff_en", "public_en") for r in lexicon("cues")["roles"][key]}
    nouns = re.findall(r"\b([a-z][a-z-]{3,}s)\b", p.low[s_start : number.start])
    skip = {"this", "hours", "days", "weeks", "months", "years", "always", "does", "has", "was", "admissions", "logs", "lasts", "takes", "gets", "runs"}
    nouns = [n for n in nouns if n not in skip and n not in roles]
    return (nouns[-1], nouns[-1]) if nouns else ("items", "items")


def _ko_what(p: Prose, number: Number, counter_end: int, period_start: int | None) -> str:
    after = p.text[counter_end : counter_end + 30]
    m = re.match(r"의\s?((?:[가-힣A-Za-z]+\s?){1,3})", after)
    if m:
        head: list[str] = []
        for word in m.group(1).split():
            head.append(strip_particle(word))
            if strip_particle(word) != word:
                break
        return " ".join(head)
    if period_start is not None:
        between = p.text[period_start : number.start].split()[1:]
        between = [w for w in between if not re.match(r"^(?:약|평균|대략|최대|최소|보통|통상|평소|에|동안|간|만|정도|총|하루(?:에|에는)?)$", w)]
        if between:
            return " ".join(strip_particle(w) for w in between[-2:])
    s_start, _ = p.sentence_at(number.start)
    start = period_start if period_start is not None else number.start
    tokens = p.text[s_start:start].split()
    for i in range(len(tokens) - 1, -1, -1):
        w = tokens[i]
        if re.search(r"(?:을|를|이|가|은|는)$", w) and len(w) > 1:
            word = strip_particle(w)
            if i > 0 and re.fullmatch(r"[가-힣]+", tokens[i - 1]) and not re.search(r"(?:은|는|이|가|을|를|의|에|서|고|며|면)$", tokens[i - 1]):
                return f"{tokens[i - 1]} {word}"
            return word
    return "건"


def _peak_window(p: Prose, n: Number, numbers: list[Number]) -> str:
    """The words around a count that can make it a peak: its clause, and back to the sentence's start or the
    first count of the sentence ('At peak, after weekends, we see 90 results an hour': the cue sits two clauses before).
    """
    c_start, c_end = p.clause_at(n.start)
    s_start, _ = p.sentence_at(n.start)
    before = [m.end for m in numbers if s_start <= m.start and m.end <= n.start]
    # Back to the sentence's start only when no other count stands before in the sentence: its clause's cue is its own.
    prev_end = max(before + [c_start]) if before else s_start
    next_start = min([m.start for m in numbers if m.start >= n.end] + [c_end])
    return p.low[prev_end : min(c_end, next_start)]


def _ko_period_before(p: Prose, n: Number, lo: int) -> tuple[str | None, int | None]:
    units = lexicon("units")["periods"]
    best = None
    for m in p.find(rx(units["ko_before"]), lo, n.start):
        gap = p.low[m.end() : n.start].split()
        reach = 3 if len(m.group(1).strip()) == 1 else 8  # a bare 일/월/주/연 is ambiguous; 매일, 하루, 매월 reach further
        if len(gap) <= reach and not re.search(r"\d", p.low[m.end() : n.start]):
            best = m
    if not best:
        return None, None
    word = re.sub(r"\s?(?:평균|에만|에는|에|간|동안)$", "", best.group(1)).strip()
    word = re.sub(r"\s+", " ", word)
    names = units["ko_names"]
    period = names.get(word) or names.get(word.replace(" ", "")) or names.get(word[:2]) or names.get(word[:1])
    if word.startswith(("1년", "일년", "일 년")):
        period = "year"
    return period, best.start()


_NEW_CLAUSE = regex_cache.compile(
    r"[,;:]\s*(?:and\s+|but\s+|so\s+)?(?:who|which|that|where|when|while|because|but|so|since|although|we|they|it|he|she|each|every|the|this|these|our)\b|[;:()]"
)


def _en_period_after(p: Prose, n: Number, c_end: int) -> tuple[str | None, int, int]:
    """(period, where the period words start, end) for an English flow, or (None, ...).

    The period may sit past commas of a noun list ('700 supplier, licensing and distribution
    contracts a month') but not past a new clause.
    """
    units = lexicon("units")["periods"]
    _, s_end = p.sentence_at(n.start)
    window = p.low[n.end : max(c_end, s_end)]
    m = rx(units["en_after"]).search(window)
    if not m:
        return None, n.end, n.end
    between = window[: m.start()]
    if len(between.split()) > 8 or re.search(r"\d|[$€£¥₩%]", between) or _NEW_CLAUSE.search(between):
        return None, n.end, n.end
    word = next(x for x in m.groups() if x)
    word = re.sub(r"\s+", " ", word)
    return units["names"].get(word, units["names"].get(word.split()[-1])), n.end + m.start(), n.end + m.end()


def _en_period_before(p: Prose, n: Number, c_start: int, s_start: int) -> str | None:
    """'Every month, about 3,000 claims arrive'; a period that opens the sentence reaches its first number."""
    units = lexicon("units")["periods"]
    for m in p.find(rx(units["en_before"]), s_start, n.start):
        gap = p.low[m.end() : n.start]
        opens_sentence = not p.low[s_start : m.start()].strip()
        if not re.search(r"\d", gap) and (len(gap.split()) <= 4 or opens_sentence):
            return units["names"].get(m.group(1))
    return None


def _day_kind(p: Prose, n: Number, c_start: int, period_end: int) -> tuple[str | None, int]:
    """('weekday' | 'weekend_day', where its words start) when the clause says which kind of day a count is for.

    The words come before the count with no other number between ('주말에는 하루 140건', 'on Saturdays and
    Sundays we discharge 140 a day', 'weekends see about 140') or right after its period ('85 a day on weekdays').
    """
    kinds = lexicon("units")["periods"]["day_kinds"]
    lang = "ko" if p.korean else "en"
    best: tuple[str | None, int] = (None, -1)
    for kind, patterns in kinds.items():
        for m in re.finditer(patterns[lang], p.low[c_start : n.start]):
            at = c_start + m.start()
            if not re.search(r"\d", p.low[c_start + m.end() : n.start]) and at > best[1]:
                best = (kind, at)
    if best[0] is None:
        after = p.low[period_end : period_end + 30]
        for kind, patterns in kinds.items():
            m = re.match(r"\s*(?:on|at|during|over|in)?\s*(?:the\s+)?(?:" + patterns[lang] + ")", after)
            if m:
                return kind, period_end
    return best


def _bare_count_of_flow(p: Prose, n: Number, c_start: int, c_end: int, kind_start: int, flows: list[Volume]) -> bool:
    """Whether a count with no period, after a kind of day, is a flow ('weekends see about 140', 'Weekdays bring 85 discharges').

    After a flow, the count continues it when nothing or the flow's own noun follows; as the first
    count, the kind of day must open the clause and a counted noun follow. 'On weekends 3 vets cover
    the ward' counts people, not a flow.
    """
    if n.value < 2:
        return False
    after = re.match(r"\s*([a-z가-힣][a-z가-힣'’-]*)", p.low[n.end : c_end])
    roles = {r for key in ("staff_en", "public_en", "staff_ko", "public_ko") for r in lexicon("cues")["roles"][key]}
    if flows:
        if after is None:
            return True
        word = after.group(1)
        return word.startswith("건") or any(word.rstrip("s") in v.what or v.what.endswith(word) for v in flows)
    opens = p.low[c_start:kind_start].strip() in ("", "on", "at", "during", "over")
    return bool(opens and after and after.group(1).endswith(("s", "건")) and after.group(1) not in roles and not _PERIOD_WORDS.match(after.group(1)))


def _multiplier(p: Prose, n: Number) -> int | None:
    """End of the multiplier words ('x', 'times', '배') after `n`, or None when `n` is no multiplier."""
    m = re.match(r"\s?(?:x|×|-fold|fold)(?![a-z0-9])|\s+times\b|\s?배", p.low[n.end : n.end + 10])
    return n.end + m.end() if m else None


_PERCENT = regex_cache.compile(r"\s?(?:%|percent\b|per\s+cent\b|퍼센트)")
_UPLIFT_EN = regex_cache.compile(
    r"\b(?:more|higher|up|above|extra|busier|rises?|rising|grows?|growing|increases?|increasing|jumps?|climbs?|swells?|on\s+top)\b"
)
_UPLIFT_KO = regex_cache.compile(r"늘|증가|많아|많은|더\s|상승|급증")
_DOWN = regex_cache.compile(
    r"\b(?:cut|cuts|reduce[sd]?|reducing|less|fewer|lower|down|drop|faster|shorter|save|saves|halve|decrease[sd]?)\b|줄|감소|단축|절감|낮"
)


def _percent_uplift(p: Prose, n: Number) -> float | None:
    """A seasonal or peak uplift stated as a percentage ('+40% in peak season', 'volume rises 25% in winter',
    '성수기에는 40% 늘어남'): the busiest period carries 1 + p/100 of the usual load, never a default multiple.

    Only in a clause with a peak or season cue and an uplift word (or a '+' before the number), and no
    word of reduction: 'cut handling time by 30% in the busy season' is a success criterion, not a load.
    """
    pct = _PERCENT.match(p.low, n.end)
    if pct is None or n.value <= 0 or n.value > 1000:
        return None
    c_start, c_end = p.clause_at(n.start)
    clause = p.low[c_start:c_end]
    if not any_match(lexicon("cues")["peaks"]["cues"], clause) or _DOWN.search(clause):
        return None
    plus = re.search(r"\+\s?$", p.low[max(c_start, n.start - 2) : n.start])
    if not (plus or _UPLIFT_EN.search(clause) or _UPLIFT_KO.search(clause)):
        return None
    return round(1 + n.value / 100, 2)


def _is_peak_multiplier(p: Prose, start: int, end: int) -> bool:
    peaks = lexicon("cues")["peaks"]
    c_start, c_end = p.clause_at(start)
    s_start, s_end = p.sentence_at(start)
    after = p.low[end : min(c_end, end + 30)]
    if any_match(peaks["not_peak"], after[:25]) or re.match(r"\s+(?:a|per|an|each)\s+(?:day|week|month|year|hour)\b", after):
        return False
    near = p.low[max(s_start, start - 40) : min(s_end, end + 40)]
    return bool(any_match(peaks["multiplier_context"], near) or any_match(peaks["cues"], p.low[c_start:c_end]))


_PERCENT = regex_cache.compile(r"\s?(?:%|percent\b|per\s+cent\b|퍼센트|프로(?![가-힣]))")


def _season_uplift(p: Prose, n: Number) -> float | None:
    """1 + N/100 for a share added in a season ('30% more in the autumn season', '연말에 30% 늘어남'), else None.

    The sentence must say both that the volume grows (before the share: '+', 'up'; after it: 'more',
    '늘어납니다') and when (a season, a holiday, a month): a 30% error rate or a 30% faster target is no peak.
    """
    m = _PERCENT.match(p.low, n.end)
    if not m or not 0 < n.value <= 500:
        return None
    peaks = lexicon("cues")["peaks"]
    c_start, c_end = p.clause_at(n.start)
    s_start, s_end = p.sentence_at(n.start)
    before, after = p.low[max(c_start, n.start - 20) : n.start], p.low[m.end() : min(c_end, m.end() + 30)]
    if any_match(peaks["not_peak"], after[:25]) or any_match(peaks["not_peak"], before):
        return None
    grows = any(re.search(pat, after) for pat in peaks["uplift_increase"]) or any(re.search(pat, before) for pat in peaks["uplift_increase"][1:])
    if not grows or not any_match(peaks["uplift_season"], p.low[s_start:s_end]):
        return None
    return round(1 + n.value / 100, 4)


_CLOCK = regex_cache.compile(r"\s?시(?!간)|\s?(?:a\.?m|p\.?m)\b|\s?o['’]clock\b|:[0-5]\d\b")


def read_volumes(p: Prose, taken: list[Span], uplifts: list[Number] | None = None) -> list[Volume]:
    """Flows ('1,200 complaints a day', '월 2만 건'), peaks ('10x in admission season', '평소의 3배') and stocks ('8,000 products')."""
    units = lexicon("units")
    counters = units["ko_counters"]
    counter_rx = regex_cache.compile(r"\s?(" + "|".join(sorted(counters, key=len, reverse=True)) + r")(?!당)")
    peak_cues = lexicon("cues")["peaks"]["cues"]
    numbers = [n for n in p.numbers if not overlaps((n.start, n.end), taken)]
    out: list[Volume] = []
    flows: list[Volume] = []
    for n in numbers:
        c_start, c_end = p.clause_at(n.start)
        s_start, _ = p.sentence_at(n.start)
        uplift = _percent_uplift(p, n)
        if uplift is not None:
            base = flows[-1].what if flows else ("volume" if not p.korean else "물량")
            out.append(Volume(what=base, quantity=uplift, unit="x", peak=True, evidence=stated(p.quote(c_start, c_end))))
            taken.append((n.start, n.end))
            continue
        mult_end = _multiplier(p, n)
        if mult_end:
            if _is_peak_multiplier(p, n.start, mult_end):
                base = flows[-1].what if flows else ("volume" if not p.korean else "물량")
                context = (p.quote(c_start, n.start) if p.korean else p.quote(mult_end, c_end)).rstrip(".").strip()[:60]
                what = f"{base} ({context})" if context else base
                out.append(Volume(what=what, quantity=n.value, unit="x", peak=True, evidence=stated(p.quote(c_start, c_end))))
            continue
        if n.kind == "words" and n.value < 2:
            continue
        if re.match(r"\s?(?:[가-힣]{1,3})?당", p.low[n.end : n.end + 4]):
            continue  # "1인당", "한 건당": per one, not a volume
        if _CLOCK.match(p.low, n.end) or re.search(r"\d:$", p.low[max(0, n.start - 3) : n.start]):
            continue  # "매일 밤 11시에", "by 9 a.m.": a time of day (a batch's schedule or deadline), not a count
        if n.kind == "digits" and 1900 <= n.value <= 2100 and "," not in p.text[n.start : n.end]:
            continue
        counter = counter_rx.match(p.low, n.end)
        period, p_start, p_end = _en_period_after(p, n, c_end)
        ko_period, ko_start = (None, None)
        if not period:
            ko_period, ko_start = _ko_period_before(p, n, c_start)
            m_after = rx(units["periods"]["ko_after"]).match(p.low, counter.end() if counter else n.end)
            if not ko_period and m_after:
                ko_period = units["periods"]["ko_names"].get(m_after.group(1))
        if not period and not ko_period and not p.korean:
            period = _en_period_before(p, n, c_start, s_start)
            after = re.match(r"((?:\s+[a-z][a-z'’-]*){1,4})", p.low[n.end : c_end])
            p_start = p_end = n.end
            if period and after:  # "Each quarter, auditors review about 9,000 expense claims": the noun follows
                nouns = [w for w in after.group(1).split() if w not in _EN_STOP]
                cut = next((i for i, w in enumerate(nouns) if _VERB.match(w)), len(nouns))
                if nouns[:cut]:
                    p_start = p_end = n.end + after.end()
        per = period or ko_period
        kind, kind_start = _day_kind(p, n, c_start, p_end if period else n.end)
        if kind and (per == "day" or (per is None and _bare_count_of_flow(p, n, c_start, c_end, kind_start, flows))):
            per = kind  # '주말에는 하루 140건', 'weekends see about 140': a count per weekend day, not a second daily total
        else:
            kind = None
        if per:
            quantity = n.value
            if per == "quarter":
                per, quantity = "month", round(n.value / 3, 2)
            if counter or ko_period:
                if counter and counter.group(0).strip().startswith("명") and KO_STAFFING.match(p.low, counter.end()):
                    continue  # '하루 약 1,150명이 3교대로 근무하며': who works a day, not how much work there is
                what = _ko_what(p, n, counter.end() if counter else n.end, ko_start)
                unit = counters.get(counter.group(1), "items") if counter else "items"
                q_start = ko_start if ko_start is not None else n.start
                q_end = counter.end() if counter else n.end
                q_end = max(q_end, _ko_noun_end(p, q_end))
            else:
                what, unit = _en_what(p, p.low[n.end : p_start], n, flows)
                q_start, q_end = n.start, max(p_end, n.end)
                if n.value > 1 and re.fullmatch(r"[a-z-]+", what) and not what.endswith("s") and re.match(r"\s+" + re.escape(what) + r"\b", p.low[n.end :]):
                    what = _plural(what)  # '3,000 claim per week': the count is of claims
                if what in _staff_words():
                    continue  # '2 clerks per day' is who does the work, not how much of it there is
            if kind and (what in p.low[kind_start : n.start] or what in ("items", "건")):  # '주말' is when, not what
                noun = re.match(r"\s*([a-z][a-z'’-]*s)\b", p.low[n.end : c_end])
                if flows:
                    what, unit = flows[-1].what, flows[-1].unit  # the flow the day pattern belongs to
                elif noun:
                    what = unit = noun.group(1)  # 'Weekdays bring about 85 discharges'
                q_start = min(q_start, kind_start)
            window = _peak_window(p, n, p.numbers)
            following = min((m for m in p.numbers if m.start >= n.end), key=lambda m: m.start, default=None)
            if following is not None and following in (uplifts or []):
                prev_end = max([m.end for m in p.numbers if m.end <= n.start] + [c_start])
                window = p.low[max(c_start, prev_end) : max(q_end, n.end)]  # '연말에' before '30% 늘어남' is the uplift's cue
            peak = bool(any_match(peak_cues, window))
            approx = re.search(r"(?:about|around|roughly|approximately|nearly|some|over|more\s+than|약|대략)\s*$", p.low[max(c_start, n.start - 20) : n.start])
            if approx:
                q_start = min(q_start, n.start - len(approx.group(0)))
            evidence = stated(p.quote(q_start, q_end))
            volume = Volume(what=what, quantity=quantity, unit=unit, per=per, peak=peak, evidence=evidence)  # type: ignore[arg-type]
            out.append(volume)
            flows.append(volume)
            taken.append((n.start, n.end))
            continue
        if n.kind in ("digits", "ko") and n.value >= 2:
            if counter and counters.get(counter.group(1)) not in ("times",):
                role = _ko_role_before(p, n) if counters[counter.group(1)] == "people" else None
                unit = counters[counter.group(1)]
                out.append(
                    Volume(
                        what=role or _ko_what(p, n, counter.end(), None),
                        quantity=n.value,
                        unit="users" if unit == "people" and _states_use(p, n, counter.end(), "ko") else unit,
                        evidence=stated(p.quote(n.start, counter.end())),
                    )
                )
                continue
            m = re.match(r"\s+((?:[a-z-]+\s+){0,2}?[a-z-]{3,}s|people|persons|staff)\b", p.low[n.end : n.end + 40])
            if m and not re.search(r"\b(?:hours|days|weeks|months|years|minutes|seconds|times)\b", m.group(1)):
                unit = "users" if _states_use(p, n, n.end + m.end(), "en") else m.group(1).split()[-1]
                out.append(Volume(what=m.group(1), quantity=n.value, unit=unit, evidence=stated(p.quote(n.start, n.end + m.end()))))
    for m in p.find(r"\b(twice|double[sd]?|doubling|triple[sd]?|tripling|quadruple[sd]?)\b"):
        if overlaps(m.span(), taken) or not _is_peak_multiplier(p, m.start(), m.end()):
            continue
        c_start, c_end = p.clause_at(m.start())
        if not any_match(peak_cues, p.low[c_start:c_end]) and not flows:
            continue
        factor = 2 if m.group(1).startswith(("twice", "doubl")) else 3 if m.group(1).startswith("tripl") else 4
        base = flows[-1].what if flows else "volume"
        out.append(Volume(what=base, quantity=factor, unit="x", peak=True, evidence=stated(p.quote(c_start, c_end))))
    for m in p.find(r"(?<![가-힣])(" + _NATIVE + r")\s?배"):
        if overlaps(m.span(), taken) or not _is_peak_multiplier(p, m.start(), m.end()):
            continue
        c_start, c_end = p.clause_at(m.start())
        factor = lexicon("units")["number_words"]["ko_native"][m.group(1)]
        out.append(Volume(what=flows[-1].what if flows else "물량", quantity=factor, unit="x", peak=True, evidence=stated(p.quote(c_start, c_end))))
    return out


def _states_use(p: Prose, n: Number, end: int, lang: str) -> bool:
    """Whether the prose says this head-count uses the tool ('32 attorneys and paralegals will use it', '직원 32명이
    이 도구를 사용', '사용자는 32명'): the stated number of users, unit 'users', which the rollout sizes to.
    """
    roles = lexicon("cues")["roles"]
    if re.match(roles[f"stated_use_{lang}"], p.low[end : end + 60]):
        return True
    return lang == "ko" and re.search(roles["stated_use_ko_before"], p.low[max(0, n.start - 16) : n.start]) is not None


def _ko_role_before(p: Prose, n: Number) -> str | None:
    """The role a head-count counts when the noun stands bare before it: '수의사 62명, 동물보건사 140명' count
    vets and veterinary nurses, not the hospitals the sentence is about (so the rollout can count its users only).
    """
    m = re.search(r"(?<![가-힣])([가-힣]{2,8})\s?$", p.text[max(0, n.start - 12) : n.start])
    if not m or re.search(r"(?:은|는|이|가|을|를|의|에|서|고|며|면|와|과|및|약|총|평균|모두|전체)$", m.group(1)):
        return None
    return m.group(1)


def _ko_noun_end(p: Prose, pos: int) -> int:
    m = re.match(r"의\s?[가-힣A-Za-z]+", p.text[pos : pos + 16])
    return pos + m.end() if m else pos
