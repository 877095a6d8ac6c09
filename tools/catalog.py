"""`model_catalog`: look up and filter real foundation models: the shipped data file, with the user's own catalog over it.

`load_catalog()` is what every run reads: `data/model_catalog.yaml` plus the file named by
`--catalog` (`use_catalog_file`) or GENAI_PLANNER_CATALOG (`tools/user_catalog.py`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool, tool

from genai_planner.core.languages import missing as missing_languages
from genai_planner.core.yamlio import load_yaml
from genai_planner.tools.base import ToolContext, ToolHit, tool_result
from genai_planner.tools.user_catalog import UserCatalog, load_user_catalog, merge_models

CATALOG_PATH = Path(__file__).parent / "data" / "model_catalog.yaml"


CATALOG_ENV = "GENAI_PLANNER_CATALOG"
_chosen: dict[str, Path | None] = {}


@lru_cache(maxsize=1)
def shipped_catalog() -> tuple[dict[str, Any], ...]:
    """Every model of the shipped catalog, each with the catalog's date and source."""
    data = load_yaml(CATALOG_PATH)
    return tuple({**m, "as_of": str(m.get("as_of") or data["as_of"]), "catalog_source": "genai-planner model catalog"} for m in data["models"])


def use_catalog_file(path: Path | None) -> UserCatalog | None:
    """Lay a user catalog over the shipped one for this process (`--catalog`); None goes back to GENAI_PLANNER_CATALOG or none.

    Validates the file now, so a bad entry stops the run before it starts (InputError, one line per entry).
    """
    _chosen["path"] = path
    active_user_catalog.cache_clear()
    load_catalog.cache_clear()
    return active_user_catalog()


@lru_cache(maxsize=1)
def active_user_catalog() -> UserCatalog | None:
    """The user catalog in force: `--catalog` (use_catalog_file), else GENAI_PLANNER_CATALOG, else None."""
    path = _chosen.get("path") or (Path(os.environ[CATALOG_ENV]) if os.environ.get(CATALOG_ENV) else None)
    return load_user_catalog(path, shipped_catalog()) if path is not None else None


@lru_cache(maxsize=1)
def load_catalog() -> tuple[dict[str, Any], ...]:
    """Every model a run uses: the shipped catalog with the user's catalog laid over it (cached)."""
    user = active_user_catalog()
    return merge_models(shipped_catalog(), user) if user is not None else shipped_catalog()


def filter_models(
    models: tuple[dict[str, Any], ...] | list[dict[str, Any]],
    *,
    on_premises: bool = False,
    languages: list[str] | None = None,
    open_weights: bool | None = None,
    max_input_price: float | None = None,
    min_context: int | None = None,
) -> list[dict[str, Any]]:
    """Models that satisfy every filter given."""
    out = []
    for m in models:
        if on_premises and "on-premises" not in m.get("hosting", []):
            continue
        if languages and missing_languages(m, languages):
            continue
        if open_weights is not None and bool(m.get("open_weights")) != open_weights:
            continue
        price = m.get("price_input_per_mtok")
        if max_input_price is not None and price is not None and price > max_input_price:
            continue
        if min_context is not None and (m.get("context_window") or 0) < min_context:
            continue
        out.append(m)
    return out


def _claimed(model: dict[str, Any]) -> str:
    """The languages a model card only claims, so a reader does not take them for official support."""
    claimed = ", ".join(model.get("languages_claimed") or [])
    text = f" (claimed, not official: {claimed})" if claimed else ""
    if model.get("languages_claim"):
        text += f" (the card claims {model['languages_claim']})"
    return text


def describe(model: dict[str, Any]) -> str:
    """A compact, factual description of one catalog entry."""
    price = (
        f"${model['price_input_per_mtok']}/${model['price_output_per_mtok']} per 1M input/output tokens"
        if model.get("price_input_per_mtok") is not None
        else f"self-hosted ({model.get('self_host_gpu', 'GPU size varies')})"
    )
    params = f"{model['parameters_b']}B parameters" if model.get("parameters_b") else "size undisclosed"
    return (
        f"name: {model['name']}; provider: {model['provider']}; "
        f"open_weights: {str(bool(model.get('open_weights'))).lower()}; {params}; "
        f"context: {model.get('context_window')} tokens; licence: {model.get('licence')}; "
        f"languages: {', '.join(model.get('languages', []))}{_claimed(model)}; korean_quality: {model.get('korean_quality')}; "
        f"modalities: {', '.join(model.get('modalities', []))}; hosting: {', '.join(model.get('hosting', []))}; "
        f"price: {price} (as of {model.get('as_of', 'unknown')}); strengths: {model.get('strengths', '')}"
    )


def build_model_catalog(ctx: ToolContext) -> BaseTool:
    """Build the `model_catalog` tool; the run's hard constraints always apply."""
    hard = ctx.constraints

    @tool
    def model_catalog(
        query: str = "",
        open_weights: bool | None = None,
        language: str | None = None,
        max_input_price: float | None = None,
        limit: int = 8,
    ) -> str:
        """Look up real foundation models (provider, open weights, size, context window, licence,
        languages, hosting, price per million tokens, sources). The use case's hard constraints
        (on-premises, required languages) are always applied.

        Args:
            query: Words to match in the model name, provider or strengths (empty for all).
            open_weights: Only open-weight (true) or API-only (false) models.
            language: An ISO language code the model must support, e.g. "ko".
            max_input_price: Highest acceptable USD price per million input tokens.
            limit: How many models to return (1-20).
        """
        langs = list(hard.get("languages", []))
        if language:
            langs.append(language)
        models = filter_models(
            load_catalog(),
            on_premises=bool(hard.get("on_premises")),
            languages=langs or None,
            open_weights=open_weights,
            max_input_price=max_input_price,
        )
        words = [w for w in query.lower().split() if len(w) > 2]
        if words:
            matching = [m for m in models if any(w in describe(m).lower() for w in words)]
            models = matching or models
        hits = [
            ToolHit(
                title=f"Model catalog — {m['name']}",
                ref=f"catalog:{m['id']}",
                text=describe(m) + "; sources: " + ", ".join(m.get("sources", [])),
                kind="catalog",
            )
            for m in models[: max(1, min(int(limit), 20))]
        ]
        note = f"{len(models)} models meet the filters and hard constraints"
        return tool_result(hits, note=note)

    model_catalog.metadata = {"answers": []}  # only the questions the planner routes to it (document 2's candidates)
    return model_catalog
