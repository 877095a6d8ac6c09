"""The README's custom-tool example, exactly as written: pip builds and installs it, a run cites its fact.

The files come from the code blocks of README.md's "Custom tools" section (each starts with a
`# <path>` comment), so README and test cannot drift. The README's `pip install ./my-crm-tools`
runs here as `pip install --no-index --no-build-isolation --no-deps --target <dir>`: the same
build of the same package, with no package registry and without touching the shared virtual
environment; `<dir>` then goes on `sys.path`, where importlib.metadata finds its entry point.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, run_offline

SCENARIO = ROOT / "scenarios" / "electronics_store.yaml"


def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Custom tools\n", 1)[1].split("\n## ", 1)[0]


def readme_files() -> dict[str, str]:
    """{relative path: content} for every code block of the section that names its file."""
    files = {}
    for body in re.findall(r"```(?:toml|python)\n(.*?)\n```", readme_section(), re.DOTALL):
        match = re.match(r"# (\S+)\n", body)
        assert match, f"a code block without its file name: {body[:60]!r}"
        files[match[1]] = body + "\n"
    return files


@pytest.fixture
def installed_readme_plugin(tmp_path, monkeypatch):
    from genai_planner.agents.context import clear_tool_cache

    files = readme_files()
    for rel, content in files.items():
        (tmp_path / "src" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / rel).write_text(content, encoding="utf-8")
    package = tmp_path / "src" / "my-crm-tools"
    assert "pip install ./my-crm-tools" in readme_section()
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-build-isolation", "--no-deps", "--target", str(site), str(package)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(site.glob("my_crm_tools-0.1.0.dist-info/entry_points.txt"))
    monkeypatch.syspath_prepend(str(site))
    clear_tool_cache()
    yield files
    clear_tool_cache()
    sys.modules.pop("my_crm_tools", None)


def test_the_readme_plugin_is_listed_asked_its_sections_and_cited(installed_readme_plugin, tmp_path):
    from typer.testing import CliRunner

    from genai_planner.cli import app

    listing = CliRunner().invoke(app, ["tools", "list"])
    assert listing.exit_code == 0, listing.output
    row = next(line for line in listing.output.splitlines() if "crm_lookup" in line)
    assert "my-crm-tools" in row and "researcher" in row

    result = run_offline(SCENARIO, tmp_path / "runs", documents=["1"], use_memory=False)
    assert result.status in {"completed", "completed_with_failures"}  # the citation is the point, not the other checks
    events = [json.loads(line) for line in (result.run_dir / "trace.jsonl").read_text(encoding="utf-8").splitlines()]
    calls = [e for e in events if e["event"] == "tool_call" and e["tool"] == "crm_lookup"]
    assert len(calls) == 2 and not any(e["error"] for e in calls)  # problem_statement and key_metrics; "3:*" is not in document 1
    assert not [e for e in events if e["event"] == "tool_warning" and e.get("tool") == "crm_lookup"]
    manifest = json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))
    source = next(s for s in manifest["documents"][0]["sources"] if s["ref"] == "crm://reports/weekly")
    assert source["kind"] == "tool" and source["section"] == "problem_statement"
    doc = (result.run_dir / "01_use_case_selection.md").read_text(encoding="utf-8")
    assert f"[{source['id']}]" in doc and "Complaint volume fell 12%" in doc and "crm://reports/weekly" in doc
