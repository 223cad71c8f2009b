"""The sandbox routes the reliability rows attach faults to, per vendor (one place)."""

from __future__ import annotations

LIST = {
    "capture": "GET /api/Expenses/Export",
    "brex": "GET /v1/expenses",
    "revolut": "GET /expenses",
    "prospend": "GET /{version}/company/{companyId}/claim",
    "pazy": "GET /expenses",
}
"""The route of each vendor's first listing request."""

RECORDS = {
    **LIST,
    "prospend": "GET /{version}/company/{companyId}/claim/{claimId}/expense",
    "pazy": "GET /expense/{expenseId}",  # the listing reads each expense from its detail
}
"""The route whose answer holds the records a listing maps (a record fault goes there)."""

CURSOR_VENDORS = ("brex", "prospend", "pazy")
"""The vendors that page by cursor (revolut pages on time, capture has no paging)."""
