"""Money and time parsing, and record-by-record page parsing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from expense_facade.mapping.fields import LenientFields, StatusMap, absent, parse_records
from expense_facade.mapping.money import (
    MoneyParseError,
    currency_exponent,
    from_minor_units,
    money_from_major,
    money_from_minor_units,
    parse_decimal,
    to_minor_units,
)
from expense_facade.mapping.timeparse import (
    TimestampParseError,
    format_timestamp,
    parse_date,
    parse_timestamp,
)
from expense_facade.records import Expense, ExpenseStatus, Money

UTC = dt.UTC


@pytest.mark.parametrize(
    ("units", "currency", "expected"),
    [
        (1250, "EUR", "12.50"),
        (1250, "eur", "12.50"),
        (-99, "USD", "-0.99"),
        (1250, "JPY", "1250"),
        (1250, "KRW", "1250"),
        (1250, "KWD", "1.250"),
        (1250, "BHD", "1.250"),
        (1250, "CLF", "0.1250"),
        (1250, "XXQ", "12.50"),  # unknown code: exponent 2
        (1250, None, "12.50"),
        ("1250", "GBP", "12.50"),
        (1250.0, "GBP", "12.50"),
        (0, "EUR", "0.00"),
    ],
)
def test_minor_units_use_the_currency_exponent(units: Any, currency: Any, expected: str) -> None:
    value = from_minor_units(units, currency)
    assert value == Decimal(expected)
    assert str(value) == expected  # the exponent is kept, not just the value


@pytest.mark.parametrize("bad", [12.5, "12.5", True, "abc", [1]])
def test_minor_units_refuse_fractions_and_non_numbers(bad: Any) -> None:
    with pytest.raises(MoneyParseError):
        from_minor_units(bad, "EUR")


def test_exponent_table() -> None:
    assert [currency_exponent(c) for c in ("JPY", "USD", "KWD", "OMR", "ISK", None)] == [
        0,
        2,
        3,
        3,
        0,
        2,
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, "0.1"),
        (0.1 + 0.2, "0.30000000000000004"),  # what the vendor's JSON literally said
        (12.1, "12.1"),
        (1e-7, "1E-7"),
        (19.99, "19.99"),
        (100, "100"),
        ("12.50", "12.50"),
        ("  12.50 ", "12.50"),
        ("-3", "-3"),
        (".5", "0.5"),
        (Decimal("7.25"), "7.25"),
    ],
)
def test_parse_decimal_is_exact(value: Any, expected: str) -> None:
    assert parse_decimal(value) == Decimal(expected)


def test_doubles_never_carry_binary_noise() -> None:
    noisy = 12.1
    assert parse_decimal(noisy) == Decimal("12.1")
    assert parse_decimal(noisy) != Decimal(noisy)  # the naive conversion would be wrong
    a, b = parse_decimal(0.1), parse_decimal(0.2)
    assert a is not None
    assert b is not None
    assert a + b == Decimal("0.3")


@pytest.mark.parametrize(
    "bad", ["12,50", "1,234.00", "1e3", "12.5 EUR", "NaN", float("nan"), float("inf"), True, {}]
)
def test_parse_decimal_is_strict(bad: Any) -> None:
    with pytest.raises(MoneyParseError):
        parse_decimal(bad)


def test_absent_amounts_are_none() -> None:
    assert parse_decimal(None) is None
    assert parse_decimal("  ") is None
    assert money_from_major(None, "EUR") is None
    assert money_from_minor_units(None, "EUR") is None


def test_money_builders() -> None:
    assert money_from_major("12.5", "gbp") == Money(Decimal("12.5"), "GBP")
    assert money_from_minor_units(500, None) == Money(Decimal("5.00"), None)
    with pytest.raises(MoneyParseError):
        money_from_major(1, "EURO")
    assert to_minor_units(Money(Decimal("1.250"), "KWD")) == 1250
    with pytest.raises(MoneyParseError):
        to_minor_units(Money(Decimal("1.001"), "EUR"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-10-06T08:34:18Z", dt.datetime(2025, 10, 6, 8, 34, 18, tzinfo=UTC)),
        ("2025-10-06T08:34:18.123Z", dt.datetime(2025, 10, 6, 8, 34, 18, 123000, tzinfo=UTC)),
        (
            "2025-10-06T08:34:18.1234567891Z",
            dt.datetime(2025, 10, 6, 8, 34, 18, 123456, tzinfo=UTC),
        ),
        ("2025-10-06T08:34:18.9999999Z", dt.datetime(2025, 10, 6, 8, 34, 18, 999999, tzinfo=UTC)),
        ("2025-10-06T10:34:18+02:00", dt.datetime(2025, 10, 6, 8, 34, 18, tzinfo=UTC)),
        ("2025-10-06T03:34:18-0500", dt.datetime(2025, 10, 6, 8, 34, 18, tzinfo=UTC)),
        ("2025-10-06 08:34", dt.datetime(2025, 10, 6, 8, 34, tzinfo=UTC)),
        ("2025-10-06T08:34:18", dt.datetime(2025, 10, 6, 8, 34, 18, tzinfo=UTC)),  # naive: UTC
        ("2025-10-06", dt.datetime(2025, 10, 6, tzinfo=UTC)),
        (" 2025-10-06T08:34:18,5Z ", dt.datetime(2025, 10, 6, 8, 34, 18, 500000, tzinfo=UTC)),
    ],
)
def test_parse_timestamp_accepts_iso_8601(text: str, expected: dt.datetime) -> None:
    parsed = parse_timestamp(text)
    assert parsed == expected
    assert parsed is not None
    assert parsed.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    "bad",
    [
        "2025-10-6T08:34:18.123Z",  # the published Revolut example: a malformed field
        "2025-13-01",
        "2025-02-30T00:00:00Z",
        "2025-10-06T24:00:00Z",
        "06/10/2025",
        "2025-10-06T08:34:18+25:00",
        "yesterday",
        1700000000,
    ],
)
def test_parse_timestamp_rejects_malformed(bad: Any) -> None:
    with pytest.raises(TimestampParseError):
        parse_timestamp(bad)


def test_null_epoch_means_absent() -> None:
    assert parse_timestamp("1970-01-01T00:00:00Z", null_epoch=True) is None
    assert parse_timestamp("1970-01-01T00:00:00Z") == dt.datetime(1970, 1, 1, tzinfo=UTC)
    assert parse_timestamp("1970-01-01T00:00:01Z", null_epoch=True) is not None
    assert parse_timestamp(None) is None
    assert parse_timestamp("") is None


def test_dates_and_formatting() -> None:
    assert parse_date("2025-10-06") == dt.date(2025, 10, 6)
    assert parse_date("2025-10-06T23:30:00-02:00") == dt.date(2025, 10, 7)
    moment = dt.datetime(2025, 10, 6, 8, 34, 18, 123456, tzinfo=UTC)
    assert format_timestamp(moment) == "2025-10-06T08:34:18.123Z"
    with pytest.raises(ValueError, match="aware"):
        format_timestamp(dt.datetime(2025, 1, 1))


def test_lenient_fields_collect_warnings_and_leave_fields_empty() -> None:
    fields = LenientFields()
    assert fields.timestamp("expense_date", "2025-10-6T08:34:18.123Z") is None
    assert fields.money_number_or_string("amount", "12,50", "EUR") is None
    assert fields.money_minor("gross", 1250, "JPY") == Money(Decimal(1250), "JPY")
    assert fields.timestamp("finalised", "1970-01-01T00:00:00Z", null_epoch=True) is None
    assert fields.decimal("rate", 1.1) == Decimal("1.1")
    assert len(fields.warnings) == 2
    assert fields.warnings[0].startswith("expense_date: ")
    assert "2025-10-6T08:34:18.123Z" in fields.warnings[0]


class Unset:
    """Stands in for a generated client's UNSET sentinel class."""


def test_unset_counts_as_absent() -> None:
    assert absent(Unset())
    assert absent(None)
    assert not absent(0)
    unset: Any = Unset()  # not a JSON scalar: the helpers stay lenient at run time
    assert LenientFields().money("amount", unset, "EUR") is None


def test_status_map_keeps_the_raw_word_and_maps_unknown_to_unknown() -> None:
    statuses = StatusMap({"APPROVED": ExpenseStatus.APPROVED, "Finalised": ExpenseStatus.PAID})
    assert statuses("approved") == (ExpenseStatus.APPROVED, "approved")
    assert statuses(" FINALISED ") == (ExpenseStatus.PAID, "FINALISED")
    assert statuses("APPROVAL_PENDING") == (ExpenseStatus.UNKNOWN, "APPROVAL_PENDING")
    assert statuses(None) == (ExpenseStatus.UNKNOWN, None)
    assert statuses.words_for(ExpenseStatus.PAID) == ("finalised",)


def test_parse_records_reports_a_bad_record_and_goes_on() -> None:
    def parse_one(item: Any) -> Expense:
        return Expense(
            vendor="v",
            id=item["id"],
            status=ExpenseStatus.APPROVED,
            raw_status="approved",
            gross=money_from_major(item["amount"], "EUR"),
            raw=item,
        )

    items = [
        {"id": "1", "amount": 1.5},
        {"id": "2"},
        {"id": "3", "amount": "x"},
        "junk",
        {"id": "4", "amount": "2"},
    ]
    expenses, malformed = parse_records(items, parse_one, vendor="v")
    assert [e.id for e in expenses] == ["1", "4"]
    assert [(m.record_id, m.reason.split(":")[0]) for m in malformed] == [
        ("2", "KeyError"),
        ("3", "MoneyParseError"),
        (None, "TypeError"),
    ]
    assert malformed[2].raw == "junk"
