"""Fetch one Brex expense by id and show its common fields."""

import expense_facade as ef

with ef.connect("brex", sandbox=True) as client:
    first = next(iter(client.list_approved(page_size=1)))  # any id will do
    expense = client.get_expense(first.id)
    print(f"Brex expense {expense.id}: {expense.status.value} (Brex says {expense.raw_status})")
    print(f"  amount:   {expense.gross}")
    print(
        f"  merchant: {expense.merchant.name if expense.merchant else '-'}"
        f" (MCC {expense.merchant.mcc if expense.merchant else '-'})"
    )
    print(f"  employee: {expense.employee.name if expense.employee else '-'}")
    print(f"  bought:   {expense.transaction_date}, updated {expense.updated_at}")
