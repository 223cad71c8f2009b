"""Fetch one Revolut expense by id; show its splits (category, tax rate) and labels."""

import expense_facade as ef

with ef.connect("revolut", sandbox=True) as client:  # or token=<str or callable>
    first = next(iter(client.list_approved(page_size=1)))
    expense = client.get_expense(first.id)
    print(
        f"Revolut expense {expense.id}: {expense.status.value} "
        f"(Revolut says {expense.raw_status}), {expense.gross}"
    )
    print(
        f"  payer {expense.employee.name if expense.employee else '-'}, "
        f"approved {expense.approved_at}, cost centre {expense.cost_centre or '-'}"
    )
    for line in expense.line_items:
        rate = f"{line.tax_rate}%" if line.tax_rate is not None else "no tax rate"
        print(f"  split {line.amount} {line.category or '-'} ({line.gl_code or '-'}), {rate}")
