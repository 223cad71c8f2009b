"""The export pipeline, ``export_vendor``: list approved expenses (incrementally, the ledger
as ``known``), write the sink durably, then mark exported; nothing dropped silently
(docs/export.md, "The pipeline").
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

import attrs

from expense_facade.clock import Clock, SystemClock
from expense_facade.errors import ExpenseFacadeError, ValidationError
from expense_facade.export.account_identity import identify
from expense_facade.export.ledger import Ledger
from expense_facade.export.ledger_records import AccountHeldElsewhere
from expense_facade.export.ledger_units import describe
from expense_facade.export.receipts import ReceiptCounts, ReceiptRun, receipt_source
from expense_facade.export.rejects import rejected, split_unstorable, vendor_stopped
from expense_facade.export.sinks import RepairResult, Sink
from expense_facade.export.state import (
    DEFAULT_OVERLAP,
    DEFAULT_RECONCILE_AFTER,
    ListingPlan,
    PositionTracker,
    finish_state,
    plan_listing,
)
from expense_facade.listing import KnownRecords
from expense_facade.operations import Operation
from expense_facade.records import Expense, MalformedRecord, MarkExportedResult

MARK_BATCH_SIZE = 100
"""Ids per ``mark_exported`` call (Capture's status update takes a batch)."""


# -- what the pipeline needs of a client (the facade's ExpenseClient satisfies it) ------------


class ExportPage(Protocol):
    """One page of a listing."""

    @property
    def expenses(self) -> Sequence[Expense]: ...

    @property
    def malformed(self) -> Sequence[MalformedRecord]: ...


class ExportListing(Protocol):
    """A lazy listing that can be walked page by page."""

    def pages(self) -> Iterable[ExportPage]: ...


class ExportClient(Protocol):
    """The parts of ``ExpenseClient`` the export uses."""

    @property
    def vendor(self) -> str: ...

    @property
    def account(self) -> str: ...

    @property
    def capabilities(self) -> frozenset[Operation]: ...

    @property
    def filters_by_update_time(self) -> bool: ...

    base_url: str

    def credential_fingerprint(self, key: bytes) -> str: ...

    @property
    def vendor_time(self) -> dt.datetime | None: ...

    def list_approved(
        self,
        *,
        since: dt.datetime | None = None,
        page_size: int | None = None,
        known: KnownRecords | None = None,
    ) -> ExportListing: ...

    def mark_exported(self, expenses_or_ids: Sequence[Expense | str]) -> MarkExportedResult: ...


# -- results ------------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class ExportFailure:
    """One expense that could not be exported or marked, or (no id) a vendor-level error."""

    vendor: str
    expense_id: str | None
    reason: str
    error: ExpenseFacadeError | None = attrs.field(default=None, eq=False, repr=False)
    """The typed error behind a vendor-level failure (a scheduler retries on it:
    ``expense_facade.jobs``)."""


@attrs.frozen(slots=True)
class ExportProgress:
    """A snapshot for progress displays, sent after each page."""

    vendor: str
    records: int  # records seen so far (written + skipped + malformed)
    exported: int
    skipped: int
    pages: int
    elapsed: float
    receipts: ReceiptCounts | None = None
    """Receipt files so far (None: the export was not asked for them)."""

    @property
    def rate(self) -> float:
        """Records per second so far."""
        return self.records / self.elapsed if self.elapsed > 0 else 0.0


@attrs.frozen(slots=True)
class AccountListing:
    """Which listing one vendor account's run asked for, and the position it left."""

    vendor: str
    account: str
    plan: ListingPlan
    position: dt.datetime | None = None
    """The position recorded after the run (None: the vendor has none, or never yet)."""

    def describe(self) -> str:
        """``"brex (api.brex.com): incremental from 2026-03-01T10:00:00Z"``."""
        return f"{self.vendor} ({self.account}): {self.plan.describe()}"


@attrs.frozen(slots=True)
class ExportSummary:
    """What an export did. ``exported`` counts records written to the sink by this run."""

    vendors: tuple[str, ...]
    exported: int = 0
    skipped: int = 0  # already exported (ledger) or repeated within this run
    marked: int = 0  # marked exported at the vendor by this run (recovered ones included)
    recovered: int = 0  # pending marks from an earlier, interrupted run completed now
    repaired: tuple[RepairResult, ...] = ()
    failed: tuple[ExportFailure, ...] = ()
    malformed: tuple[MalformedRecord, ...] = ()
    errors: tuple[ExportFailure, ...] = ()  # a vendor's export stopped early
    warnings: tuple[str, ...] = ()  # e.g. records dated past the vendor's clock
    pages: int = 0
    elapsed: float = 0.0
    listings: tuple[AccountListing, ...] = ()  # per vendor account: the listing it asked for
    held_elsewhere: tuple[str, ...] = ()
    """``"brex (acme)"`` per account skipped because another process was exporting it
    from the same ledger (a shared PostgreSQL ledger, docs/scale.md)."""
    receipts: ReceiptCounts | None = None
    """Receipt files downloaded, skipped and failed (None: not asked for,
    ``ExportOptions.receipts``)."""

    @property
    def ok(self) -> bool:
        """Nothing failed, nothing malformed, no vendor stopped early, no receipt failed."""
        failed_receipts = self.receipts is not None and self.receipts.failed
        return not (self.failed or self.malformed or self.errors or failed_receipts)

    def merge(self, other: ExportSummary) -> ExportSummary:
        """The totals of two summaries (vendors in order of first appearance)."""
        return ExportSummary(
            vendors=tuple(dict.fromkeys(self.vendors + other.vendors)),
            exported=self.exported + other.exported,
            skipped=self.skipped + other.skipped,
            marked=self.marked + other.marked,
            recovered=self.recovered + other.recovered,
            repaired=self.repaired + other.repaired,
            failed=self.failed + other.failed,
            malformed=self.malformed + other.malformed,
            errors=self.errors + other.errors,
            warnings=self.warnings + other.warnings,
            pages=self.pages + other.pages,
            elapsed=self.elapsed + other.elapsed,
            listings=self.listings + other.listings,
            held_elsewhere=self.held_elsewhere + other.held_elsewhere,
            receipts=(
                other.receipts
                if self.receipts is None
                else self.receipts.merge(other.receipts or ReceiptCounts())
            ),
        )


@attrs.frozen(slots=True)
class ExportOptions:
    """How to export. ``mark_exported=False`` records exports in the ledger only.

    ``since`` overrides the recorded position; ``full`` ignores it (and ``reexport``
    without ``since`` lists in full too); ``overlap`` is how far before the position an
    incremental run starts; ``reconcile_after`` is the age of the last full listing after
    which a run lists in full by itself (see ``expense_facade.export.state``).
    """

    since: dt.datetime | None = None
    mark_exported: bool = True
    reexport: bool = False
    page_size: int | None = None
    mark_batch_size: int = MARK_BATCH_SIZE
    new_output: bool = False  # accept the output file as it is now (docs/command.md)
    full: bool = False
    overlap: dt.timedelta = DEFAULT_OVERLAP
    reconcile_after: dt.timedelta = DEFAULT_RECONCILE_AFTER
    receipts: str | os.PathLike[str] | None = None
    """A folder to download each exported expense's receipt files into, once each
    (docs/export.md, "Receipts"); None: no receipt files."""
    receipt_max_bytes: int | None = None
    """Largest receipt file accepted (default: the client's ``max_receipt_bytes``)."""

    def __attrs_post_init__(self) -> None:
        if self.since is not None and self.since.tzinfo is None:
            raise ValidationError("since must be timezone-aware", field="since")
        if self.overlap < dt.timedelta(0):
            raise ValidationError("overlap cannot be negative", field="overlap")
        if self.reconcile_after <= dt.timedelta(0):
            raise ValidationError("reconcile_after must be positive", field="reconcile_after")
        if self.mark_batch_size < 1:
            raise ValidationError("mark_batch_size must be at least 1", field="mark_batch_size")
        limit = self.receipt_max_bytes
        if limit is not None and (type(limit) is not int or limit < 1):
            raise ValidationError(
                "receipt_max_bytes must be a positive integer", field="receipt_max_bytes"
            )


ProgressCallback = Callable[[ExportProgress], None]


# -- the pipeline -------------------------------------------------------------------------------


def _stopped(exc: Exception) -> tuple[str, ExpenseFacadeError | None]:
    """Why a vendor's listing stopped, and the typed error behind it (None: a bug, see
    ``rejects.vendor_stopped``)."""
    typed = _detached(exc) if isinstance(exc, ExpenseFacadeError) else None
    return vendor_stopped(exc, describe(exc)), typed


class _VendorExport:
    """One vendor's export run; ``run`` returns its summary. It reads the listing and hands
    each page to the ledger's units of work (``ledger_units.AccountRun``), which run the
    exactly-once protocol."""

    def __init__(
        self,
        client: ExportClient,
        sink: Sink,
        ledger: Ledger,
        options: ExportOptions,
        on_progress: ProgressCallback | None,
        clock: Clock,
    ) -> None:
        self.client = client
        self.sink = sink
        self.options = options
        self.on_progress = on_progress
        self.clock = clock
        self.vendor = client.vendor
        # Marks go to the vendor only where it has the endpoint and the user wants them.
        self.vendor_marks = options.mark_exported and Operation.MARK_EXPORTED in client.capabilities
        self.started = clock.monotonic()
        self.exported = 0
        self.skipped = 0
        self.marked = 0
        self.recovered = 0
        self.pages = 0
        self.records = 0
        self.failed: list[ExportFailure] = []
        self.malformed: list[MalformedRecord] = []
        self.errors: list[ExportFailure] = []
        self.to_mark: list[Expense] = []  # written this run, vendor mark still to do
        self.unit = ledger.begin(
            self.vendor, client.account, identify(client, ledger.identity_key())
        )
        self.started_at = clock.now()
        self.plan = plan_listing(
            self.unit.state,
            filters_by_update_time=client.filters_by_update_time,
            since=options.since,
            full=options.full,
            reexport=options.reexport,
            overlap=options.overlap,
            reconcile_after=options.reconcile_after,
            now=self.started_at,
            new_identity=self.unit.new_identity,
        )
        self.tracker = PositionTracker()
        self.warnings: list[str] = []
        self.receipts: ReceiptRun | None = None
        if options.receipts is not None:
            source = (
                receipt_source(client)
                if Operation.DOWNLOAD_RECEIPT in client.capabilities
                else None
            )
            if source is None:  # said once per account, not per record
                self.warnings.append(
                    f"{self.vendor}: its API serves no receipt files; its records are "
                    "exported without them"
                )
            else:
                self.receipts = ReceiptRun(
                    ledger,
                    self.vendor,
                    self.unit.scope,
                    options.receipts,
                    source,
                    max_bytes=options.receipt_max_bytes,
                )

    def run(self) -> ExportSummary:
        unit = self.unit
        repaired = unit.open_sink(
            self.sink,
            new_output=self.options.new_output,
            reexport=self.options.reexport,
            vendor_marks=self.vendor_marks,
        )
        recovered = unit.complete_pending_marks(
            self.client.mark_exported, self.options.mark_batch_size
        )
        if self.vendor_marks:  # else they were settled in the ledger: no mark was sent
            self.recovered += recovered
            self.marked += recovered
        if self.receipts is not None:
            # What a killed run left recorded but not in place, then the receipts of
            # records already exported that an earlier run could not download.
            self.receipts.recover()
            self.receipts.retry_exported()
        try:
            complete = self._list_and_write(unit.known(use_groups=not self.plan.full))
            if self.to_mark:
                self._mark(self.to_mark)
            settled, unsettled = unit.settle_unlisted(
                complete_listing=complete and self.plan.since is None
            )
            self.recovered += settled
            self.failed.extend(ExportFailure(self.vendor, i, r) for i, r in unsettled.items())
        finally:
            self.skipped += unit.close()
        if complete:
            finish_state(unit, self.plan, self.tracker, started_at=self.started_at)
        self._progress()
        return ExportSummary(
            vendors=(self.vendor,),
            exported=self.exported,
            skipped=self.skipped,
            marked=self.marked,
            recovered=self.recovered,
            repaired=tuple(r for r in repaired if r.truncated_bytes or r.note),
            failed=tuple(self.failed),
            malformed=tuple(self.malformed),
            errors=tuple(self.errors),
            warnings=tuple(self.warnings)
            + tuple(f"{self.vendor}: {w}" for w in [self.tracker.warning()] if w),
            pages=self.pages,
            elapsed=self.clock.monotonic() - self.started,
            listings=(
                AccountListing(
                    self.vendor,
                    unit.account,
                    self.plan,
                    unit.reached(),
                ),
            ),
            receipts=self._receipt_counts(),
        )

    def _receipt_counts(self) -> ReceiptCounts | None:
        if self.options.receipts is None:
            return None
        return ReceiptCounts() if self.receipts is None else self.receipts.counts

    # -- listing and writing ---------------------------------------------------------------

    def _list_and_write(self, known: KnownRecords | None) -> bool:
        """Walk the listing, writing each page; False when a vendor error stopped it."""
        # Only the vendor calls are guarded: a sink or ledger failure must stop the whole
        # run, not be reported as one vendor's trouble.
        try:
            listing = self.client.list_approved(
                since=self.plan.since, page_size=self.options.page_size, known=known
            )
            pages = iter(listing.pages())
        except Exception as exc:
            self.errors.append(ExportFailure(self.vendor, None, *_stopped(exc)))
            return False
        while True:
            try:
                page = next(pages)
            except StopIteration:
                return True
            except Exception as exc:
                self.errors.append(ExportFailure(self.vendor, None, *_stopped(exc)))
                return False
            self._export_page(page)

    def _export_page(self, page: ExportPage) -> None:
        self.pages += 1
        # The vendor's clock (its Date header), else this run's: a record dated past it
        # does not move the position (docs/export.md, "Time").
        self.tracker.see(page.expenses, self.client.vendor_time or self.clock.now())
        for record in page.malformed:
            self._reject(record)
        self.records += len(page.malformed) + len(page.expenses)
        storable, unstorable = split_unstorable(page.expenses)
        for expense, reason in unstorable:
            self._reject(rejected(expense, reason), expense)
        if self.receipts is not None:
            # Before the records are written: each record names its receipts' files.
            storable = self.receipts.attach(storable)
        done = self.unit.write(storable)
        self.exported += len(done.written)
        self.skipped += done.skipped
        if done.failed:  # records the sink's format cannot encode
            listed = {e.id: e for e in storable}
            for expense_id, reason in done.failed:
                self._reject(rejected(listed[expense_id], reason), listed[expense_id])
        # The vendor is told once the whole listing is read: marking shrinks queue-like
        # listings (Capture's Export queue), and paging a queue while it shrinks skips
        # rows. Until then the ledger holds them as written.
        self.to_mark.extend(done.to_mark)
        if self.vendor_marks:
            self.to_mark.extend(done.written)
        self._progress()

    def _reject(self, record: MalformedRecord, listed: Expense | None = None) -> None:
        """A record this run cannot export (``listed``: as read, when it could be): reported,
        and the position held at it so the next run lists it again (docs/export.md,
        "Rejected records")."""
        self.malformed.append(record)
        self.tracker.hold(None if listed is None else listed.updated_at)

    def _mark(self, items: Sequence[Expense]) -> None:
        result = self.unit.mark_at_vendor(
            items, self.client.mark_exported, self.options.mark_batch_size
        )
        self.marked += result.marked
        self.failed.extend(
            ExportFailure(self.vendor, expense_id, reason)
            for expense_id, reason in result.refused.items()
        )

    def _progress(self) -> None:
        if self.on_progress is None:
            return
        self.on_progress(
            ExportProgress(
                vendor=self.vendor,
                records=self.records,
                exported=self.exported,
                skipped=self.skipped + self.unit.listing_skipped,
                pages=self.pages,
                elapsed=self.clock.monotonic() - self.started,
                receipts=self._receipt_counts(),
            )
        )


def _detached(exc: ExpenseFacadeError) -> ExpenseFacadeError:
    """The error without its traceback and chain: a summary keeps it (a scheduler retries
    on its type), and the frames would keep each account's client alive (thousands of
    accounts must not grow memory)."""
    exc.__traceback__ = None
    exc.__cause__ = None
    exc.__context__ = None
    return exc


def export_vendor(
    client: ExportClient,
    sink: Sink,
    ledger: Ledger,
    options: ExportOptions | None = None,
    *,
    on_progress: ProgressCallback | None = None,
    clock: Clock | None = None,
) -> ExportSummary:
    """Export one vendor's approved expenses into ``sink``; see the module docstring.

    Raises only for a sink or ledger failure (``SinkError``, ``LedgerError``): vendor
    errors, refused marks and malformed records are in the summary, and so is an account
    another process is exporting from a shared ledger (``held_elsewhere``).
    """
    try:
        run = _VendorExport(
            client, sink, ledger, options or ExportOptions(), on_progress, clock or SystemClock()
        )
    except AccountHeldElsewhere:
        return held_elsewhere(client)
    return run.run()


def held_elsewhere(client: ExportClient) -> ExportSummary:
    """The summary of an account skipped because another process is exporting it."""
    return ExportSummary(
        vendors=(client.vendor,), held_elsewhere=(f"{client.vendor} ({client.account})",)
    )


__all__ = [
    "MARK_BATCH_SIZE",
    "AccountListing",
    "ExportClient",
    "ExportFailure",
    "ExportListing",
    "ExportOptions",
    "ExportPage",
    "ExportProgress",
    "ExportSummary",
    "export_vendor",
    "held_elsewhere",
]
