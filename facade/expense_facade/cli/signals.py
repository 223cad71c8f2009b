"""SIGINT and SIGTERM as exceptions, so an interrupted command unwinds (closing the ledger
and the output) and ends with one line and its exit code (docs/command.md, "Exit codes").

Kept light (the standard library and ``cli.exits``): the command's entry installs these
handlers before it imports the rest of the command, and the console script's first code
(``_expense_facade_start``) catches a signal before even that.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from _expense_facade_start import Terminated, stop_line

from expense_facade.cli.exits import err


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def install() -> dict[int, Any]:
    """SIGINT raises KeyboardInterrupt and SIGTERM raises Terminated (main thread only);
    returns the handlers they replace."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {
        signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
        signal.SIGTERM: signal.signal(signal.SIGTERM, _on_sigterm),
    }


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
