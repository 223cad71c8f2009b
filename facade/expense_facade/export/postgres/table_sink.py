"""``--out postgresql://…#schema.table``: the destination table as a sink whose records are
written in the very transaction that records them in the PostgreSQL ledger, so a record
is in the table exactly when the ledger holds it (docs/scale.md, "The destination table").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from expense_facade.errors import ConfigurationError
from expense_facade.export.postgres.connection import connect, parse_table_target, redacted
from expense_facade.export.postgres.store import SERVER_IDENTITY as _SERVER_IDENTITY
from expense_facade.export.postgres.table import ensure_table, insert_rows
from expense_facade.export.rejects import NUL_REASON
from expense_facade.export.remedies import Remedied, Remedy, WayOn
from expense_facade.export.sinks import JsonLinesFormat, Sink, SinkError
from expense_facade.records import Expense

if TYPE_CHECKING:
    from expense_facade.export.ledger_store import LedgerStore, Tx


_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
"""A NUL escaped in JSON text: ``\u0000`` after an even number of backslashes (a
backslash written in the text is ``\\`` in JSON)."""


def nul_at(value: object, where: str = "") -> str | None:
    """The place of the first text holding NUL in ``value`` (JSON-ready data), by its
    keys and indexes (``description``, ``raw.memo``, ``line_items[2].description``)."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    items: Iterable[tuple[str, object]] = ()
    if isinstance(value, dict):
        for key in value:
            if "\x00" in str(key):
                return f"{where}.{key!r}".lstrip(".")
        items = ((f"{where}.{key}".lstrip("."), item) for key, item in value.items())
    elif isinstance(value, list | tuple):
        items = ((f"{where}[{n}]", item) for n, item in enumerate(value))
    for place, item in items:
        found = nul_at(item, place)
        if found is not None:
            return found
    return None


class TableFormat(JsonLinesFormat):
    """What a row holds, encoded as JSON Lines with the raw payload only to check that
    the row can be written: PostgreSQL's text and jsonb hold no NUL (U+0000), so a record
    with one anywhere (a field, the raw payload) is refused, and the export rejects that
    record alone (docs/scale.md, "The destination table")."""

    def __init__(self) -> None:
        super().__init__(include_raw=True)

    def encode(self, expense: Expense) -> bytes:
        data = super().encode(expense)
        if b"\\u0000" in data and _NUL.search(data):
            place = nul_at(json.loads(data)) or "a field"
            raise ValueError(f"{place} {NUL_REASON}")
        return data


class TableNeedsItsLedger(Remedied, ConfigurationError):
    """A destination table with a ledger that is not a PostgreSQL one: its rows are written
    in the ledger's own transaction."""


class TableSink(Sink):
    """Rows in a PostgreSQL table, written through the ledger's transaction
    (``write_in``); the table is created or migrated when the sink opens. The ledger must
    be the PostgreSQL database the table is in."""

    durable = True
    transactional = True  # no intent, nothing to repair

    def __init__(self, out: str, store: LedgerStore) -> None:
        self.target = parse_table_target(out)
        where = f"{redacted(self.target.url)}#{self.target.name}"
        server = getattr(store, "server_identity", None)
        if server is None:
            raise TableNeedsItsLedger(
                f"the table {where} is written in the ledger's transaction",
                WayOn(Remedy.LEDGER_IN_TABLE_DATABASE, output=where),
            )
        try:
            with connect(self.target.url, autocommit=True) as conn:
                ensure_table(conn, self.target)
                row = conn.execute(_SERVER_IDENTITY).fetchone()
        except _psycopg_error() as exc:
            raise SinkError(f"cannot open the table {where}: {exc}") from exc
        if row is None or tuple(row) != server():
            raise ConfigurationError(
                f"the table {self.target.name} must be in the ledger's database "
                f"({store.name}), to be written in the same transaction"
            )
        self.identity = f"postgresql:{self.target.name}"
        # Encoding checks that a record can be written at all (a lone surrogate cannot,
        # nor a NUL); the row itself comes from the record.
        self.format = TableFormat()

    def offset(self) -> int:
        return 0

    def append(self, chunks: Sequence[bytes]) -> None:
        raise SinkError(f"{self.identity} is written in the ledger's transaction (write_in)")

    def write_in(self, tx: Tx, account: str, expenses: Sequence[Expense]) -> int:
        """Insert ``expenses`` through ``tx``, the ledger transaction that records them."""
        return insert_rows(tx.run, self.target, account, expenses, dt.datetime.now(dt.UTC))


def _psycopg_error() -> type[Exception]:
    import psycopg

    return psycopg.Error


__all__ = ["TableFormat", "TableNeedsItsLedger", "TableSink", "nul_at"]
