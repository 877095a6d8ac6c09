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

This module holds the first two; `label_checks`, `step_checks` and `foreign_words` the
others (imported at the end so they register). The checks are pure functions of the
document, the brief, the catalog and the spec; the words they know live in
`content_lexicon.yaml`, read by `content_lexicon.py`. With no brief
(an older caller) each check passes and says there was nothing to compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.core.languages import name as language_name
from genai_planner.documents import amounts, model_names
from genai_planner.documents import markdown as md
from genai_planner.documents.brief_terms import (
    _get,
    _is_sources,
    _prose,
    _scoped_sections,
    _title_to_id,
    brief_terms,
    holds_personal_data,
    residency,
    term_hits,
)
from genai_planner.documents.checks import CheckContext, check
from genai_planner.documents.content_lexicon import NO_BRIEF, _plain, _quote, _split_sentences, _term_pattern, _words, lexicon
from genai_planner.documents.negation import clause_around, excluding, has_any, negated
from genai_planner.planning.compute import category_of
from genai_planner.planning.discovery import thin

# --------------------------------------------------------------------------- 1. specific_to_use_case


def _figure_hit(text: str, ctx: CheckContext) -> bool:
    """Whether a section names something computed for this run: a model scored or costed, a metric, a cost or the budget in any currency."""
    figures = ctx.figures or {}
    names = {str(x.get("model")) for key in ("scores", "costs", "gates") for x in figures.get(key, []) if x.get("model")}
    catalog = [m for m in ctx.catalog if m.get("name") in names] or [{"name": n} for n in names]
    if catalog and model_names.mentions(text, catalog):
        return True
    if any(str(t.get("metric", "")).lower() in text.lower() for t in figures.get("targets", []) if t.get("metric")):
        return True
    weights = {w["category"]: float(w["weight"]) for w in figures.get("weights", [])}
    for row in md.table_rows(text)[1:]:  # a rubric row with the weight the figures computed for its category
        category = category_of(row[0], ctx.language) if row else None
        if category in weights and any(re.fullmatch(r"\s*\d+(?:\.\d+)?\s*%?\s*", c) and float(c.strip(" %")) == weights[category] for c in row[1:]):
            return True
    costs = [float(v) for c in figures.get("costs", []) for k in ("monthly_usd", "api_usd", "self_host_usd") if (v := c.get(k)) is not None]
    return any(amounts.matches(a, costs) for a in amounts.amounts(text))


NAME_DROP_UNITS = 3
"""A section of this many sentences or items that names the client only by its name, and gives no number of its own,
is a generic section with a name-drop."""


@check("specific_to_use_case")
def specific_to_use_case(doc: md.ParsedDocument, params: dict[str, Any], ctx: CheckContext) -> tuple[bool, str]:
    """Every section in scope refers to this use case: a term of the brief, or a figure computed for it.

    The organisation's name alone does not make a longer section specific: 'follow best practices
    at Cobalt Mutual' fits any client but for the name.
    """
    if not ctx.brief:
        return True, NO_BRIEF
    terms = brief_terms(ctx.brief, ctx.language)
    if not terms:
        return True, "the brief names nothing specific to look for"
    own_name = {t.lower() for t in brief_terms({"organisation": ctx.brief.get("organisation")}, ctx.language)} if ctx.brief.get("organisation") else set()
    others = [t for t in terms if t.lower() not in own_name]
    generic, dropped, checked = [], [], 0
    for scoped in _scoped_sections(doc, params, ctx):
        if scoped.text is None:
            continue
        checked += 1
        prose = _prose(scoped.text)
        if _figure_hit(prose, ctx) or term_hits(prose, others, ctx.language, first=True):
            continue
        if not term_hits(prose, terms, ctx.language, first=True):
            generic.append(scoped.title)
        elif not re.search(r"\d", prose) and max(len(md.list_items(prose)), len(_split_sentences(prose.replace("\n", " ")))) >= NAME_DROP_UNITS:
            dropped.append(scoped.title)
    if generic and thin(ctx.brief):
        return True, f"{len(generic)} of {checked} sections are general: the use case names little, and the plan lists the questions to settle first"
    if generic or dropped:
        examples = ", ".join(f"'{t}'" for t in [t for t in terms if len(t.split()) <= 3][:6])
        parts = (["sections that fit any client: " + ", ".join(generic)] if generic else [])
        parts += (["sections that fit any client but for its name: " + ", ".join(dropped)] if dropped else [])
        return False, "; ".join(parts) + f" (name this client's users, inputs, numbers or constraints, e.g. {examples})"
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


def _clause(sentence: str, start: int, end: int) -> str:
    return clause_around(sentence, start, end)


def _negated(text: str) -> bool:
    return negated(text)


def _has_any(text: str, words: list[str]) -> bool:
    return has_any(text, words)


def _excluded(unit: _Unit) -> bool:
    return excluding(unit.line, unit.title, unit.sid)


def _patterns(key: str) -> list[re.Pattern[str]]:
    return [regex_cache.compile(p, re.IGNORECASE) for p in _words(key, "en") + _words(key, "ko")]


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


def _service_pattern(name: str) -> re.Pattern[str]:
    return regex_cache.compile(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", re.IGNORECASE)


def data_leaving(sentence: str) -> str | None:
    """How a sentence sends data out of the organisation, or None.

    Read from what a clause does: a region abroad ('us-east-1', 'a US data centre', '해외'), or an
    action that moves or places data (send, upload, stream, log, index, host, rent ...) together
    with a service outside the organisation (Datadog, Pinecone, OpenAI, Lambda Labs ...). A negated
    clause does not count; nor, without a region, one that keeps the data in the organisation's own
    tenancy ('our own Azure tenancy').
    """
    actions = _words("egress_actions", "en") + _words("egress_actions", "ko")
    for pattern in _patterns("egress_regions"):
        for m in pattern.finditer(sentence):
            if not _negated(_clause(sentence, m.start(), m.end())):
                return f"places data abroad ('{m.group(0)}')"
    services = [_service_pattern(name) for name in _words("external_services")] + _patterns("external_service_forms")
    for pattern in services:
        for m in pattern.finditer(sentence):
            clause = _clause(sentence, m.start(), m.end())
            if _negated(clause) or _has_any(clause, _words("egress_own_words", "en") + _words("egress_own_words", "ko")):
                continue
            if _has_any(clause, actions) or any(w in actions for word in re.findall(r"[A-Za-z]+", clause) for w in _lemmas(word.lower())):
                return f"sends data to an outside service ({m.group(0).strip()})"
    return None


# The cloud routes a brief may name (planning/routes.py `via`) and the words that say a sentence uses one.
_VIA_WORDS = {"azure": r"\bazure\b", "aws-bedrock": r"\bbedrock\b|\baws\b", "gcp-vertex": r"\bvertex\b|\bgoogle\s+cloud\b"}


def _lemmas(word: str) -> list[str]:
    """The base forms an English verb form may have ('copied' -> 'copy', 'shipped' -> 'ship', 'shares' -> 'share'):
    the actions are listed once, as verbs, and read in any tense.
    """
    out = [word]
    if word.endswith("ied"):
        out.append(word[:-3] + "y")
    for end in ("ing", "ed", "es", "s", "d"):
        if word.endswith(end) and len(word) > len(end) + 2:
            stem = word[: -len(end)]
            out += [stem, stem + "e"] + ([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])
    return out


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
        # A private cloud that names its cloud's endpoint ("only through our own Azure tenancy") lets
        # that cloud's models in (planning/routes.py `via`): they are neither an offence nor a cloud send.
        via = set(_get(ctx.brief, "constraints", "hosting_terms", "via") or []) if where == "private_cloud" else set()
        cloud, tuning = ([] if via else _patterns("cloud_send")), _patterns("finetune_service")
        models = _api_only_models([m for m in ctx.catalog if not via & set(m.get("hosting", []))])
        for unit in units:
            for pattern, what in ((tuning, "uses a provider's fine-tuning service"), (cloud, "sends data to a cloud or managed API")):
                hits = [m for p in pattern for m in p.finditer(unit.sentence)]
                if any(not _negated(_clause(unit.sentence, m.start(), m.end())) for m in hits) and not _excluded(unit):
                    offences.append(f"{what} although {stay}: \"{_quote(unit.sentence)}\"")
                    break
            if _excluded(unit):
                continue
            leaving = data_leaving(unit.sentence)
            if leaving and not (via and any(re.search(_VIA_WORDS.get(v, v), unit.sentence, re.IGNORECASE) for v in via)):
                offences.append(f"{leaving} although {stay}: \"{unit.sentence.strip()}\"")
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
        for code in languages.get("value") or []:
            if code == ctx.language:
                continue  # the document is written in it: a plan in Korean for Korean users serves Korean unless it says otherwise
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


# The other content checks register themselves on import; `lexicon`, `brief_terms` and `term_hits` stay importable from here.
from genai_planner.documents import foreign_words, label_checks, step_checks  # noqa: E402,F401

__all__ = ["brief_terms", "lexicon", "term_hits"]
