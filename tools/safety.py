"""Untrusted content: tool output is data, never instructions.

Lines that read like instructions to an AI system are removed from tool results before
they reach the research log, and each removal is a trace event.
"""

from __future__ import annotations

import re

INJECTION_RE = re.compile(
    r"ignore (all |any )?(the )?(previous|prior|above|earlier) instructions|disregard (the |all |any )?(previous |prior )?instructions|"
    r"\bcall (the )?tool\b|\bsystem prompt\b|you are now\b|new instructions\s*:|이전 지시(를|사항을)? 무시|지시를 무시",
    re.IGNORECASE,
)


def looks_like_injection(text: str) -> bool:
    """Whether `text` reads like an instruction aimed at the model."""
    return bool(INJECTION_RE.search(text))


def strip_injections(text: str) -> tuple[str, list[str]]:
    """`text` without instruction-like lines, and the lines removed."""
    kept, removed = [], []
    for line in text.splitlines():
        (removed if looks_like_injection(line) else kept).append(line)
    return "\n".join(kept), removed
