"""The example scenarios ship with the package: `genai-planner examples` and `run --example NAME`, from any folder."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from genai_planner.cli import app
from tests.conftest import ROOT, SCENARIOS


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_every_scenario_in_the_repository_is_an_example():
    from genai_planner.run.examples import example_names

    assert example_names() == [s.stem for s in SCENARIOS]


def test_examples_lists_name_sector_language_and_a_line():
    result = cli("examples")
    assert result.exit_code == 0, result.output
    for s in SCENARIOS:
        assert s.stem in result.stdout
    assert "retail / en" in result.stdout and "healthcare / ko" in result.stdout


def test_run_example_from_a_folder_that_shadows_the_sub_packages(clean_env: Path):
    for name in ("tools", "agents", "graph", "memory", "scenarios"):
        (clean_env / name).mkdir()
    result = cli("run", "--example", "electronics_store", "--documents", "1", "--no-memory", "-o", str(clean_env / "out"))
    assert result.exit_code == 0, result.output
    assert list((clean_env / "out").glob("*/01_use_case_selection.md"))


def test_unknown_example_is_one_line_naming_the_known_ones():
    result = cli("run", "--example", "no-such-example")
    assert result.exit_code == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: unknown example 'no-such-example'")
    assert all(s.stem in lines[0] for s in SCENARIOS)


def test_a_file_and_an_example_are_one_or_the_other():
    both = cli("run", str(ROOT / "scenarios" / "electronics_store.yaml"), "--example", "electronics_store")
    neither = cli("run")
    for result in (both, neither):
        assert result.exit_code == 2 and result.stderr.strip().startswith("error: give a scenario file or --example")
