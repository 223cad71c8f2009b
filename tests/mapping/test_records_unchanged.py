"""The per-record optimisations of issue 23 change no record: every vendor's listing of
the sandbox (20,000 expenses; 1,000 with each kind of odd value) digests, field by field,
to what the code before them produced (``records_digest.json``, written by
``tests/support/records_digest.py`` from that code). See that module for what the digest
covers and how to rewrite it after a change that is meant to change records."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from expense_facade.records import Expense, ExpenseStatus, LineItem, Money
from support import records_digest

EXPECTED: dict[str, Any] = json.loads(records_digest.DIGEST_FILE.read_text())

PLUS_ONE = dt.timezone(dt.timedelta(hours=1))

REWRITE = (
    "records differ from the digest of the code before the optimisations of issue 23; if "
    "the change is meant to change records, rewrite it (PYTHONPATH=tests python -m support."
    "records_digest --write) and say why in the commit"
)


def test_the_digest_covers_every_listing() -> None:
    assert sorted(EXPECTED) == sorted(records_digest.listings())


@pytest.mark.slow  # 20,000 expenses per vendor, read through the facade
@pytest.mark.parametrize("name", sorted(records_digest.listings()))
def test_records_are_those_of_the_code_before(name: str) -> None:
    vendor, size, options, mutations = records_digest.listings()[name]
    got = records_digest.listing_digest(vendor, size, options, mutations)
    assert got["expenses"] > 0 or got["malformed"] > 0
    assert got == EXPECTED[name], REWRITE


def _expense(**changes: Any) -> Expense:
    base: dict[str, Any] = {
        "vendor": "revolut",
        "id": "e-1",
        "status": ExpenseStatus.APPROVED,
        "raw_status": "approved",
        "gross": Money(Decimal("12.50"), "EUR"),
        "transaction_date": dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "line_items": (LineItem(amount=Money(Decimal("12.50"), "EUR"), raw={"a": 1}),),
        "parse_warnings": ("x: y",),
        "raw": {"id": "e-1", "amount": "12.50"},
    }
    return Expense(**{**base, **changes})


@pytest.mark.parametrize(
    "changes",
    [
        {"gross": Money(Decimal("12.5"), "EUR")},  # the same number, another exponent
        {"transaction_date": dt.datetime(2025, 1, 2, 3, 4, 5)},  # naive
        {"transaction_date": dt.datetime(2025, 1, 2, 4, 4, 5, tzinfo=PLUS_ONE)},  # same instant
        {"raw": {"amount": "12.50", "id": "e-1"}},  # the payload's key order
        {"raw": {"id": "e-1", "amount": Decimal("12.50")}},  # a string became a number
        {"line_items": (LineItem(amount=Money(Decimal("12.50"), "EUR"), raw={"a": True}),)},
        {"parse_warnings": ()},
        {"status": ExpenseStatus.PAID},
    ],
)
def test_the_digest_tells_apart_any_change_of_a_field(changes: dict[str, Any]) -> None:
    assert records_digest.digest([_expense()]) == records_digest.digest([_expense()])
    assert records_digest.digest([_expense(**changes)]) != records_digest.digest([_expense()])


def test_the_digest_depends_on_the_order_of_records() -> None:
    one, two = _expense(), _expense(id="e-2")
    assert records_digest.digest([one, two]) != records_digest.digest([two, one])
