"""Reading prose the way the brief extractor needs it: sentences and clauses with exact offsets,
numbers (digits, English number words, Korean 만/억 units), periods, money and durations.

Everything works on the original text and a lower-cased copy of the same length, so every span
found is a span of the use case itself: a quote taken from it is always a substring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from genai_planner.core import regex_cache
from genai_planner.planning.lexicon import lexicon

_ABBREVIATIONS = {"e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "vs", "approx", "no", "inc", "ltd", "co", "corp", "u.s", "u.k", "jr", "sr"}
_HANGUL = regex_cache.compile(r"[가-힣]")
_CLAUSE_BREAK = regex_cache.compile(
    r"(?<!\d),|,(?!\d)|[;:()\[\]]|—|–(?=\s)|\b(?:but|while|whereas|although|though|however)\b|(?<=[가-힣])(?:지만|는데|으며|이며|하며|면서)(?=[\s,])|(?<=[가-힣])고(?=,)"
)


def lower_same_length(text: str) -> str:
    """`text` lower-cased character by character, so offsets stay valid (a few characters widen on lower())."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True)
class Number:
    """A number found in the text: its span, value and how it was written."""

    start: int
    end: int
    value: float
    kind: str  # digits | words | ko
    low: float | None = None  # the lower end of a range ("300-400", "2~3배")


@dataclass(frozen=True)
class Amount:
    """Money: a number with a currency, and the span covering both."""

    start: int
    end: int
    amount: float
    currency: str


@dataclass(frozen=True)
class Duration:
    """A number of time units ("25 minutes", "1시간 30분", "two working days")."""

    start: int
    end: int
    value: float
    unit: str  # seconds | minutes | hours | days | weeks | months


@dataclass(frozen=True)
class Percent:
    """A share ("9%", "one in five")."""

    start: int
    end: int
    value: float


class Prose:
    """A use case as text with sentence and clause offsets, and every number in it."""

    def __init__(self, text: str) -> None:
        """Index `text` (kept verbatim; quotes are its substrings)."""
        self.text = text or ""
        self.low = lower_same_length(self.text)
        letters = sum(1 for c in self.text if c.isalpha())
        self.korean = letters > 0 and len(_HANGUL.findall(self.text)) / letters > 0.3
        self.sentences = _sentences(self.text)

    # ------------------------------------------------------------------ spans
    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding offset `pos`."""
        for start, end in self.sentences:
            if start <= pos < end:
                return start, end
        return (0, len(self.text))

    def clause_at(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the clause holding `pos`: the sentence cut at commas, semicolons and 'but'-like words."""
        s_start, s_end = self.sentence_at(pos)
        start, end = s_start, s_end
        for m in _CLAUSE_BREAK.finditer(self.low, s_start, s_end):
            if m.end() <= pos:
                start = m.end()
            elif m.start() > pos:
                end = m.start()
                break
        return start, end

    def quote(self, start: int, end: int) -> str:
        """The text between two offsets without surrounding blanks and trailing commas: still a substring."""
        piece = self.text[start:end]
        return piece.strip().strip(",;:").strip()

    def sentence_quote(self, pos: int, limit: int = 220) -> str:
        """The sentence around `pos`; when longer than `limit`, the clause around it."""
        start, end = self.sentence_at(pos)
        quote = self.quote(start, end)
        if len(quote) > limit:
            quote = self.quote(*self.clause_at(pos))
        return quote or self.quote(start, end)

    def find(self, pattern: str | re.Pattern[str], start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """Every match of `pattern` in the lower-cased text between two offsets."""
        rx = regex_cache.compile(pattern) if isinstance(pattern, str) else pattern
        return list(rx.finditer(self.low, start, len(self.low) if end is None else end))

    # ---------------------------------------------------------------- numbers
    @cached_property
    def numbers(self) -> list[Number]:
        """Every number in the text, in order (ranges merged into one number with `low`)."""
        found = _digit_numbers(self.low) + _word_numbers(self.low)
        found.sort(key=lambda n: n.start)
        merged: list[Number] = []
        for n in found:
            if merged and merged[-1].end > n.start:
                continue
            prev = merged[-1] if merged else None
            between = self.low[prev.end : n.start] if prev else ""
            is_range = re.fullmatch(r"\s?(?:-|~|–)\s?", between) or (
                re.fullmatch(r"\s+(?:to|and)\s+", between)
                and re.search(r"\bbetween\s+$" if "and" in between else r"(?<!from)\s$", self.low[max(0, prev.start - 8) : prev.start])
            )
            if prev and is_range and n.value > prev.value:
                merged[-1] = Number(prev.start, n.end, n.value, n.kind, low=prev.value)
                continue
            merged.append(n)
        return merged

    def number_at(self, pos: int) -> Number | None:
        """The number that starts at offset `pos`, if any."""
        return next((n for n in self.numbers if n.start == pos), None)

    @cached_property
    def amounts(self) -> list[Amount]:
        """Every amount of money (a number with a currency symbol, code or word next to it)."""
        units = lexicon("units")["currencies"]
        symbols = units["symbols"]
        codes = {c.lower(): c for c in units["codes"]}
        words = units["words"]
        out = []
        for n in self.numbers:
            before = self.low[max(0, n.start - 5) : n.start]
            after = self.low[n.end : n.end + 20]
            m_sym = re.search(r"(us\$|\$|€|£|¥|₩)\s?$", before)
            m_code_before = re.search(r"\b(" + "|".join(codes) + r")\s?$", before)
            m_after = re.match(r"\s?(" + "|".join(sorted((*codes, *words), key=len, reverse=True)) + r")(?![a-z])", after)
            start, end, currency = n.start, n.end, None
            if m_sym:
                currency, start = symbols[m_sym.group(1)], n.start - len(m_sym.group(0))
            elif m_code_before:
                currency, start = codes[m_code_before.group(1)], n.start - len(m_code_before.group(0))
            elif m_after:
                word = m_after.group(1)
                currency = codes.get(word) or words.get(word)
                end = n.end + m_after.end()
            if currency:
                out.append(Amount(start, end, n.value, currency))
        return out

    @cached_property
    def durations(self) -> list[Duration]:
        """Every duration: a number followed by a time unit (compound 'N시간 M분' / 'N hours M minutes' merged)."""
        units = lexicon("units")["time_units"]
        names = units["names"]
        en = regex_cache.compile(r"\s?(?:-\s?)?" + units["en"])
        ko = regex_cache.compile(r"\s?" + units["ko"])
        out: list[Duration] = []
        for n in self.numbers:
            after = self.low[n.end : n.end + 30]
            m = ko.match(after) if n.kind == "ko" or _HANGUL.match(after[:2].strip() or " ") else None
            m = m or en.match(after)
            if not m:
                continue
            word = re.sub(r"\s+", " ", m.group(1))
            rest = self.low[n.end + m.end() : n.end + m.end() + 6]
            if _HANGUL.match(word[:1] or " ") and re.match(r"(?:당|마다|평균|\s평균|에\s)", rest) and n.value == 1:
                continue  # "1일 평균", "1시간당": a period, not a duration
            if word.endswith("당") or rest.startswith("당"):
                continue
            base = word.rstrip("s") if not _HANGUL.match(word[:1] or " ") else word
            base = {"min": "minute", "sec": "second", "hr": "hour"}.get(base, base)
            base = re.sub(r"^(working|business|calendar) day$", r"\1 day", base)
            unit = names.get(base) or names.get(base.split()[-1])
            if not unit:
                continue
            value, end = n.value, n.end + m.end()
            if out and out[-1].end >= n.start - 2 and out[-1].unit == "hours" and unit == "minutes":
                prev = out.pop()
                out.append(Duration(prev.start, end, prev.value * 60 + value, "minutes"))
                continue
            out.append(Duration(n.start, end, value, unit))
        return self._half_durations(out)

    def _half_durations(self, out: list[Duration]) -> list[Duration]:
        """'two and a half hours', 'half an hour', 'an hour and a half', '2시간 반': halves join the duration."""
        names = lexicon("units")["time_units"]["names"]
        for i, d in enumerate(out):
            m = re.match(r"\s+and\s+a\s+half\b", self.low[d.end : d.end + 16])
            if m:
                out[i] = Duration(d.start, d.end + m.end(), d.value + 0.5, d.unit)
            elif re.match(r"\s?반(?![가-힣])", self.low[d.end : d.end + 3]):
                out[i] = Duration(d.start, d.end + len(re.match(r"\s?반", self.low[d.end :]).group(0)), d.value + 0.5, d.unit)
        for n in self.numbers:
            m = re.match(r"\s+and\s+a\s+half\s+(hour|day|week|minute|month)s?\b", self.low[n.end : n.end + 24])
            if m and not any(d.start <= n.start < d.end for d in out):
                out.append(Duration(n.start, n.end + m.end(), n.value + 0.5, names[m.group(1)]))
        for m in re.finditer(r"\bhalf\s+an?\s+(hour|day)\b|\ban?\s+(hour|day)\s+and\s+a\s+half\b", self.low):
            if not any(d.start <= m.start() < d.end for d in out):
                unit = names[m.group(1) or m.group(2)]
                out.append(Duration(m.start(), m.end(), 0.5 if m.group(1) else 1.5, unit))
        return sorted(out, key=lambda d: d.start)

    @cached_property
    def percents(self) -> list[Percent]:
        """Every share: 'N%', 'N percent', 'N퍼센트', 'one in five'."""
        out = []
        for n in self.numbers:
            m = re.match(r"\s?(%|percent\b|per cent\b|퍼센트|프로(?![가-힣]))", self.low[n.end : n.end + 10])
            if m:
                out.append(Percent(n.start, n.end + m.end(), n.value))
        words = lexicon("units")["number_words"]["en"]
        for m in re.finditer(r"\b(one|1)\s+(?:in|out\s+of)\s+(\d+|" + "|".join(words) + r")\b", self.low):
            total = float(m.group(2)) if m.group(2).isdigit() else float(words[m.group(2)])
            if total > 1:
                out.append(Percent(m.start(), m.end(), round(100.0 / total, 1)))
        return sorted(out, key=lambda p: p.start)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"[.!?。]+(?=\s|$)|\n\s*\n", text):
        end = m.end()
        if m.group(0).startswith("."):
            word = re.search(r"([A-Za-z.]+)\.$", text[max(0, m.start() - 12) : m.end()])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                continue
            following = text[end : end + 3].lstrip()
            if following and not (following[0].isupper() or following[0].isdigit() or _HANGUL.match(following[0]) or following[0] in "\"'(“‘"):
                continue
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


_KO_UNIT_BLOCK = {"만": "큼족약나들일화점", "천": "안천국사재", "백": "업화신색과두", "억": "울지제", "조": "건사선직정합회용금차치"}
_KO_GROUP = regex_cache.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(천만|백만|십만|조|억|만|천|백)?")
_DIGITS = regex_cache.compile(
    r"(?<![a-z0-9.,_/])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?=[^a-z0-9.]|\.(?!\d)|x(?![a-z0-9])|$)"
    r"|(?<![a-z0-9.,_/])(\d+)(?:\.(\d+))?(?=(?:k|m|mn|bn)\b)"
)


def _ko_unit(low: str, m: re.Match[str]) -> str | None:
    unit = m.group(2)
    if unit and low[m.end() : m.end() + 1] and low[m.end()] in _KO_UNIT_BLOCK.get(unit[-1], ""):
        return None
    return unit


def _digit_numbers(low: str) -> list[Number]:
    words = lexicon("units")["number_words"]
    suffix = words["en_suffix_scales"]
    out = []
    for m in _DIGITS.finditer(low):
        digits = m.group(1) or m.group(3)
        frac = m.group(2) or m.group(4)
        value = float(digits.replace(",", "") + (f".{frac}" if frac else ""))
        end, kind = m.end(), "digits"
        ko = _KO_GROUP.match(low, m.start())
        if ko and _ko_unit(low, ko):
            value, end = _korean_chain(low, m.start(), words["ko_units"])
            kind = "ko"
        else:
            sm = re.match(r"(k|m|mn|bn)\b|\s(thousand|million|billion|lakhs?|crores?)\b", low[end:])  # Indian English: 1 lakh = 100,000
            if sm:
                value *= suffix[sm.group(1) or sm.group(2)]
                end += sm.end()
        out.append(Number(m.start(), end, value, kind))
    return out


def _korean_chain(low: str, start: int, ko_units: dict[str, int]) -> tuple[float, int]:
    """Read '1억 2천만', '1만 5천', '3천', '2.5만', '2만 3000' from `start`: (value, end offset)."""
    total = section = 0.0
    pos, end, last = start, start, float("inf")
    while True:
        m = _KO_GROUP.match(low, pos)
        if not m:
            break
        unit = _ko_unit(low, m)
        value = float(m.group(1).replace(",", ""))
        if not unit:
            if pos != start and last >= 10_000:  # bare digits after 만/억: "2만 3000"
                section += value
                end = m.end(1)
            break
        scale = ko_units[unit]
        if scale >= last:
            break
        if unit in ("천", "백"):
            section += value * scale
        elif unit in ("만", "억", "조"):
            total += (section + value) * scale
            section = 0.0
        else:
            total += value * scale
        end = m.start(2) + len(unit)
        last = scale
        gap = re.match(r"\s?(?=\d)", low[end:])
        if not gap:
            break
        pos = end + gap.end()
    return total + section, end


def _word_numbers(low: str) -> list[Number]:
    words = lexicon("units")["number_words"]
    small, scales = words["en"], words["en_scales"]
    token = regex_cache.compile(r"\b(" + "|".join(sorted([*small, *scales], key=len, reverse=True)) + r")\b")
    out: list[Number] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        if not run:
            return
        total = current = 0.0
        for t in run:
            w = t.group(1)
            if w in small:
                current += small[w]
            elif w == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * scales[w]
                current = 0.0
        start = run[0].start()
        if run[0].group(1) in scales and low[max(0, start - 2) : start] == "a ":
            start -= 2
        out.append(Number(start, run[-1].end(), total + current, "words"))
        run.clear()

    for t in token.finditer(low):
        if run and not re.fullmatch(r"[\s-]+(?:and\s+)?", low[run[-1].end() : t.start()]):
            close()
        run.append(t)
    close()
    return out
