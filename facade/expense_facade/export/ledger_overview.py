"""What a ledger holds, at a glance and bounded however large it is: the records per
vendor and dedupe scope, the positions per account, the outputs and the batches still
pending (``Ledger.overview``; ``expense-facade ledger show``, docs/command.md, "ledger").

Every statement runs on both backends (SQLite and PostgreSQL) and returns at most
``limit`` rows per table, with the full count beside them.
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

import attrs

from expense_facade.export import ledger_outputs
from expense_facade.export.ledger_query import Rows, parse_ts
from expense_facade.export.ledger_records import OutputBinding

_T = TypeVar("_T")


@attrs.frozen(slots=True)
class ScopeRecords:
    """The records of one vendor and dedupe scope (an account, or ``*``: the whole vendor,
    whose ids are unique across its customers)."""

    vendor: str
    scope: str
    exported: int
    """Records written to an output (marked or not)."""
    awaiting_mark: int
    """Of them, written but not yet marked (the next export completes their marks)."""
    last_written: dt.datetime | None


@attrs.frozen(slots=True)
class AccountPosition:
    """Where one account's incremental listing stands, under one identity."""

    vendor: str
    account: str
    base_url: str | None
    position: dt.datetime | None
    """The vendor's update time a complete run reached (None: none yet)."""
    position_at: dt.datetime | None
    """When the run that recorded ``position`` ran."""
    reconciled_at: dt.datetime | None
    """When the last full listing started."""

    @property
    def last_run(self) -> dt.datetime | None:
        """The latest complete run this row records."""
        return max((t for t in (self.position_at, self.reconciled_at) if t), default=None)


@attrs.frozen(slots=True)
class Shown(Generic[_T]):
    """At most ``limit`` rows of a table, and how many it holds in all."""

    rows: tuple[_T, ...]
    total: int

    @property
    def more(self) -> int:
        """Rows left out."""
        return self.total - len(self.rows)


@attrs.frozen(slots=True)
class LedgerOverview:
    """``Ledger.overview()``: each table of the ledger, bounded."""

    records: Shown[ScopeRecords]
    record_count: int
    """Records in all (every scope's, not only the ones shown)."""
    positions: Shown[AccountPosition]
    outputs: Shown[OutputBinding]
    interrupted: int
    """Records of batches announced to an output and never confirmed (a killed run's: the
    next export repairs them)."""
    receipts: dict[str, int] = attrs.field(factory=dict)
    """Receipt files (``export --receipts``) per state: ``done`` (in the folder),
    ``pending`` (to download: failed, retried by the next export), ``stored``."""


def _where(vendor: str | None) -> tuple[str, tuple[object, ...]]:
    return ("WHERE vendor=?", (vendor,)) if vendor is not None else ("", ())


def _count(rows: Rows, sql: str, params: tuple[object, ...]) -> int:
    return int(rows(sql, params)[0][0])


def records(rows: Rows, vendor: str | None, limit: int) -> Shown[ScopeRecords]:
    """Records per vendor and dedupe scope, in that order."""
    where, params = _where(vendor)
    found = rows(
        "SELECT vendor, account, COUNT(*), "  # noqa: S608 - where is one of two constants
        "SUM(CASE WHEN state='written' THEN 1 ELSE 0 END), MAX(written_at) "
        f"FROM exports {where} GROUP BY vendor, account ORDER BY vendor, account LIMIT ?",
        (*params, limit),
    )
    shown = tuple(
        ScopeRecords(v, a, int(n), int(w or 0), parse_ts(last)) for v, a, n, w, last in found
    )
    total = _count(
        rows,
        f"SELECT COUNT(*) FROM (SELECT DISTINCT vendor, account FROM exports {where}) AS s",  # noqa: S608
        params,
    )
    return Shown(shown, total)


def positions(rows: Rows, vendor: str | None, limit: int) -> Shown[AccountPosition]:
    """Positions per vendor, account and identity, in that order."""
    where, params = _where(vendor)
    found = rows(
        "SELECT vendor, account, base_url, position, position_at, reconciled_at "  # noqa: S608
        f"FROM export_state {where} ORDER BY vendor, account, identity LIMIT ?",
        (*params, limit),
    )
    shown = tuple(
        AccountPosition(v, a, url, parse_ts(p), parse_ts(pa), parse_ts(r))
        for v, a, url, p, pa, r in found
    )
    return Shown(shown, _count(rows, f"SELECT COUNT(*) FROM export_state {where}", params))  # noqa: S608


def overview(rows: Rows, *, vendor: str | None, limit: int) -> LedgerOverview:
    """The overview of the ledger ``rows`` reads (``vendor``: of that vendor only; the
    outputs are every vendor's)."""
    where, params = _where(vendor)
    outputs = Shown(tuple(ledger_outputs.every(rows, limit)), ledger_outputs.count(rows))
    return LedgerOverview(
        records=records(rows, vendor, limit),
        record_count=_count(rows, f"SELECT COUNT(*) FROM exports {where}", params),  # noqa: S608
        positions=positions(rows, vendor, limit),
        outputs=outputs,
        interrupted=_count(rows, f"SELECT COUNT(*) FROM intents {where}", params),  # noqa: S608
        receipts={
            str(state): int(n)
            for state, n in rows(
                f"SELECT state, COUNT(*) FROM receipts {where} GROUP BY state",  # noqa: S608
                params,
            )
        },
    )


__all__ = ["AccountPosition", "LedgerOverview", "ScopeRecords", "Shown", "overview"]
