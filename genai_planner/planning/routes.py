"""Hosting routes: one catalog model reached through its vendor's API, a cloud's private endpoint or own GPUs.

A model is not one risk: GPT-4o through OpenAI's public API and through an Azure private
endpoint keep data under different terms. So the gates run per model x route: each route
(`data/routes.yaml`) carries its facts with sources (training on customer data, retention and a
zero-retention option, private networking, processing regions, certifications), and the terms a
brief sets (`HostingTerms`: read from the prose here, or from `constraints.hosting`) must all be
met by one route for the model to pass. An unverified fact never meets a hard term.

`compute.py` asks `gate_routes` which API-priced route and whether the self-hosted route pass,
prices the model on the cheaper allowed one, and records the chosen route for document 2.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.core.languages import territory_name
from genai_planner.core.yamlio import load_yaml
from genai_planner.planning.brief import Evidence, HostingTerms, ResidencyFact, SensitivityFact, from_scenario, inferred, stated
from genai_planner.planning.model_facts import catalog_text
from genai_planner.planning.prose import Prose
from genai_planner.tools.catalog import active_user_catalog

DATA_DIR = Path(__file__).parent / "data"
TERMS = ("no_training", "no_retention", "private_endpoint", "data_stays_in", "no_provider_from")
WORDED_TERMS = (*TERMS, "via")  # `via` is read by `_read_routes`, not by the single-pattern cues
SELF_HOSTING = ("self-hosted", "on-premises")


@cache
def _shipped() -> dict[str, Any]:
    return load_yaml(DATA_DIR / "routes.yaml")


def route_data() -> dict[str, Any]:
    """The shipped route table with the user catalog's `routes:` entries laid over it (`--catalog`)."""
    user = active_user_catalog()
    overrides = user.routes if user is not None else {}
    if not overrides:
        return _shipped()
    data = dict(_shipped())
    for section in ("vendor_api", "clouds", "provider_countries"):
        data[section] = {**data[section], **(overrides.get(section) or {})}
    return data


@dataclass
class Route:
    """One way to reach a model, with its facts (the `routes.yaml` entry)."""

    key: str
    kind: str  # vendor_api | cloud_private | self_hosted
    name: str
    facts: dict[str, Any]
    failures: list[tuple[str, str]] = field(default_factory=list)


def said(value: Any, language: str = "en") -> str:
    """A route fact's words in `language`: `{en: ..., ko: ...}` or one string for both (a user catalog's)."""
    if isinstance(value, dict):
        return str(value.get(language) or value.get("en") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def routes_for(model: dict[str, Any], language: str = "en") -> list[Route]:
    """Every route the catalog lists for `model` (`hosting`), in the order a plan prefers them; names in `language`."""
    data = route_data()
    hosting = list(model.get("hosting") or [])
    provider = str(model.get("provider", ""))
    out: list[Route] = []
    if "api" in hosting:
        facts = data["vendor_api"].get(provider) or data["vendor_api"]["default"]
        out.append(Route("api", "vendor_api", said(facts["name"], language).format(provider=provider), facts))
    for key, facts in data["clouds"].items():
        if key in hosting:
            name = (facts.get("name_for") or {}).get(provider) or facts["name"]
            out.append(Route(key, "cloud_private", said(name, language), facts))
    if model.get("open_weights") and any(h in hosting for h in SELF_HOSTING):
        out.append(Route("self_hosted", "self_hosted", said(data["self_hosted"]["name"], language), data["self_hosted"]))
    return out


def _covers(regions: Sequence[str] | None, place: str) -> bool:
    if not regions:
        return False
    place = str(route_data()["aliases"].get(place, place))
    if "any" in regions or place in regions:
        return True
    return False


def route_failures(route: Route, model: dict[str, Any], terms: HostingTerms) -> list[tuple[str, str]]:
    """(term, 'unverified' | 'fails' | place codes) for each term the route does not meet."""
    facts, out = route.facts, []
    if terms.no_training:
        default = (facts.get("training") or {}).get("default")
        if default is None:
            out.append(("no_training", "unverified"))
        elif default and not (facts.get("training") or {}).get("opt_out"):
            out.append(("no_training", "fails"))
    if terms.no_retention:
        zero = (facts.get("retention") or {}).get("zero")
        if zero is None:
            out.append(("no_retention", "unverified"))
        elif not zero:
            out.append(("no_retention", "fails"))
    if terms.private_endpoint:
        available = (facts.get("private_network") or {}).get("available")
        if not available:
            out.append(("private_endpoint", "unverified" if available is None else "fails"))
    if terms.data_stays_in:
        regions = (facts.get("regions") or {}).get("values")
        missing = [p for p in terms.data_stays_in if not _covers(regions, p)]
        if missing:
            out.append(("data_stays_in", ", ".join(missing)))
    if terms.via and route.kind != "self_hosted" and route.key not in terms.via:
        out.append(("via", "fails"))
    if terms.no_provider_from:
        countries = route_data()["provider_countries"]
        origin = {countries.get(str(model.get("provider", ""))), facts.get("operator_country")}
        banned = [p for p in terms.no_provider_from if p in origin]
        if banned:
            out.append(("no_provider_from", ", ".join(banned)))
    return out


def gate_routes(model: dict[str, Any], terms: HostingTerms, language: str = "en") -> tuple[Route | None, Route | None, list[Route]]:
    """(the first API-priced route that meets every term, the self-hosted route if it does, every route with its failures)."""
    routes = routes_for(model, language)
    for route in routes:
        route.failures = route_failures(route, model, terms)
    api = next((r for r in routes if r.kind != "self_hosted" and not r.failures), None)
    own = next((r for r in routes if r.kind == "self_hosted" and not r.failures), None)
    return api, own, routes


# ----------------------------------------------------------------------------- wording


THE_NAMES = {"United", "Netherlands", "Philippines", "Czech", "Dominican", "Bahamas", "Maldives", "Gambia"}
"""Country names English writes with 'the' ('the United Arab Emirates', 'the Netherlands')."""


def place_name(code: str, language: str) -> str:
    """A region code in words: the route table's name, else the territory's own name ('AE' -> 'the United Arab Emirates'), never the bare code."""
    names = route_data()["place_names"]["ko" if language == "ko" else "en"]
    if code in names:
        return str(names[code])
    name = territory_name(code, language)
    if not name or name.lower().startswith("unknown"):
        return code
    return "the " + name if language != "ko" and name.split()[0] in THE_NAMES else name


def _places(codes: str | Sequence[str]) -> str:
    return codes if isinstance(codes, str) else ", ".join(codes)


def terms_text(terms: HostingTerms, language: str) -> str:
    """The brief's hosting terms in words ('no training on the organisation's data; a private endpoint only')."""
    names = catalog_text(language)["term_names"]
    parts = []
    for term in WORDED_TERMS:
        value = getattr(terms, term)
        if value:
            if term == "via":
                value = [said(route_data()["clouds"][k]["name"], language) if k in route_data()["clouds"] else k for k in value]
            elif isinstance(value, list):
                value = [place_name(code, language) for code in value]
            parts.append(str(names[term]).format(places=_places(value) if isinstance(value, list) else ""))
    return "; ".join(parts)


def gate_reason(routes: list[Route], terms: HostingTerms, language: str) -> str:
    """Why no route of a model meets the terms, route by route."""
    words = catalog_text(language)
    details = []
    for route in routes:
        term, why = route.failures[0]
        why_words = words["why"].get(why, why)
        places = why
        if term in ("data_stays_in", "no_provider_from"):
            places = ", ".join(place_name(code.strip(), language) for code in why.split(","))
        details.append(str(words["failed"][term]).format(route=route.name, why=why_words, places=places))
    return str(words["gate_terms"]).format(terms=terms_text(terms, language), routes="; ".join(details) or "-")


def route_facts_text(route: Route, language: str) -> str:
    """The route's terms with their sources, for document 2 ('not trained on customer data by default [url]; ...')."""
    words = catalog_text(language)
    fact = words["fact"]
    facts = route.facts
    if route.kind == "self_hosted":
        return str(fact["self"])
    parts = []
    training = facts.get("training") or {}
    default = training.get("default")
    key = "unknown" if default is None else ("may" if default else "never")
    parts.append(str(fact["training"][key]).format(source=training.get("source") or words["unverified"]))
    retention = facts.get("retention") or {}
    if retention.get("default") or retention.get("zero"):
        zero = fact["zero"] if retention.get("zero") else ""
        default_words = said(retention.get("default"), language) or words["unverified"]
        parts.append(str(fact["retention"]).format(default=default_words, zero=zero, source=retention.get("source") or "-"))
    else:
        parts.append(str(fact["retention_unknown"]))
    private = facts.get("private_network") or {}
    how = said(private.get("how"), language)
    parts.append(str(fact["private"]).format(how=how, source=private.get("source")) if private.get("available") else str(fact["private_unknown"]))
    regions = facts.get("regions") or {}
    if regions.get("values"):
        parts.append(str(fact["regions"]).format(regions=", ".join(regions["values"]), source=regions.get("source") or "-"))
    else:
        parts.append(str(fact["regions_unknown"]))
    certs = facts.get("certifications") or {}
    if certs.get("values"):
        names = route_data().get("certification_names", {}).get(language) or {}
        values = [str(names.get(v, v)) for v in certs["values"]]
        parts.append(str(fact["certifications"]).format(values=", ".join(values), source=certs.get("source") or "-"))
    if route.kind == "cloud_private":
        parts.append(str(fact["cloud_price"]))  # the catalog holds the vendor's list price only
    return "; ".join(parts)


def route_line(model_name: str, route: Route, language: str) -> str:
    """One sentence for document 2: the route the plan uses and its terms, cited, with the date."""
    words = catalog_text(language)
    as_of = route.facts.get("as_of") or route_data()["as_of"]
    return str(words["route_line"]).format(model=model_name, route=route.name, facts=route_facts_text(route, language), as_of=as_of)


# ----------------------------------------------------------------------------- reading the brief


def _place_code(word: str) -> str | None:
    word = word.strip().lower()
    for code, names in route_data()["places"].items():
        if word in names:
            return str(code)
    return None


def _home(p: Prose) -> str | None:
    """The organisation's own country for 'domestic-region cloud' / '국내 리전': Korean prose, else the money's currency, else the first country named."""
    data = route_data()
    if p.korean:
        return "KR"
    for amount in p.amounts:
        code = data["home_by_currency"].get(str(amount.currency).upper())
        if code:
            return str(code)
    for m in re.finditer(r"\b[a-z]{3}\b", p.low):
        code = data["home_by_currency"].get(m.group(0).upper())
        if code:
            return str(code)
    words = re.findall(r"[a-z가-힣]+", p.low)
    for i in range(len(words)):
        for n in (2, 1):
            code = _place_code(" ".join(words[i : i + n]))
            if code:
                return code
    return None


PROPER_PLACE_RE = regex_cache.compile(r"(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]{2,3})(?:\s+(?:[A-Z][a-zà-ÿ'’-]+|of|and))*")
"""A place named with capitals in the client's own text ('Aotearoa', 'Isle of Man'): a country the table lacks."""


def place_codes(words: str, p: Prose, original: str = "") -> list[str]:
    """Region codes for a place phrase ('eu/india', 'only domestic', 'uk south'): each part, or its last word; home words resolve to the home country.

    A capitalised place the table does not know ('must stay in Tuvalu') is kept under its own name:
    a residency rule that names a country is never dropped, and no listed cloud region covers it,
    so only a route the organisation runs in that country passes.
    """
    data = route_data()
    out: list[str] = []
    unknown = original.strip()
    if unknown and PROPER_PLACE_RE.fullmatch(unknown) and not any(_place_code(w) for w in re.split(r"\s*/\s*|\s*,\s*|\s+(?:and|or)\s+", words.strip())):
        if unknown.lower() not in data["home"]:
            return [unknown]
    for part in re.split(r"\s*/\s*|\s*,\s*|\s+(?:and|or)\s+", words.strip()):
        candidates = [part, " ".join(part.split()[1:]), part.split()[-1] if part.split() else ""]
        for candidate in candidates:
            code = _place_code(candidate) if candidate else None
            if code is None and candidate.strip() in data["home"]:
                code = _home(p)
            if code:
                out.append(code)
                break
    return out


def _sentence_has(p: Prose, pos: int, patterns: Sequence[str]) -> bool:
    start, end = p.sentence_at(pos)
    sentence = p.low[start:end]
    return any(re.search(pattern, sentence) for pattern in patterns)


def _read_routes(p: Prose, found: dict[str, Any]) -> list[int]:
    """Region rules ('EU-hosted cloud', 'not ... outside Japan', '국내 리전') and the named cloud route into `found`; the offsets that said so."""
    cues = route_data()["cues"]
    hits: list[int] = []

    def add(term: str, codes: list[str], at: int) -> None:
        if codes:
            found.setdefault(term, [])
            found[term] += [c for c in codes if c not in found[term]]
            hits.append(at)

    for pattern in cues["data_stays_in_region"]:
        for m in regex_cache.compile(pattern).finditer(p.low):
            if _sentence_has(p, m.start(), cues["limits"]):
                add("data_stays_in", place_codes(m.group("place"), p, p.text[m.start("place") : m.end("place")]), m.start())
    for pattern in cues["data_stays_in_cloud"]:
        for m in regex_cache.compile(pattern).finditer(p.low):
            if _sentence_has(p, m.start(), cues["cloud_words"]):
                add("data_stays_in", place_codes(m.group("place"), p), m.start())
    for pattern in cues["data_stays_in_outside"]:
        for m in regex_cache.compile(pattern).finditer(p.low):
            if _sentence_has(p, m.start(), cues["forbids"]):
                add("data_stays_in", place_codes(m.group("place"), p), m.start())
    for key, patterns in cues["via"].items():
        for pattern in patterns:
            for m in regex_cache.compile(pattern).finditer(p.low):
                if _sentence_has(p, m.start(), cues["via_limits"]):
                    add("via", [key], m.start())
    if found.get("via"):
        found["private_endpoint"] = True  # a named cloud route is its private endpoint, never the vendor's public API
    return hits


def read_hosting_terms(p: Prose, language: str) -> HostingTerms:
    """The hosting terms the prose states (`routes.yaml` cues), with the first one's sentence as evidence."""
    cues = route_data()["cues"]
    found: dict[str, Any] = {}
    hits = _read_routes(p, found)
    first: int | None = min(hits) if hits else None
    for term in TERMS:
        for pattern in cues[term]:
            for m in regex_cache.compile(pattern).finditer(p.low):
                if term in ("data_stays_in", "no_provider_from"):
                    written = p.text[m.start("place") : m.end("place")]
                    codes = place_codes(m.group("place"), p, written) if term == "data_stays_in" else [c for c in [_place_code(m.group("place"))] if c]
                    if not codes:
                        continue
                    found.setdefault(term, [])
                    found[term] += [c for c in codes if c not in found[term]]
                else:
                    found[term] = True
                first = m.start() if first is None else min(first, m.start())
    if not found:
        return HostingTerms()
    evidence = stated(p.sentence_quote(first)) if first is not None else None
    return HostingTerms(**found, evidence=evidence)


def merge_terms(stated: HostingTerms, spec: dict[str, Any] | None) -> HostingTerms:
    """The prose's terms with the scenario's `constraints.hosting` added (a term set anywhere holds)."""
    if not spec:
        return stated
    merged = stated.model_dump()
    for term in ("no_training", "no_retention", "private_endpoint"):
        merged[term] = bool(merged[term] or spec.get(term))
    aliases = route_data()["aliases"]
    for term in ("data_stays_in", "no_provider_from"):
        merged[term] = list(dict.fromkeys([*merged[term], *[str(aliases.get(str(c).upper(), str(c).upper())) for c in spec.get(term) or []]]))
    merged["via"] = list(dict.fromkeys([*merged["via"], *[str(c).lower() for c in spec.get("via") or []]]))
    if merged.get("evidence") is None:
        merged["evidence"] = from_scenario("constraints.hosting").model_dump()
    return HostingTerms.model_validate(merged)


# ----------------------------------------------------------------------------- the reading: where, through which route


def settle_residency(residency: ResidencyFact, terms: HostingTerms, language: str) -> ResidencyFact:
    """The residency once the route terms are known: a rule about where or through which route is not a ban on cloud models.

    "Only through our Azure private endpoint in UK South", "a Japan-hosted API is acceptable",
    "nothing may leave the EU", "국내 리전 클라우드만": each allows cloud models through the routes
    that meet the terms (`gate_routes` then filters every catalog model by them), so a residency
    that was only inferred from such a condition, or left unspecified, becomes `cloud_ok` with the
    terms as its reason. A stated or written on-premises or private-cloud rule stays (the YAML wins;
    `api_through_named_route` lets a private cloud use the cloud it names).
    """
    route_rule = bool(terms.data_stays_in or terms.via)
    if not route_rule or residency.value not in ("unspecified", "private_cloud"):
        return residency
    if residency.value == "private_cloud" and residency.evidence.source != "inferred":
        return residency
    words = str(catalog_text(language)["cloud_through_routes"]).format(terms=terms_text(terms, language))
    quote = terms.evidence.quote if terms.evidence is not None and terms.evidence.source == "stated" else residency.evidence.quote
    return ResidencyFact(value="cloud_ok", evidence=Evidence(source="inferred", quote=quote, reason=words))


def guard_sensitive_data(terms: HostingTerms, sensitivity: SensitivityFact, language: str) -> HostingTerms:
    """Personal or confidential data adds 'no training on it' (inferred) where the use case set no such term.

    A route whose training terms are unverified (a provider that documents none, such as the
    DeepSeek API) is then no route for personal data, client files under NDA or patient records,
    while every route that documents no training by default still passes.
    """
    if terms.no_training or not (sensitivity.personal_data or sensitivity.value != "low"):
        return terms
    reason = str(catalog_text(language)["sensitive_no_training"])
    evidence = terms.evidence or inferred(reason)
    return terms.model_copy(update={"no_training": True, "evidence": evidence})


def api_through_named_route(residency: str, terms: HostingTerms) -> bool:
    """Whether a private-cloud rule still lets cloud models in: only through the cloud the organisation names (`via`)."""
    return residency == "private_cloud" and bool(terms.via)


@dataclass
class HostingReading:
    """The brief's hosting rule in three parts: where data may be processed, through which route, and retention."""

    where: str  # own_premises | own_private_cloud | provider_region | any | unspecified
    route: str  # self_hosted | private_endpoint | public_api | unspecified
    regions: list[str]
    via: list[str]
    retention_off: bool


def hosting_reading(residency: str, terms: HostingTerms) -> HostingReading:
    """Where (own premises, own private cloud, a named provider region, anywhere) and through which route the plan may send data."""
    named = bool(terms.via or terms.data_stays_in)
    if residency == "on_premises":
        where, route = "own_premises", "self_hosted"
    elif residency == "private_cloud" and not terms.via:
        where, route = "own_private_cloud", "self_hosted"
    elif named:
        where, route = "provider_region", "private_endpoint" if terms.via or terms.private_endpoint else "public_api"
    elif residency == "cloud_ok":
        where, route = "any", "private_endpoint" if terms.private_endpoint else "public_api"
    else:
        where, route = "unspecified", "unspecified"
    return HostingReading(where, route, list(terms.data_stays_in), list(terms.via), terms.no_retention)
