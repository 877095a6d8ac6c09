"""The extractor's word lists and tables, loaded once from `genai_planner/planning/data/*.yaml`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from genai_planner.core import regex_cache
from genai_planner.core.yamlio import load_yaml

DATA_DIR = Path(__file__).parent / "data"


@cache
def lexicon(name: str) -> dict[str, Any]:
    """The parsed `data/<name>.yaml` (cached; treat as read-only)."""
    return load_yaml(DATA_DIR / f"{name}.yaml")


@lru_cache(maxsize=4096)
def rx(pattern: str) -> re.Pattern[str]:
    """A regex for a pattern that comes from the data files, compiled once and only when needed.

    A run reads ~1,000 word-list patterns (sectors, languages, roles, hardware...), and
    compiling them was ~0.4 s of its CPU, though most never match: a pattern with a piece of
    plain text that every match contains (`warehouses?` between word boundaries → 'warehouse') answers "no
    match" by a substring test while that text is absent, and is compiled only once it is
    present. Results are those of the compiled pattern (`required_text` is conservative).
    """
    literal = required_text(pattern)
    return _Prefiltered(pattern, literal) if literal else regex_cache.compile(pattern)  # type: ignore[return-value]


class _Prefiltered:
    """A pattern whose every match contains `literal`: compiled on the first text that holds it."""

    __slots__ = ("_compiled", "_literal", "pattern")

    def __init__(self, pattern: str, literal: str):
        self.pattern = pattern
        self._literal = literal
        self._compiled: re.Pattern[str] | None = None

    def _rx(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = regex_cache.compile(self.pattern)
        return self._compiled

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        return self._rx().search(string, *args) if self._literal in string else None

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        return self._rx().match(string, *args) if self._literal in string else None

    def fullmatch(self, string: str, *args: int) -> re.Match[str] | None:
        return self._rx().fullmatch(string, *args) if self._literal in string else None

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        return self._rx().finditer(string, *args) if self._literal in string else iter(())

    def findall(self, string: str, *args: int) -> list[Any]:
        return self._rx().findall(string, *args) if self._literal in string else []

    def __getattr__(self, name: str) -> Any:  # sub, split, groups, flags...: the compiled pattern's own
        return getattr(self._rx(), name)


_INLINE_FLAGS = regex_cache.compile(r"\(\?[-aiLmsux#(]")
_REPEAT = regex_cache.compile(r"[?*+]|\{\d*(?:,\d*)?\}")


def required_text(pattern: str) -> str | None:
    """The longest run of plain characters that every match of `pattern` contains, or None.

    Conservative by construction: only characters outside escapes, classes and optional or
    alternated groups count, a repeated character ends its run without being kept, and
    inline flags (case-insensitive, verbose...) give up. A single character is
    not worth a test.
    """
    if _INLINE_FLAGS.search(pattern):
        return None
    try:
        runs, end, alternated = _sequence(pattern, 0)
    except (IndexError, ValueError):
        return None
    if end != len(pattern) or alternated or not runs:
        return None
    best = max(runs, key=len)
    return best if len(best) >= 2 else None


def _skip_repeat(pattern: str, i: int) -> tuple[int, bool]:
    """The index after a repeat at `i` (and its lazy/possessive mark), and whether there was one."""
    m = _REPEAT.match(pattern, i)
    if not m:
        return i, False
    i = m.end()
    if i < len(pattern) and pattern[i] in "?+":
        i += 1
    return i, True


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that opens at `i`."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _sequence(pattern: str, i: int) -> tuple[list[str], int, bool]:
    """Required plain-text runs of the sequence from `i` to its closing ')' or the end; its end; any '|' in it."""
    runs: list[str] = []
    current: list[str] = []
    alternated = False

    def close() -> None:
        if current:
            runs.append("".join(current))
            current.clear()

    while i < len(pattern) and pattern[i] != ")":
        c = pattern[i]
        if c == "|":
            alternated = True
            close()
            i += 1
        elif c == "\\":
            close()
            if pattern[i + 1] in "xuUN0123456789":
                raise ValueError("a numeric or named escape: its character is not read here")
            i, _ = _skip_repeat(pattern, i + 2)
        elif c == "[":
            close()
            i, _ = _skip_repeat(pattern, _class_end(pattern, i))
        elif c == "(":
            close()
            counted = True
            if pattern.startswith(("(?=", "(?!"), i):
                i, counted = i + 3, False
            elif pattern.startswith(("(?<=", "(?<!"), i):
                i, counted = i + 4, False
            elif pattern.startswith("(?:", i):
                i += 3
            elif pattern.startswith("(?P<", i):
                i = pattern.index(">", i) + 1
            elif pattern.startswith("(?", i):
                raise ValueError("an extension this reader does not follow")
            else:
                i += 1
            inner, i, inner_alternated = _sequence(pattern, i)
            if pattern[i] != ")":
                raise ValueError("unbalanced group")
            i, repeated = _skip_repeat(pattern, i + 1)
            if counted and not repeated and not inner_alternated:
                runs.extend(inner)
        elif c in ".^$":
            close()
            i, _ = _skip_repeat(pattern, i + 1)
        elif _REPEAT.match(pattern, i) or c in "{}":
            if current:
                current.pop()  # the repeated character may be absent (?, *, {0,}) or repeated: not kept
            close()
            j, repeated = _skip_repeat(pattern, i)
            i = j if repeated else i + 1
        else:
            current.append(c)
            i += 1
    close()
    return ([] if alternated else runs), i, alternated


def any_match(patterns: list[str], text: str) -> re.Match[str] | None:
    """The first match of any of `patterns` in `text` (lower-cased text expected), or None."""
    for pattern in patterns:
        m = rx(pattern).search(text)
        if m:
            return m
    return None
