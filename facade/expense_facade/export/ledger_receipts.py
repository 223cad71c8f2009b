"""The ledger's ``receipts`` table and its SQL: each receipt file an export downloads, by
(vendor, account's dedupe scope, expense id, receipt id), through its states
``pending`` (about to be downloaded, or failed and to be retried) -> ``stored`` (its
SHA-256 and file name recorded, the file perhaps not yet in place) -> ``done`` (the file
is in the receipts folder) (docs/export.md, "Receipts").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from expense_facade.export.ledger_query import Rows, chunks, marks, now
from expense_facade.export.ledger_store import Tx

TABLE = """
CREATE TABLE IF NOT EXISTS receipts (
    vendor       TEXT    NOT NULL,
    account      TEXT    NOT NULL,
    expense_id   TEXT    NOT NULL,
    receipt_id   TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('pending', 'stored', 'done')),
    sha256       TEXT,
    file         TEXT,
    size         BIGINT,
    content_type TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (vendor, account, expense_id, receipt_id)
);
CREATE INDEX IF NOT EXISTS receipts_by_state ON receipts (vendor, account, state);
"""
"""Schema 5: the receipt files an export downloaded (``export --receipts``)."""

Key = tuple[str, str]
"""``(expense_id, receipt_id)`` within one vendor account."""


@attrs.frozen(slots=True)
class ReceiptRow:
    """One receipt as the ledger knows it."""

    expense_id: str
    receipt_id: str
    state: str
    sha256: str | None
    file: str | None
    size: int | None
    content_type: str | None
    attempts: int
    last_error: str | None


_FIELDS = (
    "expense_id",
    "receipt_id",
    "state",
    "sha256",
    "file",
    "size",
    "content_type",
    "attempts",
    "last_error",
)
_COLUMNS = ", ".join(_FIELDS)


def _row(row: Sequence[object]) -> ReceiptRow:
    return ReceiptRow(
        expense_id=str(row[0]),
        receipt_id=str(row[1]),
        state=str(row[2]),
        sha256=None if row[3] is None else str(row[3]),
        file=None if row[4] is None else str(row[4]),
        size=None if row[5] is None else int(str(row[5])),
        content_type=None if row[6] is None else str(row[6]),
        attempts=int(str(row[7])),
        last_error=None if row[8] is None else str(row[8]),
    )


# -- reads -----------------------------------------------------------------------------------


def of_expenses(
    rows: Rows, vendor: str, account: str, expense_ids: Iterable[str]
) -> dict[Key, ReceiptRow]:
    """The rows of the receipts of ``expense_ids``."""
    found: dict[Key, ReceiptRow] = {}
    select = f"SELECT {_COLUMNS} FROM receipts WHERE vendor=? AND account=? AND expense_id IN"  # noqa: S608
    for chunk in chunks(sorted(set(expense_ids))):
        for raw in rows(f"{select} {marks(chunk)}", (vendor, account, *chunk)):
            row = _row(raw)
            found[(row.expense_id, row.receipt_id)] = row
    return found


def in_state(rows: Rows, vendor: str, account: str, state: str) -> list[ReceiptRow]:
    """The account's rows in ``state``, in key order."""
    found = rows(
        f"SELECT {_COLUMNS} FROM receipts WHERE vendor=? AND account=? AND state=? "  # noqa: S608
        "ORDER BY expense_id, receipt_id",
        (vendor, account, state),
    )
    return [_row(raw) for raw in found]


def pending_of_exported(rows: Rows, vendor: str, account: str) -> list[ReceiptRow]:
    """Receipts still to download whose records are exported already (an earlier run
    failed to download them, or was killed): the next run retries them by id."""
    found = rows(
        f"SELECT {', '.join(f'r.{c}' for c in _FIELDS)} "  # noqa: S608
        "FROM receipts r JOIN exports e ON e.vendor = r.vendor AND e.account = r.account "
        "AND e.expense_id = r.expense_id WHERE r.vendor=? AND r.account=? AND r.state='pending' "
        "ORDER BY r.expense_id, r.receipt_id",
        (vendor, account),
    )
    return [_row(raw) for raw in found]


def counts(rows: Rows, vendor: str, account: str) -> dict[str, int]:
    """How many receipts are in each state for one account."""
    found = rows(
        "SELECT state, COUNT(*) FROM receipts WHERE vendor=? AND account=? GROUP BY state",
        (vendor, account),
    )
    return {str(row[0]): int(str(row[1])) for row in found}


# -- writes ----------------------------------------------------------------------------------


def set_pending(tx: Tx, vendor: str, account: str, keys: Sequence[Key]) -> None:
    """Step 1 (intent): these receipts are about to be downloaded. A row already there
    goes back to ``pending`` (its file was found missing); its attempts are kept."""
    stamp = now()
    tx.run_many(
        "INSERT INTO receipts (vendor, account, expense_id, receipt_id, state, updated_at) "
        "VALUES (?, ?, ?, ?, 'pending', ?) ON CONFLICT (vendor, account, expense_id, receipt_id) "
        "DO UPDATE SET state='pending', sha256=NULL, file=NULL, size=NULL, content_type=NULL, "
        "updated_at=excluded.updated_at",
        [(vendor, account, expense_id, receipt_id, stamp) for expense_id, receipt_id in keys],
    )


@attrs.frozen(slots=True)
class Stored:
    """A downloaded receipt to record (step 3)."""

    key: Key
    sha256: str
    file: str
    size: int
    content_type: str


def set_stored(tx: Tx, vendor: str, account: str, stored: Sequence[Stored]) -> None:
    """Step 3 (recorded): the files are downloaded and checked; their hash and name."""
    stamp = now()
    tx.run_many(
        "UPDATE receipts SET state='stored', sha256=?, file=?, size=?, content_type=?, "
        "attempts=attempts+1, last_error=NULL, updated_at=? "
        "WHERE vendor=? AND account=? AND expense_id=? AND receipt_id=?",
        [
            (s.sha256, s.file, s.size, s.content_type, stamp, vendor, account, *s.key)
            for s in stored
        ],
    )


def set_failed(tx: Tx, vendor: str, account: str, failed: Sequence[tuple[Key, str]]) -> None:
    """A download failed: the receipt stays ``pending`` (retried by the next run), with
    why (``reason`` never holds a URL: see ``export.receipts``)."""
    stamp = now()
    tx.run_many(
        "UPDATE receipts SET attempts=attempts+1, last_error=?, updated_at=? "
        "WHERE vendor=? AND account=? AND expense_id=? AND receipt_id=? AND state='pending'",
        [(reason, stamp, vendor, account, *key) for key, reason in failed],
    )


def set_done(tx: Tx, vendor: str, account: str, keys: Sequence[Key]) -> None:
    """Step 5 (done): the files are in place in the receipts folder."""
    stamp = now()
    tx.run_many(
        "UPDATE receipts SET state='done', updated_at=? "
        "WHERE vendor=? AND account=? AND expense_id=? AND receipt_id=? AND state='stored'",
        [(stamp, vendor, account, *key) for key in keys],
    )


__all__ = [
    "TABLE",
    "Key",
    "ReceiptRow",
    "Stored",
    "counts",
    "in_state",
    "of_expenses",
    "pending_of_exported",
    "set_done",
    "set_failed",
    "set_pending",
    "set_stored",
]
