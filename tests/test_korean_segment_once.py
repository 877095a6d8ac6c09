"""The shipped-notes Korean tokeniser segments each Hangul run once (tools/korean.py)."""

from __future__ import annotations

from genai_planner.tools.korean import LexiconTokenizer


def test_a_repeated_run_is_segmented_once_with_the_same_pieces(monkeypatch) -> None:
    tok = LexiconTokenizer(["개인", "정보", "보호"], lambda text: [text.lower()])
    first = tok("개인정보를 보호합니다 RAG 개인정보를")
    seen: list[str] = []
    real = LexiconTokenizer.segment
    monkeypatch.setattr(LexiconTokenizer, "segment", lambda self, run: seen.append(run) or real(self, run))
    again = tok("개인정보를 보호합니다 RAG 개인정보를")
    assert again == first == ["개인", "정보", "보호", "rag", "개인", "정보"]
    assert seen == []
    assert tok("정보보호") == ["정보", "보호"] and seen == ["정보보호"]
