"""Records the tests hand to the facade: a valid card transaction (ProSpend's documented
example, the one vendor that accepts card transactions; other vendors refuse it unread)."""

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
