"""The example scenarios that ship with the package: `genai-planner examples` and `run --example NAME`.

The repository keeps them in scenarios/; the wheel installs that folder as the data package
`genai_planner.examples` (pyproject's package-dir), so they are found with importlib.resources
from any folder, whatever directories the current one holds. Every `*.yaml` there is an example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable

from genai_planner.core.errors import InputError
from genai_planner.core.scenario import Scenario, load_scenario
from genai_planner.planning.extract import extract_brief

EXAMPLES_PACKAGE = "genai_planner.examples"


@dataclass(frozen=True)
class Example:
    """One shipped example: its name, sector (as the offline engine reads the use case), language and first sentence."""

    name: str
    sector: str
    language: str
    summary: str


def _example_files() -> dict[str, Traversable]:
    entries = sorted(files(EXAMPLES_PACKAGE).iterdir(), key=lambda e: e.name)
    return {e.name.rsplit(".", 1)[0]: e for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file()}


def example_names() -> list[str]:
    """The names `run --example` accepts (file names without `.yaml`)."""
    return list(_example_files())


def load_example(name: str) -> Scenario:
    """The example scenario called `name`, or `InputError` naming the known ones."""
    found = _example_files()
    if name not in found:
        raise InputError(f"unknown example {name!r} (known: {', '.join(found) or 'none installed'})")
    with as_file(found[name]) as path:
        return load_scenario(path)


def _first_sentence(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    sentence = re.split(r"(?<=[.!?다])\s", flat, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def list_examples() -> list[Example]:
    """Every shipped example, by name."""
    rows = []
    for name in example_names():
        scenario = load_example(name)
        rows.append(Example(name, extract_brief(scenario, scenario.language).sector.value, scenario.language, _first_sentence(scenario.use_case)))
    return rows
