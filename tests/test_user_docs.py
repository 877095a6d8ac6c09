"""`--docs` folders cannot hurt the run: no link out, binary skipped by content, big files chunked, warnings not silence."""

from __future__ import annotations

import json
import os
import random

import pytest
from structlog.contextvars import bound_contextvars

from genai_planner.tools.base import ToolContext
from genai_planner.tools.textfiles import MAX_FILE_BYTES, read_folder
from genai_planner.tools.user_docs import PASSAGE_CHARS, _user_index, build_user_documents, load_user_documents


@pytest.fixture(autouse=True)
def _fresh_index():
    _user_index.cache_clear()
    yield
    _user_index.cache_clear()


def _docs(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    return docs


def test_no_link_leaves_the_folder(tmp_path):
    docs = _docs(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shadow.md").write_text("root:$6$planted-hash:19000:0:99999:7:::\n", encoding="utf-8")
    (docs / "policy.md").write_text("# Policy\n\nReturns within thirty days.\n", encoding="utf-8")
    (docs / "shadow.md").symlink_to(outside / "shadow.md")
    (docs / "etc").symlink_to(outside, target_is_directory=True)
    (docs / "same.md").symlink_to(docs / "policy.md")  # inside the folder: read once, as policy.md
    passages, warnings = load_user_documents(docs)
    assert [p.ref for p in passages] == ["docs/policy.md#part1"]
    assert not any("planted-hash" in p.text for p in passages)
    assert sum("links outside the folder" in w for w in warnings) == 2
    assert len(warnings) == 2


def test_binary_files_are_recognised_by_content_one_warning_each(tmp_path):
    docs = _docs(tmp_path)
    rng = random.Random(19)
    (docs / "noise.md").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    (docs / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (docs / "notes.md").write_text("# Notes\n\nStore staff answer product questions.\n", encoding="utf-8")
    (docs / "korean.txt").write_bytes("# 환불 규정\n\n영수증이 있으면 30일 안에 환불합니다.\n".encode("cp949"))
    passages, warnings = load_user_documents(docs)
    assert sorted(p.ref.split("#")[0] for p in passages) == ["docs/korean.txt", "docs/notes.md"]
    assert "30일" in next(p.text for p in passages if "korean" in p.ref)
    binary = [w for w in warnings if "is binary" in w]
    assert len(binary) == 2 and len(warnings) == 2
    assert any("noise.md" in w for w in binary) and any("image.txt" in w for w in binary)


def test_large_text_files_are_chunked_not_skipped(tmp_path):
    docs = _docs(tmp_path)
    para = "Store staff look up warranty terms for every product line and answer within minutes. " * 6
    body = "\n\n".join(para for _ in range(30_000))  # about 15 MB, far over the old 2 MB limit
    one_line = "A single enormous line without any paragraph break. " * 400
    (docs / "manual.md").write_text(body + "\n\n" + one_line + "\n\nThe last line says refunds take five working days.\n", encoding="utf-8")
    passages, warnings = load_user_documents(docs)
    assert warnings == []
    assert max(len(p.text) for p in passages) <= PASSAGE_CHARS
    assert "five working days" in passages[-1].text
    assert any("enormous line" in p.text for p in passages)


def test_a_file_over_the_read_limit_is_read_up_to_it_with_a_warning(tmp_path, monkeypatch):
    import genai_planner.tools.textfiles as textfiles

    monkeypatch.setattr(textfiles, "MAX_FILE_BYTES", 10_000)
    docs = _docs(tmp_path)
    (docs / "big.txt").write_text("한국어 문장입니다. " * 5_000, encoding="utf-8")
    folder = read_folder(docs, {".txt"})
    assert len(folder.files) == 1 and folder.files[0].text.startswith("한국어")
    assert len(folder.warnings) == 1 and "only its first" in folder.warnings[0]
    assert MAX_FILE_BYTES >= 10_000_000


def test_an_empty_folder_is_one_warning_line(tmp_path):
    docs = _docs(tmp_path)
    _, warnings = load_user_documents(docs)
    assert len(warnings) == 1 and "\n" not in warnings[0] and "is empty" in warnings[0]


def test_a_folder_with_nothing_readable_says_so(tmp_path):
    docs = _docs(tmp_path)
    (docs / "slides.pdf").write_bytes(b"%PDF-1.7\n")
    (docs / "blank.md").write_text("   \n\n", encoding="utf-8")
    os.mkfifo(docs / "pipe.md")  # would block a naive reader
    _, warnings = load_user_documents(docs)
    assert any("no readable" in w for w in warnings) and all("\n" not in w for w in warnings)
    assert any("pipe.md is not a regular file" in w for w in warnings)
    assert any("slides.pdf" in w for w in warnings)


def test_the_tool_reports_warnings_once_per_run_and_searches_the_rest(tmp_path):
    docs = _docs(tmp_path)
    (docs / "noise.md").write_bytes(bytes(range(256)) * 8)
    (docs / "returns.md").write_text("# Returns\n\nCustomers may return unopened products within thirty days.\n", encoding="utf-8")
    tool = build_user_documents(ToolContext(docs_dir=docs))
    assert tool.metadata == {"answers": ["*"]}
    with bound_contextvars(run_id="run-a"):
        first = json.loads(tool.invoke({"query": "return products"}))
        second = json.loads(tool.invoke({"query": "return products"}))
    with bound_contextvars(run_id="run-b"):
        other_run = json.loads(tool.invoke({"query": "return products"}))
    assert [r["ref"] for r in first["results"]] == ["docs/returns.md#part1"]
    assert len(first["warnings"]) == 1 and "noise.md is binary" in first["warnings"][0]
    assert "warnings" not in second and len(other_run["warnings"]) == 1
    assert build_user_documents(ToolContext()).metadata == {"answers": []}
