"""records.new_*: the adapters' builders make the very object the class call makes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from expense_facade import records
from expense_facade.records import (
    Employee,
    Expense,
    ExpenseStatus,
    LineItem,
    Merchant,
    Money,
    ReceiptRef,
)

WHEN = dt.datetime(2025, 3, 4, 5, 6, 7, 890000, tzinfo=dt.UTC)
EUR = Money(Decimal("12.50"), "EUR")
LINE: dict[str, Any] = {"amount": EUR, "category": "Travel", "tax_rate": Decimal("20")}
EXPENSE: dict[str, Any] = {
    "vendor": "revolut",
    "id": "e-1",
    "status": ExpenseStatus.APPROVED,
    "raw_status": "approved",
    "gross": EUR,
    "currency": "EUR",
    "transaction_date": WHEN,
    "employee": Employee(name="Ana"),
    "merchant": Merchant(name="Cafe", mcc="5812"),
    "receipts": (ReceiptRef(id="r-1"),),
    "line_items": (LineItem(**LINE),),
    "parse_warnings": ("submitted_at: not an ISO 8601 timestamp: 'x'",),
    "raw": {"id": "e-1"},
}

CASES = [
    (Money, records.new_money, {"amount": Decimal("1.005"), "currency": None}),
    (Employee, records.new_employee, {"id": "u1", "email": "a@example.com"}),
    (Employee, records.new_employee, {}),
    (Merchant, records.new_merchant, {"name": "Cafe"}),
    (ReceiptRef, records.new_receipt_ref, {"id": "r-1", "content_type": "image/png"}),
    (LineItem, records.new_line_item, LINE),
    (LineItem, records.new_line_item, {"amount": None}),
    (Expense, records.new_expense, EXPENSE),
    (
        Expense,
        records.new_expense,
        {k: EXPENSE[k] for k in ("vendor", "id", "status")} | {"raw_status": None},
    ),
]


@pytest.mark.parametrize(("cls", "build", "given"), CASES)
def test_a_builder_makes_what_the_class_makes(cls: type, build: Any, given: dict[str, Any]) -> None:
    built, made = build(**given), cls(**given)
    assert type(built) is cls
    assert built == made
    assert hash(built) == hash(made)
    assert repr(built) == repr(made)
    for field in attrs.fields(cls):  # every slot, also those left out of eq and repr
        assert getattr(built, field.name) == getattr(made, field.name), field.name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        built.__setattr__(attrs.fields(cls)[0].name, None)


def test_positional_arguments_and_factories_as_in_the_class() -> None:
    assert records.new_money(Decimal("3"), "GBP") == Money(Decimal("3"), "GBP")
    first, second = records.new_line_item(None), records.new_line_item(None)
    assert first.raw == {}
    assert first.raw is not second.raw
    with pytest.raises(TypeError):
        records.new_receipt_ref()  # type: ignore[call-arg]  # id is required, as in the class


def test_a_builder_is_only_made_for_classes_it_can_build_exactly() -> None:
    @attrs.frozen(slots=True)
    class Converted:
        value: int = attrs.field(converter=int)

    @attrs.frozen(slots=False)
    class NotSlotted:
        value: int

    for cls in (Converted, NotSlotted):
        with pytest.raises(TypeError):
            records._builder(cls)
