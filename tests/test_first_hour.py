"""What a new user meets in the first hour (issue 29): a finished run that resume leaves alone,
hand edits that are never overwritten, a review answered without a terminal, document subsets,
the output language, screen text in the run's language, tables that fit, and start-up cost.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def only_run(out: Path) -> Path:
    (run_dir,) = [p for p in out.iterdir() if p.is_dir()]
    return run_dir


# --- 1. resume of a finished run; hand edits -------------------------------------------------


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("finished") / "runs"
    result = cli("run", str(SCENARIO), "--engine", "offline", "--documents", "1", "--no-memory", "-o", str(out))
    assert result.exit_code == 0, result.output
    return only_run(out)


def test_resume_of_a_finished_run_says_so_and_changes_nothing(finished_run: Path) -> None:
    doc = finished_run / "01_use_case_selection.md"
    before = {p.name: p.stat().st_mtime_ns for p in finished_run.iterdir() if p.is_file()}
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA note of mine.\n", encoding="utf-8")
    edited = doc.read_text(encoding="utf-8")
    result = cli("resume", finished_run.name, "-o", str(finished_run.parent))
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "already finished" in lines[0] and "--force" in lines[0], result.output
    assert doc.read_text(encoding="utf-8") == edited  # the hand edit stands
    after = {p.name: p.stat().st_mtime_ns for p in finished_run.iterdir() if p.is_file() and p.name != doc.name}
    assert after == {k: v for k, v in before.items() if k != doc.name}  # nothing else rewritten either


def test_resume_force_rerenders_and_keeps_a_hand_edited_document(finished_run: Path) -> None:
    doc = finished_run / "01_use_case_selection.md"
    recorded = json.loads((finished_run / "written.json").read_text(encoding="utf-8"))[doc.name]
    doc.write_text("# My own version\n", encoding="utf-8")
    result = cli("resume", finished_run.name, "-o", str(finished_run.parent), "--force")
    assert result.exit_code == 0, result.output
    kept = finished_run / "01_use_case_selection.edited.md"
    assert kept.read_text(encoding="utf-8") == "# My own version\n"
    assert "01_use_case_selection.edited.md" in result.stderr
    from genai_planner.run.manifest import content_hash

    assert content_hash(doc.read_bytes()) == recorded  # the run's own text is back
    # A second forced render of an unedited file moves nothing; a second edit never overwrites the first kept copy.
    assert cli("resume", finished_run.name, "-o", str(finished_run.parent), "--force").exit_code == 0
    assert not (finished_run / "01_use_case_selection.edited.2.md").exists()
    doc.write_text("# Second thoughts\n", encoding="utf-8")
    assert cli("resume", finished_run.name, "-o", str(finished_run.parent), "--force").exit_code == 0
    assert kept.read_text(encoding="utf-8") == "# My own version\n"
    assert (finished_run / "01_use_case_selection.edited.2.md").read_text(encoding="utf-8") == "# Second thoughts\n"


def test_a_hand_edit_is_kept_when_a_running_run_writes_the_document_again(tmp_path: Path) -> None:
    from genai_planner.documents.specs import load_document_specs
    from genai_planner.run.manifest import write_outputs

    specs = load_document_specs()
    values = {"documents": {"1": {"final": "# Run text\n", "iterations": []}}}
    assert write_outputs(tmp_path, specs, values, "en", final=False) == []
    (tmp_path / specs["1"].file).write_text("# Mine\n", encoding="utf-8")
    kept = write_outputs(tmp_path, specs, {"documents": {"1": {"final": "# Run text, revised\n", "iterations": []}}}, "en", final=True)
    assert [p.read_text(encoding="utf-8") for p in kept] == ["# Mine\n"]
    assert (tmp_path / specs["1"].file).read_text(encoding="utf-8") == "# Run text, revised\n"


# --- 5. a review answered without a terminal -------------------------------------------------


def test_a_review_pause_is_answered_with_flags_without_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "runs"
    paused = cli("run", str(SCENARIO), "--engine", "offline", "--documents", "1", "--no-memory", "-o", str(out), "--review", "plan", "--review", "documents")
    assert paused.exit_code == 3, paused.output
    assert "--accept" in paused.stderr  # the pause says how to answer without a terminal
    run_id = only_run(out).name
    again = cli("resume", run_id, "-o", str(out))
    assert again.exit_code == 3  # no terminal, no answer: still paused, nothing lost

    plan = tmp_path / "plan.yaml"
    plan.write_text("documents: []\n", encoding="utf-8")
    bad_plan = cli("resume", run_id, "-o", str(out), "--edit-plan", str(plan))
    assert bad_plan.exit_code == 3 and "was not used" in bad_plan.output  # an invalid edit says why and waits

    accepted = cli("resume", run_id, "-o", str(out), "--accept")
    assert accepted.exit_code == 3, accepted.output  # the plan is accepted; document 1 now waits for its own review
    wrong = cli("resume", run_id, "-o", str(out), "--edit-plan", str(plan))
    assert wrong.exit_code == 2 and "--edit-plan answers a plan pause" in wrong.stderr

    commented = cli("resume", run_id, "-o", str(out), "--comment", "Name the store chain in the summary")
    assert commented.exit_code == 3, commented.output  # revised with the comment, then asked again
    done = cli("resume", run_id, "-o", str(out), "--accept")
    assert done.exit_code == 0, done.output
    manifest = json.loads((out / run_id / "manifest.json").read_text(encoding="utf-8"))
    decisions = [(d["kind"], d["action"], d.get("comment")) for d in manifest["human_decisions"]]
    assert ("plan", "accept", None) in decisions
    assert ("document", "revise", "Name the store chain in the summary") in decisions
    assert decisions[-1][:2] == ("document", "accept")


def test_review_flags_are_checked_before_anything_runs(tmp_path: Path) -> None:
    both = cli("resume", "latest", "-o", str(tmp_path), "--accept", "--comment", "x")
    assert both.exit_code == 2 and "one answer" in both.stderr
    empty = cli("resume", "latest", "-o", str(tmp_path), "--comment", "  ")
    assert empty.exit_code == 2 and "--comment needs some text" in empty.stderr
    (tmp_path / "plan.yaml").write_text("- a list\n", encoding="utf-8")
    listed = cli("resume", "latest", "-o", str(tmp_path), "--edit-plan", str(tmp_path / "plan.yaml"))
    assert listed.exit_code == 2 and "must be a mapping" in listed.stderr


def test_answering_a_run_that_waits_for_nothing_is_an_error(finished_run: Path) -> None:
    result = cli("resume", finished_run.name, "-o", str(finished_run.parent), "--accept")
    assert result.exit_code == 2 and "not waiting for a review" in result.stderr


# --- 2. a document subset is held to the figures' decisions -----------------------------------


@pytest.mark.parametrize("subset", ["3", "3,5", "1,3"])
def test_a_document_subset_passes_with_the_figures_standing_in_for_absent_documents(tmp_path: Path, subset: str) -> None:
    out = tmp_path / "runs"
    result = cli("run", str(SCENARIO), "--engine", "offline", "--documents", subset, "--no-memory", "-o", str(out))
    assert result.exit_code == 0, result.output
    manifest = json.loads((only_run(out) / "manifest.json").read_text(encoding="utf-8"))
    first_round = {(c["document"], c["id"]): c for c in manifest["consistency"][0]["checks"]}
    assert first_round[("3", "doc3_no_other_model")]["passed"], first_round[("3", "doc3_no_other_model")]
    assert first_round[("3", "doc3_uses_recommended_model")]["detail"] == f"names '{manifest['figures']['recommended']}'"


def test_a_recorded_decision_wins_over_the_figures_stand_in() -> None:
    from genai_planner.memory.decisions import with_figure_stand_ins

    figures = {"recommended": "Model A", "runner_up": "Model B", "targets": [{"metric": "Answer accuracy"}]}
    assert with_figure_stand_ins({}, figures) == {"recommended_model": "Model A", "runner_up": "Model B", "metrics": ["Answer accuracy"]}
    recorded = {"recommended_model": "Model C", "runner_up": "Model D", "requirements": ["x"]}
    assert with_figure_stand_ins(recorded, figures) == recorded  # document 1 ran: its (even empty) metrics are not replaced


# --- 3. --lang is the output language; a Korean run prints Korean ----------------------------


def test_the_output_language_does_not_add_a_language_to_serve() -> None:
    from genai_planner.planning.extract import extract_brief

    scenario = {"name": "store", "language": "en", "use_case": "Store staff look up product specifications while customers wait."}
    assert extract_brief(scenario, "ko").constraints.languages.value == ["en"]
    assert extract_brief({**scenario, "language": "ko"}, "en").constraints.languages.value == ["ko", "en"]  # the scenario's own language does count


def test_a_korean_run_of_an_english_use_case_plans_the_same_and_prints_korean(tmp_path: Path) -> None:
    out = tmp_path / "runs"
    result = cli("run", str(SCENARIO), "--engine", "offline", "--documents", "1", "--no-memory", "-o", str(out), "--lang", "ko")
    assert result.exit_code == 0, result.output
    manifest = json.loads((only_run(out) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["brief"]["constraints"]["languages"]["value"] == ["en"]
    from genai_planner.planning.extract import extract_brief

    english = extract_brief(json.loads((only_run(out) / "run.json").read_text(encoding="utf-8"))["scenario"], "en")
    assert english.constraints.languages.value == manifest["brief"]["constraints"]["languages"]["value"]
    for english_label in ("data residency:", "languages:", "latency:", "assumed:", "passed", "completed", "sector:"):
        assert english_label not in result.output, english_label
    assert "데이터 위치:" in result.output and "언어: 영어" in result.output and "통과" in result.output


def korean_progress(*events: dict) -> str:
    from rich.console import Console

    from genai_planner.cli import Progress

    console = Console(record=True, width=200)
    progress = Progress("ko", console)
    for e in events:
        progress(e)
    return console.export_text()


def test_a_failed_document_and_a_stop_reason_print_in_korean() -> None:
    text = korean_progress({"event": "document_failed", "document": "3", "reason": "checks still failing after 3 revisions: citations, max_words"})
    assert "checks still failing" not in text and "수정 3회 후에도 실패한 검사: citations, max_words" in text


# --- 7. a send-back says why -----------------------------------------------------------------


def test_a_reviewer_only_send_back_prints_its_reason() -> None:
    from rich.console import Console

    from genai_planner.cli import Progress

    console = Console(record=True, width=300)
    progress = Progress("en", console)
    critique = "Say which stores pilot it first."
    progress({"event": "review_decision", "document": "2", "iteration": 1, "accepted": False, "failed_checks": [], "critique": critique})
    progress({"event": "review_decision", "document": "2", "iteration": 2, "accepted": False, "failed_checks": [], "critique": ""})
    progress({"event": "review_decision", "document": "2", "iteration": 3, "accepted": False, "failed_checks": ["citations"], "critique": "x"})
    lines = console.export_text().splitlines()
    assert lines[0] == "[2] v1 sent back: the reviewer asked for changes the checks do not cover: Say which stores pilot it first."
    assert lines[1] == "[2] v2 sent back: the reviewer asked for changes (no reason given)"
    assert lines[2] == "[2] v3 sent back: citations"
    korean = korean_progress({"event": "review_decision", "document": "2", "iteration": 1, "accepted": False, "failed_checks": [], "critique": "English words"})
    assert korean.strip().endswith("반려: 검토자가 검사 외의 수정을 요청함(의견은 trace에 있음)")


def test_the_evidence_on_screen_is_the_constraint_s_own_evidence() -> None:
    from genai_planner.run.screen import constraint_line

    item = {"name": "data residency", "value": "on_premises", "evidence": {"source": "stated", "quote": "Records must stay on our own servers."}}
    assert constraint_line(item, "en") == "data residency: on premises  [stated: “Records must stay on our own servers.”]"
    assert constraint_line(item, "ko") == "데이터 위치: 온프레미스  [명시: “Records must stay on our own servers.”]"


# --- 4. tables that fit; headers that agree; empty states that explain -------------------------

LONG_ID = "20261207-130654-electronics-store-assistant-3b0d20"


def rows_printed(width: int, terminal: bool) -> str:
    import io

    from rich.console import Console

    from genai_planner.run.screen import print_rows

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=terminal, color_system=None)
    print_rows(console, ("run id", "scenario", "status"), [(LONG_ID, "a scenario with a rather long name indeed", "completed")], empty="-")
    return buffer.getvalue()


def test_a_narrow_terminal_stacks_rows_and_keeps_ids_whole() -> None:
    text = rows_printed(80, terminal=True)
    assert f"run id    {LONG_ID}" in text.splitlines()
    assert all(len(line) <= 80 for line in text.splitlines())
    wide = rows_printed(140, terminal=True)
    assert LONG_ID in wide and "┃" in wide  # wide enough: a table, the id in one piece
    piped = rows_printed(80, terminal=False)
    assert piped.splitlines() == ["run id\tscenario\tstatus", f"{LONG_ID}\ta scenario with a rather long name indeed\tcompleted"]


def test_empty_listings_say_why_and_what_to_do(tmp_path: Path) -> None:
    runs = cli("runs", "-o", str(tmp_path / "none"))
    assert runs.exit_code == 0 and runs.output.startswith("No runs in ") and "genai-planner run SCENARIO" in runs.output
    lessons = cli("memory", "show", "-o", str(tmp_path / "mem"))
    assert lessons.exit_code == 0 and lessons.output.startswith("No lessons yet: ")


def test_tools_list_follows_runs_with_whole_descriptions() -> None:
    listing = cli("tools", "list")
    assert listing.exit_code == 0, listing.output
    lines = listing.output.splitlines()
    assert lines[0] == "tool\torigin\tagents\tdescription"
    catalog = next(line.split("\t") for line in lines if line.startswith("model_catalog\t"))
    assert catalog[3].endswith("are always applied.")  # the whole first paragraph, not cut mid-word


def test_show_heads_agree_with_the_versions_below_them() -> None:
    from genai_planner.run.inspection import chain_heading, iteration_verdict

    doc = {"id": "3", "title": "Plan", "status": "failed", "reason": "consistency checks still failing: doc3_no_other_model", "revisions": 2}
    assert chain_heading(doc) == "Document 3: Plan — failed (consistency checks still failing: doc3_no_other_model), 2 revisions"
    accepted, consistency = {"accepted": True, "kind": "draft"}, {"accepted": True, "kind": "consistency"}
    assert iteration_verdict(accepted, consistency) == "accepted by its checks, then sent back by the consistency review"
    assert iteration_verdict(consistency, None, document_failed=True) == "accepted by its checks; the consistency review still failed it"
    assert iteration_verdict(accepted, None) == "accepted"


def test_show_diff_of_one_version_and_trace_without_failures_each_say_so(finished_run: Path) -> None:
    shown = cli("show", finished_run.name, "-o", str(finished_run.parent), "--document", "1", "--diff")
    assert shown.exit_code == 0 and "Only one version (v1): there is nothing to compare" in shown.output
    traced = cli("trace", finished_run.name, "-o", str(finished_run.parent), "--failed", "--agent", "researcher")
    assert traced.exit_code == 0 and traced.output.startswith("No failures by the researcher in run ")


# --- 8. start-up: one YAML loader, data parsed once, regexes compiled once ----------------------


def test_data_files_are_read_by_the_one_fast_loader_once(tmp_path: Path) -> None:
    import yaml

    from genai_planner.core import yamlio

    if yaml.__with_libyaml__:
        assert issubclass(yamlio.StringSafeLoader, yaml.CSafeLoader)  # libyaml's parser, YAML 1.2 booleans
    path = tmp_path / "words.yaml"
    path.write_text("words: [a, b]\n", encoding="utf-8")
    first = yamlio.load_yaml(path)
    assert first == {"words": ["a", "b"]} and yamlio.load_yaml(path) is first  # parsed once per process
    path.write_text("words: [a, b, c]\n", encoding="utf-8")
    assert yamlio.load_yaml(path) == {"words": ["a", "b", "c"]}  # a changed file is read again
    package = ROOT / "genai_planner"
    loaders = [p for p in [*package.rglob("*.py"), *(ROOT / "tools").rglob("*.py")] if "yaml.safe_load(" in p.read_text(encoding="utf-8")]
    assert sorted(p.name for p in loaders) == ["cli.py", "terminal_review.py"]  # user edits only; data and scenarios go through yamlio


def test_quoted_sentences_are_one_pattern_compiled_once(monkeypatch) -> None:
    import re

    from genai_planner.documents import language_check as checks

    sentences = [f"Our store number {i} sells televisions and cameras to many customers." for i in range(700)]
    quotes = checks.QuotedText(sorted(sentences, key=len, reverse=True), "", "en")
    checks._sentences_pattern.cache_clear()
    compiled: list[str] = []
    real = re.compile
    monkeypatch.setattr(checks.regex_cache, "compile", lambda p, *a: compiled.append(p) or real(p, *a))
    text = "Intro. " + " ".join(sentences[::7]) + " Our own words."
    for _ in range(3):
        left = checks._without_quotes(text, quotes)
    assert len(compiled) == 1
    assert "televisions" not in left and "Our own words" in left


# --- 9. metadata and the README ---------------------------------------------------------------


def test_the_package_declares_its_licence_and_ships_its_text() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")
    assert all(url.startswith("https://") for url in project["urls"].values())


def test_the_readme_gives_the_quick_test_time_and_the_review_flags() -> None:
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"quick part takes about [\d.]+ minutes on \d+ cores", quick)
    for flag in ("--accept", "--comment", "--edit-plan", "--force", "NAME.edited.md"):
        assert flag in text, flag


def test_a_run_with_memory_off_imports_neither_the_sqlite_store_nor_numpy(tmp_path: Path) -> None:
    """An offline run with memory off never imports numpy (~0.5 CPU s): the knowledge search's BM25 is plain
    Python (`tools/bm25.py`), the shipped Korean notes need no analyser, and only the SQLite store brings it otherwise."""
    import subprocess
    import sys

    start = "import sys, genai_planner.cli, genai_planner.run.runner; print(sorted(m for m in ('numpy', 'langgraph.store.sqlite') if m in sys.modules))"
    started = subprocess.run([sys.executable, "-c", start], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert started.returncode == 0 and started.stdout.strip() == "[]", started.stdout + started.stderr[-2000:]
    code = (
        "import sys; from genai_planner.cli import app\n"
        f"sys.argv = ['genai-planner', 'run', {str(SCENARIO)!r}, '--engine', 'offline', '--documents', '1', '--no-memory', '-o', {str(tmp_path)!r}]\n"
        "try:\n    app()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print(sorted(m for m in ('numpy', 'sqlite_vec', 'langgraph.store.sqlite') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert not (tmp_path / "memory.sqlite").exists()


def test_decisions_restored_from_the_checkpoint_are_the_ones_the_run_stored(tmp_path: Path) -> None:
    import asyncio

    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
    from langgraph.store.memory import InMemoryStore
    from langgraph.store.sqlite.aio import AsyncSqliteStore

    from genai_planner.documents.specs import load_document_specs
    from genai_planner.graph.builder import build_graph
    from genai_planner.memory.decisions import load_decisions, restore_decisions
    from tests.conftest import run_offline

    out = tmp_path / "runs"
    result = run_offline(SCENARIO, out, use_memory=True, documents=["1", "2", "3"])

    async def compare() -> tuple[dict, dict]:
        async with AsyncSqliteStore.from_conn_string(str(out / "memory.sqlite")) as store:
            stored = await load_decisions(store, result.run_id)
        async with AsyncSqliteSaver.from_conn_string(str(out / "checkpoints.sqlite")) as saver:
            values = (await build_graph().compile(checkpointer=saver).aget_state({"configurable": {"thread_id": result.run_id}})).values
        fresh = InMemoryStore()
        await restore_decisions(fresh, result.run_id, values, load_document_specs(), "en")
        return stored, await load_decisions(fresh, result.run_id)

    stored, restored = asyncio.run(compare())
    assert {"recommended_model", "metrics", "figures", "brief"} <= set(stored)
    assert restored == stored


def test_the_brief_is_read_once_per_scenario_and_each_caller_gets_its_own_copy(monkeypatch) -> None:
    from genai_planner.planning import extract

    scenario = {"name": "once", "language": "en", "use_case": "Our 40 clinics answer about 900 patient letters a week."}
    reads: list[str] = []
    real = extract._read_brief
    monkeypatch.setattr(extract, "_read_brief", lambda sc, lang: reads.append(lang) or real(sc, lang))
    extract._BRIEFS.clear()
    first = extract.extract_brief(scenario, "en")
    first.conflicts.append("changed by one caller")
    second = extract.reconcile_brief(None, scenario, "en")
    assert reads == ["en"] and "changed by one caller" not in second.conflicts
