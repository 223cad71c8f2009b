"""expense_facade: one small API over five expense platforms (docs/library.md).

Importing this package imports no generated client and no simulator: an adapter (and its
generated package) loads when ``connect`` asks for it; the names below load on first use
(see ``__getattr__`` at the end).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from expense_facade.connect import connect  # eager: the submodule would shadow it (cheap)
from expense_facade.version import __version__

if TYPE_CHECKING:
    from expense_facade import errors, records
    from expense_facade._http.pacing import TokenBucket
    from expense_facade._http.session import RateLimit
    from expense_facade.async_client import AsyncExpenseClient, AsyncListing
    from expense_facade.client import ExpenseClient
    from expense_facade.connect import aconnect
    from expense_facade.errors import (
        APIConnectionError,
        APIError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ClientClosedError,
        ConfigurationError,
        ConflictError,
        ExpenseFacadeError,
        MalformedRecordError,
        MalformedResponseError,
        NotFoundError,
        PaginationError,
        PermissionDeniedError,
        RateLimitError,
        ResponseTooLargeError,
        ServerError,
        UnsupportedOperation,
        ValidationError,
    )
    from expense_facade.export.pipeline import (
        ExportFailure,
        ExportOptions,
        ExportProgress,
        ExportSummary,
    )
    from expense_facade.export.run import export_approved
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
        ReceiptDownload,
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
    "AsyncExpenseClient",
    "AsyncListing",
    "AuthenticationError",
    "BadRequestError",
    "CardTransaction",
    "CardTransactionResult",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "Employee",
    "Expense",
    "ExpenseClient",
    "ExpenseFacadeError",
    "ExpenseStatus",
    "ExportFailure",
    "ExportOptions",
    "ExportOutcome",
    "ExportProgress",
    "ExportSummary",
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
    "RateLimit",
    "RateLimitError",
    "ReceiptDownload",
    "ReceiptFlow",
    "ReceiptRef",
    "ReceiptUpload",
    "ResponseTooLargeError",
    "ServerError",
    "TokenBucket",
    "UnsupportedOperation",
    "ValidationError",
    "__version__",
    "aconnect",
    "available_vendors",
    "capabilities",
    "connect",
    "errors",
    "export_approved",
    "records",
]


# Lazy exports (PEP 562): ``import expense_facade`` is nearly free; the first use of a
# name imports the module that defines it (``ef.connect`` loads the client core, httpx
# and attrs; an adapter and its generated client still load only on ``connect``). So a
# program that imports the package but does not use it (a CLI's --help) pays nothing.
_SUBMODULES = frozenset({"errors", "records"})
_HOMES: dict[str, str] = {
    "ExpenseClient": "expense_facade.client",
    "aconnect": "expense_facade.connect",
    "AsyncExpenseClient": "expense_facade.async_client",
    "AsyncListing": "expense_facade.async_client",
    "Listing": "expense_facade.listing",
    "Page": "expense_facade.listing",
    "ALL_OPERATIONS": "expense_facade.operations",
    "Operation": "expense_facade.operations",
    "available_vendors": "expense_facade.registry",
    "capabilities": "expense_facade.registry",
    "RateLimit": "expense_facade._http.session",
    "TokenBucket": "expense_facade._http.pacing",
    "export_approved": "expense_facade.export.run",
    "ExportFailure": "expense_facade.export.pipeline",
    "ExportOptions": "expense_facade.export.pipeline",
    "ExportProgress": "expense_facade.export.pipeline",
    "ExportSummary": "expense_facade.export.pipeline",
}


def _home(name: str) -> str | None:
    if name in _HOMES:
        return _HOMES[name]
    if name in _ERROR_NAMES:
        return "expense_facade.errors"
    if name in _RECORD_NAMES:
        return "expense_facade.records"
    return None


_ERROR_NAMES = frozenset(
    {
        "APIConnectionError",
        "APIError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "ClientClosedError",
        "ConfigurationError",
        "ConflictError",
        "ExpenseFacadeError",
        "MalformedRecordError",
        "MalformedResponseError",
        "NotFoundError",
        "PaginationError",
        "PermissionDeniedError",
        "RateLimitError",
        "ResponseTooLargeError",
        "ServerError",
        "UnsupportedOperation",
        "ValidationError",
    }
)
_RECORD_NAMES = frozenset(
    {
        "CardTransaction",
        "CardTransactionResult",
        "Employee",
        "Expense",
        "ExpenseStatus",
        "ExportOutcome",
        "LineItem",
        "MalformedRecord",
        "MarkExportedResult",
        "Merchant",
        "Money",
        "ReceiptDownload",
        "ReceiptFlow",
        "ReceiptRef",
        "ReceiptUpload",
    }
)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value: Any = importlib.import_module(f"expense_facade.{name}")
    else:
        home = _home(name)
        if home is None:
            raise AttributeError(f"module 'expense_facade' has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
