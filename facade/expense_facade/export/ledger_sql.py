"""The ledger's layout as a whole: its version, the migrations that take an older file
forward (each table's own SQL is in its module: ``ledger_exports``, ``ledger_outputs``,
``ledger_positions``) (docs/export.md, "The ledger").
"""

from __future__ import annotations

from expense_facade.export import ledger_exports, ledger_outputs, ledger_positions
from expense_facade.export.ledger_records import LedgerError
from expense_facade.export.ledger_store import LedgerStore, Tx

SCHEMA_VERSION = 3
"""Bumped whenever the table layout changes; ``migrate`` takes older files forward."""

# Forward migrations: the statements that take a file from version N-1 to N.
MIGRATIONS: dict[int, str] = {
    1: ledger_exports.TABLES.replace("    mark_sent     INTEGER NOT NULL DEFAULT 0,\n", ""),
    2: ledger_exports.ADD_MARK_SENT + ledger_outputs.TABLE,
    3: ledger_positions.TABLES,  # incremental state: tables only, IF NOT EXISTS (idempotent)
}

NEW_FILE = ledger_exports.TABLES + ledger_outputs.TABLE + ledger_positions.TABLES
"""Today's layout, created at once in a new ledger."""


def run_script(tx: Tx, script: str) -> None:
    """Run the ``;``-separated statements of ``script``."""
    for statement in script.split(";"):
        if statement.strip():
            tx.run(statement)


def migrate(store: LedgerStore) -> None:
    """Create today's layout in a new ledger, or take an older one forward; a ledger of a
    newer version is refused rather than guessed at."""
    version = store.schema_version()
    if version > SCHEMA_VERSION:
        raise LedgerError(
            f"the export ledger {store.name} has schema version {version}; this version of "
            f"expense-facade understands up to {SCHEMA_VERSION}"
        )
    if version == SCHEMA_VERSION:
        return
    with store.transaction() as tx:
        steps = (
            [NEW_FILE]
            if version == 0
            else [MIGRATIONS[v] for v in range(version + 1, SCHEMA_VERSION + 1)]
        )
        for script in steps:
            run_script(tx, script)
        store.set_schema_version(tx, SCHEMA_VERSION)
