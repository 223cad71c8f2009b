"""Fetch one ProSpend expense by its id "<claimId>:<expenseId>", with its split lines."""

import expense_facade as ef

with ef.connect("prospend", sandbox=True) as client:
    # Any id from list_approved() works; take the first expense that is split into lines.
    listed = next(e for e in client.list_approved() if e.line_items)
    expense = client.get_expense(listed.id)
    print(f"expense {expense.id}: {expense.gross} (tax {expense.tax}), {expense.status.value}")
    print(f"  GL {expense.gl_code}, project {expense.project}, cost centre {expense.cost_centre}")
    for line in expense.line_items:
        print(f"  line: {line.amount}  {line.gl_code}  {line.description}")
