"""``export --receipts`` into a PostgreSQL destination table (docs/export.md, "Receipts";
docs/scale.md): the row's ``receipts`` jsonb names each downloaded file."""

from __future__ import annotations

from pathlib import Path

import psycopg
from expense_facade.export.run import export_approved
from support.receipts import files_in
from support.sandbox import connect, make


def test_the_postgresql_table_links_the_files_in_its_receipts(pg_url: str, tmp_path: Path) -> None:
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT current_schema()").fetchone()
    assert row is not None
    table = f"{row[0]}.expenses"
    sb = make("revolut", size=20)
    with connect(sb, "revolut") as client:
        summary = export_approved(
            client, f"{pg_url}#{table}", ledger=pg_url, receipts=tmp_path / "receipts"
        )
    assert summary.ok, summary
    with psycopg.connect(pg_url) as conn:
        found = conn.execute(f"SELECT receipts FROM {table}").fetchall()  # noqa: S608
    files = [r["file"] for (receipts,) in found for r in receipts]
    assert files
    assert summary.receipts is not None
    assert len(files) == summary.receipts.downloaded
    assert sorted(set(files)) == files_in(tmp_path / "receipts")
