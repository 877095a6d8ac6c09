"""The run's stack imports with the garbage collector paused, then frozen (core/cold_imports.py).

Start-up cost, not behaviour: the figures are in bench/RESULTS.md (bench/startup.py). These
tests pin what keeps it safe: the collector is always enabled again, and only a cold import
pauses it.
"""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from genai_planner.core.cold_imports import cold_imports
from tests.conftest import ROOT


@pytest.fixture
def collector():
    frozen = gc.get_freeze_count()
    yield
    gc.enable()
    if gc.get_freeze_count() > frozen:
        gc.unfreeze()


def test_a_cold_import_pauses_the_collector_then_freezes_and_enables_it(collector) -> None:
    before = gc.get_freeze_count()
    with cold_imports("genai_planner_no_such_module"):
        assert not gc.isenabled()
        kept = [object() for _ in range(100)]
    assert gc.isenabled()
    assert gc.get_freeze_count() > before
    assert kept


def test_the_collector_is_enabled_again_when_an_import_fails(collector) -> None:
    with pytest.raises(ImportError), cold_imports("genai_planner_no_such_module"):
        import genai_planner_no_such_module  # noqa: F401
    assert gc.isenabled()


def test_a_module_already_imported_changes_nothing(collector) -> None:
    before = gc.get_freeze_count()
    with cold_imports("gc"):
        assert gc.isenabled()
    assert gc.get_freeze_count() == before


def test_the_run_command_imports_its_stack_through_the_pause() -> None:
    """A fresh `genai-planner run` process ends with the collector on and the imported stack frozen."""
    code = (
        "import gc, sys\nfrom genai_planner.cli import app\n"
        "sys.argv = ['genai-planner', 'run', 'no-such-scenario.yaml', '--engine', 'offline', '--no-memory']\n"
        "try:\n    app()\nexcept SystemExit as e:\n    assert e.code == 2, e.code\n"
        "print(gc.isenabled(), gc.get_freeze_count() > 10000)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "True True"
