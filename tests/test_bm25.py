"""The plain-Python BM25 (`tools/bm25.py`) against numbers worked by hand on a three-document corpus.

Corpus: d0 = a b, d1 = a a c, d2 = b c d e. N = 3, lengths 2, 3, 4, avgdl = 3; k1 = 1.5, b = 0.75.
idf: a, b, c are in two documents: ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln 1.6 ~ 0.470004;
d, e in one: ln(1 + 2.5 / 1.5) = ln(8/3) ~ 0.980829.
Length norm k1 * (1 - b + b * dl / avgdl) = 0.375 * (1 + dl): d0 1.125, d1 1.5, d2 1.875.
"""

from __future__ import annotations

import math

import pytest

from genai_planner.tools.bm25 import BM25, idf

CORPUS = [["a", "b"], ["a", "a", "c"], ["b", "c", "d", "e"]]
LN16 = math.log(1.6)


def approx(x: float) -> object:
    return pytest.approx(x, rel=1e-6)  # the index keeps float32 scores, as bm25s does


def test_idf_is_lucenes() -> None:
    assert idf(2, 3) == pytest.approx(0.4700036)
    assert idf(1, 3) == pytest.approx(math.log(8 / 3)) == pytest.approx(0.9808293)
    assert idf(3, 3) > 0, "a term in every document still counts a little"


def test_one_term_scores_by_term_frequency_and_document_length() -> None:
    scores = BM25(CORPUS).scores(["a"])
    assert list(scores) == [approx(LN16 * 1 / (1 + 1.125)), approx(LN16 * 2 / (2 + 1.5)), 0.0]
    assert list(scores) == [approx(0.2211782), approx(0.2685735), 0.0]


def test_a_rare_term_outweighs_a_common_one() -> None:
    assert BM25(CORPUS).top_k(["d"], 3) == [(2, approx(math.log(8 / 3) / (1 + 1.875)))]  # ~0.341158


def test_query_terms_add_up_and_rank_best_first() -> None:
    # d0: b = ln1.6/2.125 ~ 0.221178; d1: c = ln1.6/2.5 ~ 0.188001; d2: b + c = 2 * ln1.6/2.875 ~ 0.326959
    assert BM25(CORPUS).top_k(["b", "c"], 3) == [(2, approx(0.3269590)), (0, approx(0.2211782)), (1, approx(0.1880014))]


def test_unknown_terms_add_nothing_and_repeated_terms_count_each_time() -> None:
    index = BM25(CORPUS)
    once, twice = index.scores(["a"]), index.scores(["a", "zzz", "a"])
    assert [2 * s for s in once] == [approx(t) for t in twice]
    assert index.top_k(["zzz"], 3) == [] and index.top_k([], 3) == []


def test_top_k_keeps_k_positive_hits_and_breaks_ties_by_document_order() -> None:
    index = BM25(CORPUS)
    assert [d for d, _ in index.top_k(["b", "c"], 2)] == [2, 0]
    assert [d for d, _ in index.top_k(["a"], 8)] == [1, 0], "documents without the term are left out"
    tied = BM25([["x", "y"], ["w"], ["x", "z"]])
    (first, s1), (second, s2) = tied.top_k(["x"], 2)
    assert s1 == s2 and (first, second) == (0, 2)
