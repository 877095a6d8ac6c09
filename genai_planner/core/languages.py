"""Languages: ISO 639 codes and names through `langcodes`, and what a model documents.

A hand list of twenty languages once decided which languages a plan could ask for; `langcodes`
(with `language-data` for names) knows every ISO 639 code and its name in English and Korean,
so Swedish, Norwegian (no, nb, nn), Finnish or Vietnamese are ordinary languages.

A catalog model documents languages in two tiers, each with its source:
- `languages`: the languages its provider officially supports (a list in the model card or docs);
- `languages_claimed`: languages the card names beyond that (trained on, "also works in"), or
  `languages_claim`: a broad claim with no list ("over 140 languages"), which covers any
  language as a claim only.
The gate accepts either tier (the provider documents the language); the score and the reason
say which tier it is, so an official language beats a claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import langcodes

NORWEGIAN = {"no", "nb", "nn"}
"""Norwegian is a macrolanguage: 'no' in a model card covers Bokmål (nb) and Nynorsk (nn)."""

OFFICIAL, CLAIMED = "official", "claimed"


@lru_cache(maxsize=1024)
def normalise(code: str) -> str:
    """The standard tag of a language code or name ('NO' -> 'no', 'iw' -> 'he', 'Swedish' -> 'sv'); ValueError when unknown."""
    raw = str(code).strip()
    if not raw:
        raise ValueError("empty language code")
    try:
        tag = langcodes.standardize_tag(raw)
        if langcodes.Language.get(tag).is_valid() and langcodes.Language.get(tag).language:
            return tag
    except (ValueError, LookupError):
        pass
    try:
        return str(langcodes.find(raw))
    except LookupError:
        raise ValueError(f"unknown language {raw!r} (use an ISO 639 code such as en, ko, no, sv)") from None


def is_iso_639_1(code: str) -> bool:
    """Whether `code` is a valid tag whose language is a two-letter ISO 639-1 code ('nb', 'zh-Hant'; not 'klingon', not 'tlh').

    The code as written decides, not its replacement: langcodes maps 'tl' (Tagalog, ISO 639-1) to its
    successor 'fil', which has three letters, yet 'tl' is what a user writes.
    """
    raw = str(code).strip()
    try:
        tag = langcodes.Language.get(raw)
    except (ValueError, LookupError):
        return False
    written = raw.replace("_", "-").split("-")[0]
    return bool(tag.language) and tag.is_valid() and (len(tag.language) == 2 or (len(written) == 2 and written.isalpha()))


def base(code: str) -> str:
    """The language subtag: 'zh-Hant' -> 'zh', 'pt-BR' -> 'pt'."""
    return normalise(code).split("-")[0].lower()


def covers(documented: str, required: str) -> bool:
    """Whether a model's documented language covers a required one (same base language; Norwegian macrolanguage)."""
    have, want = base(documented), base(required)
    if have == want:
        return True
    return (have == "no" and want in NORWEGIAN) or (want == "no" and have in NORWEGIAN)


def _any_covers(documented: Iterable[str], required: str) -> bool:
    return any(covers(code, required) for code in documented)


def tier(model: dict[str, Any], code: str) -> str | None:
    """'official', 'claimed' or None: how the model's documentation covers language `code`."""
    if _any_covers(model.get("languages") or [], code):
        return OFFICIAL
    if _any_covers(model.get("languages_claimed") or [], code) or model.get("languages_claim"):
        return CLAIMED
    return None


def missing(model: dict[str, Any], required: Sequence[str]) -> list[str]:
    """The required languages the model's documentation does not cover in either tier."""
    return [code for code in required if tier(model, code) is None]


def name(code: str, language: str = "en") -> str:
    """The language's name in `language` ('no' -> 'Norwegian' / '노르웨이어'); the code when unknown."""
    try:
        return str(langcodes.Language.get(normalise(code)).display_name(language))
    except (ValueError, LookupError):
        return code


def iso_639_1(word: str) -> str | None:
    """The two-letter code a language name stands for ('Icelandic' -> 'is'), or None (also for codes with no two-letter form)."""
    try:
        found = str(langcodes.find(word))
    except LookupError:
        return None
    # langcodes also matches place names ('Latvia' -> lv, 'Norway' -> no): keep only the language's own name.
    shown = name(found, "en").lower()
    own = str(langcodes.Language.get(found).autonym()).lower()  # 'isiZulu', 'Português', '한국어'
    if shown != word.lower() and not shown.startswith(word.lower() + " ") and own != word.lower():
        return None
    return found if len(found) == 2 else None
