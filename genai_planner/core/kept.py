"""Answers kept between processes in a `__pycache__/` file, as Python keeps a module's bytecode.

Why: some answers cost far more to compute than to read back (a compiled regex, a language's
name from `langcodes`, whose import alone is ~0.2 CPU s), and every run asks the same ones.
A kept file is `marshal((stamp, {key: answer}))`; the stamp names everything the answers depend on
beyond their keys (the Python build, a library's files), so a file with another stamp is read
as empty. Written where Python would write bytecode (not under PYTHONDONTWRITEBYTECODE); a
read-only install or a failed write only costs computing the answers again.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

MAX_ENTRIES = 6_000
"""A file past this many answers starts afresh: answers for users' own words add up (the 10 shipped scenarios keep ~1,900 patterns, 2.3 MB)."""


def read(path: Path, stamp: Any) -> dict[Any, Any]:
    """The answers of a kept file written under this very `stamp`; {} for any other file or none."""
    try:
        kept_stamp, entries = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):  # no file yet, or an unreadable one
        return {}
    if kept_stamp != stamp or not isinstance(entries, dict):
        return {}
    return entries


def write(path: Path, stamp: Any, new: dict[Any, Any]) -> bool:
    """Add `new` to the kept file (merged with what other processes wrote meanwhile); whether it was written."""
    if not new or sys.dont_write_bytecode:
        return False
    entries = read(path, stamp)
    if len(entries) + len(new) > MAX_ENTRIES:
        entries = {}
    entries.update(new)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        blob = marshal.dumps((stamp, entries))
        path.parent.mkdir(exist_ok=True)
        partial.write_bytes(blob)
        os.replace(partial, path)  # another process reads a whole file or none
    except (OSError, ValueError):  # a read-only install, a full disk, a value marshal cannot hold
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return False
    return True


def file_stamp(*files: str | None) -> tuple[Any, ...]:
    """Each file's (path, mtime, size): what a kept answer computed by the code in them depends on."""
    stamp: list[Any] = []
    for name in files:
        try:
            found = os.stat(name) if name else None
        except OSError:
            found = None
        stamp.append((name, found.st_mtime_ns, found.st_size) if found else (name, None, None))
    return tuple(stamp)
