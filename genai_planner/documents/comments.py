"""A person's review comment as requests on the text, and the check that a revision made them.

A comment such as `replace "store staff" with "floor staff"`, `add a pilot timeline for two
stores`, `remove the loyalty card` or `mention GDPR` (Korean: `"A"를 "B"로 바꿔 주세요`,
`X 추가`, `X 삭제`) is read as requests: replace A with B, add or mention X, remove X. A
revision addresses it when the text shows each change (A gone and B there; X there; X gone),
never because the comment itself was pasted in: verbatim copies of the comment are ignored.
A comment in no known form counts as addressed when the text changed (other than by pasting
the comment).

The offline engine applies the same requests (`models/offline/comments.py`); a real model
is asked to in the writer's prompt, and this check holds both to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from genai_planner.core import regex_cache
from genai_planner.documents import markdown as md

RequestKind = Literal["replace", "add", "remove"]

QUOTED_RE = regex_cache.compile(r"""["“”'‘’「」『』]([^"“”‘’「」『』]+?)["“”'‘’「」『』]""")
POLITE = r"(?:please\s+|kindly\s+|could you\s+|can you\s+)?"
EN_FORMS: list[tuple[RequestKind, re.Pattern[str]]] = [
    ("replace", regex_cache.compile(rf"^{POLITE}use\s+(?P<b>.+?)\s+instead\s+of\s+(?P<a>.+?)$", re.IGNORECASE)),
    ("replace", regex_cache.compile(rf"^{POLITE}(?:replace|swap)\s+(?P<a>.+?)\s+(?:with|by|for)\s+(?P<b>.+?)$", re.IGNORECASE)),
    ("replace", regex_cache.compile(rf"^{POLITE}(?:change|rename|turn)\s+(?P<a>.+?)\s+(?:to|into)\s+(?P<b>.+?)$", re.IGNORECASE)),
    ("remove", regex_cache.compile(rf"^{POLITE}(?:remove|delete|drop|cut|take\s+out|do\s+not\s+mention|don't\s+mention)\s+(?P<x>.+?)$", re.IGNORECASE)),
    ("add", regex_cache.compile(rf"^{POLITE}name\s+(?P<x>.+?)\s+as\s+(?:an?\s+|the\s+)?\w[\w\s-]*$", re.IGNORECASE)),
    ("add", regex_cache.compile(rf"^{POLITE}(?:add|mention|include|state|say|name|list|cover)\s+(?P<x>.+?)$", re.IGNORECASE)),
]
KO_FORMS: list[tuple[RequestKind, re.Pattern[str]]] = [
    ("replace", regex_cache.compile(r"^(?P<a>.+?)\s*(?:을|를)\s*(?P<b>.+?)\s*(?:으로|로)\s*(?:바꿔|바꾸|변경|교체|수정)")),
    ("remove", regex_cache.compile(r"^(?P<x>.+?)\s*(?:을|를)?\s*(?:삭제|제거|빼)")),
    ("add", regex_cache.compile(r"^(?P<x>.+?)\s*(?:을|를)?\s*(?:추가|언급|포함|넣어|명시)")),
]
SEPARATORS_RE = regex_cache.compile(r"\s*(?:;|\n|\.\s+(?=[A-Z가-힣\"“])|,?\s+and\s+then\s+)\s*")


@dataclass(frozen=True)
class CommentRequest:
    """One change a person asked for."""

    kind: RequestKind
    target: str
    """The words to add, remove, or replace."""
    replacement: str = ""
    """For 'replace': the words to put in their place."""

    def describe(self) -> str:
        """The request in one short phrase."""
        if self.kind == "replace":
            return f"replace {self.target!r} with {self.replacement!r}"
        return f"{self.kind} {self.target!r}"


def _clean(value: str) -> str:
    value = value.strip().strip(".!?。 ")
    quoted = QUOTED_RE.fullmatch(value)
    if quoted:
        value = quoted.group(1)
    return value.strip().strip("\"'“”‘’「」『』").strip()


def _parse_one(clause: str) -> CommentRequest | None:
    clause = clause.strip().rstrip(".!?。")
    if not clause:
        return None
    quotes = [q.strip() for q in QUOTED_RE.findall(clause)]
    forms = KO_FORMS if re.search(r"[\uac00-\ud7a3]", clause) and not re.match(r"^\s*[A-Za-z]+\s", clause) else EN_FORMS
    for kind, pattern in forms:
        match = pattern.match(clause)
        if not match:
            continue
        if kind == "replace":
            a, b = (quotes[0], quotes[1]) if len(quotes) >= 2 else (_clean(match.group("a")), _clean(match.group("b")))
            if a and b and a.lower() != b.lower():
                return CommentRequest("replace", a, b)
            return None
        target = quotes[0] if len(quotes) == 1 else _clean(match.group("x"))
        return CommentRequest(kind, target) if target else None
    return None


def parse_comment(comment: str) -> list[CommentRequest]:
    """The requests in a comment (several may be separated by ';', a new line or a full stop); [] when none is recognised."""
    requests = [_parse_one(clause) for clause in SEPARATORS_RE.split(comment.strip()) if clause.strip()]
    return [r for r in requests if r is not None]


def _normal(text: str) -> str:
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split()).lower()


def checked_text(markdown: str) -> str:
    """The prose a request is checked against: section bodies, without headings and without the sources list."""
    doc = md.parse_document(markdown)
    bodies = [s.text for s in doc.sections if md.normalise_heading(s.title) not in {"sources", "출처"}]
    return _normal("\n".join(bodies))


def _without_comment(text: str, comment: str) -> str:
    """`text` with verbatim copies of the comment (or of its clauses) taken out: pasting a request is not doing it."""
    for piece in sorted({_normal(comment), *(_normal(c) for c in SEPARATORS_RE.split(comment) if len(c.strip()) > 12)}, key=len, reverse=True):
        if piece:
            text = text.replace(piece.rstrip(".!?。"), " ")
    return text


def verify_comment(comment: str, draft: str, commented_draft: str) -> tuple[bool, str]:
    """Whether `draft` makes the changes `comment` asks of `commented_draft`, and a detail saying which do not."""
    text = _without_comment(checked_text(draft), comment)
    requests = parse_comment(comment)
    if not requests:
        before = _without_comment(checked_text(commented_draft), comment)
        changed = " ".join(text.split()) != " ".join(before.split())
        how = "a free-form request: only checked that the text changed (pasting the comment does not count)"
        return changed, f"{how}; " + ("it changed" if changed else "the text is unchanged")
    problems = []
    for r in requests:
        target = _normal(r.target)
        if r.kind == "replace":
            if target in text:
                problems.append(f"{r.describe()}: {r.target!r} still appears {text.count(target)} time(s)")
            if _normal(r.replacement) not in text:
                problems.append(f"{r.describe()}: {r.replacement!r} does not appear")
        elif r.kind == "add" and target not in text:
            problems.append(f"{r.describe()}: {r.target!r} does not appear")
        elif r.kind == "remove" and target in text:
            problems.append(f"{r.describe()}: {r.target!r} still appears {text.count(target)} time(s)")
    if problems:
        return False, "; ".join(problems)
    return True, "; ".join(f"{r.describe()}: done" for r in requests)
