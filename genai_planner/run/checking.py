"""Checking one document of a finished run again, as written or as a person edited it.

People edit the documents by hand before they send them. `check_document` runs every check
the document's contract names, and the cross-document checks that concern it, against the
run's own brief, figures, sources and the other documents' decisions, all read from the run
folder (manifest.json, run.json and the documents beside them). The reviewer and this command
build the check context the same way (`agents.reviewer.check_context`), so a file that passes
here passes the run's review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genai_planner.agents.reviewer import check_context
from genai_planner.core.errors import InputError
from genai_planner.documents import markdown as md
from genai_planner.documents.checks import CheckResult, run_check
from genai_planner.documents.specs import load_consistency_spec, load_document_specs
from genai_planner.memory.decisions import extract_decisions


@dataclass
class DocumentCheck:
    """The results of checking one document: its own checks, then the cross-document ones."""

    doc_id: str
    file: str
    results: list[CheckResult]

    @property
    def failed(self) -> list[CheckResult]:
        """The failures that block the document (advisory findings inform, they do not block)."""
        return [r for r in self.results if not r.passed and not r.advisory]

    @property
    def advice(self) -> list[CheckResult]:
        """Advisory findings: a word-list check that only informs the reviewer."""
        return [r for r in self.results if not r.passed and r.advisory]


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"{path} is missing: not a finished run folder")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path} is not a JSON object")
    return data


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


def run_decisions(run_dir: Path, manifest: dict[str, Any], except_doc: str, language: str, edited: str | None = None) -> dict[str, Any]:
    """The decisions every document of the run records (read from its Markdown), the checked one's from `edited`."""
    specs = load_document_specs()
    decisions: dict[str, Any] = {}
    for doc_id, spec in specs.items():
        if not spec.records:
            continue
        if doc_id == except_doc and edited is not None:
            text = edited
        else:
            path = run_dir / spec.file
            if not path.is_file():
                continue
            text = _read_text(path)
        decisions.update(extract_decisions(spec, text, language, manifest.get("figures")))
    return decisions


def check_document(run_dir: Path, doc_id: str, file: Path | None = None) -> DocumentCheck:
    """Run document `doc_id`'s checks (and the cross-document checks on it) on the run's file or on `file`.

    Raises:
        InputError: the folder is not a run, the document id is unknown, or a file cannot be read.
    """
    specs = load_document_specs()
    if doc_id not in specs:
        raise InputError(f"unknown document {doc_id!r}; the documents are {', '.join(sorted(specs))}")
    spec = specs[doc_id]
    manifest = _read_json(run_dir / "manifest.json")
    language = str(manifest.get("language") or "")
    if language not in {"en", "ko"}:
        raise InputError(f"{run_dir / 'manifest.json'} names no run language (en or ko)")
    path = file if file is not None else run_dir / spec.file
    if not path.is_file():
        raise InputError(f"{path} does not exist" + ("" if file is not None else f": the run did not write document {doc_id}"))
    text = _read_text(path)
    record = next((d for d in manifest.get("documents") or [] if str(d.get("id")) == doc_id), {})
    sources = [s for s in record.get("sources") or [] if isinstance(s, dict) and s.get("id")]
    saved = _read_json(run_dir / "run.json") if (run_dir / "run.json").is_file() else {}
    scenario = saved.get("scenario") or {}
    quoted = (str(scenario.get("use_case") or ""), *(str(s) for s in scenario.get("stakeholders") or []))
    brief, figures = manifest.get("brief") or {}, manifest.get("figures") or {}
    # The other documents' decisions as their files stand; the checked document's from the text being checked.
    decisions = run_decisions(run_dir, manifest, doc_id, language, edited=text)
    ctx = check_context(spec, language, brief, figures, sources, decisions, quoted=quoted)
    parsed = md.parse_document(text)
    results = [run_check(c, parsed, ctx) for c in spec.checks]
    for check in load_consistency_spec().checks:
        targets = check.params.get("documents") or [check.params.get("document")]
        if doc_id in [str(t) for t in targets]:
            result = run_check(check, parsed, ctx)
            results.append(result.model_copy(update={"id": f"consistency:{result.id}"}))
    return DocumentCheck(doc_id=doc_id, file=str(path), results=results)
