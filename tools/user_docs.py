"""`user_documents`: search a folder of the user's own Markdown and text files (`--docs DIR`).

The folder is read by `tools.textfiles` (no link out of it, binary files skipped by content,
size limits) and each file is cut into passages of at most `PASSAGE_CHARS` characters at
paragraph, line or sentence boundaries, so a large file is searched in full, not skipped.
What could not be read is reported once per run as warnings in the tool's result, which
the tool boundary traces. The researcher asks this tool every planned question.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

import structlog
from langchain_core.tools import BaseTool, tool

from genai_planner.core import regex_cache
from genai_planner.tools.base import ToolContext, ToolHit, tool_result
from genai_planner.tools.knowledge import KnowledgeIndex, Passage
from genai_planner.tools.textfiles import read_folder

SUFFIXES = {".md", ".markdown", ".txt"}
PASSAGE_CHARS = 1200

_SENTENCE_END_RE = regex_cache.compile(r"(?<=[.!?。])\s+|(?<=다\.)\s*")


def _pieces(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line breaks, then sentences, then spaces, then anywhere."""
    if len(text) <= limit:
        return [text]
    for pattern in (r"\n", _SENTENCE_END_RE.pattern, r"\s+"):
        parts = [p.strip() for p in re.split(pattern, text) if p and p.strip()]
        if len(parts) > 1:
            return [piece for p in parts for piece in _pieces(p, limit)]
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def split_passages(rel: str, text: str, limit: int = PASSAGE_CHARS) -> list[Passage]:
    """One file's text as passages: whole paragraphs joined up to `limit` characters, longer ones cut."""
    passages: list[Passage] = []
    chunk: list[str] = []

    def flush() -> None:
        if chunk and "".join(chunk).strip():
            part = len(passages) + 1
            passages.append(Passage(ref=f"docs/{rel}#part{part}", title=f"{rel} (part {part})", text="\n\n".join(chunk).strip()))
        chunk.clear()

    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        for piece in _pieces(para.strip(), limit):
            if chunk and sum(len(c) + 2 for c in chunk) + len(piece) > limit:
                flush()
            chunk.append(piece)
    flush()
    return passages


def load_user_documents(directory: Path) -> tuple[list[Passage], list[str]]:
    """Every passage of the readable .md/.txt files under `directory`, and the warnings about the rest."""
    folder = read_folder(directory, SUFFIXES, label=f"--docs {directory}")
    passages = [p for f in folder.files for p in split_passages(f.rel, f.text)]
    return passages, folder.warnings


def load_user_passages(directory: Path) -> list[Passage]:
    """Every passage of the readable .md/.txt files under `directory`."""
    return load_user_documents(directory)[0]


@lru_cache(maxsize=4)
def _user_index(directory: str, language: str) -> tuple[KnowledgeIndex | None, tuple[str, ...]]:
    passages, warnings = load_user_documents(Path(directory))
    return (KnowledgeIndex(passages, language) if passages else None), tuple(warnings)


_LOCK = threading.Lock()


def build_user_documents(ctx: ToolContext) -> BaseTool:
    """Build the `user_documents` tool over `--docs DIR` (it says so when no folder was given)."""
    warned: set[str] = set()  # runs that have been told what could not be read

    def warnings_once(warnings: tuple[str, ...]) -> list[str]:
        run = str(structlog.contextvars.get_contextvars().get("run_id", ""))
        with _LOCK:
            if not warnings or run in warned:
                return []
            warned.add(run)
        return list(warnings)

    @tool
    def user_documents(query: str, k: int = 3) -> str:
        """Search the organisation's own documents (policies, manuals, past reports) given with --docs.

        Args:
            query: What to look for.
            k: How many passages to return (1-6).
        """
        if ctx.docs_dir is None:
            return tool_result([], note="no user documents were provided (--docs DIR)")
        with _LOCK:
            index, warnings = _user_index(str(ctx.docs_dir), ctx.language)
        told = warnings_once(warnings)
        if index is None:
            return tool_result([], note=f"no readable .md or .txt files in {ctx.docs_dir}", warnings=told)
        hits = [ToolHit(title=p.title, ref=p.ref, text=p.text, kind="user_document") for p, _ in index.search(query, k=max(1, min(int(k), 6)))]
        return tool_result(hits, note="" if hits else "no passage matched", warnings=told)

    user_documents.metadata = {"answers": ["*"] if ctx.docs_dir is not None else []}  # every planned question, when there is a folder
    return user_documents
