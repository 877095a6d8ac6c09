"""The document checks measured as a classifier, on tests/data/check_corpus/.

Good documents (written by hand, independently of the offline engine, numbers rendered from a
run's figures by tests/data/check_corpus/build.py) must pass every blocking check: each
blocking failure on one is a false rejection, counted per check. Each mutation in
mutations.yaml applies one realistic flaw to one good document and names the check expected
to catch it: recall is the share of mutations that check fails on (blocking) while it passed
the good document, per flaw category and overall. A mutation caught only by some other check is listed, not counted.
Advisory findings (word-list checks that inform the reviewer) never count as rejections.

    python bench/check_accuracy.py [--misses] [--rejections] [--heldout]

--heldout measures mutations_heldout.yaml instead: flaws written after the checks were tuned on
mutations.yaml, without reading the checks' code, so its recall is the honest figure.

Target (tests/test_check_accuracy.py keeps it): recall >= 0.9, no false rejection.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from genai_planner.documents.checks import CheckResult  # noqa: E402
from genai_planner.documents.specs import load_document_specs  # noqa: E402
from genai_planner.run.checking import check_document  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "check_corpus"
TARGET_RECALL = 0.9


@dataclass
class Measurement:
    """What one pass over the corpus found."""

    good: int = 0
    rejections: list[tuple[str, CheckResult]] = field(default_factory=list)
    """(good document, the blocking check that failed on it)."""
    outcomes: list[tuple[dict[str, Any], bool, list[str]]] = field(default_factory=list)
    """(mutation, caught by its labelled check, the blocking checks that failed)."""

    def recall(self, category: str | None = None) -> float:
        rows = [caught for m, caught, _ in self.outcomes if category is None or m["category"] == category]
        return sum(rows) / len(rows) if rows else 1.0


def _sections(text: str) -> list[tuple[int, int, str]]:
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines) if ln.startswith("## ")]
    return [(s, (starts[k + 1] if k + 1 < len(starts) else len(lines)), lines[s].strip()) for k, s in enumerate(starts)]


def apply_mutation(text: str, mutation: dict[str, Any]) -> str:
    """The good text with the mutation's flaw in it; raises ValueError when the mutation no longer applies."""
    for old, new in mutation.get("replace") or []:
        if old not in text:
            raise ValueError(f"{mutation['id']}: {old[:60]!r} is not in the document")
        text = text.replace(old, new, 1)
    if "append" in mutation:
        heading, line = mutation["append"]
        lines = text.split("\n")
        found = next(((s, e) for s, e, title in _sections(text) if title == heading), None)
        if found is None:
            raise ValueError(f"{mutation['id']}: no section {heading!r}")
        end = found[1]
        while end > found[0] + 1 and not lines[end - 1].strip():
            end -= 1
        lines.insert(end, line)
        text = "\n".join(lines)
    if "swap" in mutation:
        a, b = mutation["swap"]
        lines = text.split("\n")
        spans = {title: (s, e) for s, e, title in _sections(text)}
        if a not in spans or b not in spans:
            raise ValueError(f"{mutation['id']}: no section {a!r} or {b!r}")
        (s1, e1), (s2, e2) = sorted([spans[a], spans[b]])
        lines = lines[:s1] + lines[s2:e2] + lines[e1:s2] + lines[s1:e1] + lines[e2:]
        text = "\n".join(lines)
    if "drop_section" in mutation:
        lines = text.split("\n")
        s, e = next((s, e) for s, e, title in _sections(text) if title == mutation["drop_section"])
        text = "\n".join(lines[:s] + lines[e:])
    return text


def good_documents() -> list[tuple[str, str, Path]]:
    """(case, document id, file) for every good document of the corpus."""
    files = {spec.file: doc_id for doc_id, spec in load_document_specs().items()}
    out = []
    for case_dir in sorted(p for p in (CORPUS / "cases").iterdir() if p.is_dir()):
        for path in sorted(case_dir.glob("*.md")):
            if path.name in files:
                out.append((case_dir.name, files[path.name], path))
    return out


MUTATIONS = "mutations.yaml"
HELDOUT = "mutations_heldout.yaml"


def mutations(name: str = MUTATIONS) -> list[dict[str, Any]]:
    """The labelled mutations of one set (the development set unless told)."""
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def _blocking(results: list[CheckResult]) -> list[CheckResult]:
    return [r for r in results if not r.passed and not r.advisory]


def measure(tmp: Path, mutation_set: str = MUTATIONS) -> Measurement:
    """Run the checks on every good document and every mutation."""
    result = Measurement()
    goods = good_documents()
    by_key = {(case, doc_id): path for case, doc_id, path in goods}
    good_failures: dict[tuple[str, str], set[str]] = {}
    for case, doc_id, path in goods:
        result.good += 1
        failed_good = _blocking(check_document(path.parent, doc_id).results)
        good_failures[(case, doc_id)] = {r.id for r in failed_good}
        for r in failed_good:
            result.rejections.append((f"{case}/{path.name}", r))
    tmp.mkdir(parents=True, exist_ok=True)
    for mutation in mutations(mutation_set):
        path = by_key[(mutation["case"], str(mutation["document"]))]
        mutated = tmp / f"{mutation['id']}.md"
        mutated.write_text(apply_mutation(path.read_text(encoding="utf-8"), mutation), encoding="utf-8")
        failed = [r.id for r in _blocking(check_document(path.parent, str(mutation["document"]), mutated).results)]
        # Caught: the labelled check fails on the flawed copy and passed on the good document (a check
        # that rejects the good document too has not told the two apart).
        caught = mutation["expect"] in failed and mutation["expect"] not in good_failures[(mutation["case"], str(mutation["document"]))]
        result.outcomes.append((mutation, caught, failed))
    return result


def report(m: Measurement, misses: bool = False, rejections: bool = False) -> str:
    """The figures as text."""
    lines = []
    per_check = Counter(r.id for _, r in m.rejections)
    rejected_docs = len({doc for doc, _ in m.rejections})
    lines.append(f"good documents: {m.good}; rejected by at least one blocking check: {rejected_docs}; blocking failures: {len(m.rejections)}")
    for check, n in per_check.most_common():
        lines.append(f"  false rejections  {check:<40} {n}")
    if rejections:
        for doc, r in m.rejections:
            lines.append(f"    {doc}: {r.id}: {r.detail[:300]}")
    total = len(m.outcomes)
    caught = sum(c for _, c, _ in m.outcomes)
    anywhere = sum(bool(f) for _, _, f in m.outcomes)
    lines.append(f"mutations: {total}; caught by the labelled check: {caught} (recall {caught / total:.2f}); caught by any check: {anywhere}")
    by_category: dict[str, list[bool]] = defaultdict(list)
    for mutation, c, _ in m.outcomes:
        by_category[mutation["category"]].append(c)
    for category in sorted(by_category):
        rows = by_category[category]
        lines.append(f"  recall  {category:<22} {sum(rows)}/{len(rows)}  {sum(rows) / len(rows):.2f}")
    if misses:
        for mutation, c, failed in m.outcomes:
            if not c:
                lines.append(f"    missed {mutation['id']} (expected {mutation['expect']}; failed: {', '.join(failed) or 'nothing'})")
    return "\n".join(lines)


def main() -> None:
    import tempfile

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        m = measure(Path(tmp), HELDOUT if "--heldout" in sys.argv else MUTATIONS)
    print(report(m, misses="--misses" in sys.argv, rejections="--rejections" in sys.argv))
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
