"""Money amounts as a document writes them, in any currency, converted to USD for comparison.

'EUR 902', '€18,000', '18,000 EUR', 'KRW 1,414,959', '1,414,959원', '$1.0k', 'USD 1,037': each is
read with the precision it was written at, and compared with a figure after conversion at the
run's exchange rates (planning data `fx`), so a correct amount in the client's currency passes
and a wrong one fails whatever its currency. A table whose header names the currency
('Monthly cost (EUR)') gives it to the bare numbers under it (see `with_header_currency`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from genai_planner.core import regex_cache
from genai_planner.planning.compute import load_data

SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "₩": "KRW", "¥": "JPY", "달러": "USD", "원": "KRW", "유로": "EUR", "엔": "JPY"}
_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
# A scale word is part of the amount: 'JPY 25 million' is 25,000,000 yen, not 25.
_SCALE = r"\s?([Bb]illion|[Mm]illion|[Tt]housand|bn|mn|k|K|m|M|천|만|억)?(?![A-Za-z])"
EXCHANGE_RATE_AFTER = regex_cache.compile(r"^\s*(?:per|/|to the|to one|=)\s*(?:1\s*)?(?:US\$|\$|USD|EUR|€|달러|유로)", re.IGNORECASE)
"""What follows an exchange rate ('0.74 GBP per USD', '1,365 KRW/USD', 'KRW 1,365 = USD 1'): a rate, not a sum of money."""
EXCHANGE_RATE_BEFORE = regex_cache.compile(
    r"(?:(?:US\$|\$|USD)\s*1\s*=|1\s*(?:US\$|\$|USD|달러)\s*(?:=|당|에)|(?<![A-Za-z])(?:[A-Z]{3}|US\$|\$|€|달러|유로)\s*당)\s*$", re.IGNORECASE
)
"""What precedes an exchange rate ('USD 1 = 1,365 KRW', '1달러당 1,365원', 'USD당 1,365 KRW': per one unit of a currency)."""


@lru_cache(maxsize=1)
def per_usd() -> dict[str, float]:
    """Units of each currency per US dollar."""
    return {k.upper(): float(v) for k, v in load_data("fx")["per_usd"].items()}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    codes = "|".join(sorted(per_usd(), key=len, reverse=True))
    before = regex_cache.compile(rf"(?<![A-Za-z])(US\$|\$|€|£|₩|¥|(?:{codes}))\s?{_NUM}{_SCALE}")
    after = regex_cache.compile(rf"(?<![\w.$€£₩¥]){_NUM}{_SCALE}\s?((?:{codes})(?![A-Za-z])|(?:달러|유로|원|엔)(?=([가-힣]*)))")
    return before, after


@dataclass
class Amount:
    """One money amount of a text."""

    usd: float
    tolerance_usd: float
    """Half a unit of the last written digit, in USD: 'EUR 902' is 901.5-902.5 EUR."""
    currency: str
    start: int
    end: int
    text: str


def _particles_only(unit: str, tail: str) -> bool:
    """Whether the Hangul after a currency word is only particles or a copula, as kiwipiepy reads the word
    ('원을', '원입니다' yes; '원칙' no).
    """
    from genai_planner.tools.korean import kiwi_tags  # loads kiwi's model on first use (Hangul only)

    tags = kiwi_tags(unit + tail)
    return bool(tags) and tags[0][0] == unit and all(tag.startswith(("J", "E", "VCP")) for _, tag in tags[1:])


def _scale(suffix: str | None) -> float:
    scales = {"k": 1e3, "m": 1e6, "천": 1e3, "만": 1e4, "억": 1e8, "thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9}
    return scales.get((suffix or "").lower(), 1.0)


def amounts(text: str) -> list[Amount]:
    """Every money amount in `text`, converted to USD, in order."""
    before, after = _patterns()
    rates = per_usd()
    found: dict[int, Amount] = {}
    for pattern, currency_group, number_groups in ((before, 1, (2, 3, 4)), (after, 4, (1, 2, 3))):
        for m in pattern.finditer(text):
            mark = m.group(currency_group)
            if pattern is after and m.group(5) and not _particles_only(mark, m.group(5)):
                continue  # '원칙', '엔진': a word, not the currency with a particle ('250만 원을', '30달러로')
            currency = SYMBOLS.get(mark, mark.upper())
            if currency not in rates or any(s <= m.start() < a.end or m.start() <= s < m.end() for s, a in found.items()):
                continue
            whole, decimals, suffix = (m.group(g) for g in number_groups)
            one = whole == "1" and not decimals and not suffix  # 'USD 1 = 1,365 KRW', 'KRW 1,365 = USD 1', '1달러당'
            unit = one and (re.match(r"\s*(?:=|당)", text[m.end() :]) or re.search(r"=\s*$", text[: m.start()]))
            if unit or EXCHANGE_RATE_AFTER.match(text[m.end() :]) or EXCHANGE_RATE_BEFORE.search(text[: m.start()]):
                continue
            scale = _scale(suffix)
            value = float(whole.replace(",", "") + (f".{decimals}" if decimals else "")) * scale
            tolerance = 0.5 * 10 ** -(len(decimals) if decimals else 0) * scale
            rate = rates[currency]
            found[m.start()] = Amount(value / rate, max(tolerance / rate, 0.005), currency, m.start(), m.end(), m.group(0))
    return [found[k] for k in sorted(found)]


def header_currency(header: str) -> str | None:
    """The currency a table header names ('Monthly cost (EUR)', '월 비용(KRW)', 'Cost, €'), or None."""
    for mark, code in SYMBOLS.items():
        if len(mark) == 1 and not "\uac00" <= mark <= "\ud7a3" and mark in header:
            return code
    m = re.search(r"[(\[]\s*(달러|원|유로|엔)\s*[)\]]", header)  # '월 비용(원)'; a bare '원' is part of a word ('언어 지원')
    if m:
        return SYMBOLS[m.group(1)]
    m = re.search(r"(?<![A-Za-z])(" + "|".join(per_usd()) + r")(?![A-Za-z])", header)
    if m:
        return m.group(1)
    return None


def with_header_currency(header: str, cell: str) -> str:
    """A bare number under a header that names a currency, written with it ('902' under '(EUR)' -> 'EUR 902')."""
    currency = header_currency(header)
    if currency and re.fullmatch(r"\s*~?\s*\d[\d,]*(?:\.\d+)?\s*(?:[kKmM]|만|억|[Mm]illion|[Bb]illion|[Tt]housand)?\s*", cell):
        return f"{currency} {cell.strip().lstrip('~').strip()}"
    return cell


def matches(amount: Amount, usd_values: list[float]) -> bool:
    """Whether the amount equals one of the USD values at the precision it was written."""
    return any(abs(amount.usd - v) <= amount.tolerance_usd + 1e-6 for v in usd_values)
