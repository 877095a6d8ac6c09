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

from genai_planner.core.yamlio import load_yaml
from genai_planner.planning.brief import HostingTerms, from_scenario, stated
from genai_planner.planning.model_facts import catalog_text
from genai_planner.planning.prose import Prose
from genai_planner.tools.catalog import active_user_catalog

DATA_DIR = Path(__file__).parent / "data"
TERMS = ("no_training", "no_retention", "private_endpoint", "data_stays_in", "no_provider_from")
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


def _places(codes: str | Sequence[str]) -> str:
    return codes if isinstance(codes, str) else ", ".join(codes)


def terms_text(terms: HostingTerms, language: str) -> str:
    """The brief's hosting terms in words ('no training on the organisation's data; a private endpoint only')."""
    names = catalog_text(language)["term_names"]
    parts = []
    for term in TERMS:
        value = getattr(terms, term)
        if value:
            parts.append(str(names[term]).format(places=_places(value) if isinstance(value, list) else ""))
    return "; ".join(parts)


def gate_reason(routes: list[Route], terms: HostingTerms, language: str) -> str:
    """Why no route of a model meets the terms, route by route."""
    words = catalog_text(language)
    details = []
    for route in routes:
        term, why = route.failures[0]
        why_words = words["why"].get(why, why)
        details.append(str(words["failed"][term]).format(route=route.name, why=why_words, places=why))
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
        parts.append(str(fact["certifications"]).format(values=", ".join(certs["values"]), source=certs.get("source") or "-"))
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


def read_hosting_terms(p: Prose, language: str) -> HostingTerms:
    """The hosting terms the prose states (`routes.yaml` cues), with the first one's sentence as evidence."""
    cues = route_data()["cues"]
    found: dict[str, Any] = {}
    first: int | None = None
    for term in TERMS:
        for pattern in cues[term]:
            for m in re.finditer(pattern, p.low):
                if term in ("data_stays_in", "no_provider_from"):
                    code = _place_code(m.group("place"))
                    if code is None:
                        continue
                    found.setdefault(term, [])
                    if code not in found[term]:
                        found[term].append(code)
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
    for term in ("data_stays_in", "no_provider_from"):
        merged[term] = list(dict.fromkeys([*merged[term], *[str(c).upper() for c in spec.get(term) or []]]))
    if merged.get("evidence") is None:
        merged["evidence"] = from_scenario("constraints.hosting").model_dump()
    return HostingTerms.model_validate(merged)
