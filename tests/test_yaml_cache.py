"""Data files' parsed content kept between processes (core/yamlio.py): the same data, only faster.

A cache may only answer for the very text it was made from; anything else is parsed again.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from genai_planner.core import yamlio

TEXT = "no: Norwegian\nwords: [on, off, yes]\nlimit: 3\nratio: 0.5\nflag: true\nempty: null\nnested: {a: [1, {b: c}]}\n"


@pytest.fixture
def data_file(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    path = tmp_path / "words.yaml"
    path.write_text(TEXT, encoding="utf-8")
    return path


def fresh_load(path: Path):
    """As a new process would: nothing parsed in this one yet."""
    yamlio._load.cache_clear()
    return yamlio.load_yaml(path)


def refuse_to_parse(monkeypatch) -> None:
    def parse(text: str):
        raise AssertionError("parsed, though the cache holds this text")

    monkeypatch.setattr(yamlio, "parse_yaml", parse)


def test_a_second_process_reads_the_cache_and_gets_the_same_data(data_file: Path, monkeypatch) -> None:
    parsed = fresh_load(data_file)
    assert parsed == yamlio.parse_yaml(TEXT)
    assert yamlio.cache_file(data_file).is_file()
    refuse_to_parse(monkeypatch)
    cached = fresh_load(data_file)
    assert cached == parsed
    assert cached["no"] == "Norwegian" and cached["words"] == ["on", "off", "yes"] and cached["flag"] is True  # YAML 1.2 rules kept
    assert [type(v) for v in cached.values()] == [type(v) for v in parsed.values()]


def test_a_changed_file_is_parsed_again(data_file: Path) -> None:
    fresh_load(data_file)
    data_file.write_text(TEXT.replace("limit: 3", "limit: 4"), encoding="utf-8")
    assert fresh_load(data_file)["limit"] == 4
    assert fresh_load(data_file)["limit"] == 4  # and the cache now holds the new text


def test_a_cache_made_from_other_text_is_not_believed(data_file: Path) -> None:
    other = data_file.with_name("other.yaml")
    other.write_text("limit: 99\n", encoding="utf-8")
    fresh_load(other)
    yamlio.cache_file(data_file).parent.mkdir(exist_ok=True)
    yamlio.cache_file(data_file).write_bytes(yamlio.cache_file(other).read_bytes())
    assert fresh_load(data_file)["limit"] == 3


def test_a_corrupt_cache_is_parsed_over(data_file: Path) -> None:
    yamlio.cache_file(data_file).parent.mkdir(exist_ok=True)
    yamlio.cache_file(data_file).write_bytes(b"\x00not marshal")
    assert fresh_load(data_file)["limit"] == 3


def test_nothing_is_written_where_python_writes_no_bytecode(data_file: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert fresh_load(data_file)["limit"] == 3
    assert not yamlio.cache_file(data_file).parent.exists()


def test_an_unwritable_folder_costs_only_the_parse(data_file: Path, monkeypatch) -> None:
    def refuse(self, data):
        raise PermissionError("read-only")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert fresh_load(data_file)["limit"] == 3
    assert not yamlio.cache_file(data_file).exists()
