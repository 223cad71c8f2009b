"""Library calls with arguments of the wrong type raise ``ValidationError`` naming the
argument, and send nothing (issue 12, item 4): never a bare ``TypeError`` or
``AttributeError`` from deep inside; on the sync and the async client (issue 25)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import expense_facade as ef
import pytest
from support.sandbox import connect, drivers_fixture, make

Call = Callable[[ef.ExpenseClient], object]
_driver = drivers_fixture(globals())

TX = ef.CardTransaction(
    transaction_id="txn-1",
    transaction_date=dt.date(2026, 1, 31),
    posting_date=dt.date(2026, 2, 2),
    merchant_name="Telstra",
    mcc="5943",
    amount=ef.Money(Decimal("700.10"), "AUD"),
    cardholder_name="Kylie Magenta",
    card_suffix="1111",
    card_program_code="AR_AU",
    card_program_type="AR",
)


def post(**changes: Any) -> Call:
    """Post ``TX`` with ``changes`` (of the wrong type)."""
    return lambda c: c.post_card_transaction(attrs.evolve(TX, **changes))


CASES: list[tuple[str, str, Call, str]] = [
    ("capture", "mark_exported(None)", lambda c: c.mark_exported(None), "expenses_or_ids"),  # type: ignore[arg-type]
    ("capture", "mark_exported(5)", lambda c: c.mark_exported(5), "expenses_or_ids"),  # type: ignore[arg-type]
    ("capture", "mark_exported([None])", lambda c: c.mark_exported([None]), "expenses_or_ids"),  # type: ignore[list-item]
    ("capture", "mark_exported({})", lambda c: c.mark_exported({"a": 1}), "expenses_or_ids"),
    ("capture", "mark_exported(b'')", lambda c: c.mark_exported(b"id"), "expenses_or_ids"),  # type: ignore[arg-type]
    ("brex", "get_expense(None)", lambda c: c.get_expense(None), "expense_id"),  # type: ignore[arg-type]
    ("brex", "get_expense(5)", lambda c: c.get_expense(5), "expense_id"),  # type: ignore[arg-type]
    ("brex", "get_expenses(None)", lambda c: list(c.get_expenses(None)), "ids"),  # type: ignore[arg-type]
    ("brex", "get_expenses(5)", lambda c: list(c.get_expenses(5)), "ids"),  # type: ignore[arg-type]
    ("brex", "get_expenses([5])", lambda c: list(c.get_expenses([5])), "ids"),  # type: ignore[list-item]
    ("brex", "get_expenses(c='8')", lambda c: c.get_expenses([], concurrency="8"), "concurrency"),  # type: ignore[arg-type]
    ("brex", "list(since='2026')", lambda c: c.list_approved(since="2026"), "since"),
    ("brex", "list(since=5)", lambda c: c.list_approved(since=5), "since"),  # type: ignore[arg-type]
    ("brex", "list(page_size='5')", lambda c: c.list_approved(page_size="5"), "page_size"),  # type: ignore[arg-type]
    ("brex", "list(strict='no')", lambda c: c.list_approved(strict="no"), "strict"),  # type: ignore[arg-type]
    ("brex", "list(read_ahead=1.5)", lambda c: c.list_approved(read_ahead=1.5), "read_ahead"),  # type: ignore[arg-type]
    ("brex", "upload(None)", lambda c: c.upload_receipt(None), "file"),
    ("brex", "upload(5)", lambda c: c.upload_receipt(5), "file"),
    ("brex", "upload(name=5)", lambda c: c.upload_receipt(b"x", filename=5), "filename"),  # type: ignore[arg-type]
    ("brex", "upload(type=5)", lambda c: c.upload_receipt(b"x", content_type=5), "content_type"),  # type: ignore[arg-type]
    ("brex", "upload(id=5)", lambda c: c.upload_receipt(b"x", expense_id=5), "expense_id"),  # type: ignore[arg-type]
    ("prospend", "post(None)", lambda c: c.post_card_transaction(None), "tx"),  # type: ignore[arg-type]
    ("prospend", "post(amount='1')", post(amount="1"), "amount"),
    ("prospend", "post(foreign=1)", post(foreign_amount=1), "foreign_amount"),
    ("prospend", "post(date='x')", post(posting_date="2026-02-02"), "posting_date"),
    ("prospend", "post(mcc=5943)", post(mcc=5943), "mcc"),
    ("prospend", "post(card_id=1)", post(card_id=1), "card_id"),
]  # fmt: skip


@pytest.mark.parametrize(("vendor", "call", "field"), [(v, c, f) for v, _, c, f in CASES],
                         ids=[name for _, name, _, _ in CASES])  # fmt: skip
def test_a_wrong_type_is_a_validation_error_and_nothing_is_sent(
    vendor: str, call: Call, field: str
) -> None:
    sb = make(vendor, size=20)
    with connect(sb, vendor) as client, pytest.raises(ef.ValidationError) as caught:
        call(client)
    assert caught.value.field == field
    assert sb.requests == []


def test_a_correct_call_still_goes_through() -> None:
    sb = make("prospend", size=20)
    with connect(sb, "prospend") as client:
        result = client.post_card_transaction(TX)
    assert result.transaction_id == "txn-1"
