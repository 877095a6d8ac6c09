"""Asking a person at a review pause, in the terminal.

Plan: accept, edit (opens $EDITOR on a YAML rendering, validated on return), add
instructions, or decide later. Document: accept, send back with a comment, or later.
Without a terminal the run pauses; `genai-planner resume RUN_ID` asks again.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
import sys
import tempfile
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

TEXT = {
    "en": {
        "plan_title": "Plan review", "doc_title": "Review of document {doc}",
        "plan_choices": "[a]ccept, [e]dit in $EDITOR, add [i]nstructions, decide [l]ater",
        "doc_choices": "[a]ccept, [r]evise with a comment, decide [l]ater",
        "instructions": "Instructions for the planner: ", "comment": "What should change? ",
        "bad_yaml": "The edited plan is not valid YAML ({error}); try again.",
        "rejected": "Your last answer was not used: {reason}",
    },
    "ko": {
        "plan_title": "계획 검토", "doc_title": "문서 {doc} 검토",
        "plan_choices": "[a] 승인, [e] 편집($EDITOR), [i] 지시 추가, [l] 나중에",
        "doc_choices": "[a] 승인, [r] 의견과 함께 반려, [l] 나중에",
        "instructions": "플래너에게 줄 지시: ", "comment": "무엇을 바꿔야 하나요? ",
        "bad_yaml": "편집한 계획이 올바른 YAML이 아닙니다({error}). 다시 시도하세요.",
        "rejected": "직전 답변은 반영되지 않았습니다: {reason}",
    },
}


def _ask(prompt: str) -> str:
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = sys.stdin.readline()
    return line.strip()


def _edit_plan(plan: dict[str, Any], t: dict[str, str], console: Console, brief: dict[str, Any] | None = None) -> dict[str, Any] | None:
    editable = {k: plan[k] for k in ("documents", "rationale") if k in plan}
    if brief:
        editable = {"brief": brief, **editable}
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as fh:
        yaml.safe_dump(editable, fh, allow_unicode=True, sort_keys=False)
        path = fh.name
    try:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        subprocess.call([*shlex.split(editor), path])
        with open(path, encoding="utf-8") as fh:
            edited = yaml.safe_load(fh)
        if not isinstance(edited, dict):
            raise yaml.YAMLError("expected a mapping")
        return edited
    except yaml.YAMLError as exc:
        console.print(t["bad_yaml"].format(error=str(exc).splitlines()[0]), style="red")
        return None
    finally:
        os.unlink(path)


def make_terminal_reviewer(language: str, console: Console):  # type: ignore[no-untyped-def]
    """A reviewer that asks in the terminal, or pauses the run when there is none."""
    t = TEXT.get(language, TEXT["en"])

    def ask(payload: dict[str, Any]) -> dict[str, Any] | None:
        if not sys.stdin.isatty():
            return None
        if payload.get("kind") == "plan":
            plan = payload["plan"]
            table = Table(title=t["plan_title"])
            for col in ("document", "sub-tasks", "research questions"):
                table.add_column(col)
            for d in plan["documents"]:
                table.add_row(d["doc_id"], ", ".join(d["subtasks"]), "\n".join(q["question"] for q in d["research_questions"]))
            console.print(table)
            if payload.get("rejected"):
                console.print(t["rejected"].format(reason=payload["rejected"]), style="red", markup=False)
            while True:
                choice = _ask(t["plan_choices"] + " > ").lower()[:1]
                if choice == "a":
                    return {"action": "accept"}
                if choice == "l":
                    return None
                if choice == "i":
                    text = _ask(t["instructions"])
                    if text:
                        return {"action": "instruct", "instructions": text}
                if choice == "e":
                    edited = _edit_plan(plan, t, console, payload.get("brief"))
                    if edited is not None:
                        return {"action": "edit", "plan": edited}
        from rich.markdown import Markdown  # only when a person reviews a draft: not every run pays its import

        console.print(Markdown(payload.get("draft", "")))
        failed = [c for c in payload.get("checks", []) if not c.get("passed")]
        console.print(f"{t['doc_title'].format(doc=payload.get('doc_id'))}: {len(payload.get('checks', [])) - len(failed)} checks passed")
        while True:
            choice = _ask(t["doc_choices"] + " > ").lower()[:1]
            if choice == "a":
                return {"action": "accept"}
            if choice == "l":
                return None
            if choice == "r":
                comment = _ask(t["comment"])
                if comment:
                    return {"action": "revise", "comment": comment}

    async def reviewer(payload: dict[str, Any]) -> dict[str, Any] | None:
        return await asyncio.to_thread(ask, payload)

    return reviewer
