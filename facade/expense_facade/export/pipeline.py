"""The export pipeline, ``export_vendor``: list approved expenses (incrementally, the ledger
as ``known``), write the sink durably, then mark exported; nothing dropped silently
(docs/export.md, "The pipeline").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Protocol, TypeVar

import attrs

from expense_facade.clock import Clock, SystemClock
from expense_facade.errors import ExpenseFacadeError
from expense_facade.export.ledger import Ledger
from expense_facade.export.outputs import check_output, sink_identity
from expense_facade.export.sinks import FileSink, RepairResult, Sink, repair_sink
from expense_facade.export.state import (
    DEFAULT_OVERLAP,
    DEFAULT_RECONCILE_AFTER,
    LedgerKnown,
    ListingPlan,
    PositionTracker,
    finish_state,
    plan_listing,
)
from expense_facade.listing import KnownRecords
from expense_facade.mapping.paging import SeenIds
from expense_facade.operations import Operation
from expense_facade.records import Expense, MalformedRecord, MarkExportedResult

_T = TypeVar("_T")

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


@attrs.frozen(slots=True)
class ExportProgress:
    """A snapshot for progress displays, sent after each page."""

    vendor: str
    records: int  # records seen so far (written + skipped + malformed)
    exported: int
    skipped: int
    pages: int
    elapsed: float

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
    pages: int = 0
    elapsed: float = 0.0
    listings: tuple[AccountListing, ...] = ()  # per vendor account: the listing it asked for

    @property
    def ok(self) -> bool:
        """Nothing failed, nothing malformed, no vendor stopped early."""
        return not (self.failed or self.malformed or self.errors)

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
            pages=self.pages + other.pages,
            elapsed=self.elapsed + other.elapsed,
            listings=self.listings + other.listings,
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

    def __attrs_post_init__(self) -> None:
        if self.since is not None and self.since.tzinfo is None:
            raise ValueError("since must be timezone-aware")
        if self.overlap < dt.timedelta(0):
            raise ValueError("overlap cannot be negative")
        if self.reconcile_after <= dt.timedelta(0):
            raise ValueError("reconcile_after must be positive")
        if self.mark_batch_size < 1:
            raise ValueError("mark_batch_size must be at least 1")


ProgressCallback = Callable[[ExportProgress], None]


# -- recovery -----------------------------------------------------------------------------------


def recover_intents(ledger: Ledger, held: Collection[str] = ()) -> list[RepairResult]:
    """Repair every sink a killed run left with a half-written batch, then drop the intents.

    Runs before anything is appended, for every sink in the ledger (not just this run's),
    so a sink never receives a batch while an earlier one is unresolved. Raises
    ``SinkError`` when a sink's tail holds data the interrupted batch did not write.
    ``held``: identities of file sinks this process has open (and locked) already.
    """
    by_sink: dict[str, tuple[str, int, set[tuple[str, str]]]] = {}
    for intent in ledger.pending_intents():
        fmt, offset, expected = by_sink.get(
            intent.sink, (intent.sink_format, intent.sink_offset, set())
        )
        expected.update((intent.vendor, expense_id) for expense_id in intent.expense_ids)
        by_sink[intent.sink] = (fmt, min(offset, intent.sink_offset), expected)
    results: list[RepairResult] = []
    for sink, (fmt, offset, expected) in by_sink.items():
        results.append(repair_sink(sink, fmt, offset, expected, locked=sink in held))
        ledger.clear_intents(sink)
    return results


# -- the pipeline -------------------------------------------------------------------------------


def _batches(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _VendorExport:
    """One vendor's export run; ``run`` returns its summary."""

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
        self.ledger = ledger
        self.options = options
        self.on_progress = on_progress
        self.clock = clock
        self.vendor = client.vendor
        self.account = client.account
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
        # Compact (~30 bytes per id): a long export must not grow by a set of a million strings.
        self.seen = SeenIds()
        self.to_mark: list[Expense] = []  # written this run, vendor mark still to do
        self.retry: dict[str, str] = {}  # pending id -> why marking it by id alone failed
        self.retry_found: set[str] = set()
        self.state = ledger.export_state(self.vendor, self.account)
        self.started_at = clock.now()
        self.plan = plan_listing(
            self.state,
            filters_by_update_time=client.filters_by_update_time,
            since=options.since,
            full=options.full,
            reexport=options.reexport,
            overlap=options.overlap,
            reconcile_after=options.reconcile_after,
            now=self.started_at,
        )
        self.tracker = PositionTracker()
        self.known: LedgerKnown | None = None

    def run(self) -> ExportSummary:
        held = (self.sink.identity,) if isinstance(self.sink, FileSink) else ()
        repaired = recover_intents(self.ledger, held)
        checked = check_output(self.ledger, self.sink, new_output=self.options.new_output)
        if checked is not None:
            repaired.append(checked)
        self._recover_pending_marks()
        reader = None if self.options.reexport else self.ledger.reader()
        try:
            if reader is not None:
                self.known = LedgerKnown(
                    reader,
                    self.vendor,
                    self.account,
                    pending=list(self.retry),
                    use_groups=not self.plan.full,
                )
            complete = self._list_and_write()
        finally:
            if reader is not None:
                reader.close()
        if self.to_mark:
            self._mark(self.to_mark)
        self._settle_retries(listing_complete=complete)
        if self.known is not None:
            self.known.settle_groups(self.ledger)
            self.known.drop_unsettled()
            self.skipped += self.known.skipped
        if complete:
            finish_state(
                self.ledger,
                self.vendor,
                self.account,
                self.plan,
                self.state,
                self.tracker,
                started_at=self.started_at,
            )
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
            pages=self.pages,
            elapsed=self.clock.monotonic() - self.started,
            listings=(
                AccountListing(
                    self.vendor,
                    self.account,
                    self.plan,
                    self.ledger.export_state(self.vendor, self.account).position,
                ),
            ),
        )

    # -- recovery of marks -----------------------------------------------------------------

    def _recover_pending_marks(self) -> None:
        """Mark first what an earlier run wrote but did not mark."""
        pending = self.ledger.pending_marks(self.vendor, self.account)
        if not pending:
            return
        if not self.vendor_marks:
            self.recovered += self.ledger.record_marked(
                self.vendor, self.account, pending, vendor_marked=False
            )
            return
        done, refused = self._mark(pending, report=False)
        self.recovered += done
        # Some vendors need the record, not just its id, to mark it (Capture echoes the
        # row's transactionType): those are marked with the record once the listing shows
        # it again, and settled after the listing (_settle_retries).
        self.retry = refused

    def _settle_retries(self, *, listing_complete: bool) -> None:
        if not self.retry:
            return
        gone = [i for i in self.retry if i not in self.retry_found]
        if listing_complete and self.plan.since is None:
            # The complete listing of approved (for Capture: approved and not yet exported)
            # expenses no longer shows these: they were marked at the vendor by the run that
            # died before recording it (the ledger knows it sent that mark), or are no longer
            # approved. Nothing is left to mark.
            self.recovered += self.ledger.settle_marks(self.vendor, self.account, gone)
            return
        for expense_id in gone:
            self.failed.append(ExportFailure(self.vendor, expense_id, self.retry[expense_id]))

    # -- listing and writing ---------------------------------------------------------------

    def _list_and_write(self) -> bool:
        """Walk the listing, writing each page; False when a vendor error stopped it."""
        # Only the vendor calls are guarded: a sink or ledger failure must stop the whole
        # run, not be reported as one vendor's trouble.
        try:
            listing = self.client.list_approved(
                since=self.plan.since, page_size=self.options.page_size, known=self.known
            )
            pages = iter(listing.pages())
        except ExpenseFacadeError as exc:
            self.errors.append(ExportFailure(self.vendor, None, _describe(exc)))
            return False
        while True:
            try:
                page = next(pages)
            except StopIteration:
                return True
            except ExpenseFacadeError as exc:
                self.errors.append(ExportFailure(self.vendor, None, _describe(exc)))
                return False
            self._export_page(page)

    def _export_page(self, page: ExportPage) -> None:
        self.pages += 1
        self.tracker.see(page.expenses)
        self.malformed.extend(page.malformed)
        self.records += len(page.malformed)
        fresh: list[Expense] = []
        for expense in page.expenses:
            self.records += 1
            if not self.seen.add(expense.id):
                self.skipped += 1  # the vendor listed it twice (a record moved between pages)
                continue
            if expense.id in self.retry:
                # Written by an earlier run; only its mark is missing.
                self.retry_found.add(expense.id)
                self.to_mark.append(expense)
                self.skipped += 1
                continue
            fresh.append(expense)
        if not self.options.reexport and fresh:
            done = self.ledger.exported_ids(self.vendor, self.account, [e.id for e in fresh])
            self.skipped += len(done)
            fresh = [e for e in fresh if e.id not in done]
        written: list[Expense] = []
        chunks: list[bytes] = []
        for expense in fresh:
            try:
                chunks.append(self.sink.format.encode(expense))
            except (ValueError, TypeError, UnicodeError) as exc:
                self.failed.append(
                    ExportFailure(self.vendor, expense.id, f"cannot be encoded: {exc}")
                )
                continue
            written.append(expense)
        if written:
            self._write([e.id for e in written], chunks)
            if self.vendor_marks:
                # The vendor is told once the whole listing is read: marking shrinks
                # queue-like listings (Capture's Export queue), and paging a queue while
                # it shrinks skips rows. Until then the ledger holds them as written.
                self.to_mark.extend(written)
            else:
                self.ledger.record_marked(
                    self.vendor, self.account, [e.id for e in written], vendor_marked=False
                )
        if self.known is not None:
            self.known.settle_groups(self.ledger)
        self._progress()

    def _write(self, ids: Sequence[str], chunks: Sequence[bytes]) -> None:
        sink = self.sink
        self.ledger.record_intent(
            self.vendor,
            self.account,
            ids,
            sink=sink.identity,
            sink_format=sink.format.name,
            sink_offset=sink.offset(),
        )
        sink.append(chunks)
        self.ledger.record_written(
            self.vendor, self.account, ids, sink=sink.identity, output=sink_identity(sink)
        )
        self.exported += len(ids)

    # -- marking at the vendor -------------------------------------------------------------

    def _mark(
        self, items: Sequence[Expense | str], *, report: bool = True
    ) -> tuple[int, dict[str, str]]:
        """Mark written records exported at the vendor, then in the ledger.

        The records themselves are sent where we have them (some vendors need fields
        besides the id). Returns how many were marked and, per id not marked, why; with
        ``report`` those also go to ``failed``.
        """
        done = 0
        refused_all: dict[str, str] = {}
        for batch_items in _batches(items, self.options.mark_batch_size):
            batch = [item if isinstance(item, str) else item.id for item in batch_items]
            # Flagged before the call: a run that dies before it hears the answer leaves the
            # next one a trace that these marks may have been applied (Ledger.settle_marks).
            flagged = self.ledger.record_mark_sent(self.vendor, self.account, batch)
            try:
                result = self.client.mark_exported(list(batch_items))
            except ExpenseFacadeError as exc:
                self.ledger.clear_mark_sent(self.vendor, self.account, flagged)
                reason = f"not marked exported at {self.vendor}: {_describe(exc)}"
                refused_all.update(dict.fromkeys(batch, reason))
                continue
            confirmed = {o.expense_id for o in result.succeeded}
            unconfirmed = [i for i in flagged if i not in confirmed]
            if unconfirmed:
                self.ledger.clear_mark_sent(self.vendor, self.account, unconfirmed)
            refused = {o.expense_id: o.message for o in result.failed}
            for expense_id in batch:
                if expense_id in confirmed:
                    continue
                if expense_id in refused:
                    message = refused[expense_id] or "no reason given"
                    reason = f"{self.vendor} refused to mark it exported: {message}"
                else:
                    reason = f"{self.vendor} gave no outcome for marking it exported"
                refused_all[expense_id] = reason
            succeeded = [i for i in batch if i in confirmed]
            if succeeded:
                self.ledger.record_marked(self.vendor, self.account, succeeded, vendor_marked=True)
                self.marked += len(succeeded)
                done += len(succeeded)
        if report:
            self.failed.extend(
                ExportFailure(self.vendor, expense_id, reason)
                for expense_id, reason in refused_all.items()
            )
        return done, refused_all

    def _progress(self) -> None:
        if self.on_progress is None:
            return
        self.on_progress(
            ExportProgress(
                vendor=self.vendor,
                records=self.records,
                exported=self.exported,
                skipped=self.skipped + (self.known.skipped if self.known is not None else 0),
                pages=self.pages,
                elapsed=self.clock.monotonic() - self.started,
            )
        )


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


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
    errors, refused marks and malformed records are in the summary.
    """
    run = _VendorExport(
        client, sink, ledger, options or ExportOptions(), on_progress, clock or SystemClock()
    )
    return run.run()


def export_all(
    jobs: Iterable[tuple[ExportClient, Sink]],
    ledger: Ledger,
    options: ExportOptions | None = None,
    *,
    on_progress: ProgressCallback | None = None,
    clock: Clock | None = None,
) -> ExportSummary:
    """Export several vendors in turn (each into its own or a shared sink); one summary."""
    clock = clock or SystemClock()
    started = clock.monotonic()
    total = ExportSummary(vendors=())
    for client, sink in jobs:
        total = total.merge(
            export_vendor(client, sink, ledger, options, on_progress=on_progress, clock=clock)
        )
    return attrs.evolve(total, elapsed=clock.monotonic() - started)


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
    "export_all",
    "export_vendor",
    "recover_intents",
]
