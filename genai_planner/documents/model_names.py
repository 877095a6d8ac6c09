"""How a document may write a catalog model's name, and where it names one.

Writers shorten names: 'Llama 3.3 70B' for 'Llama 3.3 70B Instruct', 'Mistral Small 3.1' for
'Mistral Small 3.1 (25.03)', the repository id 'Qwen/Qwen2.5-72B-Instruct', a name followed by
a note ('Gemma 3 27B IT (FP8 on both cards)'). Every check that reads model names matches them
through `aliases`, so a correct name in another spelling is never a failure, and a different
model is never taken for the one meant ('GPT-4o mini' is not 'GPT-4o': longest names first).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SUFFIXES = ("instruct", "it", "chat")
"""Words a model name may drop at its end."""


def _squash(name: str) -> str:
    """A name lower-cased with separators as single spaces ('Qwen2.5-72B-Instruct' -> 'qwen2.5 72b instruct')."""
    return re.sub(r"[\s_\-]+", " ", name.lower()).strip()


@lru_cache(maxsize=4096)
def _variants(name: str, model_id: str) -> tuple[str, ...]:
    out = {_squash(name)}
    bare = _squash(re.sub(r"\([^()]*\)", " ", name))
    out.add(bare)
    for variant in list(out):
        words = variant.split()
        while words and words[-1] in SUFFIXES or (len(words) > 2 and re.fullmatch(r"v\d+(?:\.\d+)*", words[-1])):
            words = words[:-1]
            out.add(" ".join(words))
    if model_id:
        out.add(_squash(model_id))
        out.add(_squash(model_id.split("/")[-1]))
    return tuple(sorted((v for v in out if len(v) >= 4), key=len, reverse=True))


def aliases(model: dict[str, Any]) -> tuple[str, ...]:
    """The spellings of one catalog model a document may use (squashed: compare with `squash_text`)."""
    return _variants(str(model.get("name") or ""), str(model.get("id") or ""))


def squash_text(text: str) -> str:
    """Text prepared for alias matching: lower-cased, emphasis and separators as spaces."""
    return _squash(re.sub(r"[*_`]", " ", text))


def same_model(written: str, name: str, catalog: list[dict[str, Any]]) -> bool:
    """Whether `written` (a cell, a marker value) names the catalog model called `name`."""
    model = next((m for m in catalog if m.get("name") == name), {"name": name})
    cleaned = _squash(re.sub(r"\([^()]*\)|\[[^\]]*\]|[*_`]", " ", written))
    return cleaned in aliases(model) or _squash(written) in aliases(model)


def resolve(written: str, catalog: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The catalog model a cell or marker value names, or None."""
    for model in catalog:
        if same_model(written, model["name"], catalog):
            return model
    return None


def mentions(text: str, catalog: list[dict[str, Any]]) -> list[tuple[int, int, str]]:
    """(start, end, catalog name) of every model named in `text` (positions in `squash_text(text)`), longest spellings first, without overlaps."""
    squashed = squash_text(text)
    spellings = sorted(((alias, m["name"]) for m in catalog for alias in aliases(m)), key=lambda a: len(a[0]), reverse=True)
    taken: list[tuple[int, int, str]] = []
    for alias, name in spellings:
        if alias not in squashed:  # most spellings are absent: skip the regex (~14,000 searches a run)
            continue
        for match in re.finditer(r"(?<![a-z0-9.])" + re.escape(alias) + r"(?![a-z0-9])", squashed):
            if any(s < match.end() and match.start() < e for s, e, _ in taken):
                continue
            taken.append((match.start(), match.end(), name))
    return sorted(taken)
