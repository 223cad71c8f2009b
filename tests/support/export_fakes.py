"""Test doubles for the export tests: a fake vendor client honouring the Listing/Page shape.

This is not a vendor simulator (that is ``expense_facade.sandbox``): it hands out pages the
test builds, records every call, and can share an event log with a recording sink so a test
can assert the order of writes and marks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator, Sequence
from decimal import Decimal

import attrs
from expense_facade.errors import ExpenseFacadeError
from expense_facade.export.sinks import Sink
from expense_facade.listing import KnownRecords
from expense_facade.operations import Operation
from expense_facade.records import (
    Expense,
    ExpenseStatus,
    ExportOutcome,
    LineItem,
    MalformedRecord,
    MarkExportedResult,
    Money,
)

Event = tuple[str, tuple[str, ...]]


def make_expense(vendor: str, expense_id: str, amount: str = "12.30", **kwargs: object) -> Expense:
    """An approved expense with a few fields filled in."""
    fields: dict[str, object] = {
        "gross": Money(Decimal(amount), "EUR"),
        "currency": "EUR",
        "transaction_date": dt.datetime(2026, 3, 4, 10, 30, tzinfo=dt.UTC),
        "description": f"expense {expense_id}",
        "account": "fake-account",
    }
    fields.update(kwargs)
    return Expense(
        vendor=vendor,
        id=expense_id,
        status=ExpenseStatus.APPROVED,
        raw_status="APPROVED",
        raw={"id": expense_id, "amount": amount},
        **fields,  # type: ignore[arg-type]
    )


@attrs.frozen
class FakePage:
    """A page as the facade's Listing hands it out."""

    expenses: Sequence[Expense]
    malformed: Sequence[MalformedRecord] = ()


class FakeListing:
    """A listing over prepared pages; ``fail_after`` raises after that many pages."""

    def __init__(self, pages: Sequence[FakePage], fail_after: int | None = None) -> None:
        self._pages = pages
        self._fail_after = fail_after

    def pages(self) -> Iterator[FakePage]:
        for number, page in enumerate(self._pages):
            if self._fail_after is not None and number >= self._fail_after:
                raise ExpenseFacadeError("connection lost while listing")
            yield page


class FakeClient:
    """A vendor client double; ``refuse`` ids get a failed outcome when marked."""

    def __init__(
        self,
        vendor: str,
        pages: Sequence[FakePage],
        *,
        can_mark: bool = True,
        refuse: dict[str, str] | None = None,
        events: list[Event] | None = None,
        fail_after: int | None = None,
        mark_error: ExpenseFacadeError | None = None,
        omit_outcome: frozenset[str] = frozenset(),
        needs_record: bool = False,
    ) -> None:
        self.vendor = vendor
        self.account = "fake-account"
        self.base_url = "https://api.fake.example"
        self.vendor_time: dt.datetime | None = None
        ops = {Operation.LIST_APPROVED, Operation.GET_EXPENSE}
        if can_mark:
            ops.add(Operation.MARK_EXPORTED)
        self.capabilities = frozenset(ops)
        self._pages = pages
        self._refuse = refuse or {}
        self.events: list[Event] = events if events is not None else []
        self._fail_after = fail_after
        self._mark_error = mark_error
        self._omit = omit_outcome
        self._needs_record = needs_record
        self.since: list[dt.datetime | None] = []
        self.marked: list[str] = []

    filters_by_update_time = False

    def list_approved(
        self,
        *,
        since: dt.datetime | None = None,
        page_size: int | None = None,
        known: KnownRecords | None = None,
    ) -> FakeListing:
        self.since.append(since)
        return FakeListing(self._pages, self._fail_after)

    def mark_exported(self, expenses_or_ids: Sequence[Expense | str]) -> MarkExportedResult:
        items = list(expenses_or_ids)
        ids = tuple(x if isinstance(x, str) else x.id for x in items)
        self.events.append(("mark", ids))
        if self._mark_error is not None:
            raise self._mark_error
        outcomes = []
        for item, expense_id in zip(items, ids, strict=True):
            if expense_id in self._omit:
                continue
            if self._needs_record and isinstance(item, str):
                # Like Capture: the row's transactionType must be echoed back.
                outcomes.append(ExportOutcome(expense_id, False, "transactionType is required"))
                continue
            if expense_id in self._refuse:
                outcomes.append(ExportOutcome(expense_id, False, self._refuse[expense_id]))
            else:
                self.marked.append(expense_id)
                outcomes.append(ExportOutcome(expense_id, True))
        return MarkExportedResult(tuple(outcomes))

    def credential_fingerprint(self, key: bytes) -> str:
        return hmac.new(key, b"fake-token", hashlib.sha256).hexdigest()


class RecordingSink(Sink):
    """Wraps a real sink and logs each append (with the ids it held) to an event log."""

    def __init__(self, inner: Sink, events: list[Event]) -> None:
        self.inner = inner
        self.identity = inner.identity
        self.format = inner.format
        self.durable = inner.durable
        self.events = events

    def offset(self) -> int:
        return self.inner.offset()

    def append(self, chunks: Sequence[bytes]) -> None:
        ids: list[str] = []
        for chunk in chunks:
            scan = self.format.scan(chunk, at_start=False)
            ids.extend(expense_id for _, expense_id in scan.records)
        self.inner.append(chunks)
        self.events.append(("write", tuple(ids)))

    def close(self) -> None:
        self.inner.close()


def pages_of(vendor: str, count: int, per_page: int, prefix: str = "e") -> list[FakePage]:
    """``count`` expenses ``<prefix>0..`` split into pages of ``per_page``."""
    expenses = [make_expense(vendor, f"{prefix}{n}") for n in range(count)]
    return [FakePage(expenses[i : i + per_page]) for i in range(0, count, per_page)]


def line_item(amount: str, description: str) -> LineItem:
    """A line item in EUR."""
    return LineItem(amount=Money(Decimal(amount), "EUR"), description=description)
