"""Builds a synthetic OpenAPI file in the style of a large published vendor file.

It carries every defect docs/specs.md lists for published files (a union whose variants include
it again among them), in the operations a client keeps, plus hundreds of unrelated
operations (some with the same defects) so the file is several hundred KB, like the 880 KB
files vendors publish.
"""

from __future__ import annotations

from typing import Any

KEPT_OPERATIONS = (
    "GET /v2/expenses",
    "GET /v2/expenses/{expense_id}",
    "GET /v2/expenses/{expense_id}/receipt",
)
#: Model modules the kept operations need (snake_case of the component names).
KEPT_MODELS = (
    "expense", "expense_list", "money", "line_item", "card", "transfer", "error",
    "card_instrument", "wallet_instrument",
)  # fmt: skip
UNRELATED_RESOURCES = 240


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def kept_schemas() -> dict[str, Any]:
    """The schemas the kept operations reference, with the published-file defects."""
    return {
        "ExpenseStatus": {"type": "string", "enum": ["DRAFT", "SUBMITTED", "APPROVED"]},
        "Money": {
            "type": "object",
            "required": ["amount", "currency"],
            "properties": {
                "amount": {"type": "string", "description": "Decimal as a string."},
                "currency": {"type": "string", "minLength": "three letters"},
            },
        },
        "Card": {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "last4": {"type": "string"}},
        },
        "Transfer": {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "iban": {"type": "string"}},
        },
        "PaymentMethod": {
            "oneOf": [_ref("Card"), _ref("Transfer")],
            # Defect: a discriminator without propertyName.
            "discriminator": {"mapping": {"card": "#/components/schemas/Card"}},
        },
        # Defect: a union whose variants include it again through allOf (a payment
        # instrument whose variants point back at it): expanding it never ends.
        "PaymentInstrument": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"type": "string"}},
            "oneOf": [_ref("CardInstrument"), _ref("WalletInstrument")],
            "discriminator": {"propertyName": "type"},
        },
        "CardInstrument": {
            "allOf": [
                _ref("PaymentInstrument"),
                {"type": "object", "properties": {"last4": {"type": "string"}}},
            ]
        },
        "WalletInstrument": {
            "allOf": [
                _ref("PaymentInstrument"),
                {
                    "type": "object",
                    "properties": {
                        "wallet": {"type": "string"},
                        "funded_by": _ref("PaymentInstrument"),
                    },
                },
            ]
        },
        "LineItem": {
            "type": "object",
            "properties": {"description": {"type": "string"}, "amount": _ref("Money")},
        },
        "Expense": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                # Defect: a nullable enum written as allOf [$ref, {nullable: true}].
                "status": {"allOf": [_ref("ExpenseStatus"), {"nullable": True}]},
                # Its cousin: allOf [$ref, {description}] around an enum.
                "review_status": {"allOf": [_ref("ExpenseStatus"), {"description": "Review."}]},
                "amount": _ref("Money"),
                "payment": _ref("PaymentMethod"),
                "instrument": _ref("PaymentInstrument"),
                # Defect: a numeric keyword holding a string.
                "due_at": {"type": "string", "format": "date-time", "minimum": "now + 1 day"},
                # Defect: required: ["true"] inside a property (0.29.1 happens to ignore
                # this form) and its Swagger-style sibling required: true (which it rejects).
                "memo": {"type": "string", "required": ["true"]},
                "note": {"type": "string", "required": True},
                "lines": {"type": "array", "items": _ref("LineItem")},
            },
        },
        "ExpenseList": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": _ref("Expense")},
                "next_cursor": {"type": "string", "nullable": True},
            },
        },
        "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
    }


def kept_paths() -> dict[str, Any]:
    """The operations a client keeps."""
    errors = {"4XX": _json(_ref("Error"), "Client error")}
    expense_id = {
        "name": "expense_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    return {
        "/v2/expenses": {
            "get": {
                "operationId": "listExpenses",
                "tags": ["expenses"],
                "parameters": [
                    {"name": "status", "in": "query", "schema": _ref("ExpenseStatus")},
                    {
                        "name": "updated_since",
                        "in": "query",
                        "schema": {"type": "string", "format": "date-time"},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "maximum": "1000"},
                    },
                ],
                "responses": {"200": _json(_ref("ExpenseList")), **errors},
            }
        },
        "/v2/expenses/{expense_id}": {
            "parameters": [expense_id],
            "get": {
                "operationId": "getExpense",
                "tags": ["expenses"],
                "responses": {"200": _json(_ref("Expense")), **errors},
            },
        },
        "/v2/expenses/{expense_id}/receipt": {
            "get": {
                "operationId": "getExpenseReceipt",
                "tags": ["expenses"],
                "parameters": [expense_id],
                "responses": {
                    "200": {
                        "description": "The receipt file.",
                        "content": {"image/png": {}, "application/pdf": {}},
                    }
                },
            }
        },
    }


def unrelated(index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Paths and schemas for one unrelated resource (with a few defects of its own)."""
    name = f"Resource{index}"
    kind = f"{name}Kind"
    schemas = {
        kind: {"type": "string", "enum": [f"KIND_{k}" for k in range(6)]},
        name: {
            "type": "object",
            "description": f"Resource number {index}, which a client of expenses never uses. " * 3,
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string", "maxLength": "unbounded"},
                "kind": {"allOf": [_ref(kind), {"nullable": True}]},
                "created_at": {"type": "string", "format": "date-time"},
                "count": {"type": "integer", "minimum": 0, "maximum": 10_000},
                "tags": {"type": "array", "items": {"type": "string"}},
                "owner": {"type": "string", "required": ["true"]},
                "parent": _ref(f"Resource{index - 1}") if index else {"type": "string"},
            },
        },
    }
    item = f"/v2/resources{index}/{{resource_id}}"
    resource_id = {
        "name": "resource_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    tag = [f"resources{index % 20}"]
    paths = {
        f"/v2/resources{index}": {
            "get": {
                "operationId": f"listResources{index}",
                "tags": tag,
                "summary": f"List resources of family {index}",
                "parameters": [{"name": "kind", "in": "query", "schema": _ref(kind)}],
                "responses": {"200": _json({"type": "array", "items": _ref(name)})},
            },
            "post": {
                "operationId": f"createResource{index}",
                "tags": tag,
                "requestBody": {"content": {"application/json": {"schema": _ref(name)}}},
                "responses": {"201": _json(_ref(name), "Created")},
            },
        },
        item: {
            "parameters": [resource_id],
            "get": {
                "operationId": f"getResource{index}",
                "tags": tag,
                "responses": {"200": _json(_ref(name))},
            },
            "put": {
                "operationId": f"replaceResource{index}",
                "tags": tag,
                "requestBody": {"content": {"application/json": {"schema": _ref(name)}}},
                "responses": {"200": _json(_ref(name))},
            },
            "delete": {
                "operationId": f"deleteResource{index}",
                "tags": tag,
                "responses": {"204": {"description": "Gone"}},
            },
        },
    }
    return paths, schemas


def build(unrelated_resources: int = UNRELATED_RESOURCES) -> dict[str, Any]:
    """The whole synthetic published-style document."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for index in range(unrelated_resources):
        more_paths, more_schemas = unrelated(index)
        paths.update(more_paths)
        schemas.update(more_schemas)
    paths.update(kept_paths())
    schemas.update(kept_schemas())
    return {
        "openapi": "3.0.1",
        "info": {"title": "Published Style Vendor API", "version": "2024-01-01"},
        "servers": [{"url": "https://api.vendor.example"}],
        "security": [{"bearer": []}],
        "tags": [{"name": "expenses"}] + [{"name": f"resources{k}"} for k in range(20)],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "legacy": {"type": "apiKey", "in": "header", "name": "X-Key"},
            },
        },
    }
