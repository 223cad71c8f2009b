"""Typed wire shapes of this vendor's prepared spec (written by
scripts/regenerate.py; never edit). ``Name`` builds a body, ``NameView`` reads one; types
only, nothing is converted or checked: docs/adapter_guide.md ("Wire shapes").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, Protocol, Required, TypeAlias, TypedDict, overload

__all__ = [
    "AmountBreakdown",
    "AmountBreakdownView",
    "CardInfo",
    "CardInfoView",
    "ErrorCode",
    "ErrorCodeView",
    "ErrorDetail",
    "ErrorDetailView",
    "ErrorResponse",
    "ErrorResponseView",
    "ExpenseDetail",
    "ExpenseDetailResponse",
    "ExpenseDetailResponseView",
    "ExpenseDetailView",
    "ExpenseListData",
    "ExpenseListDataView",
    "ExpenseListResponse",
    "ExpenseListResponseView",
    "ExpenseListState",
    "ExpenseListStateView",
    "ExpenseSource",
    "ExpenseSourceView",
    "ExpenseState",
    "ExpenseStateView",
    "ExpenseSummary",
    "ExpenseSummaryView",
    "ExpenseTransaction",
    "ExpenseTransactionView",
    "GetExpenseResponse200",
    "GetExpenseResponse200View",
    "Initiator",
    "InitiatorView",
    "LineItem",
    "LineItemView",
    "ListExpensesResponse200",
    "ListExpensesResponse200View",
    "Merchant",
    "MerchantCategory",
    "MerchantCategoryView",
    "MerchantView",
    "NumberOrString",
    "NumberOrStringView",
    "PageContext",
    "PageContextView",
    "ProcessingStatus",
    "ProcessingStatusView",
    "SyncState",
    "SyncStateView",
    "Tax",
    "TaxView",
    "Vendor",
    "VendorView",
]


# #/components/schemas/AmountBreakdown
class AmountBreakdown(TypedDict, total=False):
    subTotal: float | Decimal | None
    grossTotal: float | Decimal | None
    netPayable: float | Decimal | None


class AmountBreakdownView(Protocol):
    @overload
    def get(self, key: Literal["subTotal"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["grossTotal"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["netPayable"], /) -> float | Decimal | None: ...


# #/components/schemas/CardInfo
class CardInfo(TypedDict, total=False):
    name: str | None
    slug: str | None
    maskedCardNumber: str | None
    description: str | None
    dateCreated: str | None
    provider: str | None


class CardInfoView(Protocol):
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["slug"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["maskedCardNumber"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["description"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["dateCreated"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["provider"], /) -> str | None: ...


# #/components/schemas/ErrorCode
ErrorCode: TypeAlias = "str"
ErrorCodeView: TypeAlias = "str"


# #/components/schemas/ErrorDetail
class ErrorDetail(TypedDict, total=False):
    code: ErrorCode | None
    message: str | None


class ErrorDetailView(Protocol):
    @overload
    def get(self, key: Literal["code"], /) -> ErrorCodeView | None: ...
    @overload
    def get(self, key: Literal["message"], /) -> str | None: ...


# #/components/schemas/ErrorResponse
class ErrorResponse(TypedDict, total=False):
    ok: bool | None
    error: ErrorDetail | None


class ErrorResponseView(Protocol):
    @overload
    def get(self, key: Literal["ok"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["error"], /) -> ErrorDetailView | None: ...


# #/components/schemas/ExpenseDetail
class ExpenseDetail(TypedDict, total=False):
    id: Required[str]
    expenseType: str | None
    description: str | None
    itemCount: int | None
    expenseDate: str | None
    dueDate: str | None
    accountingDate: str | None
    approvedDate: str | None
    recipientId: str | None
    recipientType: str | None
    paymentDate: str | None
    amount: NumberOrString | None
    currency: str | None
    state: ExpenseState | None
    paymentState: str | None
    amountPaid: NumberOrString | None
    dateCreated: str | None
    remarks: str | None
    source: ExpenseSource | None
    syncedReferenceId: str | None
    documentId: str | None
    syncState: SyncState | None
    syncMode: str | None
    accountingPlatform: str | None
    selfUrl: str | None
    identifier: str | None
    cardInfo: CardInfo | None
    transaction: ExpenseTransaction | None
    initiator: Initiator | None
    merchant: Merchant | None
    vendor: Vendor | None
    lineItems: list[LineItem] | None
    processingStatus: ProcessingStatus | None


class ExpenseDetailView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["expenseType"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["description"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["itemCount"], /) -> int | None: ...
    @overload
    def get(self, key: Literal["expenseDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["dueDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["accountingDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["approvedDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["recipientId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["recipientType"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["paymentDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["amount"], /) -> NumberOrStringView | None: ...
    @overload
    def get(self, key: Literal["currency"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["state"], /) -> ExpenseStateView | None: ...
    @overload
    def get(self, key: Literal["paymentState"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["amountPaid"], /) -> NumberOrStringView | None: ...
    @overload
    def get(self, key: Literal["dateCreated"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["remarks"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["source"], /) -> ExpenseSourceView | None: ...
    @overload
    def get(self, key: Literal["syncedReferenceId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["documentId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["syncState"], /) -> SyncStateView | None: ...
    @overload
    def get(self, key: Literal["syncMode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["accountingPlatform"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["selfUrl"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["identifier"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardInfo"], /) -> CardInfoView | None: ...
    @overload
    def get(self, key: Literal["transaction"], /) -> ExpenseTransactionView | None: ...
    @overload
    def get(self, key: Literal["initiator"], /) -> InitiatorView | None: ...
    @overload
    def get(self, key: Literal["merchant"], /) -> MerchantView | None: ...
    @overload
    def get(self, key: Literal["vendor"], /) -> VendorView | None: ...
    @overload
    def get(self, key: Literal["lineItems"], /) -> list[LineItemView] | None: ...
    @overload
    def get(
        self, key: Literal["processingStatus"], /
    ) -> ProcessingStatusView | None: ...
    def __getitem__(self, key: Literal["id"], /) -> str: ...


# #/components/schemas/ExpenseDetailResponse
class ExpenseDetailResponse(TypedDict, total=False):
    ok: bool | None
    data: Required[ExpenseDetail]


class ExpenseDetailResponseView(Protocol):
    @overload
    def get(self, key: Literal["ok"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["data"], /) -> ExpenseDetailView | None: ...
    def __getitem__(self, key: Literal["data"], /) -> ExpenseDetailView: ...


# #/components/schemas/ExpenseListData
class ExpenseListData(TypedDict, total=False):
    expenses: Required[list[ExpenseSummary]]
    context: PageContext | None


class ExpenseListDataView(Protocol):
    @overload
    def get(self, key: Literal["expenses"], /) -> list[ExpenseSummaryView] | None: ...
    @overload
    def get(self, key: Literal["context"], /) -> PageContextView | None: ...
    def __getitem__(self, key: Literal["expenses"], /) -> list[ExpenseSummaryView]: ...


# #/components/schemas/ExpenseListResponse
class ExpenseListResponse(TypedDict, total=False):
    ok: bool | None
    data: Required[ExpenseListData]


class ExpenseListResponseView(Protocol):
    @overload
    def get(self, key: Literal["ok"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["data"], /) -> ExpenseListDataView | None: ...
    def __getitem__(self, key: Literal["data"], /) -> ExpenseListDataView: ...


# #/components/schemas/ExpenseListState
ExpenseListState: TypeAlias = "str"
ExpenseListStateView: TypeAlias = "str"

# #/components/schemas/ExpenseSource
ExpenseSource: TypeAlias = "str"
ExpenseSourceView: TypeAlias = "str"

# #/components/schemas/ExpenseState
ExpenseState: TypeAlias = "str"
ExpenseStateView: TypeAlias = "str"


# #/components/schemas/ExpenseSummary
class ExpenseSummary(TypedDict, total=False):
    id: Required[str]
    state: ExpenseListState | None
    syncState: SyncState | None
    expenseType: str | None
    paymentState: str | None
    currency: str | None
    totalAmount: NumberOrString | None
    itemCount: int | None


class ExpenseSummaryView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["state"], /) -> ExpenseListStateView | None: ...
    @overload
    def get(self, key: Literal["syncState"], /) -> SyncStateView | None: ...
    @overload
    def get(self, key: Literal["expenseType"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["paymentState"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["currency"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["totalAmount"], /) -> NumberOrStringView | None: ...
    @overload
    def get(self, key: Literal["itemCount"], /) -> int | None: ...
    def __getitem__(self, key: Literal["id"], /) -> str: ...


# #/components/schemas/ExpenseTransaction
class ExpenseTransaction(TypedDict, total=False):
    utr: str | None
    dateConfirmed: str | None
    narration: str | None
    ledgerId: str | None


class ExpenseTransactionView(Protocol):
    @overload
    def get(self, key: Literal["utr"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["dateConfirmed"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["narration"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["ledgerId"], /) -> str | None: ...


# #/paths/~1expense~1{expenseId}/get/responses/200/content/application~1json/schema
GetExpenseResponse200: TypeAlias = "ExpenseDetailResponse"
GetExpenseResponse200View: TypeAlias = "ExpenseDetailResponseView"


# #/components/schemas/Initiator
class Initiator(TypedDict, total=False):
    slug: str | None
    name: str | None
    email: str | None


class InitiatorView(Protocol):
    @overload
    def get(self, key: Literal["slug"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["email"], /) -> str | None: ...


# #/components/schemas/LineItem
class LineItem(TypedDict, total=False):
    id: str | None
    description: str | None
    amount: float | Decimal | None
    rate: float | Decimal | None
    quantity: float | Decimal | None
    ledgerType: str | None
    ledgerId: str | None
    skuId: str | None
    trxTax: Tax | None
    whtTax: Tax | None
    amountBreakdown: AmountBreakdown | None


class LineItemView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["description"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["amount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["rate"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["quantity"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["ledgerType"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["ledgerId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["skuId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["trxTax"], /) -> TaxView | None: ...
    @overload
    def get(self, key: Literal["whtTax"], /) -> TaxView | None: ...
    @overload
    def get(self, key: Literal["amountBreakdown"], /) -> AmountBreakdownView | None: ...


# #/paths/~1expenses/get/responses/200/content/application~1json/schema
ListExpensesResponse200: TypeAlias = "ExpenseListResponse"
ListExpensesResponse200View: TypeAlias = "ExpenseListResponseView"


# #/components/schemas/Merchant
class Merchant(TypedDict, total=False):
    name: str | None
    vpa: str | None
    mcc: MerchantCategory | None


class MerchantView(Protocol):
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["vpa"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["mcc"], /) -> MerchantCategoryView | None: ...


# #/components/schemas/MerchantCategory
class MerchantCategory(TypedDict, total=False):
    code: str | None
    groupSlug: str | None
    groupName: str | None
    groupDescription: str | None
    groupExtra: dict[str, Any] | None


class MerchantCategoryView(Protocol):
    @overload
    def get(self, key: Literal["code"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["groupSlug"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["groupName"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["groupDescription"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["groupExtra"], /) -> dict[str, Any] | None: ...


# #/components/schemas/NumberOrString
NumberOrString: TypeAlias = "float | Decimal | str"
NumberOrStringView: TypeAlias = "float | Decimal | str"


# #/components/schemas/PageContext
class PageContext(TypedDict, total=False):
    hasMore: bool | None
    nextCursor: float | Decimal | str | None


class PageContextView(Protocol):
    @overload
    def get(self, key: Literal["hasMore"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["nextCursor"], /) -> float | Decimal | str | None: ...


# #/components/schemas/ProcessingStatus
class ProcessingStatus(TypedDict, total=False):
    processingId: str | None
    status: str | None
    isReady: bool | None


class ProcessingStatusView(Protocol):
    @overload
    def get(self, key: Literal["processingId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["status"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["isReady"], /) -> bool | None: ...


# #/components/schemas/SyncState
SyncState: TypeAlias = "str"
SyncStateView: TypeAlias = "str"


# #/components/schemas/Tax
class Tax(TypedDict, total=False):
    type: str | None
    amount: NumberOrString | None
    name: str | None
    deductionType: str | None
    deductionValue: float | Decimal | None
    id: float | Decimal | str | None


class TaxView(Protocol):
    @overload
    def get(self, key: Literal["type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["amount"], /) -> NumberOrStringView | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["deductionType"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["deductionValue"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["id"], /) -> float | Decimal | str | None: ...


# #/components/schemas/Vendor
class Vendor(TypedDict, total=False):
    slug: str | None
    name: str | None
    email: str | None


class VendorView(Protocol):
    @overload
    def get(self, key: Literal["slug"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["email"], /) -> str | None: ...
