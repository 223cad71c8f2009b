"""What the command says on stderr while it works: the library's warnings (a retry, a long
wait for a rate limit, an ignored ``--since``) as one line each, more with ``-v``/``-vv``
or ``EXPENSE_FACADE_LOG`` (docs/command.md, "Logs"). A line never breaks the progress
display: the status line is cleared, the message printed, the status line drawn again.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol, TextIO

from expense_facade import logs
from expense_facade.cli.exits import PROG


class MessageSink(Protocol):
    """Where a line goes while a progress display owns the terminal line."""

    def message(self, text: str) -> None: ...


def verbosity_level(verbose: int, environ: Mapping[str, str]) -> int:
    """The level to show: WARNING, INFO with ``-v``, DEBUG with ``-vv``; or the level
    ``EXPENSE_FACADE_LOG`` names, when that shows more."""
    by_flag = logging.WARNING if verbose <= 0 else logging.INFO if verbose == 1 else logging.DEBUG
    by_env = logs.level_named(environ.get(logs.LOG_ENV))
    return by_flag if by_env is None else min(by_flag, by_env)


class ConsoleHandler(logging.Handler):
    """One line per record, ``expense-facade: warning: <message>``, never a traceback
    (the debug log has those); through the progress display when one is showing."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__()
        self.stream: TextIO = stream if stream is not None else sys.stderr
        self.sink: MessageSink | None = None
        self.silenced = False
        self._write_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        if self.silenced:
            return
        try:
            message = " ".join(record.getMessage().split())  # one line, whatever it holds
            text = f"{PROG}: {record.levelname.lower()}: {message}"
            sink = self.sink
            if sink is not None:
                sink.message(text)
                return
            with self._write_lock:
                self.stream.write(text + "\n")
                self.stream.flush()
        except Exception:  # logging must never take the command down
            self.handleError(record)


_handler: ConsoleHandler | None = None


def start_console_log(
    verbose: int, environ: Mapping[str, str], stream: TextIO | None = None
) -> ConsoleHandler:
    """Show the library's logs on stderr at the level ``verbose`` and the environment ask
    for (the library then does not install its own stderr handler)."""
    global _handler
    handler = ConsoleHandler(stream)
    logs.log_to(handler, verbosity_level(verbose, environ))
    _handler = handler
    return handler


def silence_console_log() -> None:
    """Drop later console lines: the command is ending with its final line, and a worker
    thread still winding down (a retry in flight) must not print after it."""
    if _handler is not None:
        _handler.silenced = True


@contextmanager
def messages_through(sink: MessageSink) -> Iterator[None]:
    """While the block runs, console lines go through ``sink`` (a progress display)."""
    handler = _handler
    if handler is None:
        yield
        return
    previous, handler.sink = handler.sink, sink
    try:
        yield
    finally:
        handler.sink = previous


__all__ = [
    "ConsoleHandler",
    "MessageSink",
    "messages_through",
    "silence_console_log",
    "start_console_log",
    "verbosity_level",
]
