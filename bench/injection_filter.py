"""Injection filter: precision and recall of `tools.safety` on tests/data/injection_corpus.yaml.

Positives are the corpus's injection phrasings (English and Korean), negatives its benign
sentences that mention prompts or instructions, plus every non-empty line of the shipped
knowledge base (tools/data/knowledge/**), which the filter must never touch. An item counts
as flagged when `looks_like_injection` is true for it. Targets: recall 1.0 and no benign
item flagged (precision 1.0) on this corpus.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from genai_planner.tools.safety import looks_like_injection  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "injection_corpus.yaml"
KNOWLEDGE = ROOT / "tools" / "data" / "knowledge"


def knowledge_lines() -> list[tuple[str, str]]:
    """(language, line) for every non-empty line of the shipped notes."""
    out = []
    for path in sorted(KNOWLEDGE.glob("*/*.md")):
        out += [(path.parent.name, line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def main() -> None:
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    start = time.perf_counter()
    rows = []
    tp = fp = fn = 0
    negatives = 0
    for lang in ("en", "ko"):
        injections = corpus["injections"][lang]
        benign = corpus["benign"][lang]
        kb = [line for lang_, line in knowledge_lines() if lang_ == lang]
        caught = [t for t in injections if looks_like_injection(t)]
        missed = [t for t in injections if not looks_like_injection(t)]
        false_benign = [t for t in benign if looks_like_injection(t)]
        false_kb = [t for t in kb if looks_like_injection(t)]
        tp, fn, fp = tp + len(caught), fn + len(missed), fp + len(false_benign) + len(false_kb)
        negatives += len(benign) + len(kb)
        rows.append((lang, len(injections), len(caught), len(benign), len(false_benign), len(kb), len(false_kb), missed + false_benign + false_kb))
    elapsed = time.perf_counter() - start
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print("| language | injections | caught | benign | benign flagged | knowledge lines | knowledge flagged |")
    print("|---|---|---|---|---|---|---|")
    for lang, n_inj, n_caught, n_ben, n_fb, n_kb, n_fkb, _ in rows:
        print(f"| {lang} | {n_inj} | {n_caught} | {n_ben} | {n_fb} | {n_kb} | {n_fkb} |")
    print()
    print(f"precision {precision:.3f}  recall {recall:.3f}  ({tp} true positives, {fp} false positives, {fn} missed; {negatives} negatives)")
    print(f"{tp + fn + negatives} items in {elapsed:.2f} s")
    for *_, wrong in rows:
        for text in wrong:
            print(f"  wrong: {text}")
    print("MET" if recall == 1.0 and fp == 0 else "MISSED")


if __name__ == "__main__":
    main()
