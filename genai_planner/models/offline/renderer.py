"""The offline writer: renders the resolved document contract into Markdown.

Everything it writes comes from the prompt's tagged blocks: the `<contract>` (each section's
heading, form and the points it must make, already filled with this run's facts), the
`<findings>` (cited by id) and the `<feedback>`. It holds no planning logic: which model,
which weights, which metrics and what each item says were decided before the prompt was
written, the same for every engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from genai_planner.documents import markdown as md
from genai_planner.documents.checks import document_words
from genai_planner.models.offline import fitting
from genai_planner.models.offline.protocol import Finding

OWN_KINDS_EXCLUDED = {"knowledge", "catalog", "figures"}
MAX_EVIDENCE_WORDS = 30


def _cite(source_id: str | None) -> str:
    return f" [{source_id}]" if source_id else ""


def _has_citation(text: str) -> bool:
    return bool(re.search(r"\[S\d+\]", text))


def section_source(findings: list[Finding], section_id: str) -> str | None:
    """The first source researched for this section (knowledge or catalog), to cite."""
    for f in findings:
        if f.section == section_id and f.kind != "figures":
            return f.id
    return None


def own_evidence(findings: list[Finding], section_id: str) -> Finding | None:
    """The organisation's own material (user documents, plugins, web) found for this section."""
    for f in findings:
        if f.section == section_id and f.kind not in OWN_KINDS_EXCLUDED and (f.bullets or f.sentences or f.text):
            return f
    return None


def _evidence_line(f: Finding, language: str) -> str:
    text = (f.bullets or f.sentences or [f.text])[0]
    words = re.sub(r"\s+", " ", text).split()
    sentence = " ".join(words[:MAX_EVIDENCE_WORDS]).rstrip(",;:") + ("…" if len(words) > MAX_EVIDENCE_WORDS else "")
    label = "자체 자료" if language == "ko" else "Evidence from our own material"
    return f"*{label}:* {sentence} [{f.id}]"


def _item(point: dict[str, Any], key_marker: str | None) -> str:
    label = point.get("label")
    text = point["text"]
    if label:
        if point.get("key") and key_marker:
            label = f"{label} ({key_marker})"
        return f"**{label}:** {text}"
    return text


def _with_cite(lines: list[str], source: str | None) -> list[str]:
    """Cite the section's source once, on its first line, unless a line already cites."""
    if not lines or any(_has_citation(ln) for ln in lines) or not source:
        return lines
    return [lines[0] + _cite(source), *lines[1:]]


def _list(points: list[dict[str, Any]], form: str, key_marker: str | None, source: str | None) -> list[str]:
    items = [_item(p, key_marker) for p in points]
    items = _with_cite(items, source)
    if form == "numbered":
        return [f"{i + 1}. {text}" for i, text in enumerate(items)]
    if form == "checklist":
        return [f"- [ ] {text}" for text in items]
    return [f"- {text}" for text in items]


def _table(table: dict[str, Any]) -> list[str]:
    columns = table["columns"]
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in table["rows"]]
    return lines


def render_section(section: dict[str, Any], findings: list[Finding], markers: dict[str, str], language: str, evidence_lines: bool = True) -> str:
    """One `##` section from its resolved contract (with a line of the organisation's own evidence unless told not to)."""
    form = section["form"]
    source = section_source(findings, section["id"])
    key_marker = markers.get("key_factor")
    body: list[str] = []
    if form == "paragraph":
        body = _with_cite([" ".join(p["text"] for p in section.get("points", []))], source)
    elif form in {"list", "numbered", "checklist"}:
        body = _list(section.get("points", []), form, key_marker, source)
    elif form == "recommendation":
        lines = [_item(p, None) for p in section.get("points", [])]
        body = [ln for line in _with_cite(lines, source) for ln in (line, "")][:-1]
    elif form == "table":
        body = _table(section["table"])
    elif form == "blocks":
        for block in section.get("blocks", []):
            body += [f"**{block['label']}:**", ""]
            if block["form"] == "paragraph":
                body.append(" ".join(p["text"] for p in block["points"]))
            else:
                body += _list(block["points"], block["form"], None, None)
            body.append("")
        body = body[:-1]
        if source and not any(_has_citation(ln) for ln in body):
            body[-1] += _cite(source)
    else:
        raise ValueError(f"unknown section form {form!r}")
    after = [_item(p, None) for p in section.get("after", [])]
    if after:
        body += ["", *_with_cite(after, None if any(_has_citation(b) for b in body) else source)]
    if form == "table" and source and not any(_has_citation(b) for b in body):
        body += ["", f"[{source}]"]
    evidence = own_evidence(findings, section["id"]) if evidence_lines else None
    if evidence is not None:
        body += ["", _evidence_line(evidence, language)]
    return "\n".join([f"## {section['heading']}", "", *body]).rstrip() + "\n"


def _render(
    contract: dict[str, Any], findings: list[Finding], language: str, whole: bool, sections: list[str] | None, without_evidence: frozenset[str] = frozenset()
) -> str:
    markers = contract.get("markers") or {}
    parts = [f"# {contract['title']}\n"] if whole else []
    parts += [
        render_section(s, findings, markers, language, s["id"] not in without_evidence)
        for s in contract.get("sections", [])
        if sections is None or s["id"] in sections
    ]
    return "\n".join(parts)


def _drop_last_optional(contract: dict[str, Any], only: str | None = None) -> bool:
    """Leave out the first optional point the contract allows to drop (in document order, or in section `only`);
    False when none is left.
    """
    for section in contract.get("sections", []):
        if only is not None and section.get("id") != only:
            continue
        for part in ("after", "points"):
            points = section.get(part, [])
            for i in range(len(points) - 1, -1, -1):
                if points[i].get("optional"):
                    del points[i]
                    return True
    return False


def _use_short_form(contract: dict[str, Any], only: str | None = None) -> bool:
    """Switch the last point (of the document, or of section `only`) that has a shorter wording (lists cut to
    their first item) to it, so the first mentions keep the whole list; False when none is left.
    """
    points = []
    for section in contract.get("sections", []):
        if only is not None and section.get("id") != only:
            continue
        groups = [section.get("points", []), *(b.get("points", []) for b in section.get("blocks", [])), section.get("after", [])]
        points += [p for group in groups for p in group if p.get("short")]
    if not points:
        return False
    points[-1]["text"] = points[-1].pop("short")
    return True


def render_document(
    contract: dict[str, Any],
    findings: list[Finding],
    language: str,
    whole: bool,
    sections: list[str] | None = None,
    edit: Callable[[str], str] | None = None,
) -> str:
    """The document (or, for a sub-task, just the named sections) from the resolved contract.

    Over the contract's word limit, the points the contract marks optional go first, in document
    order, then the long lists (each point's shorter wording), and last the lines quoting the
    organisation's own material, one section at a time from the end (their tools' and documents'
    facts are what makes the plan theirs; they are cut only as far as the limit needs: how much
    research returns is not the document's to choose); still over, lower-priority sentences and
    clauses go, from the wordiest section (`fitting`), so a long brief fits too.
    `edit` (a person's review comment applied to the text) is counted inside the limit: what a
    reviewer asks to add makes room for itself.
    """
    finish = edit or (lambda text: text)
    text = finish(_render(contract, findings, language, whole, sections))
    limit = (contract.get("limits") or {}).get("document")
    with_evidence = [s["id"] for s in contract.get("sections", []) if own_evidence(findings, s["id"]) is not None]
    without: frozenset[str] = frozenset()
    while whole and limit and document_words(text, language) > limit:
        if not _drop_last_optional(contract) and not _use_short_form(contract):
            if with_evidence:
                without = without | {with_evidence.pop()}  # the last section's evidence line first
            elif not fitting.drop_lower_priority(contract, _section_words(text, contract)):
                break
        text = finish(_render(contract, findings, language, whole, sections, without))
    # A section's own limit ('rag' at most 200 words) is fitted the same way, within that section only.
    while (over := _section_over_limit(text, contract)) is not None:
        if not _drop_last_optional(contract, over) and not _use_short_form(contract, over):
            if over in with_evidence and over not in without:
                without = without | {over}
            elif not fitting.drop_lower_priority(contract, _section_words(text, contract), only=over):
                break
        text = finish(_render(contract, findings, language, whole, sections, without))
    return text


def _section_words(text: str, contract: dict[str, Any]) -> dict[str, int]:
    """Each section's words as rendered (by section id), counted as the `max_words` check counts them."""
    doc = md.parse_document(text)
    out = {}
    for section in contract.get("sections", []):
        found = doc.find(section.get("heading", ""))
        if found is not None:
            out[str(section["id"])] = md.count_words(found.text)
    return out


def _section_over_limit(text: str, contract: dict[str, Any]) -> str | None:
    """The first section whose body is over its own word limit (counted as the `max_words` check counts), or None."""
    limits = {k: v for k, v in (contract.get("limits") or {}).items() if k != "document"}
    if not limits:
        return None
    doc = md.parse_document(text)
    for section in contract.get("sections", []):
        limit = limits.get(section.get("id"))
        found = doc.find(section.get("heading", "")) if limit else None
        if found is not None and md.count_words(found.text) > limit:
            return str(section["id"])
    return None
