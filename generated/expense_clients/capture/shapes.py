"""Typed wire shapes of this vendor's prepared spec (written by
scripts/regenerate.py; never edit). ``Name`` builds a body, ``NameView`` reads one; types
only, nothing is converted or checked: docs/adapter_guide.md ("Wire shapes").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Protocol, Required, TypeAlias, TypedDict, overload

__all__ = [
    "ApiResponse",
    "ApiResponseView",
    "ExportExpense",
    "ExportExpenseView",
    "ExportResponse",
    "ExportResponseView",
    "ExportStatus",
    "ExportStatusResult",
    "ExportStatusResultView",
    "ExportStatusUpdateRequest",
    "ExportStatusUpdateRequestView",
    "ExportStatusUpdateResponse",
    "ExportStatusUpdateResponseView",
    "ExportStatusView",
    "ListExportExpensesResponse200",
    "ListExportExpensesResponse200View",
    "UpdateExportStatusResponse200",
    "UpdateExportStatusResponse200View",
]


# #/components/schemas/ApiResponse
class ApiResponse(TypedDict, total=False):
    success: bool | None
    message: str | None


class ApiResponseView(Protocol):
    @overload
    def get(self, key: Literal["success"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["message"], /) -> str | None: ...


# #/components/schemas/ExportExpense
class ExportExpense(TypedDict, total=False):
    id: str | None
    transactionType: int | None
    paymentType: str | None
    employeeId: str | None
    supplierCode: str | None
    personName: str | None
    categoryName: str | None
    nominalAccount: str | None
    department: str | None
    location: str | None
    project: str | None
    costcentre: str | None
    claimDate: str | None
    reference: str | None
    description: str | None
    isoCode: str | None
    exchangeRate: float | Decimal | None
    netAmount: float | Decimal | None
    taxCode: str | None
    taxAmount: float | Decimal | None
    grossAmount: float | Decimal | None
    details: str | None
    distance: float | Decimal | None
    carbonAmount: float | Decimal | None


class ExportExpenseView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["transactionType"], /) -> int | None: ...
    @overload
    def get(self, key: Literal["paymentType"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["employeeId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["supplierCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["personName"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["categoryName"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["nominalAccount"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["department"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["location"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["project"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["costcentre"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["claimDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["reference"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["description"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["isoCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["exchangeRate"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["netAmount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["taxCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["taxAmount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["grossAmount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["details"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["distance"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["carbonAmount"], /) -> float | Decimal | None: ...


# #/components/schemas/ExportResponse
class ExportResponse(TypedDict, total=False):
    success: bool | None
    message: str | None
    data: list[ExportExpense] | None
    totalCount: int | None


class ExportResponseView(Protocol):
    @overload
    def get(self, key: Literal["success"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["message"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["data"], /) -> list[ExportExpenseView] | None: ...
    @overload
    def get(self, key: Literal["totalCount"], /) -> int | None: ...


# #/components/schemas/ExportStatus
class ExportStatus(TypedDict, total=False):
    id: Required[str]
    success: Required[bool]
    message: str | None
    transactionType: int | None


class ExportStatusView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["success"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["message"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["transactionType"], /) -> int | None: ...
    @overload
    def __getitem__(self, key: Literal["id"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["success"], /) -> bool: ...


# #/components/schemas/ExportStatusResult
class ExportStatusResult(TypedDict, total=False):
    id: str | None
    success: bool | None
    message: str | None


class ExportStatusResultView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["success"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["message"], /) -> str | None: ...


# #/components/schemas/ExportStatusUpdateRequest
class ExportStatusUpdateRequest(TypedDict, total=False):
    exportStatuses: Required[list[ExportStatus]]


class ExportStatusUpdateRequestView(Protocol):
    def get(
        self, key: Literal["exportStatuses"], /
    ) -> list[ExportStatusView] | None: ...
    def __getitem__(
        self, key: Literal["exportStatuses"], /
    ) -> list[ExportStatusView]: ...


# #/components/schemas/ExportStatusUpdateResponse
class ExportStatusUpdateResponse(TypedDict, total=False):
    success: bool | None
    message: str | None
    data: list[ExportStatusResult] | None


class ExportStatusUpdateResponseView(Protocol):
    @overload
    def get(self, key: Literal["success"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["message"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["data"], /) -> list[ExportStatusResultView] | None: ...


# #/paths/~1api~1Expenses~1Export/get/responses/200/content/application~1json/schema
ListExportExpensesResponse200: TypeAlias = "ExportResponse"
ListExportExpensesResponse200View: TypeAlias = "ExportResponseView"

# #/paths/~1api~1Expenses~1ExportStatusUpdate/post/responses/200/content/application~1json/schema
UpdateExportStatusResponse200: TypeAlias = "ExportStatusUpdateResponse"
UpdateExportStatusResponse200View: TypeAlias = "ExportStatusUpdateResponseView"
