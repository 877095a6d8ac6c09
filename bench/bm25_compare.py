"""Does `tools/bm25.py` rank the shipped knowledge base as bm25s did (needs bm25s installed)?

Runs several hundred queries per language through both: every passage title, and random pairs
and triples of words from the passages (seeded), each at k = 4 and 8 (the tools' defaults and
cap), then prints how many top-k lists differ in documents, in order, or in score bits, and
which of the differences are exact ties (equal float32 scores), where bm25s's order comes from
numpy's partition and sort and ours from document order.
Usage: `pip install bm25s==0.3.16 && python bench/bm25_compare.py [--pairs N]`
"""

from __future__ import annotations

import argparse
import random
import re

import bm25s

from genai_planner.tools.bm25 import BM25
from genai_planner.tools.knowledge import KNOWLEDGE_DIR, load_passages, shipped_korean_tokenizer, tokenize


def queries(passages, n_random: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = sorted({w for p in passages for w in re.findall(r"[\w-]+", p.text) if not w.isdigit()})
    out = [p.title for p in passages]
    for i in range(n_random):
        out.append(" ".join(rng.sample(words, 2 + i % 2)))
    return out


def compare(language: str, n_random: int, seed: int) -> int:
    passages = load_passages(KNOWLEDGE_DIR / language)
    tok = shipped_korean_tokenizer() if language == "ko" else (lambda text: tokenize(text, language))
    corpus = [tok(f"{p.title} {p.title} {p.text}") for p in passages]
    ours = BM25(corpus)
    theirs = bm25s.BM25()
    theirs.index(corpus, show_progress=False)
    asked = differ = order_ties = set_ties = bits = 0
    for query in queries(passages, n_random, seed):
        tokens = tok(query)
        if not tokens:
            continue
        for k in (4, 8):
            asked += 1
            docs, scores = theirs.retrieve([tokens], k=min(k, len(passages)), show_progress=False)
            want = [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
            got = ours.top_k(tokens, k)
            if sorted(s for _, s in want) != sorted(s for _, s in got):
                bits += 1
                print(f"[{language}] score bits differ for {query!r} k={k}: {want} vs {got}")
            if [d for d, _ in want] == [d for d, _ in got]:
                continue
            differ += 1
            if sorted(want) == sorted(got):
                order_ties += 1  # same documents, same scores: only equal scores swapped
            elif [s for _, s in want] == [s for _, s in got]:
                set_ties += 1  # a tie at the k-th place: another equal-scored document kept
            else:
                print(f"[{language}] RANK DIFFERS for {query!r} k={k}: bm25s {want} ours {got}")
    print(
        f"{language}: {len(passages)} passages, {asked} top-k lists; {differ} differ "
        f"({order_ties} only in the order of equal scores, {set_ties} only in which equal-scored document fills the last place, "
        f"{differ - order_ties - set_ties} otherwise); {bits} with different score values"
    )
    return differ - order_ties - set_ties + bits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=400, help="random word queries per language")
    parser.add_argument("--seed", type=int, default=29)
    args = parser.parse_args()
    bad = sum(compare(language, args.pairs, args.seed) for language in ("en", "ko"))
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
