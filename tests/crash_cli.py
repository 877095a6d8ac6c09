"""Run the real CLI, but send this process a signal when it emits its N-th trace event.

Usage: python tests/crash_cli.py N SIGNAL genai-planner-args...
Used by the resume tests to kill the CLI with SIGKILL (or SIGINT) at chosen points.
"""

import os
import signal
import sys

from genai_planner import cli


def main() -> None:
    target, sig = int(sys.argv[1]), getattr(signal, sys.argv[2])
    seen = {"n": 0}
    original = cli.Progress.__call__

    def counting(self, event):  # type: ignore[no-untyped-def]
        original(self, event)
        seen["n"] += 1
        if seen["n"] == target:
            sys.stdout.flush()
            os.kill(os.getpid(), sig)

    cli.Progress.__call__ = counting  # type: ignore[method-assign]
    sys.argv = ["genai-planner", *sys.argv[3:]]
    cli.app()


if __name__ == "__main__":
    main()
