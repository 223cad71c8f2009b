"""Card transactions read from a JSON file for ``post-transaction``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from expense_facade.cli.exits import UsageError
from expense_facade.records import CardTransaction, Money

_TX_REQUIRED = (
    "transaction_id",
    "transaction_date",
    "posting_date",
    "merchant_name",
    "mcc",
    "amount",
    "cardholder_name",
    "card_suffix",
    "card_program_code",
    "card_program_type",
)
_TX_OPTIONAL = ("transaction_status", "foreign_amount", "card_id", "external_card_id")


def _money(value: Any, where: str) -> Money:
    if not isinstance(value, dict) or set(value) - {"amount", "currency"}:
        raise UsageError(f'{where} must be {{"amount": "...", "currency": "XXX"}}')
    amount, currency = value.get("amount"), value.get("currency")
    if isinstance(amount, bool) or not isinstance(amount, str | int | Decimal):
        raise UsageError(f"{where}.amount must be a decimal number (as a string)")
    try:
        exact = Decimal(str(amount))
    except InvalidOperation:
        raise UsageError(f"{where}.amount {amount!r} is not a number") from None
    if not exact.is_finite():
        raise UsageError(f"{where}.amount {amount!r} is not a finite number")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise UsageError(f"{where}.currency must be a three-letter ISO 4217 code")
    return Money(exact, currency.upper())


def _date(value: Any, where: str) -> dt.date:
    if not isinstance(value, str):
        raise UsageError(f"{where} must be a date string YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{where} {value!r} is not a date YYYY-MM-DD") from None


def parse_card_transaction(data: Any, where: str = "transaction") -> CardTransaction:
    """A ``CardTransaction`` from its JSON object; raises UsageError naming the bad field."""
    if not isinstance(data, dict):
        raise UsageError(f"{where} must be a JSON object")
    unknown = sorted(set(data) - set(_TX_REQUIRED) - set(_TX_OPTIONAL))
    if unknown:
        raise UsageError(f"{where}: unknown field(s) {', '.join(unknown)}")
    missing = [key for key in _TX_REQUIRED if data.get(key) in (None, "")]
    if missing:
        raise UsageError(f"{where}: missing field(s) {', '.join(missing)}")
    text: dict[str, str] = {}
    for key in (*_TX_REQUIRED, *_TX_OPTIONAL):
        if key in ("amount", "foreign_amount", "transaction_date", "posting_date"):
            continue
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise UsageError(f"{where}.{key} must be a string")
        text[key] = str(value)
    foreign = data.get("foreign_amount")
    return CardTransaction(
        transaction_id=text["transaction_id"],
        transaction_date=_date(data["transaction_date"], f"{where}.transaction_date"),
        posting_date=_date(data["posting_date"], f"{where}.posting_date"),
        merchant_name=text["merchant_name"],
        mcc=text["mcc"],
        amount=_money(data["amount"], f"{where}.amount"),
        cardholder_name=text["cardholder_name"],
        card_suffix=text["card_suffix"],
        card_program_code=text["card_program_code"],
        card_program_type=text["card_program_type"],
        transaction_status=text.get("transaction_status", "COMPLETED"),
        foreign_amount=None if foreign is None else _money(foreign, f"{where}.foreign_amount"),
        card_id=text.get("card_id"),
        external_card_id=text.get("external_card_id"),
    )


def load_card_transactions(path: Path) -> list[CardTransaction]:
    """Every transaction in the file (an object or a list), all validated."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
    try:
        # parse_float=Decimal: an amount written as a JSON number stays exact.
        data = json.loads(raw, parse_float=Decimal)
    except ValueError as exc:
        raise UsageError(f"{path} is not valid JSON: {exc}") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise UsageError(f"{path} holds no transactions")
    where = "transaction" if not isinstance(data, list) else "transaction[{}]"
    return [parse_card_transaction(item, where.format(n)) for n, item in enumerate(items)]
