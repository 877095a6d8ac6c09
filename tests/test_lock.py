"""constraints.txt pins every package pyproject.toml asks for, so CI installs what was resolved, not whatever is newest."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

REFRESH = "uv pip compile pyproject.toml --extra dev --extra local-model --universal --python-version 3.11 -o constraints.txt"


def _pins() -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", line)
        if m:
            pins.setdefault(canonicalize_name(m.group(1)), []).append(m.group(2))
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [*project["dependencies"], *(r for extra in project["optional-dependencies"].values() for r in extra)]
    reqs = [Requirement(r) for r in lines]
    return [r for r in reqs if canonicalize_name(r.name) != canonicalize_name(project["name"])]


def test_every_requirement_is_pinned_within_its_range():
    pins = _pins()
    missing = [str(r) for r in _requirements() if canonicalize_name(r.name) not in pins]
    assert not missing, f"not in constraints.txt: {missing}; refresh it: {REFRESH}"
    outside = []
    for r in _requirements():
        versions = pins[canonicalize_name(r.name)]
        if not any(r.specifier.contains(v, prereleases=True) for v in versions):
            outside.append((str(r), versions))
    assert not outside, f"pins outside pyproject's ranges: {outside}; refresh it: {REFRESH}"


def test_the_readme_says_how_to_refresh_the_lock():
    assert REFRESH in (ROOT / "README.md").read_text(encoding="utf-8")
