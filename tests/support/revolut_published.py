"""A published-style Revolut Business file, built from the facts docs/specs.md lists.

What Revolut publishes (``business.yaml``) differs from a description written for the
project: no ``/auth/token`` path and no token schemas; ``splits``, ``receipt_ids`` and
``spent_amount`` required (``labels`` too, which real answers leave out); ``labels`` a plain
object; uuid formats on ids; ``ExpenseTransactionType``; inline amount objects referring
to ``Amount`` (a number) and ``Currency`` (a string), optional in a split; ``Category`` and
``TaxRate`` with ``id`` and ``name`` required; ``Error`` requiring ``code`` and ``message``.
It also covers other Business APIs the facade never calls, as the real file does.

tests/spec_pipeline/test_revolut_drop_in.py drops this file into a copy of the tree as
``specs/revolut/openapi.yaml`` and shows nothing else needs an edit.
"""

from __future__ import annotations

from typing import Any

EXPENSE_STATES = (
    "missing_info", "awaiting_review", "rejected", "pending_reimbursement",
    "refund_requested", "refunded", "approved", "reverted",
)  # fmt: skip
TRANSACTION_TYPES = (
    "atm", "card_payment", "fee", "transfer", "external", "mileage_reimbursement", "rev_payment",
)  # fmt: skip
#: Other Business APIs of the published file (one list and one detail operation each).
OTHER_RESOURCES = ("accounts", "counterparties", "transactions", "cards", "team-members")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _uuid() -> dict[str, str]:
    return {"type": "string", "format": "uuid"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _amount_object(required: bool) -> dict[str, Any]:
    properties = {"amount": _ref("Amount"), "currency": _ref("Currency")}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = ["amount", "currency"]
    return schema


def schemas() -> dict[str, Any]:
    """The expense schemas as published, then the other APIs' own."""
    date_time = {"type": "string", "format": "date-time"}
    found: dict[str, Any] = {
        "Amount": {"type": "number", "format": "double"},
        "Currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "ExpenseState": {"type": "string", "enum": list(EXPENSE_STATES)},
        "ExpenseTransactionType": {"type": "string", "enum": list(TRANSACTION_TYPES)},
        "Category": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {"id": _uuid(), "name": {"type": "string"}, "code": {"type": "string"}},
        },
        "TaxRate": {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": _uuid(),
                "name": {"type": "string"},
                "percentage": {"type": "number", "format": "double"},
            },
        },
        "ExpenseSplit": {
            "type": "object",
            "required": ["amount", "category", "tax_rate"],
            "properties": {
                "amount": _amount_object(required=False),
                "category": _ref("Category"),
                "tax_rate": _ref("TaxRate"),
            },
        },
        "Expense": {
            "type": "object",
            "required": [
                "id",
                "state",
                "transaction_type",
                "expense_date",
                "labels",
                "splits",
                "receipt_ids",
                "spent_amount",
            ],
            "properties": {
                "id": _uuid(),
                "state": _ref("ExpenseState"),
                "transaction_type": _ref("ExpenseTransactionType"),
                "description": {"type": "string"},
                "submitted_at": date_time,
                "completed_at": date_time,
                "payer": {"type": "string"},
                "merchant": {"type": "string"},
                "transaction_id": _uuid(),
                "expense_date": date_time,
                "labels": {"type": "object"},
                "splits": {"type": "array", "items": _ref("ExpenseSplit")},
                "receipt_ids": {"type": "array", "items": _uuid()},
                "spent_amount": _amount_object(required=True),
            },
        },
        "Error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
        },
    }
    for resource in OTHER_RESOURCES:
        found[_schema_name(resource)] = {
            "type": "object",
            "required": ["id"],
            "properties": {"id": _uuid(), "name": {"type": "string"}, "created_at": date_time},
        }
    return found


def _schema_name(resource: str) -> str:
    return "".join(part.capitalize() for part in resource.rstrip("s").split("-"))


def paths() -> dict[str, Any]:
    """The expense operations as published (no ``/auth/token``), then the other APIs'."""
    errors = {
        status: _json(_ref("Error"), "Error") for status in ("400", "401", "403", "404", "422")
    }
    errors["429"] = {
        "description": "Too many requests",
        "headers": {"Retry-After": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": _ref("Error")}},
    }
    expense_id = {"name": "expense_id", "in": "path", "required": True, "schema": _uuid()}
    receipt_id = {"name": "receipt_id", "in": "path", "required": True, "schema": _uuid()}
    date_time = {"type": "string", "format": "date-time"}
    found: dict[str, Any] = {
        "/expenses": {
            "get": {
                "operationId": "getExpenses",
                "tags": ["expenses"],
                "parameters": [
                    {"name": "from", "in": "query", "schema": date_time},
                    {"name": "to", "in": "query", "schema": date_time},
                    {
                        "name": "count",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500},
                    },
                    {"name": "state", "in": "query", "schema": _ref("ExpenseState")},
                    {
                        "name": "transaction_type",
                        "in": "query",
                        "schema": _ref("ExpenseTransactionType"),
                    },
                ],
                "responses": {
                    "200": _json({"type": "array", "items": _ref("Expense")}),
                    **errors,
                },
            }
        },
        "/expenses/{expense_id}": {
            "get": {
                "operationId": "getExpense",
                "tags": ["expenses"],
                "parameters": [expense_id],
                "responses": {"200": _json(_ref("Expense")), **errors},
            }
        },
        "/expenses/{expense_id}/receipts/{receipt_id}/content": {
            "get": {
                "operationId": "getExpenseReceiptContent",
                "tags": ["expenses"],
                "parameters": [expense_id, receipt_id],
                "responses": {
                    "200": {
                        "description": "The receipt file.",
                        "content": {
                            "image/*": {"schema": {"type": "string", "format": "binary"}},
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                        },
                    },
                    **errors,
                },
            }
        },
    }
    for resource in OTHER_RESOURCES:
        name = _schema_name(resource)
        item = {"name": "id", "in": "path", "required": True, "schema": _uuid()}
        found[f"/{resource}"] = {
            "get": {
                "operationId": f"get{name}s",
                "tags": [resource],
                "responses": {"200": _json({"type": "array", "items": _ref(name)}), **errors},
            }
        }
        found[f"/{resource}/{{id}}"] = {
            "get": {
                "operationId": f"get{name}",
                "tags": [resource],
                "parameters": [item],
                "responses": {"200": _json(_ref(name)), **errors},
            }
        }
    return found


def build() -> dict[str, Any]:
    """The whole published-style document."""
    return {
        "openapi": "3.0.1",
        "info": {"title": "Business API", "version": "2026-08"},
        "servers": [
            {"url": "https://b2b.revolut.com/api/1.0"},
            {"url": "https://sandbox-b2b.revolut.com/api/1.0"},
        ],
        "security": [{"AccessToken": []}],
        "tags": [{"name": "expenses"}] + [{"name": r} for r in OTHER_RESOURCES],
        "paths": paths(),
        "components": {
            "securitySchemes": {"AccessToken": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas(),
        },
    }
