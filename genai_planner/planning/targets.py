"""Key metrics, client first: the success criteria the use case states, then baselines, then defaults.

An experienced architect starts from what the client said success means. `compute_targets`
(rules in `data/targets.yaml`) therefore builds the metric set in this order:

1. **Client criteria.** Each phrase of `brief.success_criteria` that states a direction ("no
   increase in medication errors", "cut handling time by 30%", "at least 70% of questions
   answered without staff") becomes one metric with that direction, the client's words as its
   name where they are in the run's language, and origin 'client'. A criterion about errors,
   harm, leaks or safety is a **release gate**: it blocks a release whatever the other metrics say.
2. **Stated baselines** become business metrics (origin 'baseline'), with the catalogue's rule.
3. **Defaults** fill in: the task types' technical metrics, then their business metric (a
   self-service or deflection metric only where the users are the public: where a person
   approves every output it measures nothing), then the generic ones.

The count follows the use case: at least the five the use-case document asks for (at least two
business and the rest technical), more when the client states more criteria, at most eight.
Each metric says where it can be measured: 'test_set' metrics are scored automatically on the
labelled set; 'pilot' metrics (time saved, adoption, incident rates) need real users and real
work, so the evaluation plan measures them in the pilot and in production only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.planning.brief import Baseline, Brief
from genai_planner.planning.client_terms import in_language
from genai_planner.planning.compute import HANGUL_RE, LANGUAGES, load_data, number, with_unit
from genai_planner.planning.criteria_lines import LineReading, read_items
from genai_planner.planning.figures import Target
from genai_planner.planning.phrases import korean_phrase, noun_phrase
from genai_planner.planning.roles import users_are_public

MIN_METRICS = 5
"""The seed asks for five key metrics; the client's own criteria may add more."""
MAX_METRICS = 8
"""Past eight, a metric list stops steering anything."""
MIN_BUSINESS = 2
MIN_TECHNICAL_TEST_SET = 2
"""Automated evaluation needs at least two metrics it can score on the test set."""

TIME_FAMILY = {"handle_time", "time_per_item"}
"""Catalogue metrics that measure the same staff minutes per item: one of them is enough."""

_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "five": 5, "ten": 10}


@dataclass(frozen=True)
class Criterion:
    """One directional phrase of a stated success criterion."""

    phrase: str
    direction: str
    value: float | None
    unit: str
    quote: str
    safety: bool
    baseline: float | None = None
    """A baseline stated with the criterion itself ('only 41% today'), in the criterion's unit."""
    name: str | None = None
    """The metric's name when the phrase alone does not make one ('Share of summaries sent within 48 hours')."""
    window: tuple[str, str] | None = None
    """A share criterion's time window as the client wrote it (value, unit): the name is rebuilt from it in another language."""
    subject: str = ""
    """What a share criterion counts, in the client's words ('summaries sent')."""
    lang: str = ""
    """The language the client wrote the criterion in."""
    op: str = ""
    """The client's own comparator ('<' for 'under 3%', '<=' for '5분 이하'): the target is written with it, exactly."""
    base_unit: str = ""
    """The baseline's unit when it differs from the target's ('down from 11 minutes')."""
    built: bool = False
    """The phrase was composed from the client's words ('briefings with a wrong ...'), not cut from them: a name as it is."""


def _clean(phrase: str, language: str, cfg: dict[str, Any]) -> str:
    words = [w for w in re.split(r"\s+", phrase.strip(" -")) if w and w not in cfg["name_stop"][language]]
    if language == "ko" and words:
        last = words[-1]
        noun = korean_phrase(last) == last  # '정확도', '만족도': 도 ends the noun, it is not the particle
        for particle in cfg["ko_particles"]:
            if last.endswith(particle) and len(last) > len(particle) + 1 and not (noun and particle == "도"):
                words[-1] = last[: -len(particle)]
                break
        while len(words) > 1 and words[0].endswith(tuple(cfg["ko_clause_endings"])):
            words = words[1:]
    return " ".join(words)


def _gate_subject(phrase: str, language: str, cfg: dict[str, Any]) -> str:
    """The thing a zero-tolerance prohibition is about, without the clause the pattern swept in before it.

    'and a sheet with a wrong dose must never reach an owner' -> 'sheet with a wrong dose';
    '복약 안내서에 잘못된 용량이 적힌 경우는 단 한 건도 ...' -> '잘못된 용량이 적힌 경우'.
    """
    rules = cfg["gate_subject"]
    if language == "en":
        phrase = re.sub(rules["en_clause"], "", phrase)
        return _clean(phrase, language, cfg)
    words = phrase.split(" ")
    cut = 0
    for i, word in enumerate(words[:-1]):
        if word in rules["ko_drop"] or word.endswith(tuple(rules["ko_ends"])):
            cut = i + 1
    return " ".join(words[cut:])


SYSTEM_SUBJECTS = frozenset({"it", "ai", "tool", "model", "system", "assistant", "chatbot", "bot", "service", "we", "i", "you", "they", "staff", "anyone"})
"""Subjects that name the tool or a person, not an output: 'It must never show X' counts outputs with X."""


def _plural(noun: str) -> str:
    """An English noun phrase's plural on its last word ('briefing' -> 'briefings', 'reply' -> 'replies')."""
    head, _, last = noun.rpartition(" ")
    if last.endswith("s") or not last:
        word = last
    elif last.endswith(("ch", "sh", "x", "z")):
        word = last + "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        word = last[:-1] + "ies"
    else:
        word = last + "s"
    return f"{head} {word}".strip()


PARTICIPLES = {"cite": "citing", "state": "stating", "quote": "quoting", "give": "giving", "list": "listing"}
"""Verbs whose object is what the output says ('cite a clause that does not exist'): the name keeps the verb."""


def _output_with(subject: str, obj: str, clause: str, cfg: dict[str, Any]) -> str:
    """'No briefing may ever show a wrong under-keel clearance' -> 'briefings with a wrong under-keel clearance';
    'A recommendation must never cite a clause that does not exist' -> 'recommendations citing a clause that does not exist':
    the gate is named after the outputs it counts and what they must not carry, never after the clause's modal.
    """
    thing = re.sub(r"^(?:(?:a|an|the|any|every|each|one|single)\s+)+", "", subject.strip())
    words = thing.split()
    if not words or words[-1] in SYSTEM_SUBJECTS or thing in cfg["gate_subject"]["pronouns"]:
        thing = "outputs"
    what = re.sub(r"^(?:any|ever)\s+", "", " ".join(obj.split()))
    verb = next((v for v in PARTICIPLES if re.search(r"\b" + v + r"\b", clause)), None)
    return f"{_plural(thing)} {PARTICIPLES[verb] if verb else 'with'} {what}"


def _segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line or sentence of a criterion text: a bullet list holds one criterion a line."""
    out, start = [], 0
    # A line break ends a criterion where a list item starts, a blank line follows or the line ended a sentence; a
    # line wrapped mid-sentence ('No briefing may\never show ...', a YAML `|` block) is one criterion.
    for m in re.finditer(r"\n(?=\s*(?:[-*•·]|\d+[.)]|\n))|\n\s*\n|(?<=[.!?:;])\s*\n|(?<=[.!?])\s+(?=[A-Z가-힣\-])", text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _share_windows(sentence: str, lang: str, cfg: dict[str, Any]) -> list[tuple[Criterion, tuple[int, int]]]:
    """Each line holding a time window and a percentage, as one 'share done within the window' criterion and its span.

    '41% of summaries reach the family physician within 48 hours; our target is 90%' is one
    metric (the share within 48 hours: baseline 41%, target 90%), never a time metric and a
    share metric with 'baseline: pilot' beside it.
    """
    rules = cfg["share_window"][lang]
    low = sentence.lower()
    out: list[tuple[Criterion, tuple[int, int]]] = []
    for a, b in _segments(low):
        seg = low[a:b]
        window = re.search(rules["window"], seg)
        if window is None:
            continue
        # The window's own clause, and a later clause that only names the target ('; our target is 90%'):
        # a clause after a comma may be another criterion ('..., handling time under 20 minutes').
        clauses = [(m.start(), m.end()) for m in re.finditer(r"[^,;]+", seg)]
        own = next(i for i, (x, y) in enumerate(clauses) if x <= window.start() < y)
        keep = [clauses[own]] + [
            (x, y) for x, y in clauses[own + 1 :] if re.search(rules["target_clause"], seg[x:y]) and not re.search(rules["window"], seg[x:y])
        ]
        percents = [p for p in re.finditer(rules["percent"], seg) if any(x <= p.start() < y for x, y in keep)]
        if not percents:
            continue
        end = max([window.end()] + [p.end() for p in percents])
        tail = re.match(r"\s+of\s+(?:the\s+|all\s+)?[a-z][a-z\-]*", seg[end:]) if lang == "en" else None
        end += tail.end() if tail else 0  # '90% of discharges': the quote keeps what the share counts
        baseline: float | None = None
        targets: list[float] = []
        for p in percents:
            value = float(p.group("v").replace(",", ""))
            before, after = seg[max(0, p.start() - 30) : p.start()], seg[p.end() - 1 : p.end() + 25]
            if re.search(rules["baseline_before"], before) or re.search(rules["baseline_after"], after[1:] if lang == "en" else after):
                baseline = value if baseline is None else baseline
            else:
                targets.append(value)
        if not targets and baseline is None:
            continue
        if lang == "en":
            head = re.search(rules["subject"] + r"\s*" + re.escape(window.group(0)[len("within"):].strip()), seg)
            subject = re.sub(rules["drop"], "", head.group("s").strip()) if head else ""
        else:
            head = re.search(rules["subject"], seg[: window.start()])
            subject = head.group("s").strip() if head else ""
        subject = _clean(subject, lang, cfg) if subject and lang == "ko" else subject
        unit = window.group("wu")
        window_text = f"{window.group('wv')} {unit}" if lang == "en" else f"{window.group('wv')}{unit}"
        safety = any(w in subject for w in cfg["safety_words"][lang])
        quote = sentence[a + clauses[own][0] : a + end].strip().strip(";,").strip().lstrip("-•* ").strip()
        if len(keep) > 1:
            quote = sentence[a : a + end].strip().lstrip("-•* ").strip()
        name = rules["name"].format(subject=subject or ("items" if lang == "en" else "처리 건"), window=window_text)
        phrase = f"{subject} within {window_text}" if lang == "en" else f"{window_text} 이내 {subject}"
        value = targets[-1] if targets else None
        direction = "at_least" if value is not None else "increase"
        start = a + min([window.start(), clauses[own][0]] + [p.start() for p in percents])
        c = Criterion(
            phrase=phrase, direction=direction, value=value, unit="%", quote=quote, safety=safety, baseline=baseline, name=name,
            window=(window.group("wv"), unit), subject=subject, lang=lang,
        )
        out.append((c, (start, a + end)))
    return out


def _merge_windows(found: list[Criterion]) -> list[Criterion]:
    """Phrases naming the same window are one metric: the target from one, the stated baseline from another, the shortest name."""
    merged: list[Criterion] = []
    for c in found:
        key = c.name.split(" within ")[-1] if c.name and " within " in c.name else c.name
        other = next((i for i, m in enumerate(merged) if (m.name.split(" within ")[-1] if m.name and " within " in m.name else m.name) == key), None)
        if other is None:
            merged.append(c)
            continue
        m = merged[other]
        with_target = [x for x in (m, c) if x.value is not None]
        first = min(with_target or [m, c], key=lambda x: len(x.phrase))
        quote = m.quote if m.value is not None and m.baseline is None and c.value is None else first.quote
        merged[other] = Criterion(
            phrase=first.phrase, direction=first.direction, value=first.value if first.value is not None else (m.value or c.value),
            unit="%", quote=quote, safety=m.safety or c.safety, baseline=m.baseline if m.baseline is not None else c.baseline, name=first.name,
            window=first.window, subject=first.subject, lang=first.lang,
        )
    return merged


def _from_line(r: LineReading, lang: str, cfg: dict[str, Any]) -> Criterion:
    """A list item or clause read by `criteria_lines`, as a criterion (a must-never rule or an error limit is a release gate)."""
    safety = r.gate or any(w in r.phrase.lower() for w in cfg["safety_words"][lang])
    return Criterion(
        phrase=r.phrase, direction=r.direction, value=r.value, unit=r.unit, quote=r.quote, safety=safety, baseline=r.baseline,
        lang=lang, op=r.op, base_unit=r.base_unit,
    )


def read_criteria(brief: Brief) -> list[Criterion]:
    """Every directional phrase of the brief's success criteria, in order (one per measured thing)."""
    cfg = load_data("targets")
    out: list[Criterion] = []
    windows: list[Criterion] = []
    for text in brief.success_criteria:
        sentence = text.value
        lang = "ko" if HANGUL_RE.search(sentence) else "en"
        low = sentence.lower()
        taken: list[tuple[int, int]] = []
        for c, span in _share_windows(sentence, lang, cfg):
            windows.append(c)
            taken.append(span)
        for r in read_items(sentence, lang, cfg, first=True):  # 'from 9% to under 3%' before a pattern names '분에서'
            if not any(a < r.span[1] and r.span[0] < b for a, b in taken):
                out.append(_from_line(r, lang, cfg))
                taken.append(r.span)
        matches = [(rule, m, b) for rule in cfg["criteria"][lang] for a, b in _segments(low) for m in regex_cache.compile(rule["pattern"]).finditer(low, a, b)]
        for rule, m, seg_end in matches:  # one list item or sentence at a time: a pattern's end ($) is the item's end
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            phrase = _clean(m.group("m"), lang, cfg)
            if rule.get("gate"):
                phrase = _gate_subject(phrase, lang, cfg)
            if rule.get("object"):
                phrase = _output_with(phrase, m.group("o"), m.group(0), cfg)
            if len(phrase) < 2 or phrase in cfg["gate_subject"]["pronouns"]:
                continue
            if lang == "en" and phrase.split(" ")[0] in cfg["gate_subject"]["prepositions_en"]:
                continue  # 'at least 95% on the reference questions': a setting, not the measured thing (the item reader names it)
            direction = rule["direction"]
            groups = m.groupdict()
            value: float | None = None
            if groups.get("v"):
                raw = groups["v"].replace(",", "")
                value = float(raw) if re.fullmatch(r"\d+(?:\.\d+)?", raw) else _WORD_NUMBERS.get(raw)
            if (groups.get("verb") or "").startswith("halv") or "절반" in m.group(0):
                value, unit = 50.0, "%"
            else:
                unit = (groups.get("u") or "").replace("percent", "%")
            # A zero-tolerance prohibition ('must never', '단 한 건도 ... 안 된다') is a release gate whatever its words.
            safety = bool(rule.get("gate")) or any(w in phrase for w in cfg["safety_words"][lang])
            start = m.start()
            if lang == "ko":  # the client's words from the measured thing on, not the clause before it
                at = low.find(phrase.split(" ")[0], m.start(), m.end())
                start = at if at >= 0 else start
            if lang == "en" and rule.get("gate"):  # 'and a sheet ... must never': from the thing on
                at = low.find(phrase.split(" ")[0], m.start("m"), m.end())
                cue_first = re.search(r"\b(?:must|should|may|can|shall|will|never|circumstances|zero|no|single)\b", low[m.start() : m.start("m")])
                start = at if at >= 0 and not cue_first else start
            end = m.end()
            if rule.get("gate"):  # '... 안 됩' -> '... 안 됩니다': the quote ends with the client's word
                end += len(re.match(r"[^\s,.;:]*", low[end:]).group(0))
            passive = re.match(cfg["gate_subject"]["passive_en"], low[m.end("m") : seg_end]) if lang == "en" and rule.get("gate") else None
            if passive:  # 'brake or door defects must never be left out of the handover': what must never happen to them
                phrase = f"{phrase} {passive.group('p').strip()}"
                end = max(end, m.end("m") + passive.end("p"))
            quote = sentence[start:end].strip()
            if lang == "en":  # 'means notes written in 5 minutes': the client's words from the measured thing on
                lead = r"^(?:(?:" + "|".join(map(re.escape, cfg["name_stop"]["en"])) + r")\s+)+"
                quote = re.sub(lead, "", quote, flags=re.IGNORECASE)
            taken.append((start, m.end()))  # from the measured thing on: a clause before it stays free for another criterion
            out.append(Criterion(phrase=phrase, direction=direction, value=value, unit=unit, quote=quote, safety=safety, lang=lang,
                                 built=bool(rule.get("object"))))
        for r in read_items(sentence, lang, cfg, first=False):  # a list item or clause no pattern read
            if not any(a < r.span[1] and r.span[0] < b for a, b in taken):
                out.append(_from_line(r, lang, cfg))
                taken.append(r.span)
    seen: set[str] = set()
    unique = []
    for c in _merge_windows(windows) + out:
        if c.phrase not in seen:
            seen.add(c.phrase)
            unique.append(c)
    return unique


# ----------------------------------------------------------------------------- catalogue metrics


def _matches(entry: dict[str, Any], baseline: Baseline) -> bool:
    haystack = f"{baseline.metric} {baseline.unit}".lower()
    return any(word.lower() in haystack for lang in LANGUAGES for word in entry.get("match", {}).get(lang, []))


def _matches_text(entry: dict[str, Any], text: str) -> bool:
    low = text.lower()
    return any(word.lower() in low for lang in LANGUAGES for word in entry.get("match", {}).get(lang, []))


def _is_time(baseline: Baseline, cfg: dict[str, Any]) -> bool:
    unit = baseline.unit.strip().lower()
    return any(unit.startswith(word) for lang in LANGUAGES for word in cfg["time_units"][lang])


def _direction(entry: dict[str, Any], cfg: dict[str, Any]) -> str:
    if "threshold" in entry:
        return str(cfg["directions"][entry["threshold"]["op"]])
    change = int(entry.get("change_pct", entry.get("change_pp", 0)))
    return "reduce" if change < 0 else "increase"


def _target(key: str, entry: dict[str, Any], kind: str, baseline: Baseline | None, language: str, cfg: dict[str, Any]) -> Target:
    fmt = cfg["format"]
    name = entry["name"][language]
    if "threshold" in entry:
        t = entry["threshold"]
        unit = cfg["units"][t["unit"]][language]
        target = fmt[t["op"]][language].format(value=number(float(t["value"])), unit=unit)
        rule = fmt["rule_threshold"][language]
    elif "change_pct" in entry:
        change = int(entry["change_pct"])
        rule = fmt["rule_change_pct"][language].format(change=change)
        if baseline is not None:
            target = with_unit(baseline.value * (1 + change / 100), baseline.unit, language)
        else:
            direction = fmt["direction"][language]["down" if change < 0 else "up"]
            target = fmt["change_pct_pilot"][language].format(pct=abs(change), direction=direction)
    else:
        change = int(entry["change_pp"])
        rule = fmt["rule_change_pp"][language].format(change=change)
        if baseline is not None:
            target = with_unit(min(100.0, baseline.value + change), baseline.unit, language)
        else:
            target = fmt["change_pp_pilot"][language].format(pp=change)
    if baseline is not None and "threshold" not in entry:
        own = baseline.metric.strip()
        in_language = bool(HANGUL_RE.search(own)) == (language == "ko")
        if own and in_language:
            name = own[0].upper() + own[1:] if language == "en" else own
    return Target(
        metric=name,
        kind=kind,
        definition=entry["definition"][language],
        baseline=with_unit(baseline.value, baseline.unit, language) if baseline is not None else cfg["pilot"][language],
        target=target,
        source="brief" if baseline is not None else "pilot",
        rule=rule,
        direction=_direction(entry, cfg),
        origin="baseline" if baseline is not None else "default",
        measured=str(entry.get("measured") or cfg["measured_default"][kind]),
    )


# ----------------------------------------------------------------------------- client criteria


def _catalogue_entry(c: Criterion, cfg: dict[str, Any]) -> tuple[str, str, dict[str, Any]] | None:
    """The catalogue metric a client phrase names ('handling time' -> handle_time), if any; safety phrases stay the client's own."""
    if c.safety:
        return None
    timed = c.unit not in ("", "%")
    for kind in ("technical", "business"):
        for key, entry in cfg[kind].items():
            if timed and kind == "technical" and entry.get("threshold", {}).get("unit") != "seconds":
                continue  # 'handover drafted in 10 minutes' is a time, not the 'handover precision' its words share
            if _matches_text(entry, c.phrase):
                return kind, key, entry
    return None


def _window_text(c: Criterion, language: str, cfg: dict[str, Any]) -> str:
    """A share criterion's window in the document's language: '48 hours' -> '48시간', '2영업일' -> '2 working days'."""
    assert c.window is not None
    value, unit = c.window
    units = cfg["share_window"]["units_ko"]
    if language == "ko":
        singular = re.sub(r"\s+", " ", unit.lower()).removesuffix("s")
        return f"{value}{units.get(singular, unit)}"
    english = next((en for en, ko in units.items() if ko == unit), unit)
    return f"{value} {english}{'' if value == '1' or english == unit else 's'}"


def _criterion_name(c: Criterion, found: tuple[str, str, dict[str, Any]] | None, language: str, cfg: dict[str, Any]) -> str:
    """The metric's name in the document's language, whatever language the client wrote the criterion in.

    A name is built in the output language; the client's words from another language are kept only
    as a quote beside a neutral term ('48시간 이내 처리 건(summaries sent) 비율'), never as the name:
    a Korean document naming its metric 'Share of summaries sent within 48 hours' is untranslated.
    """
    written = c.lang or ("ko" if HANGUL_RE.search(c.phrase) else "en")
    if c.window is not None and c.name:
        if written == language:
            name = c.name
        else:
            neutral = cfg["share_window"]["neutral_subject"][language]
            subject = (in_language(c.subject, "outputs", language, neutral) if language == "ko" else f"{neutral} ({c.subject})") if c.subject else neutral
            name = cfg["share_window"][language]["name"].format(subject=subject, window=_window_text(c, language, cfg))
    elif written == language and c.op:
        name = c.phrase  # 'Median first reply', '상담 1건당 확인 시간': the client's own measure
    elif written == language:
        name = cfg["at_most_name"][language].format(phrase=c.phrase) if c.direction == "at_most" and not found else c.phrase
    elif found:
        name = found[2]["name"][language]
    else:
        terms = cfg["foreign_name"][language]
        neutral = terms["safety"] if c.safety else terms["time"] if _time_criterion(c, cfg) else terms["other"]
        name = in_language(c.phrase, "metric", language, neutral) if language == "ko" else f"{neutral} ({c.phrase})"
    if name.lower() == c.phrase.lower() and not c.built and noun_phrase(name) is None:
        # 'Briefing may', '시간을 건당': a cut through the client's clause is no name. The longest opening
        # that is a noun phrase names it ('처리 시간을 건당' -> '처리 시간'); failing that, the neutral term
        # names the metric and the client's words stay beside it as a quote.
        words = name.split()
        if language == "ko":
            # A Korean noun phrase ends in its head and its modifiers come first: '관리사무소가 정하지 않은 보상이나
            # 처리 약속' measures the promises, not the office that opens the clause. The longest ending that opens
            # with a noun of its own names it, two words at least (a bare head, '답변', names every output); only when
            # none does is an opening tried ('처리 시간을 건당').
            for n in range(1, len(words) - 1):
                tail = noun_phrase(" ".join(words[n:]))
                if tail and noun_phrase(words[n]):
                    return tail
        for n in range(len(words) - 1, 0, -1):
            head = noun_phrase(" ".join(words[:n]))
            if head and (language == "ko" or len(head.split()) >= 2):
                return head[0].upper() + head[1:] if language == "en" else head
        terms = cfg["foreign_name"][language]
        neutral = terms["safety"] if c.safety else terms["time"] if _time_criterion(c, cfg) else terms["other"]
        words = c.quote.split()
        quote = " ".join(words[:8]) + (" ..." if len(words) > 8 else "")
        name = f"{neutral} ('{quote}')" if language == "en" else f"{neutral}('{quote}')"
    return name[0].upper() + name[1:] if language == "en" else name


def _client_target(c: Criterion, brief: Brief, language: str, cfg: dict[str, Any], baselines: list[Baseline], used: set[int]) -> Target:
    client = cfg["client"]
    found = _catalogue_entry(c, cfg)
    kind = found[0] if found else "business"
    entry = found[2] if found else {}
    name = _criterion_name(c, found, language, cfg)
    index = next((i for i, b in enumerate(baselines) if i not in used and found and _matches(found[2], b)), None)
    if index is None and found is None and _time_criterion(c, cfg):
        # 'halve the drafting period' beside 'a draft takes 9 days today': one time criterion, one unused time
        # baseline: the same measure in the client's words, so the baseline is the criterion's (9 days -> 4.5 days).
        index = next((i for i, b in enumerate(baselines) if i not in used and _is_time(b, cfg)), None)
    if c.baseline is not None:
        # The criterion states its own baseline ('down from 11 minutes'): the brief's reading of the same
        # figure is this metric's, not a second one with a default target ('waiting time -50%': 5.5 minutes).
        used.update(i for i, b in enumerate(baselines) if b.value == c.baseline)
    baseline = baselines[index] if index is not None else None
    if index is not None:
        used.add(index)
    unit = c.unit
    value = c.value
    if c.op and value is not None:  # the client's comparator and number, exactly: 'under 3%' is '< 3%', never '≤ 4.5%'
        target = cfg["format"][c.op][language].format(value=number(value), unit=_amount_unit(value, unit, language))
        base_text = with_unit(baseline.value, baseline.unit, language) if baseline is not None else cfg["pilot"][language]
    elif c.direction == "no_increase":
        target, base_text = client["target"]["no_increase"][language], client["baseline"]["no_increase"][language]
    elif c.direction == "zero":
        target, base_text = client["target"]["zero"][language], cfg["pilot"][language]
    elif c.direction in ("reduce", "increase") and value is not None and unit == "%":
        sign = -1 if c.direction == "reduce" else 1
        if baseline is not None:
            target = with_unit(baseline.value * (1 + sign * value / 100), baseline.unit, language)
        else:
            target = client["target"][f"{c.direction}_pilot"][language].format(pct=number(value))
        base_text = with_unit(baseline.value, baseline.unit, language) if baseline is not None else cfg["pilot"][language]
    elif c.direction in ("reduce", "at_most") and value is not None:
        target = cfg["format"]["<="][language].format(value=number(value), unit=_unit(unit, language))
        base_text = with_unit(baseline.value, baseline.unit, language) if baseline is not None else cfg["pilot"][language]
    elif c.direction in ("increase", "at_least") and value is not None:
        target = cfg["format"][">="][language].format(value=number(value), unit=_unit(unit, language))
        base_text = with_unit(baseline.value, baseline.unit, language) if baseline is not None else cfg["pilot"][language]
    else:
        target = client["target"][f"{'reduce' if c.direction in ('reduce', 'at_most') else 'increase'}_default"][language]
        base_text = with_unit(baseline.value, baseline.unit, language) if baseline is not None else cfg["pilot"][language]
    if c.baseline is not None:  # stated with the criterion itself: 'only 41% today'
        base_text = with_unit(c.baseline, c.base_unit or c.unit, language)
        if c.op:
            base_text = number(c.baseline) + _amount_unit(c.baseline, c.base_unit or c.unit, language)
    measured = str(entry.get("measured") or cfg["measured_default"][kind]) if found else "pilot"
    if c.safety and c.direction == "zero":
        # A must-never rule is scored before release on a test subset built to provoke it, as well as
        # monitored in production: a rule checked only in the pilot lets the first breach reach a client.
        measured = "test_set"
    definition = client["definition"][c.direction][language].format(quote=c.quote, org=brief.organisation.value)
    return Target(
        metric=name,
        kind=kind,
        definition=definition,
        baseline=base_text,
        target=target,
        source="brief" if baseline is not None or c.baseline is not None else "pilot",
        rule=client["rule"][c.direction][language],
        direction=c.direction,
        origin="client",
        measured=measured,
        release_gate=c.safety and c.direction in ("no_increase", "zero", "reduce", "at_most"),
        quote=f"'{c.quote}'",
    )


def _is_time_phrase(phrase: str, cfg: dict[str, Any]) -> bool:
    """Whether a client's phrase measures a time ('drafting period', '작성 기간', 'turnaround')."""
    low = phrase.lower()
    return any(w in low for lang in LANGUAGES for w in cfg["time_words"][lang])


def _time_criterion(c: Criterion, cfg: dict[str, Any]) -> bool:
    """A criterion that shortens a time: 'halve the drafting period' (-50%), 'turnaround under 2 days'."""
    if c.direction == "at_most" and c.unit not in ("%", "") and not re.search(r"\bwithin\b|이내|안에", c.quote.lower()):
        # A limit on the effort ('notes written in 5 minutes or less') is a time per item whatever the phrase;
        # 'ready within 10 minutes of arrival' is an elapsed time, not the effort a per-item baseline measures.
        return True
    return c.direction == "reduce" and _is_time_phrase(c.phrase, cfg)


def criterion_key(c: Criterion, cfg: dict[str, Any]) -> str | None:
    """The catalogue metric a client criterion stands for: the one its words name, or time per item for a time phrase."""
    found = _catalogue_entry(c, cfg)
    if found is not None:
        return found[1]
    if _time_criterion(c, cfg):
        return "time_per_item"
    return None


def _amount_unit(value: float, unit: str, language: str) -> str:
    """The unit as it follows the number: '1 minute', '10 minutes', '5분', '3%' (singular or plural by the value)."""
    if language == "en" and unit not in ("%", ""):
        unit = unit.removesuffix("s") if value == 1 else (unit if unit.endswith("s") else unit + "s")
    return with_unit(value, unit, language)[len(number(value)) :]


def _unit(unit: str, language: str) -> str:
    if unit in ("%", ""):
        return unit
    return " " + with_unit(1, unit, language).split(" ", 1)[-1] if language == "en" else with_unit(1, unit, language).lstrip("1")


def _public_users(brief: Brief) -> bool:
    """Whether outputs reach end users directly (a deflection metric means something), not a person who approves each one.

    The interaction the prose describes decides (`task_shape.audience`, read by `planning.audience` and the
    archetype cues); for staff who use the output themselves the users stand in: the public, not staff.
    """
    audience = brief.task_shape.audience if brief.task_shape is not None else None
    if audience == "customer_direct":
        return True  # it answers the customers directly, whoever the brief lists as users
    if audience == "staff_approve":
        return False
    return users_are_public([u.value for u in brief.users])


# ----------------------------------------------------------------------------- the set


def compute_targets(brief: Brief, language: str) -> list[Target]:
    """The key metrics, client first (see the module docstring), each with baseline, target, direction and where it is measured."""
    cfg = load_data("targets")
    tasks = list(dict.fromkeys(brief.task_types)) or [load_data("workload")["default_task"]]
    used: set[int] = set()
    criteria = read_criteria(brief)[: MAX_METRICS - MIN_TECHNICAL_TEST_SET]
    client = [_client_target(c, brief, language, cfg, brief.baselines, used) for c in criteria]
    names = {t.metric.lower() for t in client}
    # The catalogue metrics the client's criteria already state: a default target for the same
    # thing would sit beside the client's and be looser ('time per summary -50%' = 20 minutes
    # against the client's 'under 10 minutes'), so the client's target is the only one.
    client_keys = {key for c in criteria if (key := criterion_key(c, cfg)) is not None}

    # Stated baselines the client criteria did not take: business metrics (one per catalogue metric).
    business: list[tuple[str, Baseline | None]] = []
    for i, b in enumerate(brief.baselines):
        if i in used:
            continue
        key = next((k for k, entry in cfg["business"].items() if _matches(entry, b)), None)
        if key is None and _is_time(b, cfg):
            key = "time_per_item"
        if key is not None and key not in [k for k, _ in business] and key not in client_keys:
            business.append((key, b))
            used.add(i)
    client_business = [t for t in client if t.kind == "business"]
    client_technical = [t for t in client if t.kind == "technical"]
    public = _public_users(brief)
    direct = brief.task_shape is not None and brief.task_shape.audience == "end_users"
    # An assistant that answers end users itself, handing the rest to a person: how much it resolves alone is its first business measure.
    defaults = (list(cfg["needs_public_users"]) if direct else []) + [k for t in tasks for k in cfg["business_by_task"].get(t, [])]
    defaults += list(cfg["generic_business"])
    for key in defaults:
        if len(client_business) + len(business) >= MIN_BUSINESS:
            break
        if key in cfg["needs_public_users"] and not public:
            continue
        chosen = [k for k, _ in business] + sorted(client_keys)
        if key in TIME_FAMILY and any(k in TIME_FAMILY for k in chosen):
            continue  # 'time per item -50% on the pilot baseline' beside the stated handle time measures the same minutes twice
        if key not in [k for k, _ in business] and key not in client_keys:
            business.append((key, None))
    business_targets = client_business + [_target(k, cfg["business"][k], "business", b, language, cfg) for k, b in business]
    business_targets = [t for t in business_targets if t in client_business or t.metric.lower() not in names]
    business_targets = business_targets[: MAX_METRICS - MIN_TECHNICAL_TEST_SET]

    total = min(MAX_METRICS, max(MIN_METRICS, len(business_targets) + len(client_technical) + MIN_TECHNICAL_TEST_SET))
    technical_slots = max(MIN_TECHNICAL_TEST_SET, total - len(business_targets))
    per_task = [cfg["by_task"].get(t, []) for t in tasks]
    keys: list[str] = []
    for i in range(max((len(m) for m in per_task), default=0)):
        for metrics in per_task:
            if i < len(metrics) and metrics[i] not in keys:
                keys.append(metrics[i])
    interactive = brief.constraints.latency.value == "interactive"
    for key in cfg["generic_technical"]["interactive" if interactive else "other"]:
        if key not in keys:
            keys.append(key)
    technical_targets = list(client_technical)
    def enough() -> bool:
        scored = sum(1 for t in technical_targets if t.measured == "test_set")
        return len(technical_targets) >= technical_slots and scored >= MIN_TECHNICAL_TEST_SET

    for key in keys:
        if enough():
            break
        entry = cfg["technical"][key]
        if key in client_keys or entry["name"][language].lower() in names or any(_matches_text(entry, t.metric) for t in client_technical):
            continue
        scored = sum(1 for t in technical_targets if t.measured == "test_set")
        measured = str(entry.get("measured") or cfg["measured_default"]["technical"])
        if measured != "test_set" and technical_slots - len(technical_targets) <= MIN_TECHNICAL_TEST_SET - scored:
            continue  # the remaining slots go to metrics the test set can score
        index = next((i for i, b in enumerate(brief.baselines) if i not in used and _matches(entry, b)), None)
        if index is not None:
            used.add(index)
        technical_targets.append(_target(key, entry, "technical", brief.baselines[index] if index is not None else None, language, cfg))
    return technical_targets + business_targets
