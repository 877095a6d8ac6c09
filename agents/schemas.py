"""Structured replies the agents ask models for. Their class names are the tool names a model sees."""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema


class ResearchQuestion(BaseModel):
    """A question the researcher must answer for one section of a document."""

    section: str = Field(description="The section id the answer feeds.")
    question: str = Field(description="A short search query or question.")
    tool: str = Field(default="knowledge_search", description="The tool best suited to answer it.")


class DocumentPlan(BaseModel):
    """The plan for one document."""

    doc_id: str
    subtasks: list[str] = Field(description="Sub-task ids in the order the writer should do them.")
    research_questions: list[ResearchQuestion]


class Plan(BaseModel):
    """The planner's output: one plan per document, in dependency order (the brief comes first, on its own)."""

    documents: list[DocumentPlan]
    rationale: str = Field(description="Why this order and these questions, in two sentences.")


class Revision(BaseModel):
    """One change the reviewer asks for."""

    section: str = Field(description="Section id or 'document'.")
    instruction: str = Field(description="What to change, concretely.")


class ContractItem(BaseModel):
    """The reviewer's judgement of one item of the document contract (one section), held to the draft's words."""

    item: str = Field(description="The contract section id judged.")
    passed: bool = Field(description="Whether the draft meets what the contract asks of this section, for this client.")
    evidence: str = Field(description="The draft's own words that show it, copied verbatim: a whole sentence, line or step.")
    reason: str = Field(description="Why that evidence meets or misses the section's purpose, in one sentence.")
    # Set by the product after the reply (is the evidence in the draft?): left out of the schema the model sees, so a
    # reviewer cannot claim its own quote was checked.
    verified: SkipJsonSchema[bool | None] = Field(default=None, description="Set by the product, not the model: whether the evidence is in the draft.")


class ReviewVerdict(BaseModel):
    """The reviewer's judgement of a draft. It cannot accept a draft that fails a check."""

    accept: bool
    critique: str = Field(description="Two to four sentences on the draft's quality.")
    items: list[ContractItem] = Field(default_factory=list, description="One judgement per contract section, each quoting the draft.")
    revisions: list[Revision] = Field(default_factory=list)
