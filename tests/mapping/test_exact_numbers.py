"""Exact numbers (issue 12): JSON numbers go from the bytes to ``Decimal`` with no float and
no Decimal context on the way; an amount that is not finite or cannot be written out is a
parse warning with the raw value kept; ``Money`` refuses NaN and the infinities; invalid
UTF-8 in a string costs that string (``InvalidText``), deep nesting is ``TooDeep``."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import expense_facade as ef
import pytest
from expense_facade.mapping.fields import (
    InvalidTextError,
    JsonScalar,
    LenientFields,
    parse_records,
    scalar_text,
)
from expense_facade.mapping.json_values import InvalidText, TooDeep, loads
from expense_facade.mapping.money import (
    MoneyParseError,
    exact_sum,
    from_minor_units,
    money_from_minor_units,
    to_minor_units,
)
from expense_facade.records import Expense, ExpenseStatus


def test_json_numbers_are_decimals_from_their_text() -> None:
    body = loads(b'{"a": 12.345678901234567890123, "b": 0.1, "c": 1e400, "d": 7, "e": -0.0}')
    assert body == {
        "a": Decimal("12.345678901234567890123"),
        "b": Decimal("0.1"),
        "c": Decimal("1E+400"),
        "d": 7,
        "e": Decimal("-0.0"),
    }
    assert type(body["d"]) is int
    assert str(body["a"]) == "12.345678901234567890123"  # not 12.345678901234567


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_in_a_body_become_a_parse_warning_with_the_raw_value_kept(
    constant: str,
) -> None:
    body = loads(f'{{"amount": {constant}, "currency": "EUR"}}'.encode())
    assert isinstance(body["amount"], Decimal)
    assert not body["amount"].is_finite()
    fields = LenientFields()
    assert fields.money("gross", body["amount"], body["currency"]) is None
    assert fields.warnings == (f"gross: not a finite amount: {Decimal(constant)}",)
    assert str(body["amount"]) == str(Decimal(constant))  # still there, as sent


@pytest.mark.parametrize(
    ("minor", "currency", "major"),
    [
        (1234567890123456789012345678901, "USD", "12345678901234567890123456789.01"),
        (1234567890123456789012345678901, "JPY", "1234567890123456789012345678901"),
        (1234567890123456789012345678901, "KWD", "1234567890123456789012345678.901"),
        (Decimal("1250.00"), "EUR", "12.50"),
        (Decimal("-1250"), "EUR", "-12.50"),
        ("1234567890123456789012345678901", "EUR", "12345678901234567890123456789.01"),
        # Integers below 10**18 take the short way: the same digits and exponent.
        (1250, "EUR", "12.50"),
        (-5, "EUR", "-0.05"),
        (0, "EUR", "0.00"),
        (1250, "JPY", "1250"),
        (7, "KWD", "0.007"),
        (999_999_999_999_999_999, "USD", "9999999999999999.99"),
        (10**18, "USD", "10000000000000000.00"),
    ],
)
def test_minor_units_are_shifted_exactly_however_many_digits(
    minor: object, currency: str, major: str
) -> None:
    value = from_minor_units(minor, currency)
    assert value == Decimal(major)
    assert str(value) == major
    money = money_from_minor_units(minor, currency)
    assert money is not None
    assert to_minor_units(money) == int(Decimal(str(minor)))


def test_a_context_of_little_precision_rounds_no_minor_units() -> None:
    with decimal.localcontext() as context:
        context.prec = 3
        assert str(from_minor_units(123_456_789, "EUR")) == "1234567.89"
        assert str(from_minor_units(10**30 + 1, "USD")) == "10000000000000000000000000000.01"


def test_the_default_context_would_have_rounded_31_digits() -> None:
    # What issue 12 saw: scaleb under the default 28-digit context.
    rounded = Decimal(10**30).scaleb(-2)
    assert str(rounded) == "1.000000000000000000000000000E+28"
    assert from_minor_units(10**30 + 1, "USD") == Decimal("10000000000000000000000000000.01")
    assert decimal.getcontext().prec == 28  # nothing changed the context to get there


@pytest.mark.parametrize("fraction", [Decimal("1250.5"), Decimal("0.001"), "12.5", 1250.5])
def test_a_fraction_of_a_minor_unit_is_a_warning_never_a_float(fraction: Any) -> None:
    fields = LenientFields()
    assert fields.money_minor("gross", fraction, "EUR") is None
    [warning] = fields.warnings
    assert warning.startswith("gross: not an integer amount in minor units")


@pytest.mark.parametrize(
    "amount", [Decimal("1E+999999999"), Decimal("1E-999999999"), Decimal("1E+200")]
)
def test_an_amount_that_cannot_be_written_out_is_a_warning(amount: Decimal) -> None:
    fields = LenientFields()
    assert fields.money("gross", amount, "EUR") is None
    assert fields.decimal("rate", amount) is None
    assert len(fields.warnings) == 2
    assert all("cannot be written out" in w for w in fields.warnings)


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_money_refuses_nan_and_the_infinities(amount: str) -> None:
    with pytest.raises(ef.ValidationError) as caught:
        ef.Money(Decimal(amount), "USD")
    assert caught.value.field == "amount"


@pytest.mark.parametrize("amount", [12.5, 12, "12.5", None])
def test_money_refuses_an_amount_that_is_not_a_decimal(amount: object) -> None:
    with pytest.raises(ef.ValidationError) as caught:
        ef.Money(amount, "USD")  # type: ignore[arg-type]
    assert caught.value.field == "amount"


def test_money_refuses_a_currency_that_is_not_text() -> None:
    with pytest.raises(ef.ValidationError) as caught:
        ef.Money(Decimal(1), 840)  # type: ignore[arg-type]
    assert caught.value.field == "currency"


def test_invalid_utf8_costs_the_string_not_the_body() -> None:
    body = loads(b'[{"id": "a", "memo": "Caf\xe9 \xff"}, {"id": "b", "memo": "fine"}]')
    first, second = body
    assert isinstance(first["memo"], InvalidText)
    assert first["memo"] == "Caf\ufffd \ufffd"  # shown with replacement characters
    assert first["memo"].raw == b"Caf\xe9 \xff"  # the bytes as sent
    assert type(second["memo"]) is str
    with pytest.raises(InvalidTextError):
        scalar_text(first["memo"])


def test_invalid_utf8_in_a_key_is_marked_too() -> None:
    body = loads(b'{"k\xff": 1}')
    [key] = body
    assert isinstance(key, InvalidText)
    assert key.raw == b"k\xff"


def test_a_record_with_invalid_text_is_reported_and_the_page_goes_on() -> None:
    items = loads(b'[{"id": "a", "memo": "x\xff"}, {"id": "b", "memo": "y"}]')

    def parse(item: dict[str, JsonScalar]) -> Expense:
        return Expense(
            vendor="v",
            id=str(item["id"]),
            status=ExpenseStatus.APPROVED,
            raw_status="ok",
            description=scalar_text(item["memo"]),
        )

    expenses, malformed = parse_records(items, parse, vendor="v")
    assert [e.id for e in expenses] == ["b"]
    [bad] = malformed
    assert bad.record_id == "a"
    assert "not valid UTF-8" in bad.reason
    assert bad.raw is items[0]


def test_json_nested_deeper_than_the_parser_is_too_deep_not_a_recursion_error() -> None:
    with pytest.raises(TooDeep):
        loads(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(TooDeep):
        loads(b'{"a": "\xff", "b": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    shallow = loads(b"[" * 50 + b"]" * 50)  # a sane depth parses
    for _ in range(49):
        [shallow] = shallow
    assert shallow == []


def test_invalid_json_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Expecting"):
        loads(b"<html>")
    with pytest.raises(ValueError, match="Expecting"):
        loads(b"<html>\xff")


def test_a_float_handed_in_directly_is_read_through_its_shortest_text() -> None:
    fields = LenientFields()
    money = fields.money("gross", 12.1, "EUR")
    assert money is not None
    assert str(money.amount) == "12.1"
    with pytest.raises(MoneyParseError):
        from_minor_units(12.5, "EUR")


def test_exact_sum_never_rounds_a_total_past_the_default_context() -> None:
    parts = [Decimal("1234567890123456789012345678.91"), Decimal("0.01"), Decimal("-0.005")]
    assert sum(parts, Decimal(0)) != Decimal("1234567890123456789012345678.915")  # 28 digits
    assert exact_sum(parts) == Decimal("1234567890123456789012345678.915")
    assert str(exact_sum(parts)) == "1234567890123456789012345678.915"
    assert str(exact_sum([Decimal("1.50"), Decimal("2")])) == "3.50"  # the places kept
    assert exact_sum([]) == 0
