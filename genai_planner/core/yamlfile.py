"""YAML without the Norway problem: only `true` and `false` are booleans.

PyYAML follows YAML 1.1, where `no`, `yes`, `on`, `off`, `y` and `n` are booleans, so the
Norwegian language code `no:` became the key False and a stop word `on` became True. Data
files and user catalogs are loaded with `StringSafeLoader`, a `SafeLoader` whose boolean
rule is YAML 1.2's: everything else that looks like a word stays a string.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

BOOL_TAG = "tag:yaml.org,2002:bool"
YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class StringSafeLoader(yaml.SafeLoader):
    """A SafeLoader that reads only true/false as booleans (YAML 1.2 core schema)."""


StringSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    StringSafeLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(0, (BOOL_TAG, YAML12_BOOL))


def load_yaml(text: str) -> Any:
    """Parse YAML text; `no`, `on`, `yes`, `off` stay strings."""
    return yaml.load(text, Loader=StringSafeLoader)  # noqa: S506 - a SafeLoader subclass


def load_yaml_file(path: Path) -> Any:
    """Parse a UTF-8 YAML file with `load_yaml`."""
    return load_yaml(path.read_text(encoding="utf-8"))


def yaml11_booleans(text: str) -> list[tuple[int, str]]:
    """(line, word) for each scalar YAML 1.1 would read as a boolean although it is not true/false.

    Such a word (`no`, `on`, `yes`, `off`) changes meaning with the loader; data files quote it.
    """
    found: list[tuple[int, str]] = []
    stack: list[Any] = [yaml.compose(text)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
        elif isinstance(node, yaml.ScalarNode) and node.tag == BOOL_TAG and not YAML12_BOOL.match(node.value):
            found.append((node.start_mark.line + 1, node.value))
    return sorted(found)
