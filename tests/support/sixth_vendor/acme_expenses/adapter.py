"""The Acme adapter: list approved expenses (cursor pages) and get one expense."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from expense_facade.client import ExpenseClient
from expense_facade.credentials import Credential, Kind
from expense_facade.listing import KnownRecords, RawPage
from expense_facade.mapping.fields import LenientFields, StatusMap, raw_object, text
from expense_facade.mapping.paging import CursorPage, cursor_pages
from expense_facade.mapping.shapes import require_list, require_object
from expense_facade.operations import Operation
from expense_facade.records import Expense, ExpenseStatus, Merchant

STATUS = StatusMap(
    {
        "draft": ExpenseStatus.DRAFT,
        "submitted": ExpenseStatus.PENDING_APPROVAL,
        "approved": ExpenseStatus.APPROVED,
        "rejected": ExpenseStatus.REJECTED,
    }
)


class AcmeClient(ExpenseClient):
    """Acme Expenses; ``connect("acme", api_key=...)``."""

    vendor = "acme"
    capabilities = frozenset({Operation.LIST_APPROVED, Operation.GET_EXPENSE})
    default_base_url = "https://api.acme.example/v1"
    credential_specs = (Credential("api_key", Kind.SECRET, required=True),)
    max_page_size = 50

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": f"Key {self._credential('api_key')}"}

    def _approved_pages(
        self, since: dt.datetime | None, page_size: int, known: KnownRecords
    ) -> Iterator[RawPage]:
        self._ignore_since(since, "Acme has no update-time filter")

        def fetch(cursor: str | None) -> CursorPage[Any]:
            params: dict[str, Any] = {"status": "approved", "limit": page_size}
            if cursor:
                params["cursor"] = cursor
            kwargs = {"method": "get", "url": "/expenses", "params": params}
            page = self._call(kwargs, unwrap=lambda body: require_object(body, "a page"))
            items = require_list(page.get("items"), "the page's items")
            return CursorPage(items, text(page.get("next_cursor")))

        for items in cursor_pages(fetch, vendor=self.vendor):
            yield self._parse_page(items, self._to_expense)

    def _get_expense(self, expense_id: str) -> Expense:
        kwargs = {"method": "get", "url": f"/expenses/{expense_id}"}
        body = self._call(kwargs, unwrap=lambda body: require_object(body, "an expense"))
        return self._to_expense(body)

    def _to_expense(self, item: Any) -> Expense:
        raw = raw_object(item)
        expense_id = text(raw.get("id"))
        if expense_id is None:
            raise ValueError("the expense has no id")
        f = LenientFields()
        status, raw_status = STATUS(raw.get("status"))
        gross = f.money("amount", raw.get("amount"), raw.get("currency"))
        merchant = text(raw.get("merchant"))
        return Expense(
            vendor=self.vendor,
            id=expense_id,
            status=status,
            raw_status=raw_status,
            gross=gross,
            currency=gross.currency if gross is not None else None,
            transaction_date=f.timestamp("spent_on", raw.get("spent_on")),
            merchant=Merchant(name=merchant) if merchant is not None else None,
            account=self.account,
            parse_warnings=f.warnings,
            raw=raw,
        )
