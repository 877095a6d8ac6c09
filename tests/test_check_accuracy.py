"""The document checks as a classifier: the corpus's good documents pass, its labelled flaws are caught.

bench/check_accuracy.py measures it (figures in bench/RESULTS.md); this keeps the target:
no false rejection of a good document, and recall >= 0.9 on the mutations. Removing any
check a mutation is labelled with drops recall below the target or fails a category here.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location("check_accuracy", ROOT / "bench" / "check_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_accuracy", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    bench = _bench()
    return bench, bench.measure(tmp_path_factory.mktemp("mutations"))


def test_no_good_document_is_rejected(measured):
    _, m = measured
    assert m.good >= 10
    assert not m.rejections, [(doc, r.id, r.detail) for doc, r in m.rejections]


def test_recall_on_the_labelled_mutations(measured):
    bench, m = measured
    assert len(m.outcomes) >= 60
    missed = [(mut["id"], mut["expect"], failed) for mut, caught, failed in m.outcomes if not caught]
    assert m.recall() >= bench.TARGET_RECALL, missed


def test_every_flaw_category_is_caught_at_least_once(measured):
    _, m = measured
    categories = {mut["category"] for mut, _, _ in m.outcomes}
    assert all(m.recall(c) > 0 for c in categories), {c: m.recall(c) for c in categories}


def test_each_mutation_changes_its_document():
    bench = _bench()
    goods = {(case, doc): path for case, doc, path in bench.good_documents()}
    for mutation in bench.mutations():
        text = goods[(mutation["case"], str(mutation["document"]))].read_text(encoding="utf-8")
        assert bench.apply_mutation(text, mutation) != text, mutation["id"]
