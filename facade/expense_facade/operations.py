"""The five common operations, and the capability set each vendor client exposes
(docs/library.md, "Unsupported operations").
"""

from __future__ import annotations

import enum


class Operation(enum.StrEnum):
    """A common operation of the facade; a client's ``capabilities`` is a set of these."""

    LIST_APPROVED = "list_approved"
    GET_EXPENSE = "get_expense"
    MARK_EXPORTED = "mark_exported"
    UPLOAD_RECEIPT = "upload_receipt"
    POST_CARD_TRANSACTION = "post_card_transaction"
    DOWNLOAD_RECEIPT = "download_receipt"


ALL_OPERATIONS: tuple[Operation, ...] = tuple(Operation)
