"""What of the brief a document can name (`brief_terms`), and the sections a content check reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from genai_planner.documents import markdown as md
from genai_planner.documents.markdown import SOURCES_TITLE

if TYPE_CHECKING:  # the check modules import this one; it must not import them back
    from genai_planner.documents.checks import CheckContext
from genai_planner.documents.content_lexicon import (
    LATIN_WORD_RE,
    _format_number,
    _is_number_term,
    _lowered,
    _mentions,
    _number_hit,
    _strip_particle,
    _syllables,
    _words,
    has_hangul,
    lexicon,
)

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
