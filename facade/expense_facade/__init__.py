"""expense_facade: one small API over five expense platforms.

    import expense_facade as ef
    with ef.connect("brex", token="...") as client:
        for expense in client.list_approved():
            ...

Importing this package imports no generated client and no simulator: a vendor adapter
(and the generated package under it) is loaded only when ``connect`` asks for one, and
the sandbox only when ``connect(..., sandbox=True)`` is used.
"""

from expense_facade import errors, records
from expense_facade.client import ExpenseClient
from expense_facade.connect import connect
from expense_facade.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    ExpenseFacadeError,
    MalformedRecordError,
    MalformedResponseError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnsupportedOperation,
    ValidationError,
)
from expense_facade.listing import Listing, Page
from expense_facade.operations import ALL_OPERATIONS, Operation
from expense_facade.records import (
    CardTransaction,
    CardTransactionResult,
    Employee,
    Expense,
    ExpenseStatus,
    ExportOutcome,
    LineItem,
    MalformedRecord,
    MarkExportedResult,
    Merchant,
    Money,
    ReceiptFlow,
    ReceiptRef,
    ReceiptUpload,
)
from expense_facade.registry import available_vendors, capabilities
from expense_facade.version import __version__

__all__ = [
    "ALL_OPERATIONS",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CardTransaction",
    "CardTransactionResult",
    "ConfigurationError",
    "ConflictError",
    "Employee",
    "Expense",
    "ExpenseClient",
    "ExpenseFacadeError",
    "ExpenseStatus",
    "ExportOutcome",
    "LineItem",
    "Listing",
    "MalformedRecord",
    "MalformedRecordError",
    "MalformedResponseError",
    "MarkExportedResult",
    "Merchant",
    "Money",
    "NotFoundError",
    "Operation",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ReceiptFlow",
    "ReceiptRef",
    "ReceiptUpload",
    "ServerError",
    "UnsupportedOperation",
    "ValidationError",
    "__version__",
    "available_vendors",
    "capabilities",
    "connect",
    "errors",
    "records",
]
