"""List Pazy's approved expenses, each read in full, against the in-process sandbox (real
API: ``api_key="..."`` instead of ``sandbox=True``; ``details=False`` for summaries only)."""

from collections import defaultdict
from decimal import Decimal

import expense_facade as ef

totals: defaultdict[str, Decimal] = defaultdict(Decimal)
with ef.connect("pazy", sandbox=True) as client:
    listing = client.list_approved()
    for n, expense in enumerate(listing):
        if expense.gross is not None:
            totals[expense.gross.currency or "?"] += expense.gross.amount
        if n < 5:
            day = expense.transaction_date.date() if expense.transaction_date else "?"
            who = expense.employee.name if expense.employee else "unknown"
            print(f"{expense.id} {day} {expense.gross} by {who}: {expense.description} "
                  f"({len(expense.line_items)} line item(s))")  # fmt: skip
print(f"{listing.records_read} approved expenses, {len(listing.malformed)} unreadable")
print("totals:", ", ".join(f"{amount} {currency}" for currency, amount in sorted(totals.items())))
