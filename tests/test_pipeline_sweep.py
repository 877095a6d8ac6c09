"""The whole pipeline over every labelled use case, as written and reformatted: exit 0, no seam.

Every case of tests/data/briefs (all splits, both languages) and every shipped scenario runs
through the CLI offline, in a fresh process, like a user's run. Each case is also written in
one of the shapes users' files come in (a YAML `|` or `>` block, CRLF line ends, tabs inside the
prose, one very long line, Markdown-special characters `|`, `*`, `#` in the prose), chosen by
the case's id so the choice is the same on every machine. A run must exit 0 and its five
documents must hold no template seam (the product's own patterns, `documents.seam_checks`,
the same ones bench/unseen_runs.py counts).

The full sweep takes minutes on the 2-core CI (~7 s a run), so by default a deterministic
sample runs: one case per shape and language. `GENAI_PLANNER_FULL_SWEEP=1` runs every case
(marked `slow`).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from genai_planner.documents.seam_checks import seams_by_kind
from tests.planning_samples import labelled_scenarios

ROOT = Path(__file__).resolve().parents[1]
SHAPES = ("plain", "literal", "folded", "crlf", "tabs", "long_line", "markdown")
ENV_PREFIXES = ("OPENAI_", "TAVILY_", "GENAI_PLANNER_", "LANGSMITH_", "LANGCHAIN_")


CASES = labelled_scenarios()

KNOWN_FAILING = {
    "en-bank-card-disputes": "figures_match reads a number in a routing line of documents 3 and 5 as the 'Routing accuracy' metric (checks, issue 25)",
    "h2-city-gas-meter-reports": "figures_match: document 1's target for '분류·배정 정확도' (checks/figures, issues 24-25)",
    "ho-tax-office-voicebot": "brief_facts reads the peak multiplier as a restated daily volume (checks, issue 25)",
}
"""Cases that fail in their plain shape too, on main as well (dc78522): a check or a figure outside the writer.
They run and are reported as expected failures; one that starts passing shows as XPASS."""


def _params(cases: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    return [
        pytest.param(c, s, id=c, marks=[pytest.mark.xfail(reason=KNOWN_FAILING[c], strict=False)] if c in KNOWN_FAILING else [])
        for c, s in cases
    ]


def shape_of(case_id: str) -> str:
    """The shape a case is written in: fixed by its id (not Python's salted hash), so every run picks the same."""
    return SHAPES[int(hashlib.sha256(case_id.encode()).hexdigest(), 16) % len(SHAPES)]


def _wrap(text: str, width: int = 60) -> list[str]:
    lines, line = [], ""
    for word in " ".join(text.split()).split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def reformat(scenario: dict[str, Any], shape: str) -> bytes:
    """The scenario as a YAML file in `shape`; the prose says the same thing in every shape."""
    rest = {k: v for k, v in scenario.items() if k != "use_case"}
    head = yaml.safe_dump(rest, allow_unicode=True, sort_keys=False, width=10_000)
    prose = " ".join(str(scenario["use_case"]).split())
    if shape == "plain":
        body = yaml.safe_dump({"use_case": prose}, allow_unicode=True, width=10_000)
    elif shape in {"literal", "folded", "crlf"}:
        marker = ">" if shape == "folded" else "|"
        body = f"use_case: {marker}\n" + "".join(f"  {line}\n" for line in _wrap(prose))
    elif shape == "tabs":
        body = "use_case: |\n" + "".join(f"  {line.replace(' ', chr(9), 2)}\n" for line in _wrap(prose))
    elif shape == "long_line":
        body = yaml.safe_dump({"use_case": prose + " " + prose}, allow_unicode=True, width=100_000)  # one line, the prose said twice
    else:  # Markdown-special characters a client pastes from a wiki or a chat
        sentences = prose.split(". ")
        first, rest_ = sentences[0], ". ".join(sentences[1:])
        marked = f"# Request\n\n**{first}.** {rest_}\n\n| item | note |\n| --- | --- |\n| scope | *as above* |\n"
        body = "use_case: |\n" + "".join(f"  {line}\n" if line else "\n" for line in marked.splitlines())
    text = head + body
    if shape == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    return text.encode("utf-8")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
    env["GENAI_PLANNER_RETRY_BASE_S"] = "0.001"
    return env


def run_case(case_id: str, scenario: dict[str, Any], shape: str, tmp: Path) -> list[str]:
    """The problems of one run: a non-zero exit, a failed document, a seam in a delivered document."""
    path = tmp / f"{case_id}.yaml"
    path.write_bytes(reformat(scenario, shape))
    out = tmp / "runs"
    cmd = [sys.executable, "-m", "genai_planner.cli", "run", str(path), "--engine", "offline", "--no-memory", "-o", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=tmp, timeout=300)
    problems = []
    runs = sorted(p for p in out.glob("*") if (p / "manifest.json").exists()) if out.exists() else []
    if proc.returncode != 0:
        problems.append(f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:] }")
    if runs:
        manifest = json.loads((runs[-1] / "manifest.json").read_text(encoding="utf-8"))
        for doc in manifest.get("documents", []):
            if doc.get("status") != "passed":
                failed = [f"{c['id']}: {str(c.get('detail'))[:240]}" for c in (doc.get("iterations") or [{}])[-1].get("checks", []) if not c.get("passed")]
                problems.append(f"document {doc['id']} failed: " + " | ".join(failed))
        for md in sorted(runs[-1].glob("0[1-5]_*.md")):
            for kind, hits in seams_by_kind(md.read_text(encoding="utf-8")).items():
                problems += [f"{md.name[:2]} {kind}: {h}" for h in hits[:2]]
    return [f"{case_id} ({shape}): {p}" for p in problems]


def _sample() -> list[tuple[str, dict[str, Any]]]:
    """One case for each shape (the first in file order that is not a known failure), English and Korean in turn: seven runs."""
    picked: dict[str, tuple[str, dict[str, Any]]] = {}
    usable = [(c, s) for c, s in CASES if c not in KNOWN_FAILING]
    for i, shape in enumerate(SHAPES):
        language = ("en", "ko")[i % 2]
        picked[shape] = next(((c, s) for c, s in usable if shape_of(c) == shape and s.get("language", "en") == language), None) or next(
            (c, s) for c, s in usable if shape_of(c) == shape
        )
    return list(picked.values())


def test_every_shape_is_written_and_reads_back_the_same_prose():
    """The reformatting itself: each shape gives valid YAML whose use case holds the same words (Markdown marks aside)."""
    case_id, scenario = CASES[0]
    words = " ".join(str(scenario["use_case"]).split())
    for shape in SHAPES:
        raw = reformat(scenario, shape)
        read = yaml.safe_load(raw.decode("utf-8"))
        assert read["name"] == scenario["name"], shape
        text = " ".join(str(read["use_case"]).replace("\t", " ").split())
        if shape == "markdown":
            assert "**" in text and "| item | note |" in text
            text = text.replace("*", "")
        assert words.split(". ")[-1].rstrip(".") in text, shape
        assert (b"\r\n" in raw) == (shape == "crlf")
    assert {shape_of(c) for c, _ in CASES} == set(SHAPES)


@pytest.mark.parametrize(("case_id", "scenario"), _params(_sample()))
def test_a_sample_of_use_cases_in_every_shape_runs_clean(case_id, scenario, tmp_path):
    problems = run_case(case_id, scenario, shape_of(case_id), tmp_path)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("GENAI_PLANNER_FULL_SWEEP") != "1", reason="minutes on 2 cores: set GENAI_PLANNER_FULL_SWEEP=1")
@pytest.mark.parametrize(("case_id", "scenario"), _params(CASES))
def test_every_labelled_use_case_and_scenario_runs_clean(case_id, scenario, tmp_path):
    problems = run_case(case_id, scenario, shape_of(case_id), tmp_path)
    assert not problems, "\n".join(problems)


def test_no_shape_changes_what_the_brief_reads():
    """The cheap half of the sweep, over every case: each shape gives the brief the same organisation, users and languages."""
    from genai_planner.planning.extract import extract_brief

    changed = []
    for case_id, scenario in CASES:
        language = scenario.get("language", "en")
        plain = extract_brief(yaml.safe_load(reformat(scenario, "plain")), language)
        for shape in ("crlf", "markdown", "tabs"):
            other = extract_brief(yaml.safe_load(reformat(scenario, shape).decode("utf-8")), language)
            for field in ("organisation", "users"):
                a, b = getattr(plain, field), getattr(other, field)
                values = (a.value, b.value) if field == "organisation" else ([t.value for t in a], [t.value for t in b])
                if values[0] != values[1]:
                    changed.append(f"{case_id} {shape} {field}: {values[0]!r} -> {values[1]!r}")
            if plain.constraints.languages.value != other.constraints.languages.value:
                changed.append(f"{case_id} {shape} languages")
    assert not changed, "\n".join(changed)
