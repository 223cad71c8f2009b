"""The commands other than ``export``: vendors, get, mark-exported, upload-receipt,
post-transaction, sandbox serve (docs/command.md).
"""

from __future__ import annotations

import argparse
import io
import json
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from expense_facade.cli.credentials import (
    VENDORS,
    ClientFactory,
    base_url_env,
    credential_env,
    parse_vendor,
    parse_vendors,
)
from expense_facade.cli.exits import EXIT_OK, EXIT_PARTIAL, UsageError, one_line
from expense_facade.cli.signals import Terminated
from expense_facade.cli.transactions import TransactionFileError, read_card_transactions
from expense_facade.errors import (
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ExpenseFacadeError,
    UnsupportedOperation,
    ValidationError,
)
from expense_facade.input_files import read_regular
from expense_facade.operations import ALL_OPERATIONS, Operation
from expense_facade.registry import adapter_class

if TYPE_CHECKING:
    pass

# -- vendors, get, mark-exported ----------------------------------------------------------------

MAX_ID_FILE_BYTES = 8 * 1024 * 1024
"""Largest ``mark-exported --file`` read (ids are a few dozen bytes a line)."""
MAX_IDS = 100_000
"""Most ids one ``mark-exported`` takes."""


def cmd_vendors(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Print a table of vendors and the operations each supports natively."""
    header = ["vendor", *(op.value for op in ALL_OPERATIONS), "credentials"]
    rows: list[list[str]] = []
    for vendor in VENDORS:
        try:
            adapter = adapter_class(vendor)
            caps: frozenset[Operation] | None = adapter.capabilities
            ways = adapter.credential_alternatives
        except ConfigurationError:
            caps, ways = None, ()
        marks = ["?" if caps is None else ("yes" if op in caps else "-") for op in ALL_OPERATIONS]
        names = credential_env(vendor)
        env = ", ".join(credential_env(vendor, required_only=True).values()) or " or ".join(
            " + ".join(names[n] for n in way) for way in ways
        )
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
    vendor = parse_vendor(args.vendor, "get")
    with ClientFactory.from_args(args, environ).connect(vendor) as client:
        expense = client.get_expense(args.expense_id)
    print(json.dumps(expense.to_dict(include_raw=args.include_raw), indent=2, ensure_ascii=False))
    return EXIT_OK


def _read_ids(args: argparse.Namespace) -> list[str]:
    ids = [i.strip() for i in args.ids if i.strip()]
    if args.file:
        what = "the id file"
        if args.file == "-":
            raw = sys.stdin.buffer.read(MAX_ID_FILE_BYTES + 1)  # a pipe: read with the bound
            if len(raw) > MAX_ID_FILE_BYTES:
                raise UsageError(f"standard input holds more than {MAX_ID_FILE_BYTES:,} bytes")
        else:
            raw = read_regular(args.file, what, MAX_ID_FILE_BYTES, UsageError)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"{args.file} is not UTF-8 text") from None
        for line in io.StringIO(text):
            line = line.strip()
            if line and not line.startswith("#"):
                ids.append(line)
                if len(ids) > MAX_IDS:
                    raise UsageError(f"{args.file} holds more than {MAX_IDS:,} ids")
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise UsageError("no expense ids given (as arguments or with --file)")
    return ids


def cmd_mark_exported(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Mark the given ids exported at the vendor; one line per id."""
    vendor = parse_vendor(args.vendor, "mark-exported")
    ids = _read_ids(args)
    with ClientFactory.from_args(args, environ).connect(vendor) as client:
        if Operation.MARK_EXPORTED not in client.capabilities:
            raise UnsupportedOperation(vendor, Operation.MARK_EXPORTED)
        try:
            result = client.mark_exported(ids)
        except ExpenseFacadeError:
            # The vendor call failed as a whole (nothing is known to be marked): each id
            # is reported, then the error is the command's one line (exit 2).
            for expense_id in ids:
                print(f"failed  {expense_id}: not marked (the vendor call failed)")
            raise
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
    vendor = parse_vendor(args.vendor, "upload-receipt")
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
    """Post card transactions from a JSON file: every one is checked, and every problem
    reported, before any is sent; then each is posted and reported (posted, duplicate,
    refused with the vendor's message). Exit 1 if the vendor refused any."""
    vendor = parse_vendor(args.vendor, "post-transaction")
    path = Path(args.file)
    found, problems, count = read_card_transactions(path)
    with ClientFactory.from_args(args, environ).connect(vendor) as client:
        if Operation.POST_CARD_TRANSACTION not in client.capabilities:
            raise UnsupportedOperation(vendor, Operation.POST_CARD_TRANSACTION)
        for place, tx in found:  # the rules a transaction must pass; nothing is sent
            problems.extend(f"{place}: {exc}" for exc in client.card_transaction_problems(tx))
        if problems:
            if len(problems) > 1:
                for problem in problems:
                    print(f"invalid: {problem}", file=sys.stderr)
            raise TransactionFileError(path, problems, count)
        tally = {"posted": 0, "duplicate": 0, "refused": 0}
        for n, (_, tx) in enumerate(found):
            try:
                result = client.post_card_transaction(tx)
            except ITEM_REFUSALS as exc:  # this transaction only: go on with the others
                tally["refused"] += 1
                print(f"refused: {tx.transaction_id}: {one_line(exc)}")
                continue
            except ExpenseFacadeError:
                # Not about this transaction (credentials, the network, the vendor down):
                # the others would fail alike. Say what was not sent, then fail as a whole.
                for _, rest in found[n:]:
                    print(f"not sent: {rest.transaction_id}")
                print(_post_tally(tally, not_sent=len(found) - n), file=sys.stderr)
                raise
            if result.duplicate:
                tally["duplicate"] += 1
                print(f"already posted (duplicate): {result.transaction_id}")
            else:
                tally["posted"] += 1
                vendor_id = f", {vendor} id {result.vendor_id}" if result.vendor_id else ""
                print(f"posted: {result.transaction_id}{vendor_id}")
    print(_post_tally(tally), file=sys.stderr)
    return EXIT_PARTIAL if tally["refused"] else EXIT_OK


ITEM_REFUSALS = (BadRequestError, ConflictError, ValidationError)
"""Errors that refuse one transaction (its content), not the whole batch."""


def _post_tally(tally: Mapping[str, int], *, not_sent: int = 0) -> str:
    parts = [
        f"{tally['posted']} posted",
        f"{tally['duplicate']} already posted",
        f"{tally['refused']} refused",
    ]
    if not_sent:
        parts.append(f"{not_sent} not sent")
    return ", ".join(parts) + "."


# -- sandbox serve ----------------------------------------------------------------------------


def cmd_sandbox_serve(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Serve the sandbox on loopback and print how to point the command at it."""
    import threading

    from expense_facade.sandbox import Sandbox

    if args.size < 1:
        raise UsageError("--size must be at least 1")
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be within 0..65535")
    try:
        sandbox = Sandbox(seed=args.seed, size=args.size, auth=args.auth)
    except ValueError as exc:  # the sandbox knows its auth modes
        raise UsageError(f"--auth: {exc}") from None
    if args.rate_limits:
        sandbox.enable_rate_limits()
    try:
        serving = sandbox.serve(port=args.port, host=args.host)
        server = serving.__enter__()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    try:
        print(f"# expense-facade sandbox on {server.url} (seed {args.seed}, size {args.size})")
        print("# Sandbox credentials (not secrets); paste into a shell to use it:")
        for vendor in sandbox.vendors:
            print(f"export {base_url_env(vendor)}={shlex.quote(server.base_url(vendor))}")
            for name, value in sandbox.credentials(vendor).items():
                env = credential_env(vendor).get(name)
                if env:
                    # Quoted for the shell: a refresh setting may be a PEM key of many lines.
                    print(f"export {env}={shlex.quote(value)}")
        print("# Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except (KeyboardInterrupt, Terminated):
        # A server stopped on request (Ctrl-C, or SIGTERM from a supervisor) has no run to
        # go on with: not the export's "the next run goes on" line.
        print("expense-facade: sandbox stopped", file=sys.stderr)
    finally:
        serving.__exit__(None, None, None)
    return EXIT_OK
