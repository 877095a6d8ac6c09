"""What agents share: the run's usage record, tool context and prompt blocks built from state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.tools import BaseTool

from genai_planner.core.config import RunContext
from genai_planner.core.settings import load_settings
from genai_planner.documents.specs import DocumentSpec, load_document_specs
from genai_planner.models.calls import RunUsage, current_usage
from genai_planner.tools.base import ToolContext
from genai_planner.tools.registry import tools_for

if TYPE_CHECKING:
    from genai_planner.graph.state import DocumentTask

LANGUAGE_NAMES = {"en": "English", "ko": "Korean"}


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
    )


_TOOLS: dict[tuple[str | None, ...], tuple[BaseTool, ...]] = {}


def clear_tool_cache() -> None:
    """Forget built tools (tests install plugins or change keys between runs)."""
    _TOOLS.clear()


def agent_tools(role: str, ctx: RunContext, scenario: dict[str, Any]) -> list[BaseTool]:
    """The tools `role` may call in this run, built once per distinct tool context."""
    tctx = tool_context(ctx, scenario)
    key = (role, tctx.language, ctx.docs_dir, json.dumps(tctx.constraints, sort_keys=True), tctx.tavily_api_key, tctx.tavily_base_url)
    if key not in _TOOLS:
        _TOOLS[key] = tuple(tools_for(role, tctx))
    return list(_TOOLS[key])


def profile_block(task: DocumentTask, ctx: RunContext, spec: DocumentSpec) -> str:
    """The `<profile>` JSON: what the planner understood plus language, constraints and document."""
    profile = dict(task["plan"].get("profile") or {})
    profile.update(
        language=ctx.language,
        constraints=task["scenario"].get("constraints") or {},
        doc_id=spec.id,
        doc_title=spec.title.get(ctx.language),  # type: ignore[arg-type]
    )
    return json.dumps(profile, ensure_ascii=False, indent=1)


def section_specs_block(spec: DocumentSpec, language: str, section_ids: list[str] | None = None) -> str:
    """The `<section_specs>` JSON for some or all sections, in the run's language."""
    out = []
    for s in spec.sections:
        if section_ids is not None and s.id not in section_ids:
            continue
        out.append(
            {
                "id": s.id,
                "title": s.title.get(language),  # type: ignore[arg-type]
                "form": s.form,
                "items": s.items,
                "labels": s.labels.get(language) if s.labels else None,  # type: ignore[arg-type]
                "blocks": s.blocks.get(language) if s.blocks else None,  # type: ignore[arg-type]
                "highlight": s.highlight,
                "compact": s.compact,
                "carry_metrics": s.carry_metrics,
                "guidance": s.guidance,
            }
        )
    return json.dumps(out, ensure_ascii=False, indent=1)


def findings_block(sources: list[dict[str, Any]], sections: set[str] | None = None) -> str:
    """Sources as `<source>` elements; only those of `sections` (plus sector notes) when given."""
    parts = []
    for s in sources:
        section = s.get("section") or ""
        if sections is not None and section not in sections and section != "domain":
            continue
        parts.append(
            f'<source id="{s["id"]}" section="{section}" kind="{s["kind"]}" ref="{s["ref"]}">\n{s["title"]}\n{s["text"]}\n</source>'
        )
    return "\n".join(parts) or "(no findings)"
