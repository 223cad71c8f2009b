"""Download every receipt of a Revolut expense into memory (any binary file object works,
and so does a path); the result says its size, type and SHA-256."""

import io

import expense_facade as ef

with ef.connect("revolut", sandbox=True) as client:
    expense = next(e for e in client.list_approved() if e.receipts)
    for receipt in expense.receipts:
        buffer = io.BytesIO()
        got = client.download_receipt(expense, receipt, buffer, max_bytes=10 * 1024 * 1024)
        assert len(buffer.getvalue()) == got.size
        print(f"{got.receipt_id}: {got.size} bytes {got.content_type}, sha256 {got.sha256[:12]}")
