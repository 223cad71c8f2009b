"""Exit codes, the usage error and the one-line messages of the command (docs/command.md)."""

from __future__ import annotations

import sys

# The console script's first code holds the name and the codes of a stop (it runs before
# this package is imported).
from _expense_facade_start import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from _expense_facade_start import EXIT_TERMINATED as EXIT_TERMINATED
from _expense_facade_start import PROG as PROG

EXIT_OK = 0
EXIT_PARTIAL = 1  # some marks failed or records were rejected; the rest exported
EXIT_FATAL = 2
EXIT_INTERNAL = 70  # a bug: the command met an error it has no words for (EX_SOFTWARE)


class UsageError(Exception):
    """Bad input from the command line: one line on stderr, exit 2, nothing done."""


def err(message: str) -> None:
    """One line on stderr, prefixed with the program's name."""
    print(f"{PROG}: {message}", file=sys.stderr)


def one_line(exc: BaseException) -> str:
    """The exception's message on one line (never a traceback)."""
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())
