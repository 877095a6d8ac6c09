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

Kept answers: importing `langcodes` and its name data costs ~0.2 CPU s, more than the rest of
a run's language work, and a run asks the same few dozen questions every time ('en' -> English).
So every answer below is kept between processes (`core/kept.py`, in `core/__pycache__/`) under a
stamp of langcodes' and language-data's files, and `langcodes` is imported only for a question
no earlier process asked (or after either package changed).
"""

from __future__ import annotations

import atexit
import importlib.util
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from genai_planner.core import kept

NORWEGIAN = {"no", "nb", "nn"}
"""Norwegian is a macrolanguage: 'no' in a model card covers Bokmål (nb) and Nynorsk (nn)."""

OFFICIAL, CLAIMED = "official", "claimed"

CACHE_FILE = Path(__file__).parent / "__pycache__" / f"languages.{sys.implementation.cache_tag}.marshal"
_answers: dict[tuple[str, ...], Any] | None = None
_new: dict[tuple[str, ...], Any] = {}


def _langcodes() -> ModuleType:
    import langcodes

    return langcodes


def _library_files() -> list[str | None]:
    """The files of langcodes and language-data whose code or data the answers come from."""
    files: list[str | None] = []
    libraries = {"langcodes": ("__init__", "data_dicts", "tag_parser", "language_distance"), "language_data": ("__init__", "name_data", "names", "util")}
    for package, modules in libraries.items():
        spec = importlib.util.find_spec(package)  # finds without importing
        folder = Path(spec.origin).parent if spec and spec.origin else None
        files += [str(folder / f"{module}.py") if folder else None for module in modules]
    return files


def stamp() -> tuple[Any, ...]:
    """What the kept answers depend on beyond their questions: the libraries' files, as found now."""
    return ("languages-1", kept.file_stamp(*_library_files()))


def _answer(key: tuple[str, ...], compute: Callable[[], Any]) -> Any:
    """`compute()`'s answer to question `key`, kept by an earlier process when there is one."""
    global _answers
    if _answers is None:
        _answers = kept.read(CACHE_FILE, stamp())
    if key not in _answers:
        _answers[key] = _new[key] = compute()
    return _answers[key]


def save() -> None:
    """Add this process's new answers to the kept file."""
    if kept.write(CACHE_FILE, stamp(), _new):
        _new.clear()


atexit.register(save)


@lru_cache(maxsize=1024)
def normalise(code: str) -> str:
    """The standard tag of a language code or name ('NO' -> 'no', 'iw' -> 'he', 'Swedish' -> 'sv'); ValueError when unknown."""
    known, found = _answer(("normalise", str(code)), lambda: _normalise(code))
    if not known:
        raise ValueError(found)
    return str(found)


def _normalise(code: str) -> tuple[bool, str]:
    """(True, tag) or (False, why not)."""
    raw = str(code).strip()
    if not raw:
        return False, "empty language code"
    langcodes = _langcodes()
    try:
        tag = langcodes.standardize_tag(raw)
        if langcodes.Language.get(tag).is_valid() and langcodes.Language.get(tag).language:
            return True, tag
    except (ValueError, LookupError):
        pass
    try:
        return True, str(langcodes.find(raw))
    except LookupError:
        return False, f"unknown language {raw!r} (use an ISO 639 code such as en, ko, no, sv)"


def is_iso_639_1(code: str) -> bool:
    """Whether `code` is a valid tag whose language is a two-letter ISO 639-1 code ('nb', 'zh-Hant'; not 'klingon', not 'tlh').

    The code as written decides, not its replacement: langcodes maps 'tl' (Tagalog, ISO 639-1) to its
    successor 'fil', which has three letters, yet 'tl' is what a user writes.
    """
    return bool(_answer(("is_iso_639_1", str(code)), lambda: _is_iso_639_1(code)))


def _is_iso_639_1(code: str) -> bool:
    raw = str(code).strip()
    try:
        tag = _langcodes().Language.get(raw)
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
        tag = normalise(code)
    except ValueError:
        return code
    shown = _answer(("name", tag, str(language)), lambda: _name(tag, language))
    return code if shown is None else str(shown)


def _name(tag: str, language: str) -> str | None:
    try:
        return str(_langcodes().Language.get(tag).display_name(language))
    except (ValueError, LookupError):
        return None


def territory_name(code: str, language: str) -> str | None:
    """A region's name in `language` ('AE' -> 'United Arab Emirates'); None when langcodes does not know it."""
    return _answer(("territory_name", str(code), str(language)), lambda: _territory_name(code, language))  # type: ignore[no-any-return]


def _territory_name(code: str, language: str) -> str | None:
    try:
        return str(_langcodes().Language.make(territory=code).territory_name(language))
    except (ValueError, LookupError):
        return None


def iso_639_1(word: str) -> str | None:
    """The two-letter code a language name stands for ('Icelandic' -> 'is'), or None (also for codes with no two-letter form)."""
    return _answer(("iso_639_1", str(word)), lambda: _iso_639_1(word))  # type: ignore[no-any-return]


def _iso_639_1(word: str) -> str | None:
    langcodes = _langcodes()
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
