"""Keeping listed operations and the transitive closure of what they reference."""

from __future__ import annotations

from typing import Any

import pytest
from specprep import PrepareError, keep_operations


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _doc() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "security": [{"Global": []}],
        "tags": [{"name": "expenses"}, {"name": "users"}],
        "paths": {
            "/expenses/{id}": {
                "parameters": [_ref("parameters", "Id")],
                "get": {
                    "tags": ["expenses"],
                    "responses": {"200": _ref("responses", "ExpenseResponse")},
                },
                "delete": {"responses": {"204": {"description": "gone"}}},
            },
            "/expenses": {
                "post": {
                    "security": [{"Token": []}],
                    "requestBody": _ref("requestBodies", "NewExpense"),
                    "responses": {
                        "201": {"description": "ok", "headers": {"X": _ref("headers", "X")}}
                    },
                }
            },
            "/users": {
                "get": {"tags": ["users"], "responses": {"200": _json(_ref("schemas", "User"))}}
            },
        },
        "webhooks": {"w": {}},
        "components": {
            "parameters": {"Id": {"name": "id", "in": "path", "schema": _ref("schemas", "Id")}},
            "responses": {
                "ExpenseResponse": {"description": "ok", **_json(_ref("schemas", "Expense"))}
            },
            "requestBodies": {"NewExpense": _json(_ref("schemas", "NewExpense"))},
            "headers": {"X": {"schema": _ref("schemas", "HeaderValue")}},
            "schemas": {
                "Id": {"type": "string"},
                "Expense": {
                    "properties": {
                        "money": _ref("schemas", "Money"),
                        "kind": {"oneOf": [_ref("schemas", "Card")]},
                    },
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {"cash": "#/components/schemas/Cash"},
                    },
                },
                "Money": {"properties": {"currency": _ref("schemas", "Currency")}},
                "Currency": {"type": "string"},
                "Card": {"type": "object"},
                "Cash": {"type": "object"},
                "NewExpense": {"type": "object"},
                "HeaderValue": {"type": "string"},
                "User": {"type": "object"},
                "Unused": {"type": "object"},
            },
            "securitySchemes": {"Global": {}, "Token": {}, "Other": {}},
            "x-vendor": {"kept": True},
        },
    }


def test_keeps_listed_operations_and_their_closure() -> None:
    document = keep_operations(_doc(), ["GET /expenses/{id}", "post /expenses"])
    assert list(document["paths"]) == ["/expenses/{id}", "/expenses"]
    assert set(document["paths"]["/expenses/{id}"]) == {"parameters", "get"}
    components = document["components"]
    assert set(components["schemas"]) == {
        "Id", "Expense", "Money", "Currency", "Card", "Cash", "NewExpense", "HeaderValue",
    }  # fmt: skip
    assert set(components["parameters"]) == {"Id"}
    assert set(components["headers"]) == {"X"}
    assert set(components["securitySchemes"]) == {"Global", "Token"}
    assert components["x-vendor"] == {"kept": True}
    assert document["tags"] == [{"name": "expenses"}]
    assert "webhooks" not in document


def test_sections_left_empty_are_removed() -> None:
    document = keep_operations(_doc(), ["GET /users"])
    assert set(document["components"]) == {"schemas", "securitySchemes", "x-vendor"}
    assert set(document["components"]["schemas"]) == {"User"}


def test_missing_operation_is_a_clear_error_with_hints() -> None:
    with pytest.raises(PrepareError) as caught:
        keep_operations(_doc(), ["GET /expenses/{id}", "GET /expense/{id}", "PATCH /users"])
    message = str(caught.value)
    assert "GET /expense/{id} (did you mean: GET /expenses/{id}" in message
    assert "PATCH /users" in message
    assert "GET /expenses/{id}\n" not in message


@pytest.mark.parametrize("entry", ["/expenses", "FETCH /expenses", "GET expenses", "GET /a /b"])
def test_malformed_entries_raise(entry: str) -> None:
    with pytest.raises(PrepareError, match="METHOD /path"):
        keep_operations(_doc(), [entry])
