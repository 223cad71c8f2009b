"""``expense-facade export``: approved expenses to a sink, once each (docs/command.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from expense_facade._http.concurrency import MAX_CONCURRENCY, MAX_READ_AHEAD
from expense_facade._wording import counted
from expense_facade.cli.console_log import messages_through
from expense_facade.cli.credentials import ClientFactory, parse_vendors
from expense_facade.cli.exits import EXIT_FATAL, EXIT_OK, EXIT_PARTIAL, UsageError, err
from expense_facade.export.ledger import default_ledger_path
from expense_facade.export.pipeline import (
    ExportFailure,
    ExportOptions,
    ExportSummary,
)
from expense_facade.export.postgres.connection import is_postgres_url
from expense_facade.export.progress import ProgressDisplay, format_elapsed
from expense_facade.export.rejects import rejects_path_for, write_rejects
from expense_facade.export.run import OpenClient, export_approved
from expense_facade.export.sinks import (
    FORMATS,
    STDOUT,
    RecordFormat,
    record_format_for,
)
from expense_facade.export.state import DEFAULT_OVERLAP, DEFAULT_RECONCILE_AFTER
from expense_facade.mapping.timeparse import since_from_text

EXPORT_SETTINGS = ("overlap", "reconcile_after", "ledger", "out", "receipts")
"""The keys of the config file's ``[export]`` table (the command's flags of the same
names win over them; ``expense_facade.jobs`` reads them too)."""

MAX_LISTED_PROBLEMS = 20
"""Failed/malformed records listed one per line after the summary; the rest are counted."""


def parse_since(text: str | None) -> dt.datetime | None:
    """An ISO 8601 date or datetime; without an offset it is taken as UTC."""
    if text is None:
        return None
    try:
        return since_from_text(text)  # what list_approved(since="...") reads, too
    except ValueError:
        raise UsageError(
            f"--since {text!r} is not an ISO 8601 date or datetime (e.g. 2026-01-31 or "
            "2026-01-31T09:00:00+01:00)"
        ) from None


_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
_MAX_DURATION_S = 10 * 365 * 86_400


def parse_duration(text: object, what: str) -> dt.timedelta:
    """``"90s"``, ``"5m"``, ``"2h"``, ``"7d"`` (a bare number is seconds)."""
    raw = str(text).strip().lower()
    unit = raw[-1:] if raw[-1:] in _DURATION_UNITS else "s"
    number = raw[:-1] if raw[-1:] in _DURATION_UNITS else raw
    try:
        seconds = float(number) * _DURATION_UNITS[unit]
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= _MAX_DURATION_S:  # also refuses NaN
        raise UsageError(f"{what} {text!r} is not a duration such as 90s, 5m, 2h or 7d")
    return dt.timedelta(seconds=seconds)


def format_duration(value: dt.timedelta) -> str:
    """The shortest of ``"7d"``, ``"5m"``... that says ``value`` exactly."""
    seconds = int(value.total_seconds())
    for unit in ("d", "h", "m"):
        if seconds and seconds % _DURATION_UNITS[unit] == 0:
            return f"{seconds // _DURATION_UNITS[unit]}{unit}"
    return f"{seconds}s"


def export_durations(
    args: argparse.Namespace, config: Mapping[str, Any], config_path: Path | None
) -> tuple[dt.timedelta, dt.timedelta]:
    """``(overlap, reconcile_after)``: the flags, else the config's ``[export]`` table,
    else the defaults."""
    table = config.get("export", {})
    if not isinstance(table, dict):
        raise UsageError(f"config file {config_path}: [export] must be a table")
    unknown = sorted(set(table) - set(EXPORT_SETTINGS))
    if unknown:
        raise UsageError(
            f"config file {config_path}: unknown setting {unknown[0]!r} in [export] "
            f"(known: {', '.join(EXPORT_SETTINGS)})"
        )
    overlap = args.overlap if args.overlap is not None else table.get("overlap")
    age = args.reconcile_after if args.reconcile_after is not None else table.get("reconcile_after")
    resolved_overlap = DEFAULT_OVERLAP if overlap is None else parse_duration(overlap, "overlap")
    resolved_age = (
        DEFAULT_RECONCILE_AFTER if age is None else parse_duration(age, "reconcile-after")
    )
    if resolved_age <= dt.timedelta(0):
        raise UsageError("reconcile-after must be longer than 0")
    return resolved_overlap, resolved_age


def ledger_target(args: argparse.Namespace, config: Mapping[str, Any]) -> str | Path:
    """``--ledger``, else the config's ``[export] ledger`` (a file or a ``postgresql://``
    URL, docs/scale.md), else the default file."""
    table = config.get("export", {})
    configured = table.get("ledger") if isinstance(table, dict) else None
    given = args.ledger or (configured if isinstance(configured, str) else None)
    if given:
        return given if is_postgres_url(given) else Path(given)
    return default_ledger_path(sandbox=args.sandbox)


def _configured_text(
    config: Mapping[str, Any], key: str, config_path: Path | None, what: str
) -> str | None:
    """The config's ``[export] <key>`` (None when absent); ``what`` names what it must be."""
    table = config.get("export", {})
    configured = table.get(key) if isinstance(table, dict) else None
    if configured is not None and (not isinstance(configured, str) or not configured.strip()):
        raise UsageError(f"config file {config_path}: {key} in [export] must be {what}")
    return configured


def output_target(
    args: argparse.Namespace, config: Mapping[str, Any], config_path: Path | None
) -> str:
    """``--out``, else the config's ``[export] out`` (a file, a folder or a
    ``postgresql://…#schema.table``), else standard output."""
    if args.out is not None:
        return str(args.out)
    configured = _configured_text(config, "out", config_path, "a path or a URL")
    return STDOUT if configured is None else configured


def receipts_folder(
    args: argparse.Namespace, config: Mapping[str, Any], config_path: Path | None
) -> str | None:
    """``--receipts``, else the config's ``[export] receipts``, else None (no receipt
    files)."""
    if args.receipts:
        return str(args.receipts)
    return _configured_text(config, "receipts", config_path, "a folder's path")


def _record_format(args: argparse.Namespace) -> RecordFormat:
    name = args.format
    if args.csv_lines:  # --format csv --csv-lines is --format csv-lines
        if name not in (None, "csv", "csv-lines"):
            raise UsageError("--csv-lines needs --format csv")
        name = "csv-lines"
    # An output file named *.csv gets CSV unless --format says otherwise (FORMATS' suffixes).
    chosen = record_format_for(args.out, name).name
    if args.include_raw and not FORMATS[chosen].takes_raw:
        takers = " or ".join(f"--format {n}" for n, e in FORMATS.items() if e.takes_raw)
        raise UsageError(f"--include-raw is for {takers}")
    return record_format_for(args.out, chosen, include_raw=args.include_raw)


def cmd_export(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """Export approved expenses of one or more vendors."""
    vendors = parse_vendors(args.vendor)
    since = parse_since(args.since)
    factory = ClientFactory.from_args(args, environ)
    args.out = output_target(args, factory.config.data, factory.config.path)
    record_format = _record_format(args)
    if args.page_size is not None and args.page_size < 1:
        raise UsageError("--page-size must be at least 1")
    if not 0 <= args.read_ahead <= MAX_READ_AHEAD:
        raise UsageError(f"--read-ahead must be within 0..{MAX_READ_AHEAD}")
    if not 1 <= args.concurrency <= MAX_CONCURRENCY:
        raise UsageError(f"--concurrency must be within 1..{MAX_CONCURRENCY}")
    if since is not None and args.full:
        raise UsageError("--since and --full contradict each other: give one")
    overlap, reconcile_after = export_durations(args, factory.config.data, factory.config.path)
    accounts = factory.accounts(vendors)
    # Every account's settings are checked (credentials, base URL) before anything is opened.
    settings = {account.label: factory.settings(account) for account in accounts}
    for kwargs in settings.values():
        kwargs["concurrency"] = args.concurrency
        if args.read_ahead:
            kwargs["read_ahead"] = args.read_ahead
    ledger_path = ledger_target(args, factory.config.data)
    options = ExportOptions(
        since=since,
        mark_exported=args.mark_exported,
        reexport=args.reexport,
        page_size=args.page_size,
        full=args.full,
        overlap=overlap,
        reconcile_after=reconcile_after,
        new_output=args.new_output,
        receipts=receipts_folder(args, factory.config.data, factory.config.path),
    )
    display = ProgressDisplay(sys.stderr, enabled=not args.quiet)
    summaries: list[ExportSummary] = []

    def vendor_done(summary: ExportSummary) -> None:
        display.finish()
        summaries.append(summary)

    with messages_through(display):
        # Each client is opened when its account's turn comes and closed after it (memory
        # stays flat in the number of accounts). In a folder: <folder>/brex.jsonl,
        # <folder>/brex.acme.jsonl (named by the labels).
        clients = {
            account.label: OpenClient(
                account.vendor,
                functools.partial(factory.connect, account.vendor, settings[account.label]),
            )
            for account in accounts
        }
        total = export_approved(
            clients,
            args.out,
            ledger=ledger_path,
            format=record_format,
            options=options,
            on_progress=display,
            on_vendor_done=vendor_done,
            wait=args.wait_for_account,
        )
    kept_in = Path(args.rejects) if args.rejects else rejects_path_for(args.out)
    if kept_in is not None:
        write_rejects(kept_in, total.malformed)
    labels = [a.label for a in accounts]
    if summaries and all(_stopped_at_once(s) for s in summaries):
        # Nothing was read, written or marked anywhere: the failure is one line per account
        # (docs/command.md: every failure is one line), not a summary of zeros.
        errors = [
            _error_text(label, error)
            for label, summary in zip(labels, summaries, strict=True)
            for error in summary.errors
        ]
        for text in errors[:MAX_LISTED_PROBLEMS]:
            err(f"error: {text}")
        if len(errors) > MAX_LISTED_PROBLEMS:
            more = counted(len(errors) - MAX_LISTED_PROBLEMS, "more account")
            err(f"error: ... and {more} stopped early")
        return EXIT_FATAL
    text = render_summary(
        total,
        summaries,
        stdout_sink=args.out == STDOUT,
        labels=labels,
        rejects=kept_in,
    )
    print(text, file=sys.stderr)
    if total.errors:
        return EXIT_FATAL
    return EXIT_OK if total.ok else EXIT_PARTIAL


def render_summary(
    total: ExportSummary,
    per_vendor: Sequence[ExportSummary],
    *,
    stdout_sink: bool = False,
    labels: Sequence[str] | None = None,
    rejects: Path | None = None,
) -> str:
    """The paragraph printed at the end of an export, one line per account when a vendor
    had several, then one line per problem. ``labels`` names the account of each of
    ``per_vendor`` (default: its vendor); ``rejects`` is where rejected records were kept."""
    names = list(labels) if labels is not None else [s.vendors[0] for s in per_vendor]
    parts = [
        f"Exported {counted(total.exported, 'expense')}",
    ]
    if len(per_vendor) > 1:
        counts = zip(names, per_vendor, strict=True)
        parts[0] += " (" + ", ".join(f"{name} {s.exported:,}" for name, s in counts) + ")"
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
    parts.append(f"{len(total.malformed):,} rejected")
    if total.receipts is not None:
        parts.append(
            f"receipts: {total.receipts.downloaded:,} downloaded, {total.receipts.skipped:,} "
            f"skipped as already downloaded, {len(total.receipts.failed):,} failed"
        )
    if total.errors:
        parts.append(f"{counted(len(total.errors), 'account')} stopped early")
    lines = ["; ".join(parts) + "."]
    if len(set(names)) > len({s.vendors[0] for s in per_vendor}):  # a vendor's accounts
        lines.extend(
            f"  {name}: {s.exported:,} exported, {s.skipped:,} skipped, {len(s.failed):,}"
            f" failed, {len(s.malformed):,} rejected"
            for name, s in zip(names, per_vendor, strict=True)
        )
    # Which listing each vendor account asked for (docs/command.md, "Incremental export");
    # an account stopped by an error has its error line instead.
    lines.extend(
        f"  listing: {listing.describe()}"
        for s in per_vendor or [total]
        if not s.errors
        for listing in s.listings
    )
    lines.extend(
        f"  held elsewhere: {account} (another process is exporting it; skipped)"
        for account in total.held_elsewhere
    )
    problems: list[str] = []
    named = zip(names, per_vendor, strict=True) if per_vendor else [(None, total)]
    problems.extend(f"  error: {_error_text(name, e)}" for name, s in named for e in s.errors)
    problems.extend(f"  warning: {w}" for w in dict.fromkeys(total.warnings))
    problems.extend(f"  failed: {f.vendor} {f.expense_id}: {f.reason}" for f in total.failed)
    problems.extend(
        f"  rejected: {m.vendor} {m.record_id or '(no id)'}: {m.reason}" for m in total.malformed
    )
    if total.receipts is not None:
        problems.extend(
            f"  receipt failed: {f.vendor} {f.expense_id} {f.receipt_id}: {f.reason}"
            for f in total.receipts.failed
        )
    problems.extend(f"  note: {r.sink}: {r.note}" for r in total.repaired if r.note)
    lines.extend(problems[:MAX_LISTED_PROBLEMS])
    if len(problems) > MAX_LISTED_PROBLEMS:
        lines.append(f"  ... and {len(problems) - MAX_LISTED_PROBLEMS:,} more")
    if total.failed and not stdout_sink:
        lines.append(
            "  Failed marks are retried by the next export; the records are not written twice."
        )
    if total.receipts is not None and total.receipts.failed:
        lines.append(
            "  Failed receipts are retried by the next export; their records are exported."
        )
    if total.malformed:
        kept = f"kept with their raw payloads in {rejects}" if rejects else "listed above"
        lines.append(
            f"  Rejected records were not exported: {kept}; the next export tries them again."
        )
    return "\n".join(lines)


def _error_text(name: str | None, error: ExportFailure) -> str:
    """``brex.globex: HTTP 401 ...``: the account's label (its vendor when it is the
    vendor's only account) once, then the error without the vendor it already names."""
    reason = error.reason.removeprefix(f"{error.vendor}: ")
    return f"{name or error.vendor}: {reason}"


def _stopped_at_once(summary: ExportSummary) -> bool:
    """Whether an account's export stopped on an error before it did anything at all."""
    return bool(summary.errors) and not (
        summary.pages
        or summary.exported
        or summary.skipped
        or summary.marked
        or summary.recovered
        or summary.repaired
        or summary.failed
        or summary.malformed
        or summary.warnings
    )
