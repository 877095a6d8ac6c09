"""`genai-planner check`: a run's document, or a hand-edited copy, checked against the run's facts.

The run folders here are the check corpus's cases (tests/data/check_corpus/cases/): each is a
run folder as `genai-planner run` leaves it, as far as the checks read it (manifest.json with
the brief, figures and sources; run.json; the documents).
"""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from tests.conftest import ROOT

CASES = ROOT / "tests" / "data" / "check_corpus" / "cases"


@pytest.fixture()
def runs(tmp_path):
    for case in ("insurer", "hospital_ko"):
        shutil.copytree(CASES / case, tmp_path / case)
    return tmp_path


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_the_runs_own_document_passes(runs):
    result = cli("check", "insurer", "--document", "5", "-o", str(runs))
    assert result.exit_code == 0, result.output
    assert "0 fail" in result.output


def test_a_hand_edit_that_breaks_a_fact_fails_with_the_reason(runs, tmp_path):
    text = (runs / "insurer" / "05_deployment_plan.md").read_text(encoding="utf-8")
    edited = tmp_path / "edited.md"
    edited.write_text(text.replace("against the EUR 18,000 budget", "against the EUR 24,000 budget"), encoding="utf-8")
    result = cli("check", "insurer", "--document", "5", "--file", str(edited), "-o", str(runs))
    assert result.exit_code == 1, result.output
    assert "FAIL brief_facts" in result.output and "EUR 24,000" in result.output


def test_a_hand_edit_that_drops_the_rollback_fails(runs, tmp_path):
    text = (runs / "hospital_ko" / "05_deployment_plan.md").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if "롤백" not in ln and "되돌" not in ln]
    edited = tmp_path / "edited.md"
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("check", "hospital_ko", "--document", "5", "--file", str(edited), "-o", str(runs), "--json")
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    failed = {r["id"] for r in payload["results"] if not r["passed"] and not r["advisory"]}
    assert "rollback_present" in failed


def test_a_cross_document_check_runs_on_the_edited_document(runs, tmp_path):
    text = (runs / "insurer" / "04_evaluation_framework.md").read_text(encoding="utf-8")
    edited = tmp_path / "edited.md"
    edited.write_text(text.replace("- **Weekly adoption** (business)", "- **Net promoter score** (business)"), encoding="utf-8")
    result = cli("check", "insurer", "--document", "4", "--file", str(edited), "-o", str(runs))
    assert result.exit_code == 1
    assert "FAIL consistency:doc4_covers_doc1_metrics" in result.output


def test_an_advisory_finding_does_not_fail_the_document(runs):
    result = cli("check", "insurer", "--document", "2", "-o", str(runs), "--json")
    assert result.exit_code == 0, result.output
    advice = [r for r in json.loads(result.stdout)["results"] if not r["passed"]]
    assert advice and all(r["advisory"] for r in advice)


@pytest.mark.parametrize(
    "args,needle",
    [
        (("--document", "9"), "unknown document '9'"),
        (("--document", "2", "--file", "/no/such/file.md"), "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(runs, args, needle):
    result = cli("check", "insurer", *args, "-o", str(runs))
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], result.stderr


def test_a_folder_that_is_not_a_run_is_bad_input(tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "run.json").write_text("{}", encoding="utf-8")
    (tmp_path / "broken" / "manifest.json").write_text("not json", encoding="utf-8")
    result = cli("check", "broken", "--document", "1", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr
