"""The ledger's layout as a whole: its version, the migrations that take an older file
forward (each table's own SQL is in its module: ``ledger_exports``, ``ledger_outputs``,
``ledger_positions``) (docs/export.md, "The ledger").
"""

from __future__ import annotations

from collections.abc import Callable

from expense_facade.export import (
    ledger_exports,
    ledger_outputs,
    ledger_positions,
    ledger_receipts,
)
from expense_facade.export.account_identity import canonical_label, dedupe_scope
from expense_facade.export.ledger_records import LedgerError
from expense_facade.export.ledger_store import LedgerStore, Tx

SCHEMA_VERSION = 5
"""Bumped whenever the table layout changes; ``migrate`` takes older files forward."""


def _to_v4(tx: Tx) -> None:
    run_script(tx, ledger_exports.TABLES)  # IF NOT EXISTS: a hand-made file may lack one
    ledger_exports.to_v4(tx, dedupe_scope)
    ledger_positions.to_v4(tx, lambda _vendor, label: canonical_label(label), dedupe_scope)


# Forward migrations: what takes a file from version N-1 to N (statements, or a step).
MIGRATIONS: dict[int, str | Callable[[Tx], None]] = {
    1: ledger_exports.TABLES.replace("    mark_sent     INTEGER NOT NULL DEFAULT 0,\n", ""),
    2: ledger_exports.ADD_MARK_SENT + ledger_outputs.TABLE,
    3: ledger_positions.STATE_V3 + ledger_positions.GROUPS,
    4: _to_v4,  # accounts by dedupe scope and identity (issue 19): rows re-keyed
    5: ledger_receipts.TABLE,  # the receipt files of `export --receipts` (issue 24)
}

NEW_FILE = (
    ledger_exports.TABLES + ledger_outputs.TABLE + ledger_positions.TABLES + ledger_receipts.TABLE
)
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
    if version < 0:  # no version of expense-facade writes one
        raise LedgerError(
            f"the export ledger {store.name} has schema version {version}, which no "
            "version of expense-facade writes: it is not an export ledger"
        )
    if version > SCHEMA_VERSION:
        raise LedgerError(
            f"the export ledger {store.name} has schema version {version}; this version of "
            f"expense-facade understands up to {SCHEMA_VERSION}"
        )
    if version == SCHEMA_VERSION:
        return
    with store.transaction() as tx:
        steps: list[str | Callable[[Tx], None]] = (
            [NEW_FILE]
            if version == 0
            else [MIGRATIONS[v] for v in range(version + 1, SCHEMA_VERSION + 1)]
        )
        for step in steps:
            if isinstance(step, str):
                run_script(tx, step)
            else:
                step(tx)
        store.set_schema_version(tx, SCHEMA_VERSION)
