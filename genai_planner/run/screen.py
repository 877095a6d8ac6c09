"""What the CLI prints about a run, in the run's language: the brief's constraints, send-back reasons.

The progress lines read events; the words in them (constraint names, enumeration values,
evidence kinds, check details) come from `presentation`, so the screen says what report.html
and the Word export say, in the same language. Names (models, check ids) stay as they are.
"""

from __future__ import annotations

from typing import Any

from genai_planner.planning.brief import Evidence
from genai_planner.run.presentation import FACT_LABELS, check_detail, evidence_text, in_language, language_names, word

__all__ = ["assumed_line", "check_detail", "constraint_line", "send_back_reason", "word"]

REVIEWER_ONLY = {
    "en": "the reviewer asked for changes the checks do not cover: {critique}",
    "ko": "검토자가 검사 외의 수정을 요청함: {critique}",
}
REVIEWER_ONLY_NO_TEXT = {"en": "the reviewer asked for changes (no reason given)", "ko": "검토자가 수정을 요청함(이유 없음)"}
REVIEWER_ONLY_OTHER_LANGUAGE = {"en": "the reviewer asked for changes", "ko": "검토자가 검사 외의 수정을 요청함(의견은 trace에 있음)"}


def _lang(language: str) -> str:
    return "ko" if language == "ko" else "en"


def constraint_line(item: dict[str, Any], language: str) -> str:
    """'data residency: on premises  [stated: “...”]' (or '데이터 위치: 온프레미스  [명시: “...”]') from a brief_ready item.

    The evidence shown is the evidence the brief holds for that very constraint, rendered as
    the report renders it, so the screen and the deliverables quote the same words.
    """
    lang = _lang(language)
    name, value = str(item.get("name")), item.get("value")
    if name in {"data residency", "latency"}:
        shown = word(value, lang)
    elif name == "languages":
        shown = language_names([c.strip() for c in str(value or "").split(",") if c.strip()], lang)
    else:
        shown = str(value)
    raw = item.get("evidence") or {}
    try:
        evidence = evidence_text(Evidence.model_validate(raw), lang) if raw else ""
    except ValueError:
        evidence = word(raw.get("source"), lang)
    return f"{word(name, lang)}: {shown}" + (f"  [{evidence}]" if evidence else "")


def assumed_line(text: str, language: str) -> str:
    """'constraints.data_residency: reason' with the field named in the run's language."""
    lang = _lang(language)
    path, sep, reason = str(text).partition(": ")
    if not sep:
        return str(text)
    key = path.split(".")[-1].split("[")[0]
    label = FACT_LABELS[lang].get(key) or word(key.replace("_", " "), lang)
    return f"{label}: {reason}"


def send_back_reason(event: dict[str, Any], language: str) -> str:
    """Why a draft was sent back: its failed checks, or (a reviewer-only send-back) the critique's reason."""
    lang = _lang(language)
    failed = [str(c) for c in event.get("failed_checks") or []]
    if failed or event.get("accepted"):
        return ", ".join(failed)
    critique = " ".join(str(event.get("critique") or "").split())
    if not critique:
        return REVIEWER_ONLY_NO_TEXT[lang]
    if lang == "ko" and not in_language(critique, lang):
        return REVIEWER_ONLY_OTHER_LANGUAGE[lang]
    short = critique if len(critique) <= 200 else critique[:199].rsplit(" ", 1)[0] + "…"
    return REVIEWER_ONLY[lang].format(critique=short)




# --- tables that fit -------------------------------------------------------------------------

NARROW = 100
"""Below this many columns a table's cells would wrap into unreadable slivers: rows are stacked instead."""


def print_rows(console: Any, columns: tuple[str, ...], rows: list[tuple[str, ...]], *, empty: str, whole: tuple[str, ...] = ("run id",)) -> None:
    """Print rows so that every value can be read and copied whole, wherever the output goes.

    Piped or redirected: tab-separated lines under a header (for `cut`, `awk`, a spreadsheet).
    A terminal narrower than `NARROW`: one block per row, `column: value`, nothing cut. A wide
    terminal: a table whose `whole` columns (the ids the next command needs) never wrap. No
    rows: the one sentence `empty`, which says why and what to do.
    """
    import sys

    if not rows:
        console.print(empty, markup=False, highlight=False)
        return
    if not console.is_terminal:
        out = getattr(console, "file", None) or sys.stdout
        out.write("\n".join("\t".join(" ".join(str(v).split()) for v in row) for row in [columns, *rows]) + "\n")
        return
    if console.width < NARROW:
        for n, row in enumerate(rows):
            if n:
                console.print()
            label = max(len(c) for c in columns)
            for col, value in zip(columns, row, strict=False):
                console.print(f"{col.ljust(label)}  {value}", markup=False, highlight=False, soft_wrap=True)
        return
    from rich.table import Table

    table = Table()
    for i, col in enumerate(columns):
        if col in whole:
            table.add_column(col, no_wrap=True, min_width=max((len(str(r[i])) for r in rows), default=len(col)))
        else:
            table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(str(v) for v in row))
    console.print(table)
