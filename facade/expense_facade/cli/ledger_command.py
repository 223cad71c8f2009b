"""``expense-facade ledger``: the export ledger's state tools, ``rebuild`` (a ledger
restored from output files), ``show`` (what it holds) and ``forget`` (records exported
again by the next run) (docs/command.md, "ledger")."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from expense_facade._wording import counted
from expense_facade.cli.credentials import parse_vendor
from expense_facade.cli.exits import EXIT_OK, UsageError
from expense_facade.export.account_identity import ANY_ACCOUNT
from expense_facade.export.ledger import Ledger, default_ledger_path
from expense_facade.export.ledger_overview import Shown
from expense_facade.export.outputs import rebuild_ledger
from expense_facade.export.postgres.connection import is_postgres_url
from expense_facade.export.run import open_ledger
from expense_facade.export.sinks import format_by_name

_T = TypeVar("_T")

SHOW_LIMIT = 50
"""Rows ``ledger show`` prints per table unless ``--limit`` says otherwise."""


def cmd_ledger_rebuild(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Record the expenses of each output file as exported; one line per file."""
    # A file, or a PostgreSQL ledger (its URL): the refusals of export advise this command
    # with the --ledger they were given.
    path: str | Path = args.ledger or default_ledger_path(sandbox=args.sandbox)
    fmt = format_by_name(args.format) if args.format else None
    with open_ledger(path) as ledger:
        for source in args.sources:
            result = rebuild_ledger(ledger, source, fmt)
            accounts = ", ".join(f"{vendor} {account}" for vendor, account in result.accounts)
            accounts += "" if result.all_accounts else " and more"
            print(
                f"{result.path}: {result.records:,} records ({result.format}), "
                f"{result.added:,} new to the ledger {ledger.name}"
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


def _existing_ledger(args: argparse.Namespace, *, lock: bool) -> Ledger:
    """The ledger ``--ledger`` (a file or ``postgresql://``) or ``--sandbox`` names; a file
    that does not exist is refused, not made."""
    target: str | Path = args.ledger or default_ledger_path(sandbox=args.sandbox)
    if not is_postgres_url(target) and not Path(target).exists():
        raise UsageError(f"no export ledger at {target} (give its file with --ledger PATH)")
    return open_ledger(target, lock=lock)


def _when(value: dt.datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else "never"


def _section(lines: list[str], title: str, shown: Shown[_T], line: Callable[[_T], str]) -> None:
    lines.append(title)
    lines.extend(f"  {line(row)}" for row in shown.rows)
    if shown.more:
        lines.append(f"  ... and {shown.more:,} more (--limit N shows more)")


def cmd_ledger_show(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Print the ledger's records, positions and outputs, at most ``--limit`` rows each."""
    if args.limit < 0:
        raise UsageError("--limit must be 0 or more")
    vendor = parse_vendor(args.vendor, "ledger show") if args.vendor else None
    with _existing_ledger(args, lock=False) as ledger:
        seen = ledger.overview(vendor=vendor, limit=args.limit)
        lines = [f"Ledger {ledger.name}" + (f" ({vendor} only)" if vendor else "")]
        _section(
            lines,
            f"Records: {seen.record_count:,} exported, in {counted(seen.records.total, 'account')}",
            seen.records,
            lambda r: (
                f"{r.vendor} {'(every account)' if r.scope == ANY_ACCOUNT else r.scope}: "
                f"{r.exported:,} exported"
                + (f" ({r.awaiting_mark:,} awaiting the vendor's mark)" if r.awaiting_mark else "")
                + f", last written {_when(r.last_written)}"
            ),
        )
        _section(
            lines,
            f"Positions: {counted(seen.positions.total, 'account')}",
            seen.positions,
            lambda p: (
                f"{p.vendor} {p.account}"
                + (f" ({p.base_url})" if p.base_url else "")
                + f": position {_when(p.position)}, last run {_when(p.last_run)}, "
                f"last full listing {_when(p.reconciled_at)}"
            ),
        )
        _section(
            lines,
            f"Outputs: {counted(seen.outputs.total, 'file')}",
            seen.outputs,
            lambda o: (
                f"{o.path}: {o.format}, {counted(o.records, 'record')}, "
                f"{o.identity.length:,} bytes, last written {_when(o.updated_at)}"
            ),
        )
        if seen.receipts:
            waiting = sum(n for state, n in seen.receipts.items() if state != "done")
            lines.append(
                f"Receipts: {counted(seen.receipts.get('done', 0), 'file')} downloaded"
                + (f", {waiting:,} to download (retried by the next export)" if waiting else "")
            )
        if seen.interrupted:
            lines.append(
                f"Interrupted: {counted(seen.interrupted, 'record')} of a batch a killed run "
                "left unconfirmed (the next export repairs the output)"
            )
    print("\n".join(lines))
    return EXIT_OK


def cmd_ledger_forget(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Forget an account's records (or some ids, or a whole vendor's) after a confirmation,
    so that the next export writes them again."""
    vendor = parse_vendor(args.vendor, "ledger forget")
    account: str | None = args.account
    ids: list[str] | None = list(args.ids) or None
    if not args.yes and not sys.stdin.isatty():
        raise UsageError(
            "ledger forget asks for a confirmation and standard input is not a terminal: "
            "add --yes to forget without asking"
        )
    with _existing_ledger(args, lock=True) as ledger:
        what = _what_is_forgotten(ledger, vendor, account, ids)
        if not args.yes:
            print(
                f"Forget {what} in the ledger {ledger.name}? The next export writes them "
                "again. [y/N] ",
                end="",
                file=sys.stderr,
                flush=True,
            )
            if sys.stdin.readline().strip().lower() not in ("y", "yes"):
                print("Nothing forgotten.", file=sys.stderr)
                return EXIT_OK
        removed = ledger.forget(vendor, account, ids)
    print(
        f"Forgot {counted(removed, 'record')} of {_whose(vendor, account)}; the next export "
        "writes them again.",
        file=sys.stderr,
    )
    return EXIT_OK


def _whose(vendor: str, account: str | None) -> str:
    return f"{vendor} (account {account})" if account else f"{vendor} (every account)"


def _what_is_forgotten(
    ledger: Ledger, vendor: str, account: str | None, ids: list[str] | None
) -> str:
    """``41 records of brex (account acme) and its position``, for the confirmation."""
    if ids is not None:
        known = (
            ledger.exported_ids(vendor, account, ids) if account else ledger.known_ids(vendor, ids)
        )
        return (
            f"{counted(len(known), 'record')} of {_whose(vendor, account)} "
            f"({len(ids) - len(known):,} of the ids given are not in it) and the position"
        )
    if account is None:
        total = ledger.overview(vendor=vendor, limit=0).record_count
        return f"{counted(total, 'record')} of {_whose(vendor, None)} and their positions"
    total = sum(ledger.counts(vendor, account).values())
    shared = (
        f"; {vendor}'s ids are unique across its customers, so the ledger keeps one set of "
        f"records for every {vendor} account: these are all of them"
        if ledger.scope(vendor, account) == ANY_ACCOUNT
        else ""
    )
    return f"{counted(total, 'record')} of {_whose(vendor, account)} and its position{shared}"


__all__ = ["SHOW_LIMIT", "cmd_ledger_forget", "cmd_ledger_rebuild", "cmd_ledger_show"]
