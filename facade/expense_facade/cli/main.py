"""The ``expense-facade`` command.

Commands::

    expense-facade export --vendor V [--vendor V2 ... | --vendor all] [--sandbox]
                          [--since T | --full] [--overlap D] [--reconcile-after D]
                          [--format jsonl|csv] [--csv-lines] [--out PATH|-]
                          [--mark-exported | --no-mark-exported] [--ledger PATH] [--reexport]
    expense-facade vendors
    expense-facade get --vendor V ID
    expense-facade mark-exported --vendor V [IDS ...] [--file F]
    expense-facade upload-receipt --vendor brex FILE [--expense-id ID]
    expense-facade post-transaction --vendor prospend FILE.json
    expense-facade sandbox serve [--port N] [--seed S] [--size N]

Exit codes:
    0  success
    1  partial failure: the command ran, but some records failed (a mark the vendor
       refused, a malformed record, a vendor whose export stopped early)
    2  fatal error: bad input (unknown vendor, bad date, unreadable or invalid file),
       missing credential, authentication or other vendor error; nothing was written
       or marked unless the message says otherwise
    130 interrupted (Ctrl-C)

Credentials come from environment variables (``CREDENTIAL_ENV``; a base URL from
``EXPENSE_FACADE_<VENDOR>_BASE_URL``) or from a TOML config file (``--config``, default
``config.toml`` in the user's config folder; ``EXPENSE_FACADE_CONFIG`` names another),
one table per vendor with the same names as ``connect`` takes::

    [brex]
    token = "..."
    [prospend]
    token = "..."
    company_id = "42"
    base_url = "https://api.apac.prospend.io"

An ``[export]`` table may set ``overlap`` and ``reconcile_after`` (durations such as
``"5m"`` or ``"7d"``; the ``--overlap``/``--reconcile-after`` flags win). The environment
wins over the file. Credentials are never printed. ``--sandbox`` uses the
in-process simulator instead (same seed every run, so runs see the same data; the export
ledger is what makes a second run export nothing new).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence

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
from expense_facade.cli.parser import build_parser
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
