"""What `genai-planner catalog` shows: the models, routes and rates a run would use, with sources and dates."""

from __future__ import annotations

from typing import Any

from genai_planner.core import languages
from genai_planner.planning.compute import load_data
from genai_planner.planning.routes import route_data, routes_for
from genai_planner.tools.catalog import active_user_catalog, load_catalog
from genai_planner.tools.user_catalog import EXAMPLE


def example_text() -> str:
    """A commented catalog file holding one new model, to copy and edit."""
    return EXAMPLE


def _languages(model: dict[str, Any]) -> str:
    official = ", ".join(model.get("languages") or [])
    claimed = ", ".join(model.get("languages_claimed") or [])
    text = official
    if claimed:
        text += f"; claimed: {claimed}"
    if model.get("languages_claim"):
        text += f"; claims {model['languages_claim']}"
    return text


def catalog_rows() -> dict[str, Any]:
    """Every model with its routes, prices, language tiers, sources and date; the route table's and the rates' dates."""
    models = []
    for m in load_catalog():
        models.append(
            {
                "id": m["id"],
                "name": m["name"],
                "provider": m.get("provider", ""),
                "routes": [r.name for r in routes_for(m)],
                "price_input_per_mtok": m.get("price_input_per_mtok"),
                "price_output_per_mtok": m.get("price_output_per_mtok"),
                "languages": _languages(m),
                "language_names": [languages.name(c) for c in m.get("languages") or []],
                "languages_source": m.get("languages_source"),
                "sources": list(m.get("sources") or []),
                "as_of": str(m.get("as_of") or ""),
                "catalog_source": str(m.get("catalog_source") or ""),
            }
        )
    fx = load_data("fx")
    user = active_user_catalog()
    rates = dict(fx["per_usd"])
    if user is not None:
        rates.update(user.fx)
    return {
        "models": models,
        "routes": {"source": "genai_planner/planning/data/routes.yaml" + (f" + {user.path}" if user and user.routes else ""), "as_of": route_data()["as_of"]},
        "fx": {
            "source": fx["source"]["name"] + (f" + {user.path}" if user and user.fx else ""),
            "url": fx["source"]["url"],
            "as_of": fx["as_of"],
            "per_usd": rates,
        },
        "user_catalog": user.path if user is not None else None,
    }
