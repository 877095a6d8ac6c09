"""What agents share: the run's usage record, tool context and prompt blocks built from state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.tools import BaseTool

from genai_planner.core.config import RunContext
from genai_planner.core.settings import load_settings
from genai_planner.documents.contract import contract_block, contract_outline
from genai_planner.documents.specs import DocumentSpec, load_document_specs
from genai_planner.models.calls import RunUsage, current_usage
from genai_planner.planning.brief import Brief
from genai_planner.planning.extract import brief_constraints_dict
from genai_planner.planning.facts import Facts, document_facts
from genai_planner.planning.figures import Figures
from genai_planner.tools.base import ToolContext
from genai_planner.tools.registry import tools_for
from genai_planner.tools.research_log import EXCERPT_CHARS, excerpt

if TYPE_CHECKING:
    from genai_planner.graph.state import DocumentTask

LANGUAGE_NAMES = {"en": "English", "ko": "Korean"}
EXCERPT_BY_KIND = {"figures": 2500, "catalog": 120}
"""Excerpt lengths that differ from the default: the planning figures are carried (nearly) whole, because
their numbers are what documents cite; a catalog entry needs only its name and headline facts, because
the figures already hold what scoring used."""


def run_usage(ctx: RunContext) -> RunUsage:
    """The usage ledger of the node running now (it reports to the run's totals in graph state).

    Outside a graph node (a test calling an agent directly) a fresh ledger with the run's budget.
    """
    return current_usage() or RunUsage(max_tokens=ctx.max_tokens, max_cost=ctx.max_cost)


def spec_for(doc_id: str) -> DocumentSpec:
    """The document spec, or a clear error for an id no spec defines."""
    specs = load_document_specs()
    if doc_id not in specs:
        raise ValueError(f"no document spec with id {doc_id!r}")
    return specs[doc_id]


def tool_context(ctx: RunContext, scenario: dict[str, Any]) -> ToolContext:
    """The tool context for this run (keys come from settings, never from state)."""
    settings = load_settings()
    key = settings.tavily_api_key.get_secret_value() if settings.tavily_api_key else None
    return ToolContext(
        language=ctx.language,
        docs_dir=Path(ctx.docs_dir) if ctx.docs_dir else None,
        constraints=dict(scenario.get("constraints") or {}),
        tavily_api_key=key,
        tavily_base_url=settings.tavily_base_url,
        mcp_config=ctx.mcp,
        run_id=ctx.run_id,
    )


_TOOLS: dict[tuple[str | None, ...], tuple[BaseTool, ...]] = {}


def clear_tool_cache() -> None:
    """Forget built tools (tests install plugins or change keys between runs)."""
    _TOOLS.clear()


def agent_tools(role: str, ctx: RunContext, scenario: dict[str, Any]) -> list[BaseTool]:
    """The tools `role` may call in this run, built once per distinct tool context."""
    tctx = tool_context(ctx, scenario)
    key = (role, tctx.language, ctx.docs_dir, json.dumps(tctx.constraints, sort_keys=True), tctx.tavily_api_key, tctx.tavily_base_url)
    if ctx.mcp:  # MCP tools belong to one run's sessions
        key += (ctx.mcp, ctx.run_id)
    if key not in _TOOLS:
        _TOOLS[key] = tuple(tools_for(role, tctx))
    return list(_TOOLS[key])


def brief_of(task: DocumentTask) -> Brief:
    """The run's brief, from the task."""
    return Brief.model_validate(task["brief"])


def figures_of(task: DocumentTask) -> Figures:
    """The run's planning figures, from the task."""
    return Figures.model_validate(task["figures"])


def run_constraints(task: DocumentTask) -> dict[str, Any]:
    """The hard constraints tools and checks apply: the brief's (YAML constraints already won there)."""
    return brief_constraints_dict(brief_of(task))


def figures_source_id(sources: list[dict[str, Any]]) -> str | None:
    """The research log id of the planning figures (they are cited like any source)."""
    return next((s["id"] for s in sources if s.get("kind") == "figures"), None)


def writer_decisions(decisions: dict[str, Any]) -> dict[str, Any]:
    """Earlier documents' decisions the writer reads (the brief, figures and rubric reach it through the contract)."""
    return {k: v for k, v in decisions.items() if k not in {"brief", "figures", "profile", "rubric"}}


def facts_for(task: DocumentTask, decisions: dict[str, Any], language: str) -> Facts:
    """This document's facts: the brief, the figures and earlier documents' decisions."""
    ref = figures_source_id(task.get("sources") or [])
    return document_facts(brief_of(task), figures_of(task), decisions, language, figures_ref=f"[{ref}]" if ref else "")


def contract_for(task: DocumentTask, spec: DocumentSpec, decisions: dict[str, Any], language: str) -> str:
    """The `<contract>` block: the document's sections resolved with this run's facts."""
    return contract_block(spec, facts_for(task, decisions, language), language)


INTERNAL_KINDS = {"knowledge", "catalog", "figures"}
"""Sources whose ref is an internal address (a knowledge-base anchor, a catalog id): prompts leave it out."""


def _ref_attribute(source: dict[str, Any]) -> str:
    """The ref attribute for the organisation's own material and the web (where a writer may want it), none otherwise."""
    return "" if source.get("kind") in INTERNAL_KINDS else f' ref="{source["ref"]}"'


def contract_outline_for(task: DocumentTask, spec: DocumentSpec, decisions: dict[str, Any], language: str) -> str:
    """The reviewer's view of the contract: what each section is for, without the points."""
    return contract_outline(spec, facts_for(task, decisions, language), language)


def findings_block(sources: list[dict[str, Any]], sections: set[str] | None = None) -> str:
    """Sources as `<source>` elements, in research-log order; only those of `sections` (plus domain notes) when given."""
    parts = []
    for s in sources:
        section = s.get("section") or ""
        if sections is not None and section not in sections and section != "domain":
            continue
        parts.append(
            f'<source id="{s["id"]}" section="{section}" kind="{s["kind"]}"{_ref_attribute(s)}>\n{s["title"]}\n'
            f'{excerpt(s["text"], EXCERPT_BY_KIND.get(s["kind"], EXCERPT_CHARS))}\n</source>'
        )
    return "\n".join(parts) or "(no findings)"
