"""The one tool registry: built-ins and plugins alike come from the `genai_planner.tools` group.

An entry point names a LangChain tool, or a factory `(ToolContext) -> tool | list[tool]`.
Only installed entry points are loaded; nothing is ever imported from a path found in
content. Which agent may call which tool is configurable (`GENAI_PLANNER_TOOL_ACCESS`,
e.g. `researcher=*;writer=model_catalog`; by default only the researcher calls tools).
Which research questions a tool answers is its own declaration, `tool.metadata["answers"]`.
MCP servers (`--mcp FILE`, `tools.mcp`) add their tools here too, with origin `mcp:<server>`,
so they pass the same access rule and the same runner.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fnmatch import fnmatchcase
from importlib.metadata import entry_points

import structlog
from langchain_core.tools import BaseTool

from genai_planner.tools.base import ToolContext

ENTRY_POINT_GROUP = "genai_planner.tools"
DEFAULT_ACCESS: dict[str, list[str]] = {"researcher": ["*"], "planner": [], "writer": [], "reviewer": []}

log = structlog.get_logger("genai_planner.tools")


@dataclass(frozen=True)
class RegisteredTool:
    """A tool with where it came from and which agents may call it."""

    tool: BaseTool
    origin: str
    agents: tuple[str, ...]


def parse_access(spec: str | None) -> dict[str, list[str]]:
    """Parse `role=a,b;role2=*` into a role → tool-name list mapping (defaults where unset)."""
    access = {role: list(names) for role, names in DEFAULT_ACCESS.items()}
    for part in (spec or "").split(";"):
        if "=" not in part:
            continue
        role, names = part.split("=", 1)
        access[role.strip()] = [n.strip() for n in names.split(",") if n.strip()]
    return access


def _disabled() -> set[str]:
    return {n.strip() for n in os.environ.get("GENAI_PLANNER_DISABLED_TOOLS", "").split(",") if n.strip()}


def discover_tools(ctx: ToolContext) -> list[RegisteredTool]:
    """Load every enabled tool from the entry-point group; a broken plugin is logged and skipped."""
    access = parse_access(os.environ.get("GENAI_PLANNER_TOOL_ACCESS"))
    disabled = _disabled()
    found: dict[str, RegisteredTool] = {}
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in disabled:
            continue
        origin = f"{ep.dist.name if ep.dist else '?'}:{ep.value}"
        try:
            target = ep.load()
            built = target if isinstance(target, BaseTool) else target(ctx)
        except Exception as exc:  # a plugin must not take the run down
            log.warning("tool_load_failed", tool=ep.name, origin=origin, error=f"{type(exc).__name__}: {exc}")
            continue
        for tool in built if isinstance(built, list | tuple) else [built]:
            if not isinstance(tool, BaseTool) or tool.name in disabled:
                continue
            agents = tuple(r for r, names in access.items() if "*" in names or tool.name in names)
            found.setdefault(tool.name, RegisteredTool(tool=tool, origin=origin, agents=agents))
    if ctx.mcp_config:
        _add_mcp_tools(ctx, access, disabled, found)
    return list(found.values())


def _add_mcp_tools(ctx: ToolContext, access: dict[str, list[str]], disabled: set[str], found: dict[str, RegisteredTool]) -> None:
    """The tools of the run's MCP servers, through the same access rule; a name a tool already has gets the server's prefix."""
    from genai_planner.tools.mcp import mcp_hub

    for tool, server in mcp_hub(ctx.mcp_config, ctx.run_id).tools():  # type: ignore[arg-type]
        if tool.name in found:
            tool.name = f"{server.name}_{tool.name}"[:64]
        if tool.name in disabled or tool.name in found:
            continue
        agents = tuple(r for r, names in access.items() if "*" in names or tool.name in names)
        found[tool.name] = RegisteredTool(tool=tool, origin=server.origin, agents=agents)


def declared_answers(tool: BaseTool) -> list[str] | None:
    """The question patterns `tool` declares in `metadata["answers"]`; None when it declares none (it answers all)."""
    answers = (tool.metadata or {}).get("answers")
    if answers is None:
        return None
    return [answers] if isinstance(answers, str) else [str(a) for a in answers]


def answers_question(tool: BaseTool, doc_id: str, section: str) -> bool:
    """Whether `tool` answers the research question of `section` in document `doc_id`.

    Patterns are shell-style and match the section id (`key_metrics`, `domain` for the
    sector question, `*`) or `<doc_id>:<section id>` (`2:*`, `1:problem_statement`).
    """
    patterns = declared_answers(tool)
    if patterns is None:
        return True
    return any(fnmatchcase(section, p) or fnmatchcase(f"{doc_id}:{section}", p) for p in patterns)


def tools_for(role: str, ctx: ToolContext) -> list[BaseTool]:
    """The tools an agent role may call."""
    return [t.tool for t in discover_tools(ctx) if role in t.agents]
