"""The README's commands stay true: CI installs what the README says and runs the README's test command."""

import re

from tests.conftest import ROOT


def _quick_start() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def _commands() -> list[str]:
    return [c.strip() for c in re.findall(r"```bash\n(.*?)\n```", _quick_start(), re.DOTALL)]


def _ci() -> list[str]:
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]


def test_readme_has_setup_install_test_and_quick_commands():
    setup, install, test, quick = _commands()[:4]
    assert "pip install -e '.[dev]'" in setup and "genai-planner run scenarios/electronics_store.yaml" in setup
    assert install == "pip install -c constraints.txt -e '.[dev,local-model]'"
    assert test == "python -m pytest -q"
    assert quick == 'python -m pytest -q -m "not integration"'


def test_readme_says_how_long_the_full_suite_takes_and_what_it_installs():
    text = _quick_start()
    before = text.split("python -m pytest -q\n", 1)[0]
    assert re.search(r"full suite takes about \d+ minutes", before), "say up front how long the full suite takes"
    for installs in ("llama-cpp-python[server]", "Gemma 3 270M", "Chromium", "PostgreSQL", "LibreOffice"):
        assert installs in before, installs


def test_ci_installs_what_the_readme_says_and_runs_its_test_command():
    install, test = _commands()[1:3]
    assert any(line.startswith(f"python -m {install}") for line in _ci()), install
    assert test in _ci()


def test_the_readme_scenario_example_is_a_valid_scenario():
    import yaml

    from genai_planner.core.scenario import parse_scenario

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index("name: city-hall-complaints") :]
    scenario = parse_scenario(yaml.safe_load(block[: block.index("```")]))
    assert scenario.constraints.data_residency == "on_premises" and scenario.constraints.hardware[0].count == 2
