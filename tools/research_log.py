"""The research log: every result a tool returned, numbered as a citable source."""

from __future__ import annotations

import json

from pydantic import BaseModel


class Source(BaseModel):
    """A citable source: what a tool returned, with where it came from."""

    id: str
    title: str
    ref: str
    kind: str
    text: str
    tool: str
    query: str = ""
    section: str | None = None


class ResearchLog(BaseModel):
    """Sources for one document, numbered S1, S2, ... in the order tools returned them."""

    sources: list[Source] = []

    def add_tool_output(self, tool: str, content: str, query: str = "", section: str | None = None) -> list[Source]:
        """Register each result of a tool's JSON output; a repeated ref keeps its first id."""
        try:
            payload = json.loads(content)
            results = payload.get("results", []) if isinstance(payload, dict) else []
        except (json.JSONDecodeError, AttributeError):
            return []
        added = []
        for r in results:
            if not isinstance(r, dict) or not r.get("ref"):
                continue
            existing = next((s for s in self.sources if s.ref == r["ref"]), None)
            if existing is not None:
                added.append(existing)
                continue
            source = Source(
                id=f"S{len(self.sources) + 1}",
                title=str(r.get("title", r["ref"]))[:300],
                ref=str(r["ref"])[:500],
                kind=str(r.get("kind", "knowledge")),
                text=str(r.get("text", ""))[:4000],
                tool=tool,
                query=query,
                section=section,
            )
            self.sources.append(source)
            added.append(source)
        return added

    def ids(self) -> set[str]:
        """Every source id in the log."""
        return {s.id for s in self.sources}
