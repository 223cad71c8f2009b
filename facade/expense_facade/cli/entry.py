"""The console script's entry point: signal handlers first, then the command.

An interrupt can arrive while the command is still being imported; installing the
handlers before that import, and catching what they raise around it, is what makes an
interrupt at any moment end with one line and the documented code (docs/command.md).
"""

from __future__ import annotations

import sys

from expense_facade.cli import signals


def run() -> int:
    """What ``expense-facade`` runs; returns the exit code."""
    try:
        # Inside the try: a signal that lands while the handlers are being installed is
        # already one of theirs.
        signals.install()
        from expense_facade.cli.main import main

        code = main()
        signals.ignore()  # done: a signal now must not turn the exit into a traceback
        return code
    except (KeyboardInterrupt, signals.Terminated) as exc:
        return signals.stopped(exc)


if __name__ == "__main__":  # pragma: no cover - `python -m expense_facade.cli.entry`
    sys.exit(run())
