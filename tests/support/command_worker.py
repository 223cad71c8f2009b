"""A child process that runs the command in-process, case after case, for the hostile-input
corpus: each request (one JSON line on stdin: ``argv``, ``environ``) is answered with one
JSON line: the exit code, what it printed on stderr, the seconds it took and the process's
peak memory so far (VmHWM, KiB). Starting a Python process per case would cost the corpus
most of its time; one worker keeps every case bounded the same way (a case that hangs is
the parent's timeout, a case that balloons is this process's VmHWM).

Run as a script: ``python tests/support/command_worker.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path
from typing import Any


def peak_kib() -> int:
    """This process's VmHWM (peak resident set), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0  # pragma: no cover - /proc is there wherever the corpus runs


def run_case(request: dict[str, Any]) -> dict[str, Any]:
    from expense_facade.cli.main import main

    err, out = io.StringIO(), io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(request["argv"], environ=request["environ"])
    return {
        "code": code,
        "stderr": err.getvalue(),
        "seconds": time.monotonic() - started,
        "peak_kib": peak_kib(),
    }


def serve() -> None:
    sys.setrecursionlimit(1000)  # as the console script has it
    for line in sys.stdin:
        answer = run_case(json.loads(line))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
