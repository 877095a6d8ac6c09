"""The README's two commands stay true: CI runs the README's test command."""

import re

from tests.conftest import ROOT


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", quick, re.DOTALL)


def test_readme_has_setup_and_test_commands():
    setup, test = _commands()[:2]
    assert "pip install -e '.[dev]'" in setup and "genai-planner run scenarios/electronics_store.yaml" in setup
    assert test.strip() == "python -m pytest -q"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test = _commands()[1].strip()
    assert any(line.strip() == test for line in ci.splitlines())
