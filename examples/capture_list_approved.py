"""List Capture's approved expenses (its Export queue), page by page.

Runs against the in-process sandbox; for the real API pass ``api_key="..."`` instead of
``sandbox=True``.
"""

import expense_facade as ef

with ef.connect("capture", sandbox=True) as client:
    listing = client.list_approved(page_size=50)
    total = 0
    for page in listing.pages():
        total += len(page.expenses)
        first = page.expenses[0]
        who = first.employee.name if first.employee else "unknown"
        print(f"page {page.number}: {len(page.expenses)} expenses; first {first.id}: "
              f"{first.gross} by {who}, {first.category} (GL {first.gl_code})")  # fmt: skip
    print(f"{total} approved expenses waiting for export; {len(listing.malformed)} unreadable")
