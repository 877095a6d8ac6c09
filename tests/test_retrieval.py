"""Retrieval quality on a labelled set: query → the knowledge file that should come first."""

from __future__ import annotations

from pathlib import Path

import yaml

from tools.knowledge import knowledge_index

DATA = Path(__file__).parent / "data"


def _labelled() -> list[tuple[str, str, str]]:
    rows = []
    for path in sorted(DATA.glob("retrieval_*.yaml")):
        language = path.stem.split("_")[1]
        rows += [(language, r["query"], r["expected"]) for r in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return rows


def test_hit_rate_at_3_is_at_least_0_9():
    rows = _labelled()
    assert len(rows) >= 20 and {lang for lang, _, _ in rows} == {"en", "ko"}
    hits, misses = 0, []
    for language, query, expected in rows:
        files = []
        for passage, _ in knowledge_index(language).search(query, k=10):
            name = passage.ref.split("/")[-1].split("#")[0].removesuffix(".md")
            if name not in files:
                files.append(name)
        if expected in files[:3]:
            hits += 1
        else:
            misses.append((language, query, expected, files[:3]))
    rate = hits / len(rows)
    print(f"\nretrieval hit@3 = {rate:.3f} ({hits}/{len(rows)}); misses: {misses}")
    assert rate >= 0.9, misses


def test_korean_search_matches_inflected_forms():
    top = knowledge_index("ko").search("청킹을 어떻게 해야 하나요", k=1)[0][0]
    assert top.ref.startswith("kb/ko/rag.md")


def test_every_topic_has_korean_material():
    root = Path(__file__).resolve().parents[1] / "tools" / "data" / "knowledge"
    assert {p.name for p in (root / "en").glob("*.md")} == {p.name for p in (root / "ko").glob("*.md")}
