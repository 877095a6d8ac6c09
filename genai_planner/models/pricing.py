"""Price table for cost estimates: USD per million input/output tokens.

Prices come from the model catalog (by id or name), can be overridden with
`GENAI_PLANNER_PRICES='{"my-model": [0.2, 0.6]}'`, and are zero for the offline engine.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[float, float]]:
    from genai_planner.tools.catalog import load_catalog

    table: dict[str, tuple[float, float]] = {"offline-engine-1": (0.0, 0.0)}
    for model in load_catalog():
        if model.get("price_input_per_mtok") is not None and model.get("price_output_per_mtok") is not None:
            price = (float(model["price_input_per_mtok"]), float(model["price_output_per_mtok"]))
            table[model["id"].lower()] = price
            table[model["name"].lower()] = price
    return table


def price_for(model: str) -> tuple[float, float] | None:
    """(input, output) USD per million tokens for `model`, or None when unknown."""
    overrides = os.environ.get("GENAI_PLANNER_PRICES")
    if overrides:
        try:
            custom = {k.lower(): tuple(v) for k, v in json.loads(overrides).items()}
            if model.lower() in custom:
                return custom[model.lower()]  # type: ignore[return-value]
        except (ValueError, TypeError):
            pass
    return _table().get(model.lower())
