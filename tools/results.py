"""The tool-result contract, enforced: whatever a tool returns becomes results with title, ref, text and kind.

`normalise_output` accepts every shape `tools.base` documents (plain text, a structured
result, a list, `{"results": [...], "note": ..., "warnings": [...]}` or its JSON string, a
LangChain `Document`) and returns a JSON-ready payload. What it cannot use becomes a
warning in that payload; the runner traces each one. It is idempotent, so a payload it made
(or one recorded before the contract) goes through it again unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import BaseModel

from genai_planner.core import regex_cache
from genai_planner.tools.base import DEFAULT_KIND

MAX_RESULTS = 20
MAX_TEXT_CHARS = 4000
MAX_TITLE_CHARS = 300
MAX_REF_CHARS = 500
MAX_NOTE_CHARS = 2000

_KIND_RE = regex_cache.compile(r"[^a-z0-9_-]+")
_REF_RE = regex_cache.compile(r'[\s"<>]+')


def synthetic_ref(tool: str, text: str) -> str:
    """A stable ref for a result that has none: the tool's name and a hash of the text."""
    return f"tool:{tool}#{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def _as_data(value: Any) -> Any:
    """Pydantic models and LangChain documents as plain dicts; JSON strings parsed."""
    if hasattr(value, "page_content"):  # a LangChain Document (itself a pydantic model)
        meta = dict(getattr(value, "metadata", None) or {})
        return {"text": value.page_content, "title": meta.get("title"), "ref": meta.get("ref") or meta.get("source"), "kind": meta.get("kind")}
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str) and value.strip()[:1] in {"{", "["}:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _one_line(value: Any, limit: int) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()[:limit]


def _result(tool: str, item: Any, where: str, warnings: list[str]) -> dict[str, Any] | None:
    item = _as_data(item)
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        warnings.append(f"{where}: a {type(item).__name__} is not a result (give text, or a dict with title, ref, text, kind); not used")
        return None
    text = item.get("text")
    if text is None:
        text = item.get("content")
    if text is not None and not isinstance(text, str):
        text = json.dumps(text, ensure_ascii=False, default=str) if isinstance(text, dict | list) else str(text)
    text = (text or "").strip()
    if not text:
        keys = ", ".join(sorted(map(str, item))) or "none"
        warnings.append(f"{where}: no text (keys: {keys}); not used")
        return None
    if len(text) > MAX_TEXT_CHARS:
        warnings.append(f"{where}: text of {len(text)} characters cut to {MAX_TEXT_CHARS}")
        text = text[:MAX_TEXT_CHARS]
    ref = _REF_RE.sub("_", str(item.get("ref") or item.get("url") or "").strip())[:MAX_REF_CHARS] or synthetic_ref(tool, text)
    title = _one_line(item.get("title"), MAX_TITLE_CHARS) or f"{tool} result"
    kind = _KIND_RE.sub("_", str(item.get("kind") or "").strip().lower())[:40].strip("_") or DEFAULT_KIND
    return {"title": title, "ref": ref, "text": text, "kind": kind}


def normalise_output(tool: str, raw: Any) -> dict[str, Any]:
    """`raw` (anything a tool returned) as `{"results": [...], "note": str, "warnings": [str]}`.

    Args:
        tool: The tool's name (for synthetic refs, titles and warnings).
        raw: What the tool returned.

    Returns:
        A JSON-serialisable payload: every result has title, ref, text and kind; every part
        of `raw` that could not be used is described in `warnings`.
    """
    data = _as_data(raw)
    warnings: list[str] = []
    note = ""
    items: list[Any]
    if data is None or (isinstance(data, str) and not data.strip()):
        return {"results": [], "note": "", "warnings": [f"{tool} returned nothing"]}
    if isinstance(data, dict) and ("results" in data or ("note" in data and not ({"text", "content"} & set(data)))):
        note = _one_line(data.get("note"), MAX_NOTE_CHARS) if data.get("note") else ""
        declared = data.get("warnings") or []
        warnings += [str(w)[:500] for w in (declared if isinstance(declared, list) else [declared])]
        results = data.get("results", [])
        if isinstance(results, list | tuple):
            items = list(results)
        elif results in (None, ""):
            items = []
        else:
            items = [results]
    elif isinstance(data, list | tuple):
        items = list(data)
    else:
        items = [data]
    if len(items) > MAX_RESULTS:
        warnings.append(f"{len(items)} results; only the first {MAX_RESULTS} are used")
        items = items[:MAX_RESULTS]
    out = []
    for i, item in enumerate(items, 1):
        result = _result(tool, item, f"result {i}", warnings)
        if result is not None:
            out.append(result)
    return {"results": out, "note": note, "warnings": warnings}
