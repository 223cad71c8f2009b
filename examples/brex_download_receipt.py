"""Download the receipts of a Brex expense: each through its pre-signed URL (asked for
just before, renewed once if it has expired), size-capped, checked, hashed."""

import tempfile
from pathlib import Path

import expense_facade as ef

folder = Path(tempfile.mkdtemp())
with ef.connect("brex", sandbox=True) as client:
    expense = next(e for e in client.list_approved() if e.receipts)
    for receipt in expense.receipts:
        got = client.download_receipt(expense, receipt, folder / f"{receipt.id}.bin")
        print(f"{got.receipt_id}: {got.size} bytes {got.content_type}, sha256 {got.sha256[:12]}")
