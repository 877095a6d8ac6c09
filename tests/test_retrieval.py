"""Retrieval quality on a labelled set: query → the knowledge file that should come first."""

from __future__ import annotations

from pathlib import Path

import yaml

from genai_planner.tools.knowledge import knowledge_index

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


def test_the_shipped_korean_lexicon_is_built_from_the_notes_on_disk():
    from genai_planner.tools.korean import LEXICON_FILE
    from scripts.build_ko_lexicon import lexicon_text

    assert LEXICON_FILE.read_text(encoding="utf-8") == lexicon_text(), "run: python scripts/build_ko_lexicon.py"


def test_the_lexicon_tokeniser_splits_like_kiwi_on_shipped_words():
    from genai_planner.tools.knowledge import shipped_korean_tokenizer, tokenize_ko

    light = shipped_korean_tokenizer()
    for text in ("개인정보를 보호하려면", "미세조정 데이터 준비", "청킹을 적용한 RAG 파이프라인"):
        assert set(light(text)) >= {t for t in tokenize_ko(text) if len(t) > 1}, text
    # Characters the lexicon has no word for are kept as one term, less a trailing particle.
    assert light("퓌퓌뷁을") == light("퓌퓌뷁") == ["퓌퓌뷁"]


def test_a_korean_search_does_not_load_the_analyser_model():
    import subprocess
    import sys

    code = (
        "import sys; from genai_planner.tools.knowledge import knowledge_index;"
        "hits = knowledge_index('ko').search('청킹을 어떻게 해야 하나요', k=1);"
        "assert hits[0][0].ref.startswith('kb/ko/rag.md');"
        "print('kiwipiepy' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"
