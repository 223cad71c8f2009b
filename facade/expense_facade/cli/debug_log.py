"""The command's debug log: where tracebacks go instead of the terminal (docs/command.md).

The path must be a regular file (appended to) or a character device such as /dev/null; a
FIFO, a folder or a socket is refused at once, without waiting for a reader. A log that
cannot be written (a full disk, /dev/full) is one warning, then stays off for the run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import sys

from expense_facade.cli.exits import UsageError, err
from expense_facade.input_files import kind_of

DEBUG_LOG_ENV = "EXPENSE_FACADE_DEBUG_LOG"
LOGGER = "expense_facade"
_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT
# O_NONBLOCK: a FIFO with no reader is refused (ENXIO) instead of blocking the open.
_FLAGS |= getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class DebugLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Appends records to the debug log; the first failed write is one warning on stderr
    and turns the handler off (logging's own answer is a traceback per record)."""

    def __init__(self, path: str, fd: int) -> None:
        super().__init__(os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace"))
        self.path = path
        self.failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)
            if not self.failed:
                self.flush()  # a line at a time: what was logged is there if the run dies

    def flush(self) -> None:
        if self.failed:
            return
        try:
            super().flush()
        except (OSError, ValueError):
            self.handleError(None)

    def handleError(self, record: logging.LogRecord | None) -> None:
        if self.failed:
            return
        self.failed = True
        exc = sys.exc_info()[1]
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        err(f"warning: cannot write the debug log {self.path}: {reason}; it is off for this run")
        stream, self.stream = self.stream, open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        with contextlib.suppress(OSError, ValueError):
            stream.close()  # what is left in its buffer is dropped with it


def start_debug_log(path: str | None) -> None:
    """Append the library's and the command's logs at DEBUG level to ``path`` (if given).

    The library's loggers carry the filter that redacts secrets, so the file is as safe to
    share as the one-line errors are.
    """
    if not path:
        return
    try:
        fd = os.open(path, _FLAGS, 0o666)
    except OSError as exc:
        with contextlib.suppress(OSError):  # a FIFO with no reader says ENXIO: say what it is
            kind = kind_of(os.stat(path).st_mode)
            if kind is not None:
                raise UsageError(f"the debug log {path} is {kind}, not a regular file") from None
        raise UsageError(f"cannot open the debug log {path}: {exc.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode)):
        os.close(fd)
        raise UsageError(f"the debug log {path} is {kind_of(mode)}, not a regular file")
    os.set_blocking(fd, True)
    handler = DebugLogHandler(path, fd)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(LOGGER)
    for old in [h for h in logger.handlers if isinstance(h, DebugLogHandler)]:
        logger.removeHandler(old)
        old.close()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


__all__ = ["DEBUG_LOG_ENV", "DebugLogHandler", "start_debug_log"]
