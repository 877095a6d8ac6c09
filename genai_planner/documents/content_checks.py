"""Content checks: what a client would reject even when every structural check passes.

Five checks read a document against the run's brief (`CheckContext.brief`, the JSON form
of `genai_planner.planning.brief.Brief`):

- `specific_to_use_case`: every section names something of this client (its users,
  inputs, numbers, constraints, regulations or domain); a section that fits any client
  is filler.
- `constraints_respected`: no step breaks a stated constraint: data that must stay
  on-premises is not sent to a cloud API, API-only models are not proposed, personal
  data is not cached across users or logged unmasked, and every required language is
  served.
- `label_fits`: a labelled item ("- **Label:** text", "- *Metric* - text") explains its
  label, and a compliance item names the law.
- `steps_are_steps`: numbered steps are actions, in order, not risks or metrics.
- `no_foreign_words`: a Korean document keeps no untranslated English words (names of
  models, products and standards excepted).

The checks are pure functions of the document, the brief, the catalog and the spec; the
words they know live in `content_lexicon.yaml` beside this module. With no brief
(an older caller) each check passes and says there was nothing to compare.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from genai_planner.core.languages import name as language_name
from genai_planner.core.yamlio import load_yaml
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import SOURCES_TITLE, CheckContext, check

LEXICON_PATH = Path(__file__).with_name("content_lexicon.yaml")
QUOTE_CHARS = 120
NO_BRIEF = "no brief in the check context: nothing to compare"
STEP_FORMS = ("numbered", "steps")

HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*")
KO_PARTICLES = ("에서는", "으로는", "에게는", "과의", "와의", "에서", "에게", "으로", "까지", "부터")
KO_PARTICLES += ("의", "을", "를", "은", "는", "이", "가", "과", "와", "에", "로", "도", "만")


# --------------------------------------------------------------------------- lexicon


def _require_strings(node: Any, where: str) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                raise ValueError(f"{LEXICON_PATH.name}: key {key!r} under {where} is not a string; quote it")
            _require_strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for value in node:
            _require_strings(value, where)
    elif not isinstance(node, str):
        raise ValueError(f"{LEXICON_PATH.name}: {node!r} under {where} is not a string; quote it")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists of `content_lexicon.yaml` (validated: every leaf is a string)."""
    data = load_yaml(LEXICON_PATH)
    _require_strings(data, "lexicon")
    return data


def _words(key: str, language: str | None = None) -> list[str]:
    entry = lexicon()[key]
    if language is None:
        return list(entry)
    return list(entry.get(language, []))


@lru_cache(maxsize=8)
def _lowered(key: str, language: str | None = None) -> frozenset[str]:
    return frozenset(w.lower() for w in _words(key, language))


# --------------------------------------------------------------------------- text helpers


def has_hangul(text: str) -> bool:
    """Whether `text` contains a Hangul syllable."""
    return bool(HANGUL_RE.search(text))


def _syllables(text: str) -> int:
    return len(HANGUL_RE.findall(text))


def _quote(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _plain(text: str) -> str:
    """A line without list markers, checkboxes, emphasis, code ticks and citations."""
    text = md.CITATION_RE.sub(" ", text)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?", "", text)
    text = re.sub(r"[*_`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _split_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?。])\s+(?=\S)", text) if s.strip()]


def _strip_particle(word: str) -> str:
    for particle in KO_PARTICLES:
        if word.endswith(particle) and _syllables(word[: -len(particle)]) >= 2:
            return word[: -len(particle)]
    return word


@lru_cache(maxsize=8192)
def _term_pattern(term: str) -> re.Pattern[str]:
    """How a term is found in text.

    Hangul terms match as substrings (particles attach to nouns) with spacing ignored
    ("개인정보 보호법" finds "개인정보보호법"); Latin terms match case-insensitively on
    word boundaries, with plural and possessive endings and hyphen/space alike.
    """
    term = re.sub(r"\s+", " ", term.strip())
    if has_hangul(term):
        chars = [re.escape(ch) for ch in term if not ch.isspace()]
        lead = r"(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", term) else ""
        return re.compile(lead + r"\s*".join(chars), re.IGNORECASE)
    words = [w for w in re.split(r"[\s\-]+", term) if w]
    pieces = []
    for word in words:
        lw = word.lower()
        if not re.search(r"[a-z]$", lw) or len(lw) <= 3 and word.isupper():
            pieces.append(re.escape(word))
        elif lw.endswith("ies") and len(lw) > 4:
            pieces.append(re.escape(word[:-3]) + "(?:y|ies)")
        elif lw.endswith("y") and len(lw) > 3 and lw[-2] not in "aeiou":
            pieces.append(re.escape(word[:-1]) + "(?:y|ies)")
        elif lw.endswith("s") and not lw.endswith(("ss", "us", "is")) and len(lw) > 3:
            pieces.append(re.escape(word[:-1]) + "(?:s|es|'s|’s)?")
        else:
            pieces.append(re.escape(word) + "(?:s|es|'s|’s)?")
    body = r"[\s\-]+".join(pieces)
    return re.compile(r"(?<![A-Za-z0-9])" + body + r"(?![A-Za-z])", re.IGNORECASE)


def _mentions(text: str, term: str) -> bool:
    return bool(_term_pattern(term).search(text))


# --------------------------------------------------------------------------- numbers

_NUM_TERM_RE = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(?:\s+(.+))?$")
_TEXT_NUM_RE = re.compile(
    r"(?<![A-Za-z0-9.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(k|K|천|만|억|thousand|million|billion)(?![A-Za-z]))?(?![A-Za-z0-9])"
)
_SCALE = {"k": 1e3, "K": 1e3, "천": 1e3, "thousand": 1e3, "만": 1e4, "억": 1e8, "million": 1e6, "billion": 1e9}


def _format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


@lru_cache(maxsize=1024)
def _text_numbers(text: str) -> list[tuple[float, str]]:
    """Every number in `text` as (value, the text right after it); '1,200', '1.2k', '300명', '4만' and 'six' are read."""
    words = lexicon()["number_words"]
    text = re.sub(r"(?<![A-Za-z])(" + "|".join(words) + r")(?![A-Za-z])", lambda m: words[m.group(1).lower()], text, flags=re.IGNORECASE)
    out = []
    for m in _TEXT_NUM_RE.finditer(text):
        value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= _SCALE[m.group(3)]
        out.append((value, text[m.end() : m.end() + 12]))
    return out


def _unit_aliases(unit: str) -> list[str]:
    unit = unit.strip().lower()
    for group in lexicon()["unit_aliases"]:
        if unit in (u.lower() for u in group):
            return list(group)
    return [unit]


_MEASURE_AFTER_RE = re.compile(r"\s*(?:ms|s|sec|seconds?|min|minutes?|h|hours?|GB|MB|TB|GiB|tokens?|%|x|USD|EUR|KRW|원|초|분|시간)(?![A-Za-z])", re.IGNORECASE)


def _number_hit(text: str, term: str) -> bool:
    m = _NUM_TERM_RE.match(term)
    if not m:
        return False
    value = float(m.group(1).replace(",", ""))
    unit = m.group(2)
    numbers = _text_numbers(text)
    if value >= 100:  # a large count needs no unit, but a measurement of something else is not it ('120 ms' is not '120 stores')
        return any(math.isclose(v, value, rel_tol=1e-9) and not _MEASURE_AFTER_RE.match(after) for v, after in numbers)
    if not unit:
        return False
    aliases = _unit_aliases(unit)
    for v, after in numbers:
        if not math.isclose(v, value, rel_tol=1e-9):
            continue
        after = after.lstrip()
        for alias in aliases:
            if has_hangul(alias) or not alias[0].isalpha():
                if after.startswith(alias):
                    return True
            elif re.match(re.escape(alias) + r"(?![A-Za-z])", after, flags=re.IGNORECASE):
                return True
    return False


def _is_number_term(term: str) -> bool:
    return bool(_NUM_TERM_RE.match(term))


# --------------------------------------------------------------------------- the brief


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _values(brief: dict[str, Any], field: str) -> list[str]:
    return [str(t["value"]) for t in brief.get(field) or [] if isinstance(t, dict) and t.get("value")]


def regulations(brief: dict[str, Any]) -> list[str]:
    """The regulation names of the brief."""
    return [str(r["name"]) for r in _get(brief, "constraints", "regulations") or [] if isinstance(r, dict) and r.get("name")]


def residency(brief: dict[str, Any]) -> str:
    """The brief's data residency value ('unspecified' when missing)."""
    return str(_get(brief, "constraints", "data_residency", "value") or "unspecified")


def holds_personal_data(brief: dict[str, Any]) -> bool:
    """Whether the brief says the data holds personal data or is highly sensitive."""
    sensitivity = brief.get("data_sensitivity") or {}
    return bool(sensitivity.get("personal_data")) or sensitivity.get("value") == "high"


class _Terms:
    """An ordered, de-duplicated term list with the length and stop-word rules applied."""

    def __init__(self) -> None:
        self.items: dict[str, str] = {}
        self.stop = _lowered("stop_words", "en") | _lowered("stop_words", "ko")
        self.generic = _lowered("generic_terms", "en") | _lowered("generic_terms", "ko")

    def add(self, term: str | None) -> None:
        if not term:
            return
        term = re.sub(r"\s+", " ", str(term)).strip(" \t\"'.,;:()[]")
        key = term.lower()
        if not term or key in self.items or key in self.stop or key in self.generic:
            return
        if _is_number_term(term):
            pass
        elif has_hangul(term):
            if _syllables(term) < 2:
                return
        else:
            words = [w for w in re.split(r"[\s\-/]+", key) if w]
            if len(term) < 3 or all(w in self.stop for w in words):
                return
        self.items[key] = term

    def add_phrase(self, phrase: str, split: bool = True) -> None:
        """The phrase, its parenthesised parts, and (with `split`) its content words."""
        phrase = phrase.strip()
        if phrase.lower().startswith("the "):
            phrase = phrase[4:]
        inner = re.findall(r"\(([^()]*)\)", phrase)
        outer = re.sub(r"\([^()]*\)", " ", phrase)
        for part in [outer, *inner]:
            self.add(part)
            if not split:
                continue
            if has_hangul(part):
                for word in part.split():
                    self.add(_strip_particle(word))
            else:
                for word in LATIN_WORD_RE.findall(part):
                    word = re.sub(r"['’]s$", "", word)
                    if len(word) >= 4 or word.isupper():  # a short word of a phrase says little on its own
                        self.add(word)


def brief_terms(brief: dict[str, Any], language: str) -> list[str]:
    """The words a section can use to refer to this use case, most specific first.

    From the brief: the organisation's name (and the name without 'Inc', '병원' ...), users,
    stakeholders, inputs, outputs and what the volumes count (each phrase and its content
    words), success criteria and baseline metrics (phrases), stated numbers (volumes,
    baselines, budget: '1,200', '25 minutes'), hardware names, regulation names, the
    residency constraint's own words, required languages other than the document's,
    the domain and the sector's vocabulary. Terms under 3 letters or 2 Hangul syllables,
    stop-words and words every planning document uses are left out. Match them with
    `term_hits`, which reads numbers robustly ('1,200' = '1200' = '1.2k', '300명').

    Args:
        brief: The run's `Brief` as a JSON dict.
        language: The document language ('en' or 'ko').

    Returns:
        The terms, without duplicates.
    """
    if not brief:
        return []
    terms = _Terms()
    organisation = _get(brief, "organisation", "value")
    if organisation:
        terms.add_phrase(str(organisation))
        name = str(organisation).strip()
        for suffix in _words("org_suffixes", "ko"):  # "한빛대학병원" -> "한빛"; English names split into their words instead
            if name.endswith(suffix) and _syllables(name) > _syllables(suffix) + 1:
                terms.add(name[: -len(suffix)])
    for field in ("users", "stakeholders", "inputs", "outputs"):
        for value in _values(brief, field):
            terms.add_phrase(value)
    for value in _values(brief, "success_criteria"):
        terms.add_phrase(value, split=False)
    for volume in brief.get("volumes") or []:
        if volume.get("what"):
            terms.add_phrase(str(volume["what"]))
        if isinstance(volume.get("quantity"), int | float) and not volume.get("unit") == "x":
            terms.add(_number_term(volume["quantity"], volume.get("unit")))
    for baseline in brief.get("baselines") or []:
        if baseline.get("metric"):
            terms.add_phrase(str(baseline["metric"]), split=False)
        if isinstance(baseline.get("value"), int | float):
            terms.add(_number_term(baseline["value"], baseline.get("unit")))
    amount = _get(brief, "constraints", "monthly_budget", "value", "amount")
    if isinstance(amount, int | float):
        terms.add(_number_term(amount, None))
    for hardware in _get(brief, "constraints", "hardware") or []:
        accelerator = str(hardware.get("accelerator") or "")
        terms.add(accelerator)
        terms.add(re.sub(r"^(?:nvidia|amd|intel|google)\s+", "", accelerator, flags=re.IGNORECASE))
        for token in re.findall(r"\b[A-Za-z]+\d+[A-Za-z0-9]*\b", accelerator):
            if not re.fullmatch(r"\d+(?:GB|GiB|G)", token, flags=re.IGNORECASE):
                terms.add(token)
    for name in regulations(brief):
        terms.add_phrase(name, split=False)
    for word in _get_residency_terms(residency(brief), language):
        terms.add(word)
    for code in _get(brief, "constraints", "languages", "value") or []:
        if code != language:
            for name in lexicon()["language_names"].get(language, {}).get(code, []):
                terms.add(name)
    if brief.get("domain"):
        terms.add_phrase(str(brief["domain"]))
    sector = _get(brief, "sector", "value")
    for word in (lexicon()["sector_terms"].get(sector) or {}).get(language, []):
        terms.add(word)
    return list(terms.items.values())


def _get_residency_terms(value: str, language: str) -> list[str]:
    return list((lexicon()["residency_terms"].get(value) or {}).get(language, []))


def _number_term(value: float, unit: str | None) -> str | None:
    if value < 0:
        return None
    text = _format_number(float(value))
    if value >= 100:
        return text
    if not unit or unit.lower() in {"items", "item"}:
        return None
    return f"{text} {unit}"


def term_hits(text: str, terms: list[str], language: str, first: bool = False) -> list[str]:
    """The terms (from `brief_terms`) that `text` mentions; with `first`, stop at the first.

    Args:
        text: The text to search.
        terms: Terms as `brief_terms` returns them.
        language: The document language (kept for callers; matching follows each term's script).
        first: Return as soon as one term is found.

    Returns:
        The terms found, in the order given.
    """
    found = []
    for term in terms:
        hit = _number_hit(text, term) if _is_number_term(term) else _mentions(text, term)
        if hit:
            found.append(term)
            if first:
                break
    return found


# --------------------------------------------------------------------------- document scope


@dataclass
class _Scoped:
    sid: str
    title: str
    text: str | None


def _title_to_id(ctx: CheckContext) -> dict[str, str]:
    return {md.normalise_heading(s.title.get(ctx.language)): s.id for s in ctx.spec.sections}


def _is_sources(title: str, ctx: CheckContext) -> bool:
    return md.normalise_heading(title) == SOURCES_TITLE[ctx.language].lower()


def _scoped_sections(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext, default_ids: list[str] | None = None) -> list[_Scoped]:
    """The sections a check reads: `params['sections']` (or 'section'), else `default_ids`, else every section but the sources."""
    if "section" in params:
        ids: list[str] | None = [params["section"]]
    elif "sections" in params:
        ids = list(params["sections"])
    else:
        ids = default_ids
    if ids is None:
        ids_by_title = _title_to_id(ctx)
        return [
            _Scoped(ids_by_title.get(md.normalise_heading(s.title), md.normalise_heading(s.title)), s.title, s.text)
            for s in doc.sections
            if not _is_sources(s.title, ctx)
        ]
    out = []
    specs = {s.id: s for s in ctx.spec.sections}
    for sid in ids:
        if sid not in specs:
            out.append(_Scoped(sid, sid, None))
            continue
        title = specs[sid].title.get(ctx.language)
        section = doc.find(title)
        out.append(_Scoped(sid, title, section.text if section else None))
    return out


def _prose(text: str) -> str:
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = md.CITATION_RE.sub(" ", text)
    return re.sub(r"https?://\S+", " ", text)


# --------------------------------------------------------------------------- 1. specific_to_use_case


@check("specific_to_use_case")
def specific_to_use_case(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Every section in scope refers to this use case: a term of the brief appears in it."""
    if not ctx.brief:
        return True, NO_BRIEF
    terms = brief_terms(ctx.brief, ctx.language)
    if not terms:
        return True, "the brief names nothing specific to look for"
    generic, checked = [], 0
    for scoped in _scoped_sections(doc, params, ctx):
        if scoped.text is None:
            continue
        checked += 1
        if not term_hits(_prose(scoped.text), terms, ctx.language, first=True):
            generic.append(scoped.title)
    if generic:
        examples = ", ".join(f"'{t}'" for t in [t for t in terms if len(t.split()) <= 3][:6])
        return False, "sections that fit any client: " + ", ".join(generic) + f" (name this client's users, inputs, numbers or constraints, e.g. {examples})"
    return True, f"all {checked} sections refer to the use case"


# --------------------------------------------------------------------------- 2. constraints_respected


@dataclass
class _Unit:
    sid: str
    title: str
    line: str
    sentence: str


def _units(doc: md.ParsedDocument, ctx: CheckContext) -> list[_Unit]:
    """Every sentence of the body (table rows whole), with its line and section."""
    ids_by_title = _title_to_id(ctx)
    units = []
    for section in doc.sections:
        if _is_sources(section.title, ctx):
            continue
        sid = ids_by_title.get(md.normalise_heading(section.title), md.normalise_heading(section.title))
        in_fence = False
        for raw in section.lines:
            if raw.strip().startswith("```"):
                in_fence = not in_fence
                continue
            if in_fence or not raw.strip():
                continue
            line = _plain(raw)
            if raw.strip().startswith("|"):
                units.append(_Unit(sid, section.title, line, line))
                continue
            units += [_Unit(sid, section.title, line, s) for s in _split_sentences(line)]
    return units


_CLAUSE_BREAK_RE = re.compile(r"[;:]|\bbut\b|\bhowever\b|\bwhereas\b|지만|반면|는데")


def _clause(sentence: str, start: int, end: int) -> str:
    left = 0
    for m in _CLAUSE_BREAK_RE.finditer(sentence, 0, start):
        left = m.end()
    m = _CLAUSE_BREAK_RE.search(sentence, end)
    return sentence[left : m.start() if m else len(sentence)]


def _has_any(text: str, words: list[str]) -> bool:
    for word in words:
        if has_hangul(word) or not word[:1].isalpha():
            if word.lower() in text.lower():
                return True
        elif re.search(r"(?<![A-Za-z])" + re.escape(word) + r"(?![A-Za-z])", text, flags=re.IGNORECASE):
            return True
    return False


def _negated(text: str) -> bool:
    return _has_any(text, _words("negation", "en") + _words("negation", "ko")) or bool(re.search(r"n't\b", text))


def _excluded(unit: _Unit) -> bool:
    if "excluded" in unit.sid or "excluded" in unit.title.lower() or "제외" in unit.title:
        return True
    return _has_any(unit.line, _words("exclusion", "en") + _words("exclusion", "ko"))


def _patterns(key: str) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in _words(key, "en") + _words(key, "ko")]


def _api_only_models(catalog: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(how it is written, catalog name) for every model that cannot run on the organisation's own servers, longest first."""
    api_only = [m for m in catalog if not m.get("open_weights") or not {"on-premises", "self-hosted"} & set(m.get("hosting", []))]
    open_first_words = {re.split(r"[\s\-]", m["name"])[0].lower() for m in catalog if m not in api_only}
    names: dict[str, str] = {}
    for m in api_only:
        names[m["name"]] = m["name"]
        if m.get("id"):
            names[m["id"]] = m["name"]
        family = re.split(r"[\s\-]", m["name"])[0]  # "GPT", "Claude", "Gemini": a family name alone is still that provider's API
        if len(family) >= 3 and family.lower() not in open_first_words and not family[0].isdigit():
            names.setdefault(family, family)
    return sorted(names.items(), key=lambda kv: len(kv[0]), reverse=True)


def _find_models(text: str, models: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, catalog name) of every mention, longest names first ('GPT-4o mini' before 'GPT-4o')."""
    found = []
    for written, name in models:
        for m in re.finditer(r"(?<![A-Za-z0-9])" + re.escape(written) + r"(?![A-Za-z0-9])", text, flags=re.IGNORECASE):
            found.append((m.start(), m.end(), name))
    return found


def _language_served(units: list[_Unit], names: list[str]) -> bool:
    for unit in units:
        for name in names:
            for m in _term_pattern(name).finditer(unit.sentence):
                if not _negated(_clause(unit.sentence, m.start(), m.end())):
                    return True
    return False


@check("constraints_respected")
def constraints_respected(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """The text keeps the brief's hard constraints: residency, personal data and languages.

    With residency on-premises or private cloud: no clause sends data to a cloud or managed
    API, names an API-only catalog model (outside an excluded/rejected context) or uses a
    provider's fine-tuning service. With personal data: no answer cache shared across
    users unless the sentence scopes it, no logging of prompts without masking. Every
    required language is said to be served. A clause that negates ("never sent to an
    external API", "외부 API로 전송하지 않습니다") is a prohibition and passes.
    """
    if not ctx.brief:
        return True, NO_BRIEF
    units = _units(doc, ctx)
    offences: list[str] = []
    rules: list[str] = []
    where = residency(ctx.brief)
    if where in {"on_premises", "private_cloud"}:
        stay = "data must stay on-premises" if where == "on_premises" else "data must stay in the private cloud"
        rules.append(stay)
        cloud, tuning, models = _patterns("cloud_send"), _patterns("finetune_service"), _api_only_models(ctx.catalog)
        for unit in units:
            for pattern, what in ((tuning, "uses a provider's fine-tuning service"), (cloud, "sends data to a cloud or managed API")):
                hits = [m for p in pattern for m in p.finditer(unit.sentence)]
                if any(not _negated(_clause(unit.sentence, m.start(), m.end())) for m in hits) and not _excluded(unit):
                    offences.append(f"{what} although {stay}: \"{_quote(unit.sentence)}\"")
                    break
            if _excluded(unit):
                continue
            for start, end, name in _find_models(unit.sentence, models):
                if not _negated(_clause(unit.sentence, start, end)):
                    offences.append(f"names API-only model {name} as an option although {stay}: \"{_quote(unit.sentence)}\"")
                    break
    if holds_personal_data(ctx.brief):
        rules.append("personal data")
        cache_scope = _words("cache_scope", "en") + _words("cache_scope", "ko")
        masking = _words("masking", "en") + _words("masking", "ko")
        for unit in units:
            for m in (m for p in _patterns("answer_cache") for m in p.finditer(unit.sentence)):
                if not _has_any(unit.sentence, cache_scope) and not _negated(_clause(unit.sentence, m.start(), m.end())):
                    offences.append(
                        "caches answers across users although the data holds personal data (scope it per user or to content "
                        f"without personal data): \"{_quote(unit.sentence)}\""
                    )
                    break
            for m in (m for p in _patterns("prompt_logging") for m in p.finditer(unit.sentence)):
                if not _has_any(unit.sentence, masking) and not _negated(_clause(unit.sentence, m.start(), m.end())):
                    offences.append(f"logs prompts without masking personal data: \"{_quote(unit.sentence)}\"")
                    break
    if params.get("languages", True):
        languages = _get(ctx.brief, "constraints", "languages") or {}
        default = _get(languages, "evidence", "source") == "default"
        for code in languages.get("value") or []:
            if code == ctx.language and default:
                continue
            names = lexicon()["language_names"].get(ctx.language, {}).get(code) or [language_name(code, ctx.language).lower()]
            rules.append(f"serves {names[0]}")
            if not _language_served(units, names):
                offences.append(f"never says the solution serves {names[0]}, a required language")
    # one offence per sentence: the first rule it breaks
    seen: set[str] = set()
    unique = [o for o in offences if not (o.split(": ", 1)[-1] in seen or seen.add(o.split(": ", 1)[-1]))]
    if unique:
        more = f" (+{len(unique) - 4} more)" if len(unique) > 4 else ""
        return False, "; ".join(unique[:4]) + more
    if not rules:
        return True, "the brief sets no constraint these rules test"
    return True, "respects " + ", ".join(rules)


# --------------------------------------------------------------------------- 3. label_fits

_BOLD_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?\*\*(?P<label>[^*]+?)\*\*(?P<rest>.*)$")
_ITALIC_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?\*(?!\*)(?P<label>[^*]+?)\*(?!\*)(?P<rest>.*)$")
_LEAD_ITALIC_RE = re.compile(r"^\*(?!\*)(?P<label>[^*]+?)\*(?!\*)(?P<rest>.*)$")
_STEM_SUFFIXES = ("ations", "ation", "ically", "ness", "ments", "ment", "ities", "ity", "ings", "ing", "ers", "ies", "ied", "ate")
_STEM_SUFFIXES += ("ed", "er", "ly", "al")


@dataclass
class _Labelled:
    label: str
    kind: str | None
    explanation: str


def _labelled_items(text: str) -> list[_Labelled]:
    items = []
    markers = _words("label_markers")
    for line in text.splitlines():
        if line.startswith((" ", "\t")):
            continue
        kind = None
        m = _BOLD_ITEM_RE.match(line) or _ITALIC_ITEM_RE.match(line)
        if not m:
            continue
        label, rest = m.group("label").strip().rstrip(":：").strip(), m.group("rest")
        for marker in markers:
            rest = rest.replace(marker, " ")
        rest = rest.strip().lstrip(":：").strip()
        nested = _LEAD_ITALIC_RE.match(rest)
        if nested and m.re is _BOLD_ITEM_RE:
            kind, label, rest = label, nested.group("label").strip(), nested.group("rest")
        rest = md.CITATION_RE.sub(" ", rest).strip().lstrip("—–-:： ").strip()
        items.append(_Labelled(label, kind, rest))
    return items


def _stem(word: str) -> str:
    word = word.lower().strip("'’")
    word = re.sub(r"['’]s$", "", word)
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ies")) and len(word) > 3:
        word = word[:-1]
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:6]


def _stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


def _label_words(label: str, language: str) -> list[str]:
    stop = _lowered("stop_words", "en") | _lowered("label_stop_words", "en") | _lowered("label_stop_words", "ko") | _lowered("stop_words", "ko")
    words = []
    for word in re.split(r"[\s/]+|(?<=[A-Za-z])-(?=[A-Za-z])", label):
        word = word.strip("()[],.:;'\"")
        if has_hangul(word):
            word = _strip_particle(word)
            if _syllables(word) >= 2 and word not in stop:
                words.append(word)
        elif len(word) >= 2 and word.isupper() or len(word) >= 3 and word.lower() not in stop:  # "IT", "QA" are words here
            words.append(word)
    return words


def _ko_variants(word: str) -> list[str]:
    out = [word]
    if _syllables(word) >= 3 and word[-1] in "성화도률율적":
        out.append(word[:-1])
    return out


class _About:
    """Whether a text is about a label: shared content-word stems or synonyms."""

    def __init__(self, ctx: CheckContext, params: dict[str, Any]) -> None:
        self.language = ctx.language
        self.terms = brief_terms(ctx.brief, ctx.language)
        self.about = {k.lower(): list(v) for k, v in (lexicon()["label_about"].get(self.language) or {}).items()}
        for label, words in ((params.get("about") or {}).get(self.language) or {}).items():
            self.about.setdefault(label.lower(), [])
            self.about[label.lower()] = list(words) + self.about[label.lower()]
        for target in (ctx.figures or {}).get("targets", []):  # a metric is about what its computed definition says it measures
            words = [w for w in re.findall(r"[A-Za-z][A-Za-z\-]{3,}|[가-힣]{2,}", str(target.get("definition", ""))) if w.lower() not in _lowered("stop_words")]
            self.about.setdefault(str(target.get("metric", "")).lower(), []).extend(words)
        self.word_about = {k.lower(): list(v) for k, v in (lexicon()["word_about"].get(self.language) or {}).items()}
        self.word_about.update({k.lower(): list(v) for k, v in (lexicon()["word_about"].get("en") or {}).items() if k.lower() not in self.word_about})

    def candidates(self, label: str) -> list[str]:
        for marker in lexicon()["label_markers"]:  # '(key for this use case)' marks a label, it is not part of it
            label = label.replace(marker, "").strip()
        words = _label_words(label, self.language)
        out = list(words)
        for word in words:
            for key, synonyms in self.word_about.items():
                if (has_hangul(word) and word.startswith(key)) or (not has_hangul(word) and _stems_match(_stem(word), _stem(key))):
                    out += synonyms
        key = label.lower().strip()
        named = self.about.get(key) or self.about.get(key.split(":")[-1].strip(), [])  # 'Technical: X' is about X
        return out + named

    def relates(self, label: str, text: str) -> bool:
        stems = [_stem(w) for w in LATIN_WORD_RE.findall(text)]
        for candidate in self.candidates(label):
            if candidate == "<brief>":
                if term_hits(text, self.terms, self.language, first=True):
                    return True
            elif candidate == "<number>":
                if re.search(r"\d", text):
                    return True
            elif has_hangul(candidate):
                if any(_term_pattern(v).search(text) for v in _ko_variants(candidate)):
                    return True
            elif re.search(r"[\s/@]", candidate) or not re.fullmatch(r"[A-Za-z][A-Za-z\-]*", candidate):
                if _mentions(text, candidate):
                    return True
            elif any(_stems_match(_stem(candidate), s) for s in stems):
                return True
        return False


def _names_law(text: str) -> bool:
    if _has_any(text, _words("law_words", "en") + _words("law_words", "ko")):
        return True
    not_laws = set(_words("not_laws"))
    for word in re.findall(r"[가-힣]+", text):
        i = word.find("법")
        while i >= 0:
            law = word[: i + 1]
            if len(law) >= 3 and not any(law.endswith(n) for n in not_laws):
                return True
            i = word.find("법", i + 1)
    return False


def _split_why(explanation: str, language: str) -> tuple[str, str | None]:
    markers = _words("why_markers", "en") + _words("why_markers", "ko")
    lowered = explanation.lower()
    for marker in markers:
        i = lowered.find(marker.lower())
        if i >= 0:
            return explanation[:i].strip(" —–-:;("), explanation[i + len(marker) :].strip(" :：—–-")
    return explanation, None


@check("label_fits")
def label_fits(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Each labelled item's explanation is about its label.

    An explanation shares a content-word stem with its label or with the label's synonyms
    (`label_about` and `word_about` in the lexicon, `about: {en: {Label: [words]}}` in the
    params). A metric's "why it matters" part must be about the metric or about this use
    case. A compliance item names the brief's regulation (or, when the brief has none, a
    law or regulation).
    """
    if not ctx.brief:
        return True, NO_BRIEF
    about = _About(ctx, params)
    law_labels = _lowered("law_labels", ctx.language) | _lowered("law_labels", "en")
    regs = regulations(ctx.brief)
    bad: list[str] = []
    count = 0
    for scoped in _scoped_sections(doc, params, ctx):
        if scoped.text is None:
            continue
        for item in _labelled_items(scoped.text):
            count += 1
            definition, why = _split_why(item.explanation, ctx.language)
            if item.label.lower() in law_labels:
                if regs and not any(_mentions(item.explanation, r) for r in regs):
                    bad.append(f"'{item.label}' names no regulation of the brief ({', '.join(regs)}): \"{_quote(item.explanation)}\"")
                elif not regs and not _names_law(item.explanation):
                    bad.append(f"'{item.label}' names no law or regulation: \"{_quote(item.explanation)}\"")
                continue
            if item.kind and not about.relates(item.kind, item.label + " " + item.explanation):
                bad.append(f"'{item.label}' is not a {item.kind.lower()} item: \"{_quote(item.explanation)}\"")
                continue
            if definition and not about.relates(item.label, definition):
                bad.append(f"'{item.label}' is explained by something else: \"{_quote(definition)}\"")
            elif why is not None and not (about.relates(item.label, why) or term_hits(why, about.terms, ctx.language, first=True)):
                bad.append(f"'{item.label}' — why it matters is about something else: \"{_quote(why)}\"")
            elif not definition and why is None:
                bad.append(f"'{item.label}' has no explanation")
    if bad:
        more = f" (+{len(bad) - 5} more)" if len(bad) > 5 else ""
        return False, "labelled items that explain something else: " + "; ".join(bad[:5]) + more
    return True, f"{count} labelled items explain their labels"


# --------------------------------------------------------------------------- 4. steps_are_steps


def _first_words(text: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’\-@]*", text)]
    connectors = _lowered("step_connectors")
    while words and words[0] in connectors:
        words.pop(0)
    return words


def _is_verb(word: str) -> bool:
    verbs = _lowered("action_verbs")
    if word in verbs:
        return True
    for prefix in ("re-", "pre-", "de-", "co-", "re", "pre"):
        if word.startswith(prefix) and word[len(prefix) :] in verbs and len(word) - len(prefix) >= 3:
            return True
    return False


_NOUNISH = ("ing", "ed", "tion", "sion", "ity", "ness", "ment", "ance", "ence", "ics", "ism", "ous", "ive", "s")
_DETERMINERS = {"the", "a", "an", "each", "every", "all", "our", "your", "its", "their", "both", "two", "three", "four", "five", "at", "only"}


def _en_action(text: str, depth: int = 0) -> bool:
    text = re.sub(r"^\s*step\s*\d+\s*[:.)-]\s*", "", text, flags=re.IGNORECASE).strip()
    lowered = re.sub(r"^(?:(?:first|then|next|finally|afterwards|lastly),?\s+)+", "", text.lower())
    for start in _words("non_action_starts", "en"):
        if re.match(re.escape(start) + r"(?![A-Za-z])", lowered):
            return False
    words = _first_words(text)
    if not words:
        return False
    if _is_verb(words[0]):
        return True
    if depth == 0 and ":" in text[:80]:
        label, rest = text.split(":", 1)
        return _en_action(label, 1) or _en_action(rest, 1)
    first = words[0]
    nounish = first.endswith(_NOUNISH) or first in _lowered("non_action_starts", "en")
    follows = words[1] if len(words) > 1 else ""
    return not nounish and (follows in _DETERMINERS or bool(re.match(r"\s*\S+\s+\d", text)))


def _ko_action(text: str) -> bool:
    text = re.sub(r"[\s.!。…]+$", "", text).strip()
    if not text:
        return False
    if any(text.startswith(w) for w in _words("non_action_starts", "ko")):
        return False
    last = text.split()[-1]
    for ending in ("합니다", "한다", "하다", "해요", "하세요", "하십시오"):
        if last.endswith(ending):
            stem = last[: -len(ending)]
            if any(stem.endswith(a) for a in _words("ko_adjectival_stems")) and stem:
                return False
    if any(text.endswith(e) for e in _words("ko_descriptive_endings")):
        return False
    if any(text.endswith(e) for e in _words("ko_action_endings")):
        return True
    if re.search(r"(?:함|하기|할 것|것)$", text):
        return True
    return any(_strip_particle(last).endswith(n) for n in _words("ko_action_nouns"))


def _has_steps(section: Any) -> bool:
    """Whether a spec section is written as numbered steps (itself, or one of its blocks)."""
    if getattr(section, "form", None) in STEP_FORMS:
        return True
    return any(getattr(b, "form", None) in STEP_FORMS for b in getattr(section, "blocks", None) or [] if not isinstance(b, str))


def _is_action(item: str) -> bool:
    return _ko_action(item) if has_hangul(item) else _en_action(item)


@dataclass
class _Group:
    name: str
    keywords: list[str]


def _order_groups(order: Any, language: str) -> list[_Group]:
    if isinstance(order, str):
        named = lexicon()["step_orders"].get(order)
        if named is None:
            raise ValueError(f"unknown step order {order!r}; known: {', '.join(lexicon()['step_orders'])}")
        return [_Group(g["name"][language], list(g.get(language, []))) for g in named]
    if isinstance(order, dict):
        order = order.get(language) or []
    groups = []
    for group in order:
        if isinstance(group, dict):
            name = group.get("name")
            name = name.get(language) if isinstance(name, dict) else name
            keywords = [str(k) for k in group.get(language) or group.get("keywords") or []]
            groups.append(_Group(str(name or (keywords[0] if keywords else "?")), keywords))
        else:
            groups.append(_Group(str(group[0]), [str(k) for k in group]))
    return groups


def _group_matches(text: str, group: _Group, models: list[str]) -> bool:
    for keyword in group.keywords:
        if keyword == "<model>":
            if any(_mentions(text, m) for m in models):
                return True
        elif has_hangul(keyword):
            if _term_pattern(keyword).search(text):
                return True
        elif re.search(r"(?<![A-Za-z])" + re.escape(keyword), text, flags=re.IGNORECASE):
            return True
    return False


def _assign(matches: list[set[int]]) -> tuple[list[int | None], set[int]]:
    """A non-decreasing group per step maximising (steps placed, groups covered); None where a step cannot be placed."""
    best: dict[int, tuple[int, int, list[int | None]]] = {-1: (0, 0, [])}
    for groups in matches:
        nxt: dict[int, tuple[int, int, list[int | None]]] = {}
        for last, (placed, covered, path) in best.items():
            options = [(last, (placed, covered, [*path, None]))]
            options += [(g, (placed + 1, covered + (g != last), [*path, g])) for g in groups if g >= last]
            for state, value in options:
                if state not in nxt or value[:2] > nxt[state][:2]:
                    nxt[state] = value
        best = nxt
    placed, covered, path = max(best.values(), key=lambda v: v[:2])
    return path, {g for g in path if g is not None}


@check("steps_are_steps")
def steps_are_steps(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Numbered steps are actions, in order.

    In scope: `params['sections']`, else the spec's sections whose form is numbered steps.
    Each numbered item starts with an imperative (English) or ends with an action
    predicate (Korean: '수집합니다', '선정한다', '검증함'), not with a risk, a caution or a
    metric. With `order` (a named order of the lexicon such as `fine_tuning`, or keyword
    groups), the steps follow the groups' order and cover at least `min_groups` of them
    (all by default).
    """
    if not ctx.brief:
        return True, NO_BRIEF
    defaults = [s.id for s in ctx.spec.sections if _has_steps(s)]
    scoped = _scoped_sections(doc, params, ctx, default_ids=defaults)
    if not scoped:
        return True, "no sections with numbered steps"
    groups = _order_groups(params["order"], ctx.language) if params.get("order") else []
    min_groups = int(params.get("min_groups", len(groups)))
    models = [m["name"] for m in ctx.catalog] + [str(v) for v in (ctx.decisions.get("recommended_model"), ctx.decisions.get("runner_up")) if v]
    problems: list[str] = []
    total = 0
    for section in scoped:
        if section.text is None:
            continue
        items = [_plain(i) for i in md.list_items(section.text, ordered_only=True)]
        if not items:
            problems.append(f"{section.title}: no numbered steps")
            continue
        total += len(items)
        not_actions = [f"{n} \"{_quote(i)[:70]}\"" for n, i in enumerate(items, 1) if not _is_action(i)]
        notes = []
        if not_actions:
            notes.append("not actions: " + "; ".join(not_actions))
        if groups:
            matches = [{g for g, group in enumerate(groups) if _group_matches(item, group, models)} for item in items]
            path, covered = _assign(matches)
            late = [f"{n} \"{_quote(items[n - 1])[:60]}\" ({'/'.join(groups[g].name for g in sorted(matches[n - 1]))})"
                    for n, g in enumerate(path, 1) if g is None and matches[n - 1]]
            if late:
                notes.append("out of order: " + "; ".join(late) + " (expected order: " + " → ".join(g.name for g in groups) + ")")
            if len(covered) < min_groups:
                notes.append("missing steps: " + ", ".join(g.name for i, g in enumerate(groups) if i not in covered))
        if notes:
            problems.append(f"{section.title}: " + "; ".join(notes))
    if problems:
        return False, " | ".join(problems)
    return True, f"{total} numbered steps, all actions" + (" in order" if groups else "")


# --------------------------------------------------------------------------- 5. no_foreign_words

_FOREIGN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9@'’./+_\-]*")


def _allowed_names(ctx: CheckContext) -> list[str]:
    names = set(_words("glossary"))
    for m in ctx.catalog:
        names.update(str(m[k]) for k in ("name", "provider", "id") if m.get(k))
    organisation = _get(ctx.brief, "organisation", "value")
    sources = [str(organisation or ""), *regulations(ctx.brief)]
    sources += [str(h.get("accelerator") or "") for h in _get(ctx.brief, "constraints", "hardware") or []]
    # The client's own terms (who uses it, what goes in and out) are kept as the client wrote them, like names:
    # an English use case planned in Korean names its users and inputs in English.
    for key in ("users", "stakeholders", "inputs", "outputs"):
        sources += [str(t.get("value") or "") for t in ctx.brief.get(key) or []]
    sources += [str(v.get("what") or "") for v in ctx.brief.get("volumes") or []] + [str(b.get("metric") or "") for b in ctx.brief.get("baselines") or []]
    sources.append(str(ctx.brief.get("domain") or ""))
    for text in sources:
        names.update(LATIN_WORD_RE.findall(text))
    return sorted((n for n in names if n), key=len, reverse=True)


def _token_allowed(token: str, allowed: frozenset[str], units: frozenset[str]) -> bool:
    lowered = token.lower()
    if lowered in allowed or token in units or lowered in units:
        return True
    if re.search(r"\d", token) or sum(ch.isupper() for ch in token) >= 2:
        return True
    parts = [p for p in re.split(r"[\-/.]", token) if p]
    return len(parts) > 1 and all(_token_allowed(p, allowed, units) for p in parts)


def _strip_non_prose(text: str) -> str:
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"https?://\S+|www\.\S+", " ", text)
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)|（[^（）]*）", " ", text)
    return text


@check("no_foreign_words")
def no_foreign_words(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """A Korean document keeps no untranslated English words.

    Latin-script words outside parentheses, code, citations and URLs are flagged unless
    they are catalog model or provider names, names from the brief (organisation,
    regulations, hardware), acronyms or mixed-case names (LoRA, vLLM), words with digits
    (p95, A100), units, or entries of the lexicon's glossary (Kubernetes, RAGAS ...).
    """
    if not ctx.brief:
        return True, NO_BRIEF
    if ctx.language != "ko":
        return True, "not a Korean document: nothing to check"
    names = _allowed_names(ctx)
    allowed = frozenset(n.lower() for n in names) | frozenset(w.lower() for w in params.get("allow", []))
    units = frozenset(_words("units"))
    multiword = [n for n in names if " " in n]
    flagged: dict[str, str] = {}
    lines, in_fence = [], False
    for line in [doc.title] + [ln for s in doc.sections if not _is_sources(s.title, ctx) for ln in [s.title, *s.lines]]:
        if line.strip().startswith("```"):
            in_fence = not in_fence
        elif not in_fence:
            lines.append(line)
    for line in lines:
        prose = line
        for name in multiword:
            prose = re.sub(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", " ", prose, flags=re.IGNORECASE)
        prose = _strip_non_prose(prose)
        for m in _FOREIGN_TOKEN_RE.finditer(prose):
            token = m.group().rstrip(".'’/-")
            if token and not _token_allowed(token, allowed, units) and token.lower() not in flagged:
                context = prose[max(0, m.start() - 20) : m.end() + 20].strip()
                flagged[token.lower()] = f"'{token}' in \"…{_quote(context)}…\""
    if flagged:
        more = f" (+{len(flagged) - 8} more)" if len(flagged) > 8 else ""
        return False, "English words in Korean text (translate them, or keep names only): " + "; ".join(list(flagged.values())[:8]) + more
    return True, "no untranslated English words"
