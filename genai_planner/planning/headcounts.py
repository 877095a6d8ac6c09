"""Head-counts stated with their parts: '420 counsellors (250 in Guro and 170 in Daejeon)' is 420 people, not 840.

A use case often gives a total and then its breakdown by site, shift or team, in the same breath
or a sentence later. Each number is read as a count of the same people, so summing them counts
everyone twice. `count_once` keeps a total once and drops the counts that add up to it; counts
with no total beside them ('120 nurses on days and 80 on nights') are separate groups and all stay.
"""

from __future__ import annotations

from itertools import combinations

MAX_PARTS = 8
"""More counts than this are not searched for a breakdown (the search grows as 2^n)."""


def count_once(counts: list[int]) -> list[int]:
    """The counts with every breakdown removed where its total is also stated: [420, 250, 170] -> [420].

    Largest totals first; a breakdown needs at least two parts, each smaller than the total, that add up
    to it exactly. Anything else is kept as stated.
    """
    kept = list(counts)
    if len(kept) < 3 or len(kept) > MAX_PARTS:
        return kept
    for total in sorted(set(kept), reverse=True):
        if total not in kept:
            continue
        rest = list(kept)
        rest.remove(total)
        smaller = [c for c in rest if 0 < c < total]
        for size in range(len(smaller), 1, -1):
            parts = next((combo for combo in combinations(smaller, size) if sum(combo) == total), None)
            if parts is not None:
                for p in parts:
                    kept.remove(p)
                break
    return kept
