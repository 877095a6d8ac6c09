"""The user's own catalog: --catalog / GENAI_PLANNER_CATALOG adds and overrides models, routes and rates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genai_planner.cli import app
from genai_planner.core.errors import InputError
from genai_planner.core.scenario import Scenario
from genai_planner.planning.compute import compute_figures
from genai_planner.planning.extract import extract_brief
from genai_planner.planning.facts import document_facts
from genai_planner.tools import catalog as catalog_module
from genai_planner.tools.user_catalog import EXAMPLE

NORWAY = Scenario(
    name="oslo",
    organisation="Fjord Retail AS",
    use_case="Fjord Retail answers about 800 emails a day in Norwegian and Swedish about orders and returns.",
)


@pytest.fixture
def example_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "my_catalog.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    yield path
    catalog_module.use_catalog_file(None)


def test_example_catalog_adds_one_scored_model(example_file: Path) -> None:
    shipped = len(catalog_module.load_catalog())
    catalog_module.use_catalog_file(example_file)
    models = catalog_module.load_catalog()
    assert len(models) == shipped + 1
    figures = compute_figures(extract_brief(NORWAY, "en"), models, "en")
    assert "Example Nordic 8B" in [s.model for s in figures.scores]
    facts = document_facts(extract_brief(NORWAY, "en"), figures, {}, "en")
    assert "Example Nordic 8B" in [row["model"] for row in facts.lists["scores"]]  # document 2's candidate table
    assert "my_catalog.yaml" in figures.sources_dated and "2026-01" in figures.sources_dated


def test_override_changes_a_shipped_price(tmp_path: Path) -> None:
    path = tmp_path / "prices.yaml"
    path.write_text('as_of: "2026-02"\nmodels:\n  - {id: gpt-4o, price_input_per_mtok: 1.0}\nfx: {NOK: 11.0}\n', encoding="utf-8")
    try:
        catalog_module.use_catalog_file(path)
        gpt = next(m for m in catalog_module.load_catalog() if m["id"] == "gpt-4o")
        assert gpt["price_input_per_mtok"] == 1.0 and gpt["price_output_per_mtok"] == 10.0 and gpt["as_of"] == "2026-02"
    finally:
        catalog_module.use_catalog_file(None)


def test_env_setting_names_the_catalog(example_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENAI_PLANNER_CATALOG", str(example_file))
    catalog_module.use_catalog_file(None)
    assert any(m["id"] == "example-nordic-8b" for m in catalog_module.load_catalog())


def test_one_line_per_bad_entry(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("models:\n  - {id: x, name: X}\n  - {id: gpt-4o, price_input_per_mtok: -1}\n  - {name: no id}\nfx: {NOK: 0}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        catalog_module.use_catalog_file(path)
    lines = str(err.value).splitlines()[1:]
    assert len(lines) == 4, lines
    assert "models[0] (x): provider: Field required;" in lines[0]
    assert "models[1] (gpt-4o): price_input_per_mtok" in lines[1]
    catalog_module.use_catalog_file(None)


def test_cli_catalog_lists_example_and_json(example_file: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(app, ["catalog", "--example"])
    assert printed.exit_code == 0 and "example-nordic-8b" in printed.output
    listed = runner.invoke(app, ["catalog", "--json", "--catalog", str(example_file)])
    assert listed.exit_code == 0, listed.output
    assert '"example-nordic-8b"' in listed.output and '"as_of": "2025-06"' in listed.output
    bad = runner.invoke(app, ["catalog", "--catalog", str(example_file.parent / "missing.yaml")])
    assert bad.exit_code != 0 and "cannot read catalog file" in bad.output and "Traceback" not in bad.output
