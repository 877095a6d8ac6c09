"""The code base passes its own lint rules (ruff) and its layering (import-linter), both configured in pyproject.toml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).parent)


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=BIN) or shutil.which("ruff")
    assert ruff, "ruff is a dev dependency: pip install -e '.[dev]'"
    proc = subprocess.run([ruff, "check", "--no-cache", "--output-format", "concise", "."], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def installed_layout(dest: Path) -> Path:
    """`genai_planner` laid out as the wheel installs it (pyproject's package-dir), as symlinks into the checkout.

    import-linter walks the package's folder, and the editable install maps agents/, graph/,
    tools/ and memory/ in from outside it, so the layers are checked on this layout instead.
    """
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"].get("package-dir", {})
    mapped = {}
    for name, folder in mapping.items():
        parent, _, sub = name.rpartition(".")
        assert parent == "genai_planner", name
        mapped[sub] = ROOT / folder
    package = dest / "genai_planner"
    package.mkdir(parents=True)
    for child in (ROOT / "genai_planner").iterdir():
        if child.name != "__pycache__" and child.name not in mapped:
            (package / child.name).symlink_to(child)
    for sub, folder in mapped.items():
        (package / sub).symlink_to(folder)
    return dest


def test_import_layers_hold():
    lint = shutil.which("lint-imports", path=BIN) or shutil.which("lint-imports")
    assert lint, "import-linter is a dev dependency: pip install -e '.[dev]'"
    layout = installed_layout(Path(os.environ.get("TMPDIR", "/tmp")) / f"genai-planner-layers-{os.getpid()}")
    try:
        env = {**os.environ, "PYTHONPATH": str(layout)}
        proc = subprocess.run([lint, str(ROOT / "pyproject.toml"), "--no-cache"], cwd=layout, env=env, capture_output=True, text=True, timeout=300)
    finally:
        shutil.rmtree(layout, ignore_errors=True)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert "0 broken" in proc.stdout, proc.stdout[-2000:]
