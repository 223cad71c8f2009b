"""The library's logging: silent by default, ``EXPENSE_FACADE_LOG`` to see it (docs/library.md).

What the library decides on its own is logged on the ``expense_facade`` loggers: at
WARNING what changes the outcome or the time a call takes (a retry, a wait of
``expense_facade._http.pacing.LONG_WAIT`` seconds or more to stay under a rate limit, a
``since`` the vendor cannot filter on and that is therefore ignored), at INFO and DEBUG
the rest. Like any library, it prints
nothing unless the application configures logging, or the environment says
``EXPENSE_FACADE_LOG=debug|info|warning`` (as ``OPENAI_LOG`` and ``STRIPE_LOG`` do): then
the first ``connect`` sends those logs, and httpx's request lines from ``info`` on, to
stderr; ``debug`` adds the library's own line per answer (status, request id, attempt,
time) and per page, not httpcore's connection chatter. An unknown value is a
``RuntimeWarning`` (once), never an error. Every handler installed here carries the
redacting filter (``expense_facade._http.redaction``), so no credential reaches it.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import warnings
from collections.abc import Mapping
from typing import TextIO

from expense_facade._http.redaction import RedactingFilter

LOG_ENV = "EXPENSE_FACADE_LOG"
"""The environment variable naming the level the library logs at to stderr."""

LEVELS: Mapping[str, int] = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
}
"""The values ``EXPENSE_FACADE_LOG`` takes."""

LIBRARY_LOGGER = "expense_facade"
HTTP_LOGGERS = ("httpx",)
"""httpx logs one line per request at INFO. (httpcore's connection details, about 20
DEBUG lines a request, are left out: the library's own DEBUG lines say what matters.)"""

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_lock = threading.Lock()
_installed: logging.Handler | None = None
_from_environment_done = False


def level_named(name: str | None) -> int | None:
    """The logging level for ``debug``, ``info`` or ``warning`` (any case), else None."""
    if name is None:
        return None
    return LEVELS.get(name.strip().lower())


def log_to(handler: logging.Handler, level: int) -> logging.Handler:
    """Send the library's records at ``level`` and above to ``handler`` (and httpx's, at
    INFO and below), replacing the handler installed by an earlier call. The redacting
    filter is put on ``handler``, so records of child loggers are redacted too."""
    global _installed
    handler.setLevel(level)
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())
    names = [LIBRARY_LOGGER]
    if level <= logging.INFO:
        names += HTTP_LOGGERS
    with _lock:
        for name in (LIBRARY_LOGGER, *HTTP_LOGGERS):
            if _installed is not None:
                logging.getLogger(name).removeHandler(_installed)
        for name in names:
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            # Lower the logger's level if needed, never raise it: another handler (a debug
            # log file) may want more than this one.
            if logger.level == logging.NOTSET or logger.level > level:
                logger.setLevel(level)
        _installed = handler
    return handler


def log_to_stderr(level: int, stream: TextIO | None = None) -> logging.Handler:
    """``log_to`` a stream handler on stderr (or ``stream``) with a timestamped format."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    return log_to(handler, level)


def installed_handler() -> logging.Handler | None:
    """The handler the last ``log_to`` installed (None: the library logs nowhere itself)."""
    return _installed


def configure_from_environment(environ: Mapping[str, str] | None = None) -> None:
    """Once per process: when ``EXPENSE_FACADE_LOG`` names a level and nothing was
    installed with ``log_to`` yet (the command installs its own), log to stderr at it.
    An unknown value is a ``RuntimeWarning`` naming the values it takes: a library must
    not fail a program over its logging, nor ignore a setting without a word."""
    global _from_environment_done
    if _from_environment_done:
        return
    _from_environment_done = True
    value = (os.environ if environ is None else environ).get(LOG_ENV)
    level = level_named(value)
    if value is not None and value.strip() and level is None:
        warnings.warn(
            f"{LOG_ENV}={value[:40]!r} is not one of {', '.join(LEVELS)}; the library logs "
            "nothing to stderr",
            RuntimeWarning,
            stacklevel=3,
        )
    if level is not None and _installed is None:
        log_to_stderr(level)


__all__ = [
    "FORMAT",
    "LEVELS",
    "LOG_ENV",
    "configure_from_environment",
    "installed_handler",
    "level_named",
    "log_to",
    "log_to_stderr",
]
