"""What every tool shares: the context it is built with and the shape of its results.

A tool returns a JSON string `{"results": [{"title", "ref", "text"}...], "note": "..."}`.
The tool boundary (`tools.runner`) turns each result into a numbered source of the
research log, so documents can only cite what a tool really returned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class ToolContext:
    """Run-time facts a tool factory may need; never visible to the model."""

    language: str = "en"
    docs_dir: Path | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    tavily_api_key: str | None = None
    tavily_base_url: str | None = None


class ToolHit(BaseModel):
    """One result a tool found: becomes one source in the research log."""

    title: str
    ref: str
    text: str
    kind: str = "knowledge"


def tool_result(hits: list[ToolHit], note: str = "") -> str:
    """Serialise hits as the JSON string every tool returns."""
    return json.dumps({"results": [h.model_dump() for h in hits], "note": note}, ensure_ascii=False)
