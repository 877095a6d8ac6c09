"""The rough edges a new user meets first, each fixed: whole run ids, `latest` and prefixes, a resume
command that works as printed, nothing cropped, killed runs readable, a full disk in one line,
concurrent starts, languages, word counts, the engine said up front, and one-line errors.
"""

from __future__ import annotations

import errno
import json
import re
import shlex
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.core.tracing import read_trace
from tests.conftest import ROOT, run_offline

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output and "╭" not in result.output
    return lines[0]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, list]:
    """Two finished one-document runs in one output folder."""
    import os

    from tests.conftest import ENV_PREFIXES

    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith(ENV_PREFIXES)}
    try:
        out = tmp_path_factory.mktemp("two") / "runs"
        return out, [run_offline(SCENARIO, out, documents=["1"], use_memory=False) for _ in range(2)]
    finally:
        os.environ.update(saved)


# --- run ids ------------------------------------------------------------------------------


def test_runs_prints_whole_ids_when_piped(two_runs):
    out, results = two_runs
    listed = cli("runs", "-o", str(out))
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split("\t")[0] == "run id"
    assert {ln.split("\t")[0] for ln in lines[1:]} == {r.run_id for r in results}
    assert "…" not in listed.stdout


def test_latest_and_unique_prefixes_name_a_run_for_every_command(two_runs):
    from genai_planner.run.inspection import resolve_run_id

    out, results = two_runs
    newest = max(results, key=lambda r: json.loads((r.run_dir / "run.json").read_text())["started_at"])
    assert resolve_run_id(out, "latest") == newest.run_id
    for r in results:
        assert resolve_run_id(out, r.run_id[:-2]) == r.run_id  # the ids differ only in their salt
    traced = cli("trace", "latest", "--json", "-o", str(out))
    assert traced.exit_code == 0 and {json.loads(ln)["run_id"] for ln in traced.stdout.splitlines()} == {newest.run_id}
    assert cli("show", results[0].run_id[:-3], "--document", "1", "-o", str(out)).exit_code == 0
    exported = cli("export", results[0].run_id[:-3], "--format", "md", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    resumed = cli("resume", results[1].run_id[:-3], "-o", str(out))
    assert resumed.exit_code in (0, 1) and "unknown run id" not in resumed.output
    replay = one_line_error(cli("replay", results[1].run_id[:-3], "-o", str(out)))
    assert results[1].run_id in replay and "no recording" in replay  # resolved, then refused for an offline run
    common = results[0].run_id[: len(results[0].run_id) - 6]
    ambiguous = one_line_error(cli("trace", common[:9], "-o", str(out)))
    assert "matches 2 runs" in ambiguous and results[0].run_id in ambiguous
    assert "unknown run id" in one_line_error(cli("show", "nope", "--document", "1", "-o", str(out)))


def test_batch_summary_keeps_whole_run_ids(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("a-very-long-scenario-name-for-the-store", "another-very-long-scenario-name"):
        (folder / f"{name}.yaml").write_text(f"name: {name}\nuse_case: Our store staff need a product assistant.\ndocuments: [1]\n", encoding="utf-8")
    result = cli("batch", str(folder), "--no-memory", "-o", str(tmp_path / "runs"))
    ids = [p.name for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    assert len(ids) == 2
    for run_id in ids:
        assert run_id in result.stdout, result.stdout


# --- resume command ------------------------------------------------------------------------


def test_the_printed_resume_command_names_the_output_folder_and_works(tmp_path):
    out = tmp_path / "elsewhere"
    paused = cli("run", str(SCENARIO), "--documents", "1", "--review", "plan", "--no-memory", "-o", str(out))
    assert paused.exit_code == 3, paused.output
    command = re.search(r"genai-planner resume (.+)", paused.stderr).group(1).strip()
    args = shlex.split(command)
    assert args[1:] == ["-o", str(out.resolve())]
    again = cli("resume", *args)
    assert again.exit_code == 3 and "unknown run id" not in again.output  # found; still waiting for a person


def test_resume_target_is_just_the_id_in_the_default_folder(tmp_path, monkeypatch):
    from genai_planner.cli import resume_target

    monkeypatch.setenv("GENAI_PLANNER_HOME", str(tmp_path / "home"))
    assert resume_target("r1", tmp_path / "home") == "r1"
    assert resume_target("r1", tmp_path / "other") == f"r1 -o {tmp_path / 'other'}"


# --- nothing cropped -----------------------------------------------------------------------


def test_trace_and_show_diff_never_crop_lines(two_runs):
    out, results = two_runs
    run_dir = results[0].run_dir
    details = [e["detail"] for e in read_trace(run_dir / "trace.jsonl") if e["event"] == "check_result"]
    traced = cli("trace", results[0].run_id, "-o", str(out))
    assert traced.exit_code == 0
    for detail in details:
        assert detail in traced.stdout, detail


def test_show_diff_never_crops_a_line(tmp_path):
    """A run directory with two drafts whose changed lines are far wider than any terminal."""
    from genai_planner.documents.specs import load_document_specs

    run_dir = tmp_path / "runs" / "20260101-000000-wide-abcdef"
    versions = run_dir / "versions" / load_document_specs()["1"].slug
    versions.mkdir(parents=True)
    (run_dir / "run.json").write_text(json.dumps({"run_id": run_dir.name, "scenario": {"name": "wide"}, "context": {"language": "en"}}), encoding="utf-8")
    long = "Store staff spend a large part of their shifts looking up product specifications, stock levels and warranty terms"
    (versions / "v1.md").write_text(f"# T\n\n## Problem statement\n\n{long} across four internal systems while customers wait.\n", encoding="utf-8")
    (versions / "v2.md").write_text(f"# T\n\n## Problem statement\n\n{long} across four systems; a customer waits each time.\n", encoding="utf-8")
    shown = cli("show", "latest", "--document", "1", "--diff", "-o", str(tmp_path / "runs"))
    assert shown.exit_code == 0, shown.output
    for line in (f"-{long} across four internal systems while customers wait.", f"+{long} across four systems; a customer waits each time."):
        assert len(line) > 120 and line in shown.stdout, shown.stdout


def test_trace_filters_name_what_exists(two_runs):
    out, results = two_runs
    message = one_line_error(cli("trace", results[0].run_id, "--agent", "nobody", "-o", str(out)))
    assert "unknown agent 'nobody'" in message and "reviewer" in message and "writer" in message
    assert "documents: 1" in one_line_error(cli("trace", results[0].run_id, "--document", "4", "-o", str(out)))


def test_show_reads_a_killed_run_from_its_files(two_runs, tmp_path):
    import shutil

    out, results = two_runs
    killed = tmp_path / "runs"
    shutil.copytree(results[0].run_dir, killed / results[0].run_id)
    (killed / results[0].run_id / "manifest.json").unlink()  # a run killed before the end has none
    shown = cli("show", results[0].run_id, "--document", "1", "-o", str(killed))
    assert shown.exit_code == 0, shown.output
    assert "Document 1" in shown.stdout and "v1 (draft)" in shown.stdout
    assert "not part of run" in one_line_error(cli("show", results[0].run_id, "--document", "4", "-o", str(killed)))


# --- storage -------------------------------------------------------------------------------


def test_a_full_disk_is_one_line_and_loses_nothing(tmp_path, monkeypatch):
    import genai_planner.run.manifest as manifest

    real = manifest._atomic_write

    def full(path: Path, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    out = tmp_path / "runs"
    monkeypatch.setattr(manifest, "_atomic_write", full)
    stopped = cli("run", str(SCENARIO), "--documents", "1", "--no-memory", "-o", str(out))
    message = one_line_error(stopped, code=1)
    assert "disk is full" in message and "No space left on device" in message and "genai-planner resume" in message
    run_dir = next(p for p in out.iterdir() if p.is_dir())
    seen = len(read_trace(run_dir / "trace.jsonl"))
    monkeypatch.setattr(manifest, "_atomic_write", real)  # space freed
    resumed = cli("resume", run_dir.name, "-o", str(out))
    assert resumed.exit_code in (0, 1), resumed.output
    manifest_data = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest_data["status"] in {"completed", "completed_with_failures"}
    assert (run_dir / "01_use_case_selection.md").is_file()
    assert len(read_trace(run_dir / "trace.jsonl")) > seen  # the first part of the trace is still there


def test_a_full_disk_while_the_run_streams_is_one_line_too(tmp_path, monkeypatch):
    """The disk fills while a document is written mid-run (the final writes then succeed): still one line."""
    import genai_planner.run.runner as runner

    real = runner.write_outputs

    def full_mid_run(run_dir, specs, values, language, final):
        if not final:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(run_dir, specs, values, language, final)

    monkeypatch.setattr(runner, "write_outputs", full_mid_run)
    message = one_line_error(cli("run", str(SCENARIO), "--documents", "1", "--no-memory", "-o", str(tmp_path / "runs")), code=1)
    assert "disk is full" in message
    run_dir = next(p for p in (tmp_path / "runs").iterdir() if p.is_dir())
    assert json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["status"] == "error"


def test_disk_full_is_recognised_in_sqlite_and_os_errors():
    import sqlite3

    from genai_planner.run.runner import disk_full

    assert disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert disk_full(sqlite3.OperationalError("database or disk is full"))
    wrapped = RuntimeError("checkpoint failed")
    wrapped.__cause__ = OSError(errno.EDQUOT, "Disk quota exceeded")
    assert disk_full(wrapped)
    assert not disk_full(OSError(errno.EACCES, "Permission denied"))


def test_concurrent_starts_into_one_folder_do_not_share_a_probe(tmp_path):
    from genai_planner.core.errors import InputError
    from genai_planner.run.runner import prepare_output_dir

    failures: list[str] = []

    def probe() -> None:
        for _ in range(150):
            try:
                prepare_output_dir(tmp_path / "runs")
            except InputError as exc:
                failures.append(str(exc))

    threads = [threading.Thread(target=probe) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:3]
    assert not list((tmp_path / "runs").iterdir())  # every probe cleaned up after itself


# --- languages -----------------------------------------------------------------------------


def test_a_korean_document_may_quote_the_english_use_case():
    from genai_planner.documents.checks import CheckContext, run_checks
    from genai_planner.documents.specs import CheckSpec, load_document_specs

    use_case = (
        "Store staff spend a large part of their shifts looking up product specifications and stock levels while customers wait. "
        "Answers come from the product catalogue, warranty policies and policy documents."
    )
    korean = "생성형 AI는 매장 직원과 매장 관리자에게 근거 있는 답변과 초안을 몇 초 만에 제공하여 사람의 판단이 필요한 업무에 시간을 돌려줍니다."
    quoted_sentence = f"# 제목\n\n## 문제 진술\n\nBrightWave Electronics: {use_case.split('. ')[0]}. {korean}\n"
    kept_terms = "# 제목\n\n## 조직 준비도\n\n갖춘 것: product catalogue, warranty policies, policy documents. 공백: 라벨링된 테스트 세트.\n"
    spec = load_document_specs()["1"]
    check = [CheckSpec(id="language", type="language", params={})]
    for draft in (quoted_sentence, kept_terms):
        assert run_checks(check, draft, CheckContext(language="ko", spec=spec, quoted=(use_case,)))[0].passed, draft
        assert not run_checks(check, draft, CheckContext(language="ko", spec=spec))[0].passed  # the same English as its own prose fails
    english = "# 제목\n\n## 문제 진술\n\nThe assistant answers questions for the floor team in seconds. 답변합니다.\n"
    assert not run_checks(check, english, CheckContext(language="ko", spec=spec, quoted=(use_case,)))[0].passed  # not the user's words


def test_a_korean_run_of_an_english_scenario_passes_the_language_check_first_time(tmp_path):
    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False, language="ko")
    language = [e for e in read_trace(result.run_dir / "trace.jsonl") if e["event"] == "check_result" and e["check"] == "language"]
    assert language and language[0]["passed"], language[:1]


def _needed() -> int:
    """How many qualifying models document 2's checks need (its candidates table, or one recommendation)."""
    from genai_planner.documents.specs import load_document_specs

    checks = load_document_specs()["2"].checks
    return max([int(c.params.get("min_rows", 3)) for c in checks if c.type == "candidates"] + [1 for c in checks if c.type == "recommendation"])


def _fitting(languages: list[str]) -> int:
    from genai_planner.documents.checks import violates_constraints
    from genai_planner.tools.catalog import load_catalog

    return sum(violates_constraints(m, {"on_premises": True, "languages": languages}) is None for m in load_catalog())


@pytest.mark.parametrize("languages", [["klingon"], ["cy"], ["uk"]])
def test_unknown_or_unsatisfiable_languages_are_refused_up_front(tmp_path, languages):
    scenario = tmp_path / "s.yaml"
    text = f"name: x\nuse_case: Our store staff need a product assistant.\nconstraints:\n  on_premises: true\n  languages: {languages}\n"
    scenario.write_text(text, encoding="utf-8")
    result = cli("run", str(scenario), "--no-memory", "-o", str(tmp_path / "runs"))
    if languages == ["klingon"]:
        assert "unknown language 'klingon'" in one_line_error(result)
    elif _fitting(languages) < _needed():
        message = one_line_error(result)
        assert "no plan can meet the hard constraints" in message and languages[0] in message and "document 2" in message
    else:
        assert result.exit_code != 2 or "hard constraints" not in result.output  # enough models: the run is not refused
        return
    assert not (tmp_path / "runs").exists() or not [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]


def test_a_document_subset_without_model_choice_needs_no_matching_model(tmp_path):
    from genai_planner.core.scenario import parse_scenario
    from genai_planner.run.preflight import check_constraints_satisfiable

    scenario = parse_scenario({"name": "x", "use_case": "y", "constraints": {"on_premises": True, "languages": ["cy"]}})
    check_constraints_satisfiable(scenario, ["1", "4"])  # no document compares models: nothing to refuse


# --- counts and engine ---------------------------------------------------------------------


def test_the_progress_line_and_the_word_limit_check_count_the_same_words(two_runs):
    _, results = two_runs
    events = read_trace(results[0].run_dir / "trace.jsonl")
    versions = {e["iteration"]: e["words"] for e in events if e["event"] == "document_version" and e.get("document") == "1"}
    totals = {e["iteration"]: e["detail"] for e in events if e["event"] == "check_result" and e["check"] == "total_words"}
    assert versions and totals
    for iteration, detail in totals.items():
        assert int(re.search(r"(\d+) words", detail).group(1)) == versions[iteration], (iteration, detail, versions[iteration])


@pytest.mark.enable_socket
@pytest.mark.allow_hosts(["127.0.0.1"])
def test_with_a_key_set_the_run_says_which_engine_and_why_before_spending(tmp_path, monkeypatch):
    from tests.fake_openai import FakeOpenAI

    with FakeOpenAI(errors={"*": 401}) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        result = cli("run", str(SCENARIO), "--documents", "1", "--no-memory", "-o", str(tmp_path / "runs"))
    first = result.stdout.splitlines()[:3]
    assert any("using openai because OPENAI_API_KEY is set" in ln and "--engine offline" in ln for ln in first), first
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start") : readme.index("## Quick start") + 600]
    assert "--engine offline" in quick_start


# --- one-line errors -----------------------------------------------------------------------


def test_a_bad_flag_value_is_one_line(tmp_path):
    message = one_line_error(cli("run", str(SCENARIO), "--max-revisions", "abc", "-o", str(tmp_path / "r")))
    assert "--max-revisions" in message and "integer" in message


def test_a_symlink_loop_says_so(tmp_path):
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert "symlink loop" in one_line_error(cli("run", str(loop), "-o", str(tmp_path / "r")))


@pytest.mark.parametrize(
    ("text", "line"),
    [("name: x\nuse_case: y\nstakeholders: [a, b\n", 3), ("name: x\nuse_case: y\n\tbad: 1\n", 3), ("name: x\nuse_case: 'y\n", 2)],
)
def test_yaml_errors_name_the_line_of_the_file(tmp_path, text, line):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    message = one_line_error(cli("run", str(path), "-o", str(tmp_path / "r")))
    assert re.search(r" at line (\d+):", message).group(1) == str(line), message

