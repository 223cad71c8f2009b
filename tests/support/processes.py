"""What the tests that signal a running ``expense-facade`` process need to know of it."""

from __future__ import annotations

import signal
from pathlib import Path


def handlers_installed(pid: int) -> bool:
    """Whether the process catches SIGTERM yet (the command's own handlers are in place):
    read from ``/proc/PID/status``; False once the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
