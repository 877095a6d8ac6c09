"""The client's terms in a document written in another language.

An English use case planned with `--lang ko` names its people, inputs and outputs in English
("hospitalists", "chart", "summary"). Pasted into Korean sentences they read as untranslated
leftovers, and there is no translator offline. So a Korean document names each such thing by
the neutral Korean term of its kind and keeps the client's own word beside it in parentheses,
as a quote: "직원(hospitalists)", "원자료(chart)". The reader sees Korean prose and still
knows exactly which of the client's things is meant; names (capitalised words, acronyms,
numbers) are kept as they stand, like the organisation's name. A Korean value, or any value in
an English document, passes through untouched.
"""

from __future__ import annotations

from genai_planner.core import regex_cache
from genai_planner.planning.lexicon import lexicon

HANGUL_RE = regex_cache.compile(r"[가-힣]")
LATIN_WORD_RE = regex_cache.compile(r"[A-Za-z][A-Za-z'’-]*")

NEUTRAL_KO = {"users": "직원", "inputs": "원자료", "outputs": "산출물", "metric": "수치", "time": "처리 시간"}
"""The Korean term of each kind of value, used when the client's word is in another language."""
TIME_UNITS = {"minutes", "minute", "hours", "hour", "days", "day", "seconds", "weeks"}


def is_foreign_term(value: str, language: str) -> bool:
    """Whether a value is a common-noun phrase in another script than the document's (a name is not)."""
    if language != "ko" or HANGUL_RE.search(value):
        return False
    words = LATIN_WORD_RE.findall(value)
    return bool(words) and any(w.islower() for w in words)


def output_term(task_types: list[str]) -> str:
    """The Korean word for what the task produces ('요약문', '검토용 초안'), or '산출물'."""
    outputs = lexicon("cues")["task_outputs"]
    return next((outputs[t]["ko"] for t in task_types if t in outputs), NEUTRAL_KO["outputs"])


def in_language(value: str, kind: str, language: str, neutral: str | None = None) -> str:
    """The value as a Korean document names it: '직원(hospitalists)'; unchanged when it is not a foreign common noun."""
    if not is_foreign_term(value, language):
        return value
    return f"{neutral or NEUTRAL_KO[kind]}({value})"


def metric_term(metric: str, unit: str, language: str) -> str:
    """A baseline's metric in a Korean document: '건당 처리 시간(time per summary)' for a time, '현재 수치(...)' otherwise."""
    return in_language(metric, "time" if unit.lower() in TIME_UNITS else "metric", language)
