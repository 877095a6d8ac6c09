"""Lessons across runs: which checks the reviewer failed most often, and what fixed them."""

from __future__ import annotations

import hashlib
from typing import Any

from langgraph.store.base import BaseStore

from genai_planner.memory.namespaces import lessons_ns


def _key(doc_id: str, check_id: str) -> str:
    return hashlib.sha1(f"{doc_id}:{check_id}".encode()).hexdigest()[:16]


async def record_lesson(store: BaseStore, user_id: str, doc_id: str, check_id: str, detail: str, fix: str) -> None:
    """Count one more send-back for (document, check) and remember the latest fix."""
    ns = lessons_ns(user_id)
    key = _key(doc_id, check_id)
    item = await store.aget(ns, key)
    count = (item.value.get("count", 0) if item else 0) + 1
    await store.aput(ns, key, {"doc_id": doc_id, "check_id": check_id, "count": count, "detail": detail[:300], "fix": fix[:300]})


async def lessons_for(store: BaseStore | None, user_id: str, doc_id: str, limit: int = 5) -> list[dict[str, Any]]:
    """The most frequent lessons for a document, most frequent first."""
    if store is None:
        return []
    items = await store.asearch(lessons_ns(user_id), filter={"doc_id": doc_id}, limit=100)
    values = sorted((i.value for i in items), key=lambda v: (-v["count"], v["check_id"]))
    return values[:limit]


def render_lessons(lessons: list[dict[str, Any]]) -> str:
    """Lessons as lines the writer reads before its first draft."""
    return "\n".join(
        f"- Check '{v['check_id']}' failed {v['count']} time(s) in earlier runs ({v['detail']}). What fixed it: {v['fix']}"
        for v in lessons
    )


async def all_lessons(store: BaseStore, user_id: str) -> list[dict[str, Any]]:
    """Every lesson of a user."""
    items = await store.asearch(lessons_ns(user_id), limit=1000)
    return sorted((i.value for i in items), key=lambda v: (v["doc_id"], -v["count"]))


async def clear_lessons(store: BaseStore, user_id: str) -> int:
    """Delete every lesson of a user; returns how many were deleted."""
    items = await store.asearch(lessons_ns(user_id), limit=1000)
    for item in items:
        await store.adelete(lessons_ns(user_id), item.key)
    return len(items)
