"""The ledger's record tables and their SQL: ``exports`` (each expense written, then
marked) and ``intents`` (a batch about to be appended to a sink). Every statement the
exactly-once protocol runs on them is here, in the dialect every backend takes
(docs/export.md, "The ledger").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from expense_facade.export.ledger_query import Rows, chunks, marks, now, parse_ts, rows_among
from expense_facade.export.ledger_records import Intent, LedgerEntry
from expense_facade.export.ledger_store import Tx

TABLES = """
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
);
CREATE INDEX IF NOT EXISTS exports_by_state ON exports (vendor, account, state);
CREATE TABLE IF NOT EXISTS intents (
    vendor      TEXT    NOT NULL,
    account     TEXT    NOT NULL,
    expense_id  TEXT    NOT NULL,
    sink        TEXT    NOT NULL,
    sink_format TEXT    NOT NULL,
    sink_offset BIGINT  NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (vendor, account, expense_id)
);
"""

ADD_MARK_SENT = "ALTER TABLE exports ADD COLUMN mark_sent INTEGER NOT NULL DEFAULT 0;"
"""Schema 2: the flag set just before the vendor is asked to mark."""

EXPORTED_AMONG = "SELECT expense_id FROM exports WHERE vendor=? AND account=? AND expense_id IN"
"""With ``(vendor, account)`` and the ids: which of them are exported."""


# -- reads -----------------------------------------------------------------------------------


def exported_among(rows: Rows, vendor: str, account: str, ids: Iterable[str]) -> set[str]:
    """The subset of ``ids`` exported for the account."""
    return {i for (i,) in rows_among(rows, EXPORTED_AMONG, (vendor, account), ids)}


def known_among(rows: Rows, vendor: str, ids: Iterable[str]) -> set[str]:
    """The subset of ``ids`` exported for ``vendor`` under any account."""
    select = "SELECT expense_id FROM exports WHERE vendor=? AND expense_id IN"
    return {i for (i,) in rows_among(rows, select, (vendor,), ids)}


def entry(rows: Rows, vendor: str, account: str, expense_id: str) -> LedgerEntry | None:
    """One expense's row, or None."""
    found = rows(
        "SELECT vendor, account, expense_id, state, sink, written_at, marked_at, "
        "vendor_marked, export_count, mark_sent FROM exports "
        "WHERE vendor=? AND account=? AND expense_id=?",
        (vendor, account, expense_id),
    )
    if not found:
        return None
    row = found[0]
    written_at = parse_ts(row[5])
    assert written_at is not None  # NOT NULL column
    return LedgerEntry(
        vendor=row[0],
        account=row[1],
        expense_id=row[2],
        state=row[3],
        sink=row[4],
        written_at=written_at,
        marked_at=parse_ts(row[6]),
        vendor_marked=bool(row[7]),
        export_count=int(row[8]),
        mark_sent=bool(row[9]),
    )


def pending_marks(rows: Rows, vendor: str, account: str) -> list[str]:
    """Ids written but not yet marked, oldest first."""
    found = rows(
        "SELECT expense_id FROM exports WHERE vendor=? AND account=? AND state='written' "
        "ORDER BY written_at, expense_id",
        (vendor, account),
    )
    return [row[0] for row in found]


def pending_intents(rows: Rows) -> list[Intent]:
    """Batches announced but never confirmed written, grouped by sink and account."""
    grouped: dict[tuple[str, str, str, str], tuple[int, list[str]]] = {}
    for sink, fmt, vendor, account, offset, expense_id in rows(
        "SELECT sink, sink_format, vendor, account, sink_offset, expense_id FROM intents "
        "ORDER BY sink, vendor, account, expense_id",
        (),
    ):
        key = (sink, fmt, vendor, account)
        lowest, ids = grouped.get(key, (int(offset), []))
        ids.append(expense_id)
        grouped[key] = (min(lowest, int(offset)), ids)
    return [
        Intent(
            sink=sink,
            sink_format=fmt,
            vendor=vendor,
            account=account,
            sink_offset=offset,
            expense_ids=tuple(ids),
        )
        for (sink, fmt, vendor, account), (offset, ids) in grouped.items()
    ]


def accounts(rows: Rows, vendor: str) -> list[str]:
    """The accounts of ``vendor`` with entries."""
    found = rows("SELECT DISTINCT account FROM exports WHERE vendor=? ORDER BY account", (vendor,))
    return [row[0] for row in found]


def counts(rows: Rows, vendor: str, account: str) -> dict[str, int]:
    """How many expenses are in each state for one account."""
    found = rows(
        "SELECT state, COUNT(*) FROM exports WHERE vendor=? AND account=? GROUP BY state",
        (vendor, account),
    )
    return {row[0]: int(row[1]) for row in found}


# -- protocol steps (each inside the caller's transaction) -----------------------------------


def add_intents(
    tx: Tx,
    vendor: str,
    account: str,
    ids: Collection[str],
    *,
    sink: str,
    sink_format: str,
    sink_offset: int,
) -> None:
    """Step 1: ``ids`` are about to be appended to ``sink`` at ``sink_offset``."""
    stamp = now()
    tx.run_many(
        "INSERT INTO intents (vendor, account, expense_id, sink, sink_format, sink_offset, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vendor, account, expense_id) "
        "DO UPDATE SET sink=excluded.sink, sink_format=excluded.sink_format, "
        "sink_offset=excluded.sink_offset, created_at=excluded.created_at",
        [(vendor, account, i, sink, sink_format, sink_offset, stamp) for i in ids],
    )


def add_written(
    tx: Tx, vendor: str, account: str, ids: Collection[str], *, sink: str | None, marked: bool
) -> None:
    """Step 3: ``ids`` are durably in ``sink``; their intents are dropped. ``marked``: the
    vendor has nothing to mark, so they are marked in the ledger at once. A re-export of an
    expense already held puts it back to ``written`` and counts the export."""
    stamp = now()
    state = "marked" if marked else "written"
    tx.run_many(
        "INSERT INTO exports (vendor, account, expense_id, state, sink, written_at, "
        "marked_at, vendor_marked, export_count) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1) "
        "ON CONFLICT (vendor, account, expense_id) DO UPDATE SET state=excluded.state, "
        "sink=excluded.sink, written_at=excluded.written_at, marked_at=excluded.marked_at, "
        "vendor_marked=0, mark_sent=0, export_count=exports.export_count+1",
        [(vendor, account, i, state, sink, stamp, stamp if marked else None) for i in ids],
    )
    tx.run_many(
        "DELETE FROM intents WHERE vendor=? AND account=? AND expense_id=?",
        [(vendor, account, i) for i in ids],
    )


RESTORE_BATCH = 5_000
"""Entries of a rebuilt file inserted per statement: a rebuild's memory is this many
entries, whatever the size of the file."""

_PRESENT = "rebuilt"
"""The temporary table of a rebuild's entries (created and dropped in its transaction)."""

_MISSING = (
    f"FROM exports WHERE sink=? AND NOT EXISTS (SELECT 1 FROM {_PRESENT} p "  # noqa: S608
    "WHERE p.vendor=exports.vendor AND p.account=exports.account "
    "AND p.expense_id=exports.expense_id)"
)
"""The entries recorded as written to a sink that the staged entries do not hold."""


def stage_present(tx: Tx, entries: Iterable[tuple[str, str, str]]) -> None:
    """Hold ``(vendor, scope, id)`` entries read back from an output in a temporary table
    of the transaction, ``RESTORE_BATCH`` at a time (an iterator is consumed as it goes:
    a file of millions of records never sits in memory); ``forget_missing`` and
    ``restore_written`` read it, ``unstage_present`` drops it."""
    tx.run(
        f"CREATE TEMP TABLE IF NOT EXISTS {_PRESENT} (vendor TEXT NOT NULL, "
        "account TEXT NOT NULL, expense_id TEXT NOT NULL, "
        "PRIMARY KEY (vendor, account, expense_id))"
    )
    tx.run(f"DELETE FROM {_PRESENT}")  # noqa: S608
    for chunk in chunks(entries, RESTORE_BATCH):
        tx.run_many(
            f"INSERT INTO {_PRESENT} (vendor, account, expense_id) VALUES (?, ?, ?) "  # noqa: S608
            "ON CONFLICT (vendor, account, expense_id) DO NOTHING",
            chunk,
        )


def unstage_present(tx: Tx) -> None:
    """Drop the table ``stage_present`` filled."""
    tx.run(f"DROP TABLE {_PRESENT}")


def forget_missing(tx: Tx, sink: str) -> tuple[set[str], int]:
    """Forget the entries recorded as written to ``sink`` that the staged entries do not
    hold (the file was cut, changed or replaced): they are exported again. Returns the
    vendors that lost entries and how many entries were forgotten."""
    vendors = {v for (v,) in tx.rows(f"SELECT DISTINCT vendor {_MISSING}", (sink,))}
    return vendors, tx.run(f"DELETE {_MISSING}", (sink,))


def restore_written(tx: Tx, *, sink: str) -> int:
    """The staged entries, as written to ``sink`` (their marks come next run); returns how
    many were new."""
    # "WHERE true": SQLite's parser needs a WHERE before an upsert's ON CONFLICT.
    return tx.run(
        "INSERT INTO exports (vendor, account, expense_id, state, sink, written_at, "  # noqa: S608
        f"vendor_marked, export_count) SELECT vendor, account, expense_id, 'written', ?, ?, "
        f"0, 1 FROM {_PRESENT} WHERE true ON CONFLICT (vendor, account, expense_id) DO NOTHING",
        (sink, now()),
    )


def drop_intents(tx: Tx, sink: str) -> int:
    """Drop every intent pointing at ``sink`` (once it is repaired)."""
    return tx.run("DELETE FROM intents WHERE sink=?", (sink,))


def flag_mark_sent(tx: Tx, vendor: str, account: str, ids: Collection[str]) -> set[str]:
    """Step 4a: the vendor is about to be asked to mark these written expenses; returns
    those not flagged already."""
    newly: set[str] = set()
    for chunk in chunks(list(ids)):
        where = (
            "WHERE vendor=? AND account=? AND state='written' AND mark_sent=0 "
            f"AND expense_id IN {marks(chunk)}"
        )
        params = (vendor, account, *chunk)
        newly.update(row[0] for row in tx.rows(f"SELECT expense_id FROM exports {where}", params))  # noqa: S608
        tx.run(f"UPDATE exports SET mark_sent=1 {where}", params)  # noqa: S608
    return newly


def unflag_mark_sent(tx: Tx, vendor: str, account: str, ids: Collection[str]) -> None:
    """The vendor answered without marking these: no mark of theirs is in flight."""
    for chunk in chunks(list(ids)):
        tx.run(
            "UPDATE exports SET mark_sent=0 WHERE vendor=? AND account=? "  # noqa: S608
            f"AND state='written' AND expense_id IN {marks(chunk)}",
            (vendor, account, *chunk),
        )


def set_marked(
    tx: Tx, vendor: str, account: str, ids: Collection[str], *, vendor_marked: bool | None
) -> int:
    """Step 4b: written expenses marked; ``vendor_marked`` None takes it from ``mark_sent``
    (a mark this ledger had sent). Ids never written are left alone."""
    stamp = now()
    how = "mark_sent" if vendor_marked is None else "?"
    how_params: tuple[object, ...] = () if vendor_marked is None else (int(vendor_marked),)
    changed = 0
    for chunk in chunks(list(ids)):
        changed += tx.run(
            f"UPDATE exports SET state='marked', marked_at=?, vendor_marked={how} "  # noqa: S608
            f"WHERE vendor=? AND account=? AND expense_id IN {marks(chunk)}",
            (stamp, *how_params, vendor, account, *chunk),
        )
    return changed


def delete(tx: Tx, scope: str, params: Sequence[object], ids: Sequence[str] | None) -> int:
    """Forget entries of ``scope`` (a ``WHERE`` on vendor and account), or only ``ids``."""
    if ids is None:
        return tx.run(f"DELETE FROM exports WHERE {scope}", params)  # noqa: S608
    removed = 0
    for chunk in chunks(ids):
        removed += tx.run(
            f"DELETE FROM exports WHERE {scope} AND expense_id IN {marks(chunk)}",  # noqa: S608
            (*params, *chunk),
        )
    return removed


def to_v4(tx: Tx, scope_of: Callable[[str, str], str]) -> None:
    """Schema 4: every entry and intent keyed by its dedupe scope instead of the account
    label it was written under (``localhost`` and ``127.0.0.1:8765`` are one account; a
    vendor whose ids are unique across customers is one scope). An id held under two
    old labels is kept once."""
    for table, columns in (
        ("exports", "state, sink, written_at, marked_at, vendor_marked, export_count, mark_sent"),
        ("intents", "sink, sink_format, sink_offset, created_at"),
    ):
        for vendor, account in tx.rows(f"SELECT DISTINCT vendor, account FROM {table}"):  # noqa: S608
            scope = scope_of(vendor, account)
            if scope == account:
                continue
            tx.run(
                f"INSERT INTO {table} (vendor, account, expense_id, {columns}) "  # noqa: S608
                f"SELECT vendor, ?, expense_id, {columns} FROM {table} "
                "WHERE vendor=? AND account=? ON CONFLICT (vendor, account, expense_id) DO NOTHING",
                (scope, vendor, account),
            )
            tx.run(f"DELETE FROM {table} WHERE vendor=? AND account=?", (vendor, account))  # noqa: S608
