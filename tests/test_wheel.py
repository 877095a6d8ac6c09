"""The wheel a user installs: one top-level import name, the examples inside, and it runs from any folder.

The wheel is built from a copy of the checkout (`pip wheel --no-deps --no-build-isolation`),
then installed, not editable, into a fresh virtual environment that has no genai_planner of its
own. What this test proves and what it does not: the package (code, specs, knowledge base,
examples, entry points) comes from the wheel alone, and a folder holding tools/, agents/,
graph/ and memory/ packages cannot shadow it. The dependencies are this environment's (a `.pth`
line adds its site-packages, whose own `.pth` hooks, such as the editable finder, stay off), so
the wheel's declared dependency list is proven by `.ci/run`, which installs the same wheel with
its dependencies from the index into another fresh venv and runs an example there.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.integration
SHADOWS = ("tools", "agents", "graph", "memory")
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "runs", "build", "*.egg-info", "__pycache__", ".*_cache", "artifacts")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy (an in-tree build would share build/ with anyone else building)."""
    source = tmp_path_factory.mktemp("source") / "genai-planner"
    shutil.copytree(ROOT, source, ignore=COPY_IGNORE, symlinks=True)
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", str(source), "-w", str(out)]
    subprocess.run(cmd, check=True, timeout=600, cwd=out, env=_env())
    (built,) = out.glob("genai_planner-*.whl")
    return built


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}


def _names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def test_the_wheel_installs_one_top_level_name(wheel: Path) -> None:
    names = _names(wheel)
    tops = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert tops == {"genai_planner"}, tops
    with zipfile.ZipFile(wheel) as zf:
        top_level = [n for n in names if n.endswith(".dist-info/top_level.txt")]
        if top_level:
            assert zf.read(top_level[0]).decode().split() == ["genai_planner"]
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        recorded = {line.split(",", 1)[0].split("/", 1)[0] for line in zf.read(record).decode().splitlines() if line}
    assert {t for t in recorded if not t.endswith(".dist-info")} == {"genai_planner"}
    for sub in SHADOWS:
        assert f"genai_planner/{sub}/__init__.py" in names


def test_the_wheel_ships_every_example_scenario(wheel: Path) -> None:
    shipped = {Path(n).stem for n in _names(wheel) if n.startswith("genai_planner/examples/") and n.endswith(".yaml")}
    assert shipped == {p.stem for p in (ROOT / "scenarios").glob("*.yaml")}


def test_no_tracked_file_over_one_megabyte() -> None:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    files = subprocess.run([git, "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    big = [f for f in files if f and (ROOT / f).is_file() and (ROOT / f).stat().st_size > 1_000_000]
    assert not big, f"tracked files over 1 MB (only data the product reads may be): {big}"


def test_the_installed_wheel_runs_an_example_from_a_folder_that_shadows_its_packages(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    ask = [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    purelib = Path(subprocess.run(ask, capture_output=True, text=True, check=True).stdout.strip())
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)]
    subprocess.run(install, check=True, timeout=300, env=_env())
    (purelib / "_genai_planner_test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")

    here = tmp_path / "elsewhere"
    for name in SHADOWS:
        (here / name).mkdir(parents=True)
        (here / name / "__init__.py").write_text(f"raise ImportError('the {name}/ folder in the working directory was imported')\n")
    env = {**_env(), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}

    probe = "import genai_planner, genai_planner.run.runner, genai_planner.tools.safety; print(genai_planner.__file__)"
    where = subprocess.run([python, "-c", probe], cwd=here, env=env, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr[-2000:]
    assert Path(where.stdout.strip()).is_relative_to(purelib), where.stdout  # the wheel's copy, not the checkout's

    listed = subprocess.run([venv / "bin" / "genai-planner", "examples"], cwd=here, env=env, capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and "electronics_store" in listed.stdout, listed.stderr[-2000:]
    run = subprocess.run(
        [venv / "bin" / "genai-planner", "run", "--example", "electronics_store", "--no-memory", "-o", "runs"],
        cwd=here,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert len(list((here / "runs").glob("*/0*.md"))) == 5
