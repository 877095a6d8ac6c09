"""What counts as English left in a Korean report or export (the QUALITY rule).

A Korean deliverable is Korean throughout except for names: models, providers, licences,
GPU products, standards and the sources' own references. Which Latin-letter text is a name is
decided by what it is, not by a list of today's words:

- text inside a name field: catalog model names, providers and licences; the priced offers,
  publishers and cloud platforms the planning data names; the run's own ids, files and versions;
- URLs (a source's address);
- tokens that are codes by their shape: with a digit (FP8, L4, g2-standard-4, CC-BY-NC-4.0),
  all capitals (KV, CUDA, SXM, EMR), an inner capital (LoRA, DeepSeek), or snake_case ids.

Everything else in Latin letters is an English word and fails the test, so a genuine English
sentence ("the budget is too small") is always caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

LATIN_WORD = re.compile(r"[A-Za-z][\w.\-]*[A-Za-z0-9]")
URL = re.compile(r"https?://[^\s)\]]+")


def is_code(word: str) -> bool:
    """A token whose shape makes it a name or code rather than an English word."""
    return any(c.isdigit() for c in word) or "_" in word or (word.isupper() and len(word) >= 2) or any(c.isupper() for c in word[1:])


def data_names() -> set[str]:
    """The names the planning data holds: the sources it cites (priced offers, publishers) and the cloud platforms."""
    from genai_planner.planning.compute import load_data

    names = {g["source"]["name"] for g in load_data("hardware")["gpus"]}
    names.add(load_data("fx")["source"]["name"])
    hardware = load_data("hardware")
    names.add(hardware["throughput"]["source"]["name"])
    names |= {v["name"] for k, v in hardware["owned_costs"].items() if k.endswith("_source") and v["name"]}
    names |= set(load_data("text")["ko"]["platforms"].values())
    return names


def catalog_names() -> set[str]:
    """Every catalog model's name, provider and licence (licence text is quoted as the licensor wrote it)."""
    from genai_planner.tools.catalog import load_catalog

    return {str(m.get(key)) for m in load_catalog() for key in ("name", "provider", "licence") if m.get(key)}


def run_names(manifest: dict[str, Any]) -> set[str]:
    """The run's own names: scenario, run id, engine and model, document files and ids, check and source ids, versions."""
    values = [manifest["scenario"], manifest["run_id"], manifest["engine"], manifest["model"]]
    values += [d.get("file") or "" for d in manifest["documents"]] + [d["id"] for d in manifest["documents"]]
    values += [c["id"] for d in manifest["documents"] for it in d["iterations"] for c in it["checks"]]
    values += [c["id"] for r in manifest.get("consistency") or [] for c in r["checks"]]
    values += [s["id"] for d in manifest["documents"] for s in d.get("sources", [])]
    values += [f"v{it['iteration']}" for d in manifest["documents"] for it in d["iterations"]]
    figures = manifest.get("figures") or {}
    values += [g["model"] for g in figures.get("gates", [])] + [s["provider"] for s in figures.get("scores", [])]
    values += [g["gpu"] for g in figures.get("gpu_fit", [])]
    return {str(v) for v in values if v}


def names_for(manifest: dict[str, Any]) -> set[str]:
    """All names a Korean report or export of this run may show in Latin letters."""
    return run_names(manifest) | catalog_names() | data_names()


def english_words(chunks: Iterable[str], names: Iterable[str]) -> set[str]:
    """The English words in `chunks` once names, URLs and code-shaped tokens are set aside."""
    phrases = sorted({n for n in names if n.strip()}, key=len, reverse=True)  # longest first; Korean particles may follow a name
    pattern = re.compile("|".join(rf"(?<![A-Za-z0-9.\-]){re.escape(p)}(?![A-Za-z0-9\-])" for p in phrases)) if phrases else None
    found: set[str] = set()
    for chunk in chunks:
        text = URL.sub(" ", chunk)
        if pattern is not None:
            text = pattern.sub(" ", text)
        found |= {w for w in LATIN_WORD.findall(text) if not is_code(w)}
    return found
