"""A fake ``connect`` for CLI unit tests: clients that honour the facade's shape.

A test double only (the real end-to-end tests use ``expense_facade.sandbox``): each fake
client serves prepared pages, records the calls it got and the settings it was built
with, and can be told to refuse marks or to fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

import attrs
from expense_facade.errors import (
    ExpenseFacadeError,
    NotFoundError,
    UnsupportedOperation,
    ValidationError,
)
from expense_facade.listing import KnownRecords
from expense_facade.mapping.card_transactions import card_transaction_problems
from expense_facade.operations import Operation
from expense_facade.records import (
    CardTransaction,
    CardTransactionResult,
    Expense,
    ExpenseStatus,
    ExportOutcome,
    MalformedRecord,
    MarkExportedResult,
    Money,
    ReceiptFlow,
    ReceiptUpload,
)
from expense_facade.registry import capabilities


def expense(vendor: str, expense_id: str, amount: str = "10.00") -> Expense:
    """An approved expense in EUR."""
    return Expense(
        vendor=vendor,
        id=expense_id,
        status=ExpenseStatus.APPROVED,
        raw_status="approved",
        gross=Money(Decimal(amount), "EUR"),
        transaction_date=dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.UTC),
        account=f"{vendor}.example",
        raw={"id": expense_id},
    )


@attrs.frozen
class Page:
    """A listing page."""

    expenses: tuple[Expense, ...]
    malformed: tuple[MalformedRecord, ...] = ()


@attrs.define
class World:
    """Everything the fake vendors hold, shared across the clients of one test."""

    pages: dict[str, list[Page]] = attrs.field(factory=dict)
    refuse: dict[str, str] = attrs.field(factory=dict)
    list_error: ExpenseFacadeError | None = None
    calls: list[tuple[str, str, Any]] = attrs.field(factory=list)
    settings: dict[str, dict[str, Any]] = attrs.field(factory=dict)

    def add(self, vendor: str, count: int, per_page: int = 2) -> None:
        items = [expense(vendor, f"{vendor[:2]}{n}") for n in range(count)]
        self.pages[vendor] = [
            Page(tuple(items[i : i + per_page])) for i in range(0, count, per_page)
        ]

    def connect(
        self, vendor: str, *, config: object = None, account: str | None = None, **settings: Any
    ) -> FakeClient:
        # ``config`` (whether connect reads the environment and file itself) is not a
        # setting of the client; a named account's settings are kept under its label.
        self.settings[vendor if account is None else f"{vendor}.{account}"] = settings
        return FakeClient(vendor, self, account)


class FakeListing:
    def __init__(self, pages: list[Page]) -> None:
        self._pages = pages

    def pages(self) -> Iterator[Page]:
        return iter(self._pages)


class FakeClient:
    """One vendor's fake client."""

    def __init__(self, vendor: str, world: World, account: str | None = None) -> None:
        self.vendor = vendor
        self.account = account or f"{vendor}.example"
        self.capabilities = capabilities(vendor)  # the real adapter's, from the registry
        self.world = world
        self.base_url = f"https://{self.account}"
        self.vendor_time: dt.datetime | None = None

    def credential_fingerprint(self, key: bytes) -> str:
        return hmac.new(key, self.account.encode(), hashlib.sha256).hexdigest()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.world.calls.append((self.vendor, "close", None))

    def _require(self, op: Operation) -> None:
        if op not in self.capabilities:
            raise UnsupportedOperation(self.vendor, op)

    filters_by_update_time = False

    def list_approved(
        self,
        *,
        since: dt.datetime | None = None,
        page_size: int | None = None,
        known: KnownRecords | None = None,
    ) -> FakeListing:
        self.world.calls.append((self.vendor, "list", since))
        if self.world.list_error is not None:
            raise self.world.list_error
        return FakeListing(self.world.pages.get(self.vendor, []))

    def get_expense(self, expense_id: str) -> Expense:
        self._require(Operation.GET_EXPENSE)
        for page in self.world.pages.get(self.vendor, []):
            for item in page.expenses:
                if item.id == expense_id:
                    return item
        raise NotFoundError("no such expense", vendor=self.vendor, status=404)

    def mark_exported(self, expenses_or_ids: Iterable[Expense | str]) -> MarkExportedResult:
        self._require(Operation.MARK_EXPORTED)
        ids = [x if isinstance(x, str) else x.id for x in expenses_or_ids]
        self.world.calls.append((self.vendor, "mark", tuple(ids)))
        return MarkExportedResult(
            tuple(
                ExportOutcome(i, i not in self.world.refuse, self.world.refuse.get(i)) for i in ids
            )
        )

    def upload_receipt(
        self,
        file: Any,
        expense_id: str | None = None,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> ReceiptUpload:
        self._require(Operation.UPLOAD_RECEIPT)
        size = Path(file).stat().st_size
        self.world.calls.append((self.vendor, "upload", (filename, expense_id)))
        return ReceiptUpload(
            receipt_id="rcpt-1",
            flow=ReceiptFlow.ATTACH if expense_id else ReceiptFlow.MATCH,
            expense_id=expense_id,
            filename=filename or "receipt",
            content_type=content_type or "image/png",
            size=size,
        )

    def card_transaction_problems(self, tx: CardTransaction) -> list[ValidationError]:
        return card_transaction_problems(tx)  # the library's own checks

    def post_card_transaction(self, tx: CardTransaction) -> CardTransactionResult:
        self._require(Operation.POST_CARD_TRANSACTION)
        self.world.calls.append((self.vendor, "post", tx))
        return CardTransactionResult(transaction_id=tx.transaction_id, duplicate=False)
