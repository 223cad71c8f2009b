"""The fast paths of the per-record parsers give exactly what the general paths give.

``parse_timestamp`` reads the common ``YYYY-MM-DDTHH:MM:SS[.f](Z|±HH:MM)`` shape with the C
parser; ``parse_currency`` remembers valid spellings; ``text``/``present`` test the JSON
types first. These properties pin the results to an independent oracle.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from expense_facade.mapping.fields import LenientFields, StatusMap, absent, present, text
from expense_facade.mapping.money import (
    MoneyParseError,
    money_from_major,
    money_from_minor_units,
    parse_currency,
    parse_decimal,
)
from expense_facade.mapping.timeparse import (
    TimestampParseError,
    _parse_common,
    _parse_text,
    parse_timestamp,
)
from expense_facade.records import ExpenseStatus, Money
from hypothesis import given
from hypothesis import strategies as st

fractions = st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=9))
offsets = st.one_of(
    st.just("Z"),
    st.tuples(st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 59)).map(
        lambda t: f"{t[0]}{t[1]:02d}:{t[2]:02d}"
    ),
)


def expected(
    y: int, mo: int, d: int, h: int, mi: int, s: int, fraction: str, offset: str
) -> dt.datetime:
    """The oracle: the components read by hand (fraction truncated to microseconds)."""
    micro = int((fraction + "000000")[:6])
    if offset == "Z":
        zone = dt.UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        zone = dt.timezone(sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:])))
    return dt.datetime(y, mo, d, h, mi, s, micro, tzinfo=zone).astimezone(dt.UTC)


@given(
    st.integers(1, 9999),
    st.integers(1, 12),
    st.integers(1, 31),
    st.integers(0, 23),
    st.integers(0, 59),
    st.integers(0, 59),
    fractions,
    offsets,
)
def test_common_shape_matches_the_oracle(
    y: int, mo: int, d: int, h: int, mi: int, s: int, fraction: str, offset: str
) -> None:
    stamp = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"
    stamp += (f".{fraction}" if fraction else "") + offset
    try:
        want = expected(y, mo, d, h, mi, s, fraction, offset)
    except (ValueError, OverflowError):
        with pytest.raises(TimestampParseError):
            parse_timestamp(stamp)
        return
    got = parse_timestamp(stamp)
    assert got == want
    assert got is not None
    assert got.tzinfo is dt.UTC


@pytest.mark.parametrize(
    "stamp",
    [
        "2025-10-6T08:34:18.123Z",  # not zero-padded (a published Revolut example)
        "2025-10-06T24:00:00Z",
        "2025-10-06T08:34:18.12a3Z",
        "2025-10-06T08:34:18.Z",
        "2025-10-06T08:34:18+02:00:30",
        "2025-10-06X08:34:18Z",
        "20251006T083418Z",
    ],
)
def test_malformed_stamps_are_still_refused(stamp: str) -> None:
    with pytest.raises(TimestampParseError):
        parse_timestamp(stamp)
    fields = LenientFields()
    assert fields.timestamp("updated_at", stamp) is None
    assert fields.warnings[0].startswith("updated_at: ")


def test_other_accepted_shapes_still_go_through_the_general_parser() -> None:
    assert parse_timestamp(" 2025-10-06 08:34z ") == dt.datetime(2025, 10, 6, 8, 34, tzinfo=dt.UTC)
    assert parse_timestamp("2025-10-06") == dt.datetime(2025, 10, 6, tzinfo=dt.UTC)
    assert parse_timestamp("2025-10-06T08:34:18+0200") == dt.datetime(
        2025, 10, 6, 6, 34, 18, tzinfo=dt.UTC
    )
    assert parse_timestamp("1970-01-01T00:00:00Z", null_epoch=True) is None
    assert parse_timestamp("1970-01-01T01:00:00+01:00", null_epoch=True) is None


def test_currency_spellings_are_remembered_without_changing_results() -> None:
    for _ in range(2):
        assert parse_currency(" eur ") == "EUR"
        assert parse_currency("USD") == "USD"
        assert parse_currency("") is None
        with pytest.raises(MoneyParseError):
            parse_currency("EURO")
        with pytest.raises(MoneyParseError):
            parse_currency(978)


def test_decimal_fast_path_keeps_the_type_rules() -> None:
    assert str(parse_decimal(12.1)) == "12.1"
    assert parse_decimal(7) == 7
    with pytest.raises(MoneyParseError):
        parse_decimal(True)
    with pytest.raises(MoneyParseError):
        parse_decimal(float("nan"))


class Unset:
    """Stands in for a generated client's UNSET sentinel (recognised by class name)."""


class Name(str):
    """A str subclass (takes the general path of ``text``)."""


def test_absent_present_and_text_for_every_kind_of_value() -> None:
    unset = Unset()
    plain: tuple[object, ...] = (None, unset, "", 0, False, {})
    assert [absent(v) for v in plain] == [True, True] + [False] * 4
    assert [present(v) for v in (unset, 0, "x")] == [None, 0, "x"]
    # Not all JSON scalars: the helpers stay lenient at run time whatever their types say.
    values: tuple[Any, ...] = ("  a ", "   ", Name(" b "), 12, unset, {"a": 1})
    assert [text(v) for v in values] == ["a", None, "b", "12", None, None]


@pytest.mark.parametrize("stamp", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00"])
def test_a_time_outside_the_utc_range_is_a_parse_error(stamp: str) -> None:
    with pytest.raises(TimestampParseError, match="out of range"):
        parse_timestamp(stamp)


def test_money_from_the_helpers_is_a_normal_frozen_money() -> None:
    made = money_from_major(12.1, "eur")
    assert made == Money(Decimal("12.1"), "EUR")
    assert hash(made) == hash(Money(Decimal("12.1"), "EUR"))
    assert repr(made) == repr(Money(Decimal("12.1"), "EUR"))
    assert money_from_minor_units(1250, "JPY") == Money(Decimal(1250), "JPY")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.amount = Decimal(1)  # type: ignore[misc]


def test_status_map_answers_the_same_on_every_call() -> None:
    status = StatusMap({"APPROVED": ExpenseStatus.APPROVED, "PENDING": ExpenseStatus.DRAFT})
    for _ in range(3):
        assert status("APPROVED") == (ExpenseStatus.APPROVED, "APPROVED")
        assert status(" approved ") == (ExpenseStatus.APPROVED, "approved")
        assert status("SHREDDED") == (ExpenseStatus.UNKNOWN, "SHREDDED")
        assert status("  ") == (ExpenseStatus.UNKNOWN, None)
        assert status(None) == (ExpenseStatus.UNKNOWN, None)


def _general(value: object) -> tuple[str, str] | str | None:
    """``_parse_decimal``'s answer (the general path, kept as the reference), as data."""
    from expense_facade.mapping.money import _parse_decimal

    try:
        result = _parse_decimal(value)
    except MoneyParseError as exc:
        return f"error: {exc}"
    return None if result is None else (type(result).__name__, str(result))


def _fast(value: object) -> tuple[str, str] | str | None:
    try:
        result = parse_decimal(value)
    except MoneyParseError as exc:
        return f"error: {exc}"
    return None if result is None else (type(result).__name__, str(result))


decimal_texts = st.one_of(
    st.from_regex(r"\A[+-]?[0-9]{0,120}(\.[0-9]{0,90})?\Z"),
    st.from_regex(r"\A\s*-?[0-9]{1,5}(\.[0-9]{1,4})?\s*\Z"),
    st.sampled_from(["", " ", "1e5", "NaN", "Infinity", "1_000", "١٢", "12,5", "+.5", "5.", "-"]),
)
decimal_values = st.one_of(
    decimal_texts,
    st.integers(),
    st.booleans(),
    st.none(),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.builds(lambda d, e: Decimal(d).scaleb(e), st.integers(-999, 999), st.integers(-400, 400)),
)


@given(decimal_values)
def test_decimal_fast_paths_answer_as_the_general_path(value: object) -> None:
    assert _fast(value) == _general(value)


@pytest.mark.parametrize(
    "value", ["124.51", "-3", "0.10", "10000000", "1" * 100, "0." + "0" * 79 + "1"]
)
def test_the_text_the_vendors_send_is_exact(value: str) -> None:
    assert str(parse_decimal(value)) == str(Decimal(value))
    assert _fast(value) == _general(value)


def _money_of(make: Any, amount: object, currency: object) -> tuple[str, str | None] | str | None:
    try:
        money = make(amount, currency)
    except MoneyParseError as exc:
        return f"error: {exc}"
    return None if money is None else (str(money.amount), money.currency)


def _major_by_parts(amount: object, currency: object) -> Money | None:
    code = parse_currency(currency)  # the general path, each part on its own
    value = parse_decimal(amount)
    return None if value is None else Money(value, code)


def _minor_by_parts(amount: object, currency: object) -> Money | None:
    from expense_facade.mapping.money import from_minor_units

    code = parse_currency(currency)
    value = from_minor_units(amount, code)
    return None if value is None else Money(value, code)


currencies = st.one_of(
    st.sampled_from(["EUR", "eur", " gbp ", "JPY", "KWD", "", " ", "EURO", "€", "X1Y"]),
    st.none(),
    st.integers(0, 999),
)


@given(decimal_values, currencies)
def test_money_fast_paths_answer_as_their_parts(amount: object, currency: object) -> None:
    # Twice: the first call may be the one that remembers the currency's spelling.
    for _ in range(2):
        assert _money_of(money_from_major, amount, currency) == _money_of(
            _major_by_parts, amount, currency
        )
        assert _money_of(money_from_minor_units, amount, currency) == _money_of(
            _minor_by_parts, amount, currency
        )


# Characters a stamp's positions may be mutated into: the separators, ASCII and other
# digits (Arabic-Indic, full-width, superscript two), letters, signs and spaces.
_STAMP_CHARS = "0123456789-:T.,Zz+ tX\u0663\uff15\u00b2"


@given(
    st.sampled_from(
        [
            "2025-10-06T08:34:18.123Z",
            "2025-10-06T08:34:18Z",
            "2025-10-06T08:34:18.123456789+05:30",
            "2025-10-06T08:34:18-00:00",
        ]
    ),
    st.lists(
        st.tuples(
            # the separators' places (from the end too: the offset), or any place
            st.one_of(st.sampled_from([4, 7, 10, 13, 16, 19, -1, -3, -6]), st.integers(0, 40)),
            st.sampled_from(_STAMP_CHARS),
        ),
        max_size=3,
    ),
    st.integers(0, 3),
)
def test_the_common_shape_reader_takes_only_what_the_general_parser_reads_alike(
    stamp: str, changes: list[tuple[int, str]], cut: int
) -> None:
    """``_parse_common`` (fixed-place checks, then the C parser) either declines a text or
    reads it as the general parser does; ``LenientFields.timestamp`` answers as
    ``parse_timestamp`` on the same texts."""
    text = list(stamp[: len(stamp) - cut] if cut else stamp)
    for at, char in changes:
        text[at % len(text)] = char
    candidate = "".join(text)
    fast = _parse_common(candidate)
    try:
        general = _parse_text(candidate, original=candidate)
    except TimestampParseError:
        general = None
    if fast is not None:
        assert general is not None
        assert fast == general
        assert fast.utcoffset() == general.utcoffset()
    try:
        want = parse_timestamp(candidate)
    except TimestampParseError:
        want = None
    fields = LenientFields()
    got = fields.timestamp("at", candidate)
    assert got == want
    assert got is None or got.tzinfo is dt.UTC
    assert bool(fields.warnings) == (want is None)


@given(currencies)
def test_lenient_currency_answers_as_the_parser_on_the_text(value: Any) -> None:
    # Twice: the first call may be the one that remembers the spelling.
    for _ in range(2):
        fields = LenientFields()
        try:
            want = parse_currency(text(value))
        except MoneyParseError:
            want = None
            assert fields.currency("currency", value) is None
            assert len(fields.warnings) == 1
        else:
            assert fields.currency("currency", value) == want
            assert fields.warnings == ()
