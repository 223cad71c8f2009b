"""Incremental export against the sandbox: no late approval is lost (issue 13, item 3).

Brex and ProSpend filter on the vendor's update time, so a run lists from the recorded
position minus the overlap. Each scenario changes the vendor between runs through the
sandbox's hooks and checks the output against the sandbox's ground truth: every approved
expense exactly once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from expense_facade.export.state import ListingMode
from expense_facade.sandbox import Fault
from support.incremental import Account, Killed, kill_after

pytestmark = pytest.mark.usefixtures("each_ledger_backend")

INCREMENTAL_VENDORS = ("brex", "prospend")


def approve(account: Account, count: int, *, at: dt.datetime | None = None) -> list[str]:
    """Approve ``count`` of the oldest unapproved expenses (brex) or claims (prospend) at
    ``at`` (default: the vendor's now); the expense ids that became approved."""
    sim = account.sim
    before = set(account.approved_ids())
    if account.vendor == "brex":
        waiting = [
            i
            for i in sim.ids_with_status("SUBMITTED")
            if i not in before and "purchased_at" in sim.get(i)  # not a sparse record
        ][:count]
        for expense_id in waiting:
            sim.set_status(expense_id, "APPROVED", at=at)
    else:
        claims = [
            c for c in sim.claim_ids_with_status("PendingApproval") if sim.expense_ids_of_claim(c)
        ][:count]
        for claim_id in claims:
            sim.set_claim_status(claim_id, "Finalised", at=at)
    fresh = [i for i in account.approved_ids() if i not in before]
    assert fresh
    return fresh


def mode_of(summary: object) -> ListingMode:
    (listing,) = summary.listings  # type: ignore[attr-defined]
    mode: ListingMode = listing.plan.mode
    return mode


@pytest.fixture(params=INCREMENTAL_VENDORS)
def account(request: pytest.FixtureRequest, tmp_path: Path) -> Account:
    return Account(request.param, tmp_path)


def test_a_late_approval_of_an_old_purchase_is_exported_by_the_next_run(
    account: Account,
) -> None:
    first = account.export()
    assert mode_of(first) is ListingMode.FIRST
    account.assert_exactly_once()
    position = account.state().position
    assert position is not None

    account.advance(3600)
    fresh = approve(account, 3)
    # Bought (claimed) months before the position: only the update time says it is new.
    for expense_id in fresh:
        if account.vendor == "brex":
            made = account.sim.get(expense_id)["purchased_at"]
        else:
            made = account.sim.claim(expense_id.split(":")[0])["createdDate"]
        assert dt.datetime.fromisoformat(made) < position - dt.timedelta(days=30)
    account.advance(60)
    second = account.export()

    assert mode_of(second) is ListingMode.INCREMENTAL
    assert second.exported == len(fresh)
    account.assert_exactly_once()
    new_position = account.state().position
    assert new_position is not None
    assert new_position > position


def test_records_sharing_the_boundary_update_time_are_all_exported(account: Account) -> None:
    account.export()
    account.advance(3600)
    boundary = account.sandbox.clock.now().replace(microsecond=0)
    first_batch = approve(account, 2, at=boundary)
    assert account.export().exported == len(first_batch)
    assert account.state().position == boundary

    # More records get the very same update time after the run recorded it.
    second_batch = approve(account, 2, at=boundary)
    account.advance(60)
    third = account.export(overlap=dt.timedelta(0))  # even without an overlap
    assert mode_of(third) is ListingMode.INCREMENTAL
    assert third.exported == len(second_batch)
    account.assert_exactly_once()


@pytest.mark.parametrize("skew_minutes", [-5, 5], ids=["vendor-behind", "vendor-ahead"])
@pytest.mark.parametrize("vendor", INCREMENTAL_VENDORS)
def test_a_vendor_clock_off_by_five_minutes_loses_nothing(
    vendor: str, skew_minutes: int, tmp_path: Path
) -> None:
    account = Account(vendor, tmp_path, vendor_skew=dt.timedelta(minutes=skew_minutes))
    # An overlap shorter than the skew: a position taken from this machine's clock would
    # lose what the vendor dates just after the run when its clock is behind.
    overlap = dt.timedelta(minutes=1)
    approve(account, 1)  # dated by the vendor's clock, just before the first run
    account.export(overlap=overlap)
    for _ in range(3):
        account.advance(2)
        approve(account, 1)  # seconds after the previous run, on the vendor's clock
        account.advance(2)
        summary = account.export(overlap=overlap)
        assert mode_of(summary) is ListingMode.INCREMENTAL
        assert summary.exported >= 1
        account.assert_exactly_once()


def test_a_run_killed_half_way_leaves_the_position_and_the_next_run_completes(
    account: Account,
) -> None:
    account.export()
    before = account.state()
    account.advance(3600)
    fresh = approve(account, 12)
    account.advance(60)

    with pytest.raises(Killed):
        account.export(page_size=3, on_progress=kill_after(2))
    assert account.state() == before  # an interrupted run never moves the position
    assert 0 < len(set(fresh) & set(account.exported_ids())) < len(fresh)

    account.advance(60)
    after = account.export()
    assert mode_of(after) is ListingMode.INCREMENTAL
    account.assert_exactly_once()
    assert account.state().position is not None
    assert account.state().position > before.position  # type: ignore[operator]


def test_a_run_the_vendor_stops_half_way_leaves_the_position(account: Account) -> None:
    account.export()
    before = account.state()
    account.advance(3600)
    approve(account, 12)
    route = "GET /v1/expenses" if account.vendor == "brex" else None
    account.sandbox.faults.add(
        account.vendor, route, Fault.status(400, message="stop"), times=None, after=2
    )
    stopped = account.export(page_size=3)
    assert stopped.errors
    assert account.state() == before

    account.sandbox.faults.clear()
    account.export()
    account.assert_exactly_once()


def test_the_scheduled_reconciliation_catches_what_the_position_hides(account: Account) -> None:
    account.export()
    position = account.state().position
    assert position is not None
    # A record the vendor dates before the position (a backdated change): an incremental
    # listing cannot see it, the full reconciliation does.
    hidden = approve(account, 1, at=position - dt.timedelta(days=3))
    account.advance(3600)
    incremental = account.export()
    assert mode_of(incremental) is ListingMode.INCREMENTAL
    assert incremental.exported == 0

    account.advance(7 * 86_400)  # the last full listing is now older than 7 days
    reconciliation = account.export()
    assert mode_of(reconciliation) is ListingMode.RECONCILIATION
    assert reconciliation.exported == len(hidden)
    account.assert_exactly_once()
    reconciled_at = account.state().reconciled_at
    assert reconciled_at == account.client_clock.now()
    account.advance(60)
    assert mode_of(account.export()) is ListingMode.INCREMENTAL  # the schedule restarts
