"""The argument parser of the command (docs/command.md)."""

from __future__ import annotations

import argparse
import math
from typing import NoReturn

from expense_facade._http.concurrency import DEFAULT_CONCURRENCY, MAX_READ_AHEAD
from expense_facade.cli.commands import (
    cmd_check,
    cmd_get,
    cmd_mark_exported,
    cmd_post_transaction,
    cmd_sandbox_serve,
    cmd_upload_receipt,
    cmd_vendors,
)
from expense_facade.cli.credentials import VENDORS
from expense_facade.cli.debug_log import DEBUG_LOG_ENV
from expense_facade.cli.exits import PROG, UsageError
from expense_facade.cli.export_command import cmd_export, format_duration
from expense_facade.cli.ledger_command import (
    SHOW_LIMIT,
    cmd_ledger_forget,
    cmd_ledger_rebuild,
    cmd_ledger_show,
)
from expense_facade.cli.remedies import NEW_OUTPUT_FLAG
from expense_facade.config import default_config_path
from expense_facade.export.sinks.formats import DEFAULT_FORMAT, FORMATS, format_names
from expense_facade.export.state import DEFAULT_OVERLAP, DEFAULT_RECONCILE_AFTER

# Exports fan out (ProSpend claims, Pazy details) with this many requests in flight: the
# vendors' latency, not their rate limits, is what one-at-a-time would be bound by.
EXPORT_CONCURRENCY = DEFAULT_CONCURRENCY


def finite_number(text: str) -> float:
    """A number of seconds (or other float): NaN and infinities are refused, so a flag can
    never turn a bound off by accident. Every float option of the command uses this."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _debug_log_option(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--debug-log",
        metavar="PATH",
        # On a subcommand, SUPPRESS keeps an unset option from hiding the top-level one.
        default=None if top else argparse.SUPPRESS,
        help=f"append debug logs and tracebacks to PATH (also ${DEBUG_LOG_ENV})",
    )


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (usage stays available through --help)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _vendor_options(
    parser: argparse.ArgumentParser, *, many: bool = False, required: bool = True
) -> None:
    if many:
        parser.add_argument(
            "--vendor",
            action="append",
            required=required,
            metavar="V",
            help=f"vendor to use ({', '.join(VENDORS)}, or 'all'); repeat for several",
        )
    else:
        parser.add_argument(
            "--vendor", required=True, metavar="V", help=f"one of {', '.join(VENDORS)}"
        )
    parser.add_argument(
        "--account",
        metavar="NAME",
        help="only the account of that name in the config file ([vendor.NAME])",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="use the in-process sandbox instead of the vendor (no credentials needed)",
    )
    parser.add_argument(
        "--sandbox-seed", type=int, default=1, metavar="S", help="sandbox data seed (default 1)"
    )
    parser.add_argument(
        "--sandbox-size",
        type=int,
        default=500,
        metavar="N",
        help="sandbox expenses per vendor (default 500)",
    )
    parser.add_argument(
        "--sandbox-auth",
        default="token",
        metavar="MODE",
        help="sandbox credentials: token (static tokens, the default) or refresh (the refresh "
        "flow where a vendor has one: revolut's signed refresh, 40-minute tokens)",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help=f"TOML config file with credentials (default: {default_config_path()})",
    )
    parser.add_argument(
        "--timeout", type=finite_number, metavar="SECONDS", help="per-request timeout"
    )
    parser.add_argument("--max-retries", type=int, metavar="N", help="retries per request")
    parser.add_argument(
        "--no-rate-limit",
        action="store_true",
        help="do not pace requests to the vendor's published rate limit (e.g. for a sandbox "
        "served on loopback); the vendor's own 429 answers are still honoured",
    )


def _by_suffix() -> str:
    """``csv for an --out ending in .csv``, for each format a suffix chooses."""
    return ", ".join(
        f"{name} for an --out ending in {entry.suffix}"
        for name, entry in FORMATS.items()
        if entry.suffix
    )


def _ledger_path_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ledger",
        metavar="PATH",
        help="export ledger: a file, or postgresql://... (default: a file in the user data "
        "folder; docs/scale.md)",
    )


def _ledger_option(parser: argparse.ArgumentParser) -> None:
    """``--ledger``, and ``--sandbox`` choosing the sandbox exports' default ledger (the
    ledger commands; ``export`` has a ``--sandbox`` of its own)."""
    _ledger_path_option(parser)
    parser.add_argument(
        "--sandbox", action="store_true", help="the default ledger of --sandbox exports"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``expense-facade`` command."""
    parser = _Parser(
        prog=PROG,
        description="Read approved expenses from expense platforms and write back to them.",
        epilog=(
            "Exit codes: 0 success, 1 partial failure, 2 fatal error, 70 internal error, "
            "130 interrupted, 143 terminated (docs/command.md)."
        ),
    )
    from expense_facade.version import __version__

    _debug_log_option(parser, top=True)

    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    export = commands.add_parser(
        "export",
        help="export approved expenses to a file or stdout, once each",
        description=(
            "Export approved expenses, each exactly once: records already in the export "
            "ledger are skipped, new ones are written to the sink durably and then marked "
            "exported (at the vendor where it can, and in the ledger)."
        ),
        epilog="Exit codes: 0 success, 1 some records failed or were malformed, 2 fatal.",
    )
    _vendor_options(export, many=True)
    export.add_argument(
        "--since",
        metavar="T",
        help="only expenses updated since T (ISO 8601 date or datetime; no offset = UTC); "
        "overrides the recorded position",
    )
    export.add_argument(
        "--full",
        action="store_true",
        help="list every approved expense, ignoring the recorded position (brex, prospend); "
        "what is exported is still skipped",
    )
    export.add_argument(
        "--overlap",
        metavar="D",
        help="how far before the recorded position a run starts listing (e.g. 90s, 5m; "
        f"default {format_duration(DEFAULT_OVERLAP)}, or overlap in the config's [export])",
    )
    export.add_argument(
        "--reconcile-after",
        metavar="D",
        help="list in full when the last full listing is older than D (e.g. 12h, 7d; "
        f"default {format_duration(DEFAULT_RECONCILE_AFTER)}, or reconcile_after in [export])",
    )
    export.add_argument(
        "--format",
        choices=format_names(),
        help=f"output format (default: {_by_suffix()}, else {DEFAULT_FORMAT})",
    )
    export.add_argument(
        "--csv-lines", action="store_true", help="CSV with one row per line item or split"
    )
    export.add_argument(
        "--out",
        metavar="PATH",
        help="file to append to, a folder (one file per vendor), - for stdout, or a "
        "PostgreSQL table, postgresql://...#schema.table (docs/scale.md); default: out in "
        "[export] of the config file, else stdout",
    )
    export.add_argument(
        "--mark-exported",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="mark exported at the vendor where it can (default: yes)",
    )
    _ledger_path_option(export)
    export.add_argument(
        "--wait-for-account",
        action="store_true",
        help="PostgreSQL ledger: wait for an account another process is exporting, instead "
        "of skipping it",
    )
    export.add_argument(
        "--reexport", action="store_true", help="export again what the ledger says was exported"
    )
    export.add_argument(
        NEW_OUTPUT_FLAG,
        action="store_true",
        help="accept an output file the ledger does not recognise (deleted, truncated, "
        "replaced) as it is now and go on there (docs/command.md, 'Ledger and output')",
    )
    export.add_argument(
        "--include-raw", action="store_true", help="JSON Lines: add the vendor's raw payload"
    )
    export.add_argument(
        "--receipts",
        metavar="DIR",
        help="download each exported expense's receipt files into DIR, once, named by their "
        "SHA-256 (or receipts in the config's [export]; docs/export.md, 'Receipts')",
    )
    export.add_argument(
        "--rejects",
        metavar="PATH",
        help="append malformed records (vendor, id, reason, raw payload) to PATH as JSON Lines",
    )
    export.add_argument("--page-size", type=int, metavar="N", help="records per vendor page")
    export.add_argument(
        "--read-ahead",
        type=int,
        default=1,
        metavar="N",
        help=(
            "pages fetched ahead while the current one is written"
            f" (default 1; 0 = none; at most {MAX_READ_AHEAD})"
        ),
    )
    export.add_argument(
        "--concurrency",
        type=int,
        default=EXPORT_CONCURRENCY,
        metavar="N",
        help=(
            "requests in flight where a vendor needs one per claim or expense (ProSpend"
            " claims, Pazy details); output order is kept"
            f" (default {EXPORT_CONCURRENCY}; 1 = one at a time)"
        ),
    )
    export.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    export.set_defaults(handler=cmd_export)

    check = commands.add_parser(
        "check",
        help="check the credentials of every configured account (one cheap request each)",
        description=(
            "One cheap authenticated request per configured account (a list request for "
            "one record); one line each: ok, or the typed error."
        ),
        epilog="Exit codes: 0 every account ok, 1 some failed, 2 fatal (bad config).",
    )
    _vendor_options(check, many=True, required=False)
    check.set_defaults(handler=cmd_check)

    vendors = commands.add_parser("vendors", help="list vendors and the operations they support")
    vendors.set_defaults(handler=cmd_vendors)

    get = commands.add_parser("get", help="print one expense as JSON")
    _vendor_options(get)
    get.add_argument("expense_id", metavar="ID")
    get.add_argument("--include-raw", action="store_true", help="add the vendor's raw payload")
    get.set_defaults(handler=cmd_get)

    mark = commands.add_parser("mark-exported", help="mark expenses exported at the vendor")
    _vendor_options(mark)
    mark.add_argument("ids", nargs="*", metavar="ID")
    mark.add_argument("--file", metavar="F", help="read ids from F, one per line ('-' for stdin)")
    mark.set_defaults(handler=cmd_mark_exported)

    upload = commands.add_parser(
        "upload-receipt", help="upload a receipt file (where the vendor supports it)"
    )
    _vendor_options(upload)
    upload.add_argument("file", metavar="FILE")
    upload.add_argument("--expense-id", metavar="ID", help="attach to this expense")
    upload.add_argument("--filename", help="name to give the receipt (default: FILE's name)")
    upload.add_argument("--content-type", help="MIME type (default: guessed from the name)")
    upload.set_defaults(handler=cmd_upload_receipt)

    post = commands.add_parser(
        "post-transaction",
        help="post card transactions from a JSON file (where the vendor supports it)",
        description=(
            "Post one card transaction (a JSON object) or several (a JSON list). Every "
            "transaction is validated before any is sent. Keys: transaction_id, "
            "transaction_date, posting_date (YYYY-MM-DD), merchant_name, mcc, amount "
            '({"amount": "-12.50", "currency": "AUD"}), cardholder_name, card_suffix, '
            "card_program_code, card_program_type; optional: transaction_status, "
            "foreign_amount, card_id, external_card_id."
        ),
    )
    _vendor_options(post)
    post.add_argument("file", metavar="FILE.json")
    post.set_defaults(handler=cmd_post_transaction)

    sandbox = commands.add_parser("sandbox", help="the local simulator of the vendor APIs")
    sandbox_commands = sandbox.add_subparsers(
        dest="sandbox_command", metavar="COMMAND", parser_class=_Parser
    )
    sandbox_commands.required = True
    serve = sandbox_commands.add_parser("serve", help="serve the sandbox on loopback")
    serve.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    serve.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--size", type=int, default=500, help="expenses per vendor")
    serve.add_argument(
        "--auth",
        default="token",
        metavar="MODE",
        help="credentials to hand out, as --sandbox-auth: token (the default) or refresh",
    )
    serve.add_argument(
        "--rate-limits", action="store_true", help="enforce the vendors' published rate limits"
    )
    serve.set_defaults(handler=cmd_sandbox_serve)

    ledger = commands.add_parser("ledger", help="the export ledger")
    ledger_commands = ledger.add_subparsers(
        dest="ledger_command", metavar="COMMAND", parser_class=_Parser
    )
    ledger_commands.required = True
    rebuild = ledger_commands.add_parser(
        "rebuild",
        help="restore the ledger from output files",
        description=(
            "Record every expense in the output file(s) as exported, and bind the ledger "
            "to them, so the next export writes only what is new. Marks at the vendor are "
            "completed by the next export. See docs/command.md, 'Ledger and output'."
        ),
    )
    rebuild.add_argument(
        "--from",
        dest="sources",
        action="append",
        required=True,
        metavar="OUTPUT",
        help="an output file (JSON Lines or CSV); repeat for several",
    )
    rebuild.add_argument(
        "--format",
        choices=format_names(),
        help="the files' format (default: the format each file's first line shows)",
    )
    _ledger_option(rebuild)
    rebuild.set_defaults(handler=cmd_ledger_rebuild)
    show = ledger_commands.add_parser(
        "show",
        help="print what the ledger holds: records per account, positions, outputs",
        description=(
            "Print the ledger's records per vendor account (exported, awaiting the vendor's "
            "mark, last written), each account's position and last runs, and the output "
            "files it is bound to; at most --limit rows of each, then a count of the rest."
        ),
    )
    _ledger_option(show)
    show.add_argument("--vendor", metavar="V", help="only this vendor's records and positions")
    show.add_argument(
        "--limit",
        type=int,
        default=SHOW_LIMIT,
        metavar="N",
        help=f"rows shown per table (default {SHOW_LIMIT}); the rest are counted",
    )
    show.set_defaults(handler=cmd_ledger_show)
    forget = ledger_commands.add_parser(
        "forget",
        help="forget an account's records (or some record ids), so they are exported again",
        description=(
            "Remove records from the ledger, and the account's position, so that the next "
            "export lists and writes them again: an account's (--account), some ids of a "
            "vendor (ID...), or, with neither, every record of the vendor. Asks for a "
            "confirmation unless --yes; without a terminal and without --yes it refuses."
        ),
        epilog="Exit codes: 0 forgotten (or declined at the prompt), 2 refused or fatal.",
    )
    _ledger_option(forget)
    forget.add_argument("--vendor", required=True, metavar="V", help=f"one of {', '.join(VENDORS)}")
    forget.add_argument("--account", metavar="NAME", help="only this account's records")
    forget.add_argument("ids", nargs="*", metavar="ID", help="only these record ids")
    forget.add_argument("--yes", action="store_true", help="do not ask for a confirmation")
    forget.set_defaults(handler=cmd_ledger_forget)
    for sub in (*commands.choices.values(), serve, rebuild, show, forget):
        _debug_log_option(sub, top=False)
    _add_verbose(parser)
    return parser


def _add_verbose(parser: argparse.ArgumentParser) -> None:
    """``-v``/``--verbose`` on ``parser`` and every subcommand under it, so it may come
    before or after the subcommand (absent stays absent: ``verbosity`` reads it)."""
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="show what the library does: -v for info (each request), -vv for debug",
    )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                _add_verbose(sub)


def verbosity(args: argparse.Namespace) -> int:
    """How many ``-v`` were given (0 when none)."""
    return int(getattr(args, "verbose", 0))
