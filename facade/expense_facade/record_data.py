"""Records as plain data: the one implementation of ``Expense.to_dict`` / ``to_json`` /
``from_dict`` / ``from_json``, which is also what JSON Lines outputs and ``get`` write
(docs/library.md, "Records as data").

Amounts are exact decimal strings, datetimes ISO 8601 with their offset, keys in a fixed
order; reading it back gives an equal record.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import math
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from expense_facade.errors import ValidationError
from expense_facade.records import (
    Employee,
    Expense,
    ExpenseStatus,
    LineItem,
    Merchant,
    Money,
    ReceiptRef,
)

RECORD_FORMAT_VERSION = 1
"""Bumped when a key is renamed or removed (adding keys does not bump it)."""

T = TypeVar("T")


def decimal_to_str(value: Decimal | None) -> str | None:
    """The exact decimal as a plain string (no exponent), or None."""
    if value is None:
        return None
    # format(..., "f") keeps every digit and never switches to scientific notation.
    return format(value, "f")


def datetime_to_str(value: dt.datetime | dt.date | None) -> str | None:
    """ISO 8601; datetimes keep their offset (the records' datetimes are timezone-aware)."""
    return None if value is None else value.isoformat()


def money_to_dict(money: Money | None) -> dict[str, str | None] | None:
    """``{"amount": "12.30", "currency": "EUR"}`` or None."""
    if money is None:
        return None
    return {"amount": decimal_to_str(money.amount), "currency": money.currency}


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


def receipt_to_dict(receipt: ReceiptRef) -> dict[str, Any]:
    """A receipt reference; ``file`` only when an export downloaded it (``export
    --receipts``), so records exported without receipts keep their shape."""
    data: dict[str, Any] = {
        "id": receipt.id,
        "name": receipt.name,
        "content_type": receipt.content_type,
    }
    if receipt.file is not None:
        data["file"] = receipt.file
    return data


def expense_to_dict(expense: Expense, *, include_raw: bool = False) -> dict[str, Any]:
    """The common record of one expense, as JSON-ready data with a fixed key order."""
    employee, merchant = expense.employee, expense.merchant
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
        "employee": None
        if employee is None
        else {"id": employee.id, "name": employee.name, "email": employee.email},
        "merchant": None if merchant is None else {"name": merchant.name, "mcc": merchant.mcc},
        "category": expense.category,
        "gl_code": expense.gl_code,
        "tax_code": expense.tax_code,
        "department": expense.department,
        "location": expense.location,
        "project": expense.project,
        "cost_centre": expense.cost_centre,
        "description": expense.description,
        "receipts": [receipt_to_dict(r) for r in expense.receipts],
        "line_items": [line_item_to_dict(i, include_raw=include_raw) for i in expense.line_items],
        "parse_warnings": list(expense.parse_warnings),
    }
    if include_raw:
        data["raw"] = jsonable(expense.raw)
    return data


def expense_to_json(expense: Expense, *, include_raw: bool = False) -> str:
    """``expense_to_dict`` as compact JSON on one line."""
    return dumps(expense_to_dict(expense, include_raw=include_raw))


class _Reader:
    """Reads one dict of the shape above; every wrong value is a ``ValidationError``
    naming its key path (``line_items[2].amount.amount``)."""

    def __init__(self, data: object, path: str) -> None:
        if not isinstance(data, Mapping):
            raise ValidationError(
                f"{path or 'record'} must be an object, not {type(data).__name__}",
                field=path or None,
            )
        self.data = data
        self.path = path

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _typed(self, key: str, kind: type[T], *, required: bool = False) -> T | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise ValidationError(f"{self._where(key)} is required", field=self._where(key))
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise ValidationError(
                f"{self._where(key)} must be {kind.__name__}, not {type(value).__name__}",
                field=self._where(key),
            )
        return value

    def text(self, key: str) -> str | None:
        return self._typed(key, str)

    def required_text(self, key: str) -> str:
        value = self._typed(key, str, required=True)
        assert value is not None  # _typed raised otherwise
        return value

    def decimal(self, key: str) -> Decimal | None:
        text = self.text(key)
        if text is None:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                f"{self._where(key)} is not a decimal: {text[:40]!r}", field=self._where(key)
            ) from None
        if not value.is_finite():
            raise ValidationError(f"{self._where(key)} must be finite", field=self._where(key))
        return value

    def datetime(self, key: str) -> dt.datetime | None:
        text = self.text(key)
        if text is None:
            return None
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                f"{self._where(key)} is not an ISO 8601 datetime: {text[:40]!r}",
                field=self._where(key),
            ) from None
        if value.utcoffset() is None:
            raise ValidationError(
                f"{self._where(key)} has no UTC offset: {text[:40]!r}", field=self._where(key)
            )
        return value

    def nested(self, key: str, read: Callable[[_Reader], T]) -> T | None:
        value = self.data.get(key)
        return None if value is None else read(_Reader(value, self._where(key)))

    def items(self, key: str, read: Callable[[_Reader], T]) -> tuple[T, ...]:
        values = self._typed(key, list) or []
        return tuple(read(_Reader(v, f"{self._where(key)}[{i}]")) for i, v in enumerate(values))

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._typed(key, list) or []
        for i, value in enumerate(values):
            if not isinstance(value, str):
                where = f"{self._where(key)}[{i}]"
                raise ValidationError(f"{where} must be str", field=where)
        return tuple(values)

    def raw(self) -> Mapping[str, Any]:
        value = self.data.get("raw")
        if value is not None and not isinstance(value, Mapping):
            raise ValidationError(f"{self._where('raw')} must be an object", field="raw")
        return value or {}


def _money(reader: _Reader) -> Money:
    amount = reader.decimal("amount")
    if amount is None:
        raise ValidationError(f"{reader.path}.amount is required", field=f"{reader.path}.amount")
    return Money(amount, reader.text("currency"))


def _line_item(reader: _Reader) -> LineItem:
    return LineItem(
        amount=reader.nested("amount", _money),
        description=reader.text("description"),
        category=reader.text("category"),
        gl_code=reader.text("gl_code"),
        tax_code=reader.text("tax_code"),
        tax_amount=reader.nested("tax_amount", _money),
        tax_rate=reader.decimal("tax_rate"),
        raw=reader.raw(),
    )


def _employee(reader: _Reader) -> Employee:
    return Employee(id=reader.text("id"), name=reader.text("name"), email=reader.text("email"))


def _merchant(reader: _Reader) -> Merchant:
    return Merchant(name=reader.text("name"), mcc=reader.text("mcc"))


def _status(reader: _Reader) -> ExpenseStatus:
    word = reader.required_text("status")
    try:
        return ExpenseStatus(word)
    except ValueError:
        raise ValidationError(
            f"status {word[:40]!r} is not one of {', '.join(s.value for s in ExpenseStatus)}",
            field="status",
        ) from None


def expense_from_dict(data: Mapping[str, Any]) -> Expense:
    """The ``Expense`` that ``expense_to_dict`` wrote (with or without ``raw``).

    Keys it does not know are ignored (a newer writer may add some); a wrong value raises
    ``ValidationError`` naming its key."""
    reader = _Reader(data, "")
    return Expense(
        vendor=reader.required_text("vendor"),
        id=reader.required_text("id"),
        status=_status(reader),
        raw_status=reader.text("raw_status"),
        gross=reader.nested("gross", _money),
        net=reader.nested("net", _money),
        tax=reader.nested("tax", _money),
        currency=reader.text("currency"),
        exchange_rate=reader.decimal("exchange_rate"),
        transaction_date=reader.datetime("transaction_date"),
        submitted_at=reader.datetime("submitted_at"),
        approved_at=reader.datetime("approved_at"),
        updated_at=reader.datetime("updated_at"),
        employee=reader.nested("employee", _employee),
        merchant=reader.nested("merchant", _merchant),
        category=reader.text("category"),
        gl_code=reader.text("gl_code"),
        tax_code=reader.text("tax_code"),
        department=reader.text("department"),
        location=reader.text("location"),
        project=reader.text("project"),
        cost_centre=reader.text("cost_centre"),
        description=reader.text("description"),
        receipts=reader.items(
            "receipts",
            lambda r: ReceiptRef(
                id=r.required_text("id"),
                name=r.text("name"),
                content_type=r.text("content_type"),
                file=r.text("file"),
            ),
        ),
        line_items=reader.items("line_items", _line_item),
        account=reader.text("account"),
        parse_warnings=reader.texts("parse_warnings"),
        raw=reader.raw(),
    )


def expense_from_json(text: str | bytes) -> Expense:
    """``expense_from_dict`` of one JSON document; decimals are read exactly."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except (ValueError, RecursionError) as exc:
        raise ValidationError(f"not a JSON record: {exc}") from None
    return expense_from_dict(data)


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
    "expense_from_dict",
    "expense_from_json",
    "expense_to_dict",
    "expense_to_json",
    "jsonable",
    "line_item_to_dict",
    "money_to_dict",
]
