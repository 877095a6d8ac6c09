"""Errors the CLI turns into one line on stderr and a non-zero exit code."""


class PlannerError(Exception):
    """Base class for errors a user can act on."""

    exit_code = 2


class InputError(PlannerError):
    """Bad input: a scenario, flag, run id or path the user gave us."""

    exit_code = 2
