"""Generated models parse what vendors really send, not only what the spec promises.

One payload per vendor for its main expense model (plus ProSpend's claim, which carries
its status enum) holds, at once: an unknown enum value, malformed date/uuid strings, an
extra field, a null in an optional field (including fields the spec does not mark
nullable) and missing optional fields. ``from_dict`` must not raise, and must keep the
raw values.

Each case's claims are checked against the prepared spec first, so the payload keeps
testing what it says when the specs change.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from specprep import prepare
from support.spec_pipeline import SPECS


@dataclass(frozen=True)
class Case:
    vendor: str
    schema: str  # component name
    module: str  # module under expense_clients.<vendor>.models
    payload: dict[str, Any]
    unknown_enum: str | None  # field holding a value the spec does not list
    null_field: str  # optional field sent as null
    extra_field: str


CASES = [
    Case(
        "capture",
        "ExportExpense",
        "export_expense",
        {
            "id": "not-a-uuid",
            "transactionType": 99,
            "claimDate": "31/02/2024",
            "grossAmount": 12.5,
            "isoCode": "GBP",
            "description": None,
            "brandNewField": {"nested": [1, 2]},
        },
        unknown_enum=None,  # Capture's export rows carry no enum
        null_field="description",
        extra_field="brandNewField",
    ),
    Case(
        "brex",
        "Expense",
        "expense",
        {
            "id": "expense_1",
            "updated_at": "yesterday-ish",
            "status": "SUPER_APPROVED",
            "payment_status": "NOT_A_STATUS",
            "merchant": None,
            "memo": None,
            "brand_new_field": True,
        },
        unknown_enum="status",
        null_field="merchant",
        extra_field="brand_new_field",
    ),
    Case(
        "revolut",
        "Expense",
        "expense",
        {
            "id": "e1",
            "state": "teleported",
            "transaction_type": "crypto_swap",
            "expense_date": "2024-13-45T99:00:00Z",
            "labels": None,
            "splits": [{"amount": {"amount": 1.5}}],
            "receipt_ids": ["not-a-uuid"],
            "spent_amount": {"amount": 1.5, "currency": "GBP"},
            "brand_new_field": 1,
        },
        unknown_enum="state",
        null_field="labels",
        extra_field="brand_new_field",
    ),
    Case(
        "prospend",
        "ClaimExpense",
        "claim_expense",
        {
            "id": "1",
            "description": "Taxi",
            "recipient": None,
            "claimCurrencyTotal": None,
            "createdDate": "not a date",
            "brandNewField": [],
        },
        unknown_enum=None,  # the enum lives on the claim, see the next case
        null_field="recipient",
        extra_field="brandNewField",
    ),
    Case(
        "prospend",
        "Claim",
        "claim",
        {"id": "7", "status": "ESCALATED_TO_THE_MOON", "approvers": None, "x": 1},
        unknown_enum="status",
        null_field="approvers",
        extra_field="x",
    ),
    Case(
        "pazy",
        "ExpenseDetail",
        "expense_detail",
        {
            "id": "p1",
            "state": "LEVITATING",
            "source": "CARRIER_PIGEON",
            "cardInfo": None,
            "lineItems": None,
            "brandNewField": "x",
        },
        unknown_enum="state",
        null_field="lineItems",
        extra_field="brandNewField",
    ),
]


@cache
def _schemas(vendor: str) -> dict[str, Any]:
    schemas: dict[str, Any] = prepare(SPECS / vendor / "prepare.yaml").document["components"][
        "schemas"
    ]
    return schemas


def _known_values(vendor: str, schema: dict[str, Any]) -> list[Any]:
    """The documented values of a (possibly referenced, possibly wrapped) opened enum."""
    for part in [schema, *schema.get("allOf", []), *schema.get("anyOf", [])]:
        if "$ref" in part:
            return _known_values(vendor, _schemas(vendor)[part["$ref"].rsplit("/", 1)[1]])
        if "x-known-values" in part:
            return list(part["x-known-values"])
    return []


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.vendor}-{case.schema}")
def test_payload_exercises_what_it_claims(case: Case) -> None:
    schema = _schemas(case.vendor)[case.schema]
    properties = schema["properties"]
    required = set(schema.get("required", []))
    assert required <= set(case.payload), "the payload must carry the required fields"
    assert set(properties) - set(case.payload), "some optional fields must be missing"
    assert case.extra_field not in properties
    assert case.null_field in properties
    assert case.null_field not in required
    if case.unknown_enum is not None:
        known = _known_values(case.vendor, properties[case.unknown_enum])
        assert known, f"{case.unknown_enum} should be a documented enum"
        assert case.payload[case.unknown_enum] not in known


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.vendor}-{case.schema}")
def test_generated_model_parses_the_payload(case: Case) -> None:
    module = importlib.import_module(f"expense_clients.{case.vendor}.models.{case.module}")
    model_class = next(
        value
        for name, value in vars(module).items()
        if isinstance(value, type)
        and hasattr(value, "from_dict")
        and name.lower() == case.module.replace("_", "")
    )
    model = model_class.from_dict(case.payload)

    python_name = _python_name(case.null_field)
    assert getattr(model, python_name) is None
    assert model.additional_properties == {case.extra_field: case.payload[case.extra_field]}
    if case.unknown_enum is not None:
        assert getattr(model, _python_name(case.unknown_enum)) == case.payload[case.unknown_enum]
    # What parsed also serialises back (the adapters keep raw payloads, but must not crash).
    assert model.to_dict()[case.extra_field] == case.payload[case.extra_field]


def _python_name(field: str) -> str:
    """The generator's snake_case attribute name for a JSON field."""
    out = []
    for index, char in enumerate(field):
        if char.isupper() and index and not field[index - 1].isupper():
            out.append("_")
        out.append(char.lower())
    return "".join(out)
