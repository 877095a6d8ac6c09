"""Reading the agents' prompts: the tagged blocks any model sees, parsed for the offline engine."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from genai_planner.core import regex_cache

_SOURCE_RE = regex_cache.compile(r'<source id="(S\d+)" section="([^"]*)" kind="([^"]*)"(?: ref="([^"]*)")?>\n(.*?)\n</source>', re.DOTALL)


def block(text: str, tag: str) -> str | None:
    """The content of the first `<tag>...</tag>` block (attributes allowed), or None."""
    match = re.search(rf"^<{tag}(?:\s[^>]*)?>[ \t]*\n(.*?)\n</{tag}>[ \t]*$", text, re.DOTALL | re.MULTILINE)
    return match.group(1).strip() if match else None


def json_block(text: str, tag: str, default: Any = None) -> Any:
    """A tagged block parsed as JSON (the default when absent or malformed)."""
    raw = block(text, tag)
    if raw is None:
        return default
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return default


@dataclass
class Finding:
    """One source from a `<findings>` block."""

    id: str
    section: str
    kind: str
    ref: str
    title: str
    text: str
    bullets: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


def parse_findings(text: str) -> list[Finding]:
    """Every `<source>` inside the prompt's `<findings>` block."""
    body = block(text, "findings") or ""
    findings = []
    for sid, section, kind, ref, content in _SOURCE_RE.findall(body):
        title, _, rest = content.partition("\n")
        bullets = [ln[2:].strip() for ln in rest.splitlines() if ln.startswith("- ")]
        prose = " ".join(ln.strip() for ln in rest.splitlines() if ln.strip() and not ln.startswith("- "))
        sentences = [s.strip() for s in re.split(r"(?<=[.!?다])\s+", prose) if len(s.strip()) > 20]
        findings.append(Finding(sid, section, kind, ref, title.strip(), rest.strip(), bullets, sentences))
    return findings
