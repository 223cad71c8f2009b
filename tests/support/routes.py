"""The sandbox routes the reliability rows attach faults to, per vendor (one place)."""

from __future__ import annotations

from expense_facade.sandbox.app import ALL, load_simulator

LIST = {vendor: load_simulator(vendor).list_route for vendor in ALL}
"""The route of each vendor's first listing request (each simulator declares it)."""

RECORDS = {
    **LIST,
    "prospend": "GET /{version}/company/{companyId}/claim/{claimId}/expense",
    "pazy": "GET /expense/{expenseId}",  # the listing reads each expense from its detail
}
"""The route whose answer holds the records a listing maps (a record fault goes there)."""

CURSOR_VENDORS = ("brex", "prospend", "pazy")
"""The vendors that page by cursor (revolut pages on time, capture has no paging)."""
