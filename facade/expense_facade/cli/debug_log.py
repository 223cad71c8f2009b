"""The command's debug log: where tracebacks go instead of the terminal (docs/command.md)."""

from __future__ import annotations

import logging

from expense_facade.cli.exits import UsageError

DEBUG_LOG_ENV = "EXPENSE_FACADE_DEBUG_LOG"
LOGGER = "expense_facade"


def start_debug_log(path: str | None) -> None:
    """Append the library's and the command's logs at DEBUG level to ``path`` (if given).

    The library's loggers carry the filter that redacts secrets, so the file is as safe to
    share as the one-line errors are.
    """
    if not path:
        return
    try:
        handler = logging.FileHandler(path, encoding="utf-8", delay=False)
    except OSError as exc:
        raise UsageError(f"cannot open the debug log {path}: {exc.strerror}") from None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(LOGGER)
    for old in [h for h in logger.handlers if getattr(h, "_expense_facade_debug", False)]:
        logger.removeHandler(old)
        old.close()
    handler._expense_facade_debug = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


__all__ = ["DEBUG_LOG_ENV", "start_debug_log"]
