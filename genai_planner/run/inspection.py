"""Reading finished runs: the run list, run-id lookup, the trace tree and a document's version chain.

Every command that takes a run id resolves it with `resolve_run_id`: a whole id, a unique
prefix of one, or `latest`.
"""

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
from genai_planner.core.tracing import read_trace
from genai_planner.documents.grammar import english
from genai_planner.documents.specs import load_document_specs
from genai_planner.run.runner import RUN_FILE, run_dir_for


def list_runs(output_dir: Path, skipped: list[str] | None = None) -> list[dict[str, Any]]:
    """One summary per run directory, newest first.

    A run.json that is torn, not JSON or not a run description (another tool's file) is
    skipped with a line in `skipped`: one bad folder must not hide every other run.
    """
    rows = []
    if not output_dir.is_dir():
        return rows
    for run_dir in sorted((p for p in output_dir.iterdir() if (p / RUN_FILE).is_file()), reverse=True):
        try:
            saved = json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
            scenario, engine = saved["scenario"]["name"], saved["context"]["engine"]
            if not isinstance(scenario, str) or not isinstance(engine, str):
                raise TypeError("scenario name and engine must be text")
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
            if skipped is not None:
                skipped.append(f"skipped {run_dir.name}: its {RUN_FILE} is damaged or not a run description ({type(exc).__name__})")
            continue
        manifest = _manifest(run_dir)
        docs = manifest.get("documents", []) if isinstance(manifest.get("documents"), list) else []
        totals = manifest.get("totals") if isinstance(manifest.get("totals"), dict) else {}
        rows.append(
            {
                "run_id": run_dir.name,
                "scenario": scenario,
                "engine": engine,
                "status": manifest.get("status", "interrupted"),
                "passed": f"{sum(isinstance(d, dict) and d.get('status') == 'passed' for d in docs)}/{len(docs)}" if docs else "-",
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
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


LATEST = "latest"


def _run_ids(output_dir: Path) -> list[str]:
    if not output_dir.is_dir():
        return []
    return sorted(p.name for p in output_dir.iterdir() if (p / RUN_FILE).is_file())


def _started(output_dir: Path, run_id: str) -> str:
    try:
        return str(json.loads((output_dir / run_id / RUN_FILE).read_text(encoding="utf-8")).get("started_at") or "")
    except (OSError, json.JSONDecodeError):
        return ""


def resolve_run_id(output_dir: Path, ref: str) -> str:
    """The whole run id `ref` names in `output_dir`: the id itself, a unique prefix of one, or 'latest'.

    Raises `InputError` (one line) for an unknown id, an ambiguous prefix, or no runs at all.
    """
    ids = _run_ids(output_dir)
    if ref == LATEST:
        if not ids:
            raise InputError(f"no runs in {output_dir} yet, so there is no latest run")
        return max(ids, key=lambda i: (_started(output_dir, i), i))
    if ref in ids:
        return ref
    matches = [i for i in ids if ref and i.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        shown = ", ".join(matches[:4]) + (f" and {len(matches) - 4} more" if len(matches) > 4 else "")
        raise InputError(f"run id prefix {ref!r} matches {len(matches)} runs ({shown}); give more of the id")
    raise InputError(f"unknown run id: {ref} (no such run in {output_dir}; `genai-planner runs` lists them, 'latest' is the newest)")


def existing_run(output_dir: Path, run_id: str) -> Path:
    """The run directory `run_id` names (a whole id, a unique prefix or 'latest'), or `InputError`."""
    run_dir = run_dir_for(output_dir, resolve_run_id(output_dir, run_id))
    if not (run_dir / RUN_FILE).is_file():
        raise InputError(f"unknown run id: {run_id} (no such run in {output_dir})")
    return run_dir


AGENTS = ("planner", "researcher", "writer", "reviewer", "human")


def filter_events(
    events: list[dict[str, Any]], agent: str | None = None, document: str | None = None, failed: bool = False
) -> list[dict[str, Any]]:
    """Trace events matching the filters; `InputError` for an agent or document the run does not have."""
    if agent is not None:
        known = sorted(set(AGENTS) | {str(e["agent"]) for e in events if e.get("agent")})
        if agent not in known:
            raise InputError(f"unknown agent {agent!r} (known: {', '.join(known)})")
    if document is not None:
        present = sorted({str(e["document"]) for e in events if e.get("document") is not None})
        if document not in present:
            raise InputError(f"document {document} has no events in this run's trace (documents: {', '.join(present) or 'none yet'})")
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


def no_events_sentence(run_id: str, agent: str | None = None, document: str | None = None, failed: bool = False) -> str:
    """The one sentence `trace` prints when its filters leave nothing: why, and what to try."""
    if failed:
        where = f" for document {document}" if document else ""
        who = f" by the {agent}" if agent else ""
        return f"No failures{where}{who} in run {run_id}: every check passed, no draft was sent back and no tool failed (drop --failed to see every step)."
    if agent or document:
        return f"Run {run_id} has no events for those filters (drop --agent or --document to see every step)."
    return f"Run {run_id} has no trace events yet: it stopped before its first step; resume it with `genai-planner resume {run_id}`."


def _label(e: dict[str, Any]) -> Text:
    kind = e.get("event")
    if kind == "node_end":
        return Text.assemble((f"{e.get('agent', '')}:{e['node']}", "bold"), f"  {e.get('duration_s', 0):.3f}s")
    if kind == "llm_call":
        return Text(f"llm {e.get('purpose')} · {e.get('model')} · {e.get('input_tokens')}→{e.get('output_tokens')} tokens · {e.get('latency_s')}s")
    if kind == "tool_call":
        style = "red" if e.get("error") else ""
        detail = f" ERROR {e['error']}" if e.get("error") else f" → {', '.join(e.get('sources') or []) or 'no sources'}"
        return Text(f"tool {e.get('tool')}({json.dumps(e.get('args'), ensure_ascii=False)}) {e.get('duration_s')}s{detail}", style=style)
    if kind == "check_result":
        mark = "✓" if e.get("passed") else "✗"
        return Text(f"{mark} check {e.get('check')}: {e.get('detail')}", style="green" if e.get("passed") else "red")
    if kind == "review_decision":
        verdict = "accepted" if e.get("accepted") else "sent back"
        return Text(f"review: {verdict}. {e.get('critique', '')}", style="green" if e.get("accepted") else "yellow")
    return Text(f"{kind} " + json.dumps({k: v for k, v in e.items() if k not in _META}, ensure_ascii=False, default=str))


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
    """Each draft of a document with its failed checks and critique (or the diffs between drafts).

    A run killed before its manifest was written is read from its files: the drafts under
    versions/ and the checks and verdicts in trace.jsonl.
    """
    doc = _document_record(run_dir, document)
    parts: list[Any] = [Text(chain_heading(doc), style="bold")]
    iterations = doc["iterations"]
    if diff and len(iterations) < 2:
        parts.append(Text(f"Only one version (v{iterations[0]['iteration'] if iterations else 1}): there is nothing to compare; drop --diff to read it."))
    previous = ""
    for n, it in enumerate(iterations):
        failed = [c for c in it["checks"] if not c["passed"]]
        table = Table(show_header=False, box=None)
        for c in failed:
            table.add_row(Text("✗", style="red"), c["id"], Text(c["detail"], overflow="fold"))
        verdict = iteration_verdict(it, iterations[n + 1] if n + 1 < len(iterations) else None, doc["status"] == "failed")
        header = f"v{it['iteration']} ({it['kind']}) — {verdict}"
        draft_path = _version_file(run_dir, doc["id"], it["iteration"])
        draft = draft_path.read_text(encoding="utf-8") if draft_path else ""
        body: list[Any] = [table if failed else Text("all checks passed", style="green"), Text(f"critique: {it['critique']}", overflow="fold")]
        if it.get("human_comment"):
            body.append(Text(f"person's comment: {it['human_comment']}", style="yellow", overflow="fold"))
        if diff and previous:
            lines = difflib.unified_diff(previous.splitlines(), draft.splitlines(), f"v{it['iteration'] - 1}", f"v{it['iteration']}", lineterm="")
            body.append(Text("\n".join(lines) or "(no change)", overflow="fold"))
        elif not diff:
            body.append(Markdown(draft))
        parts.append(Panel(Group(*body), title=header, border_style="green" if it["accepted"] else "yellow", expand=not diff))
        previous = draft
    return Group(*parts)


def chain_heading(doc: dict[str, Any]) -> str:
    """'Document 3: title — failed (consistency checks still failing: ...), 2 revision(s)': the status says why."""
    status = str(doc["status"]).replace("_", " ")
    reason = f" ({doc['reason']})" if doc.get("reason") and doc["status"] != "passed" else ""
    return english(f"Document {doc['id']}: {doc['title']} — {status}{reason}, {doc['revisions']} revision(s)")


def iteration_verdict(it: dict[str, Any], following: dict[str, Any] | None, document_failed: bool = False) -> str:
    """What became of one version: a version its own checks accepted can still go back to the writer
    (the consistency review, a person) or fail the document at the end, and the heading says so
    rather than a bare 'accepted'.
    """
    if not it["accepted"]:
        return "sent back by a person" if it.get("human_comment") else "sent back"
    if following is not None and following.get("kind") == "consistency":
        return "accepted by its checks, then sent back by the consistency review"
    if following is not None and following.get("kind") == "human":
        return "accepted by its checks, then sent back by a person"
    if following is None and document_failed:
        return "accepted by its checks; the consistency review still failed it"
    return "accepted"


def _document_record(run_dir: Path, document: str) -> dict[str, Any]:
    """The manifest's record of a document, or one rebuilt from the files of a run that has none."""
    doc = next((d for d in _manifest(run_dir).get("documents", []) if d["id"] == document), None)
    if doc is not None:
        return doc
    spec = load_document_specs().get(document)
    drafts = sorted(_versions_dir(run_dir, document).glob("v*.md"), key=lambda p: int(p.stem[1:]) if p.stem[1:].isdigit() else 0)
    if spec is None or not (drafts or (run_dir / spec.file).is_file()):
        raise InputError(f"document {document} is not part of run {run_dir.name} (no drafts of it on disk)")
    language = _saved(run_dir).get("context", {}).get("language", "en")
    events = read_trace(run_dir / "trace.jsonl")
    iterations = []
    for path in drafts:
        n = int(path.stem[1:])
        mine = [e for e in events if str(e.get("document")) == document and e.get("iteration") == n]
        decision = next((e for e in reversed(mine) if e.get("event") == "review_decision"), {})
        drafted = next((e for e in mine if e.get("event") == "document_version"), {})
        iterations.append(
            {
                "iteration": n,
                "kind": drafted.get("kind", "draft"),
                "accepted": bool(decision.get("accepted")),
                "critique": decision.get("critique", "(not reviewed before the run stopped)"),
                "checks": [{"id": e["check"], "passed": e["passed"], "detail": e["detail"]} for e in mine if e.get("event") == "check_result"],
            }
        )
    title = spec.title.get(language) or spec.title.get("en")  # type: ignore[arg-type,call-overload]
    status = "passed" if iterations and iterations[-1]["accepted"] else "unfinished (the run stopped; resume it)"
    return {"id": document, "title": title, "status": status, "revisions": max(0, len(iterations) - 1), "iterations": iterations, "file": spec.file}


def _saved(run_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((run_dir / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _versions_dir(run_dir: Path, document: str) -> Path:
    spec = load_document_specs().get(document)
    return run_dir / "versions" / (spec.slug if spec else f"document-{document}")


def _version_file(run_dir: Path, document: str, iteration: int) -> Path | None:
    candidate = _versions_dir(run_dir, document) / f"v{iteration}.md"
    return candidate if candidate.is_file() else None
