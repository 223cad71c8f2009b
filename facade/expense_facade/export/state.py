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
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from expense_facade._wording import counted
from expense_facade.export.ledger_records import ExportState
from expense_facade.records import Expense

if TYPE_CHECKING:
    from expense_facade.export.ledger_units import AccountRun

DEFAULT_OVERLAP = dt.timedelta(minutes=5)
"""How far before the recorded position an incremental run starts listing: records the
vendor dates just before the position (equal times, late commits) are read again and
skipped by the ledger."""

DEFAULT_RECONCILE_AFTER = dt.timedelta(days=7)
"""A full listing runs by itself when the last one is older than this."""

CLOCK_TOLERANCE = dt.timedelta(minutes=2)
"""How far past the vendor's own clock (its ``Date`` header, whole seconds) a record's
update time may lie and still move the position."""

CLOCK_JUMP = dt.timedelta(days=1)
"""A recorded position further than this past this machine's clock was taken from a
record dated in the future (before positions were bounded by the vendor's clock): the
next run reconciles in full. (A vendor's clock may run a little ahead of ours.)"""

NAMED_FUTURE = 5
"""Records dated past the vendor's clock named in the warning (the rest are counted)."""


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
    NEW_IDENTITY = "new-identity"
    """Full: the account has a position, but not under this identity (other credentials,
    another base URL, or an identity an older version did not record)."""
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
    reason: str | None = None
    """Why (``NEW_IDENTITY``)."""

    @property
    def full(self) -> bool:
        """True when this run lists everything a position would have cut off."""
        return self.mode in (
            ListingMode.FIRST,
            ListingMode.FULL,
            ListingMode.RECONCILIATION,
            ListingMode.NEW_IDENTITY,
        )

    def describe(self) -> str:
        """A few words for the summary line."""
        if self.mode is ListingMode.INCREMENTAL and self.position is not None:
            return f"incremental from {_stamp(self.position)}"
        if self.mode is ListingMode.SINCE and self.since is not None:
            return f"since {_stamp(self.since)} (as asked)"
        if self.mode is ListingMode.NEW_IDENTITY:
            return f"full (new account identity: {self.reason})"
        words: dict[ListingMode, str] = {
            ListingMode.FIRST: "full (first run, no position yet)",
            ListingMode.FULL: "full (by request)",
            ListingMode.RECONCILIATION: "full (scheduled reconciliation)",
            ListingMode.EVERYTHING: "lists everything (no update-time filter)",
        }
        return words.get(self.mode, str(self.mode.value))


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
    new_identity: str | None = None,
) -> ListingPlan:
    """Choose this run's listing (see the module docstring and docs/command.md).
    ``new_identity``: why the account's position is not this identity's."""
    if not filters_by_update_time:
        return ListingPlan(ListingMode.EVERYTHING, since)
    if since is not None:
        return ListingPlan(ListingMode.SINCE, since)
    if full or reexport:
        return ListingPlan(ListingMode.FULL, None)
    if state.position is None:
        if new_identity is not None:
            return ListingPlan(ListingMode.NEW_IDENTITY, None, reason=new_identity)
        return ListingPlan(ListingMode.FIRST, None)
    if (
        state.reconciled_at is None
        or now - state.reconciled_at >= reconcile_after
        # A clock that jumped: a reconciliation "in the future", or a position past any
        # clock (recorded before positions were bounded by the vendor's), is due now.
        or state.reconciled_at > now
        or state.position > now + CLOCK_JUMP
    ):
        return ListingPlan(ListingMode.RECONCILIATION, None)
    return ListingPlan(ListingMode.INCREMENTAL, state.position - overlap, state.position)


class PositionTracker:
    """The latest vendor update time among the records a run listed, never past the
    vendor's own clock: a record dated beyond it (plus ``CLOCK_TOLERANCE``) is exported
    but does not move the position, and is named in ``warning()``; held back at any record
    the run could not export (``hold``)."""

    def __init__(self) -> None:
        self.latest: dt.datetime | None = None
        self.future: list[tuple[str, dt.datetime]] = []
        """The first ``NAMED_FUTURE`` records dated past the vendor's clock."""
        self.future_count = 0
        self.clock: dt.datetime | None = None
        """The vendor's clock they were compared with (the latest seen)."""
        self.ceiling: dt.datetime | None = None
        self.stuck = False  # a record was held whose update time is unknown

    def hold(self, stamp: dt.datetime | None) -> None:
        """A listed record was rejected: the position may not pass ``stamp``, its update
        time (None: unknown, so the position does not move this run), so the next run
        lists it again (docs/export.md, "Rejected records")."""
        if stamp is None:
            self.stuck = True
        elif self.ceiling is None or stamp < self.ceiling:
            self.ceiling = stamp

    def reached(self) -> dt.datetime | None:
        """The position this run may record (None: none)."""
        if self.stuck or self.latest is None:
            return None
        return self.latest if self.ceiling is None else min(self.latest, self.ceiling)

    def see(self, expenses: Sequence[Expense], vendor_now: dt.datetime | None = None) -> None:
        """Take the update times of a page's records into account; ``vendor_now``: the
        vendor's clock when it answered with them."""
        cap = None if vendor_now is None else vendor_now + CLOCK_TOLERANCE
        if vendor_now is not None and (self.clock is None or vendor_now > self.clock):
            self.clock = vendor_now
        for expense in expenses:
            stamp = expense.updated_at
            if stamp is None:
                continue
            if cap is not None and stamp > cap:
                self.future_count += 1
                if len(self.future) < NAMED_FUTURE:
                    self.future.append((expense.id, stamp))
            elif self.latest is None or stamp > self.latest:
                self.latest = stamp

    def warning(self) -> str | None:
        """The records dated past the vendor's clock, or None."""
        if not self.future_count or self.clock is None:
            return None
        named = ", ".join(f"{i} (updated {_stamp(t)})" for i, t in self.future)
        more = self.future_count - len(self.future)
        return (
            f"{counted(self.future_count, 'record')} dated after "
            f"the vendor's clock ({_stamp(self.clock)}): {named}"
            + (f" and {more} more" if more else "")
            + "; exported, but the position does not move past the vendor's clock"
        )


def finish_state(
    run: AccountRun,
    plan: ListingPlan,
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
    state = run.state
    covered = plan.mode is not ListingMode.SINCE or (
        plan.since is not None and state.position is not None and plan.since <= state.position
    )
    position = tracker.reached() if covered else None
    if position is not None and state.position is not None and position <= state.position:
        position = None
    reconciled = started_at if plan.full else None
    if position is None and reconciled is None:
        return
    run.record_position(position, reconciled)


__all__ = [
    "CLOCK_TOLERANCE",
    "DEFAULT_OVERLAP",
    "DEFAULT_RECONCILE_AFTER",
    "ListingMode",
    "ListingPlan",
    "PositionTracker",
    "finish_state",
    "plan_listing",
]
