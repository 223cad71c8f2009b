"""List ProSpend's approved expenses: every expense of the claims that are "Finalised"
(pass ready_status="Approved" to connect() for approved-but-not-finalised claims)."""

import expense_facade as ef

with ef.connect("prospend", sandbox=True) as client:  # an in-process sandbox: runs anywhere
    listing = client.list_approved()
    for n, expense in enumerate(listing):
        if n < 5:  # show a few; the listing itself is lazy and pages on its own
            who = expense.employee.name if expense.employee else "?"
            print(f"{expense.id:>16}  {expense.gross}  {expense.raw_status}  {who}")
    print(
        f"{listing.records_read} approved expenses in {listing.pages_read} pages, "
        f"{len(listing.malformed)} malformed"
    )
