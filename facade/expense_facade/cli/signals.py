"""SIGINT and SIGTERM as exceptions, so an interrupted command unwinds (closing the ledger
and the output) and ends with one line and its exit code (docs/command.md, "Exit codes").

Kept light (the standard library and ``cli.exits``): the command's entry installs these
handlers before it imports the rest of the command, and the console script's first code
(``_expense_facade_start``) catches a signal before even that.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from _expense_facade_start import Terminated, stop_line

from expense_facade.cli.exits import PROG, err

GRACE_SECONDS = 10
"""How long a stopped command may take to unwind (closing the ledger and the output) before
it is ended at once. An interrupt raised inside Python's own machinery (the import lock, a
lock a worker thread waits on) can leave the unwinding waiting forever; ending the process
is safe at any point (the ledger protocol survives SIGKILL, docs/command.md)."""

_stopping: list[BaseException] = []  # the stop being unwound (one at most)
_reported: list[bool] = []  # non-empty once its line is printed


def _arm(stop: BaseException) -> None:
    if not _stopping and hasattr(signal, "alarm"):
        _stopping.append(stop)
        signal.alarm(GRACE_SECONDS)


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    _arm(KeyboardInterrupt())
    raise KeyboardInterrupt


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _arm(Terminated())
    raise Terminated


def _on_grace_over(signum: int, frame: FrameType | None) -> None:
    """The unwinding outlasted ``GRACE_SECONDS``: the stop's line (unless printed) and out."""
    line, code = stop_line(_stopping[0] if _stopping else KeyboardInterrupt())
    if not _reported:
        os.write(2, f"{PROG}: {line}\n".encode())
    os._exit(code)


def install() -> dict[int, Any]:
    """SIGINT raises KeyboardInterrupt and SIGTERM raises Terminated (main thread only),
    each ending the process ``GRACE_SECONDS`` later if it has not ended by then; returns
    the handlers they replace."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    _stopping.clear()
    _reported.clear()
    previous: dict[int, Any] = {
        signal.SIGINT: signal.signal(signal.SIGINT, _on_sigint),
        signal.SIGTERM: signal.signal(signal.SIGTERM, _on_sigterm),
    }
    if hasattr(signal, "SIGALRM"):
        previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, _on_grace_over)
    return previous


def ignore() -> None:
    """Ignore further SIGINT and SIGTERM: the command is already ending because of one."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)


def stopped(exc: BaseException) -> int:
    """Report a KeyboardInterrupt or Terminated in one line; returns its exit code."""
    ignore()  # a second signal while the first is reported changes nothing
    # Imported here: the console log pulls in the logging layer, too heavy to load before
    # the handlers are in place (and already loaded by any command that logs).
    from expense_facade.cli.console_log import silence_console_log

    silence_console_log()  # this line is the last one, whatever threads still log
    line, code = stop_line(exc)
    err(line)
    _reported.append(True)  # the grace's end, if the exit outlasts it, says nothing more
    return code


@contextlib.contextmanager
def handled() -> Iterator[None]:
    """``install`` for the duration of the block, then the previous handlers back (so the
    command run in-process, as the tests do, leaves its host's handlers as they were)."""
    previous = install()
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


__all__ = ["Terminated", "handled", "ignore", "install", "stopped"]
