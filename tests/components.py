"""Real components a test needs (a browser, a database server, a model server, a CLI): skip locally, fail in CI.

`.ci/run` installs every one of them and runs with `CI=true`, so there a missing component is a
broken CI, never a quietly skipped test. On a developer's machine the test skips and says what to install.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """Whether this is CI (`CI=true`, as `.ci/run` and the CI runner set it)."""
    return os.environ.get("CI", "").lower() == "true"


def require(component: str, reason: str) -> NoReturn:
    """Call when `component` is missing: fails under CI=true, skips (with `reason`: how to install it) elsewhere."""
    message = f"{component} is missing: {reason}"
    if in_ci():
        pytest.fail(f"CI must have the real component: {message}", pytrace=False)
    pytest.skip(message)
