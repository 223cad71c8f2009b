"""Incremental export state: which listing a run asks for, and what it records.

Per vendor account the ledger keeps a *position* (the vendor's update time a complete run
reached, read from the records themselves, so the vendor's clock, not this machine's) and
when the last complete full listing ran. ``plan_listing`` turns that, the options and the
vendor's abilities into the listing of this run (``ListingPlan``); ``PositionTracker``
follows the records' update times while it runs; ``finish_state`` records the outcome of a
complete run (a failed or interrupted run records nothing). docs/command.md,
"Incremental export", is the user's description.
"""

from __future__ import annotations

import datetime as dt
import enum
import threading
from collections.abc import Sequence

import attrs

from expense_facade.export.ledger import ExportState, Ledger, LedgerReader
from expense_facade.listing import KnownRecords
from expense_facade.records import Expense

DEFAULT_OVERLAP = dt.timedelta(minutes=5)
"""How far before the recorded position an incremental run starts listing: records the
vendor dates just before the position (equal times, late commits) are read again and
skipped by the ledger."""

DEFAULT_RECONCILE_AFTER = dt.timedelta(days=7)
"""A full listing runs by itself when the last one is older than this."""


class ListingMode(enum.Enum):
    """Which listing a run asked the vendor for (printed in the summary)."""

    INCREMENTAL = "incremental"
    """From the recorded position minus the overlap."""
    FIRST = "first"
    """Full: no position recorded yet."""
    FULL = "full"
    """Full, by request (``--full``, or ``--reexport`` without ``--since``)."""
    RECONCILIATION = "reconciliation"
    """Full, because the last full listing is older than the reconciliation age."""
    SINCE = "since"
    """From the ``--since`` the caller gave."""
    EVERYTHING = "everything"
    """The vendor has no update-time filter: every run lists all approved expenses (the
    ledger skips what is exported, with no per-record request)."""


@attrs.frozen(slots=True)
class ListingPlan:
    """The listing one vendor account's run asks for."""

    mode: ListingMode
    since: dt.datetime | None
    position: dt.datetime | None = None
    """The recorded position this run starts from (``INCREMENTAL``), else None."""

    @property
    def full(self) -> bool:
        """True when this run lists everything a position would have cut off."""
        return self.mode in (ListingMode.FIRST, ListingMode.FULL, ListingMode.RECONCILIATION)

    def describe(self) -> str:
        """A few words for the summary line."""
        if self.mode is ListingMode.INCREMENTAL and self.position is not None:
            return f"incremental from {_stamp(self.position)}"
        if self.mode is ListingMode.SINCE and self.since is not None:
            return f"since {_stamp(self.since)} (as asked)"
        return {
            ListingMode.FIRST: "full (first run, no position yet)",
            ListingMode.FULL: "full (by request)",
            ListingMode.RECONCILIATION: "full (scheduled reconciliation)",
            ListingMode.EVERYTHING: "lists everything (no update-time filter)",
        }.get(self.mode, self.mode.value)


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def plan_listing(
    state: ExportState,
    *,
    filters_by_update_time: bool,
    since: dt.datetime | None,
    full: bool,
    reexport: bool,
    overlap: dt.timedelta,
    reconcile_after: dt.timedelta,
    now: dt.datetime,
) -> ListingPlan:
    """Choose this run's listing (see the module docstring and docs/command.md)."""
    if not filters_by_update_time:
        return ListingPlan(ListingMode.EVERYTHING, since)
    if since is not None:
        return ListingPlan(ListingMode.SINCE, since)
    if full or reexport:
        return ListingPlan(ListingMode.FULL, None)
    if state.position is None:
        return ListingPlan(ListingMode.FIRST, None)
    if state.reconciled_at is None or now - state.reconciled_at >= reconcile_after:
        return ListingPlan(ListingMode.RECONCILIATION, None)
    return ListingPlan(ListingMode.INCREMENTAL, state.position - overlap, state.position)


class PositionTracker:
    """The latest vendor update time among the records a run listed."""

    def __init__(self) -> None:
        self.latest: dt.datetime | None = None

    def see(self, expenses: Sequence[Expense]) -> None:
        """Take the update times of a page's records into account."""
        for expense in expenses:
            stamp = expense.updated_at
            if stamp is not None and (self.latest is None or stamp > self.latest):
                self.latest = stamp


def finish_state(
    ledger: Ledger,
    vendor: str,
    account: str,
    plan: ListingPlan,
    state: ExportState,
    tracker: PositionTracker,
    *,
    started_at: dt.datetime,
) -> None:
    """Record what a complete run reached (call it only when the listing was read to the
    end without a vendor error).

    The position moves only when this run's listing covered everything after the old
    one: an explicit ``since`` later than the recorded position did not, and leaves it
    alone. It never moves backwards. A full listing records when it started."""
    if plan.mode is ListingMode.EVERYTHING:
        return
    covered = plan.mode is not ListingMode.SINCE or (
        plan.since is not None and state.position is not None and plan.since <= state.position
    )
    position = tracker.latest if covered else None
    if position is not None and state.position is not None and position <= state.position:
        position = None
    reconciled = started_at if plan.full else None
    if position is None and reconciled is None:
        return
    ledger.record_state(vendor, account, position=position, reconciled_at=reconciled)


_SETTLE_PATIENCE = 64
"""Pages a listed group may wait for its records to be written (more than any read-ahead
and fan-out can hold back); a group with a record that is never written (malformed) is
then dropped and simply read again by the next run."""


class LedgerKnown(KnownRecords):
    """What the ledger says one vendor account already has, for ``list_approved(known=)``.

    Ids the run still has to mark at the vendor (``pending``) count as not known, so the
    listing hands them out again with the record the mark needs. Groups are remembered as
    they are listed and recorded by ``settle_groups`` once every record in them is
    exported. ``use_groups=False`` (a full listing) reads every group again.
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
        # (group, version, its ids, settle calls survived)
        self._listed: list[tuple[str, str, tuple[str, ...], int]] = []
        self._listed_lock = threading.Lock()

    def known_ids(self, ids: Sequence[str]) -> set[str]:
        found = self._reader.exported_ids(self._vendor, self._account, ids)
        return found - self._pending if self._pending else found

    def unchanged_groups(self, groups: Sequence[tuple[str, str]]) -> dict[str, int]:
        if not self._use_groups or not groups:
            return {}
        return self._reader.unchanged_groups(self._vendor, self._account, groups)

    def group_listed(self, group: str, version: str, ids: Sequence[str]) -> None:
        with self._listed_lock:
            self._listed.append((group, version, tuple(ids), 0))

    def settle_groups(self, ledger: Ledger) -> None:
        """Record the groups listed so far whose records are all exported; keep the rest
        for a few more calls (their records may still be on their way to the sink, up to
        the read-ahead and fan-out ahead), then drop them: they are read again next run."""
        with self._listed_lock:
            listed, self._listed = self._listed, []
        if not listed:
            return
        members = [i for _, _, ids, _ in listed for i in ids]
        exported = ledger.exported_ids(self._vendor, self._account, members)
        done: list[tuple[str, str, int]] = []
        waiting: list[tuple[str, str, tuple[str, ...], int]] = []
        for group, version, ids, age in listed:
            if all(i in exported for i in ids):
                done.append((group, version, len(ids)))
            elif age < _SETTLE_PATIENCE:
                waiting.append((group, version, ids, age + 1))
        if done:
            ledger.record_groups(self._vendor, self._account, done)
        if waiting:
            with self._listed_lock:
                self._listed[:0] = waiting

    def drop_unsettled(self) -> None:
        """Forget the groups not settled (the run ends: they are read again next time)."""
        with self._listed_lock:
            self._listed = []


__all__ = [
    "DEFAULT_OVERLAP",
    "DEFAULT_RECONCILE_AFTER",
    "LedgerKnown",
    "ListingMode",
    "ListingPlan",
    "PositionTracker",
    "finish_state",
    "plan_listing",
]
