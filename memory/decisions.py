"""Run decisions: read from accepted documents, stored per run, read by later documents."""

from __future__ import annotations

import re
from typing import Any

from langgraph.store.base import BaseStore

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import find_recommendation
from genai_planner.documents.contract import vocabulary
from genai_planner.documents.specs import DocumentSpec
from genai_planner.memory.namespaces import decisions_ns

ITALIC_RE = regex_cache.compile(r"(?<!\*)\*([^*\n]+)\*(?!\*)")
BOLD_RE = regex_cache.compile(r"\*\*([^*\n]+?)\*\*")


def _clean_item(line: str) -> str:
    line = re.sub(r"^(?:[-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?", "", line.strip())
    line = md.CITATION_RE.sub("", line)
    return re.sub(r"\s+", " ", line.replace("**", "")).strip()


LABEL_SPLIT_RE = regex_cache.compile(r"\s*[:—–]\s*|\s+-\s+")


def metric_name(item: str) -> str | None:
    """A metric's name from a labelled item, for a writer that chose its own names.

    '**Technical: Factual consistency:** ...' -> 'Factual consistency'; '*Routing accuracy* - ...' ->
    'Routing accuracy'; '**Routing accuracy** - ...' -> 'Routing accuracy'. In plain text the label is
    the first part, after a metric kind: 'Technical: Factual consistency: ...' -> 'Factual consistency',
    'Routing accuracy - ...' -> 'Routing accuracy'.
    """
    emphasis = ITALIC_RE.search(item.replace("**", "\0\0")) or BOLD_RE.search(item)
    if emphasis:
        label = emphasis.group(1).strip().rstrip(":").strip()
        name = LABEL_SPLIT_RE.split(label)[-1].strip()
        return name or None
    parts = [p.strip() for p in LABEL_SPLIT_RE.split(_clean_item(item)) if p.strip()]
    if len(parts) > 2 and parts[0].lower() in _metric_kinds():
        return parts[1]
    return parts[0] if parts else None


def _metric_kinds() -> set[str]:
    """The words a metric's kind is written with ('Technical', 'Business', '기술' ...), lowercased."""
    return {word.lower() for words in vocabulary().get("metric_kind", {}).values() for word in words.values()}


def extract_decisions(spec: DocumentSpec, markdown: str, language: str, figures: dict[str, Any] | None = None) -> dict[str, Any]:
    """The decisions an accepted document records (spec `records`), parsed from its Markdown.

    Metrics are the figures' target names the document names (matched as plain text, in any
    formatting); a writer that named its own metrics has them read from its labelled items.
    Model names are read after the contract's markers.
    """
    doc = md.parse_document(markdown)
    titles = spec.section_titles(language)  # type: ignore[arg-type]

    def section(section_id: str) -> str:
        found = doc.find(titles[section_id]) if section_id in titles else None
        return found.text if found else ""

    out: dict[str, Any] = {}
    if "requirements" in spec.records:
        out["requirements"] = [_clean_item(i) for i in md.list_items(section("requirements"))]
    if "metrics" in spec.records:
        text = section("key_metrics")
        names = [t["metric"] for t in (figures or {}).get("targets", []) if t["metric"].lower() in text.lower()]
        if not names:
            names = [n for item in md.list_items(text) if (n := metric_name(item))]
        out["metrics"] = names
    if "recommended_model" in spec.records:
        rec, runner = find_recommendation(section("recommendation"), spec, language)
        out["recommended_model"] = rec
        out["runner_up"] = runner
    if "rubric" in spec.records:
        rows = md.table_rows(section("rubric"))
        out["rubric"] = [{"category": r[0], "weight": r[-1]} for r in rows[1:]] if len(rows) > 1 else []
    if "techniques" in spec.records:
        out["techniques"] = [m.group(1) for i in md.list_items(section("techniques")) if (m := BOLD_RE.search(i))]
    return {k: v for k, v in out.items() if v}


def with_figure_stand_ins(decisions: dict[str, Any], figures: dict[str, Any] | None) -> dict[str, Any]:
    """The recorded decisions, with the figures' own decisions standing in for a document that did not run.

    A subset run (`--documents 3`) has no document 2 to record the recommended model, nor a
    document 1 to record the key metrics; the figures computed both, and documents 3-5 are
    written from them, so the consistency review holds them to the figures instead of finding
    every catalog model a rival. A decision a document did record always wins.
    """
    out = dict(decisions)
    figures = figures or {}
    if not out.get("recommended_model") and figures.get("recommended"):
        out["recommended_model"] = figures["recommended"]
        if not out.get("runner_up") and figures.get("runner_up"):
            out["runner_up"] = figures["runner_up"]
    if "metrics" not in out and "requirements" not in out:
        names = [t["metric"] for t in figures.get("targets") or [] if t.get("metric")]
        if names:
            out["metrics"] = names
    return out


async def restore_decisions(store: BaseStore, run_id: str, values: dict[str, Any], specs: dict[str, DocumentSpec], language: str) -> dict[str, Any]:
    """Put back what a run had decided, from its checkpointed state, into a store that starts empty.

    The same decisions the run stored as it went: the brief and figures, and each finished
    document's decisions read from its final text (what `remember_document` read from it).
    """
    decisions: dict[str, Any] = {}
    figures = values.get("figures")
    for key in ("brief", "figures"):
        if values.get(key):
            decisions[key] = values[key]
    for doc_id, record in (values.get("documents") or {}).items():
        if record.get("status") in {"passed", "failed"} and record.get("final") and doc_id in specs:
            decisions.update(extract_decisions(specs[doc_id], record["final"], language, figures))
    await save_decisions(store, run_id, decisions)
    return decisions


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
