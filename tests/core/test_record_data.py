"""Records as data (docs/library.md, "Records as data"): ``Expense.to_dict`` / ``to_json``
are exact, ``from_dict`` / ``from_json`` give an equal record back, for every vendor's
sandbox records (altered ones included) and for records built field by field; a JSON Lines
export writes that very shape."""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import Decimal
from pathlib import Path

import expense_facade as ef
import pytest
from expense_facade.sandbox import Fault
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.sandbox import connect, make

VENDORS = ef.available_vendors()
ALTERATIONS = (
    None,
    Fault.mutate_records(missing_optional=True),
    Fault.mutate_records(null_values=True, malformed_date=True),
    Fault.mutate_records(unknown_enum=True, extra_fields=True, long_amounts=True),
)


@functools.cache
def sandbox_records(vendor: str, seed: int, alteration: int) -> tuple[ef.Expense, ...]:
    """The approved records a sandbox of ``vendor`` lists (``ALTERATIONS[alteration]``
    applied to every answer)."""
    sb = make(vendor, size=24, seed=seed)
    fault = ALTERATIONS[alteration]
    if fault is not None:
        sb.faults.add(vendor, None, fault, times=None)
    with connect(sb, vendor) as client:
        return tuple(client.list_approved())


@st.composite
def sandbox_expense(draw: st.DrawFn) -> ef.Expense:
    vendor = draw(st.sampled_from(VENDORS))
    records = sandbox_records(
        vendor, draw(st.integers(0, 1)), draw(st.integers(0, len(ALTERATIONS) - 1))
    )
    return draw(st.sampled_from(records))


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**30), max_value=10**30)
# Whole seconds: time zones have no finer offsets, and CPython 3.11's fromisoformat reads
# an offset under one second ("+00:00:00.000001") as zero.
OFFSETS = st.integers(-23 * 3600, 23 * 3600).map(lambda s: dt.timedelta(seconds=s))
# Fixed offsets, as the adapters' records hold (mapping/timeparse.py): a ZoneInfo time in
# a DST gap or fold never equals the same instant in another zone (PEP 495), so such a
# record could not compare equal to anything read back from text.
ZONES = st.builds(dt.timezone, OFFSETS)
MONEY = st.builds(ef.Money, DECIMALS, st.none() | st.sampled_from(["EUR", "JPY", "KWD"]))
WHEN = st.none() | st.datetimes(timezones=ZONES)
LINE = st.builds(
    ef.LineItem,
    amount=st.none() | MONEY,
    description=st.none() | TEXT,
    tax_amount=st.none() | MONEY,
    tax_rate=st.none() | DECIMALS,
)
BUILT = st.builds(
    ef.Expense,
    vendor=st.sampled_from(VENDORS),
    id=TEXT,
    status=st.sampled_from(ef.ExpenseStatus),
    raw_status=st.none() | TEXT,
    gross=st.none() | MONEY,
    net=st.none() | MONEY,
    exchange_rate=st.none() | DECIMALS,
    transaction_date=WHEN,
    updated_at=WHEN,
    employee=st.none() | st.builds(ef.Employee, st.none() | TEXT, st.none() | TEXT),
    merchant=st.none() | st.builds(ef.Merchant, st.none() | TEXT, st.none() | TEXT),
    description=st.none() | TEXT,
    receipts=st.lists(st.builds(ef.ReceiptRef, TEXT, st.none() | TEXT), max_size=2).map(tuple),
    line_items=st.lists(LINE, max_size=3).map(tuple),
    account=st.none() | TEXT,
    parse_warnings=st.lists(TEXT, max_size=2).map(tuple),
)


def same_fields(a: ef.Expense, b: ef.Expense) -> None:
    """Equal, and equal in every visible way: decimal digits and offsets included."""
    assert a == b
    assert a.to_dict() == b.to_dict()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sandbox_expense())
def test_every_vendors_sandbox_record_survives_the_round_trip(expense: ef.Expense) -> None:
    same_fields(ef.Expense.from_dict(expense.to_dict()), expense)
    same_fields(ef.Expense.from_json(expense.to_json()), expense)
    back = ef.Expense.from_json(expense.to_json(include_raw=True))
    same_fields(back, expense)
    assert (
        json.loads(expense.to_json(include_raw=True))["raw"]
        == back.to_dict(include_raw=True)["raw"]
    )


@settings(max_examples=300, deadline=None)
@given(BUILT)
def test_any_record_survives_the_round_trip(expense: ef.Expense) -> None:
    same_fields(ef.Expense.from_json(expense.to_json()), expense)


def test_the_shape_is_exact() -> None:
    when = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30)))
    expense = ef.Expense(
        vendor="brex",
        id="e1",
        status=ef.ExpenseStatus.APPROVED,
        raw_status="APPROVED",
        gross=ef.Money(Decimal("0.10000000000000000555"), "EUR"),
        exchange_rate=Decimal("1E+3"),
        transaction_date=when,
    )
    data = expense.to_dict()
    assert data["gross"] == {"amount": "0.10000000000000000555", "currency": "EUR"}
    assert data["exchange_rate"] == "1000"
    assert data["transaction_date"] == "2026-03-01T09:30:00-05:30"
    assert list(data)[:3] == ["vendor", "account", "id"]
    assert expense.to_json() == json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"gross": {"amount": 12.3, "currency": "EUR"}}, "gross.amount"),
        ({"gross": {"amount": "NaN", "currency": "EUR"}}, "gross.amount"),
        ({"line_items": [{"amount": {"amount": "x"}}]}, "line_items[0].amount.amount"),
        ({"updated_at": "2026-03-01T09:30:00"}, "updated_at"),
        ({"updated_at": "yesterday"}, "updated_at"),
        ({"status": "approvedish"}, "status"),
        ({"id": None}, "id"),
        ({"receipts": [{"name": "r.pdf"}]}, "receipts[0].id"),
        ({"parse_warnings": [1]}, "parse_warnings[0]"),
        ({"employee": "ada"}, "employee"),
    ],
)
def test_a_wrong_value_is_a_validation_error_naming_its_key(
    change: dict[str, object], field: str
) -> None:
    data = {"vendor": "brex", "id": "e1", "status": "approved", "raw_status": None, **change}
    with pytest.raises(ef.ValidationError) as caught:
        ef.Expense.from_dict(data)
    assert caught.value.field == field
    assert field in str(caught.value)


def test_a_json_lines_export_writes_the_records_shape(tmp_path: Path) -> None:
    sb = make("revolut", "prospend", size=30)
    for vendor in ("revolut", "prospend"):
        with connect(sb, vendor) as client:
            listed = {e.id: e for e in client.list_approved()}
            summary = ef.export_approved(
                client, tmp_path / f"{vendor}.jsonl", ledger=tmp_path / "ledger.sqlite3"
            )
        assert summary.exported == len(listed) > 0
        lines = (tmp_path / f"{vendor}.jsonl").read_text().splitlines()
        read = [ef.Expense.from_json(line) for line in lines]
        assert {e.id for e in read} == set(listed)
        for expense, line in zip(read, lines, strict=True):
            same_fields(expense, listed[expense.id])
            assert line == expense.to_json()
