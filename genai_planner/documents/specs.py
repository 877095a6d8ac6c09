"""Document specs: what each planning document must contain, loaded from YAML files.

The specs live in `genai_planner/documents/specs/*.yaml`; a user can read them, and extend them by
pointing `GENAI_PLANNER_SPECS_DIR` at a folder of their own files with the same shape.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from genai_planner.core.settings import Language

SPECS_DIR = Path(__file__).parent / "specs"

SectionForm = Literal[
    "paragraph", "list", "numbered", "checklist", "blocks", "rubric_table", "candidates_table", "recommendation"
]


class Localised(BaseModel):
    """A string in each supported language."""

    en: str
    ko: str

    def get(self, language: Language) -> str:
        """The text in `language`."""
        return getattr(self, language)


class LocalisedList(BaseModel):
    """A list of strings in each supported language."""

    en: list[str]
    ko: list[str]

    def get(self, language: Language) -> list[str]:
        """The list in `language`."""
        return getattr(self, language)


class SectionSpec(BaseModel):
    """One `##` section of a document."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: Localised
    form: SectionForm
    guidance: str
    research: Localised
    items: int | None = None
    labels: LocalisedList | None = None
    blocks: LocalisedList | None = None
    highlight: int | None = None
    compact: bool = False
    carry_metrics: bool = False
    tool: str | None = None


class SubtaskSpec(BaseModel):
    """One sub-task from the brief (e.g. 1.3); the writer drafts each before compiling."""

    model_config = ConfigDict(extra="forbid")

    id: str
    instruction: str
    sections: list[str] = Field(default_factory=list)
    compile: bool = False


class CheckSpec(BaseModel):
    """A declarative check: an id, a type naming a check function, and its parameters."""

    model_config = ConfigDict(extra="allow")

    id: str
    type: str

    @property
    def params(self) -> dict[str, Any]:
        """Parameters beyond id and type."""
        return dict(self.model_extra or {})


class DocumentSpec(BaseModel):
    """A planning document: sub-tasks, sections, dependencies and checks."""

    model_config = ConfigDict(extra="forbid")

    id: str
    slug: str
    file: str
    title: Localised
    depends_on: list[str] = Field(default_factory=list)
    records: list[str] = Field(default_factory=list)
    subtasks: list[SubtaskSpec]
    sections: list[SectionSpec]
    checks: list[CheckSpec]

    def section(self, section_id: str) -> SectionSpec:
        """The section with `section_id`; raises KeyError naming the document otherwise."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(f"document {self.id} has no section {section_id!r}")

    def section_titles(self, language: Language) -> dict[str, str]:
        """Section id to heading text in `language`."""
        return {s.id: s.title.get(language) for s in self.sections}


class ConsistencySpec(BaseModel):
    """Cross-document checks."""

    checks: list[CheckSpec]


def _specs_dir() -> Path:
    return Path(os.environ.get("GENAI_PLANNER_SPECS_DIR", SPECS_DIR))


@lru_cache(maxsize=4)
def _load_specs(directory: str) -> dict[str, DocumentSpec]:
    specs: dict[str, DocumentSpec] = {}
    for path in sorted(Path(directory).glob("0*.yaml")):
        spec = DocumentSpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        specs[spec.id] = spec
    if not specs:
        raise FileNotFoundError(f"no document specs found in {directory}")
    return specs


def load_document_specs() -> dict[str, DocumentSpec]:
    """All document specs keyed by id, in id order."""
    return _load_specs(str(_specs_dir()))


@lru_cache(maxsize=1)
def load_consistency_spec() -> ConsistencySpec:
    """The cross-document checks."""
    path = _specs_dir() / "consistency.yaml"
    return ConsistencySpec.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def dependency_closure(selected: list[str], specs: dict[str, DocumentSpec]) -> list[str]:
    """The selected documents in dependency order (dependencies are not added implicitly)."""
    order: list[str] = []
    seen: set[str] = set()

    def visit(doc_id: str) -> None:
        if doc_id in seen:
            return
        seen.add(doc_id)
        for dep in specs[doc_id].depends_on:
            if dep in selected:
                visit(dep)
        order.append(doc_id)

    for doc_id in sorted(selected):
        visit(doc_id)
    return order
