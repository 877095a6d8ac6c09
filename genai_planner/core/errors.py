"""Errors the CLI turns into one line on stderr and a non-zero exit code."""


class PlannerError(Exception):
    """Base class for errors a user can act on."""

    exit_code = 2


class InputError(PlannerError):
    """Bad input: a scenario, flag, run id or path the user gave us."""

    exit_code = 2


class ModelConfigError(PlannerError):
    """The model endpoint refused the run's configuration: key, permission, model name, context size.

    No retry can fix it, so the run stops at once with this one line.
    """

    exit_code = 2


class StorageError(PlannerError):
    """The run could not write to disk (full disk or quota); what was checkpointed is kept and the run can resume."""

    exit_code = 1
