"""Every vendor against every operation: what it supports natively, and the one error an
unsupported call raises (before any request is sent)."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import expense_facade as ef

tx = ef.CardTransaction(
    transaction_id="CARD-1",
    transaction_date=dt.date(2026, 3, 1),
    posting_date=dt.date(2026, 3, 2),
    merchant_name="Harbour Hotel",
    mcc="7011",
    amount=ef.Money(Decimal("-120.50"), "AUD"),
    cardholder_name="Ada Lovelace",
    card_suffix="4242",
    card_program_code="VISA_AU",
    card_program_type="Visa",
)
calls: dict[ef.Operation, Callable[[ef.ExpenseClient], object]] = {
    ef.Operation.GET_EXPENSE: lambda c: c.get_expense("some-id"),
    ef.Operation.MARK_EXPORTED: lambda c: c.mark_exported(["some-id"]),
    ef.Operation.UPLOAD_RECEIPT: lambda c: c.upload_receipt(b"%PDF-1.4", filename="r.pdf"),
    ef.Operation.POST_CARD_TRANSACTION: lambda c: c.post_card_transaction(tx),
    ef.Operation.DOWNLOAD_RECEIPT: lambda c: c.download_receipt("some-id", "r-1", "r.pdf"),
}

for vendor in ef.available_vendors():
    with ef.connect(vendor, sandbox=True) as client:
        supported = sorted(op.value for op in client.capabilities)
        print(f"{vendor}: supports {', '.join(supported)}")
        for operation, call in calls.items():
            if operation not in client.capabilities:
                try:
                    call(client)
                except ef.UnsupportedOperation as exc:
                    print(f"  {exc}")
