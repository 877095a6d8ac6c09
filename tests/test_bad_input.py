"""Bad input: one line on stderr naming the problem, exit code 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from tests.conftest import ROOT

GOOD = ROOT / "scenarios" / "electronics_store.yaml"


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def assert_one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], lines[0]


def write(tmp_path: Path, text: str | bytes, name: str = "s.yaml") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


CASES = {
    "missing_file": (lambda t: ["run", str(t / "nope.yaml")], ["not found"]),
    "directory": (lambda t: ["run", str(t)], ["directory"]),
    "empty_file": (lambda t: ["run", write(t, "")], ["empty"]),
    "whitespace_file": (lambda t: ["run", write(t, "\n\n# only a comment\n")], ["empty"]),
    "invalid_yaml": (lambda t: ["run", write(t, "name: [unclosed\nuse_case: x")], ["invalid YAML"]),
    "binary_file": (lambda t: ["run", write(t, b"\x89PNG\x00\x01\x02")], ["binary"]),
    "not_a_mapping": (lambda t: ["run", write(t, "- a\n- b\n")], ["mapping"]),
    "missing_use_case": (lambda t: ["run", write(t, "name: x\n")], ["use_case", "required"]),
    "empty_use_case": (lambda t: ["run", write(t, "name: x\nuse_case: '   '\n")], ["use_case", "empty"]),
    "huge_use_case_file": (lambda t: ["run", write(t, "name: x\nuse_case: " + "a" * 5_000_000 + "\n")], ["too large"]),
    "long_use_case": (lambda t: ["run", write(t, "name: x\nuse_case: " + "word " * 6000 + "\n")], ["use_case", "too long"]),
    "unknown_field": (lambda t: ["run", write(t, "name: x\nuse_case: y\nbudget: 3\n")], ["budget", "not a known field", "use_case"]),
    "unknown_document_in_scenario": (lambda t: ["run", write(t, "name: x\nuse_case: y\ndocuments: [7]\n")], ["documents", "7"]),
    "unknown_document_flag": (lambda t: ["run", str(GOOD), "--documents", "1,9", "-o", str(t / "r")], ["'9'"]),
    "unknown_language_flag": (lambda t: ["run", str(GOOD), "--lang", "fr", "-o", str(t / "r")], ["language", "fr"]),
    "unknown_language_in_scenario": (lambda t: ["run", write(t, "name: x\nuse_case: y\nlanguage: fr\n")], ["language"]),
    "negative_revisions": (lambda t: ["run", str(GOOD), "--max-revisions", "-1", "-o", str(t / "r")], ["max_revisions"]),
    "absurd_revisions": (lambda t: ["run", str(GOOD), "--max-revisions", "1000", "-o", str(t / "r")], ["max_revisions"]),
    "absurd_tool_calls": (lambda t: ["run", str(GOOD), "--max-tool-calls", "0", "-o", str(t / "r")], ["max_tool_calls"]),
    "negative_budget": (lambda t: ["run", str(GOOD), "--max-tokens", "-5", "-o", str(t / "r")], ["max_tokens"]),
    "unwritable_output": (lambda t: ["run", str(GOOD), "-o", write(t, "a file", "f.txt") + "/runs"], ["not writable"]),
    "unknown_engine": (lambda t: ["run", str(GOOD), "--engine", "gpt-nonsense", "-o", str(t / "r")], ["unknown engine"]),
    "openai_without_key": (lambda t: ["run", str(GOOD), "--engine", "openai", "-o", str(t / "r")], ["OPENAI_API_KEY"]),
    "docs_not_a_directory": (lambda t: ["run", str(GOOD), "--docs", str(t / "missing"), "-o", str(t / "r")], ["--docs"]),
    "resume_unknown_run": (lambda t: ["resume", "no-such-run", "-o", str(t)], ["unknown run id"]),
    "trace_unknown_run": (lambda t: ["trace", "no-such-run", "-o", str(t)], ["unknown run id"]),
    "show_unknown_run": (lambda t: ["show", "no-such-run", "--document", "1", "-o", str(t)], ["unknown run id"]),
    "resume_path_traversal": (lambda t: ["resume", "../../etc", "-o", str(t / "r")], ["run id"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_line_and_exit_2(tmp_path, case):
    make_args, needles = CASES[case]
    assert_one_line_error(cli(*make_args(tmp_path)), *needles)


def test_corrupt_checkpoint_database(tmp_path):
    out = tmp_path / "runs"
    out.mkdir()
    (out / "checkpoints.sqlite").write_bytes(b"this is not a database" * 100)
    assert_one_line_error(cli("run", str(GOOD), "-o", str(out)), "corrupt")


def test_scenario_name_cannot_escape_the_output_directory(tmp_path):
    scenario = write(tmp_path, "name: ../../../etc/evil\nuse_case: Our store staff need a product assistant.\ndocuments: [1]\n")
    out = tmp_path / "runs"
    result = cli("run", scenario, "-o", str(out), "--no-memory")
    assert result.exit_code in (0, 1), result.output
    created = [p for p in out.iterdir() if p.is_dir()]
    assert len(created) == 1 and created[0].parent == out
    assert ".." not in created[0].name and "/" not in created[0].name
    assert not (tmp_path.parent / "etc").exists()


def test_real_process_prints_one_line_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "genai_planner.cli", "run", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "not found" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
