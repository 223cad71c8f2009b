"""List every approved Revolut expense, newest first, paging safely past equal timestamps."""

import expense_facade as ef

with ef.connect("revolut", sandbox=True) as client:
    listing = client.list_approved()
    expenses = list(listing)
    print(
        f"{len(expenses)} approved Revolut expenses, "
        f"{listing.pages_read} pages, {len(listing.malformed)} unreadable"
    )
    for expense in expenses[:3]:
        when = expense.transaction_date.date() if expense.transaction_date else "(no date)"
        merchant = expense.merchant.name if expense.merchant else "-"
        print(f"  {when} {expense.gross} {merchant} ({len(expense.line_items)} split(s))")
