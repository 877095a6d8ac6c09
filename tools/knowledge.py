"""`knowledge_search`: BM25 over the Markdown knowledge base the project ships.

The index is plain Python (`tools/bm25.py`, bm25s's scores without numpy's import).

Each `##` section of a note is one passage. English is tokenised with a small stemmer.
Korean is tokenised into content morphemes, so "청킹을" and "청킹" match: the shipped notes
through their own lexicon (no analyser model in memory), other text (a custom knowledge
directory, the user's documents) through kiwipiepy's analyser; see `tools/korean.py`.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from langchain_core.tools import BaseTool, tool

from genai_planner.core.tracing import warn
from genai_planner.tools.base import ToolContext, ToolHit, tool_result
from genai_planner.tools.bm25 import BM25
from genai_planner.tools.korean import LexiconTokenizer, Tokenizer, kiwi_tokenize, shipped_lexicon
from genai_planner.tools.textfiles import read_folder

KNOWLEDGE_DIR = Path(__file__).parent / "data" / "knowledge"

_EN_STOP = frozenset(
    "a an the and or of to in on for with by as at is are be be it its this that these those how what which "
    "who when where why do does can should we our you your from into over about their they them than then "
    "use using used".split()
)


def _stem(word: str) -> str:
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def tokenize_en(text: str) -> list[str]:
    """Lower-case word stems without stop words."""
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower())
    out = []
    for w in words:
        if w in _EN_STOP:
            continue
        out.append(_stem(w))
        if "-" in w:
            out.extend(_stem(p) for p in w.split("-") if p and p not in _EN_STOP)
    return out


_BUILD_LOCK = threading.RLock()  # tool calls run in parallel threads; build each index once


def tokenize_ko(text: str) -> list[str]:
    """Content morphemes from kiwipiepy's analyser, plus English words stemmed as above."""
    return kiwi_tokenize(text, tokenize_en)


@lru_cache(maxsize=1)
def shipped_korean_tokenizer() -> LexiconTokenizer:
    """The tokeniser for the shipped Korean notes: their own lexicon, no analyser model."""
    return LexiconTokenizer(shipped_lexicon(), tokenize_en)


def tokenize(text: str, language: str) -> list[str]:
    """Tokenise any text for `language` ('ko' or 'en'); Korean goes through kiwipiepy."""
    return tokenize_ko(text) if language == "ko" else tokenize_en(text)


@dataclass(frozen=True)
class Passage:
    """One `##` section of a knowledge note."""

    ref: str
    title: str
    text: str


def load_passages(directory: Path) -> list[Passage]:
    """Split every note in `directory` into passages.

    The notes are read as `--docs` folders are (`tools.textfiles`): no link out of the
    folder, binary files skipped; each file that cannot be read is a `knowledge_warning` event.
    """
    folder = read_folder(directory, {".md"}, recursive=False, label=f"knowledge base {directory}")
    for warning in folder.warnings:
        warn("knowledge_warning", warning=warning)
    passages = []
    for note in folder.files:
        lines = note.text.splitlines()
        note_title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), Path(note.rel).stem)
        heading, body = None, []
        for line in lines + ["## "]:
            if line.startswith("## "):
                if heading and "".join(body).strip():
                    rel = f"kb/{directory.name}/{note.rel}#{heading}"
                    passages.append(Passage(ref=rel, title=f"{note_title} — {heading}", text="\n".join(body).strip()))
                heading, body = line[3:].strip(), []
            elif heading is not None:
                body.append(line)
    return passages


class KnowledgeIndex:
    """A BM25 index over passages in one language."""

    def __init__(self, passages: list[Passage], language: str, tokenizer: Tokenizer | None = None):
        if not passages:
            raise ValueError("knowledge index needs at least one passage")
        self.passages = passages
        self.language = language
        self.tokenize: Tokenizer = tokenizer or (lambda text: tokenize(text, language))
        corpus = [self.tokenize(f"{p.title} {p.title} {p.text}") for p in passages]
        self._bm25 = BM25(corpus)

    def search(self, query: str, k: int = 4) -> list[tuple[Passage, float]]:
        """The top `k` passages for `query`, best first, equal scores in note order (nothing for a query with no terms)."""
        return [(self.passages[i], s) for i, s in self._bm25.top_k(self.tokenize(query), k)]


@lru_cache(maxsize=8)
def _build_index(language: str, directory: str | None) -> KnowledgeIndex:
    if directory:
        return KnowledgeIndex(load_passages(Path(directory)), language)
    tokenizer = shipped_korean_tokenizer() if language == "ko" else None
    return KnowledgeIndex(load_passages(KNOWLEDGE_DIR / language), language, tokenizer)


def knowledge_index(language: str, directory: str | None = None) -> KnowledgeIndex:
    """The shipped knowledge index for `language` (built once per process)."""
    with _BUILD_LOCK:
        return _build_index(language, directory)


def build_knowledge_search(ctx: ToolContext) -> BaseTool:
    """Build the `knowledge_search` tool for the run's language.

    `GENAI_PLANNER_KNOWLEDGE_DIR` points at another knowledge base with the same layout
    (`<dir>/en/*.md`, `<dir>/ko/*.md`).
    """
    root = Path(os.environ.get("GENAI_PLANNER_KNOWLEDGE_DIR") or KNOWLEDGE_DIR)
    language = ctx.language if (root / ctx.language).is_dir() else "en"
    directory = None if root == KNOWLEDGE_DIR else str(root / language)

    @tool
    def knowledge_search(query: str, k: int = 4) -> str:
        """Search the GenAI-adoption knowledge base (use-case selection, metrics, model selection,
        prompting, RAG, fine-tuning, evaluation, deployment, security, privacy, cost, sector notes).

        Args:
            query: What to look for, in a few keywords or a short question.
            k: How many passages to return (1-8).
        """
        index = knowledge_index(language, directory)
        hits = [
            ToolHit(title=p.title, ref=p.ref, text=p.text, kind="knowledge")
            for p, _ in index.search(query, k=max(1, min(int(k), 8)))
        ]
        return tool_result(hits, note="" if hits else "no passage matched; try other keywords")

    knowledge_search.metadata = {"answers": []}  # asked what the planner routes to it, which is most questions
    return knowledge_search
