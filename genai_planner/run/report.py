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
from genai_planner.planning.compute import rate
from genai_planner.run.presentation import (
    category_name,
    check_detail,
    constraint_rows,
    critique_text,
    fact_rows,
    in_language,
    lang_of,
    load_brief,
    load_figures,
    word,
)

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
        "sent_back_by_person": "Sent back by a person", "person_comment": "Their comment",
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
        "iteration": "반복", "duration": "소요", "accepted": "승인", "sent_back": "반려", "sent_back_by_person": "검토자가 반려", "person_comment": "검토 의견",
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
    lang = t["lang"]
    status = word(m.get("status"), lang) + (f" ({check_detail(m['reason'], lang)})" if m.get("reason") else "")
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
        failing = _still_failing(doc, t, t["lang"])
        parts.append(
            f'<article class="document" id="doc-{_e(doc.get("id"))}">'
            f'<h2 class="doc-title">{_e(doc.get("title"))}</h2>'
            f'<p><span class="badge {cls}">{_e(word(doc.get("status"), t["lang"]))}</span> '
            f'<span class="muted">{_e(t["revisions"])}: {_e(doc.get("revisions"))} · '
            f'{_e(doc.get("file"))}</span></p>{failing}<div class="doc-body">{body}</div></article>'
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
            f'<li class="timeline-step"><strong>{_e(word(ev.get("agent"), t["lang"]))}</strong> '
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
            person = it.get("human_comment")
            if person:  # its checks passed, and a person sent it back
                verdict = (t["sent_back_by_person"], "bad")
            fails = "".join(
                f"<li><code>{_e(c.get('id'))}</code>: {_e(check_detail(c.get('detail'), t['lang']))}</li>"
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
                f'<li>v{_e(it.get("iteration"))} <em>{_e(word(it.get("kind"), t["lang"]))}</em> '
                f'<span class="badge {verdict[1]}">{_e(verdict[0])}</span>'
                f'<div>{_e(t["failed"])}: {f"<ul>{fails}</ul>" if fails else _e(t["none"])}</div>'
                + (f'<div><strong>{_e(t["person_comment"])}:</strong> {_e(person)}</div>' if person else "")
                + f'<div>{_e(t["critique"])}: {_e(critique_text(it.get("critique"), it.get("checks", []), t["lang"]))}</div>{fold}</li>'
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
            f"<td>{_e(word(ev.get('agent'), t['lang']))}</td>", f"<td>{_e(doc)}</td>",
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
            [f"<td>{_e(word(name, t['lang']) if key == 'agent' else name)}</td>", _num(r[0]), _num(r[1]), _num(r[2]), _num(r[3], 4)]
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
    lang = lang_of(manifest) if lang_of(manifest) in LABELS else "en"
    t = {**LABELS[lang], **SECTION_LABELS[lang]}
    body = "".join([
        _header(manifest, t), _nav(t), _brief(manifest, t, lang), _plan(manifest, events, t, lang), _figures(manifest, t, lang),
        _documents(run_dir, manifest, t), _consistency(manifest, t, lang), _human(manifest, t, lang), _timeline(events, t),
        _versions(run_dir, manifest, t), _tools(events, manifest, t), _costs(events, t),
    ])
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(t['title'])}: {_e(manifest.get('scenario'))}</title>"
        f"<style>{CSS}{SECTION_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )
    path = run_dir / REPORT_FILE
    path.write_text(page, encoding="utf-8")
    return path


# --- What the run understood and decided (issue 20): brief, plan, figures, consistency, people ---

SECTION_LABELS = {
    "en": {
        "lang": "en", "nav": "Sections", "brief": "What the run understood", "constraints": "Hard constraints", "facts": "Facts", "constraint": "Constraint",
        "value": "Value", "evidence": "Evidence", "fact": "Fact", "plan": "Plan", "depends_on": "Depends on", "subtasks": "Sub-tasks",
        "questions": "Research questions", "rationale": "Rationale", "figures": "Computed figures", "weights": "Rubric weights",
        "category": "Category", "weight": "Weight (%)", "reason": "Why", "key_factors": "Key factors", "gates": "Hard-constraint gates",
        "candidate": "Model", "excluded": "excluded", "kept": "passes", "scores_chart": "Weighted score by candidate (1-5)",
        "provider": "Provider", "weighted": "Weighted score", "recommended": "Recommended", "runner_up": "Runner-up",
        "cost_chart": "Monthly cost by candidate (USD)", "in_tokens": "Input tokens per month", "out_tokens": "Output tokens per month",
        "api": "API (USD)", "self_host": "Self-hosting (USD)", "monthly": "Monthly (USD)", "within_budget": "Within budget",
        "budget": "Budget", "gpu_fit": "GPU fit", "precision": "Precision", "memory": "Memory (GB)", "gpu": "GPU", "gpus": "GPUs",
        "replicas": "Replicas", "fits": "Fits owned hardware", "capacity": "Load", "items_month": "Items per month",
        "peak": "Peak multiplier", "peak_rph": "Peak requests per hour", "concurrency": "Concurrent requests", "context": "Context tokens",
        "targets": "Targets", "metric": "Metric", "kind": "Kind", "definition": "Definition", "baseline": "Baseline", "target": "Target",
        "source": "Source", "assumptions": "Assumptions", "assumption": "Assumption", "consistency": "Consistency review", "round": "Round",
        "sent_back_docs": "Sent back", "check": "Check", "detail": "Detail", "human": "Human decisions", "pause": "Pause",
        "action": "Decision", "comment": "Comment", "still_failing": "Checks still failing", "not_recorded": "Not recorded for this run.",
        "shortfall": "Shortfall", "why_failed": "Why it failed", "parts": "Made of (USD)", "utilisation": "Memory used",
        "sequences": "Requests per replica (planned / room for)", "items_day": "Items per day", "availability": "Availability",
        "tokens_s": "Tokens per second at peak (prompt / output)", "colocated": "Other models on the same GPUs", "role": "Role", "mode": "Where it runs",
        "fine_tuning": "Fine-tuning memory",
        "roles": {"fallback": "fallback", "judge": "judge", "rollback": "rollback", "fine_tuning": "fine-tuning"},
        "modes": {"resident": "resident", "time_shared": "time-shared", "disk": "on disk", "api": "API", "rented": "needs more GPUs",
                  "none": "none: single point of failure"},
        "part_names": {"api": "API", "rental": "rental", "hardware": "hardware", "power": "power", "operations": "operations"},
        "ft_line": "{model}: {method} at {seq:,} tokens: {total:g} GB = {weights:g} weights + {adapters:g} adapters + {activations:g} activations "
                   "+ {overhead:g} overhead; {gpus} x {gpu}",
    },
    "ko": {
        "lang": "ko", "nav": "목차", "brief": "실행이 파악한 내용", "constraints": "필수 제약", "facts": "사실", "constraint": "제약", "value": "값",
        "evidence": "근거", "fact": "항목", "plan": "계획", "depends_on": "선행 문서", "subtasks": "하위 작업", "questions": "조사 질문",
        "rationale": "근거 설명", "figures": "산출 수치", "weights": "루브릭 가중치", "category": "평가 항목", "weight": "가중치(%)",
        "reason": "이유", "key_factors": "핵심 요소", "gates": "필수 제약 관문", "candidate": "모델", "excluded": "제외", "kept": "통과",
        "scores_chart": "후보별 가중 점수(1~5)", "provider": "제공사", "weighted": "가중 점수", "recommended": "권장", "runner_up": "차선",
        "cost_chart": "후보별 월 비용(USD)", "in_tokens": "월 입력 토큰", "out_tokens": "월 출력 토큰", "api": "API(USD)",
        "self_host": "자체 호스팅(USD)", "monthly": "월 비용(USD)", "within_budget": "예산 이내", "budget": "예산", "gpu_fit": "GPU 적합성",
        "precision": "정밀도", "memory": "메모리(GB)", "gpu": "GPU", "gpus": "GPU 수", "replicas": "복제본", "fits": "보유 장비에 적합",
        "capacity": "부하", "items_month": "월 처리 건수", "peak": "최대 배수", "peak_rph": "최대 시간당 요청", "concurrency": "동시 요청",
        "context": "컨텍스트 토큰", "targets": "목표", "metric": "지표", "kind": "유형", "definition": "정의", "baseline": "현재 수준",
        "target": "목표값", "source": "출처", "assumptions": "가정", "assumption": "가정", "consistency": "일관성 검토", "round": "회차",
        "sent_back_docs": "반려된 문서", "check": "검사", "detail": "세부 내용", "human": "사람의 결정", "pause": "검토 지점",
        "action": "결정", "comment": "의견", "still_failing": "여전히 실패한 검사", "not_recorded": "이 실행에는 기록이 없습니다.",
        "shortfall": "부족", "why_failed": "실패 이유", "parts": "구성(USD)", "utilisation": "메모리 사용률",
        "sequences": "복제본당 요청(계획 / 여유)", "items_day": "일 처리 건수", "availability": "가용성",
        "tokens_s": "최대 부하 시 초당 토큰(입력 / 출력)", "colocated": "같은 GPU의 다른 모델", "role": "역할", "mode": "운영 방식",
        "fine_tuning": "미세 조정 메모리",
        "roles": {"fallback": "대체 모델", "judge": "평가 모델", "rollback": "롤백", "fine_tuning": "미세 조정"},
        "modes": {"resident": "상시 적재", "time_shared": "시간 분할", "disk": "디스크 보관", "api": "API", "rented": "GPU 추가 필요",
                  "none": "없음: 단일 장애 지점"},
        "part_names": {"api": "API", "rental": "임차", "hardware": "구매 상각", "power": "전력", "operations": "운영"},
        "ft_line": "{model}: {method}, {seq:,}토큰: {total:g}GB = 가중치 {weights:g} + 어댑터 {adapters:g} + 활성값 {activations:g} + 기타 {overhead:g}; "
                   "{gpu} {gpus}장",
    },
}

SECTION_CSS = """
nav.sections{font-size:.9em;margin:.5rem 0}nav.sections a{margin-right:.8rem;color:#2b4c7e}
svg.chart{display:block;width:100%;max-width:760px;height:auto;margin:.6rem 0;background:#fff;border:1px solid #d0d7e2;border-radius:6px}
svg.chart text{font-size:12px;fill:#1d2330}svg.chart rect.bar{fill:#90a4c0}svg.chart rect.best{fill:#2f855a}
svg.chart rect.second{fill:#68a37f}svg.chart rect.over{fill:#c05656}svg.chart line.limit{stroke:#742a2a;stroke-dasharray:4 3}
.still-failing{border-left:4px solid #c05656;background:#fff5f5;padding:.3rem .8rem;margin:.5rem 0}
"""

NAV = ("brief", "plan", "figures", "documents", "consistency", "human", "timeline", "versions", "tools", "costs")


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{_e(title)}</h2>{body}</section>'


def _cells(*values: Any) -> list[str]:
    """Escaped text cells."""
    return [f"<td>{_e(v)}</td>" for v in values]


def _nav(t: dict[str, str]) -> str:
    links = "".join(f'<a href="#{a}">{_e(t[a])}</a>' for a in NAV)
    return f'<nav class="sections" aria-label="{_e(t["nav"])}">{links}</nav>'


def _brief(m: dict[str, Any], t: dict[str, str], lang: str) -> str:
    """The brief: each hard constraint with its evidence, then every other fact."""
    brief = load_brief(m)
    if brief is None:
        return _section("brief", t["brief"], f'<p class="muted">{_e(t["not_recorded"])}</p>')
    heads = [t["constraint"], t["value"], t["evidence"]]
    constraints = _table(heads, [_cells(*row) for row in constraint_rows(brief, lang)])
    facts = _table([t["fact"], t["value"], t["evidence"]], [_cells(*row) for row in fact_rows(brief, lang)])
    body = f'<p>{_e(brief.summary)}</p><h3>{_e(t["constraints"])}</h3><div id="brief-constraints">{constraints}</div><h3>{_e(t["facts"])}</h3>{facts}'
    return _section("brief", t["brief"], body)


def _plan_rows(m: dict[str, Any], events: list[dict[str, Any]]) -> tuple[list[tuple[str, list[str], list[str], list[str]]], str | None]:
    """(document id, depends on, sub-tasks, research questions) per planned document, and the planner's rationale.

    From the manifest's `plan` when the run recorded it; otherwise from the trace (the planned
    order, the sub-tasks the writer finished, the researcher's first-round queries).
    """
    plan = m.get("plan") or {}
    if plan.get("documents"):
        by_id = {str(d.get("doc_id")): d for d in plan["documents"]}
        order = [str(d) for d in plan.get("order") or by_id]
        deps = plan.get("depends_on") or {}
        rows = [
            (d, [str(x) for x in deps.get(d, [])], [str(s) for s in by_id.get(d, {}).get("subtasks", [])],
             [str(q.get("question")) for q in by_id.get(d, {}).get("research_questions", [])])
            for d in order
        ]
        return rows, plan.get("rationale")
    ready = next((e for e in events if e.get("event") == "plan_ready"), {})
    order = [str(d) for d in ready.get("documents") or [d.get("id") for d in m.get("documents", [])]]
    subtasks: dict[str, list[str]] = defaultdict(list)
    questions: dict[str, list[str]] = defaultdict(list)
    for e in events:
        doc = str(e.get("document"))
        if e.get("event") == "subtask_done" and e.get("subtask") and e["subtask"] not in subtasks[doc]:
            subtasks[doc].append(str(e["subtask"]))
        query = (e.get("args") or {}).get("query") if isinstance(e.get("args"), dict) else None
        if e.get("event") == "tool_call" and e.get("agent") == "researcher" and e.get("iteration") == 0 and query and query not in questions[doc]:
            questions[doc].append(str(query))
    return [(d, [], subtasks[d], questions[d]) for d in order], None


def _plan(m: dict[str, Any], events: list[dict[str, Any]], t: dict[str, str], lang: str) -> str:
    """The planned documents in order: dependencies, sub-tasks and research questions."""
    titles = {str(d.get("id")): d.get("title") for d in m.get("documents", [])}
    rows, rationale = _plan_rows(m, events)
    if not rows:
        return _section("plan", t["plan"], f'<p class="muted">{_e(t["not_recorded"])}</p>')
    body = []
    for doc_id, deps, subtasks, questions in rows:
        asked = "".join(f"<li>{_e(q)}</li>" for q in questions)
        body.append([
            f"<td>{_e(doc_id)}. {_e(titles.get(doc_id, ''))}</td>", f"<td>{_e(', '.join(deps) or '—')}</td>",
            f"<td>{_e(', '.join(subtasks) or '—')}</td>", f"<td>{f'<ul>{asked}</ul>' if asked else '—'}</td>",
        ])
    table = _table([t["document"], t["depends_on"], t["subtasks"], t["questions"]], body)
    note = f'<p><strong>{_e(t["rationale"])}:</strong> {_e(rationale)}</p>' if rationale and in_language(rationale, lang) else ""
    return _section("plan", t["plan"], note + f'<div id="plan-table">{table}</div>')


def _bar_chart(chart_id: str, title: str, bars: list[tuple[str, float, str, str]], top: float, limit: tuple[str, float] | None = None) -> str:
    """A horizontal bar chart as inline SVG: one labelled bar per (label, value, css class, value text)."""
    label_w, plot_w, bar_h, gap = 200, 360, 22, 8
    height = 16 + len(bars) * (bar_h + gap) + (18 if limit else 0)
    scale = plot_w / top if top > 0 else 0
    parts = []
    for i, (label, value, cls, shown) in enumerate(bars):
        y = 12 + i * (bar_h + gap)
        width = max(1.0, value * scale)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(label)}</text>'
            f'<rect class="bar {cls}" data-label="{_e(label)}" data-value="{value:g}" x="{label_w}" y="{y}" width="{width:.1f}" height="{bar_h}"/>'
            f'<text x="{label_w + width + 6:.1f}" y="{y + 15}">{_e(shown)}</text>'
        )
    if limit:
        x = label_w + limit[1] * scale
        bottom = 12 + len(bars) * (bar_h + gap)
        parts.append(
            f'<line class="limit" x1="{x:.1f}" y1="6" x2="{x:.1f}" y2="{bottom}"/>'
            f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">{_e(limit[0])}</text>'
        )
    width = label_w + plot_w + 90
    return (
        f'<svg class="chart" id="{chart_id}" role="img" aria-label="{_e(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">{"".join(parts)}</svg>'
    )


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def _figures(m: dict[str, Any], t: dict[str, str], lang: str) -> str:
    """The computed figures: weights, gates, scores and costs (each with a chart), GPU fit, load, targets, assumptions."""
    figures = load_figures(m)
    if figures is None:
        return _section("figures", t["figures"], f'<p class="muted">{_e(t["not_recorded"])}</p>')
    brief = load_brief(m)
    out = []
    keys = ", ".join(category_name(k, lang) for k in figures.key_factors)
    out.append(f'<p><strong>{_e(t["key_factors"])}:</strong> {_e(keys)}</p>')
    weights = [[*_cells(category_name(w.category, lang)), _num(w.weight), *_cells(w.reason)] for w in figures.weights]
    out.append(f'<h3>{_e(t["weights"])}</h3>' + _table([t["category"], t["weight"], t["reason"]], weights))
    gates = [
        [*_cells(g.model), f'<td><span class="badge {"ok" if g.passed else "bad"}">{_e(t["kept"] if g.passed else t["excluded"])}</span></td>',
         *_cells("; ".join(check_detail(r, lang) for r in g.reasons) or "—")]
        for g in figures.gates
    ]
    out.append(f'<h3>{_e(t["gates"])}</h3>' + _table([t["candidate"], t["status"], t["reason"]], gates))
    if figures.shortfall:
        out.append(f'<p class="muted">{_e(t["shortfall"])}: {_e(figures.shortfall)}</p>')

    role = {figures.recommended: ("best", t["recommended"]), figures.runner_up: ("second", t["runner_up"])}
    bars = [(s.model, s.total, role.get(s.model, ("", ""))[0], f"{s.total:.2f}" + (f" · {role[s.model][1]}" if s.model in role else ""))
            for s in figures.scores]
    out.append(f'<h3>{_e(t["scores_chart"])}</h3>' + _bar_chart("chart-scores", t["scores_chart"], bars, 5.0))
    categories = [w.category for w in figures.weights]
    heads = [t["candidate"], t["provider"], *(category_name(c, lang) for c in categories), t["weighted"]]
    rows = [[*_cells(s.model, s.provider), *(_num(s.scores.get(c, 0)) for c in categories), _num(s.total, 2)] for s in figures.scores]
    out.append(_table(heads, rows))

    budget = brief.constraints.monthly_budget.value if brief and brief.constraints.monthly_budget else None
    limit = (f"{t['budget']} {budget.amount:,.0f} {budget.currency}", budget.amount) if budget and budget.currency == "USD" else None
    top = max([c.monthly_usd for c in figures.costs] + [limit[1] if limit else 0.0]) * 1.1 if figures.costs else 1.0
    bars = [(c.model, c.monthly_usd, "over" if c.within_budget is False else "", f"{c.monthly_usd:,.0f}") for c in figures.costs]
    out.append(f'<h3>{_e(t["cost_chart"])}</h3>' + _bar_chart("chart-costs", t["cost_chart"], bars, top, limit))
    rows = [
        [*_cells(c.model), _num(c.monthly_input_tokens), _num(c.monthly_output_tokens), *_cells(_money(c.api_usd), _money(c.self_host_usd)),
         _num(c.monthly_usd, 2), *_cells(" + ".join(f"{t['part_names'].get(k, k)} {v:,.0f}" for k, v in c.parts.items()) or "—"),
         *_cells(word("yes" if c.within_budget else "no", lang) if c.within_budget is not None else "—")]
        for c in figures.costs
    ]
    out.append(_table([t["candidate"], t["in_tokens"], t["out_tokens"], t["api"], t["self_host"], t["monthly"], t["parts"], t["within_budget"]], rows))

    if figures.gpu_fit:
        rows = [
            [*_cells(g.model, g.precision, f"{g.total_gb:g} = {g.weights_gb:g} + {g.kv_cache_gb:g} KV + {g.overhead_gb:g}"),
             *_cells(f"{g.gpu} ({g.gpu_memory_gb:g} GB)"), _num(g.gpus_needed), *_cells(f"{g.utilisation:.0%}", f"{g.sequences} / {g.max_sequences}"),
             _num(g.replicas), *_cells(g.note or (word("yes" if g.fits_owned else "no", lang) if g.fits_owned is not None else "—"))]
            for g in figures.gpu_fit
        ]
        heads = [t["candidate"], t["precision"], t["memory"], t["gpu"], t["gpus"], t["utilisation"], t["sequences"], t["replicas"], t["fits"]]
        out.append(f'<h3>{_e(t["gpu_fit"])}</h3>' + _table(heads, rows))
    cap = figures.capacity
    load = [
        (t["items_month"], f"{cap.items_per_month:,.0f}"), (t["items_day"], rate(cap.items_per_day)), (t["peak"], f"{cap.peak_multiplier:g}"),
        (t["peak_rph"], rate(cap.peak_requests_per_hour)), (t["concurrency"], cap.concurrency), (t["context"], f"{cap.context_tokens:,}"),
        (t["tokens_s"], f"{rate(cap.prefill_tokens_per_s)} / {rate(cap.decode_tokens_per_s)}"), (t["availability"], cap.availability_reason),
    ]
    out.append(f'<h3>{_e(t["capacity"])}</h3><dl class="totals">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in load) + "</dl>")
    if figures.colocated:
        rows = [_cells(t["roles"].get(c.role, c.role), c.model, t["modes"].get(c.mode, c.mode), f"{c.memory_gb:g}", str(c.gpus), c.reason)
                for c in figures.colocated]
        out.append(f'<h3>{_e(t["colocated"])}</h3>' + _table([t["role"], t["candidate"], t["mode"], t["memory"], t["gpus"], t["reason"]], rows))
    if figures.fine_tuning:
        ft = figures.fine_tuning
        line = t["ft_line"].format(
            model=ft.model, method=ft.method, seq=ft.sequence_tokens, total=ft.total_gb, weights=ft.weights_gb, adapters=ft.adapters_gb,
            activations=ft.activations_gb, overhead=ft.overhead_gb, gpus=ft.gpus, gpu=ft.gpu,
        )
        out.append(f'<h3>{_e(t["fine_tuning"])}</h3><p>{_e(line)}</p>')
    out.append(_judgement(figures, t, lang))
    rows = [_cells(a.name, a.value, a.reason) for a in figures.assumptions]
    out.append(f'<h3>{_e(t["assumptions"])}</h3>' + _table([t["assumption"], t["value"], t["reason"]], rows))
    return _section("figures", t["figures"], "".join(out))


JUDGEMENT_LABELS = {
    "en": {
        "direction": "Direction", "origin": "From", "measured": "Measured", "gate": "Release gate", "task_shape": "Task shape",
        "archetype": "Archetype", "mode": "Mode", "retrieval": "Retrieval", "caching": "Caching", "waiting": "Beyond capacity",
        "evaluation": "Evaluation statistics", "test_set": "Test set", "margin": "Margin", "size_reason": "Why this size",
        "zero_gate": "Zero-failure gate", "regression": "Regression test", "agreement": "Agreement", "judge": "Judge",
        "rollout": "Rollout", "users": "Users", "stage": "Stage", "not_users": "Counted in the use case but not users of the assistant",
        "build": "One-off build estimate", "build_item": "Item", "build_basis": "Basis",
        "client": "client's criterion", "baseline": "stated baseline", "default": "task default", "pilot": "pilot and production only",
        "yes": "yes", "no": "", "items": "items",
        "reduce": "reduce", "increase": "increase", "no_increase": "no increase", "zero": "none at all", "at_least": "at least", "at_most": "at most",
    },
    "ko": {
        "direction": "방향", "origin": "출처", "measured": "측정 위치", "gate": "배포 차단 기준", "task_shape": "작업 형태",
        "archetype": "유형", "mode": "처리 방식", "retrieval": "검색·입력", "caching": "캐싱", "waiting": "용량 초과 시",
        "evaluation": "평가 통계", "test_set": "테스트 세트", "margin": "오차 범위", "size_reason": "규모 근거",
        "zero_gate": "무오류 관문", "regression": "회귀 검정", "agreement": "일치도", "judge": "평가 모델",
        "rollout": "단계적 배포", "users": "사용자 수", "stage": "단계", "not_users": "사용 사례에 나오지만 도우미의 사용자가 아닌 인원",
        "build": "일회성 구축비 추정", "build_item": "항목", "build_basis": "산정 근거",
        "client": "고객 기준", "baseline": "명시 기준값", "default": "작업 기본", "pilot": "파일럿·운영 전용",
        "yes": "예", "no": "", "items": "건",
        "reduce": "감소", "increase": "증가", "no_increase": "증가 없음", "zero": "0건", "at_least": "이상", "at_most": "이하",
    },
}


def _judgement(figures: Any, t: dict[str, str], lang: str) -> str:
    """The key metrics with their direction, source and where they are measured; task shape, evaluation statistics, rollout (issue 24)."""
    j = JUDGEMENT_LABELS["ko" if lang == "ko" else "en"]
    rows = [
        _cells(
            g.metric, word(g.kind, lang), g.definition, g.baseline, g.target, j.get(g.direction, g.direction), j.get(g.origin, g.origin),
            j["test_set"] if g.measured == "test_set" else j["pilot"],
            j["yes"] if g.release_gate else j["no"],
        )
        for g in figures.targets
    ]
    headers = [t["metric"], t["kind"], t["definition"], t["baseline"], t["target"], j["direction"], j["origin"], j["measured"], j["gate"]]
    out = [f'<h3>{_e(t["targets"])}</h3>' + _table(headers, rows)]
    if figures.task_shape:
        ts = figures.task_shape
        pairs = [(j["archetype"], ts.archetype_name), (j["mode"], word(ts.mode, lang)), (j["retrieval"], ts.retrieval), (j["caching"], ts.caching),
                 (j["waiting"], ts.waiting)]
        out.append(f'<h3>{_e(j["task_shape"])}</h3><p class="muted">{_e(ts.reason)}</p><dl class="totals">'
                   + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in pairs) + "</dl>")
    if figures.evaluation:
        ev = figures.evaluation
        pairs = [(j["test_set"], f"{ev.test_set_size:,} {j['items']}"), (j["margin"], ev.margin_text), (j["size_reason"], ev.size_reason),
                 (j["zero_gate"], ev.gate_text), (j["regression"], ev.regression_text), (j["agreement"], ev.agreement_text), (j["judge"], ev.judge_text)]
        out.append(f'<h3>{_e(j["evaluation"])}</h3><dl class="totals">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in pairs) + "</dl>")
    if figures.rollout:
        ro = figures.rollout
        rows = [_cells(str(i), stage) for i, stage in enumerate(ro.stages, 1)]
        users = f" ({j['users']}: {ro.users:,})" if ro.users else ""
        out.append(f'<h3>{_e(j["rollout"])}{_e(users)}</h3>' + _table([j["stage"], ""], rows))
        if ro.not_users:
            out.append(f'<p>{_e(j["not_users"])}: {_e(", ".join(ro.not_users))}</p>')
    if figures.build:
        rows = [_cells(i.basis, f"USD {i.usd:,.0f}") for i in figures.build.items]
        out.append(f'<h3>{_e(j["build"])}</h3>' + _table([j["build_basis"], "USD"], rows) + f"<p>{_e(figures.build.verdict)}</p>")
    return "".join(out)


def _check_badge(passed: Any, lang: str) -> str:
    return f'<span class="badge {"ok" if passed else "bad"}">{_e(word("passed" if passed else "failed", lang))}</span>'


def _consistency(m: dict[str, Any], t: dict[str, str], lang: str) -> str:
    """Each cross-document review round: every check with its verdict and detail, and what went back."""
    rounds = m.get("consistency") or []
    if not rounds:
        return _section("consistency", t["consistency"], f'<p class="muted">{_e(t["not_recorded"])}</p>')
    out = []
    for r in rounds:
        rows = [
            [*_cells(c.get("document")), f"<td><code>{_e(c.get('id'))}</code></td>", f"<td>{_check_badge(c.get('passed'), lang)}</td>",
             *_cells(check_detail(c.get("detail"), lang))]
            for c in r.get("checks", [])
        ]
        back = ", ".join(str(d) for d in r.get("sent_back") or []) or t["none"]
        out.append(
            f'<h3>{_e(t["round"])} {_e(r.get("round"))}</h3>'
            + _table([t["document"], t["check"], t["status"], t["detail"]], rows)
            + f'<p><strong>{_e(t["sent_back_docs"])}:</strong> {_e(back)}</p>'
        )
    return _section("consistency", t["consistency"], "".join(out))


def _human(m: dict[str, Any], t: dict[str, str], lang: str) -> str:
    """Every decision a person made at a review pause, with the comment."""
    decisions = m.get("human_decisions") or []
    if not decisions:
        return _section("human", t["human"], f'<p class="muted">{_e(t["none"])}</p>')
    rows = [_cells(word(d.get("kind"), lang), d.get("document") or "—", word(d.get("action"), lang), d.get("comment") or "—") for d in decisions]
    return _section("human", t["human"], _table([t["pause"], t["document"], t["action"], t["comment"]], rows))


def _still_failing(doc: dict[str, Any], t: dict[str, str], lang: str) -> str:
    """For a document that did not pass: why, and the checks its last draft still fails."""
    if doc.get("status") == "passed":
        return ""
    iterations = doc.get("iterations") or []
    failing = [c for c in (iterations[-1].get("checks", []) if iterations else []) if not c.get("passed")]
    items = "".join(f"<li><code>{_e(c.get('id'))}</code>: {_e(check_detail(c.get('detail'), lang))}</li>" for c in failing)
    reason = f'<p><strong>{_e(t["why_failed"])}:</strong> {_e(check_detail(doc.get("reason"), lang))}</p>' if doc.get("reason") else ""
    listing = f'<p><strong>{_e(t["still_failing"])}:</strong></p><ul>{items}</ul>' if items else ""
    return f'<div class="still-failing">{reason}{listing}</div>' if reason or listing else ""
