"""Card transactions read from a JSON file for ``post-transaction``.

Every transaction in the file is checked, and every problem is reported (item and field),
before anything is sent: a file is fixed in one go, not one problem per try.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from expense_facade._wording import counted
from expense_facade.cli.exits import UsageError
from expense_facade.input_files import read_regular
from expense_facade.records import CardTransaction, Money

_T = TypeVar("_T")

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest transaction file read (a few hundred bytes per transaction: ~50,000 of them)."""
MAX_TRANSACTIONS = 50_000
"""Most transactions one file holds (what ``MAX_FILE_BYTES`` fits)."""
MAX_CONTAINERS = 4 * MAX_TRANSACTIONS
"""JSON objects and lists a file may hold (a transaction has up to three: itself and its
amounts), counted before it is parsed: 16 MiB of ``{}`` would take gigabytes parsed."""

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
_NOT_TEXT = frozenset({"amount", "foreign_amount", "transaction_date", "posting_date"})


class TransactionFileError(UsageError):
    """The file's transactions have problems; ``problems`` lists every one. Nothing was
    sent. One problem is the message itself; several are counted in it (the command
    prints each on a line of its own first)."""

    def __init__(self, path: Path | str, problems: list[str], count: int) -> None:
        self.problems = problems
        if len(problems) == 1:
            super().__init__(f"{path}: {problems[0]}; nothing was sent")
            return
        super().__init__(
            f"{path}: {len(problems)} problems in {counted(count, 'transaction')}; nothing was sent"
        )


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


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise UsageError(f"{where} must be a string")
    return str(value)


def read_card_transaction(data: Any, where: str) -> tuple[CardTransaction | None, list[str]]:
    """The ``CardTransaction`` in one JSON object and ``[]``, or ``None`` and every problem
    found in it (each naming ``where`` and the field)."""
    if not isinstance(data, dict):
        return None, [f"{where} must be a JSON object"]
    problems: list[str] = []
    unknown = sorted(set(data) - set(_TX_REQUIRED) - set(_TX_OPTIONAL))
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
    missing = [key for key in _TX_REQUIRED if data.get(key) in (None, "")]
    if missing:
        problems.append(f"{where}: missing field(s) {', '.join(missing)}")

    def field(key: str, read: Callable[[Any, str], _T]) -> _T | None:
        value = data.get(key)
        if value is None or (key in missing):
            return None
        try:
            return read(value, f"{where}.{key}")
        except UsageError as exc:
            problems.append(str(exc))
            return None

    text = {
        key: field(key, _text) for key in (*_TX_REQUIRED, *_TX_OPTIONAL) if key not in _NOT_TEXT
    }
    transaction_date = field("transaction_date", _date)
    posting_date = field("posting_date", _date)
    amount = field("amount", _money)
    foreign = field("foreign_amount", _money)
    if problems:
        return None, problems
    assert transaction_date is not None
    assert posting_date is not None
    assert amount is not None
    return (
        CardTransaction(
            transaction_id=str(text["transaction_id"]),
            transaction_date=transaction_date,
            posting_date=posting_date,
            merchant_name=str(text["merchant_name"]),
            mcc=str(text["mcc"]),
            amount=amount,
            cardholder_name=str(text["cardholder_name"]),
            card_suffix=str(text["card_suffix"]),
            card_program_code=str(text["card_program_code"]),
            card_program_type=str(text["card_program_type"]),
            transaction_status=text.get("transaction_status") or "COMPLETED",
            foreign_amount=foreign,
            card_id=text.get("card_id"),
            external_card_id=text.get("external_card_id"),
        ),
        [],
    )


def parse_card_transaction(data: Any, where: str = "transaction") -> CardTransaction:
    """A ``CardTransaction`` from its JSON object; raises UsageError naming every problem."""
    tx, problems = read_card_transaction(data, where)
    if tx is None:
        raise UsageError("; ".join(problems))
    return tx


def read_card_transactions(
    path: Path,
) -> tuple[list[tuple[str, CardTransaction]], list[str], int]:
    """Every readable transaction in the file (an object or a list) with its place
    (``transaction`` or ``transaction[3]``), every problem found in any of them (a
    transaction_id that appears twice included), and how many the file holds. Raises
    UsageError for a file that cannot be read at all."""
    raw = read_regular(path, "the transaction file", MAX_FILE_BYTES, UsageError)
    containers = raw.count(b"{") + raw.count(b"[")
    if containers > MAX_CONTAINERS:  # what the parsed file would cost, bounded first
        raise UsageError(
            f"the transaction file {path} holds more than {MAX_CONTAINERS:,} JSON objects "
            f"and lists (at most {MAX_TRANSACTIONS:,} transactions)"
        )
    try:
        # parse_float=Decimal: an amount written as a JSON number stays exact.
        data = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{path} is not valid JSON: {exc}") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise UsageError(f"{path} holds no transactions")
    where = "transaction" if not isinstance(data, list) else "transaction[{}]"
    found: list[tuple[str, CardTransaction]] = []
    problems: list[str] = []
    first_place: dict[str, str] = {}
    for n, item in enumerate(items):
        place = where.format(n)
        tx, item_problems = read_card_transaction(item, place)
        problems.extend(item_problems)
        if tx is None:
            continue
        earlier = first_place.setdefault(tx.transaction_id, place)
        if earlier != place:
            problems.append(
                f"{place}: transaction_id {tx.transaction_id!r} appears twice (also {earlier})"
            )
            continue
        found.append((place, tx))
    return found, problems, len(items)


def load_card_transactions(path: Path) -> list[CardTransaction]:
    """Every transaction in the file, all valid; ``TransactionFileError`` lists every
    problem otherwise."""
    found, problems, count = read_card_transactions(path)
    if problems:
        raise TransactionFileError(path, problems, count)
    return [tx for _, tx in found]


__all__ = [
    "MAX_FILE_BYTES",
    "TransactionFileError",
    "load_card_transactions",
    "parse_card_transaction",
    "read_card_transaction",
    "read_card_transactions",
]
