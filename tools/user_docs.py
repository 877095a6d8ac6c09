"""`user_documents`: search a folder of the user's own Markdown and text files (`--docs DIR`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from langchain_core.tools import BaseTool, tool

from genai_planner.tools.base import ToolContext, ToolHit, tool_result
from genai_planner.tools.knowledge import KnowledgeIndex, Passage

MAX_FILE_BYTES = 2_000_000
PASSAGE_CHARS = 1200


def load_user_passages(directory: Path) -> list[Passage]:
    """Split each .md/.txt file under `directory` into paragraph-bounded passages."""
    passages = []
    for path in sorted(p for p in directory.rglob("*") if p.suffix.lower() in {".md", ".txt", ".markdown"}):
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        chunk: list[str] = []
        part = 0
        for para in [*text.split("\n\n"), None]:
            if para is not None and sum(len(c) for c in chunk) + len(para) < PASSAGE_CHARS:
                chunk.append(para)
                continue
            if chunk and "".join(chunk).strip():
                part += 1
                rel = path.relative_to(directory).as_posix()
                passages.append(Passage(ref=f"docs/{rel}#part{part}", title=f"{rel} (part {part})", text="\n\n".join(chunk).strip()))
            chunk = [para] if para else []
    return passages


@lru_cache(maxsize=4)
def _user_index(directory: str, language: str) -> KnowledgeIndex | None:
    passages = load_user_passages(Path(directory))
    return KnowledgeIndex(passages, language) if passages else None


def build_user_documents(ctx: ToolContext) -> BaseTool:
    """Build the `user_documents` tool over `--docs DIR` (it says so when no folder was given)."""

    @tool
    def user_documents(query: str, k: int = 3) -> str:
        """Search the organisation's own documents (policies, manuals, past reports) given with --docs.

        Args:
            query: What to look for.
            k: How many passages to return (1-6).
        """
        if ctx.docs_dir is None:
            return tool_result([], note="no user documents were provided (--docs DIR)")
        index = _user_index(str(ctx.docs_dir), ctx.language)
        if index is None:
            return tool_result([], note=f"no .md or .txt files found in {ctx.docs_dir}")
        hits = [ToolHit(title=p.title, ref=p.ref, text=p.text, kind="user_document") for p, _ in index.search(query, k=max(1, min(int(k), 6)))]
        return tool_result(hits, note="" if hits else "no passage matched")

    return user_documents
