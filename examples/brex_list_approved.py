"""List every approved Brex expense (all pages, lazily) and total them per currency."""

from collections import defaultdict
from decimal import Decimal

import expense_facade as ef

with ef.connect("brex", sandbox=True) as client:  # sandbox=True: the built-in simulator
    listing = client.list_approved()
    totals: defaultdict[str | None, Decimal] = defaultdict(Decimal)
    for expense in listing:
        if expense.gross is not None:
            totals[expense.gross.currency] += expense.gross.amount
    print(f"{listing.records_read} approved Brex expenses on {listing.pages_read} pages")
    for currency, total in sorted(totals.items(), key=lambda kv: kv[0] or ""):
        print(f"  {currency or '(no currency)'}: {total}")
