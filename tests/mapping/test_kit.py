"""The adapter kit's shared helpers: shape guards, agreement across lines, dimensions
from (name, value) pairs, card-transaction checks, the exact-JSON writer and the
"since is ignored" notice."""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from typing import Any

import attrs
import expense_facade as ef
import pytest
from expense_facade._http.json_body import exact_json
from expense_facade.errors import ValidationError
from expense_facade.mapping.agreement import agreed_value
from expense_facade.mapping.card_transactions import (
    CardAmounts,
    card_amounts,
    exact_amount,
    validate_card_transaction,
)
from expense_facade.mapping.dimensions import dimensions_from
from expense_facade.mapping.fields import LenientFields
from expense_facade.mapping.shapes import (
    UnexpectedShape,
    list_or_empty,
    object_or_empty,
    object_or_warn,
    require_list,
    require_object,
)
from expense_facade.records import CardTransaction, Money
from expense_facade.registry import normalise_vendor
from expense_facade.sandbox import Sandbox

# ---- shape guards ---------------------------------------------------------------------------


def test_require_object_and_list_pass_the_value_through_or_raise_naming_it() -> None:
    body: dict[str, Any] = {"a": 1}
    items: list[Any] = [1]
    assert require_object(body, "the body") is body
    assert require_list(items, "items") is items
    with pytest.raises(UnexpectedShape, match="the body is not a JSON object but list"):
        require_object([], "the body")
    with pytest.raises(UnexpectedShape, match="items is not a JSON array but null"):
        require_list(None, "items")


@pytest.mark.parametrize("value", [None, "x", 3, [], True])
def test_object_or_empty_reads_anything_but_an_object_as_empty_silently(value: object) -> None:
    assert object_or_empty(value) == {}
    assert object_or_empty({"k": 1}) == {"k": 1}


def test_object_or_empty_gives_a_new_object_each_time() -> None:
    first: dict[str, Any] = object_or_empty(None)
    first["k"] = 1  # a record's raw may be changed by its user; nothing else may see it
    assert object_or_empty(None) == {}


@pytest.mark.parametrize("value", [None, "x", 3, {}, True])
def test_list_or_empty_reads_anything_but_an_array_as_empty(value: object) -> None:
    assert list(list_or_empty(value)) == []
    assert list(list_or_empty([1, 2])) == [1, 2]


def test_object_or_warn_warns_only_for_the_wrong_type() -> None:
    f = LenientFields()
    assert object_or_warn(f, "merchant", {"name": "A"}) == {"name": "A"}
    assert object_or_warn(f, "merchant", None) == {}
    before = f.warnings
    not_an_object: Any = "5812"
    assert object_or_warn(f, "merchant.mcc", not_an_object) == {}
    assert (before, f.warnings) == ((), ("merchant.mcc: expected an object, got str",))


# ---- agreement across lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "agreed"),
    [
        ([], None),  # no lines
        (["6000"], "6000"),
        (["6000", "6000", "6000"], "6000"),
        (["6000", "7000"], None),  # they differ
        (["6000", None], None),  # a line without a value breaks agreement
        ([None, "6000"], None),
        ([None, None], None),
    ],
)
def test_agreed_value_is_the_value_every_line_has(values: list[str | None], agreed: str) -> None:
    assert agreed_value(values) == agreed
    assert agreed_value(iter(values)) == agreed  # a generator is read once


# ---- dimensions -------------------------------------------------------------------------------


def test_dimensions_from_maps_named_values_and_the_first_wins() -> None:
    pairs: list[tuple[object, Any]] = [
        ("Team", "Platform"),  # not a dimension name: left out
        ("Cost_Centre", "  "),  # no value: does not take the place
        ("cost center", "CC-1"),
        ("Cost centre", "CC-2"),  # the first pair for a field wins
        ("Department", 42),  # a scalar reads as its text
        (None, "x"),
        ("Project", {"nested": 1}),  # not a scalar: no value
    ]
    assert dimensions_from(pairs) == {"cost_centre": "CC-1", "department": "42"}


# ---- card transactions ---------------------------------------------------------------------


def _tx(**changes: Any) -> CardTransaction:
    tx = CardTransaction(
        transaction_id="tx-1",
        transaction_date=dt.date(2025, 10, 1),
        posting_date=dt.date(2025, 10, 2),
        merchant_name="Cafe",
        mcc="5812",
        amount=Money(Decimal("12.5"), "EUR"),
        cardholder_name="A. Person",
        card_suffix="1234",
        card_program_code="PRG",
        card_program_type="CORPORATE",
    )
    return attrs.evolve(tx, **changes)


def test_a_valid_transaction_gives_its_amounts_at_the_currency_digits() -> None:
    amounts = validate_card_transaction(_tx())
    assert amounts == CardAmounts(Decimal("12.50"), None)
    assert str(amounts.amount) == "12.50"
    foreign = _tx(foreign_amount=Money(Decimal("1500"), "JPY"))
    assert card_amounts(foreign) == CardAmounts(Decimal("12.50"), Decimal("1500"))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"transaction_id": " "}, "transaction_id"),
        ({"cardholder_name": ""}, "cardholder_name"),
        ({"card_id": ""}, "card_id"),
        ({"mcc": "58"}, "mcc"),
        ({"card_suffix": "12"}, "card_suffix"),
        ({"posting_date": dt.date(2025, 9, 30)}, "posting_date"),
        ({"transaction_date": dt.datetime(2025, 10, 1, tzinfo=dt.UTC)}, "transaction_date"),
        ({"amount": Money(Decimal("1.005"), "EUR")}, "amount"),
        ({"amount": Money(Decimal("1"), None)}, "amount"),
        ({"amount": Money(Decimal("1"), "eur")}, "amount"),
        ({"foreign_amount": Money(Decimal("1"), "EUR")}, "foreign_amount"),
        ({"foreign_amount": Money(Decimal("1"), None)}, "foreign_amount"),
    ],
)
def test_each_problem_is_a_validation_error_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_card_transaction(_tx(**changes))
    assert caught.value.field == field


def test_a_nan_amount_is_a_validation_error_naming_the_field() -> None:
    # Money itself refuses NaN since issue 12: the transaction cannot even be built.
    with pytest.raises(ValidationError) as caught:
        validate_card_transaction(_tx(amount=Money(Decimal("NaN"), "EUR")))
    assert caught.value.field == "amount"


def test_the_identifying_fields_are_checked_before_the_currency() -> None:
    tx = _tx(card_suffix="", amount=Money(Decimal("1"), None))
    with pytest.raises(ValidationError) as caught:
        validate_card_transaction(tx)
    assert caught.value.field == "card_suffix"
    with pytest.raises(ValidationError, match="must be a Money"):
        exact_amount(Decimal("1"), "amount")


def test_the_client_refuses_an_invalid_transaction_before_any_request() -> None:
    sb = Sandbox(seed=3, size=5)
    client = ef.connect("prospend", sandbox=sb, token="t", company_id="1")
    with client, pytest.raises(ValidationError) as caught:
        client.post_card_transaction(_tx(mcc="12345"))
    assert caught.value.field == "mcc"
    assert sb.requests == []  # nothing was sent


# ---- exact JSON ------------------------------------------------------------------------------


def test_exact_json_writes_decimals_exactly_and_refuses_floats() -> None:
    body = {"amount": Decimal("12.50"), "big": Decimal("1E+2"), "n": [1, None, True, "é"]}
    written = exact_json(body)
    assert written == b'{"amount":12.50,"big":100,"n":[1,null,true,"\\u00e9"]}'
    assert json.loads(written, parse_float=Decimal)["amount"] == Decimal("12.50")
    with pytest.raises(TypeError):
        exact_json({"amount": 12.5})
    with pytest.raises(ValueError, match="not a finite number"):
        exact_json(Decimal("Infinity"))


# ---- since is ignored --------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", ["capture", "revolut", "pazy"])
def test_vendors_without_an_update_filter_say_since_is_ignored(
    vendor: str, caplog: pytest.LogCaptureFixture
) -> None:
    since = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    client = ef.connect(normalise_vendor(vendor), sandbox=Sandbox(seed=3, size=5))
    with client, caplog.at_level(logging.INFO, logger="expense_facade"):
        listed = list(client.list_approved(since=since))
        notices = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
        caplog.clear()
        list(client.list_approved())
        assert not [r for r in caplog.records if "ignored" in r.getMessage()]
    assert listed  # nothing was filtered out
    assert len(notices) == 1
    assert notices[0].startswith(f"{vendor}: since=2030-01-01T00:00:00+00:00 ignored: ")
