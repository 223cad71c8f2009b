"""SIGINT and SIGTERM as exceptions, so an interrupted command unwinds (closing the ledger
and the output) and ends with one line and its exit code (docs/command.md, "Exit codes").

Kept light (the standard library and ``cli.exits``): the console script installs these
handlers before it imports the rest of the command.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from expense_facade.cli.console_log import silence_console_log
from expense_facade.cli.exits import EXIT_INTERRUPTED, EXIT_TERMINATED, err


class Terminated(BaseException):
    """SIGTERM arrived: unwind like KeyboardInterrupt does for SIGINT."""


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
    silence_console_log()  # this line is the last one, whatever threads still log
    terminated = isinstance(exc, Terminated)
    what = "terminated" if terminated else "interrupted"
    err(f"{what}; the next run goes on from where this one stopped")
    return EXIT_TERMINATED if terminated else EXIT_INTERRUPTED


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
