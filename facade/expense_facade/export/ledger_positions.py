"""The ledger's incremental tables and their SQL: ``export_state`` (per account, the
position a complete run reached and the last full listing) and ``known_groups`` (groups
held completely at a version) (docs/export.md, "The ledger"; docs/command.md,
"Incremental export").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from expense_facade.export.ledger_query import Rows, now, parse_ts, rows_among
from expense_facade.export.ledger_records import ExportState
from expense_facade.export.ledger_store import Tx

TABLES = """
CREATE TABLE IF NOT EXISTS export_state (
    vendor        TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    position      TEXT,
    position_at   TEXT,
    reconciled_at TEXT,
    PRIMARY KEY (vendor, account)
);
CREATE TABLE IF NOT EXISTS known_groups (
    vendor      TEXT    NOT NULL,
    account     TEXT    NOT NULL,
    group_id    TEXT    NOT NULL,
    version     TEXT    NOT NULL,
    records     INTEGER NOT NULL,
    recorded_at TEXT    NOT NULL,
    PRIMARY KEY (vendor, account, group_id)
);
"""


def state(rows: Rows, vendor: str, account: str) -> ExportState:
    """One account's incremental state (all None when never recorded)."""
    found = rows(
        "SELECT position, position_at, reconciled_at FROM export_state "
        "WHERE vendor=? AND account=?",
        (vendor, account),
    )
    if not found:
        return ExportState(None, None, None)
    row = found[0]
    return ExportState(parse_ts(row[0]), parse_ts(row[1]), parse_ts(row[2]))


def unchanged_groups(
    rows: Rows, vendor: str, account: str, groups: Sequence[tuple[str, str]]
) -> dict[str, int]:
    """Of ``(group, version)``, those recorded at exactly that version, with their size."""
    wanted = dict(groups)
    select = (
        "SELECT group_id, version, records FROM known_groups "
        "WHERE vendor=? AND account=? AND group_id IN"
    )
    found = rows_among(rows, select, (vendor, account), wanted)
    return {g: int(n) for g, v, n in found if wanted.get(g) == v}


def save_state(
    tx: Tx,
    vendor: str,
    account: str,
    *,
    position: dt.datetime | None,
    reconciled_at: dt.datetime | None,
    at: dt.datetime,
) -> None:
    """A complete run: the position it reached (None keeps the recorded one) and, for a
    full listing, when it started (None keeps the recorded one)."""
    tx.run(
        "INSERT INTO export_state (vendor, account, position, position_at, reconciled_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (vendor, account) DO UPDATE "
        "SET position=coalesce(excluded.position, export_state.position), "
        "position_at=CASE WHEN excluded.position IS NULL THEN export_state.position_at "
        "ELSE excluded.position_at END, "
        "reconciled_at=coalesce(excluded.reconciled_at, export_state.reconciled_at)",
        (
            vendor,
            account,
            None if position is None else position.isoformat(),
            None if position is None else at.isoformat(),
            None if reconciled_at is None else reconciled_at.isoformat(),
        ),
    )


def save_groups(tx: Tx, vendor: str, account: str, groups: Iterable[tuple[str, str, int]]) -> None:
    """Groups ``(group, version, records)`` now held completely at that version."""
    stamp = now()
    tx.run_many(
        "INSERT INTO known_groups (vendor, account, group_id, version, records, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (vendor, account, group_id) DO UPDATE SET "
        "version=excluded.version, records=excluded.records, recorded_at=excluded.recorded_at",
        [(vendor, account, g, v, n, stamp) for g, v, n in groups],
    )


def delete(tx: Tx, scope: str, params: Sequence[object]) -> None:
    """Drop the state and groups of ``scope`` (a ``WHERE`` on vendor and account)."""
    tx.run(f"DELETE FROM export_state WHERE {scope}", params)  # noqa: S608
    tx.run(f"DELETE FROM known_groups WHERE {scope}", params)  # noqa: S608
