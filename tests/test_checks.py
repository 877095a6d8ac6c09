"""Every check of every document spec catches a document that violates it.

Each case starts from a document that passed (from an offline run), applies a mutation
aimed at one check, and asserts that check now fails while it passed before.
"""

from __future__ import annotations

import json
import re

import pytest

from genai_planner.documents.checks import CheckContext, run_checks
from genai_planner.documents.specs import CheckSpec, DocumentSpec, load_document_specs
from genai_planner.memory.decisions import extract_decisions
from genai_planner.tools.catalog import load_catalog

SCENARIO_FOR_LANGUAGE = {"en": "electronics_store", "ko": "hospital_discharge_ko"}


def _section_bounds(lines: list[str], title: str) -> tuple[int, int]:
    start = next(i for i, ln in enumerate(lines) if ln.strip() == f"## {title}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return start, end


def edit_section(text: str, title: str, fn) -> str:
    lines = text.splitlines()
    start, end = _section_bounds(lines, title)
    body = fn(lines[start + 1 : end])
    return "\n".join(lines[: start + 1] + body + lines[end:]) + "\n"


def _titles(spec: DocumentSpec, params: dict, language: str) -> list[str]:
    ids = [params["section"]] if "section" in params else params.get("sections") or [spec.sections[0].id]
    return [spec.section(i).title.get(language) for i in ids]


def mutate(text: str, spec: DocumentSpec, check: CheckSpec, language: str, decisions: dict) -> str:
    p = check.params
    first = _titles(spec, p, language)[0]
    kind = check.type
    if kind == "sections_present":
        return text.replace(f"## {first}\n", "## Something else\n", 1)
    if kind == "markdown_valid":
        return text + "\n# A second title\n"
    if kind == "max_words":
        filler = " ".join(["word"] * (int(p["limit"]) + 5))
        return edit_section(text, first, lambda body: body + ["", filler])
    if kind == "item_count":
        if "count" in p:
            return edit_section(text, first, lambda body: body + ["1. One item too many." if p.get("ordered") else "- One item too many."])
        return edit_section(text, first, lambda body: [ln for ln in body if not re.match(r"^(?:[-*+]|\d+[.)])\s", ln)])
    if kind == "mentions_all":
        group = p["terms"][language][0]
        def strip(body):
            joined = "\n".join(body)
            for alt in sorted(group, key=len, reverse=True):
                joined = re.sub(re.escape(alt), "x", joined, flags=re.IGNORECASE)
            return joined.splitlines()
        return edit_section(text, first, strip)
    if kind == "checklist_items":
        return edit_section(text, first, lambda body: [ln.replace("- [ ] ", "- ") for ln in body])
    if kind == "table_weights":
        def bump(body):
            out, done = [], False
            for ln in body:
                if not done and ln.startswith("|") and re.search(r"\|\s*\d+\s*\|\s*$", ln):
                    ln = re.sub(r"(\d+)(\s*\|\s*)$", lambda m: f"{int(m.group(1)) + 7}{m.group(2)}", ln)
                    done = True
                out.append(ln)
            return out
        return edit_section(text, first, bump)
    if kind in {"candidates", "recommendation"}:
        model = decisions["recommended_model"]
        return edit_section(text, first, lambda body: [ln.replace(model, "Imaginary Model 9000") for ln in body])
    if kind == "citations":
        return edit_section(text, first, lambda body: body + ["", "An invented claim. [S999]"])
    if kind == "language":
        other = "이 문장은 한국어로 쓰였습니다 " * 30 if language == "en" else "This sentence is written in English " * 30
        return edit_section(text, first, lambda body: [other])
    if kind == "mentions_decision":
        return text.replace(decisions[p["decision"]], "a model")
    raise AssertionError(f"no mutation for check type {kind}")


def _cases():
    specs = load_document_specs()
    for language in ("en", "ko"):
        for spec in specs.values():
            for check in spec.checks:
                yield pytest.param(language, spec.id, check.id, id=f"{language}-doc{spec.id}-{check.id}")


@pytest.mark.parametrize("language,doc_id,check_id", list(_cases()))
def test_check_catches_a_violating_document(offline_runs, language, doc_id, check_id):
    result = offline_runs[SCENARIO_FOR_LANGUAGE[language]]
    specs = load_document_specs()
    spec = specs[doc_id]
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    record = next(d for d in manifest["documents"] if d["id"] == doc_id)
    text = (result.run_dir / spec.file).read_text(encoding="utf-8")
    decisions = {}
    for dep in ("1", "2"):
        decisions.update(extract_decisions(specs[dep], (result.run_dir / specs[dep].file).read_text(encoding="utf-8"), language))
    scenario = json.loads((result.run_dir / "run.json").read_text(encoding="utf-8"))["scenario"]
    ctx = CheckContext(
        language=language,
        spec=spec,
        known_sources={s["id"] for s in record["sources"]},
        researched_sections={s["section"] for s in record["sources"] if s.get("section") and s["section"] != "domain"},
        decisions=decisions,
        catalog=list(load_catalog()),
        constraints=scenario["constraints"],
    )
    check = next(c for c in spec.checks if c.id == check_id)
    before = run_checks([check], text, ctx)[0]
    assert before.passed, before.detail
    after = run_checks([check], mutate(text, spec, check, language, decisions), ctx)[0]
    assert not after.passed, f"{check_id} did not catch the violation"
    assert after.detail


def test_unknown_check_type_fails_instead_of_raising():
    spec = load_document_specs()["1"]
    result = run_checks([CheckSpec(id="x", type="no_such_check")], "# T\n", CheckContext(language="en", spec=spec))[0]
    assert not result.passed and "unknown check type" in result.detail


def test_word_count_uses_whitespace_words_for_korean():
    from genai_planner.documents.markdown import count_words

    assert count_words("검색 증강 생성은 [S1] **문서를** 찾습니다.") == 5
