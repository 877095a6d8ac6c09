"""A self-contained HTML report of one finished run.

`write_report` reads a run directory (manifest.json, trace.jsonl, the five documents and
their drafts under versions/) and writes `report.html` beside them: one file with inline
CSS, no scripts and no external URLs, so it opens from disk with no network. Every piece
of text taken from the manifest or the trace is HTML-escaped; documents are rendered by
markdown-it with raw HTML off, images off and external links turned into plain text.
"""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from genai_planner.core.tracing import read_trace

REPORT_FILE = "report.html"

LABELS = {
    "en": {
        "title": "Planning run report", "documents": "Documents", "timeline": "Timeline",
        "versions": "Version chain", "tools": "Tool calls", "costs": "Tokens and cost",
        "scenario": "Scenario", "run": "Run", "engine": "Engine", "model": "Model",
        "status": "Status", "wall": "Wall time", "llm_calls": "LLM calls",
        "input": "Input tokens", "output": "Output tokens", "cost": "Cost (USD)",
        "tool_errors": "Tool errors", "agent": "Agent", "document": "Document",
        "iteration": "Iteration", "duration": "Duration", "accepted": "Accepted",
        "sent_back": "Sent back", "failed": "Failed checks", "critique": "Critique",
        "draft": "Draft", "tool": "Tool", "args": "Arguments", "result": "Sources or error",
        "by_agent": "By agent", "by_document": "By document", "calls": "Calls",
        "total": "Total", "revisions": "Revisions", "none": "none",
    },
    "ko": {
        "title": "계획 실행 보고서", "documents": "문서", "timeline": "타임라인",
        "versions": "버전 이력", "tools": "도구 호출", "costs": "토큰과 비용",
        "scenario": "시나리오", "run": "실행", "engine": "엔진", "model": "모델",
        "status": "상태", "wall": "소요 시간", "llm_calls": "LLM 호출",
        "input": "입력 토큰", "output": "출력 토큰", "cost": "비용(USD)",
        "tool_errors": "도구 오류", "agent": "에이전트", "document": "문서",
        "iteration": "반복", "duration": "소요", "accepted": "승인", "sent_back": "반려",
        "failed": "실패한 검사", "critique": "비평", "draft": "초안", "tool": "도구",
        "args": "인자", "result": "출처 또는 오류", "by_agent": "에이전트별",
        "by_document": "문서별", "calls": "호출", "total": "합계", "revisions": "수정 횟수",
        "none": "없음",
    },
}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Apple SD Gothic Neo",sans-serif;
 margin:0 auto;max-width:1040px;padding:1.5rem;color:#1d2330;line-height:1.5;background:#fafbfc}
h1{margin:.2rem 0 1rem}h2{border-bottom:2px solid #d0d7e2;padding-bottom:.2rem;margin-top:2.2rem}
dl.totals{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:.2rem 1rem}
dt{font-weight:600;color:#4a5568}dd{margin:0}
.document,.chain{background:#fff;border:1px solid #d0d7e2;border-radius:8px;
 padding:.5rem 1.2rem;margin:1rem 0}
.document h2.doc-title{border:0;margin-top:.6rem}
.badge{display:inline-block;padding:0 .5rem;border-radius:9px;font-size:.85em;background:#e2e8f0}
.ok{background:#c6f6d5;color:#22543d}.bad{background:#fed7d7;color:#742a2a}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92em;background:#fff}
th,td{border:1px solid #d0d7e2;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#edf2f7;white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}
ol.timeline{list-style:none;padding:0;border-left:3px solid #90a4c0;margin-left:.5rem}
li.timeline-step{padding:.15rem .8rem;position:relative}
li.timeline-step:before{content:"";position:absolute;left:-.45rem;top:.6rem;width:.6rem;
 height:.6rem;border-radius:50%;background:#4a6fa5}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em}
pre{white-space:pre-wrap;background:#f4f6f9;padding:.6rem;border-radius:6px}
.muted{color:#718096}
"""

_MD = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")


def _e(value: Any) -> str:
    """Escape one value for HTML text or attributes (None becomes an em dash)."""
    return "—" if value is None else escape(str(value))


def _markdown(text: str) -> str:
    """Render a document as HTML: headings one level down, external links as plain spans.

    Args:
        text: The document's Markdown; a leading `# Title` line is dropped (the report
            prints the title itself).

    Returns:
        HTML with no raw HTML passed through and no `href` leaving the page.
    """
    lines = text.lstrip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    tokens = _MD.parse("\n".join(lines))
    external = False
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        for child in token.children or []:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                external = not href.startswith("#")
                if external:
                    child.tag, child.attrs = "span", {"title": href}
            elif child.type == "link_close" and external:
                child.tag = "span"
    return _MD.renderer.render(tokens, _MD.options, {})


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """An HTML table; headers are escaped here, cells must already be HTML."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _num(value: Any, digits: int | None = None) -> str:
    """A right-aligned numeric cell."""
    text = f"{value:,.{digits}f}" if digits is not None else f"{value:,}"
    return f'<td class="num">{_e(text)}</td>'


def _header(m: dict[str, Any], t: dict[str, str]) -> str:
    """The run summary: scenario, engine, model, status, wall time and totals."""
    tot = m.get("totals") or {}
    status = f"{m.get('status')}" + (f" ({m['reason']})" if m.get("reason") else "")
    items = [
        (t["scenario"], m.get("scenario")), (t["run"], m.get("run_id")),
        (t["engine"], m.get("engine")), (t["model"], m.get("model")),
        (t["status"], status), (t["wall"], f"{m.get('wall_seconds')} s"),
        (t["llm_calls"], tot.get("llm_calls")), (t["tools"], tot.get("tool_calls")),
        (t["input"], tot.get("input_tokens")), (t["output"], tot.get("output_tokens")),
        (t["cost"], (f"{tot['cost_usd']:.4f}" if tot.get('cost_usd') is not None else "-")), (t["tool_errors"], tot.get("tool_errors")),
    ]
    cells = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    title = f'{_e(t["title"])}: {_e(m.get("scenario"))}'
    return f'<header><h1>{title}</h1><dl class="totals">{cells}</dl></header>'


def _documents(run_dir: Path, m: dict[str, Any], t: dict[str, str]) -> str:
    """Each final document rendered from Markdown, under its manifest title."""
    parts = [f'<section id="documents"><h2>{_e(t["documents"])}</h2>']
    for doc in m.get("documents", []):
        path = run_dir / str(doc.get("file", ""))
        body = _markdown(path.read_text(encoding="utf-8")) if path.is_file() else ""
        cls = "ok" if doc.get("status") == "passed" else "bad"
        parts.append(
            f'<article class="document" id="doc-{_e(doc.get("id"))}">'
            f'<h2 class="doc-title">{_e(doc.get("title"))}</h2>'
            f'<p><span class="badge {cls}">{_e(doc.get("status"))}</span> '
            f'<span class="muted">{_e(t["revisions"])}: {_e(doc.get("revisions"))} · '
            f'{_e(doc.get("file"))}</span></p>{body}</article>'
        )
    return "".join(parts) + "</section>"


def _timeline(events: list[dict[str, Any]], t: dict[str, str]) -> str:
    """One list item per `node_end` event, in trace order."""
    steps = []
    for ev in (e for e in events if e.get("event") == "node_end"):
        where = "".join(
            f' · {_e(label)} {_e(ev[key])}' for key, label in
            (("document", t["document"]), ("iteration", t["iteration"])) if ev.get(key) is not None
        )
        steps.append(
            f'<li class="timeline-step"><strong>{_e(ev.get("agent"))}</strong> '
            f'<code>{_e(ev.get("node"))}</code>{where} · {_e(ev.get("duration_s"))} s</li>'
        )
    head = f'<section id="timeline"><h2>{_e(t["timeline"])}</h2>'
    return f'{head}<ol class="timeline">{"".join(steps)}</ol></section>'


def _versions(run_dir: Path, m: dict[str, Any], t: dict[str, str]) -> str:
    """For each document, its iterations: verdict, failed checks, critique and folded draft."""
    parts = [f'<section id="versions"><h2>{_e(t["versions"])}</h2>']
    for doc in m.get("documents", []):
        slug = str(doc.get("file", "")).removesuffix(".md").split("_", 1)[-1]
        items = []
        for it in doc.get("iterations", []):
            verdict = (t["accepted"], "ok") if it.get("accepted") else (t["sent_back"], "bad")
            fails = "".join(
                f"<li><code>{_e(c.get('id'))}</code>: {_e(c.get('detail'))}</li>"
                for c in it.get("checks", []) if not c.get("passed")
            )
            draft = run_dir / "versions" / slug / f"v{it.get('iteration')}.md"
            fold = ""
            if draft.is_file():
                fold = (
                    f"<details><summary>{_e(t['draft'])} v{_e(it.get('iteration'))}</summary>"
                    f"<pre>{_e(draft.read_text(encoding='utf-8'))}</pre></details>"
                )
            items.append(
                f'<li>v{_e(it.get("iteration"))} <em>{_e(it.get("kind"))}</em> '
                f'<span class="badge {verdict[1]}">{_e(verdict[0])}</span>'
                f'<div>{_e(t["failed"])}: {f"<ul>{fails}</ul>" if fails else _e(t["none"])}</div>'
                f'<div>{_e(t["critique"])}: {_e(it.get("critique"))}</div>{fold}</li>'
            )
        chain = "".join(items)
        parts.append(f'<div class="chain"><h3>{_e(doc.get("title"))}</h3><ol>{chain}</ol></div>')
    return "".join(parts) + "</section>"


def _tools(events: list[dict[str, Any]], m: dict[str, Any], t: dict[str, str]) -> str:
    """A table of every `tool_call` event: tool, arguments, duration, sources or error."""
    titles = {
        (d.get("id"), s.get("id")): s.get("title")
        for d in m.get("documents", []) for s in d.get("sources", [])
    }
    rows = []
    for ev in (e for e in events if e.get("event") == "tool_call"):
        doc = ev.get("document")
        if ev.get("error"):
            result = f'<span class="badge bad">{_e(ev["error"])}</span>'
        else:
            spans = [
                f'<span title="{_e(titles.get((doc, s), ""))}">{_e(s)}</span>'
                for s in ev.get("sources") or []
            ]
            result = ", ".join(spans) or "—"
        args = json.dumps(ev.get("args"), ensure_ascii=False)
        rows.append([
            f"<td>{_e(ev.get('agent'))}</td>", f"<td>{_e(doc)}</td>",
            f"<td><code>{_e(ev.get('tool'))}</code></td>", f"<td><code>{_e(args)}</code></td>",
            _num(ev.get("duration_s") or 0, 3), f"<td>{result}</td>",
        ])
    heads = [t["agent"], t["document"], t["tool"], t["args"], f"{t['duration']} (s)", t["result"]]
    return f'<section id="tools"><h2>{_e(t["tools"])}</h2>{_table(heads, rows)}</section>'


def _costs(events: list[dict[str, Any]], t: dict[str, str]) -> str:
    """Tokens and cost summed over `llm_call` events, by agent and by document."""
    calls = [e for e in events if e.get("event") == "llm_call"]
    out = [f'<section id="costs"><h2>{_e(t["costs"])}</h2>']
    for key, label in (("agent", t["by_agent"]), ("document", t["by_document"])):
        sums: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0.0])
        for ev in calls:
            row = sums[str(ev.get(key) or "—")]
            for i, field in enumerate((None, "input_tokens", "output_tokens", "cost_usd")):
                row[i] += 1 if field is None else (ev.get(field) or 0)
        total = [sum(r[i] for r in sums.values()) for i in range(4)]
        rows = [
            [f"<td>{_e(name)}</td>", _num(r[0]), _num(r[1]), _num(r[2]), _num(r[3], 4)]
            for name, r in sorted(sums.items()) + [(t["total"], total)]
        ]
        heads = [t[key], t["calls"], t["input"], t["output"], t["cost"]]
        out.append(f"<h3>{_e(label)}</h3>{_table(heads, rows)}")
    return "".join(out) + "</section>"


def write_report(run_dir: Path) -> Path:
    """Write `report.html` for one run directory.

    Args:
        run_dir: A run directory holding manifest.json, trace.jsonl and the documents.

    Returns:
        The path of the written report (`run_dir / "report.html"`).
    """
    run_dir = Path(run_dir)
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    events = sorted(read_trace(run_dir / "trace.jsonl"), key=lambda e: e.get("seq") or 0)
    lang = manifest.get("language") if manifest.get("language") in LABELS else "en"
    t = LABELS[lang]
    body = "".join([
        _header(manifest, t), _documents(run_dir, manifest, t), _timeline(events, t),
        _versions(run_dir, manifest, t), _tools(events, manifest, t), _costs(events, t),
    ])
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(t['title'])}: {_e(manifest.get('scenario'))}</title>"
        f"<style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
    path = run_dir / REPORT_FILE
    path.write_text(page, encoding="utf-8")
    return path
