"""The ledger's SQL: its tables, the migrations that take an older file forward, and the
lookups the ledger and its read-only reader share (docs/export.md, "The ledger").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

_T = TypeVar("_T")

SCHEMA_VERSION = 3
"""Bumped whenever the table layout changes; ``Ledger`` migrates older files forward."""

# SQLite limits the number of host parameters in one statement (999 on old builds).
CHUNK = 500

EXPORTS_TABLES = """
CREATE TABLE IF NOT EXISTS exports (
    vendor        TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    expense_id    TEXT    NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('written', 'marked')),
    sink          TEXT,
    written_at    TEXT    NOT NULL,
    marked_at     TEXT,
    vendor_marked INTEGER NOT NULL DEFAULT 0,
    export_count  INTEGER NOT NULL DEFAULT 1,
    mark_sent     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vendor, account, expense_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS exports_by_state ON exports (vendor, account, state);
CREATE TABLE IF NOT EXISTS intents (
    vendor      TEXT    NOT NULL,
    account     TEXT    NOT NULL,
    expense_id  TEXT    NOT NULL,
    sink        TEXT    NOT NULL,
    sink_format TEXT    NOT NULL,
    sink_offset INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (vendor, account, expense_id)
) WITHOUT ROWID;
"""

OUTPUTS_TABLE = """
CREATE TABLE IF NOT EXISTS outputs (
    path        TEXT    NOT NULL PRIMARY KEY,
    format      TEXT    NOT NULL,
    device      INTEGER NOT NULL,
    inode       INTEGER NOT NULL,
    length      INTEGER NOT NULL,
    head_hash   TEXT    NOT NULL,
    tail_hash   TEXT    NOT NULL,
    records     INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL
) WITHOUT ROWID;
"""

STATE_TABLES = """
CREATE TABLE IF NOT EXISTS export_state (
    vendor        TEXT    NOT NULL,
    account       TEXT    NOT NULL,
    position      TEXT,
    position_at   TEXT,
    reconciled_at TEXT,
    PRIMARY KEY (vendor, account)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS known_groups (
    vendor      TEXT    NOT NULL,
    account     TEXT    NOT NULL,
    group_id    TEXT    NOT NULL,
    version     TEXT    NOT NULL,
    records     INTEGER NOT NULL,
    recorded_at TEXT    NOT NULL,
    PRIMARY KEY (vendor, account, group_id)
) WITHOUT ROWID;
"""

# Forward migrations: the statements that take a file from version N-1 to N.
MIGRATIONS: dict[int, str] = {
    1: EXPORTS_TABLES.replace("    mark_sent     INTEGER NOT NULL DEFAULT 0,\n", ""),
    2: "ALTER TABLE exports ADD COLUMN mark_sent INTEGER NOT NULL DEFAULT 0;" + OUTPUTS_TABLE,
    3: STATE_TABLES,  # incremental state: tables only, IF NOT EXISTS (idempotent)
}

NEW_FILE = EXPORTS_TABLES + OUTPUTS_TABLE + STATE_TABLES
"""Today's layout, created at once in a new file."""

Rows = Callable[[str, Sequence[object]], list[tuple[Any, ...]]]
"""Runs one statement with its parameters and returns its rows."""

EXPORTED_AMONG = "SELECT expense_id FROM exports WHERE vendor=? AND account=? AND expense_id IN"
"""With ``(vendor, account)`` and the ids: which of them are exported."""


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size`` (the parameters one statement may take)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rows_among(
    rows: Rows, select: str, params: Sequence[object], among: Iterable[str]
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``select`` (ending in ``IN``) for the values ``among``, a few hundred
    per statement; ``params`` come before them."""
    for chunk in chunks(list(among)):
        marks = ",".join("?" * len(chunk))
        yield from rows(f"{select} ({marks})", (*params, *chunk))
