"""SIGINT at any moment after the interpreter has started gives the command's one-line
stop (docs/command.md, "Exit codes"): the console script's first code catches signals
before the package is imported, so an interrupt landing while the command imports itself
is no traceback. Swept at 5 ms steps from 0 to 300 ms after the process is started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import expense_facade
import pytest
from support.processes import handlers_installed

SCRIPT = Path(sys.executable).with_name("expense-facade")
PACKAGE_DIRS = (
    str(Path(expense_facade.__file__).parent),
    str(Path(expense_facade.__file__).parent.parent / "_expense_facade_start"),
)
STOP = "expense-facade: interrupted; the next run goes on from where this one stopped"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_sigint_every_5_ms_from_0_to_300_ms_is_the_one_line_stop(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPENSE_FACADE_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    argv = [str(SCRIPT), "export", "--sandbox", "--vendor", "all", "--out", f"{tmp_path}/o/"]
    ours = 0
    for step in range(0, 301, 5):
        proc = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
        )
        time.sleep(step / 1000)
        # Whether the command's first code had run when the signal was sent (it catches
        # SIGTERM first thing): from then on only the one line will do.
        started = handlers_installed(proc.pid)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        where = f"at {step} ms (handlers installed: {started}): exit {proc.returncode}\n{err}"
        # Never a frame of the package: the signal landed in its code or it did not.
        assert not any(f"{d}/" in err for d in PACKAGE_DIRS), where
        if proc.returncode == 0:  # pragma: no cover - the export finished first
            continue
        if started or proc.returncode == 130:
            ours += 1
            assert proc.returncode == 130, where
            assert err.strip().splitlines() == [STOP], where
        else:
            # Python itself was still starting (its own site import, or finding the console
            # script's first module): it ends the way Python ends, before any of our code.
            assert proc.returncode in (-signal.SIGINT, 1), where
    assert ours >= 30, "most steps land after the interpreter has started"


# An interrupt swallowed where the command cannot see it (inside Python's own machinery:
# the import lock, a lock a worker thread then waits on forever), simulated plainly.
SWALLOWED = """
import sys, threading
from expense_facade.cli import signals
signals.GRACE_SECONDS = 1
signals.install()
lock = threading.Lock()
lock.acquire()
try:
    print("ready", flush=True)
    lock.acquire()
except KeyboardInterrupt:
    pass
lock.acquire()
"""


@pytest.mark.skipif(not hasattr(signal, "alarm"), reason="no SIGALRM")
@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_stop_whose_unwinding_hangs_ends_after_the_grace_with_its_one_line(
    signum: signal.Signals, code: int, word: str
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SWALLOWED.replace("KeyboardInterrupt", "BaseException")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)  # without the grace: waits forever
    assert proc.returncode == code
    assert err.splitlines() == [
        f"expense-facade: {word}; the next run goes on from where this one stopped"
    ]


UNRAISABLE = """
import sys
import _expense_facade_start
sys.unraisablehook = _expense_facade_start._unraisable
class Interrupted:
    def __del__(self):
        raise KeyboardInterrupt
class Broken:
    def __del__(self):
        raise ValueError("a bug, shown as Python shows it")
Interrupted()
Broken()
"""


def test_a_stop_raised_in_a_callback_is_not_printed_as_an_ignored_exception() -> None:
    """Where Python cannot propagate a KeyboardInterrupt (a weakref callback inside
    importlib, a __del__) it would print "Exception ignored" and a traceback; the command
    says the stop once instead. Any other exception is shown as Python shows it."""
    done = subprocess.run(
        [sys.executable, "-c", UNRAISABLE], capture_output=True, text=True, check=True
    )
    assert "KeyboardInterrupt" not in done.stderr
    assert "ValueError: a bug, shown as Python shows it" in done.stderr
