"""The extractor's word lists and tables, loaded once from `genai_planner/planning/data/*.yaml`."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from genai_planner.core.yamlio import load_yaml

DATA_DIR = Path(__file__).parent / "data"


@cache
def lexicon(name: str) -> dict[str, Any]:
    """The parsed `data/<name>.yaml` (cached; treat as read-only)."""
    return load_yaml(DATA_DIR / f"{name}.yaml")


@lru_cache(maxsize=4096)
def rx(pattern: str) -> re.Pattern[str]:
    """A compiled regex (cached), for patterns that come from the data files."""
    return re.compile(pattern)


def any_match(patterns: list[str], text: str) -> re.Match[str] | None:
    """The first match of any of `patterns` in `text` (lower-cased text expected), or None."""
    for pattern in patterns:
        m = rx(pattern).search(text)
        if m:
            return m
    return None
