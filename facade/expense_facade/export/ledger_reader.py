"""Read-only lookups on an export ledger from any thread: what a listing's fan-out asks
(docs/export.md, "The ledger").
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from expense_facade.export.ledger_records import LedgerError
from expense_facade.export.ledger_sql import EXPORTED_AMONG, rows_among


class LedgerReader:
    """Read-only lookups on a ledger from any thread (its own connection, one query at a
    time); used by a listing's fan-out to ask what is already exported."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        try:
            self._db: sqlite3.Connection | None = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"cannot read the export ledger {path}: {exc}") from exc

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._db is None:
                raise LedgerError("the ledger reader is closed")
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise LedgerError(f"cannot read the export ledger: {exc}") from exc

    def exported_ids(self, vendor: str, account: str, expense_ids: Sequence[str]) -> set[str]:
        """The subset of ``expense_ids`` already exported."""
        rows = rows_among(self._rows, EXPORTED_AMONG, (vendor, account), expense_ids)
        return {expense_id for (expense_id,) in rows}

    def unchanged_groups(
        self, vendor: str, account: str, groups: Sequence[tuple[str, str]]
    ) -> dict[str, int]:
        """Of ``(group, version)``, those recorded at exactly that version, with their size."""
        wanted = dict(groups)
        select = (
            "SELECT group_id, version, records FROM known_groups "
            "WHERE vendor=? AND account=? AND group_id IN"
        )
        rows = rows_among(self._rows, select, (vendor, account), wanted)
        return {g: int(n) for g, v, n in rows if wanted.get(g) == v}


__all__ = ["LedgerReader"]
