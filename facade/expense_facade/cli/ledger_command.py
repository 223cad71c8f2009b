"""``expense-facade ledger rebuild``: a ledger restored from output files (docs/command.md)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from expense_facade.cli.exits import EXIT_OK
from expense_facade.export.ledger import Ledger, default_ledger_path
from expense_facade.export.outputs import rebuild_ledger
from expense_facade.export.sinks import format_by_name


def cmd_ledger_rebuild(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Record the expenses of each output file as exported; one line per file."""
    path = Path(args.ledger) if args.ledger else default_ledger_path(sandbox=args.sandbox)
    fmt = format_by_name(args.format) if args.format else None
    with Ledger(path) as ledger:
        for source in args.sources:
            result = rebuild_ledger(ledger, source, fmt)
            accounts = ", ".join(f"{vendor} {account}" for vendor, account in result.accounts)
            accounts += "" if result.all_accounts else " and more"
            print(
                f"{result.path}: {result.records:,} records ({result.format}), "
                f"{result.added:,} new to the ledger {path}"
                + (
                    f", {result.forgotten:,} no longer in the file (the next export writes "
                    "them again)"
                    if result.forgotten
                    else ""
                )
                + (f"; accounts: {accounts}" if accounts else ""),
                file=sys.stderr,
            )
    return EXIT_OK
