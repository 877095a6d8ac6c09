"""Success criteria the directional patterns miss: list items, 'from X to under Y', comparators, must-never rules.

A client writes criteria as running prose or as a Markdown list ("- Median first reply under 1
minute, down from 11 minutes"). `targets.read_criteria` reads directional phrases ("cut X by
30%", "no increase in Y"); this module reads the shapes those patterns do not, as general rules
(`data/targets.yaml`, `lines:`):

- **From a baseline to a target** ('rework falls from 9% to under 3%', '15분에서 5분 이하로'):
  the first number is today's baseline, the second the target, its comparator kept exactly
  ('under 3%' is '< 3%', '5분 이하' is '≤ 5분'); read before the directional patterns, which
  would otherwise name the metric after a fragment ('분에서') or read the baseline as the target.
- **A comparator and a number** ('Median first reply under 1 minute, down from 11 minutes',
  'accuracy of at least 95%', '정확도 95% 이상'): a target, never today's baseline; a 'down from'
  / 'today' number beside it is the baseline.
- **A share of outputs accepted as written** ('초안의 90%가 큰 수정 없이 채택', '90% of drafts accepted
  without major edits'): the draft-acceptance metric at the client's share, read before the patterns.
- **Must-never rules** with no subject ('Must never quote a room rate, promise a refund, confirm an
  upgrade or change a booking') name what an output must not do: one zero-tolerance release gate
  that keeps every forbidden act. A list item 'No allergen answer not taken from the current
  menu' is the same: zero outputs of that kind.

Each item is one line of a list or one clause of a sentence; an item a directional pattern
already read is left alone, except a from-to, which is read first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from genai_planner.planning.phrases import korean_phrase

KO_NEVER_ACT = re.compile(
    r"(?:(?P<subj>[가-힣]{1,10}?)(?:은|는|이|가|에서는|에는)\s+)?(?:절대로?|결코|어떠한\s*경우에도|어떤\s*경우에도)\s+"
    r"(?P<obj>[가-힣][가-힣 ]{0,20}?)(?P<josa>을|를)\s+(?P<verb>[가-힣]{1,6}?)(?:해서는|하여서는|해선|하면)\s*안"
)
"""'(초안은) 절대로 환불을 약속해서는 안 됩니다': a forbidden act on an object, a 하다 verb."""
KO_OUTPUTS = "산출물"
"""What a Korean must-never rule counts when it names no subject."""


@dataclass(frozen=True)
class LineReading:
    """One criterion read from a list item or clause."""

    phrase: str
    direction: str
    value: float | None
    unit: str
    op: str
    """The client's comparator: '<', '<=', '>=', '>' ('' for a zero gate)."""
    baseline: float | None
    base_unit: str
    quote: str
    gate: bool
    span: tuple[int, int]


def _num(raw: str) -> float:
    return float(raw.replace(",", ""))


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each list item or clause: lines, then sentences, then '; ' and ', and' / ', but' clauses.

    A plain comma does not split: 'quote a room rate, promise a refund, confirm an upgrade or change a
    booking' is one rule, 'under 1 minute, down from 11 minutes' one criterion with its baseline.
    """
    out: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        for part in re.finditer(r"(?:[^.;,]|[.,](?=\d)|,(?!\s+(?:and|but)\s)|\.(?!\s|$))+", line.group(0)):
            a, b = line.start() + part.start(), line.start() + part.end()
            seg = text[a:b]
            lead = len(seg) - len(seg.lstrip(" \t-•*"))
            if seg.strip(" \t-•*"):
                out.append((a + lead, b - (len(seg) - len(seg.rstrip()))))
    return out


def _subject_en(before: str, cfg: dict[str, Any]) -> str:
    words = before.split(",")[-1].strip().split()
    lead = set(cfg["lead_en"])
    while words and words[0].lower().strip(":") in lead:
        words = words[1:]
    trail = set(cfg["trail_en"])
    while words and words[-1].lower() in trail:
        words = words[:-1]
    return " ".join(words)


def _subject_ko(before: str) -> str:
    words = before.split(",")[-1].strip().split()
    while words:
        phrase = korean_phrase(" ".join(words))
        if phrase and not re.fullmatch(r"[\d\s%.,]+", phrase):
            return phrase
        words = words[1:]
    return ""


def _unit(raw: str | None, cfg: dict[str, Any]) -> str:
    raw = (raw or "").strip().lower()
    return "%" if raw in ("%", "percent") else raw


def _acceptance(m: re.Match[str], text: str, a: int, b: int, lang: str, cfg: dict[str, Any]) -> LineReading:
    """'초안의 90%가 큰 수정 없이 채택', '90% of drafts accepted without major edits': the client's share of outputs
    taken as written, named as the catalogue's acceptance metric so the client's 90% replaces its 80% default.
    """
    name = cfg["technical"][cfg["accept_metric"]]["name"][lang]
    # The client's words from the share on: a list label before it ('Success criteria:') is no part of the criterion.
    return LineReading(name, "at_least", _num(m.group("v")), "%", ">=", None, "", text[a + m.start() : b].strip(), False, (a, b))


def read_items(text: str, lang: str, cfg: dict[str, Any], first: bool) -> list[LineReading]:
    """Criteria of the shapes above in `text`: `first` reads only from-to items (before the directional
    patterns), otherwise comparators and must-never rules (for the items nothing else read).
    """
    rules = cfg["lines"][lang]
    low = text.lower()
    out: list[LineReading] = []
    for a, b in clauses(text):
        item = low[a:b]
        bullet = re.fullmatch(r"\s*[-*•]\s*", text[text.rfind("\n", 0, a) + 1 : a]) is not None
        if first:
            share = re.search(rules["accept_share"], item)
            if share is not None:
                out.append(_acceptance(share, text, a, b, lang, cfg))
                continue
            m = re.search(rules["from_to"], item)
            act = KO_NEVER_ACT.search(item) if m is None and lang == "ko" else None
            if act is not None:
                # '초안은 절대로 환불을 약속해서는 안 됩니다': zero outputs that do the forbidden act, named by the act
                # ('환불을 약속한 초안'), never by a verb fragment ('약속해서') or the bare subject ('초안').
                phrase = f"{act.group('obj').strip()}{act.group('josa')} {act.group('verb')}한 {act.group('subj') or KO_OUTPUTS}"
                out.append(LineReading(phrase, "zero", None, "", "", None, "", text[a:b].strip(), True, (a, b)))
                continue
            if m is None and lang == "ko" and (gate := re.search(rules["never"], item)) is not None:
                # A Korean zero rule names its subject before the cue ('진단명을 잘못 적은 초안이 한 건도 없어야'):
                # read whole before a directional pattern cuts it to its last words.
                out.append(LineReading(item[gate.start("rest") : gate.end("rest")].strip(), "zero", None, "", "", None, "",
                                       text[a:b].strip(), True, (a, b)))
                continue
            if m is None:
                continue
            value, baseline = _num(m.group("v")), _num(m.group("b"))
            op = rules["ops"].get(re.sub(r"\s+", " ", m.group("cmp") or "").strip()) or ("<=" if value < baseline else ">=")
            unit = _unit(m.group("u"), cfg)
            base_unit = _unit(m.group("bu"), cfg) or unit
            before = item[: m.start()]
        else:
            m = re.search(rules["compare"], item) or (re.search(rules["bare_share"], item) if bullet else None)
            if m is not None:
                cmp = re.sub(r"\s+", " ", m.groupdict().get("cmp") or "").strip()
                value, op, unit = _num(m.group("v")), rules["ops"].get(cmp, ">="), _unit(m.group("u"), cfg)
                base = re.search(rules["base"], item)
                baseline = _num(base.group("b")) if base else None
                base_unit = _unit(base.group("bu"), cfg) if base else ""
                before = item[: m.start()]
                if not before.strip(" -:") and m.groupdict().get("after"):
                    before = m.group("after")
            else:
                gate = re.search(rules["never"], item) or (re.search(rules["no_item"], item) if bullet else None)
                if gate is None:
                    continue
                # English names what follows 'must never' to the clause's end; Korean names the subject before its cue.
                rest = (text[a + gate.start("rest") : b] if lang == "en" else text[a + gate.start("rest") : a + gate.end("rest")]).strip().rstrip(".")
                phrase = cfg["never_name"][lang].format(rest=rest) if "verb" in gate.groupdict() and gate.group("verb") else rest
                out.append(LineReading(phrase, "zero", None, "", "", None, "", text[a:b].strip(), True, (a, b)))
                continue
        subject = _subject_en(before, cfg) if lang == "en" else _subject_ko(before)
        if len(subject) < 2:
            continue
        direction = "at_most" if op.startswith("<") else "at_least"
        # The criterion's own words, from its subject to the end of its clause: 'drafted in 10 minutes or less,
        # rework falls from 9% to under 3%' leaves the first clause to another reading.
        at = item.rfind(subject.lower(), 0, m.start())
        start = a + (at if at >= 0 else 0)
        end = a + m.end() + len(re.match(r"[^,;]*", item[m.end() :]).group(0))
        if not first and m.end() < len(item) and item[m.end() :].lstrip().startswith(","):
            end = b  # 'under 1 minute, down from 11 minutes': the baseline belongs to the item
        out.append(LineReading(subject, direction, value, unit, op, baseline, base_unit, text[start:end].strip(), False, (start, end)))
    return out
