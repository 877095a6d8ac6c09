"""Run decisions: read from accepted documents, stored per run, read by later documents."""

from __future__ import annotations

import re
from typing import Any

from langgraph.store.base import BaseStore

from genai_planner.documents import markdown as md
from genai_planner.documents.checks import find_recommendation
from genai_planner.documents.specs import DocumentSpec
from genai_planner.memory.namespaces import decisions_ns

ITALIC_RE = re.compile(r"(?<!\*)\*([^*\n]+)\*(?!\*)")
BOLD_RE = re.compile(r"\*\*([^*\n]+?)\*\*")


def _clean_item(line: str) -> str:
    line = re.sub(r"^(?:[-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?", "", line.strip())
    line = md.CITATION_RE.sub("", line)
    return re.sub(r"\s+", " ", line.replace("**", "")).strip()


def extract_decisions(spec: DocumentSpec, markdown: str, language: str) -> dict[str, Any]:
    """The decisions an accepted document records (spec `records`), parsed from its Markdown."""
    doc = md.parse_document(markdown)
    titles = spec.section_titles(language)  # type: ignore[arg-type]

    def section(section_id: str) -> str:
        found = doc.find(titles[section_id]) if section_id in titles else None
        return found.text if found else ""

    out: dict[str, Any] = {}
    if "requirements" in spec.records:
        out["requirements"] = [_clean_item(i) for i in md.list_items(section("requirements"))]
    if "metrics" in spec.records:
        names = []
        for item in md.list_items(section("key_metrics")):
            match = ITALIC_RE.search(item.replace("**", "\0\0"))
            if match:
                names.append(match.group(1).strip())
        out["metrics"] = names
    if "recommended_model" in spec.records:
        rec, runner = find_recommendation(section("recommendation"))
        out["recommended_model"] = rec
        out["runner_up"] = runner
    if "rubric" in spec.records:
        rows = md.table_rows(section("rubric"))
        out["rubric"] = [{"category": r[0], "weight": r[-1]} for r in rows[1:]] if len(rows) > 1 else []
    if "techniques" in spec.records:
        out["techniques"] = [m.group(1) for i in md.list_items(section("techniques")) if (m := BOLD_RE.search(i))]
    return {k: v for k, v in out.items() if v}


async def save_decisions(store: BaseStore, run_id: str, decisions: dict[str, Any]) -> None:
    """Store each decision under the run's namespace."""
    for key, value in decisions.items():
        await store.aput(decisions_ns(run_id), key, {"value": value})


async def load_decisions(store: BaseStore | None, run_id: str) -> dict[str, Any]:
    """Every decision recorded so far in this run."""
    if store is None:
        return {}
    items = await store.asearch(decisions_ns(run_id), limit=100)
    return {item.key: item.value.get("value") for item in items}
