"""The busiest hour the client states, and the season's share on top of it: one computation for the plan and its check.

A use case can give its peak twice: as a count ('about 40 conversations an hour at peak') and as a share
a season adds ('December is roughly 35% busier than our average month'). The plan sizes for the season's
busiest hour, 40 x 1.35 = 54; a document may restate the client's 40 or that 54, and the check that
compares documents with the brief (`documents.brief_facts`) must accept exactly what the plan computes.
Both read `peak_hour_counts` here, so the multiplying and rounding happen in one place.

Volumes are read as the brief's JSON dicts or its `Volume` models alike.
"""

from __future__ import annotations

import re
from typing import Any

TIMES = {"x", "×", "times", "배"}
SEASON_SHARE = re.compile(r"%|percent|per cent|퍼센트|프로", re.IGNORECASE)


def _get(volume: Any, name: str) -> Any:
    if isinstance(volume, dict):
        return volume.get(name)
    return getattr(volume, name, None)


def _quote(volume: Any) -> str:
    evidence = _get(volume, "evidence")
    return str(_get(evidence, "quote") or "") if evidence is not None else ""


def is_multiple(volume: Any) -> bool:
    """A peak stated as a multiple of the usual load ('3x', '35% busier' read as 1.35), not as a count."""
    return str(_get(volume, "unit") or "").strip().lower() in TIMES


def is_season_share(volume: Any) -> bool:
    """A peak stated as a share a season adds ('35% busier in December': 1.35), not an hourly multiplier."""
    return bool(_get(volume, "peak")) and is_multiple(volume) and bool(SEASON_SHARE.search(_quote(volume)))


def hourly_count_peak(volumes: list[Any]) -> Any | None:
    """The first peak stated as a count an hour ('about 40 conversations an hour'), or None."""
    return next((v for v in volumes if _get(v, "peak") and _get(v, "per") == "hour" and not is_multiple(v)), None)


def season_share(volumes: list[Any], besides: Any | None = None) -> float | None:
    """The share a season adds (1.35), stated apart from `besides` (the peak the plan sizes on), or None."""
    return next((float(_get(v, "quantity")) for v in volumes if v is not besides and is_season_share(v)), None)


def peak_hour_counts(volumes: list[Any]) -> list[float]:
    """The busiest hour's items a plan sizes for and a document may restate: the client's count, and with a season's
    share stated beside it, the season's busiest hour (40 and 40 x 1.35 = 54.0, one decimal); [] with no hourly count.
    """
    peak = hourly_count_peak(volumes)
    if peak is None:
        return []
    count = float(_get(peak, "quantity"))
    share = season_share(volumes, besides=peak)
    return [count] if share is None else [count, round(count * share, 1)]
