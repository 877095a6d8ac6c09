"""Store namespaces. Runs and users never share one."""

from __future__ import annotations


def decisions_ns(run_id: str) -> tuple[str, ...]:
    """Decisions earlier documents made that later documents must use, for one run."""
    return ("runs", run_id, "decisions")


def lessons_ns(user_id: str) -> tuple[str, ...]:
    """What the reviewer sent back most often, across one user's runs."""
    return ("lessons", user_id)
