"""What every tool shares: the context it is built with and the shape of its results.

The tool-result contract (the README's "Custom tools" shows it in use). A tool may return

- plain text: one result, titled after the tool;
- a structured result: a dict (or a `ToolHit`) with `text` and optionally `title`, `ref` and `kind`;
- a list of them (dicts, `ToolHit`s or strings);
- `{"results": [...], "note": "...", "warnings": [...]}`, as a dict or as its JSON string
  (`tool_result` writes it): `note` is shown to the researcher, each warning is traced.

The tool boundary (`tools.runner`, through `tools.results.normalise_output`) turns any of
them into results with all four fields: a missing `ref` becomes a stable synthetic one,
`tool:<name>#<hash of the text>`; a missing `title` becomes `<name> result`; a missing `kind`
becomes `tool` (plugin or tool evidence, cited like any other source). Anything it cannot
use (an item without text, a number, a result over the size limits) is a `tool_warning`
trace event, never a silent drop. Each result then becomes a numbered source (S1, S2 ...)
of the research log, so documents can only cite what a tool really returned.

A tool says which research questions it answers with `tool.metadata["answers"]`: section
ids or `"<doc_id>:<section id>"` patterns (shell-style, `*` allowed), `"domain"` for the
sector question; absent means every question, `[]` means only when the planner names it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

DEFAULT_KIND = "tool"
"""The kind of a result that does not name one: evidence from a plugin or tool."""


@dataclass(frozen=True)
class ToolContext:
    """Run-time facts a tool factory may need; never visible to the model."""

    language: str = "en"
    docs_dir: Path | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    tavily_api_key: str | None = None
    tavily_base_url: str | None = None
    mcp_config: str | None = None
    """An `mcpServers` JSON file (`--mcp`): its servers' tools join the registry."""
    run_id: str = "local"
    """Whose MCP sessions the tools use (each run opens and closes its own)."""


class ToolHit(BaseModel):
    """One result a tool found: becomes one source in the research log."""

    title: str
    ref: str
    text: str
    kind: str = DEFAULT_KIND


def tool_result(hits: list[ToolHit], note: str = "", warnings: list[str] | None = None) -> str:
    """Serialise hits as the JSON string the built-in tools return (warnings are traced by the runner)."""
    payload: dict[str, Any] = {"results": [h.model_dump() for h in hits], "note": note}
    if warnings:
        payload["warnings"] = list(warnings)
    return json.dumps(payload, ensure_ascii=False)
