"""The ``expense-facade`` command's entry point: parse, run the command, turn every
failure into one line and an exit code (0 ok, 1 partial, 2 fatal, 130 interrupted).

docs/command.md is the reference: the commands, the exit codes, the environment
variables, the config file and accounts. The modules beside this one hold the parser,
the credentials (on top of ``expense_facade.config``), the export command and the others.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from expense_facade.cli.console_log import start_console_log
from expense_facade.cli.credentials import (
    CREDENTIAL_ENV,
    VENDORS,
    ClientFactory,
    base_url_env,
    parse_vendors,
)
from expense_facade.cli.exits import (
    EXIT_FATAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    PROG,
    UsageError,
    err,
    one_line,
)
from expense_facade.cli.export_command import parse_since, render_summary
from expense_facade.cli.parser import build_parser, verbosity
from expense_facade.cli.transactions import load_card_transactions, parse_card_transaction
from expense_facade.config import default_config_path
from expense_facade.errors import (
    APIError,
    ConfigurationError,
    ExpenseFacadeError,
    UnsupportedOperation,
)
from expense_facade.export.ledger import LedgerError
from expense_facade.export.sinks import SinkError

Handler = Callable[[argparse.Namespace, Mapping[str, str]], int]


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run the command; returns the exit code (the console script exits with it)."""
    env = os.environ if environ is None else environ
    try:
        args = build_parser().parse_args(argv)
        start_console_log(verbosity(args), env)
        handler: Handler = args.handler
        return handler(args, env)
    except UsageError as exc:
        err(f"error: {exc}")
        return EXIT_FATAL
    except UnsupportedOperation as exc:
        err(f"error: {exc} (see '{PROG} vendors')")
        return EXIT_FATAL
    except (LedgerError, SinkError, ConfigurationError) as exc:
        err(f"error: {one_line(exc)}")
        return EXIT_FATAL
    except APIError as exc:
        err(f"error: {one_line(exc)}")
        return EXIT_FATAL
    except ExpenseFacadeError as exc:
        err(f"error: {one_line(exc)}")
        return EXIT_FATAL
    except KeyboardInterrupt:
        err("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `| head`): not an error worth a traceback.
        _silence_stdout()
        return EXIT_FATAL


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


__all__ = [
    "CREDENTIAL_ENV",
    "EXIT_FATAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_PARTIAL",
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
