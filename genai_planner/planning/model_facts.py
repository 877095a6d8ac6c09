"""What a catalog fact rests on: the language tier with its source, and the dates of prices.

Scores and gates say *that* a model covers a language or costs so much; these helpers add
*where that comes from* (the model card, the price page) and *as of when*, in the run's
language (`data/catalog_text.yaml`), so document 2, the report and the export can show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from genai_planner.core import languages
from genai_planner.core.yamlio import load_yaml
from genai_planner.planning.figures import Assumption, HostingRoute

DATA_DIR = Path(__file__).parent / "data"


@cache
def catalog_text(language: str) -> dict[str, Any]:
    """The catalog wording in `language` ('en' or 'ko')."""
    return load_yaml(DATA_DIR / "catalog_text.yaml")[language]


def language_tier_note(model: dict[str, Any], required: Sequence[str], language: str) -> str:
    """' (Norwegian: claimed by the model card, "over 140 languages"; <source>)' for languages outside the official list.

    Empty when every required language is officially supported: the plain reason says enough.
    """
    words = catalog_text(language)
    claimed = [code for code in required if languages.tier(model, code) == languages.CLAIMED]
    if not claimed:
        return ""
    names = ", ".join(languages.name(code, language) for code in claimed)
    source = model.get("languages_source") or words["unverified"]
    tier = words["tier"][languages.CLAIMED]
    if model.get("languages_claim") and not any(languages.tier({"languages_claimed": model.get("languages_claimed")}, c) for c in claimed):
        return str(words["language_claim"]).format(languages=names, tier=tier, claim=model["languages_claim"], source=source)
    return str(words["language_tier"]).format(languages=names, tier=tier, source=source)


def catalog_assumptions(routes: Sequence[HostingRoute], dated: str, language: str) -> list[Assumption]:
    """The dates and sources of prices and rates, and the top models' hosting routes, as assumptions (report, export)."""
    words = catalog_text(language)["assumptions"]
    out = [Assumption(name=words["prices"]["name"], value=words["prices"]["value"], reason=dated)]
    for route in routes:
        out.append(Assumption(name=str(words["route"]["name"]).format(model=route.model), value=route.route, reason=route.terms))
    return out


def sources_dated(catalog: Sequence[dict[str, Any]], language: str, top: dict[str, Any] | None = None) -> str:
    """'Prices and catalog facts: <catalog note>, as of 2025-06; FX: ECB, as of 2025-06' (plus a user catalog's date)."""
    words = catalog_text(language)
    fx = load_yaml(DATA_DIR / "fx.yaml")
    dates = sorted({str(m.get("as_of") or "") for m in catalog} - {""})
    as_of = ", ".join(dates) if dates else words["unverified"]
    shipped = str(words["shipped_catalog"])
    sources = sorted({str(m.get("catalog_source") or "").replace("genai-planner model catalog", shipped) for m in catalog} - {""}) or [shipped]
    line = str(words["prices"]).format(source=", ".join(sources), as_of=as_of, fx_source=fx["source"]["name"], fx_as_of=fx["as_of"])
    if top is not None and top.get("price_input_per_mtok") is not None:
        urls = [str(u) for u in top.get("sources") or []]
        url = next((u for u in urls if "pric" in u.lower()), urls[0] if urls else words["unverified"])
        prices = {"price_in": top["price_input_per_mtok"], "price_out": top["price_output_per_mtok"]}
        line += str(words["price_of"]).format(model=top["name"], url=url, as_of=top.get("as_of") or as_of, **prices)
    return line


_SHIPPED_RATES: dict[str, float] = {}


def apply_rate_overrides(rates: dict[str, float] | None) -> None:
    """Lay a user catalog's `fx:` rates over the one currency table (the budget gate and the extractor share it).

    The table is parsed once per process and shared; the shipped rates are kept aside, so
    activating another user catalog (or none) starts again from them.
    """
    from genai_planner.planning.compute import load_data
    from genai_planner.planning.lexicon import lexicon

    for table in {id(t): t for t in (load_data("fx")["per_usd"], lexicon("fx")["per_usd"])}.values():
        if not _SHIPPED_RATES:
            _SHIPPED_RATES.update(table)
        table.clear()
        table.update(_SHIPPED_RATES)
        table.update(rates or {})
