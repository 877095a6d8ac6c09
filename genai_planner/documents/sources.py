"""How a source is named in a document's Sources list: a title and an origin the client can read.

The research log keeps each source's internal address (`kb/en/…md#…`, `catalog:gpt-4o`,
`figures:planning`) so the run can be traced; the client cannot open any of those, so the
Sources list shows where the source comes from in words instead. The client's own files and
web pages keep their address, which the client can open.
"""

from __future__ import annotations

import re
from typing import Any

from genai_planner.core import regex_cache

ORIGINS: dict[str, dict[str, str]] = {
    "knowledge": {"en": "planning guide", "ko": "기획 가이드"},
    "catalog": {"en": "model catalog, from the provider's published documentation", "ko": "모델 카탈로그(제공사 공개 문서 기준)"},
    "figures": {"en": "calculated for this plan from the use case", "ko": "이 계획을 위해 사용 사례에서 계산"},
    "user_document": {"en": "your document", "ko": "귀사 문서"},
    "web": {"en": "web page", "ko": "웹 페이지"},
}
"""The origin shown for each kind of source."""

INTERNAL_REF_RE = regex_cache.compile(r"^(?:figures:|catalog:|kb/|knowledge/)|\.ya?ml(?:#|$)")
"""Addresses that only mean something inside the planner."""


def origin(source: dict[str, Any], language: str) -> str:
    """Where a source comes from, in words; the address itself only when the client can open it."""
    kind = source.get("kind") or ""
    ref = str(source.get("ref") or "")
    words = ORIGINS.get(kind, {}).get(language, "")
    if kind == "user_document" and ref:
        name = re.sub(r"#.*$", "", ref).removeprefix("docs/")
        return f"{words}: {name}" if name else words
    if kind == "web" and ref.startswith(("http://", "https://")):
        return ref
    if ref and not INTERNAL_REF_RE.search(ref) and not words:
        return ref
    return words


def source_line(source: dict[str, Any], language: str) -> str:
    """'- [S2] Title — planning guide': one line of a Sources list."""
    title = str(source.get("title") or "").strip()
    where = origin(source, language)
    return f"- [{source.get('id')}] {title}" + (f" — {where}" if where else "")
