"""The run directory's files: documents, version chain, sub-task drafts and manifest.json.

manifest.json is a contract other tools read: its keys only grow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from genai_planner.core.config import RunContext
from genai_planner.core.tracing import emit, read_trace, redact
from genai_planner.documents.specs import DocumentSpec

MANIFEST_VERSION = 2
"""2: adds brief, figures, plan and plan_source."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()
"""The mode a plain `open(path, "w")` would give (read once, at import)."""


def _atomic_write(path: Path, text: str) -> None:
    """Write `path` whole or not at all: a temp file of its own beside it, then a rename over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)  # mkstemp makes 0600; a document is as readable as any file the user writes
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


WRITTEN_FILE = "written.json"
"""{document file: sha256 of the text the run wrote}: how a hand edit is told from the run's own text."""


def content_hash(text: str | bytes) -> str:
    """sha256 of a document's bytes (UTF-8 for text)."""
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def written_hashes(run_dir: Path) -> dict[str, str]:
    """The hashes recorded when the run last wrote its documents ({} for older runs)."""
    try:
        data = json.loads((run_dir / WRITTEN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def keep_hand_edit(run_dir: Path, name: str, new_text: str, recorded: dict[str, str]) -> Path | None:
    """Move a document a person edited out of the way before the run writes over it.

    A file is the run's own when its hash is the one recorded when the run wrote it; a file
    with another hash (or, in an older run with no record, other text than the run would
    write) was edited by hand: it becomes NAME.edited.md (NAME.edited.2.md ... when that
    exists already), so no edit is ever overwritten, and an event says where it went.
    """
    path = run_dir / name
    if not path.is_file():
        return None
    current = content_hash(path.read_bytes())
    if current == recorded.get(name) or (name not in recorded and current == content_hash(new_text)):
        return None
    stem = name[: -len(path.suffix)] if path.suffix else name
    n, kept = 1, run_dir / f"{stem}.edited{path.suffix}"
    while kept.exists():
        n += 1
        kept = run_dir / f"{stem}.edited.{n}{path.suffix}"
    path.replace(kept)
    emit("edited_document_kept", file=name, kept=kept.name)
    return kept


def write_outputs(run_dir: Path, specs: dict[str, DocumentSpec], values: dict[str, Any], language: str, final: bool) -> list[Path]:
    """Write each document that has a final text (and, at the end, the best draft of the rest).

    Returns the hand-edited files kept aside (see `keep_hand_edit`) before their document was rewritten.
    """
    recorded = written_hashes(run_dir)
    hashes, kept = dict(recorded), []
    for doc_id, record in (values.get("documents") or {}).items():
        spec = specs[doc_id]
        text = record.get("final")
        iterations = record.get("iterations") or []
        if not text and final and iterations:
            text = iterations[-1]["draft"]
        if text:
            moved = keep_hand_edit(run_dir, spec.file, text, recorded)
            if moved is not None:
                kept.append(moved)
            _atomic_write(run_dir / spec.file, text)
            hashes[spec.file] = content_hash(text)
        versions = run_dir / "versions" / spec.slug
        for it in iterations:
            path = versions / f"v{it['iteration']}.md"
            if not path.exists():
                versions.mkdir(parents=True, exist_ok=True)
                _atomic_write(path, it["draft"])
        for subtask, draft in (record.get("subtask_drafts") or {}).items():
            path = run_dir / "subtasks" / f"{subtask}.md"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(path, draft)
    if hashes != recorded:
        _atomic_write(run_dir / WRITTEN_FILE, json.dumps(hashes, indent=2, sort_keys=True))
    return kept


def totals_from_trace(events: list[dict[str, Any]]) -> dict[str, Any]:
    """LLM calls, tokens, cost and tool calls summed from the trace."""
    llm = [e for e in events if e.get("event") == "llm_call"]
    tools = [e for e in events if e.get("event") == "tool_call"]
    costs = [e["cost_usd"] for e in llm if e.get("cost_usd") is not None]
    return {
        "llm_calls": len(llm),
        "input_tokens": sum(int(e.get("input_tokens", 0)) for e in llm),
        "output_tokens": sum(int(e.get("output_tokens", 0)) for e in llm),
        "cost_usd": round(sum(costs), 6) if costs else None,
        "tool_calls": len(tools),
        "tool_errors": sum(1 for e in tools if e.get("error")),
    }


def build_manifest(
    run_dir: Path,
    specs: dict[str, DocumentSpec],
    values: dict[str, Any],
    ctx: RunContext,
    saved: dict[str, Any],
    status: str,
    reason: str | None,
) -> dict[str, Any]:
    """Assemble and write manifest.json."""
    events = read_trace(run_dir / "trace.jsonl")
    documents = []
    records = values.get("documents") or {}
    order = (values.get("plan") or {}).get("order") or sorted(records)
    for doc_id in order:
        spec = specs[doc_id]
        record = records.get(doc_id, {})
        doc_status = record.get("status", "not_done")
        if doc_status in {"pending", "in_progress"}:
            doc_status = "not_done"
        iterations = record.get("iterations") or []
        documents.append(
            {
                "id": doc_id,
                "title": spec.title.get(ctx.language),  # type: ignore[arg-type]
                "file": spec.file if (run_dir / spec.file).exists() else None,
                "status": doc_status,
                "revisions": max(0, len(iterations) - 1),
                "reason": record.get("reason"),
                "iterations": [
                    {
                        "iteration": it["iteration"],
                        "kind": it["kind"],
                        "accepted": it["accepted"],
                        "critique": it["critique"],
                        "checks": it["checks"],
                        **({"human_comment": it["human_comment"]} if it.get("human_comment") else {}),
                        **({"review_items": it["review_items"]} if it.get("review_items") else {}),
                    }
                    for it in iterations
                ],
                "sources": [{k: s.get(k) for k in ("id", "title", "ref", "kind", "tool", "section")} for s in record.get("sources") or []],
            }
        )
    starts = [e["timestamp"] for e in events if e.get("event") == "run_start" and e.get("timestamp")]
    ends = [e["timestamp"] for e in events if e.get("event") == "run_end" and e.get("timestamp")]
    walls = [float(e["wall_s"]) for e in events if e.get("event") == "run_end" and e.get("wall_s") is not None]
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "run_id": ctx.run_id,
        "scenario": saved["scenario"]["name"],
        "engine": ctx.engine,
        "model": saved.get("model"),
        "language": ctx.language,
        "started_at": starts[0] if starts else saved.get("started_at"),
        "finished_at": ends[-1] if ends else dt.datetime.now(dt.UTC).isoformat(),
        "wall_seconds": round(sum(walls), 3),
        "status": status,
        "reason": reason,
        "plan_source": (values.get("plan") or {}).get("source"),
        "brief": values.get("brief"),
        "figures": values.get("figures"),
        "plan": {k: v for k, v in (values.get("plan") or {}).items() if k in {"order", "depends_on", "documents", "rationale"}} or None,
        "documents": documents,
        "consistency": values.get("consistency") or [],
        "human_decisions": values.get("human_decisions") or [],
        "totals": totals_from_trace(events),
        "budget_changes": saved.get("budget_changes") or [],
        "settings": ctx.model_dump(mode="json", exclude={"run_dir", "output_dir"}),
    }
    _atomic_write(run_dir / "manifest.json", redact(json.dumps(manifest, ensure_ascii=False, indent=2, default=str)))
    return manifest
