"""Reading a folder of someone else's text files safely (`--docs`, a custom knowledge base).

Only regular files inside the folder are read: a symlink whose target lies outside it is
not followed, nor is anything that is not a plain file (a FIFO would block the run).
Binary files are recognised by their content, not their name (a NUL byte, or more than 5%
control or undecodable characters in the first 8 KB), so random bytes saved as `.md` are
skipped. Text is UTF-8 (a BOM is fine) or, failing that, CP949 (Korean Windows). A file
over `MAX_FILE_BYTES` is read up to that size; the folder is read up to `MAX_TOTAL_BYTES`
and `MAX_FILES` files. Every file skipped or cut is one warning; files of other types are
one warning together.
"""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

MAX_FILE_BYTES = 20_000_000
MAX_TOTAL_BYTES = 100_000_000
MAX_FILES = 2_000
BINARY_SAMPLE = 8192
BINARY_SHARE = 0.05


@dataclass
class TextFile:
    """One readable file: its path relative to the folder and its text."""

    rel: str
    text: str


@dataclass
class FolderText:
    """What could be read from a folder, and one warning per thing that could not."""

    files: list[TextFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _looks_binary(sample: str) -> bool:
    if not sample:
        return False
    bad = sum(1 for ch in sample if ch == "\ufffd" or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v"))
    return bad / len(sample) > BINARY_SHARE


def decode_text(data: bytes, truncated: bool = False) -> str | None:
    """`data` as text, or None when it is binary.

    Args:
        data: The file's bytes (possibly only its start).
        truncated: Whether `data` stops mid-file (an incomplete last character is then dropped).
    """
    if b"\x00" in data[:BINARY_SAMPLE]:
        return None
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(data, final=not truncated)
    except UnicodeDecodeError:
        try:
            text = data.decode("cp949") if not truncated else codecs.getincrementaldecoder("cp949")().decode(data, final=False)
        except UnicodeDecodeError:
            text = data.decode("utf-8", errors="replace")
    return None if _looks_binary(text[:BINARY_SAMPLE]) else text


def read_folder(directory: Path, suffixes: set[str], recursive: bool = True, label: str | None = None) -> FolderText:
    """Every readable text file with one of `suffixes` under `directory`, in path order.

    Args:
        directory: The folder.
        suffixes: Lower-case file suffixes to read, e.g. `{".md", ".txt"}`.
        recursive: Whether to read sub-folders too.
        label: How warnings name the folder (default: its path).
    """
    root = directory.resolve()
    name = label or str(directory)
    out = FolderText()
    other: list[str] = []
    seen: set[Path] = set()
    total = 0
    entries: list[Path] = []
    for current, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        here = Path(current)
        for d in list(dirs):
            if (here / d).is_symlink():
                dirs.remove(d)
                target = (here / d).resolve()
                if not target.is_relative_to(root):
                    out.warnings.append(f"{name}: {(here / d).relative_to(root).as_posix()}/ links outside the folder; not read")
        entries += [here / f for f in sorted(files)]
        if not recursive:
            break
    for path in entries:
        rel = path.relative_to(root).as_posix()
        if path.suffix.lower() not in suffixes:
            other.append(rel)
            continue
        target = path.resolve()
        if not target.is_relative_to(root):
            out.warnings.append(f"{name}: {rel} links outside the folder; not read")
            continue
        if target in seen:
            continue  # a link to a file of the folder that is read anyway
        try:
            info = target.stat()
        except OSError as exc:
            out.warnings.append(f"{name}: {rel} cannot be read ({type(exc).__name__}); skipped")
            continue
        if not stat.S_ISREG(info.st_mode):
            out.warnings.append(f"{name}: {rel} is not a regular file; skipped")
            continue
        if len(out.files) >= MAX_FILES or total >= MAX_TOTAL_BYTES:
            out.warnings.append(f"{name}: {rel} and later files not read (limit {MAX_FILES} files, {MAX_TOTAL_BYTES // 1_000_000} MB in all)")
            break
        seen.add(target)
        budget = min(MAX_FILE_BYTES, MAX_TOTAL_BYTES - total)
        try:
            with target.open("rb") as fh:
                data = fh.read(budget + 1)
        except OSError as exc:
            out.warnings.append(f"{name}: {rel} cannot be read ({type(exc).__name__}); skipped")
            continue
        truncated = len(data) > budget
        data = data[:budget]
        text = decode_text(data, truncated=truncated)
        if text is None:
            out.warnings.append(f"{name}: {rel} is binary, not text; skipped")
            continue
        if truncated:
            out.warnings.append(f"{name}: {rel} is {info.st_size // 1_000_000} MB; only its first {budget // 1_000_000} MB are read")
        total += len(data)
        if text.strip():
            out.files.append(TextFile(rel=rel, text=text))
    if other:
        shown = ", ".join(other[:3]) + (f" and {len(other) - 3} more" if len(other) > 3 else "")
        out.warnings.append(f"{name}: {len(other)} file(s) not of type {'/'.join(sorted(suffixes))} not read ({shown})")
    if not out.files:
        what = "is empty" if not entries else "has no readable " + "/".join(sorted(suffixes)) + " file"
        out.warnings.append(f"{name} {what}: no documents to search")
    return out
