"""Reading finished runs: the run list, the trace tree and a document's version chain."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from genai_planner.core.errors import InputError
from genai_planner.run.runner import RUN_FILE, run_dir_for


def list_runs(output_dir: Path) -> list[dict[str, Any]]:
    """One summary per run directory, newest first."""
    rows = []
    if not output_dir.is_dir():
        return rows
    for run_dir in sorted((p for p in output_dir.iterdir() if (p / RUN_FILE).is_file()), reverse=True):
        saved = json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
        manifest = _manifest(run_dir)
        docs = manifest.get("documents", [])
        totals = manifest.get("totals", {})
        rows.append(
            {
                "run_id": run_dir.name,
                "scenario": saved["scenario"]["name"],
                "engine": saved["context"]["engine"],
                "status": manifest.get("status", "interrupted"),
                "passed": f"{sum(d['status'] == 'passed' for d in docs)}/{len(docs)}" if docs else "-",
                "wall_seconds": manifest.get("wall_seconds"),
                "tokens": (totals.get("input_tokens", 0) + totals.get("output_tokens", 0)) if totals else None,
            }
        )
    return rows


def _manifest(run_dir: Path) -> dict[str, Any]:
    path = run_dir / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def existing_run(output_dir: Path, run_id: str) -> Path:
    """The run directory of `run_id`, or `InputError`."""
    run_dir = run_dir_for(output_dir, run_id)
    if not (run_dir / RUN_FILE).is_file():
        raise InputError(f"unknown run id: {run_id} (no such run in {output_dir})")
    return run_dir


def filter_events(
    events: list[dict[str, Any]], agent: str | None = None, document: str | None = None, failed: bool = False
) -> list[dict[str, Any]]:
    """Trace events matching the filters."""
    out = []
    for e in events:
        if agent and e.get("agent") != agent:
            continue
        if document and str(e.get("document")) != document:
            continue
        if failed and not _is_failure(e):
            continue
        out.append(e)
    return out


def _is_failure(e: dict[str, Any]) -> bool:
    kind = e.get("event")
    return bool(
        (kind == "check_result" and not e.get("passed"))
        or (kind == "review_decision" and not e.get("accepted"))
        or (kind == "tool_call" and e.get("error"))
        or kind in {"llm_error", "document_failed", "structured_fallback", "structured_failed", "consistency_send_back"}
    )


def _label(e: dict[str, Any]) -> Text:
    kind = e.get("event")
    if kind == "node_end":
        return Text.assemble((f"{e.get('agent', '')}:{e['node']}", "bold"), f"  {e.get('duration_s', 0):.3f}s")
    if kind == "llm_call":
        return Text(f"llm {e.get('purpose')} · {e.get('model')} · {e.get('input_tokens')}→{e.get('output_tokens')} tokens · {e.get('latency_s')}s")
    if kind == "tool_call":
        style = "red" if e.get("error") else ""
        detail = f" ERROR {e['error']}" if e.get("error") else f" → {', '.join(e.get('sources') or []) or 'no sources'}"
        return Text(f"tool {e.get('tool')}({json.dumps(e.get('args'), ensure_ascii=False)[:80]}) {e.get('duration_s')}s{detail}", style=style)
    if kind == "check_result":
        mark = "✓" if e.get("passed") else "✗"
        return Text(f"{mark} check {e.get('check')}: {e.get('detail')}", style="green" if e.get("passed") else "red")
    if kind == "review_decision":
        verdict = "accepted" if e.get("accepted") else "sent back"
        return Text(f"review: {verdict}. {e.get('critique', '')}", style="green" if e.get("accepted") else "yellow")
    return Text(f"{kind} " + json.dumps({k: v for k, v in e.items() if k not in _META}, ensure_ascii=False, default=str)[:160])


_META = {"event", "run_id", "timestamp", "level", "seq", "document", "agent", "iteration", "node"}


def trace_tree(run_id: str, events: list[dict[str, Any]]) -> Tree:
    """Document → iteration → agent steps (node spans, model calls, tool calls, checks)."""
    root = Tree(Text(f"run {run_id}", style="bold"))
    branches: dict[tuple[str, str], Tree] = {}
    docs: dict[str, Tree] = {}
    for e in events:
        if e.get("event") in {"node_start"}:
            continue
        doc = str(e.get("document")) if e.get("document") is not None else "run"
        if doc not in docs:
            docs[doc] = root.add(Text(f"document {doc}" if doc != "run" else "run-level steps", style="bold cyan"))
        iteration = e.get("iteration")
        key = (doc, str(iteration))
        if key not in branches:
            label = "research" if iteration == 0 else (f"iteration {iteration}" if iteration is not None else "steps")
            branches[key] = docs[doc].add(label)
        branches[key].add(_label(e))
    return root


def version_chain(run_dir: Path, document: str, diff: bool = False) -> Group:
    """Each draft of a document with its failed checks and critique (or the diffs between drafts)."""
    manifest = _manifest(run_dir)
    doc = next((d for d in manifest.get("documents", []) if d["id"] == document), None)
    if doc is None:
        raise InputError(f"document {document} is not part of run {run_dir.name}")
    parts: list[Any] = [Text(f"Document {doc['id']}: {doc['title']} — {doc['status']}, {doc['revisions']} revision(s)", style="bold")]
    previous = ""
    for it in doc["iterations"]:
        failed = [c for c in it["checks"] if not c["passed"]]
        table = Table(show_header=False, box=None)
        for c in failed:
            table.add_row(Text("✗", style="red"), c["id"], c["detail"])
        header = f"v{it['iteration']} ({it['kind']}) — {'accepted' if it['accepted'] else 'sent back'}"
        draft_path = _version_file(run_dir, doc, it["iteration"])
        draft = draft_path.read_text(encoding="utf-8") if draft_path else ""
        body: list[Any] = [table if failed else Text("all checks passed", style="green"), Text(f"critique: {it['critique']}")]
        if diff and previous:
            lines = difflib.unified_diff(previous.splitlines(), draft.splitlines(), f"v{it['iteration'] - 1}", f"v{it['iteration']}", lineterm="")
            body.append(Text("\n".join(lines) or "(no change)"))
        elif not diff:
            body.append(Markdown(draft))
        parts.append(Panel(Group(*body), title=header, border_style="green" if it["accepted"] else "yellow"))
        previous = draft
    return Group(*parts)


def _version_file(run_dir: Path, doc: dict[str, Any], iteration: int) -> Path | None:
    for folder in (run_dir / "versions").glob("*"):
        candidate = folder / f"v{iteration}.md"
        if candidate.is_file() and doc.get("file") and folder.name in doc["file"]:
            return candidate
    return None
