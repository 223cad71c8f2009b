"""The ``expense-facade`` command.

Commands::

    expense-facade export --vendor V [--vendor V2 ... | --vendor all] [--sandbox]
                          [--since T] [--format jsonl|csv] [--csv-lines] [--out PATH|-]
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

The environment wins over the file. Credentials are never printed. ``--sandbox`` uses the
in-process simulator instead (same seed every run, so runs see the same data; the export
ledger is what makes a second run export nothing new).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tomllib
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from expense_facade.connect import connect
from expense_facade.errors import (
    APIError,
    ConfigurationError,
    ExpenseFacadeError,
    UnsupportedOperation,
)
from expense_facade.export.ledger import Ledger, LedgerError, default_ledger_path
from expense_facade.export.pipeline import (
    ExportOptions,
    ExportSummary,
    export_vendor,
    recover_intents,
)
from expense_facade.export.progress import ProgressDisplay, format_elapsed
from expense_facade.export.sinks import (
    STDOUT,
    RecordFormat,
    Sink,
    SinkError,
    format_by_name,
    is_directory_target,
    open_sink,
)
from expense_facade.export.sinks.serialize import dumps, expense_to_dict, jsonable
from expense_facade.operations import ALL_OPERATIONS, Operation
from expense_facade.records import CardTransaction, Money
from expense_facade.registry import adapter_class, available_vendors

if TYPE_CHECKING:
    from expense_facade.client import ExpenseClient
    from expense_facade.sandbox import Sandbox

PROG = "expense-facade"

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_FATAL = 2
EXIT_INTERRUPTED = 130

# Exports fan out (ProSpend claims, Pazy details) with this many requests in flight: the
# vendors' latency, not their rate limits, is what one-at-a-time would be bound by.
EXPORT_CONCURRENCY = 8
MAX_CONCURRENCY = 32

VENDORS: tuple[str, ...] = ("capture", "brex", "revolut", "prospend", "pazy")

CREDENTIAL_ENV: Mapping[str, Mapping[str, str]] = {
    "capture": {"api_key": "EXPENSE_FACADE_CAPTURE_API_KEY"},
    "brex": {"token": "EXPENSE_FACADE_BREX_TOKEN"},
    "revolut": {"token": "EXPENSE_FACADE_REVOLUT_TOKEN"},
    "prospend": {
        "token": "EXPENSE_FACADE_PROSPEND_TOKEN",
        "company_id": "EXPENSE_FACADE_PROSPEND_COMPANY_ID",
    },
    "pazy": {"api_key": "EXPENSE_FACADE_PAZY_API_KEY"},
}
"""Vendor -> connect() keyword -> the environment variable that supplies it."""

CONFIG_ENV = "EXPENSE_FACADE_CONFIG"
MAX_LISTED_PROBLEMS = 20
"""Failed/malformed records listed one per line after the summary; the rest are counted."""


class UsageError(Exception):
    """Bad input from the command line: one line on stderr, exit 2, nothing done."""


def base_url_env(vendor: str) -> str:
    """``EXPENSE_FACADE_<VENDOR>_BASE_URL``."""
    return f"EXPENSE_FACADE_{vendor.upper()}_BASE_URL"


# -- argument parsing -------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (usage stays available through --help)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _vendor_options(parser: argparse.ArgumentParser, *, many: bool = False) -> None:
    if many:
        parser.add_argument(
            "--vendor",
            action="append",
            required=True,
            metavar="V",
            help=f"vendor to use ({', '.join(VENDORS)}, or 'all'); repeat for several",
        )
    else:
        parser.add_argument(
            "--vendor", required=True, metavar="V", help=f"one of {', '.join(VENDORS)}"
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
        "--config",
        metavar="PATH",
        help=f"TOML config file with credentials (default: {default_config_path()})",
    )
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="per-request timeout")
    parser.add_argument("--max-retries", type=int, metavar="N", help="retries per request")
    parser.add_argument(
        "--no-rate-limit",
        action="store_true",
        help="do not pace requests to the vendor's published rate limit (e.g. for a sandbox "
        "served on loopback); the vendor's own 429 answers are still honoured",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``expense-facade`` command."""
    parser = _Parser(
        prog=PROG,
        description="Read approved expenses from expense platforms and write back to them.",
        epilog="Exit codes: 0 success, 1 partial failure, 2 fatal error, 130 interrupted.",
    )
    from expense_facade.version import __version__

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
        help="only expenses updated since T (ISO 8601 date or datetime; no offset = UTC)",
    )
    export.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        help="output format (default: csv for an --out ending in .csv, else jsonl)",
    )
    export.add_argument(
        "--csv-lines", action="store_true", help="CSV with one row per line item or split"
    )
    export.add_argument(
        "--out",
        default=STDOUT,
        metavar="PATH",
        help="file to append to, a folder (one file per vendor), or - for stdout (default)",
    )
    export.add_argument(
        "--mark-exported",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="mark exported at the vendor where it can (default: yes)",
    )
    export.add_argument(
        "--ledger", metavar="PATH", help="export ledger file (default: in the user data folder)"
    )
    export.add_argument(
        "--reexport", action="store_true", help="export again what the ledger says was exported"
    )
    export.add_argument(
        "--include-raw", action="store_true", help="JSON Lines: add the vendor's raw payload"
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
        help="pages fetched ahead while the current one is written (default 1; 0 = none)",
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

    upload = commands.add_parser("upload-receipt", help="upload a receipt file (brex)")
    _vendor_options(upload)
    upload.add_argument("file", metavar="FILE")
    upload.add_argument("--expense-id", metavar="ID", help="attach to this expense")
    upload.add_argument("--filename", help="name to give the receipt (default: FILE's name)")
    upload.add_argument("--content-type", help="MIME type (default: guessed from the name)")
    upload.set_defaults(handler=cmd_upload_receipt)

    post = commands.add_parser(
        "post-transaction",
        help="post card transactions (prospend) from a JSON file",
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
    serve.set_defaults(handler=cmd_sandbox_serve)
    return parser


# -- configuration and clients ----------------------------------------------------------------


def default_config_path() -> Path:
    """``config.toml`` in the user's config folder (XDG, macOS or Windows convention)."""
    if sys.platform == "win32":
        base = os.environ.get("APPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_CONFIG_HOME")
        root = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return root / "expense-facade" / "config.toml"


def load_config(
    explicit: str | None, environ: Mapping[str, str] | None = None
) -> tuple[Path | None, dict[str, Any]]:
    """The config file's path and contents; a missing default file is an empty config."""
    named = explicit or (os.environ if environ is None else environ).get(CONFIG_ENV)
    path = Path(named) if named else default_config_path()
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        if named:
            raise UsageError(f"config file {path} does not exist") from None
        return None, {}
    except OSError as exc:
        raise UsageError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"config file {path} is not valid TOML: {exc}") from None
    return path, data


def parse_vendors(values: Sequence[str]) -> list[str]:
    """The vendor keys named (``all`` = every vendor), in order, without repeats."""
    chosen: list[str] = []
    for value in values:
        for part in value.split(","):
            key = part.strip().lower()
            if key == "all":
                chosen.extend(available_vendors())
            elif key in VENDORS:
                chosen.append(key)
            else:
                raise UsageError(
                    f"unknown vendor {part.strip()!r}; choose from {', '.join(VENDORS)} or all"
                )
    return list(dict.fromkeys(chosen))


def parse_since(text: str | None) -> dt.datetime | None:
    """An ISO 8601 date or datetime; without an offset it is taken as UTC."""
    if text is None:
        return None
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--since {text!r} is not an ISO 8601 date or datetime (e.g. 2026-01-31 or "
            "2026-01-31T09:00:00+01:00)"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


@attrs.define
class ClientFactory:
    """Builds vendor clients from the command line, the environment and the config file."""

    args: argparse.Namespace
    environ: Mapping[str, str]
    config_path: Path | None = None
    config: dict[str, Any] = attrs.field(factory=dict)
    _sandbox: Sandbox | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace, environ: Mapping[str, str]) -> ClientFactory:
        """Read the config file now, so a bad one fails before anything is done."""
        path, data = (None, {}) if args.sandbox else load_config(args.config, environ)
        return cls(args=args, environ=environ, config_path=path, config=data)

    def _sandbox_instance(self) -> Sandbox:
        if self._sandbox is None:
            from expense_facade.sandbox import Sandbox

            if self.args.sandbox_size < 1:
                raise UsageError("--sandbox-size must be at least 1")
            self._sandbox = Sandbox(seed=self.args.sandbox_seed, size=self.args.sandbox_size)
        return self._sandbox

    def settings(self, vendor: str) -> dict[str, Any]:
        """The keyword arguments for ``connect(vendor, ...)``; raises UsageError if incomplete."""
        kwargs: dict[str, Any] = {}
        if self.args.timeout is not None:
            if self.args.timeout <= 0:
                raise UsageError("--timeout must be a positive number of seconds")
            kwargs["timeout"] = self.args.timeout
        if self.args.max_retries is not None:
            if self.args.max_retries < 0:
                raise UsageError("--max-retries must be 0 or more")
            kwargs["max_retries"] = self.args.max_retries
        if self.args.no_rate_limit:
            kwargs["rate_limit"] = False
        if self.args.sandbox:
            kwargs["sandbox"] = self._sandbox_instance()
            return kwargs
        section = self.config.get(vendor, {})
        if not isinstance(section, dict):
            raise UsageError(f"config file {self.config_path}: [{vendor}] must be a table")
        required = _required_credentials(vendor)
        for name, env in CREDENTIAL_ENV[vendor].items():
            value = self.environ.get(env) or section.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if name in required:
                    where = f" (or {name} in [{vendor}] of the config file)"
                    raise UsageError(f"{vendor}: no {name.replace('_', ' ')}; set {env}{where}")
                continue
            kwargs[name] = str(value).strip()
        base_url = self.environ.get(base_url_env(vendor)) or section.get("base_url")
        if base_url:
            kwargs["base_url"] = str(base_url).strip()
        # Other settings the adapter accepts (ProSpend's API "version") may be in the file.
        optional = _optional_credentials(vendor)
        for name, value in section.items():
            if name in kwargs or name == "base_url" or name in CREDENTIAL_ENV[vendor]:
                continue
            if name not in optional:
                known = sorted({*CREDENTIAL_ENV[vendor], *optional, "base_url"})
                raise UsageError(
                    f"config file {self.config_path}: unknown setting {name!r} in [{vendor}] "
                    f"(known: {', '.join(known)})"
                )
            kwargs[name] = str(value).strip()
        return kwargs

    def connect(self, vendor: str) -> ExpenseClient:
        """A connected client (no request is made until it is used)."""
        return connect(vendor, **self.settings(vendor))


def _optional_credentials(vendor: str) -> frozenset[str]:
    try:
        return frozenset(adapter_class(vendor).optional_credentials)
    except ConfigurationError:
        return frozenset()


def _required_credentials(vendor: str) -> frozenset[str]:
    try:
        return frozenset(adapter_class(vendor).required_credentials)
    except ConfigurationError:
        return frozenset(CREDENTIAL_ENV[vendor])


# -- output helpers ---------------------------------------------------------------------------


def _err(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())


# -- export -----------------------------------------------------------------------------------


def _record_format(args: argparse.Namespace) -> RecordFormat:
    fmt = args.format
    if args.csv_lines:
        if fmt == "jsonl":
            raise UsageError("--csv-lines needs --format csv")
        fmt = "csv"
    if fmt is None:
        # An output file named *.csv gets CSV unless --format says otherwise.
        fmt = "csv" if str(args.out).lower().endswith(".csv") else "jsonl"
    if args.include_raw and fmt != "jsonl":
        raise UsageError("--include-raw is for --format jsonl")
    name = "csv-lines" if args.csv_lines else fmt
    return format_by_name(name, include_raw=args.include_raw)


def cmd_export(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Export approved expenses of one or more vendors."""
    vendors = parse_vendors(args.vendor)
    since = parse_since(args.since)
    record_format = _record_format(args)
    if args.page_size is not None and args.page_size < 1:
        raise UsageError("--page-size must be at least 1")
    if not 0 <= args.read_ahead <= 8:
        raise UsageError("--read-ahead must be within 0..8")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        raise UsageError(f"--concurrency must be within 1..{MAX_CONCURRENCY}")
    factory = ClientFactory.from_args(args, environ)
    # Every vendor's settings are checked (credentials, base URL) before anything is opened.
    settings = {vendor: factory.settings(vendor) for vendor in vendors}
    for kwargs in settings.values():
        kwargs["concurrency"] = args.concurrency
        if args.read_ahead:
            kwargs["read_ahead"] = args.read_ahead
    ledger_path = Path(args.ledger) if args.ledger else default_ledger_path(sandbox=args.sandbox)
    options = ExportOptions(
        since=since,
        mark_exported=args.mark_exported,
        reexport=args.reexport,
        page_size=args.page_size,
    )
    display = ProgressDisplay(sys.stderr, enabled=not args.quiet)
    summaries: list[ExportSummary] = []
    with ExitStack() as stack:
        clients: dict[str, ExpenseClient] = {}
        for vendor in vendors:
            clients[vendor] = stack.enter_context(connect(vendor, **settings[vendor]))
        ledger = stack.enter_context(Ledger(ledger_path))
        # Repair what a killed run left behind before any sink is opened (a CSV file cut
        # off inside its header would otherwise look like somebody else's file).
        repaired = recover_intents(ledger)
        shared: Sink | None = None
        per_vendor = is_directory_target(args.out)
        for vendor, client in clients.items():
            if per_vendor:
                sink = stack.enter_context(open_sink(args.out, record_format, vendor=vendor))
            else:
                if shared is None:
                    shared = stack.enter_context(open_sink(args.out, record_format))
                sink = shared
            summary = export_vendor(client, sink, ledger, options, on_progress=display)
            display.finish()
            summaries.append(summary)
    total = ExportSummary(vendors=())
    for summary in summaries:
        total = total.merge(summary)
    total = attrs.evolve(total, repaired=tuple(repaired) + total.repaired)
    if args.rejects and total.malformed:
        write_rejects(Path(args.rejects), total)
    print(render_summary(total, summaries, stdout_sink=args.out == STDOUT), file=sys.stderr)
    if total.errors:
        return EXIT_FATAL
    return EXIT_OK if total.ok else EXIT_PARTIAL


def write_rejects(path: Path, summary: ExportSummary) -> None:
    """Append the malformed records, raw payload included, so none is lost."""
    lines = [
        dumps(
            {
                "vendor": m.vendor,
                "record_id": m.record_id,
                "reason": m.reason,
                "raw": jsonable(m.raw),
            }
        )
        + "\n"
        for m in summary.malformed
    ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.writelines(lines)
    except OSError as exc:
        raise SinkError(f"cannot write the malformed records to {path}: {exc.strerror}") from exc


def render_summary(
    total: ExportSummary, per_vendor: Sequence[ExportSummary], *, stdout_sink: bool = False
) -> str:
    """The paragraph printed at the end of an export, plus one line per problem."""
    parts = [
        f"Exported {total.exported:,} expense{'s' if total.exported != 1 else ''}",
    ]
    if len(per_vendor) > 1:
        parts[0] += " (" + ", ".join(f"{s.vendors[0]} {s.exported:,}" for s in per_vendor) + ")"
    parts[0] += f" in {format_elapsed(total.elapsed)}"
    parts.append(f"{total.skipped:,} skipped as already exported")
    if total.marked:
        parts.append(f"{total.marked:,} marked exported at the vendor")
    if total.recovered:
        parts.append(f"{total.recovered:,} marks completed from an interrupted run")
    truncated = sum(r.truncated_bytes for r in total.repaired)
    if truncated:
        parts.append(f"{truncated:,} bytes of an interrupted batch removed from the output")
    parts.append(f"{len(total.failed):,} failed")
    parts.append(f"{len(total.malformed):,} malformed")
    if total.errors:
        parts.append(f"{len(total.errors)} vendor(s) stopped early")
    lines = ["; ".join(parts) + "."]
    problems: list[str] = []
    problems.extend(f"  error: {e.vendor}: {e.reason}" for e in total.errors)
    problems.extend(f"  failed: {f.vendor} {f.expense_id}: {f.reason}" for f in total.failed)
    problems.extend(
        f"  malformed: {m.vendor} {m.record_id or '(no id)'}: {m.reason}" for m in total.malformed
    )
    problems.extend(f"  note: {r.sink}: {r.note}" for r in total.repaired if r.note)
    lines.extend(problems[:MAX_LISTED_PROBLEMS])
    if len(problems) > MAX_LISTED_PROBLEMS:
        lines.append(f"  ... and {len(problems) - MAX_LISTED_PROBLEMS:,} more")
    if total.failed and not stdout_sink:
        lines.append(
            "  Failed marks are retried by the next export; the records are not written twice."
        )
    return "\n".join(lines)


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
        env = ", ".join(CREDENTIAL_ENV[vendor].values())
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


# -- post-transaction -------------------------------------------------------------------------

_TX_REQUIRED = (
    "transaction_id",
    "transaction_date",
    "posting_date",
    "merchant_name",
    "mcc",
    "amount",
    "cardholder_name",
    "card_suffix",
    "card_program_code",
    "card_program_type",
)
_TX_OPTIONAL = ("transaction_status", "foreign_amount", "card_id", "external_card_id")


def _money(value: Any, where: str) -> Money:
    if not isinstance(value, dict) or set(value) - {"amount", "currency"}:
        raise UsageError(f'{where} must be {{"amount": "...", "currency": "XXX"}}')
    amount, currency = value.get("amount"), value.get("currency")
    if isinstance(amount, bool) or not isinstance(amount, str | int | Decimal):
        raise UsageError(f"{where}.amount must be a decimal number (as a string)")
    try:
        exact = Decimal(str(amount))
    except InvalidOperation:
        raise UsageError(f"{where}.amount {amount!r} is not a number") from None
    if not exact.is_finite():
        raise UsageError(f"{where}.amount {amount!r} is not a finite number")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise UsageError(f"{where}.currency must be a three-letter ISO 4217 code")
    return Money(exact, currency.upper())


def _date(value: Any, where: str) -> dt.date:
    if not isinstance(value, str):
        raise UsageError(f"{where} must be a date string YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{where} {value!r} is not a date YYYY-MM-DD") from None


def parse_card_transaction(data: Any, where: str = "transaction") -> CardTransaction:
    """A ``CardTransaction`` from its JSON object; raises UsageError naming the bad field."""
    if not isinstance(data, dict):
        raise UsageError(f"{where} must be a JSON object")
    unknown = sorted(set(data) - set(_TX_REQUIRED) - set(_TX_OPTIONAL))
    if unknown:
        raise UsageError(f"{where}: unknown field(s) {', '.join(unknown)}")
    missing = [key for key in _TX_REQUIRED if data.get(key) in (None, "")]
    if missing:
        raise UsageError(f"{where}: missing field(s) {', '.join(missing)}")
    text: dict[str, str] = {}
    for key in (*_TX_REQUIRED, *_TX_OPTIONAL):
        if key in ("amount", "foreign_amount", "transaction_date", "posting_date"):
            continue
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise UsageError(f"{where}.{key} must be a string")
        text[key] = str(value)
    foreign = data.get("foreign_amount")
    return CardTransaction(
        transaction_id=text["transaction_id"],
        transaction_date=_date(data["transaction_date"], f"{where}.transaction_date"),
        posting_date=_date(data["posting_date"], f"{where}.posting_date"),
        merchant_name=text["merchant_name"],
        mcc=text["mcc"],
        amount=_money(data["amount"], f"{where}.amount"),
        cardholder_name=text["cardholder_name"],
        card_suffix=text["card_suffix"],
        card_program_code=text["card_program_code"],
        card_program_type=text["card_program_type"],
        transaction_status=text.get("transaction_status", "COMPLETED"),
        foreign_amount=None if foreign is None else _money(foreign, f"{where}.foreign_amount"),
        card_id=text.get("card_id"),
        external_card_id=text.get("external_card_id"),
    )


def load_card_transactions(path: Path) -> list[CardTransaction]:
    """Every transaction in the file (an object or a list), all validated."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
    try:
        # parse_float=Decimal: an amount written as a JSON number stays exact.
        data = json.loads(raw, parse_float=Decimal)
    except ValueError as exc:
        raise UsageError(f"{path} is not valid JSON: {exc}") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise UsageError(f"{path} holds no transactions")
    where = "transaction" if not isinstance(data, list) else "transaction[{}]"
    return [parse_card_transaction(item, where.format(n)) for n, item in enumerate(items)]


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
                env = CREDENTIAL_ENV.get(vendor, {}).get(name)
                if env:
                    print(f"export {env}={value}")
        print("# Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        serving.__exit__(None, None, None)
    return EXIT_OK


# -- entry point ------------------------------------------------------------------------------


Handler = Callable[[argparse.Namespace, Mapping[str, str]], int]


def main(argv: Sequence[str] | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run the command; returns the exit code (the console script exits with it)."""
    env = os.environ if environ is None else environ
    try:
        args = build_parser().parse_args(argv)
        handler: Handler = args.handler
        return handler(args, env)
    except UsageError as exc:
        _err(f"error: {exc}")
        return EXIT_FATAL
    except UnsupportedOperation as exc:
        _err(f"error: {exc} (see '{PROG} vendors')")
        return EXIT_FATAL
    except (LedgerError, SinkError, ConfigurationError) as exc:
        _err(f"error: {_one_line(exc)}")
        return EXIT_FATAL
    except APIError as exc:
        _err(f"error: {_one_line(exc)}")
        return EXIT_FATAL
    except ExpenseFacadeError as exc:
        _err(f"error: {_one_line(exc)}")
        return EXIT_FATAL
    except KeyboardInterrupt:
        _err("interrupted")
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
