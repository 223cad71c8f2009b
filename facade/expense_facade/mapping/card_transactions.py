"""The checks a ``CardTransaction`` passes before anything is sent, and its amounts as
exact Decimals at the currency's minor-unit digits (docs/adapter_guide.md, "Card
transactions").
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Iterator
from decimal import Decimal

import attrs

from expense_facade.errors import ValidationError
from expense_facade.mapping.money import currency_exponent
from expense_facade.records import CardTransaction, Money

# Checked in this order (the first problem is the one reported): what identifies the
# transaction and its card, then the currencies, then the rest.
_IDENTIFYING_TEXT = ("transaction_id", "merchant_name", "card_program_code", "card_suffix")
_OTHER_TEXT = ("mcc", "cardholder_name", "card_program_type", "transaction_status")
_OPTIONAL_TEXT = ("card_id", "external_card_id")
_DATES = ("transaction_date", "posting_date")
_CURRENCY_CODE = re.compile(r"[A-Z]{3}")
_MCC = re.compile(r"\d{4}")
_CARD_SUFFIX = re.compile(r"\d{4,6}")


@attrs.frozen(slots=True)
class CardAmounts:
    """A transaction's amounts, exact, each at its currency's digits (``12.5 EUR`` ->
    ``12.50``)."""

    amount: Decimal
    foreign_amount: Decimal | None


def validate_card_transaction(tx: CardTransaction) -> CardAmounts:
    """Check every field of ``tx``; the first problem is a ``ValidationError`` naming the
    field. Returns the exact amounts to send."""
    for problem in card_transaction_problems(tx):
        raise problem
    return card_amounts(tx)


def card_transaction_problems(tx: CardTransaction) -> list[ValidationError]:
    """Every problem ``validate_card_transaction`` finds in ``tx``, in the order it checks
    (the first is the one it raises): a batch is then fixed in one go."""
    return list(_problems(tx))


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _problems(tx: CardTransaction) -> Iterator[ValidationError]:
    for name in _IDENTIFYING_TEXT:
        if not _is_text(getattr(tx, name)):
            yield ValidationError(f"{name} must be a non-empty string", field=name)
    if isinstance(tx.amount, Money) and not tx.amount.currency:
        yield ValidationError("amount needs a currency", field="amount")
    if isinstance(tx.foreign_amount, Money) and not tx.foreign_amount.currency:
        yield ValidationError("foreign_amount needs a currency", field="foreign_amount")
    for name in _OTHER_TEXT:
        if not _is_text(getattr(tx, name)):
            yield ValidationError(f"{name} must be a non-empty string", field=name)
    for name in _OPTIONAL_TEXT:
        value = getattr(tx, name)
        if value is not None and not _is_text(value):
            yield ValidationError(f"{name} must be a non-empty string or None", field=name)
    if _is_text(tx.mcc) and not _MCC.fullmatch(tx.mcc.strip()):
        yield ValidationError("mcc must be a four-digit merchant category code", field="mcc")
    if _is_text(tx.card_suffix) and not _CARD_SUFFIX.fullmatch(tx.card_suffix.strip()):
        yield ValidationError(
            "card_suffix must be the last 4 to 6 digits of the card number", field="card_suffix"
        )
    dated = True
    for name in _DATES:
        value = getattr(tx, name)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            dated = False
            yield ValidationError(f"{name} must be a datetime.date", field=name)
    if dated and tx.posting_date < tx.transaction_date:
        yield ValidationError(
            "posting_date cannot be before transaction_date", field="posting_date"
        )
    amounts_read = True
    for name in ("amount", "foreign_amount"):
        money = getattr(tx, name)
        if money is None and name == "foreign_amount":
            continue
        try:
            exact_amount(money, name)
        except ValidationError as problem:
            amounts_read = False
            yield problem
    if amounts_read:
        try:
            card_amounts(tx)  # what is left: the two currencies must differ
        except ValidationError as problem:
            yield problem


def card_amounts(tx: CardTransaction) -> CardAmounts:
    """The exact amounts of ``tx`` (``ValidationError`` for an amount that has none)."""
    amount = exact_amount(tx.amount, "amount")
    if tx.foreign_amount is None:
        return CardAmounts(amount, None)
    foreign = exact_amount(tx.foreign_amount, "foreign_amount")
    if tx.foreign_amount.currency == tx.amount.currency:
        raise ValidationError(
            "foreign_amount is for a purchase currency that differs from the billing "
            f"currency; both are {tx.amount.currency} (leave foreign_amount out)",
            field="foreign_amount",
        )
    return CardAmounts(amount, foreign)


def exact_amount(money: object, field: str) -> Decimal:
    """``money``'s amount at its currency's minor-unit digits, or ``ValidationError``."""
    if not isinstance(money, Money):
        raise ValidationError(f"{field} must be a Money", field=field)
    currency = money.currency
    if not isinstance(currency, str) or not _CURRENCY_CODE.fullmatch(currency):
        raise ValidationError(
            f"{field}.currency must be an ISO 4217 code of three upper-case letters",
            field=field,
        )
    amount = money.amount
    if not amount.is_finite():
        raise ValidationError(f"{field} must be a finite amount", field=field)
    digits = currency_exponent(currency)
    try:
        exact = amount.quantize(Decimal(1).scaleb(-digits), rounding=decimal.ROUND_DOWN)
    except decimal.InvalidOperation:  # more digits than any card amount has
        raise ValidationError(f"{field} is out of range", field=field) from None
    if exact != amount:
        raise ValidationError(
            f"{field} has more decimals than {currency} allows ({digits})", field=field
        )
    return exact
