"""``--out postgresql://…#schema.table``: the destination table as a sink whose records are
written in the very transaction that records them in the PostgreSQL ledger, so a record
is in the table exactly when the ledger holds it (docs/scale.md, "The destination table").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from expense_facade.errors import ConfigurationError
from expense_facade.export.postgres.connection import connect, parse_table_target, redacted
from expense_facade.export.postgres.store import SERVER_IDENTITY as _SERVER_IDENTITY
from expense_facade.export.postgres.table import ensure_table, insert_rows
from expense_facade.export.sinks import JsonLinesFormat, Sink, SinkError
from expense_facade.records import Expense

if TYPE_CHECKING:
    from expense_facade.export.ledger_store import LedgerStore, Tx


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
            raise ConfigurationError(
                f"--out {where} is written in the ledger's transaction: give --ledger the "
                "same PostgreSQL database"
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
        # Encoding checks that a record can be written at all (a lone surrogate cannot);
        # the row itself comes from the record.
        self.format = JsonLinesFormat(include_raw=True)

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


__all__ = ["TableSink"]
