"""The common record as plain JSON-ready data, shared by every sink and the command:
exact decimal strings, ISO 8601 datetimes, a fixed key order (docs/export.md, "Formats").
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from expense_facade.records import Employee, Expense, LineItem, Merchant, Money, ReceiptRef

RECORD_FORMAT_VERSION = 1
"""Bumped when a key is renamed or removed (adding keys does not bump it)."""


def money_to_dict(money: Money | None) -> dict[str, str | None] | None:
    """``{"amount": "12.30", "currency": "EUR"}`` or None."""
    if money is None:
        return None
    return {"amount": decimal_to_str(money.amount), "currency": money.currency}


def decimal_to_str(value: Decimal | None) -> str | None:
    """The exact decimal as a plain string (no exponent), or None."""
    if value is None:
        return None
    # format(..., "f") keeps every digit and never switches to scientific notation.
    return format(value, "f")


def datetime_to_str(value: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601; datetimes keep their offset (the records' datetimes are timezone-aware)."""
    return None if value is None else value.isoformat()


def _employee(value: Employee | None) -> dict[str, str | None] | None:
    if value is None:
        return None
    return {"id": value.id, "name": value.name, "email": value.email}


def _merchant(value: Merchant | None) -> dict[str, str | None] | None:
    if value is None:
        return None
    return {"name": value.name, "mcc": value.mcc}


def _receipt(value: ReceiptRef) -> dict[str, str | None]:
    return {"id": value.id, "name": value.name, "content_type": value.content_type}


def line_item_to_dict(item: LineItem, *, include_raw: bool = False) -> dict[str, Any]:
    """One line item or split as JSON-ready data."""
    data: dict[str, Any] = {
        "amount": money_to_dict(item.amount),
        "description": item.description,
        "category": item.category,
        "gl_code": item.gl_code,
        "tax_code": item.tax_code,
        "tax_amount": money_to_dict(item.tax_amount),
        "tax_rate": decimal_to_str(item.tax_rate),
    }
    if include_raw:
        data["raw"] = jsonable(item.raw)
    return data


def expense_to_dict(expense: Expense, *, include_raw: bool = False) -> dict[str, Any]:
    """The common record of one expense, as JSON-ready data with a fixed key order."""
    data: dict[str, Any] = {
        "vendor": expense.vendor,
        "account": expense.account,
        "id": expense.id,
        "status": expense.status.value,
        "raw_status": expense.raw_status,
        "gross": money_to_dict(expense.gross),
        "net": money_to_dict(expense.net),
        "tax": money_to_dict(expense.tax),
        "currency": expense.currency,
        "exchange_rate": decimal_to_str(expense.exchange_rate),
        "transaction_date": datetime_to_str(expense.transaction_date),
        "submitted_at": datetime_to_str(expense.submitted_at),
        "approved_at": datetime_to_str(expense.approved_at),
        "updated_at": datetime_to_str(expense.updated_at),
        "employee": _employee(expense.employee),
        "merchant": _merchant(expense.merchant),
        "category": expense.category,
        "gl_code": expense.gl_code,
        "tax_code": expense.tax_code,
        "department": expense.department,
        "location": expense.location,
        "project": expense.project,
        "cost_centre": expense.cost_centre,
        "description": expense.description,
        "receipts": [_receipt(r) for r in expense.receipts],
        "line_items": [line_item_to_dict(i, include_raw=include_raw) for i in expense.line_items],
        "parse_warnings": list(expense.parse_warnings),
    }
    if include_raw:
        data["raw"] = jsonable(expense.raw)
    return data


def jsonable(value: Any) -> Any:
    """A raw vendor payload made JSON-serialisable without losing precision.

    Decimals become strings (a float would round them), datetimes ISO strings, bytes
    base64; anything else unknown becomes its ``str``.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        # JSON has no NaN or Infinity; keep what the vendor sent as text instead of failing.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        # Plain digits, unless the vendor sent a number like 1e999999999 (decoded exactly,
        # docs/limits.md): written out it would be a gigabyte, so it keeps its exponent.
        if value.is_finite() and -_PLAIN_DIGITS < value.adjusted() < _PLAIN_DIGITS:
            return decimal_to_str(value)
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


_PLAIN_DIGITS = 1000  # a raw number further than 10**±1000 from 1 keeps its exponent


def dumps(data: Any) -> str:
    """Compact, UTF-8-friendly JSON on one line (no trailing newline)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


__all__ = [
    "RECORD_FORMAT_VERSION",
    "datetime_to_str",
    "decimal_to_str",
    "dumps",
    "expense_to_dict",
    "jsonable",
    "line_item_to_dict",
    "money_to_dict",
]
