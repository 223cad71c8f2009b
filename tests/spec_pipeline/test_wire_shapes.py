"""specgen.shapes: the typed wire shapes written from a prepared spec (docs/adapter_guide.md)."""

from __future__ import annotations

from typing import Any

import pytest
from specgen import UnsupportedConstruct, render_shapes


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def document(schemas: dict[str, Any], response: Any | None = None) -> dict[str, Any]:
    """A one-operation spec whose 200 answer is ``response`` (default: the first schema)."""
    body = response if response is not None else _ref(next(iter(schemas)))
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": body}},
                        },
                        "404": {"description": "no", "content": {"application/json": {}}},
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def load(source: str) -> dict[str, Any]:
    """Execute the rendered module: it must be valid at run time too (its annotations stay
    strings there, so ``Required`` is for the type checker only)."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "shapes.py", "exec"), namespace)  # noqa: S102 - our own output
    return namespace


THING = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "count": {"type": "integer"},
        "amount": {"type": "number", "nullable": True},
        "flag": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
        "parts": {"type": "array", "items": _ref("Part")},
        "kind": _ref("Kind"),
    },
}
SCHEMAS = {
    "Thing": THING,
    "Part": {"type": "object", "properties": {"size": {"type": "number"}}},
    "Kind": {"type": "string", "x-known-values": ["A", "B"]},
}


def test_an_object_gives_a_typeddict_to_build_and_a_view_to_read() -> None:
    source = render_shapes(document(SCHEMAS))
    assert "class Thing(TypedDict, total=False):" in source
    assert "    id: Required[str]" in source
    assert "    count: int" in source
    assert "    amount: float | Decimal | None" in source
    assert "    tags: list[str]" in source
    assert "    labels: dict[str, str]" in source
    assert "    owner: ThingOwner" in source  # an inline object, named after where it sits
    assert "    parts: list[Part]" in source
    assert "    kind: Kind" in source
    assert "class ThingView(Protocol):" in source
    assert 'def get(self, key: Literal["parts"], /) -> list[PartView] | None: ...' in source
    assert 'def get(self, key: Literal["owner"], /) -> ThingOwnerView | None: ...' in source
    # [] only for the required properties
    assert 'def __getitem__(self, key: Literal["id"], /) -> str: ...' in source
    assert 'def __getitem__(self, key: Literal["count"]' not in source
    assert 'Kind: TypeAlias = "str"' in source
    assert 'ListThingsResponse200: TypeAlias = "Thing"' in source
    assert 'ListThingsResponse200View: TypeAlias = "ThingView"' in source
    namespace = load(source)
    assert set(namespace["Thing"].__annotations__) == set(THING["properties"])
    assert set(namespace["__all__"]) >= {"Thing", "ThingView", "Part", "PartView"}


def test_rendering_is_repeatable_and_in_name_order() -> None:
    first = render_shapes(document(SCHEMAS))
    assert first == render_shapes(document(SCHEMAS))
    names = [line[6:].split("(")[0] for line in first.splitlines() if line.startswith("class ")]
    builds = [name for name in names if not name.endswith("View")]
    assert builds == sorted(builds)
    assert names[1::2] == [f"{name}View" for name in builds]  # each view after its twin


def test_keys_that_are_no_identifiers_use_the_functional_form() -> None:
    odd = {"type": "object", "required": ["from"], "properties": {
        "from": {"type": "string"}, "status[]": {"type": "integer"}}}  # fmt: skip
    source = render_shapes(document({"Odd": odd}))
    assert 'Odd = TypedDict("Odd", {"from": "Required[str]", "status[]": "int"}' in source
    assert 'def get(self, key: Literal["status[]"], /) -> int | None: ...' in source
    assert set(load(source)["Odd"].__annotations__) == {"from", "status[]"}


def test_all_of_is_merged_and_one_of_is_a_union() -> None:
    schemas = {
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "Card": {"allOf": [_ref("Base"), {"properties": {"last4": {"type": "string"}}}]},
        "Transfer": {"type": "object", "properties": {"iban": {"type": "string"}}},
        "Payment": {"oneOf": [_ref("Card"), _ref("Transfer")], "nullable": True},
        "Amount": {"oneOf": [{"type": "number"}, {"type": "string"}]},
    }
    source = render_shapes(document(schemas, _ref("Payment")))
    assert "class Card(TypedDict, total=False):\n    id: Required[str]\n    last4: str" in source
    assert 'Payment: TypeAlias = "Card | Transfer | None"' in source
    assert 'PaymentView: TypeAlias = "CardView | TransferView | None"' in source
    assert 'Amount: TypeAlias = "float | Decimal | str"' in source
    load(source)


def test_a_schema_pointing_back_at_itself_through_one_of_renders() -> None:
    """A payment instrument whose variants point back at it (Brex's published file)."""
    schemas = {
        "Instrument": {"oneOf": [_ref("CardInstrument"), _ref("Wallet")]},
        "CardInstrument": {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "backup": _ref("Instrument")},
        },
        "Wallet": {
            "allOf": [
                {"type": "object", "properties": {"funding": _ref("Instrument")}},
                {"properties": {"name": {"type": "string"}}},
            ]
        },
    }
    source = render_shapes(document(schemas, _ref("Instrument")))
    assert 'Instrument: TypeAlias = "CardInstrument | Wallet"' in source
    assert "    backup: Instrument" in source
    assert "    funding: Instrument" in source
    namespace = load(source)
    assert set(namespace["Wallet"].__annotations__) == {"funding", "name"}


@pytest.mark.parametrize(
    ("schemas", "construct", "pointer"),
    [
        (
            {"Loop": {"allOf": [_ref("Loop"), {"properties": {"a": {"type": "string"}}}]}},
            "allOf that includes itself",
            "#/components/schemas/Loop",
        ),
        (
            {"Far": {"type": "object", "properties": {"x": {"$ref": "other.yaml#/X"}}}},
            "not a local reference",
            "#/components/schemas/Far/properties/x",
        ),
        (
            {"Odd": {"type": "object", "properties": {"x": {"type": "file"}}}},
            "type 'file'",
            "#/components/schemas/Odd/properties/x",
        ),
    ],
)
def test_a_construct_it_cannot_type_is_named_with_its_pointer(
    schemas: dict[str, Any], construct: str, pointer: str
) -> None:
    with pytest.raises(UnsupportedConstruct) as caught:
        render_shapes(document(schemas))
    assert construct in caught.value.construct
    assert caught.value.pointer == pointer
