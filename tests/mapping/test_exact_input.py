"""Exact input (issue 19): integers bounded per value, not per body; a lone surrogate costs
its string like invalid UTF-8; ids read exactly as sent (docs/limits.md)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from expense_facade.mapping.fields import InvalidTextError, LenientFields, identifier, text
from expense_facade.mapping.json_values import (
    MAX_NUMBER_CHARS,
    InvalidText,
    OutOfBoundsNumber,
    loads,
)
from hypothesis import given
from hypothesis import strategies as st

HUGE = "9" * 5000


def test_a_number_past_the_bound_costs_that_value_not_the_body() -> None:
    body = loads(f'[{{"id": "a", "n": {HUGE}, "d": {HUGE}.5}}, {{"id": "b", "n": 7}}]'.encode())
    first, second = body
    assert type(first["n"]) is OutOfBoundsNumber
    assert first["n"] == HUGE  # its text, exact
    assert first["d"] == Decimal(HUGE + ".5")  # a decimal is read exactly, in linear time
    assert second["n"] == 7
    assert type(second["n"]) is int


def test_numbers_up_to_the_bound_stay_numbers() -> None:
    digits = "8" * MAX_NUMBER_CHARS
    body = loads(f"[{digits}, -{digits[1:]}]".encode())
    assert body == [int(digits), -int(digits[1:])]


def test_an_amount_past_the_bound_is_a_field_warning() -> None:
    (amount,) = loads(f"[{HUGE}]".encode())
    fields = LenientFields()
    assert fields.money("amount", amount, "EUR") is None
    assert len(fields.warnings) == 1


@pytest.mark.parametrize(
    "escape",
    ["\\udc00", "\\ud83d", "\\ude00", "\\uDC00"],
)
def test_a_lone_surrogate_escape_costs_its_string(escape: str) -> None:
    body = loads(f'[{{"id": "expense_{escape}x", "memo": "\\ud83d\\ude00 ok"}}]'.encode())
    (record,) = body
    assert isinstance(record["id"], InvalidText)
    assert record["id"] == "expense_\ufffdx"
    assert record["id"].sent.encode("utf-16", "surrogatepass")  # kept as sent
    assert record["id"].sent == "expense_" + escape.encode().decode("unicode_escape") + "x"
    assert type(record["memo"]) is str  # a pair of escapes is one character
    assert record["memo"] == "\U0001f600 ok"
    with pytest.raises(InvalidTextError):
        identifier(record["id"])
    with pytest.raises(InvalidTextError):
        text(record["id"])


def test_a_lone_surrogate_in_raw_bytes_is_marked_too() -> None:
    (value,) = loads(b'["a\xed\xb0\x80b"]')  # U+DC00 encoded as it is (CESU-style)
    assert isinstance(value, InvalidText)
    assert value.sent == "a\udc00b"


def test_ids_are_read_exactly_as_sent() -> None:
    assert identifier("exp_1 ") == "exp_1 "
    assert identifier(" EXP_1") == " EXP_1"
    assert identifier("") is None
    assert identifier(None) is None
    assert identifier(12) == "12"
    assert identifier(True) is None
    assert text("exp_1 ") == "exp_1"  # text is still stripped: ids are not text


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


# (st.characters never draws a surrogate: they are added by hand)
texts = st.text(st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr)), max_size=6)
documents = st.recursive(
    st.one_of(texts, st.decimals(allow_nan=False, allow_infinity=False), st.integers()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)),
    max_leaves=8,
)


@given(documents, st.booleans())
def test_every_string_with_a_lone_surrogate_is_marked_and_no_other(
    document: object, escaped: bool
) -> None:
    """The body-level shortcuts (no backslash, no 0xED byte: no walk) mark exactly what the
    walk over every string would: each string holding a surrogate, however it was sent (an
    escape, or its bytes with ``escaped`` false), and no other."""
    body = json.dumps(document, ensure_ascii=escaped, default=str)
    decoded = loads(body.encode("utf-8", "surrogatepass"))
    for value in _strings(decoded):
        sent = value.sent if isinstance(value, InvalidText) else value
        surrogate = any("\ud800" <= c <= "\udfff" for c in sent)
        assert isinstance(value, InvalidText) == surrogate, repr(sent)
