"""Document specs: what each planning document must contain, loaded from YAML files.

The specs live in `genai_planner/documents/specs/*.yaml`; a user can read them, and extend them by
pointing `GENAI_PLANNER_SPECS_DIR` at a folder of their own files with the same shape.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from genai_planner.core.settings import Language
from genai_planner.core.yamlio import load_yaml

SPECS_DIR = Path(__file__).parent / "specs"

SectionForm = Literal["paragraph", "list", "numbered", "checklist", "table", "recommendation", "blocks"]
"""How a section is written: prose, labelled bullets, numbered steps, tick boxes, a table,
marker lines (recommendation), or labelled sub-blocks (each itself a paragraph, list or steps)."""

BlockForm = Literal["paragraph", "list", "numbered"]
ROW_SOURCES = ("targets", "weights", "scores", "costs", "excluded", "gpu_fit", "assumptions")
"""Lists of the planning facts a section may tabulate or list one row per entry."""


class Localised(BaseModel):
    """A string in each supported language."""

    model_config = ConfigDict(extra="forbid")

    en: str
    ko: str

    def get(self, language: Language) -> str:
        """The text in `language`."""
        return getattr(self, language)


class LocalisedList(BaseModel):
    """A list of strings in each supported language."""

    model_config = ConfigDict(extra="forbid")

    en: list[str]
    ko: list[str]

    def get(self, language: Language) -> list[str]:
        """The list in `language`."""
        return getattr(self, language)


class Point(BaseModel):
    """One thing a section must say: a label (for labelled forms) and what to say, as a template.

    `say` names facts in braces ({org}, {volume}, {model} ... see `planning.facts.PLACEHOLDERS`);
    `when` is a predicate over the facts' flags ("self_hosted", "!personal_data",
    "has_budget & api"): a point whose condition is false is left out, so several variants of one
    item can stand side by side. `factor` ties a selection factor to a rubric category, so the
    key-factor marker goes on the factors the figures weigh highest. `marker` takes the label
    from the document's markers.
    """

    model_config = ConfigDict(extra="forbid")

    label: Localised | None = None
    marker: str | None = None
    say: Localised
    when: str | None = None
    factor: str | None = None
    optional: bool = Field(default=False, description="May be left out when the document is over its word limit.")


class Block(BaseModel):
    """A labelled part of a `blocks` section ('When it pays off', 'Steps', 'Risks')."""

    model_config = ConfigDict(extra="forbid")

    label: Localised
    form: BlockForm
    points: list[Point]


class Column(BaseModel):
    """A table column: its heading and the row field (or `{template}`) it shows."""

    model_config = ConfigDict(extra="forbid")

    title: Localised
    value: str


class SectionSpec(BaseModel):
    """One `##` section of a document: its contract."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: Localised
    form: SectionForm
    purpose: Localised
    research: Localised
    tool: str | None = None
    points: list[Point] = Field(default_factory=list)
    rows: str | None = Field(default=None, description="A list of facts (ROW_SOURCES): one point or table row per entry.")
    limit: int | None = Field(default=None, description="At most this many rows (the best first); the rest are counted in a line after.")
    each: Point | None = Field(default=None, description="The point written for every entry of `rows` (list forms).")
    columns: list[Column] = Field(default_factory=list, description="Table columns; 'scores.*' expands to one column per rubric category.")
    blocks: list[Block] = Field(default_factory=list)
    max_words: int | None = None
    count: int | None = Field(default=None, description="How many items the section must have (checks use it); default: the points.")
    after: list[Point] = Field(default_factory=list, description="Lines written after a table or list (scale, notes).")

    @model_validator(mode="after")
    def _consistent(self) -> SectionSpec:
        if self.rows is not None and self.rows not in ROW_SOURCES:
            raise ValueError(f"section {self.id!r}: unknown rows {self.rows!r} (known: {', '.join(ROW_SOURCES)})")
        if self.form == "table" and not self.columns:
            raise ValueError(f"section {self.id!r}: a table needs columns")
        if self.form == "blocks" and not self.blocks:
            raise ValueError(f"section {self.id!r}: form 'blocks' needs blocks")
        if self.form in {"list", "numbered", "checklist", "paragraph", "recommendation"} and not (self.points or self.each):
            raise ValueError(f"section {self.id!r}: form {self.form!r} needs points (or rows + each)")
        return self


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


Record = Literal["requirements", "metrics", "recommended_model", "rubric", "techniques"]
"""Decisions a document may record for later ones (an unknown name is an error at load time)."""


class DocumentSpec(BaseModel):
    """A planning document: sub-tasks, sections, dependencies and checks."""

    model_config = ConfigDict(extra="forbid")

    id: str
    slug: str
    file: str
    title: Localised
    depends_on: list[str] = Field(default_factory=list)
    records: list[Record] = Field(default_factory=list)
    markers: dict[str, Localised] = Field(default_factory=dict, description="Exact words checks and decision extraction read.")
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
        spec = DocumentSpec.model_validate(load_yaml(path))
        specs[spec.id] = spec
    if not specs:
        raise FileNotFoundError(f"no document specs found in {directory}")
    common = Path(directory) / "common.yaml"
    if common.is_file():  # checks every document gets (untrusted instructions, the brief's facts ...)
        for check in ConsistencySpec.model_validate(load_yaml(common)).checks:
            for spec in specs.values():
                wanted = [str(d) for d in check.params.get("documents") or [spec.id]]
                if spec.id in wanted and all(c.id != check.id for c in spec.checks):
                    spec.checks.append(check)
    from genai_planner.documents.contract import template_problems  # the contract module reads these specs
    from genai_planner.planning.facts import FLAGS

    problems = [p for spec in specs.values() for p in template_problems(spec, set(FLAGS))]
    if problems:
        raise ValueError("document specs name facts that do not exist: " + "; ".join(problems[:5]))
    return specs


def load_document_specs() -> dict[str, DocumentSpec]:
    """All document specs keyed by id, in id order."""
    return _load_specs(str(_specs_dir()))


@lru_cache(maxsize=1)
def load_consistency_spec() -> ConsistencySpec:
    """The cross-document checks."""
    path = _specs_dir() / "consistency.yaml"
    return ConsistencySpec.model_validate(load_yaml(path))


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
