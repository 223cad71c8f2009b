"""Records the tests hand to the facade: a valid card transaction (ProSpend's documented
example, the one vendor that accepts card transactions; other vendors refuse it unread),
and one as the command's ``post-transaction`` file holds it (docs/command.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import expense_facade as ef


def card_transaction(**overrides: Any) -> ef.CardTransaction:
    """A card transaction every field of which is valid; ``overrides`` replace fields."""
    fields: dict[str, Any] = {
        "transaction_id": "txn_1775706370771",
        "transaction_date": dt.date(2026, 1, 31),
        "posting_date": dt.date(2026, 2, 2),
        "merchant_name": "Telstra",
        "mcc": "5943",
        "amount": ef.Money(Decimal("700.10"), "AUD"),
        "cardholder_name": "Kylie Magenta",
        "card_suffix": "1111",
        "card_program_code": "AR_AU",
        "card_program_type": "AR",
        "foreign_amount": ef.Money(Decimal("500.00"), "USD"),
        "card_id": "28676",
        "external_card_id": "123123",
    }
    fields.update(overrides)
    return ef.CardTransaction(**fields)


def card_transaction_entry(transaction_id: str, **changes: Any) -> dict[str, Any]:
    """One card transaction as ``expense-facade post-transaction`` reads it from its JSON
    file, in a card program the sandbox's ProSpend has; ``changes`` replace or add keys."""
    return {
        "transaction_id": transaction_id,
        "transaction_date": "2026-03-01",
        "posting_date": "2026-03-02",
        "merchant_name": "Harbour Hotel",
        "mcc": "7011",
        "amount": {"amount": "-120.50", "currency": "AUD"},
        "cardholder_name": "Ada Lovelace",
        "card_suffix": "4242",
        "card_program_code": "VISA_AU",
        "card_program_type": "Visa",
        **changes,
    }
