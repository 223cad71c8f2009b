"""A record as plain data and back: exact amounts as strings, datetimes with their offset,
the very line a JSON Lines export writes for it."""

import expense_facade as ef

with ef.connect("brex", sandbox=True) as client:  # for the real API: token="..."
    expense = next(iter(client.list_approved()))
data = expense.to_dict()
print(f"{data['id']}: {data['gross']['amount']} {data['gross']['currency']}, {data['updated_at']}")
assert ef.Expense.from_dict(data) == expense
assert ef.Expense.from_json(expense.to_json()) == expense  # to_json(): one JSON Lines line
