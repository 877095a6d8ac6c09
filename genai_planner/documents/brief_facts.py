"""`brief_facts`: a fact of the brief that a document restates keeps its value.

A document may restate what the client said: today's baseline ('a handler needs about 35
minutes'), a volume ('3,000 new claim files a week', '하루 300명의 환자'), the peak ('five times
the usual level'), the budget ('EUR 18,000 a month'). It must not change it. Each is found by
meaning, not by wording:

- a baseline: a sentence with a number in the baseline's unit that retells the client's own
  sentence (most of its words) or names the baseline's metric next to 'today'/'baseline'/'현재';
- a volume: a number written right before what the volume counts, with its period ('a week',
  '하루') when it has one;
- the peak: 'N times' / 'N배' next to 'usual', 'peak', 'storm', '평소', '최대';
- the budget: a money amount, in any currency, on a line that speaks of the budget, ceiling or
  limit: it must be the budget or a computed monthly cost;
- the residency: document 2's hard-gates section restates where the data must stay.
"""

from __future__ import annotations

import math
import re
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.documents import amounts
from genai_planner.documents import markdown as md
from genai_planner.documents.brief_terms import _get, _get_residency_terms, residency
from genai_planner.documents.checks import SOURCES_TITLE, CheckContext, check
from genai_planner.documents.content_lexicon import _lowered, _plain, _split_sentences, _text_numbers, _unit_aliases, has_hangul
from genai_planner.documents.negation import excluding, has_any
from genai_planner.planning import peaks

BUDGET_WORDS = ["budget", "ceiling", "cap", "limit", "up to", "within", "at most", "spend", "예산", "상한", "한도", "이내", "이하"]
BASELINE_WORDS = ["today", "currently", "current", "baseline", "now", "takes", "spend", "spends", "현재", "기준값", "평균", "지금"]
PEAK_WORDS = ["usual", "normal", "peak", "storm", "surge", "평소", "최대", "피크", "몰리"]
PERIOD_WORDS = {
    "day": ["a day", "per day", "daily", "each day", "every day", "/day", "하루", "일일", "매일", "일 "],
    "weekday": ["a weekday", "per weekday", "each weekday", "on weekdays", "평일"],
    "weekend_day": ["a weekend day", "per weekend day", "weekend day", "on weekends", "주말"],
    "week": ["a week", "per week", "weekly", "each week", "every week", "/week", "주당", "매주", "일주일", "한 주", "주에"],
    "month": ["a month", "per month", "monthly", "each month", "/month", "/mo", "매월", "월간", "한 달", "월 "],
    "hour": ["an hour", "per hour", "hourly", "/h", "시간당"],
    "year": ["a year", "per year", "annually", "yearly", "연간", "매년", "1년"],
}
MULTIPLE_WORDS = {"twice": 2.0, "double": 2.0, "triple": 3.0, "두": 2.0, "세": 3.0, "네": 4.0, "다섯": 5.0}
COUNTERS = {"건", "명", "개", "곳", "대", "장", "회", "item", "items", "unit", "units", "case", "cases", "people", "person", "persons"}
"""A volume whose noun is only a counter ('9건', '2.3 million people') cannot be told from every other count of that kind
('a 10% canary would be 3 people' counts a rollout group, not the population)."""
ESTIMATE_WORDS = ["estimate", "estimated", "assumed", "assumption", "추정", "가정"]
"""A sentence marked as an estimate gives a derived figure (a busy hour, requests in flight), not the client's."""
RANGE_RE = regex_cache.compile(r"(\d[\d,.]*)\s*(to|and|or|-|–|~|에서)\s*(?=\d)(\d[\d,.]*)\s*([A-Za-z]+|[가-힣]+)", re.IGNORECASE)
RESTATES_SHARE = 0.7
"""Share of the client's sentence (its content words) a sentence must repeat to count as retelling it."""
TIME_POINT_RE = regex_cache.compile(
    r"\b(?:after|within|every|each)\s+(?:the\s+(?:first\s+)?)?\d[\d,.]*\s*[A-Za-z]+|\d[\d,.]*\s*[A-Za-z]+\s+(?:later|after|from now)\b"
    r"|\d[\d,.]*\s*[가-힣]{1,2}\s*(?:후|뒤|이후|이내|안에|내에|만에|마다)(?![가-힣])",
    re.IGNORECASE,
)
"""When something happens ('after 30 days', '30일 후', 'within 15 minutes', '15분 안에'), not how long the work takes today."""


def _sentences(doc: md.ParsedDocument, ctx: CheckContext) -> list[tuple[str, str]]:
    """(section title, sentence) for the body; a table row is one sentence."""
    sources = SOURCES_TITLE.get(ctx.language, "Sources").lower()
    out = []
    for section in doc.sections:
        if md.normalise_heading(section.title) == sources:
            continue
        for line in section.lines:
            if not line.strip():
                continue
            plain = _plain(line)
            out += [(section.title, plain)] if line.strip().startswith("|") else [(section.title, s) for s in _split_sentences(plain)]
    return out


def _content_words(text: str) -> set[str]:
    """The content words of a text: Korean as kiwi's content morphemes, English words of three letters or more
    without the stop words, plural 's' dropped. Character pairs were too loose: a long sentence holds most
    pairs of a short quote ('each takes 15 to 20 minutes' in any sentence with 'minutes').
    """
    words: set[str] = set()
    if has_hangul(text):
        from genai_planner.tools.korean import kiwi_morphemes  # loads kiwi's model on first use (Hangul only)

        words |= {m for m in kiwi_morphemes(text) if has_hangul(m)}
    stop = _lowered("stop_words", "en")
    for word in re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", text):
        word = word.lower().rstrip("'’")
        if word not in stop:
            words.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return words


def _retells(sentence: str, quote: str) -> bool:
    want = _content_words(quote)  # one content word ('each takes 15 to 20 minutes': 'minutes') is in too many sentences
    return len(want) >= 2 and len(want & _content_words(sentence)) / len(want) >= RESTATES_SHARE


def _with_unit(text: str, unit: str) -> list[float]:
    """Numbers of `text` written with `unit` or one of its aliases ('35 minutes', '25분')."""
    out = []
    aliases = _unit_aliases(unit)
    # The low end of a range carries the unit too: '25 to 40 minutes' reads as '25 minutes to 40 minutes'.
    text = RANGE_RE.sub(r"\1 \4 \2 \3 \4", text)
    text = TIME_POINT_RE.sub(" ", text)
    for value, after in _text_numbers(text):
        after = after.lstrip()
        for alias in aliases:
            if (has_hangul(alias) and after.startswith(alias)) or re.match(re.escape(alias) + r"(?![A-Za-z])", after, flags=re.IGNORECASE):
                out.append(value)
                break
    return out


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def _baseline_problems(sentences: list[tuple[str, str]], brief: dict[str, Any], figures: dict[str, Any]) -> list[str]:
    problems = []
    targets = [v for t in figures.get("targets", []) for v, _ in _text_numbers(str(t.get("target", "")))]
    for criterion in brief.get("success_criteria") or []:  # 'ready within 10 minutes' is the goal, not the baseline
        targets += [v for v, _ in _text_numbers(str(criterion.get("value") or ""))]
    # Every baseline the client stated in a unit: a range ('25 to 40 minutes') is two baselines of one sentence.
    stated = [float(b["value"]) for b in brief.get("baselines") or [] if isinstance(b.get("value"), int | float)]
    for baseline in brief.get("baselines") or []:
        value, unit = baseline.get("value"), str(baseline.get("unit") or "")
        if not isinstance(value, int | float) or not unit:
            continue
        quote = str((baseline.get("evidence") or {}).get("quote") or "")
        metric = str(baseline.get("metric") or "").lower()
        for _, sentence in sentences:
            found = _with_unit(sentence, unit)
            if not found:
                continue
            if not (_names_near(sentence, metric, unit) or (quote and _retells(sentence, quote))):
                continue
            if not any(_close(v, float(value)) for v in found) and not all(any(_close(v, t) for t in targets + stated) for v in found):  # noqa: E501
                problems.append(f"restates the baseline as {found[0]:g} {unit}; the client said {value:g} {unit} (\"{quote or metric}\"): \"{sentence}\"")
    return problems


def _names_near(sentence: str, metric: str, unit: str) -> bool:
    """Whether the sentence gives a number in `unit` close to the baseline's metric, next to 'today', 'baseline', '현재' ..."""
    at = sentence.lower().find(metric) if metric else -1
    if at < 0 or not has_any(sentence, BASELINE_WORDS):
        return False
    for alias in _unit_aliases(unit):
        for m in re.finditer(r"\d[\d,.]*\s*" + re.escape(alias), sentence, flags=re.IGNORECASE):
            if abs(m.start() - at) <= 40:
                return True
    return False


def _number_before(sentence: str, what: str, hangul: bool, words: int = 2, lead: str = "") -> list[float]:
    """Whole numbers written right before `what` ('3,000 new claim files' -> 3000 for 'claim'; '300명의 환자' -> 300 for '환자')."""
    stop = r"(?!(?:of|for|per|between|and|or|to|from|with|by|in|on|at)\b)"
    # Korean lets only the volume's own modifiers ('승인된' of '승인된 용어') stand between the counter and the noun.
    gap = (rf"\s*(?:{re.escape(lead)}\s*)?" if lead else r"\s*") if hangul else rf"(?:\s+{stop}[A-Za-z'’\-]+){{0,{words}}}\s+"
    # Korean counts a noun as '300명의 환자', '300명 환자' or '300 환자': a counter, then '의' or a space. A number
    # with any other particle is a clause of its own ('모델 중 22개는 세린제약의 ...' does not count 세린제약).
    unit = r"(?:\s*(?:명|건|개|곳|대|장)의?)?" if hangul else ""
    # An English head ends its noun phrase: '85 relationship managers' counts managers, not relationships.
    tail = "" if hangul else r"(?:e?s)?\b(?!\s+[a-z]{3,}s\b)"
    out = []
    # A signed number is a change, not a count: '+10 users need Arabic' adds 10 points to a weight.
    for m in re.finditer(r"(?<![\d.,+±])(\d{1,3}(?:,\d{3})+|\d+)(?![.,]?\d)" + unit + gap + re.escape(what) + tail, sentence, flags=re.IGNORECASE):
        out.append(float(m.group(1).replace(",", "")))
    return out


FLOW_RE = regex_cache.compile(
    r"\b(?:a|per|each|every)\s+(?:day|week|month|year|quarter)\b|\b(?:daily|weekly|monthly|annually|yearly)\b"
    r"|\b(?:last|past|previous)\s+(?:\d+|few|several)\s+(?:days?|weeks?|months?|years?)\b"
    r"|(?:최근|지난)\s*\d+\s*(?:일|주|개월|달|년)|매(?:일|주|월|년)|하루|한\s?달|연간|월간|주당",
    re.IGNORECASE,
)
"""A count over a period: a flow, which a stock the client stated (no period) is not."""
PREPOSITIONS = {"of", "for", "from", "per", "in", "on", "at", "to", "with", "by", "about"}


def _head(words: list[str]) -> tuple[int, str]:
    """The noun a volume counts and how many modifiers precede it ('approved terms' -> (1, 'terms');
    'letters from patients' -> (0, 'letters'); '승인된 용어' -> (1, '용어')). An English plural loses its 's'
    so that '1 term' still counts terms.
    """
    phrase = []
    for w in words:
        if w.lower() in PREPOSITIONS:
            break
        phrase.append(w)
    phrase = phrase or words[:1]
    head = phrase[-1]
    if re.fullmatch(r"[A-Za-z]{4,}s", head) and not head.lower().endswith("ss"):
        head = head[:-1]
    return len(phrase) - 1, head


def _volume_problems(sentences: list[tuple[str, str]], brief: dict[str, Any]) -> list[str]:
    problems = []
    for volume in brief.get("volumes") or []:
        quantity, what = volume.get("quantity"), str(volume.get("what") or "").strip()
        if not isinstance(quantity, int | float) or not what:
            continue
        quote = str((volume.get("evidence") or {}).get("quote") or "")
        if (volume.get("peak") or volume.get("unit") == "x") and peaks.is_multiple(volume):
            problems += _peak_problems(sentences, float(quantity), quote)
            continue
        if volume.get("peak"):
            # A peak counted an hour ('about 40 conversations an hour') is no multiple of the usual load: a document
            # restates it as the client's count or the season's busiest hour the plan sizes for (`planning.peaks`).
            if volume.get("per") == "hour":
                problems += _peak_count_problems(sentences, volume, peaks.peak_hour_counts(brief.get("volumes") or []))
            continue
        # The organisation's name is not what a volume counts ('세린제약 허가전략팀' counts the team, not every
        # sentence that names 세린제약): its words drop out before the counted noun is chosen.
        org = str(((brief.get("organisation") or {}).get("value")) or "").lower()
        words = [w for w in (re.sub(r"\s*\([^()]*\)", "", what) if not has_hangul(what) else what).split() if not (org and w.lower() in org)]
        if not words:
            continue
        # The volume counts its head noun, not a modifier: '12,000 approved terms' counts terms, and '251,850 approved
        # pairs' shares only the modifier. The modifiers before the head may stand between the number and the head.
        modifiers, word = _head(words)
        if word.lower() in COUNTERS or len(word) < 2:
            continue
        period = PERIOD_WORDS.get(str(volume.get("per") or ""), [])
        # Volumes counted by the same noun (95 discharges on a weekday, 50 on a weekend day) each hold.
        same = [float(v["quantity"]) for v in brief.get("volumes") or [] if isinstance(v.get("quantity"), int | float)
                and _head(str(v.get("what") or "").split())[1].lower() == word.lower()]
        for _, sentence in sentences:
            if (period and not has_any(sentence, period)) or has_any(sentence, ESTIMATE_WORDS):
                continue
            # A stock (a database of 12,000 terms) is not a flow: a sentence counting over a period ('the last 12
            # months give 251,850 pairs', '월 300건') states something else.
            if not period and FLOW_RE.search(sentence):
                continue
            for value in _number_before(sentence, word, has_hangul(word), words=modifiers + (2 if volume.get("per") else 1),
                                        lead=" ".join(words[:modifiers])):
                if not any(_close(value, q) for q in same):
                    problems.append(f"restates {quantity:,.0f} {what}{' per ' + volume['per'] if volume.get('per') else ''} as {value:,.0f}: \"{sentence}\"")
    return problems


def _peak_count_problems(sentences: list[tuple[str, str]], volume: dict[str, Any], counts: list[float]) -> list[str]:
    """A busiest hour restated with another count than the client's or the season's (shown rounded to a whole number)."""
    what = str(volume.get("what") or "").split()
    if not counts or not what or has_hangul(what[-1]):
        return []
    _, word = _head(what)
    problems = []
    for _, sentence in sentences:
        if not has_any(sentence, PEAK_WORDS) or not has_any(sentence, PERIOD_WORDS["hour"]) or has_any(sentence, ESTIMATE_WORDS):
            continue
        for value in _number_before(sentence, word, False, words=1):
            if not any(abs(value - c) <= 0.5 + 1e-9 for c in counts):
                shown = " or ".join(f"{c:g}" for c in counts)
                problems.append(f"restates the busiest hour's {volume.get('what')} as {value:g}; the client's figures give {shown}: \"{sentence}\"")
    return problems


def _peak_problems(sentences: list[tuple[str, str]], multiple: float, quote: str) -> list[str]:
    problems = []
    pattern = regex_cache.compile(r"(\d+(?:\.\d+)?|[A-Za-z]+|[가-힣])\s*(?:x|×|times|배)(?![A-Za-z])", re.IGNORECASE)
    numbers = {k: float(v) for k, v in {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}.items()}
    for _, sentence in sentences:
        if not has_any(sentence, PEAK_WORDS):
            continue
        said: list[float] = []
        for m in pattern.finditer(sentence):
            word = m.group(1).lower()
            value = float(word) if re.fullmatch(r"\d+(?:\.\d+)?", word) else numbers.get(word, MULTIPLE_WORDS.get(word))
            if value is not None and not re.match(r"\s*(?:x|×)\s*(?:NVIDIA\s+)?[A-Z]?\d|\s*(?:x|×)\s*GPU", sentence[m.end(1) :]):
                said.append(value)
        for word, value in MULTIPLE_WORDS.items():
            if not has_hangul(word) and re.search(rf"\b{word}\b", sentence, flags=re.IGNORECASE):
                said.append(value)
        for value in said:
            if not _close(value, multiple):
                problems.append(f"restates the peak as {value:g} times the usual load; the client said {multiple:g} (\"{quote}\"): \"{sentence}\"")
    return problems


def _budget_problems(doc: md.ParsedDocument, ctx: CheckContext) -> list[str]:
    budget = _get(ctx.brief, "constraints", "monthly_budget", "value") or {}
    currency = str(budget.get("currency") or "").upper()
    rate = amounts.per_usd().get(currency)
    if not budget.get("amount") or not rate:
        return []
    allowed = [float(budget["amount"]) / rate]
    build = _get(ctx.brief, "constraints", "build_budget", "value") or {}
    build_rate = amounts.per_usd().get(str(build.get("currency") or "").upper())
    if build.get("amount") and build_rate:
        allowed.append(float(build["amount"]) / build_rate)  # the one-off build budget the client stated, shown apart from the running one
    for cost in ctx.figures.get("costs", []):
        allowed += [float(v) for k in ("monthly_usd", "api_usd", "self_host_usd") if (v := cost.get(k)) is not None]
        # The parts a monthly cost is made of (power, operations, rental, amortised hardware) are computed costs too.
        allowed += [float(v) for v in (cost.get("parts") or {}).values() if v is not None]
    # The one-off build estimate (its lines, its total, its hourly rates) is computed too, in USD; the
    # stated build budget and the total in its currency are compared as USD via the same rate.
    build = ctx.figures.get("build") or {}
    if build:
        allowed += [float(build["total_usd"])] + [float(i[k]) for i in build.get("items", []) for k in ("usd", "rate_usd") if i.get(k) is not None]
        build_rate = amounts.per_usd().get(str(build.get("currency") or "").upper())
        if build_rate:
            allowed += [float(build["budget_local"]) / build_rate] + ([float(build["total_local"]) / build_rate] if build.get("total_local") else [])
            if build.get("total_local") and build.get("budget_local"):  # the verdict's 'exceeds it by KRW 36,508,564' (or what is left)
                allowed.append(abs(float(build["total_local"]) - float(build["budget_local"])) / build_rate)
    problems = []
    sources = SOURCES_TITLE.get(ctx.language, "Sources").lower()
    for section in doc.sections:
        if md.normalise_heading(section.title) == sources:
            continue
        for line in section.lines:
            if line.strip().startswith("|") or not has_any(line, BUDGET_WORDS):
                continue
            for amount in amounts.amounts(line):
                if not amounts.matches(amount, allowed):
                    said = f"{currency} {float(budget['amount']):,.0f} a month"
                    problems.append(f"'{amount.text}' is neither the budget ({said}) nor a computed cost: \"{_plain(line)}\"")
    return problems


def _gates_problems(doc: md.ParsedDocument, ctx: CheckContext) -> list[str]:
    where = residency(ctx.brief)
    if where not in {"on_premises", "private_cloud"} or "hard_gates" not in {s.id for s in ctx.spec.sections}:
        return []
    section = doc.find(ctx.spec.section("hard_gates").title.get(ctx.language))  # type: ignore[arg-type]
    if section is None:
        return []
    terms = _get_residency_terms(where, "en") + _get_residency_terms(where, "ko")
    stated = [ln for ln in section.lines if ln.strip() and not excluding(ln)]  # the excluded models' reasons are not the gate
    if not any(has_any(ln, terms) for ln in stated):
        return [f"'{section.title}' does not restate where the data must stay ({where.replace('_', ' ')}): name it as a gate"]
    return []


@check("brief_facts")
def brief_facts(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Baselines, volumes, the peak, the budget and the residency a document restates keep the brief's values."""
    if not ctx.brief:
        return True, "no brief in the check context: nothing to compare"
    sentences = _sentences(doc, ctx)
    problems = _baseline_problems(sentences, ctx.brief, ctx.figures or {}) + _volume_problems(sentences, ctx.brief)
    problems += _budget_problems(doc, ctx) + _gates_problems(doc, ctx)
    if problems:
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        return False, "changes a fact the client stated: " + "; ".join(problems[:3]) + more
    return True, "every restated fact of the brief keeps its value"
