"""The ground truth of receipt files exported with ``--receipts`` (docs/export.md,
"Receipts"): what the sandbox serves for each receipt, and the check that every receipt of
every exported record is downloaded, recorded and linked exactly once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from expense_facade.export import ledger_receipts
from expense_facade.export.ledger import Ledger
from expense_facade.export.receipts import STAGING
from expense_facade.sandbox import Sandbox

ROUTE = {
    "brex": "GET /s3/brex-receipts",
    "revolut": "GET /expenses/{expense_id}/receipts/{receipt_id}/content",
}
"""The request that downloads a receipt file, per vendor with the capability."""

Opener = Callable[[], Ledger]


def served_file(sb: Sandbox, vendor: str, expense: dict[str, Any], receipt_id: str) -> bytes:
    """The bytes the sandbox holds for one receipt of an exported record."""
    sim = sb.vendor(vendor)
    if vendor == "brex":
        found = sim.receipt_file(receipt_id)  # type: ignore[attr-defined]
        assert found is not None
        return bytes(found[0])
    index = sim.index_of(expense["id"])  # type: ignore[attr-defined]
    position = [r["id"] for r in expense["receipts"]].index(receipt_id)
    return bytes(sim.receipt_content(index, position)[0])  # type: ignore[attr-defined]


def records(out: Path, vendor: str) -> list[dict[str, Any]]:
    """The records of ``out/<vendor>.jsonl``."""
    return [json.loads(line) for line in (out / f"{vendor}.jsonl").read_text().splitlines()]


def files_in(folder: Path) -> list[str]:
    """The receipt files of ``folder`` (not its staging folder)."""
    return sorted(p.name for p in folder.iterdir() if p.name != STAGING)


def receipt_rows(open_ledger: Opener, state: str) -> list[ledger_receipts.ReceiptRow]:
    """The ledger's receipts in ``state`` (every vendor and account)."""
    with open_ledger() as ledger:
        found = ledger.store.rows("SELECT DISTINCT vendor, account FROM receipts", ())
        return [
            row
            for vendor, account in found
            for row in ledger_receipts.in_state(ledger.store.rows, vendor, account, state)
        ]


def check_exactly_once(
    sb: Sandbox, out: Path, folder: Path, open_ledger: Opener, vendors: tuple[str, ...]
) -> int:
    """Every receipt of every exported record is recorded once in the ledger, done, its
    file holding the served bytes under their hash; the record links that file (unless a
    later run than the record's downloaded it); ``folder`` holds nothing else. Returns how
    many receipts."""
    done = {(r.expense_id, r.receipt_id): r for r in receipt_rows(open_ledger, "done")}
    expected: set[str] = set()
    receipts = 0
    for vendor in vendors:
        for record in records(out, vendor):
            for receipt in record["receipts"]:
                content = served_file(sb, vendor, record, receipt["id"])
                row = done.pop((record["id"], receipt["id"]))
                assert row.file == receipt.get("file", row.file), receipt
                assert row.file is not None
                assert (folder / row.file).read_bytes() == content
                assert row.file.startswith(hashlib.sha256(content).hexdigest() + ".")
                expected.add(row.file)
                receipts += 1
    assert done == {}  # no row of a receipt no record has
    assert files_in(folder) == sorted(expected)
    assert list((folder / STAGING).iterdir()) == []
    with open_ledger() as ledger:
        rows = ledger.store.rows("SELECT state, COUNT(*) FROM receipts GROUP BY state")
    assert {str(state): int(count) for state, count in rows} == {"done": receipts}
    return receipts


__all__ = [
    "ROUTE",
    "check_exactly_once",
    "files_in",
    "receipt_rows",
    "records",
    "served_file",
]
