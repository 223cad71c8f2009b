"""Upload a receipt to Brex: onto a known expense, and for Brex to match by itself."""

import expense_facade as ef

receipt = b"%PDF-1.4\n% a tiny receipt\n"  # bytes, a path or a binary file object

with ef.connect("brex", sandbox=True) as client:
    expense = next(iter(client.list_approved(page_size=1)))
    attached = client.upload_receipt(receipt, expense_id=expense.id, filename="taxi.pdf")
    print(
        f"Uploaded {attached.filename} ({attached.size} bytes, {attached.content_type}) "
        f"as receipt {attached.receipt_id} onto expense {attached.expense_id}"
    )
    matched = client.upload_receipt(receipt, filename="lunch.pdf")
    print(
        f"Uploaded {matched.filename} as receipt {matched.receipt_id} "
        f"for Brex to match ({matched.flow.value})"
    )
