"""Skip before fan-out (``list_approved(known=...)``) and the incremental state's rules
(issue 13, items 1, 2 and 6): listing plans, what a run records, the ledger's tables."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import expense_facade as ef
import pytest
from expense_facade.cli import main as cli
from expense_facade.cli.exits import UsageError
from expense_facade.cli.export_command import format_duration, parse_duration
from expense_facade.export.ledger import SCHEMA_VERSION, AccountRun, ExportState, Ledger
from expense_facade.export.state import (
    DEFAULT_OVERLAP,
    DEFAULT_RECONCILE_AFTER,
    ListingMode,
    ListingPlan,
    PositionTracker,
    finish_state,
    plan_listing,
)
from expense_facade.listing import KnownRecords
from support.export_fakes import make_expense
from support.incremental import Account
from support.sandbox import make

pytestmark = pytest.mark.usefixtures("each_ledger_backend")

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
POSITION = dt.datetime(2026, 3, 1, 11, 0, tzinfo=dt.UTC)


# -- item 1: known records cost no per-record request -----------------------------------------


def test_pazy_fetches_no_detail_for_known_ids() -> None:
    sb = make("pazy", size=120)
    approved = list(sb.vendor("pazy").approved_ids())
    known = set(approved[:-5])
    with ef.connect("pazy", sandbox=sb, concurrency=4) as client:
        listing = client.list_approved(known=known, page_size=20)
        listed = [e.id for e in listing]
    assert listed == approved[-5:]
    details = [r for r in sb.requests if r.route == "GET /expense/{expenseId}"]
    assert len(details) == 5
    assert {r.url.rsplit("/", 1)[1] for r in details} == set(approved[-5:])


def test_a_predicate_works_like_a_set_and_unknown_means_everything() -> None:
    sb = make("pazy", size=60)
    approved = list(sb.vendor("pazy").approved_ids())
    with ef.connect("pazy", sandbox=sb) as client:
        assert [e.id for e in client.list_approved(known=lambda i: i != approved[0])] == [
            approved[0]
        ]
        assert [e.id for e in client.list_approved()] == approved
    with ef.connect("pazy", sandbox=sb) as client, pytest.raises(ef.ValidationError):
        client.list_approved(known="not-a-collection")


class _Groups(KnownRecords):
    """Holds every expense and every claim at the version it is listed with."""

    def __init__(self, ids: set[str]) -> None:
        super().__init__()
        self.ids = ids
        self.groups: dict[str, tuple[str, int]] = {}

    def known_ids(self, ids: object) -> set[str]:
        return {i for i in ids if i in self.ids}  # type: ignore[attr-defined]

    def unchanged_groups(self, groups: object) -> dict[str, int]:
        return {
            g: self.groups[g][1]
            for g, v in groups  # type: ignore[attr-defined]
            if g in self.groups and self.groups[g][0] == v
        }

    def group_listed(self, group: str, version: str, ids: object) -> None:
        self.groups[group] = (version, len(ids))  # type: ignore[arg-type]


def test_prospend_skips_the_expenses_and_splits_of_held_claims() -> None:
    sb = make("prospend", size=300)
    approved = list(sb.vendor("prospend").approved_ids())
    with ef.connect("prospend", sandbox=sb) as client:
        known = _Groups(set(approved))
        assert list(client.list_approved(known=known)) == []  # all known: nothing handed out
        assert known.skipped == len(approved)
        # Known expenses: their splits were not asked for.
        assert not [r for r in sb.requests if r.route and r.route.endswith("/split")]
        sb.clear_requests()
        # Every claim is now held at its version: only the claim pages are read.
        again = _Groups(set(approved))
        again.groups = dict(known.groups)
        assert list(client.list_approved(known=again)) == []
        assert again.skipped == len(approved)
        assert {r.route for r in sb.requests} == {"GET /{version}/company/{companyId}/claim"}


def test_reexport_asks_for_every_detail(tmp_path: Path) -> None:
    account = Account("pazy", tmp_path, size=80)
    account.export()
    approved = len(account.approved_ids())
    account.requests()
    account.export()
    assert not [r for r in account.requests() if r.endswith("{expenseId}")]
    summary = account.export(reexport=True)
    assert summary.exported == approved
    assert len([r for r in account.requests() if r.endswith("{expenseId}")]) == approved


def test_a_second_export_with_nothing_new_sends_no_per_record_request(tmp_path: Path) -> None:
    for vendor in ("pazy", "prospend"):
        account = Account(vendor, tmp_path / vendor, size=300)
        account.export()
        account.requests()
        second = account.export()
        assert second.exported == 0
        routes = set(account.requests())
        assert routes <= {
            "GET /expenses",
            "GET /{version}/company/{companyId}/claim",
        }, routes


# -- item 2: the listing plan and what a run records ----------------------------------------------


def plan(state: ExportState, *, filters: bool = True, **kwargs: object) -> ListingPlan:
    options: dict[str, object] = {
        "since": None,
        "full": False,
        "reexport": False,
        "overlap": DEFAULT_OVERLAP,
        "reconcile_after": DEFAULT_RECONCILE_AFTER,
        "now": NOW,
    }
    options.update(kwargs)
    return plan_listing(state, filters_by_update_time=filters, **options)  # type: ignore[arg-type]


def test_the_listing_plan() -> None:
    fresh = ExportState(POSITION, NOW, NOW - dt.timedelta(days=1))
    assert plan(ExportState(None, None, None)).mode is ListingMode.FIRST
    incremental = plan(fresh)
    assert incremental.mode is ListingMode.INCREMENTAL
    assert incremental.since == POSITION - DEFAULT_OVERLAP
    assert plan(fresh, overlap=dt.timedelta(minutes=1)).since == POSITION - dt.timedelta(minutes=1)
    assert plan(fresh, full=True).mode is ListingMode.FULL
    assert plan(fresh, reexport=True).mode is ListingMode.FULL
    given = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert plan(fresh, since=given) == ListingPlan(ListingMode.SINCE, given)
    assert plan(fresh, filters=False).mode is ListingMode.EVERYTHING
    old = ExportState(POSITION, NOW, NOW - DEFAULT_RECONCILE_AFTER)
    assert plan(old).mode is ListingMode.RECONCILIATION
    assert plan(old, reconcile_after=dt.timedelta(days=30)).mode is ListingMode.INCREMENTAL
    assert plan(ExportState(POSITION, NOW, None)).mode is ListingMode.RECONCILIATION


def unit(ledger: Ledger, state: ExportState) -> AccountRun:
    """brex/acct's units of work, as if the run had started from ``state``."""
    run = ledger.begin("brex", "acct")
    run.state = state
    return run


def test_what_a_complete_run_records(tmp_path: Path) -> None:
    later = POSITION + dt.timedelta(hours=1)
    tracker = PositionTracker()
    tracker.see([make_expense("brex", "a", updated_at=later), make_expense("brex", "b")])
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        state = ExportState(POSITION, NOW, NOW)
        # A --since after the position did not cover what lies between: no move.
        since_plan = ListingPlan(ListingMode.SINCE, POSITION + dt.timedelta(minutes=1))
        finish_state(unit(ledger, state), since_plan, tracker, started_at=NOW)
        assert ledger.export_state("brex", "acct") == ExportState(None, None, None)
        # Incremental: the position moves to the latest update time seen.
        inc = ListingPlan(ListingMode.INCREMENTAL, POSITION - DEFAULT_OVERLAP, POSITION)
        finish_state(unit(ledger, state), inc, tracker, started_at=NOW)
        recorded = ledger.export_state("brex", "acct")
        assert recorded.position == later
        assert recorded.reconciled_at is None
        # A full listing records when it started; a position never moves backwards.
        behind = PositionTracker()
        behind.see([make_expense("brex", "c", updated_at=POSITION)])
        finish_state(
            unit(ledger, recorded),
            ListingPlan(ListingMode.RECONCILIATION, None),
            behind,
            started_at=NOW,
        )
        assert ledger.export_state("brex", "acct") == ExportState(later, recorded.position_at, NOW)
        # Forgetting the account drops its state: the next run lists everything.
        ledger.forget("brex", "acct")
        assert ledger.export_state("brex", "acct") == ExportState(None, None, None)


@pytest.mark.sqlite_only("an SQLite file written by older code")
def test_a_version_1_ledger_gains_the_new_tables_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE exports (vendor TEXT NOT NULL, account TEXT NOT NULL, expense_id TEXT "
        "NOT NULL, state TEXT NOT NULL, sink TEXT, written_at TEXT NOT NULL, marked_at TEXT, "
        "vendor_marked INTEGER NOT NULL DEFAULT 0, export_count INTEGER NOT NULL DEFAULT 1, "
        "PRIMARY KEY (vendor, account, expense_id)) WITHOUT ROWID;"
        "INSERT INTO exports VALUES ('brex','a','x','marked',NULL,'2026-01-01T00:00:00+00:00',"
        "NULL,0,1);"
        "PRAGMA user_version=1;"
    )
    db.close()
    for _ in range(2):  # migrating twice is harmless
        with Ledger(path) as ledger:
            assert ledger.is_exported("brex", "a", "x")
            ledger.record_state("brex", "a", position=POSITION)
            assert ledger.export_state("brex", "a").position == POSITION
    (version,) = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()
    assert version == SCHEMA_VERSION


# -- the command's durations and flags ----------------------------------------------------------


def test_durations() -> None:
    assert parse_duration("90s", "x") == dt.timedelta(seconds=90)
    assert parse_duration("5m", "x") == dt.timedelta(minutes=5)
    assert parse_duration("7d", "x") == dt.timedelta(days=7)
    assert parse_duration(30, "x") == dt.timedelta(seconds=30)
    for bad in ("soon", "-1m", "nan", "1e12d", ""):
        with pytest.raises(UsageError):
            parse_duration(bad, "x")
    assert format_duration(DEFAULT_OVERLAP) == "5m"
    assert format_duration(DEFAULT_RECONCILE_AFTER) == "7d"


def test_the_command_refuses_contradictions_and_bad_durations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["export", "--vendor", "brex", "--sandbox", "--ledger", str(tmp_path / "l")]
    assert cli.main([*base, "--since", "2026-01-01", "--full"], environ={}) == cli.EXIT_FATAL
    assert "--since and --full" in capsys.readouterr().err
    assert cli.main([*base, "--overlap", "later"], environ={}) == cli.EXIT_FATAL
    assert "not a duration" in capsys.readouterr().err


def test_the_config_sets_overlap_and_reconciliation_age(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from expense_facade.cli.export_command import export_durations

    def args(**flags: str) -> argparse.Namespace:
        return argparse.Namespace(**{"overlap": None, "reconcile_after": None, **flags})

    config = {"export": {"overlap": "2m", "reconcile_after": "1d"}}
    assert export_durations(args(), config, None) == (
        dt.timedelta(minutes=2),
        dt.timedelta(days=1),
    )
    assert export_durations(args(overlap="30s"), config, None)[0] == dt.timedelta(seconds=30)
    with pytest.raises(UsageError, match="unknown setting 'overlapp'"):
        export_durations(args(), {"export": {"overlapp": "1m"}}, None)


def test_a_rejected_record_holds_the_position_at_its_update_time() -> None:
    early, mid, late = (POSITION + dt.timedelta(minutes=m) for m in (1, 2, 3))
    tracker = PositionTracker()
    tracker.see(
        [make_expense("brex", "a", updated_at=early), make_expense("brex", "c", updated_at=late)]
    )
    assert tracker.reached() == late
    tracker.hold(mid)
    assert tracker.reached() == mid
    tracker.hold(late)  # a later one changes nothing
    assert tracker.reached() == mid
    tracker.hold(None)  # unread: its time unknown, the position does not move
    assert tracker.reached() is None
