"""What the tests that signal a running ``expense-facade`` process need to know of it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
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


# The console script's code, then the process's own peak memory (VmHWM, KiB) written to
# the file its first argument names: read after it exits, the peak of its whole run.
_RUN_AND_REPORT_PEAK = (
    "import sys\n"
    "report = sys.argv.pop(1)\n"
    "from _expense_facade_start import run\n"
    "code = run()\n"
    "status = open('/proc/self/status').read().splitlines()\n"
    "open(report, 'w').write(next(l for l in status if l.startswith('VmHWM:')).split()[1])\n"
    "sys.exit(code)\n"
)


def run_command_with_peak(
    argv: list[str], report: Path, *, timeout: float = 600
) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run ``expense-facade argv`` as a child process (no ``EXPENSE_FACADE_*`` variable of
    the caller's); returns it and its peak resident memory in KiB."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    done = subprocess.run(
        [sys.executable, "-c", _RUN_AND_REPORT_PEAK, str(report), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    return done, int(report.read_text()) if report.exists() else 0


def closed_loopback_url() -> str:
    """A loopback URL nothing listens on (a port bound, then released): a request there
    is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"
