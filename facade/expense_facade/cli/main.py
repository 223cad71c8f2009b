"""The ``expense-facade`` command's entry point: parse, run the command, turn every
failure into one line and an exit code (0 ok, 1 partial, 2 fatal, 70 internal error,
130 interrupted, 143 terminated); tracebacks go to the debug log only.

docs/command.md is the reference: the commands, the exit codes, the environment
variables, the config file and accounts. The modules beside this one hold the parser,
the credentials (on top of ``expense_facade.config``), the export command and the others;
``entry`` is what the console script runs (signal handlers first).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from expense_facade._http.redaction import get_logger
from expense_facade.cli import signals
from expense_facade.cli.console_log import start_console_log
from expense_facade.cli.credentials import (
    CREDENTIAL_ENV,
    VENDORS,
    ClientFactory,
    base_url_env,
    parse_vendors,
)
from expense_facade.cli.debug_log import DEBUG_LOG_ENV, start_debug_log
from expense_facade.cli.exits import (
    EXIT_FATAL,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_TERMINATED,
    PROG,
    UsageError,
    err,
    one_line,
)
from expense_facade.cli.export_command import parse_since, render_summary
from expense_facade.cli.parser import build_parser, verbosity
from expense_facade.cli.remedies import in_the_command
from expense_facade.cli.transactions import load_card_transactions, parse_card_transaction
from expense_facade.config import default_config_path
from expense_facade.errors import ExpenseFacadeError, UnsupportedOperation
from expense_facade.export.remedies import Remedied

log = get_logger("expense_facade.cli")

Handler = Callable[[argparse.Namespace, Mapping[str, str]], int]


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run the command; returns the exit code (the console script exits with it).

    Every failure ends as one line on stderr and a documented exit code; the traceback,
    where there is one, goes to the debug log (``--debug-log``) only.
    """
    env = os.environ if environ is None else environ
    with signals.handled():
        try:
            args = build_parser().parse_args(argv)
            start_debug_log(getattr(args, "debug_log", None) or env.get(DEBUG_LOG_ENV))
            start_console_log(verbosity(args), env)
            handler: Handler = args.handler
            return handler(args, env)
        except (KeyboardInterrupt, signals.Terminated) as exc:
            return signals.stopped(exc)
        except BrokenPipeError:
            # The reader of stdout went away (e.g. `| head`): not an error worth a traceback.
            _silence_stdout()
            return EXIT_FATAL
        except Exception as exc:
            return _failed(exc)


def _failed(exc: Exception) -> int:
    """One line for ``exc`` and its exit code; the traceback to the debug log."""
    log.debug("the command failed", exc_info=exc)
    if isinstance(exc, UsageError):
        err(f"error: {exc}")
        return EXIT_FATAL
    if isinstance(exc, Remedied):  # its ways on as the command's flags
        err(f"error: {' '.join(in_the_command(exc).split())}")
        return EXIT_FATAL
    if isinstance(exc, UnsupportedOperation):
        err(f"error: {exc} (see '{PROG} vendors')")
        return EXIT_FATAL
    if isinstance(exc, ExpenseFacadeError):  # ledger, sink, configuration, vendor errors
        err(f"error: {one_line(exc)}")
        return EXIT_FATAL
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        err(f"error: {exc.strerror or one_line(exc)}{where}")
        return EXIT_FATAL
    err(
        f"internal error: {type(exc).__name__}: {one_line(exc)} (a bug; the traceback is in "
        f"the debug log: --debug-log PATH)"
    )
    return EXIT_INTERNAL


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


__all__ = [
    "CREDENTIAL_ENV",
    "EXIT_FATAL",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_TERMINATED",
    "VENDORS",
    "ClientFactory",
    "UsageError",
    "base_url_env",
    "build_parser",
    "default_config_path",
    "load_card_transactions",
    "main",
    "parse_card_transaction",
    "parse_since",
    "parse_vendors",
    "render_summary",
]
