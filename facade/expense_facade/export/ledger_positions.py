"""The ledger's incremental tables and their SQL: ``export_state`` (per account, the
position a complete run reached and the last full listing) and ``known_groups`` (groups
held completely at a version) (docs/export.md, "The ledger"; docs/command.md,
"Incremental export").
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from expense_facade.export.ledger_query import Rows, now, parse_ts, rows_among
from expense_facade.export.ledger_records import ExportState
from expense_facade.export.ledger_store import Tx

STATE_V3 = """
CREATE TABLE IF NOT EXISTS export_state (
    vendor        TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    position      TEXT,
    position_at   TEXT,
    reconciled_at TEXT,
    PRIMARY KEY (vendor, account)
);
"""

STATE = """
CREATE TABLE IF NOT EXISTS export_state (
    vendor        TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    identity      TEXT    NOT NULL,
    base_url      TEXT,
    position      TEXT,
    position_at   TEXT,
    reconciled_at TEXT,
    PRIMARY KEY (vendor, account, identity)
);
"""
"""Schema 4: a position per account label (``account_identity.canonical_label``) and
identity (``AccountIdentity.key``: base URL and credentials); ``''``: not recorded."""

META = """
CREATE TABLE IF NOT EXISTS ledger_meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
"""
"""The ledger's own settings: ``identity_key``, the random key of the credentials'
fingerprints (it never leaves the ledger)."""

GROUPS = """
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

TABLES = STATE + META + GROUPS

_STATE = "SELECT position, position_at, reconciled_at, identity, base_url FROM export_state"
_LAST_FIRST = "ORDER BY coalesce(position_at, reconciled_at, '') DESC"
"""The latest recorded first (a position, else a full listing, reached last)."""


def state(rows: Rows, vendor: str, label: str, identity: str | None) -> ExportState:
    """The incremental state of one account label under ``identity`` (None: the one
    recorded last, whatever its identity); all None when never recorded."""
    where, params = "WHERE vendor=? AND account=?", [vendor, label]
    if identity is not None:
        where += " AND identity=?"
        params.append(identity)
    found = rows(f"{_STATE} {where} {_LAST_FIRST} LIMIT 1", params)
    return _state(found[0] if found else None)


def states(rows: Rows, vendor: str, label: str, identity: str) -> tuple[ExportState, ExportState]:
    """``state`` under ``identity``, and the one recorded last (``state`` with None), in
    one query."""
    found = rows(f"{_STATE} WHERE vendor=? AND account=? {_LAST_FIRST}", (vendor, label))
    mine = next((row for row in found if row[3] == identity), None)
    return _state(mine), _state(found[0] if found else None)


def _state(row: Sequence[Any] | None) -> ExportState:
    if row is None:
        return ExportState(None, None, None)
    return ExportState(
        parse_ts(row[0]), parse_ts(row[1]), parse_ts(row[2]), identity=row[3], base_url=row[4]
    )


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
    label: str,
    identity: str,
    base_url: str | None,
    *,
    position: dt.datetime | None,
    reconciled_at: dt.datetime | None,
    at: dt.datetime,
) -> None:
    """A complete run: the position it reached (None keeps the recorded one) and, for a
    full listing, when it started (None keeps the recorded one)."""
    tx.run(
        "INSERT INTO export_state (vendor, account, identity, base_url, position, "
        "position_at, reconciled_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (vendor, account, identity) DO UPDATE "
        "SET position=coalesce(excluded.position, export_state.position), "
        "position_at=CASE WHEN excluded.position IS NULL THEN export_state.position_at "
        "ELSE excluded.position_at END, "
        "reconciled_at=coalesce(excluded.reconciled_at, export_state.reconciled_at)",
        (
            vendor,
            label,
            identity,
            base_url,
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


def delete(tx: Tx, vendor: str, label: str | None, scope: str | None) -> None:
    """Drop the state of an account label and the groups of its dedupe scope (None: of
    every account of ``vendor``)."""
    if label is None or scope is None:
        tx.run("DELETE FROM export_state WHERE vendor=?", (vendor,))
        tx.run("DELETE FROM known_groups WHERE vendor=?", (vendor,))
        return
    tx.run("DELETE FROM export_state WHERE vendor=? AND account=?", (vendor, label))
    tx.run("DELETE FROM known_groups WHERE vendor=? AND account=?", (vendor, scope))


def stored_identity_key(rows: Rows) -> bytes | None:
    """The ledger's key for the credentials' fingerprints, or None when not made yet."""
    found = rows("SELECT value FROM ledger_meta WHERE name='identity_key'", ())
    return bytes.fromhex(found[0][0]) if found else None


def identity_key(tx: Tx) -> bytes:
    """The ledger's key for the credentials' fingerprints, made (random) on first use."""
    found = stored_identity_key(tx.rows)
    if found is not None:
        return found
    # Two processes opening a new shared (PostgreSQL) ledger at once both get here: the
    # first key stored wins, and both read it back (the fault test met the plain INSERT's
    # unique violation).
    tx.run(
        "INSERT INTO ledger_meta (name, value) VALUES ('identity_key', ?)"
        " ON CONFLICT (name) DO NOTHING",
        (secrets.token_bytes(32).hex(),),
    )
    stored = tx.rows("SELECT value FROM ledger_meta WHERE name='identity_key'")
    return bytes.fromhex(stored[0][0])


def to_v4(tx: Tx, label_of: Callable[[str, str], str], scope_of: Callable[[str, str], str]) -> None:
    """Schema 4: positions keyed by canonical label and identity (an older position's
    identity was never recorded: ``''``, so the next run of that account lists in full),
    groups keyed by dedupe scope, and the meta table."""
    old = tx.rows("SELECT vendor, account, position, position_at, reconciled_at FROM export_state")
    tx.run("DROP TABLE export_state")
    for script in (STATE, META):
        tx.run(script.strip().rstrip(";"))
    tx.run_many(
        "INSERT INTO export_state (vendor, account, identity, position, position_at, "
        "reconciled_at) VALUES (?, ?, '', ?, ?, ?) "
        "ON CONFLICT (vendor, account, identity) DO NOTHING",
        [(v, label_of(v, a), p, pa, r) for v, a, p, pa, r in old],
    )
    for vendor, account in tx.rows("SELECT DISTINCT vendor, account FROM known_groups"):
        scope = scope_of(vendor, account)
        if scope != account:
            tx.run(
                "INSERT INTO known_groups (vendor, account, group_id, version, records, "
                "recorded_at) SELECT vendor, ?, group_id, version, records, recorded_at "
                "FROM known_groups WHERE vendor=? AND account=? "
                "ON CONFLICT (vendor, account, group_id) DO NOTHING",
                (scope, vendor, account),
            )
            tx.run("DELETE FROM known_groups WHERE vendor=? AND account=?", (vendor, account))
