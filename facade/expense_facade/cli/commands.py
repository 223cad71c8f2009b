"""The commands other than ``export``: vendors, get, mark-exported, upload-receipt,
post-transaction, sandbox serve (docs/command.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from expense_facade.cli.credentials import (
    VENDORS,
    ClientFactory,
    base_url_env,
    credential_env,
    parse_vendors,
)
from expense_facade.cli.exits import EXIT_OK, EXIT_PARTIAL, UsageError, one_line
from expense_facade.cli.transactions import load_card_transactions
from expense_facade.errors import (
    ConfigurationError,
    ExpenseFacadeError,
    UnsupportedOperation,
)
from expense_facade.export.sinks.serialize import expense_to_dict
from expense_facade.operations import ALL_OPERATIONS, Operation
from expense_facade.registry import adapter_class

if TYPE_CHECKING:
    pass

# -- vendors, get, mark-exported ----------------------------------------------------------------


def cmd_vendors(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Print a table of vendors and the operations each supports natively."""
    header = ["vendor", *(op.value for op in ALL_OPERATIONS), "credentials"]
    rows: list[list[str]] = []
    for vendor in VENDORS:
        try:
            caps: frozenset[Operation] | None = adapter_class(vendor).capabilities
        except ConfigurationError:
            caps = None
        marks = ["?" if caps is None else ("yes" if op in caps else "-") for op in ALL_OPERATIONS]
        env = ", ".join(credential_env(vendor, required_only=True).values())
        rows.append([vendor, *marks, env])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    print(f"\nEvery vendor also takes {base_url_env('<VENDOR>')} to override its base URL.")
    return EXIT_OK


def cmd_get(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Print one expense as a JSON object (the JSON Lines record, indented)."""
    (vendor,) = parse_vendors([args.vendor])
    with ClientFactory.from_args(args, environ).connect(vendor) as client:
        expense = client.get_expense(args.expense_id)
    print(
        json.dumps(
            expense_to_dict(expense, include_raw=args.include_raw), indent=2, ensure_ascii=False
        )
    )
    return EXIT_OK


def _read_ids(args: argparse.Namespace) -> list[str]:
    ids = [i.strip() for i in args.ids if i.strip()]
    if args.file:
        try:
            if args.file == "-":
                text = sys.stdin.read()
            else:
                text = Path(args.file).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{args.file} is not UTF-8 text") from None
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                ids.append(line)
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise UsageError("no expense ids given (as arguments or with --file)")
    return ids


def cmd_mark_exported(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Mark the given ids exported at the vendor; one line per id."""
    (vendor,) = parse_vendors([args.vendor])
    ids = _read_ids(args)
    with ClientFactory.from_args(args, environ).connect(vendor) as client:
        if Operation.MARK_EXPORTED not in client.capabilities:
            raise UnsupportedOperation(vendor, Operation.MARK_EXPORTED)
        result = client.mark_exported(ids)
    confirmed = {o.expense_id for o in result.succeeded}
    refused = {o.expense_id: o.message for o in result.failed}
    failed = 0
    for expense_id in ids:
        if expense_id in confirmed:
            print(f"marked  {expense_id}")
        else:
            failed += 1
            reason = refused.get(expense_id) or (
                "no reason given" if expense_id in refused else "no outcome from the vendor"
            )
            print(f"failed  {expense_id}: {reason}")
    print(f"{len(ids) - failed} marked exported, {failed} failed.", file=sys.stderr)
    return EXIT_PARTIAL if failed else EXIT_OK


# -- check ------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """One cheap authenticated call per configured account; one line each."""
    factory = ClientFactory.from_args(args, environ)
    if args.vendor:
        vendors = parse_vendors(args.vendor)
    elif args.sandbox:
        vendors = list(VENDORS)
    else:
        vendors = list(factory.config.configured_vendors())
        if not vendors:
            raise UsageError(
                "no vendor is configured (no [vendor] table in the config file, no "
                "EXPENSE_FACADE_<VENDOR>_... variable); name one with --vendor"
            )
    failed = 0
    for vendor, name in factory.selected(vendors):
        label = vendor if name is None else f"{vendor}.{name}"
        try:
            account = factory.resolve(vendor, name)
            with factory.connect(vendor, factory.settings(account)) as client:
                client.check_access()
                print(f"ok      {label} ({client.account})", flush=True)
        except ExpenseFacadeError as exc:
            failed += 1
            print(f"failed  {label}: {type(exc).__name__}: {one_line(exc)}", flush=True)
    return EXIT_PARTIAL if failed else EXIT_OK


# -- upload-receipt ---------------------------------------------------------------------------


def cmd_upload_receipt(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Upload one receipt file, onto an expense or for the vendor to match."""
    (vendor,) = parse_vendors([args.vendor])
    path = Path(args.file)
    try:
        with open(path, "rb"):  # readable? (the facade checks the size before reading it)
            pass
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    with ClientFactory.from_args(args, environ).connect(vendor) as client:
        if Operation.UPLOAD_RECEIPT not in client.capabilities:
            raise UnsupportedOperation(vendor, Operation.UPLOAD_RECEIPT)
        result = client.upload_receipt(
            path,
            expense_id=args.expense_id,
            filename=args.filename or path.name,
            content_type=args.content_type,
        )
    target = f"onto expense {result.expense_id}" if result.expense_id else "for matching"
    print(
        f"uploaded receipt {result.receipt_id} {target} ({result.filename}, "
        f"{result.content_type}, {result.size:,} bytes)"
    )
    return EXIT_OK


def cmd_post_transaction(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Post card transactions from a JSON file, each validated before any is sent."""
    (vendor,) = parse_vendors([args.vendor])
    transactions = load_card_transactions(Path(args.file))
    ids = [tx.transaction_id for tx in transactions]
    if len(set(ids)) != len(ids):
        raise UsageError(f"{args.file}: a transaction_id appears twice")
    with ClientFactory.from_args(args, environ).connect(vendor) as client:
        if Operation.POST_CARD_TRANSACTION not in client.capabilities:
            raise UnsupportedOperation(vendor, Operation.POST_CARD_TRANSACTION)
        for tx in transactions:
            result = client.post_card_transaction(tx)
            state = "already posted (duplicate)" if result.duplicate else "posted"
            vendor_id = f", {vendor} id {result.vendor_id}" if result.vendor_id else ""
            print(f"{state}: {result.transaction_id}{vendor_id}")
    return EXIT_OK


# -- sandbox serve ----------------------------------------------------------------------------


def cmd_sandbox_serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Serve the sandbox on loopback and print how to point the command at it."""
    import threading

    from expense_facade.sandbox import Sandbox

    if args.size < 1:
        raise UsageError("--size must be at least 1")
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be within 0..65535")
    sandbox = Sandbox(seed=args.seed, size=args.size)
    try:
        serving = sandbox.serve(port=args.port, host=args.host)
        server = serving.__enter__()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    try:
        print(f"# expense-facade sandbox on {server.url} (seed {args.seed}, size {args.size})")
        print("# Sandbox credentials (not secrets); paste into a shell to use it:")
        for vendor in sandbox.vendors:
            print(f"export {base_url_env(vendor)}={server.base_url(vendor)}")
            for name, value in sandbox.credentials(vendor).items():
                env = credential_env(vendor).get(name)
                if env:
                    print(f"export {env}={value}")
        print("# Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        serving.__exit__(None, None, None)
    return EXIT_OK
