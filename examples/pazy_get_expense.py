"""Read one Pazy expense in detail: amounts, taxes, line items, merchant and employee.

Runs against the in-process sandbox; for the real API pass ``api_key="..."`` instead of
``sandbox=True``.
"""

import expense_facade as ef

with ef.connect("pazy", sandbox=True, details=False) as client:
    first = next(iter(client.list_approved()))  # a summary is enough to know an id
    expense = client.get_expense(first.id)
print(f"{expense.id}: {expense.status.value} (Pazy says {expense.raw_status})")
print(f"gross {expense.gross}, net {expense.net}, tax {expense.tax}")
print(f"merchant {expense.merchant}, employee {expense.employee}")
for item in expense.line_items:
    print(f"  {item.description}: {item.amount} incl. {item.tax_amount} {item.tax_code}")
