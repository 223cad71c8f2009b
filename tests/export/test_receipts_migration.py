"""Schema 5 (the ``receipts`` table of ``export --receipts``) from the real schema-4 ledger
in ``fixtures/ledger-v4`` (fixtures/README.md), on SQLite and on PostgreSQL: every row
kept, the receipts table there, and an export with receipts going on from it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from expense_facade.export import ledger_exports, ledger_outputs, ledger_positions
from expense_facade.export.ledger import Ledger
from expense_facade.export.ledger_sql import SCHEMA_VERSION
from expense_facade.export.run import export_approved
from support.exactly_once import approve_brex
from support.sandbox import connect, make

FIXTURE = Path(__file__).parent / "fixtures" / "ledger-v4" / "ledger.sqlite3"
TABLES = ("exports", "intents", "outputs", "export_state", "known_groups", "ledger_meta")
V4_LAYOUT = ledger_exports.TABLES + ledger_outputs.TABLE + ledger_positions.TABLES
"""Schema 4 as that code created it (schema 5 only adds the receipts table)."""


def fixture_rows() -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(f"{FIXTURE.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA user_version").fetchone() == (4,)
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}  # noqa: S608
    finally:
        db.close()


def ledger_rows(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    return {
        t: sorted(tuple(row) for row in ledger.store.rows(f"SELECT * FROM {t}"))  # noqa: S608
        for t in TABLES
    }


def postgres_v4(url: str) -> None:
    """A PostgreSQL ledger at schema 4 holding the fixture's rows."""
    import psycopg
    from expense_facade.export.postgres.migrations import VERSIONS_TABLE, ensure_versions
    from expense_facade.export.postgres.store import COMPONENT, dialect

    rows = fixture_rows()
    with psycopg.connect(url) as conn:
        ensure_versions(conn)
        with conn.transaction():
            for statement in V4_LAYOUT.split(";"):
                if statement.strip():
                    conn.execute(dialect(statement))
            for table, found in rows.items():
                for row in found:
                    marks = ", ".join(["%s"] * len(row))
                    conn.execute(f"INSERT INTO {table} VALUES ({marks})", row)  # noqa: S608
            conn.execute(
                f"INSERT INTO {VERSIONS_TABLE} (component, version) VALUES (%s, 4)",  # noqa: S608
                (COMPONENT,),
            )


@pytest.fixture(params=["sqlite", "postgresql"])
def v4_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """The fixture's ledger on each backend, not yet opened by this code."""
    if request.param == "sqlite":
        path = tmp_path / "ledger.sqlite3"
        shutil.copy(FIXTURE, path)
        yield path
        return
    from support import services

    services.require("PostgreSQL")
    with services.postgres_schema() as url:
        postgres_v4(url)
        yield url


def open_ledger(target: str | Path) -> Ledger:
    if isinstance(target, Path):
        return Ledger(target)
    from expense_facade.export.postgres.store import PostgresStore

    return Ledger(store=PostgresStore(target))


def test_a_schema_4_ledger_is_taken_to_5_with_every_row(v4_ledger: str | Path) -> None:
    before = fixture_rows()
    assert SCHEMA_VERSION == 5
    for _ in range(2):  # a second opening finds nothing to do
        with open_ledger(v4_ledger) as ledger:
            assert ledger.store.schema_version() == 5
            assert ledger_rows(ledger) == before
            assert ledger.store.rows("SELECT COUNT(*) FROM receipts")[0][0] == 0


def test_an_export_with_receipts_goes_on_from_a_migrated_ledger(
    v4_ledger: str | Path, tmp_path: Path
) -> None:
    """The fixture's sandbox (seed 19, 40 per vendor), in-process: what the schema-4 run
    exported stays exported (Brex's and Revolut's ids are deduped across accounts), and
    only what is approved since is exported, with its receipts."""
    sb = make("brex", "revolut", seed=19, size=40)
    fresh = approve_brex(sb, 3)
    out = f"{tmp_path / 'out'}/"
    with (
        open_ledger(v4_ledger) as ledger,
        connect(sb, "brex") as brex,
        connect(sb, "revolut") as revolut,
    ):
        summary = export_approved(
            [brex, revolut], out, ledger=ledger, receipts=tmp_path / "receipts"
        )
        with_receipts = ledger.store.rows(
            "SELECT DISTINCT expense_id FROM receipts WHERE state='done'"
        )
    assert summary.ok, summary
    assert summary.exported == len(fresh)
    assert summary.receipts is not None
    written = [
        json.loads(line) for line in (tmp_path / "out" / "brex.jsonl").read_text().splitlines()
    ]
    assert sorted(r["id"] for r in written) == sorted(fresh)
    linked = [r["file"] for record in written for r in record["receipts"]]
    assert (summary.receipts.downloaded, summary.receipts.skipped) == (len(linked), 0)
    assert {row[0] for row in with_receipts} == {r["id"] for r in written if r["receipts"]}
