"""Compiled regexes kept between processes: a run compiles ~1,300 patterns, each only once ever.

Why: Python compiles a pattern in two steps. Parsing it and generating the matcher's code is
pure Python and costs ~0.3 ms a pattern; handing that code to the C engine (`_sre.compile`) is
a few microseconds. A planning run compiles ~1,300 distinct patterns (word lists, the safety
filter, the checks), a tenth of its CPU, and the next run compiles the very same ones. So the
generated code is kept, as Python keeps a module's bytecode, in `core/__pycache__/`
(`regex.<python tag>.marshal`), and a later process builds each pattern from it
in the C engine. The result is the pattern `re.compile` returns (same code, flags and groups).

Stale entries: an entry is keyed by the pattern text and its flags, so a changed pattern is a
new entry; the generated code depends only on the Python build, which the file's stamp names
(version, engine magic, code size): a file with another stamp is ignored, and an entry the
engine refuses is compiled afresh. Written at exit where Python would write bytecode
(`core/kept.py`); a read-only install or a failed write only costs the compiling. Where
Python's `re` internals differ (another implementation), `compile` is plain `re.compile`.
"""

from __future__ import annotations

import array
import atexit
import re
import sys
from pathlib import Path
from typing import Any

from genai_planner.core import kept

try:
    import _sre
    from re import _compiler, _parser

    STAMP: tuple[Any, ...] | None = ("regex-cache-2", sys.version, sys.implementation.cache_tag, _sre.MAGIC, _sre.CODESIZE, _sre.MAXGROUPS)
except (ImportError, AttributeError):  # pragma: no cover - not CPython's engine
    STAMP = None

CACHE_FILE = Path(__file__).parent / "__pycache__" / f"regex.{sys.implementation.cache_tag}.marshal"
CODE_TYPE = next((t for t in "IL" if array.array(t).itemsize == getattr(_sre, "CODESIZE", 4)), "L") if STAMP else "L"
"""The engine's code words (unsigned, CODESIZE bytes), kept as the bytes of an array."""

_NOT_KEPT = re.DEBUG | getattr(re, "TEMPLATE", 0)
"""Flags `re.compile` treats specially (printing, a deprecation warning): always compiled afresh."""

_live: dict[tuple[str, int], re.Pattern[str]] = {}
"""Patterns compiled in this process: a pattern used in a loop is a dictionary look-up."""
_kept: dict[tuple[str, int], tuple[Any, ...]] | None = None
_new: dict[tuple[str, int], tuple[Any, ...]] = {}


def _generate(pattern: str, flags: int) -> tuple[Any, ...]:
    """What `re._compiler.compile` hands the C engine for `pattern`: the slow, pure-Python part."""
    parsed = _parser.parse(pattern, flags)
    code = array.array(CODE_TYPE, _compiler._code(parsed, flags)).tobytes()  # unmarshalled in microseconds, unlike a list of ints
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - the name `re` gives it
    """`re.compile(pattern, flags)`, built from the generated code kept by an earlier process when there is one."""
    key = (pattern, int(flags))
    compiled = _live.get(key)
    if compiled is None:
        compiled = _live[key] = _compile(*key)
    return compiled


def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    global _kept
    if STAMP is None or not isinstance(pattern, str) or flags & _NOT_KEPT:
        return re.compile(pattern, flags)
    if _kept is None:
        _kept = kept.read(CACHE_FILE, STAMP)
    key = (pattern, flags)
    entry = _kept.get(key) or _new.get(key)
    if entry is not None:
        try:
            return _engine(pattern, entry)
        except (RuntimeError, TypeError, ValueError, OverflowError):  # an entry the engine refuses
            pass
    try:
        entry = _generate(pattern, flags)
        compiled = _engine(pattern, entry)
    except Exception:  # noqa: BLE001 - a bad pattern raises re.compile's own error just below
        return re.compile(pattern, flags)
    _new[key] = entry
    return compiled


def _engine(pattern: str, entry: tuple[Any, ...]) -> re.Pattern[str]:
    """The C engine's pattern from a kept entry (what `re._compiler.compile` ends with)."""
    flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, array.array(CODE_TYPE, code).tolist(), groups, groupindex, indexgroup)  # type: ignore[no-any-return]


def save(path: Path | None = None) -> None:
    """Add this process's new patterns to the cache file (merged with what others wrote meanwhile)."""
    global _kept
    if STAMP is not None and kept.write(path or CACHE_FILE, STAMP, _new):
        if _kept is not None:
            _kept.update(_new)
        _new.clear()


atexit.register(save)
