"""The Norway problem: no data file may hold a word YAML 1.1 reads as a boolean.

`no:` (Norwegian) in languages.yaml once loaded as the key False and crashed every run that
named Norwegian; stop words `on` and `no` silently became True/False. These tests hold every
shipped YAML data file to plain strings, and the project loader to YAML 1.2 booleans.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from genai_planner.core.yamlio import parse_yaml, yaml11_booleans

ROOT = Path(__file__).resolve().parents[1]
DATA_DIRS = ["genai_planner/planning/data", "tools/data", "genai_planner/documents/specs", "genai_planner/documents", "scenarios"]
FILES = sorted({p for d in DATA_DIRS for p in (ROOT / d).rglob("*.y*ml")})


def test_data_files_are_found() -> None:
    names = {p.name for p in FILES}
    assert {"languages.yaml", "model_catalog.yaml", "02_model_selection.yaml", "cues.yaml", "fx.yaml"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_yaml11_boolean_words(path: Path) -> None:
    found = yaml11_booleans(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name}: quote these words, YAML 1.1 reads them as booleans: {found}"


def _keys_and_values(node: object, where: str = ""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{where}/{key!r}", key, True
            yield from _keys_and_values(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _keys_and_values(value, f"{where}[{i}]")
    else:
        yield where, node, False


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_boolean_keys_or_booleans_among_strings(path: Path) -> None:
    data = parse_yaml(path.read_text(encoding="utf-8"))
    for where, value, is_key in _keys_and_values(data):
        assert not (is_key and isinstance(value, bool)), f"{path.name}{where}: a key became a boolean"
    # a list that mixes strings and booleans is a word list with a lost word
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack += list(node.values())
        elif isinstance(node, list):
            kinds = {type(v) for v in node if not isinstance(v, (dict, list))}
            assert not (str in kinds and bool in kinds), f"{path.name}: a word list holds a boolean: {node[:8]}"
            stack += node


def test_norwegian_code_is_a_string_key() -> None:
    from genai_planner.planning.lexicon import lexicon

    assert "no" in lexicon("languages")["languages"]
    assert False not in lexicon("languages")["languages"]
    assert "on" in lexicon("languages")["function_words"]


def test_loader_keeps_yaml11_words_as_strings() -> None:
    assert parse_yaml("no: [on, off, yes, n]\nok: true\nnot_ok: False") == {"no": ["on", "off", "yes", "n"], "ok": True, "not_ok": False}
