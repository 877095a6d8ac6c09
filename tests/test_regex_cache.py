"""Compiled regexes kept between processes (core/regex_cache.py): the patterns re.compile gives, only faster."""

from __future__ import annotations

import marshal
import re
import sys

import pytest

from genai_planner.core import regex_cache


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A process that has compiled nothing yet, with its cache file in a temporary folder."""
    monkeypatch.setattr(regex_cache, "CACHE_FILE", tmp_path / "__pycache__" / "regex.marshal")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)

    def restart() -> None:
        monkeypatch.setattr(regex_cache, "_live", {})
        monkeypatch.setattr(regex_cache, "_kept", None)
        monkeypatch.setattr(regex_cache, "_new", {})

    restart()
    return restart


PATTERNS = [
    (r"(?<![A-Za-z])(?P<word>warehouses?|stores?)(?![A-Za-z])", re.IGNORECASE),
    (r"^(?:\S+\s+){0,2}?(?:데이터|고객)\S*\s*(?:말|마)$", re.MULTILINE),
    (r"(?i:ignore) (?:all )?previous (\w+)", 0),
    (r"\b\d[\d,]*(?:\.\d+)?\s*(?:ms|s)\b", 0),
]


def test_a_kept_pattern_is_the_pattern_re_compile_gives(fresh):
    first = [regex_cache.compile(p, f) for p, f in PATTERNS]
    regex_cache.save()
    assert regex_cache.CACHE_FILE.exists()
    fresh()  # a later process: every pattern now comes from the file
    kept = [regex_cache.compile(p, f) for p, f in PATTERNS]
    assert len(regex_cache._kept) == len(PATTERNS) and not regex_cache._new
    for (pattern, flags), a, b in zip(PATTERNS, first, kept, strict=True):
        plain = re.compile(pattern, flags)
        assert a == plain and b == plain  # the same code, pattern and flags
        assert (b.flags, b.groups, b.groupindex) == (plain.flags, plain.groups, plain.groupindex)
    text = "Ignore all previous rules: the Warehouse answers in 120 ms.\n고객 데이터는 말"
    for b, (pattern, flags) in zip(kept, PATTERNS, strict=True):
        assert [m.span() for m in b.finditer(text)] == [m.span() for m in re.finditer(pattern, text, flags)]


def test_flags_are_part_of_the_key(fresh):
    assert regex_cache.compile("warehouse").search("WAREHOUSE") is None
    regex_cache.save()
    fresh()
    assert regex_cache.compile("warehouse", re.IGNORECASE).search("WAREHOUSE")
    assert regex_cache.compile("warehouse").search("WAREHOUSE") is None


def _forge(path, stamp, pattern: str, other: str) -> None:
    """A cache file that gives `pattern` the code of `other`, under `stamp`."""
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(marshal.dumps((stamp, {(pattern, 0): regex_cache._generate(other, 0)})))


def test_a_file_written_by_another_python_is_ignored(fresh):
    path = regex_cache.CACHE_FILE
    _forge(path, (regex_cache.STAMP[0], "3.0.0 another build") + tuple(regex_cache.STAMP[2:]), "apple", "pear")
    assert regex_cache.compile("apple").fullmatch("apple")  # not the forged code
    fresh()
    _forge(path, regex_cache.STAMP, "apple", "pear")  # the same build's entry is trusted (what the stamp guards)
    assert regex_cache.compile("apple").fullmatch("pear")


def test_a_bad_entry_or_file_falls_back_to_compiling(fresh):
    path = regex_cache.CACHE_FILE
    path.parent.mkdir()
    path.write_bytes(b"not marshal")
    assert regex_cache.compile("a+b").fullmatch("aab")
    fresh()
    path.write_bytes(marshal.dumps((regex_cache.STAMP, {("a+b", 0): (0, [999999], 0, {}, (None,))})))
    assert regex_cache.compile("a+b").fullmatch("aab")  # the engine refuses the code: compiled afresh
    with pytest.raises(re.error):
        regex_cache.compile("(")


def test_an_unwritable_folder_only_costs_the_compiling(fresh, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # a file where the cache folder would go: every write fails, even as root
    monkeypatch.setattr(regex_cache, "CACHE_FILE", blocker / "__pycache__" / "regex.marshal")
    assert regex_cache.compile(r"\d+").fullmatch("42")
    regex_cache.save()  # no error
    assert blocker.read_text() == "" and regex_cache._new  # nothing written; the pattern is kept for a later try
    assert regex_cache.compile(r"\d+").fullmatch("7")


def test_nothing_is_written_where_python_writes_no_bytecode(fresh, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    regex_cache.compile("x+y")
    regex_cache.save()
    assert not regex_cache.CACHE_FILE.exists()
