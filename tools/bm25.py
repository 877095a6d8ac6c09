"""Okapi BM25 in plain Python, scored the way bm25s scores by default (its "lucene" variant).

Why not bm25s: it brings numpy, and importing the two cost a planning run ~0.7 CPU s, most of
the gap to the bare-graph CPU goal (issue 29), while the knowledge bases searched here hold a few
hundred passages: summing a handful of posting lists is cheaper than the import.

The scores are bm25s's, bit for bit, so rankings do not move (`bench/bm25_compare.py` checks it):
- idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)), kept as a float32, as bm25s stores it;
- a term's score in a document = idf * tf / (tf + k1 * (1 - b + b * dl / avgdl)), computed in
  float64 and kept as a float32 (dl is the document's token count, avgdl their mean);
- a query's score sums its tokens' scores in float32, in the query's order: a token the corpus
  lacks adds nothing, a repeated token counts each time.
Float32 rounding comes from `array('f')`: a float64 sum, product or quotient of two float32
values rounded to float32 is the float32 result, so storing each step there reproduces it.

Ties: bm25s orders equal scores by numpy's partition and sort, which no rule describes; here
they break by document order (the earlier document first), stable across runs and platforms.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Sequence

K1 = 1.5
B = 0.75


def idf(df: int, n_docs: int) -> float:
    """Lucene's idf: never negative, so a term in every document still counts a little."""
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


class BM25:
    """A BM25 index over tokenised documents; each term's per-document score is computed once."""

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = K1, b: float = B):
        self.n_docs = len(corpus)
        lengths = [len(doc) for doc in corpus]
        self.avgdl = sum(lengths) / self.n_docs if self.n_docs else 0.0
        counts = [Counter(doc) for doc in corpus]
        df: Counter[str] = Counter()
        for tf in counts:
            df.update(tf.keys())
        idf32 = dict(zip(df, array("f", (idf(n, self.n_docs) for n in df.values())), strict=True))
        postings: dict[str, tuple[list[int], list[float]]] = {term: ([], []) for term in df}
        for d, (tf, dl) in enumerate(zip(counts, lengths, strict=True)):
            norm = k1 * ((1 - b) + b * dl / self.avgdl)
            for term, n in tf.items():
                docs, scores = postings[term]
                docs.append(d)
                scores.append(idf32[term] * (n / (norm + n)))
        self._postings = {term: (docs, array("f", scores)) for term, (docs, scores) in postings.items()}

    def scores(self, query: Sequence[str]) -> array:
        """Every document's score for `query` (float32 values), in document order."""
        total = array("f", bytes(4 * self.n_docs))
        for term in query:
            posting = self._postings.get(term)
            if posting is None:
                continue
            for d, s in zip(*posting, strict=True):
                total[d] += s
        return total

    def top_k(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The `k` best documents with a positive score, best first; equal scores in document order."""
        total = self.scores(query)
        hits = [(d, s) for d, s in enumerate(total) if s > 0]
        hits.sort(key=lambda hit: -hit[1])  # stable: ties keep document order
        return hits[:k]
