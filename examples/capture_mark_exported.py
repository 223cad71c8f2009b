"""Mark Capture expenses exported: the outcome is reported per expense.

Runs against the in-process sandbox; for the real API pass ``api_key="..."`` instead of
``sandbox=True``.
"""

import expense_facade as ef

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"

with ef.connect("capture", sandbox=True) as client:
    expenses = list(client.list_approved())  # read the whole queue before marking
    result = client.mark_exported([*expenses[:5], UNKNOWN_ID])
    for outcome in result.outcomes:
        state = "exported" if outcome.succeeded else f"not marked: {outcome.message}"
        print(f"{outcome.expense_id}: {state}")
    print(f"marked {len(result.succeeded)} of {len(result.outcomes)}; {len(result.failed)} failed")
    print(f"{len(list(client.list_approved()))} of {len(expenses)} still waiting for export")
