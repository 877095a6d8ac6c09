"""The research log: every result a tool returned, numbered as a citable source."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from genai_planner.tools.results import normalise_output


class Source(BaseModel):
    """A citable source: what a tool returned, with where it came from.

    `section` is the section whose question first found it; `sections` every section whose
    question returned it. `withheld` counts the sentences the tool boundary kept from the
    writer because they read like instructions to the model (they are in the trace).
    """

    id: str
    title: str
    ref: str
    kind: str
    text: str
    tool: str
    query: str = ""
    section: str | None = None
    sections: list[str] = []
    withheld: int = 0
    withheld_text: list[str] = []
    """The withheld sentences and their payloads (never in a prompt: the checks read them so no draft carries one)."""


EXCERPT_CHARS = 240
"""How much of a source's text a prompt carries, in UTF-8 bytes (about a quarter as many tokens,
in any script): its opening lines, cut at a line or sentence end.

The research log keeps the whole text (the report and the trace show it); prompts carry an
excerpt, because the same findings go into every call of a document and the first lines of
a note carry its point. The limit is in bytes, not characters, so a Korean note costs a prompt
what an English one does."""


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The opening of `text` within `limit` UTF-8 bytes, cut at the last line or sentence end that fits."""
    text = text.strip()
    if len(text.encode("utf-8")) <= limit:
        return text
    head = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    cut = max(head.rfind("\n"), head.rfind(". "), head.rfind("다. "))
    return (head[: cut + 1] if cut > limit // 3 else head).rstrip() + " …"


class ResearchLog(BaseModel):
    """Sources for one document, numbered S1, S2, ... in the order tools returned them."""

    sources: list[Source] = []

    def add_results(self, tool: str, results: list[dict[str, Any]], query: str = "", section: str | None = None) -> list[Source]:
        """Register results that follow the contract (title, ref, text, kind); a repeated ref keeps its first id."""
        added = []
        for r in results:
            existing = next((s for s in self.sources if s.ref == r["ref"]), None)
            if existing is not None:
                if section and section not in existing.sections:
                    existing.sections.append(section)
                added.append(existing)
                continue
            source = Source(
                id=f"S{len(self.sources) + 1}",
                title=str(r["title"]),
                ref=str(r["ref"]),
                kind=str(r["kind"]),
                text=str(r["text"]),
                tool=tool,
                query=query,
                section=section,
                sections=[section] if section else [],
                withheld=int(r.get("withheld") or 0),
                withheld_text=[str(t) for t in r.get("withheld_text") or []],
            )
            self.sources.append(source)
            added.append(source)
        return added

    def add_tool_output(self, tool: str, content: str, query: str = "", section: str | None = None) -> list[Source]:
        """Register a tool's output given as text (JSON or plain), normalised by the tool-result contract."""
        try:
            data: Any = json.loads(content)
        except (json.JSONDecodeError, TypeError):
            data = content
        return self.add_results(tool, normalise_output(tool, data)["results"], query=query, section=section)

    def ids(self) -> set[str]:
        """Every source id in the log."""
        return {s.id for s in self.sources}
