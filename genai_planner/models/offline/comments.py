"""The offline writer applies a person's review comment to its draft, as a careful editor would.

The comment is read as requests by `documents/comments.py` (the same reading the reviewer's
`human_comment_addressed` check verifies): replace A with B, add or mention X, remove X.
Replacements and removals touch the prose only (never a heading, which the structure checks
need, nor the sources list, which the run writes itself); an addition becomes a sentence at
the start of the first section. A comment in no known form leaves the draft as it is; the
check then says the request was not verifiably addressed, rather than the engine pretending.
"""

from __future__ import annotations

import re

from genai_planner.core import regex_cache
from genai_planner.documents.comments import CommentRequest, parse_comment

ADDED = {"en": "Also covered, as requested: {x}.", "ko": "요청에 따라 다음 내용도 다룹니다: {x}."}
SOURCES_HEADINGS = {"## sources", "## 출처"}


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(index, line) of every line a comment may change: not a heading, not in the sources list or a code block."""
    lines, out, in_sources, in_fence = text.split("\n"), [], False, False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
            continue
        if stripped.startswith("## "):
            in_sources = stripped.lower() in SOURCES_HEADINGS
            continue
        if in_fence or in_sources or stripped.startswith("# "):
            continue
        out.append((i, line))
    return out


def _edit_prose(text: str, pattern: re.Pattern[str], replacement: str) -> str:
    lines = text.split("\n")
    for i, line in _prose_lines(text):
        changed = pattern.sub(replacement, line)
        if changed != line:
            lines[i] = re.sub(r"(?<=\S) {2,}(?=\S)", " ", changed).replace(" .", ".").replace(" ,", ",")
    return "\n".join(lines)


def _words(value: str) -> re.Pattern[str]:
    """`value` as a case-insensitive pattern that also matches it with Markdown emphasis or wrapped spaces."""
    parts = [re.escape(w) for w in value.split()]
    return regex_cache.compile(r"[*_`]*" + r"[*_`]*\s+[*_`]*".join(parts) + r"[*_`]*", re.IGNORECASE)


def _add(text: str, sentence: str) -> str:
    match = re.search(r"^## (?!Sources$|출처$).*\n\n", text, re.MULTILINE)
    if match is None:
        return text.rstrip("\n") + f"\n\n{sentence}\n"
    return text[: match.end()] + sentence + "\n\n" + text[match.end() :]


def apply_request(text: str, request: CommentRequest, language: str) -> str:
    """`text` with one request applied."""
    if request.kind == "replace":
        return _edit_prose(text, _words(request.target), request.replacement.replace("\\", r"\\"))
    if request.kind == "remove":
        return _edit_prose(text, _words(request.target), "")
    if _words(request.target).search("\n".join(line for _, line in _prose_lines(text))):
        return text  # already there
    return _add(text, ADDED.get(language, ADDED["en"]).format(x=request.target))


def apply_comment(text: str, comment: str, language: str) -> str:
    """`text` with every request the comment makes applied (unchanged for a comment in no known form)."""
    for request in parse_comment(comment):
        text = apply_request(text, request, language)
    return text
