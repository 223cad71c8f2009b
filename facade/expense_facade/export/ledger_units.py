"""The ledger's units of work for one vendor account's run (``AccountRun``): write this
batch to this sink, mark these at the vendor, settle what a killed run left. Each runs
every step of the exactly-once protocol inside it (intent, append, written; mark sent,
marked or cleared), so a caller cannot get the order wrong (docs/export.md, "The ledger"
and "Crash safety").
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

from expense_facade.errors import ExpenseFacadeError
from expense_facade.export import ledger_exports, ledger_outputs, ledger_positions
from expense_facade.export.account_identity import AccountIdentity
from expense_facade.export.delivery import DeliverySink
from expense_facade.export.ledger_query import Rows
from expense_facade.export.ledger_reader import LedgerReader
from expense_facade.export.outputs import check_output, sink_identity
from expense_facade.export.sinks import FileSink, RepairResult, Sink
from expense_facade.listing import KnownRecords
from expense_facade.mapping.paging import SeenIds
from expense_facade.records import Expense, MarkExportedResult

if TYPE_CHECKING:
    from expense_facade.export.ledger import Ledger

MarkSender = Callable[[Sequence[Expense | str]], MarkExportedResult]
"""Asks the vendor to mark records (or ids) exported: ``client.mark_exported``."""


@attrs.frozen(slots=True)
class Written:
    """What ``AccountRun.write`` did with one batch."""

    written: tuple[Expense, ...] = ()
    """Appended to the sink and recorded, in order."""
    to_mark: tuple[Expense, ...] = ()
    """Written by an earlier run, listed again: only their vendor mark is missing."""
    skipped: int = 0
    """Already exported, or repeated."""
    failed: tuple[tuple[str, str], ...] = ()
    """``(id, reason)`` of records that could not be encoded (not written)."""


@attrs.frozen(slots=True)
class Marked:
    """What ``AccountRun.mark_at_vendor`` did."""

    marked: int = 0
    refused: dict[str, str] = attrs.field(factory=dict)
    """Per id not marked, why."""


class AccountRun:
    """One vendor account's run against the ledger: made by ``Ledger.begin``, then
    ``open_sink`` once, ``complete_pending_marks``, ``known`` for the listing, ``write``
    per batch, ``mark_at_vendor``, ``settle_unlisted``, ``finish`` and ``close``."""

    def __init__(
        self, ledger: Ledger, vendor: str, account: str, identity: AccountIdentity | None = None
    ) -> None:
        self.ledger = ledger
        self.vendor = vendor
        self.account = account
        self.identity = identity
        self.scope = ledger.scope(vendor, account)
        """The account part of the key its records are deduped by."""
        self.new_identity: str | None = None
        """Why this identity has no position though the account has one (else None)."""
        if identity is None:
            self.state = ledger.export_state(vendor, account)
        else:
            self.state, last = ledger.export_states(vendor, account, identity)
            if self.state.position is None and last.position is not None:
                self.new_identity = (
                    "the identity was not recorded by an older version"
                    if not last.identity
                    else f"the base URL is not the last run's ({last.base_url})"
                    if last.base_url != identity.base_url
                    else "the credentials are not the last run's"
                )
        self._position = self.state.position  # moved only by this run: it holds the account
        self._sink: Sink | None = None
        self._reexport = False
        self._vendor_marks = False
        self._retry: dict[str, str] = {}  # pending id -> why marking it by id alone failed
        self._retry_found: set[str] = set()
        self._known: LedgerKnown | None = None
        self._reader: LedgerReader | None = None
        self._seen = SeenIds()  # re-export only: the ledger cannot tell a repeat then

    @property
    def _rows(self) -> Rows:
        return self.ledger.store.rows

    # -- opening -----------------------------------------------------------------------

    def open_sink(
        self, sink: Sink, *, new_output: bool, reexport: bool, vendor_marks: bool
    ) -> list[RepairResult]:
        """Repair what a killed run left (once per ledger), then check ``sink`` against the
        ledger's record of it (``export.outputs.check_output``). ``vendor_marks``: the
        vendor is told of each export; ``reexport``: the ledger is not asked what is
        exported."""
        self._sink = sink
        self._reexport = reexport
        self._vendor_marks = vendor_marks
        held = (sink.identity,) if isinstance(sink, FileSink | DeliverySink) else ()
        repaired = self.ledger.recover(held, destination=sink)
        checked = check_output(self.ledger, sink, new_output=new_output)
        if checked is not None:
            repaired.append(checked)
        return repaired

    def complete_pending_marks(self, send: MarkSender, batch_size: int) -> int:
        """Mark first what an earlier run wrote but did not mark; returns how many.

        Ids the vendor will not mark by id alone (Capture needs the record) are marked
        when the listing shows them again (``write`` hands them back as ``to_mark``) and
        settled after it (``settle_unlisted``)."""
        pending = ledger_exports.pending_marks(self._rows, self.vendor, self.scope)
        if not pending:
            return 0
        if not self._vendor_marks:
            with self.ledger.store.transaction() as tx:
                return ledger_exports.set_marked(
                    tx, self.vendor, self.scope, pending, vendor_marked=False
                )
        result = self.mark_at_vendor(pending, send, batch_size)
        self._retry = result.refused
        return result.marked

    def known(self, *, use_groups: bool) -> KnownRecords | None:
        """What the listing should leave out (None when re-exporting: nothing is)."""
        if self._reexport:
            return None
        self._reader = self.ledger.reader()
        self._known = LedgerKnown(
            self._reader,
            self.vendor,
            self.scope,
            pending=list(self._retry),
            use_groups=use_groups,
        )
        return self._known

    # -- write this batch to this sink ----------------------------------------------------

    def write(self, expenses: Sequence[Expense]) -> Written:
        """Write the records of ``expenses`` the ledger does not hold to the sink, each
        once: intent, append (durable), written, in that order; a vendor without marks
        has them marked in the same step."""
        sink = self._sink
        if sink is None:
            raise RuntimeError("open_sink first")
        fresh: list[Expense] = []
        to_mark: list[Expense] = []
        in_batch: set[str] = set()
        skipped = 0
        for expense in expenses:
            if expense.id in in_batch:
                skipped += 1
                continue
            in_batch.add(expense.id)
            if expense.id in self._retry:
                self._retry_found.add(expense.id)
                to_mark.append(expense)
                skipped += 1
            elif self._reexport and not self._seen.add(expense.id):
                skipped += 1
            else:
                fresh.append(expense)
        if not self._reexport and fresh:
            # One lookup per record: the listing's own lookup (``known``) vouched for the
            # ids it found new; only the others (repeats, ids it never asked about) are
            # looked up here.
            vouched = self._known.vouched(in_batch) if self._known is not None else set()
            unsure = [e.id for e in fresh if e.id not in vouched]
            done = ledger_exports.exported_among(self._rows, self.vendor, self.scope, unsure)
            skipped += len(done)
            fresh = [e for e in fresh if e.id not in done]
        written: list[Expense] = []
        chunks: list[bytes] = []
        failed: list[tuple[str, str]] = []
        for expense in fresh:
            try:
                chunks.append(sink.format.encode(expense))
            except (ValueError, TypeError, UnicodeError) as exc:
                failed.append((expense.id, f"cannot be encoded: {exc}"))
                continue
            written.append(expense)
        if written and sink.transactional:
            self._write_in_transaction(written, sink)
        elif written:
            self._append([e.id for e in written], chunks, sink)
        if self._known is not None:
            self._known.settled([e.id for e in written], [i for i, _ in failed])
            self._settle_groups()
        return Written(tuple(written), tuple(to_mark), skipped, tuple(failed))

    def _write_in_transaction(self, written: Sequence[Expense], sink: Sink) -> None:
        """A sink written through the ledger's own transaction (a PostgreSQL table beside
        a PostgreSQL ledger): the records and their ``written`` rows commit together, so
        no intent is needed and nothing can be left half-done."""
        with self.ledger.store.transaction() as tx:
            sink.write_in(tx, self.account, written)
            ledger_exports.add_written(
                tx,
                self.vendor,
                self.scope,
                [e.id for e in written],
                sink=sink.identity,
                marked=not self._vendor_marks,
            )

    def _append(self, ids: Sequence[str], chunks: Sequence[bytes], sink: Sink) -> None:
        store = self.ledger.store
        with store.transaction() as tx:
            ledger_exports.add_intents(
                tx,
                self.vendor,
                self.scope,
                ids,
                sink=sink.identity,
                sink_format=sink.format.name,
                sink_offset=sink.offset(),
            )
        try:
            sink.append(chunks)
            output = sink_identity(sink)
            with store.transaction() as tx:
                ledger_exports.add_written(
                    tx,
                    self.vendor,
                    self.scope,
                    ids,
                    sink=sink.identity,
                    marked=not self._vendor_marks,
                )
                if output is not None:
                    fmt, identity = output
                    ledger_outputs.advance(tx, sink.identity, fmt, identity, len(ids))
        except BaseException:
            self.ledger.unresolved()  # the intent stands: the next recover repairs the sink
            raise

    # -- mark these at the vendor --------------------------------------------------------

    def mark_at_vendor(
        self, items: Sequence[Expense | str], send: MarkSender, batch_size: int
    ) -> Marked:
        """Mark written records exported at the vendor (the records themselves where given:
        some vendors need fields besides the id), then in the ledger; ``batch_size`` per
        vendor call. Each batch is flagged ``mark_sent`` before the call, so a run that
        dies before it hears the answer leaves the next one a trace; the flag is cleared
        for what the vendor did not confirm."""
        store = self.ledger.store
        done = 0
        refused_all: dict[str, str] = {}
        for start in range(0, len(items), batch_size):
            batch_items = items[start : start + batch_size]
            batch = [item if isinstance(item, str) else item.id for item in batch_items]
            with store.transaction() as tx:
                flagged = ledger_exports.flag_mark_sent(tx, self.vendor, self.scope, batch)
            try:
                result = send(list(batch_items))
            except ExpenseFacadeError as exc:
                with store.transaction() as tx:
                    ledger_exports.unflag_mark_sent(tx, self.vendor, self.scope, flagged)
                reason = f"not marked exported at {self.vendor}: {describe(exc)}"
                refused_all.update(dict.fromkeys(batch, reason))
                continue
            confirmed = {o.expense_id for o in result.succeeded}
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
            with store.transaction() as tx:
                ledger_exports.unflag_mark_sent(
                    tx, self.vendor, self.scope, [i for i in flagged if i not in confirmed]
                )
                done += ledger_exports.set_marked(
                    tx, self.vendor, self.scope, succeeded, vendor_marked=True
                )
        return Marked(done, refused_all)

    def settle_unlisted(self, *, complete_listing: bool) -> tuple[int, dict[str, str]]:
        """After the listing: the ids ``complete_pending_marks`` could not mark by id and
        the listing did not show again. When the listing was complete (every approved
        expense, not since a time), they left it because the vendor marked them (the run
        that died had sent the mark: recorded as a vendor mark) or are no longer approved
        (marked in the ledger only): returns ``(settled, {})``. Otherwise ``(0, reasons)``:
        they stay pending for the next run."""
        gone = [i for i in self._retry if i not in self._retry_found]
        if not gone:
            return 0, {}
        if complete_listing:
            with self.ledger.store.transaction() as tx:
                settled = ledger_exports.set_marked(
                    tx, self.vendor, self.scope, gone, vendor_marked=None
                )
            return settled, {}
        return 0, {i: self._retry[i] for i in gone}

    # -- the end -------------------------------------------------------------------------

    def record_position(
        self, position: dt.datetime | None, reconciled_at: dt.datetime | None
    ) -> None:
        """A complete run reached ``position`` (None keeps the recorded one); a full
        listing started at ``reconciled_at``."""
        self.ledger.record_state(
            self.vendor,
            self.account,
            position=position,
            reconciled_at=reconciled_at,
            identity=self.identity,
        )
        if position is not None:
            self._position = position

    def reached(self) -> dt.datetime | None:
        """The account's position as recorded now: its identity's, which only this run
        moves while it holds the account (no query); without an identity, the one
        recorded last, read again."""
        if self.identity is None:
            return self.ledger.export_state(self.vendor, self.account).position
        return self._position

    def close(self) -> int:
        """Settle what can be, forget the groups not settled (read again next run), close
        the reader; returns how many records the listing left out as known."""
        if self._known is None:
            return 0
        self._settle_groups()
        skipped = self._known.skipped
        self._known = None
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        return skipped

    @property
    def listing_skipped(self) -> int:
        """Records the listing left out as known so far."""
        return self._known.skipped if self._known is not None else 0

    def _settle_groups(self) -> None:
        if self._known is None:
            return
        done = self._known.complete_groups()
        if done:
            with self.ledger.store.transaction() as tx:
                ledger_positions.save_groups(tx, self.vendor, self.scope, done)


_SETTLE_PATIENCE = 64
"""Batches a listed group may wait for its records to be written (more than any
read-ahead and fan-out can hold back); a group with a record that is never written
(malformed) is then dropped and simply read again by the next run."""


class LedgerKnown(KnownRecords):
    """What the ledger says one vendor account already has, for ``list_approved(known=)``.

    The one ledger lookup per record: ids it finds new are *vouched* for until they are
    written, so ``AccountRun.write`` does not look them up again. Ids the run still has to
    mark at the vendor (``pending``) count as not known, so the listing hands them out
    again with the record the mark needs. A group is recorded as held once none of the
    members it was listed with waits to be written. ``use_groups=False`` (a full listing)
    reads every group again.
    """

    def __init__(
        self,
        reader: LedgerReader,
        vendor: str,
        account: str,
        *,
        pending: Sequence[str] = (),
        use_groups: bool = True,
    ) -> None:
        super().__init__()
        self._reader = reader
        self._vendor = vendor
        self._account = account
        self._pending = frozenset(pending)
        self._use_groups = use_groups
        self._guard = threading.Lock()
        self._vouched: set[str] = set()
        self._failed: set[str] = set()
        # (group, version, size, members still to be written, settle calls survived)
        self._listed: list[tuple[str, str, int, frozenset[str], int]] = []

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        with self._guard:
            ask = [i for i in ids if i not in self._vouched]
        found = self._reader.exported_ids(self._vendor, self._account, ask) if ask else set()
        with self._guard:
            self._vouched.update(i for i in ask if i not in found and i not in self._pending)
        return found - self._pending if self._pending else found

    def unchanged_groups(self, groups: Sequence[tuple[str, str]]) -> dict[str, int]:
        if not self._use_groups or not groups:
            return {}
        return self._reader.unchanged_groups(self._vendor, self._account, groups)

    def group_listed(self, group: str, version: str, ids: Sequence[str]) -> None:
        with self._guard:
            waiting = frozenset(i for i in ids if i in self._vouched)
            self._listed.append((group, version, len(ids), waiting, 0))

    def vouched(self, ids: set[str]) -> set[str]:
        """Of ``ids``, those this listing found new."""
        with self._guard:
            return ids & self._vouched

    def settled(self, written: Sequence[str], failed: Sequence[str]) -> None:
        """``written`` are in the sink now; ``failed`` could not be written."""
        with self._guard:
            self._vouched.difference_update(written)
            self._vouched.difference_update(failed)
            self._failed.update(failed)

    def complete_groups(self) -> list[tuple[str, str, int]]:
        """``(group, version, size)`` of the listed groups none of whose members waits to
        be written any more; the others wait a few more calls, then are dropped (read
        again next run)."""
        done: list[tuple[str, str, int]] = []
        with self._guard:
            waiting: list[tuple[str, str, int, frozenset[str], int]] = []
            for group, version, size, members, age in self._listed:
                if members & self._failed:
                    continue
                if not members & self._vouched:
                    done.append((group, version, size))
                elif age < _SETTLE_PATIENCE:
                    waiting.append((group, version, size, members, age + 1))
            self._listed = waiting
        return done


def describe(exc: BaseException) -> str:
    """The first line of an error's text (its type when it has none)."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


__all__ = ["AccountRun", "LedgerKnown", "MarkSender", "Marked", "Written", "describe"]
