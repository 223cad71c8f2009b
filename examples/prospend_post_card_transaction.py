"""Post a card transaction to ProSpend; posting it again is a harmless duplicate."""

import datetime as dt
from decimal import Decimal

import expense_facade as ef

tx = ef.CardTransaction(
    transaction_id="txn_example_0001",  # ProSpend de-duplicates on this id
    transaction_date=dt.date(2026, 1, 31),
    posting_date=dt.date(2026, 2, 2),
    merchant_name="Telstra",
    mcc="5943",
    amount=ef.Money(Decimal("700.00"), "AUD"),
    foreign_amount=ef.Money(Decimal("500.00"), "USD"),
    cardholder_name="Kylie Magenta",
    card_suffix="1111",
    card_program_code="AR_AU",
    card_program_type="AR",
)
with ef.connect("prospend", sandbox=True) as client:
    for _ in range(2):
        result = client.post_card_transaction(tx)
        state = "duplicate (already there)" if result.duplicate else f"posted as {result.vendor_id}"
        print(f"{result.transaction_id}: {state}")
