"""Typed wire shapes of this vendor's prepared spec (written by
scripts/regenerate.py; never edit). ``Name`` builds a body, ``NameView`` reads one; types
only, nothing is converted or checked: docs/adapter_guide.md ("Wire shapes").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Protocol, Required, TypeAlias, TypedDict, overload

__all__ = [
    "Approver",
    "ApproverView",
    "Claim",
    "ClaimExpense",
    "ClaimExpensePage",
    "ClaimExpensePageView",
    "ClaimExpenseView",
    "ClaimPage",
    "ClaimPageView",
    "ClaimStatus",
    "ClaimStatusView",
    "ClaimView",
    "CreateTransactionResponse200",
    "CreateTransactionResponse200View",
    "CreateTransactionResponse201",
    "CreateTransactionResponse201View",
    "CurrencyTotal",
    "CurrencyTotalView",
    "CustomField",
    "CustomFieldView",
    "Error",
    "ErrorView",
    "ExpenseSplit",
    "ExpenseSplitPage",
    "ExpenseSplitPageView",
    "ExpenseSplitView",
    "GetClaimExpenseResponse200",
    "GetClaimExpenseResponse200View",
    "GetClaimResponse200",
    "GetClaimResponse200View",
    "GetExpenseSplitResponse200",
    "GetExpenseSplitResponse200View",
    "ListClaimExpensesResponse200",
    "ListClaimExpensesResponse200View",
    "ListClaimsResponse200",
    "ListClaimsResponse200View",
    "ListExpenseSplitsResponse200",
    "ListExpenseSplitsResponse200View",
    "NextCursor",
    "NextCursorView",
    "Recipient",
    "RecipientView",
    "SplitChild",
    "SplitChildView",
    "Transaction",
    "TransactionRequest",
    "TransactionRequestView",
    "TransactionStatus",
    "TransactionStatusView",
    "TransactionView",
]


# #/components/schemas/Approver
class Approver(TypedDict, total=False):
    id: str | None
    name: str | None
    approvedDate: str | None


class ApproverView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["approvedDate"], /) -> str | None: ...


# #/components/schemas/Claim
class Claim(TypedDict, total=False):
    id: Required[str]
    companyId: str | None
    claimantId: str | None
    employeeNumber: str | None
    claimantName: str | None
    claimantExternalCode: str | None
    claimType: str | None
    status: ClaimStatus | None
    claimCurrencyTotals: list[CurrencyTotal] | None
    transactionTotals: list[CurrencyTotal] | None
    summary: str | None
    notes: str | None
    approvers: list[Approver] | None
    fromDate: str | None
    toDate: str | None
    approvedDate: str | None
    finalisedDate: str | None
    createdDate: str | None
    updatedDate: str | None
    customFields: list[CustomField] | None
    createdOn: str | None
    updatedOn: str | None


class ClaimView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["companyId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["claimantId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["employeeNumber"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["claimantName"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["claimantExternalCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["claimType"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["status"], /) -> ClaimStatusView | None: ...
    @overload
    def get(
        self, key: Literal["claimCurrencyTotals"], /
    ) -> list[CurrencyTotalView] | None: ...
    @overload
    def get(
        self, key: Literal["transactionTotals"], /
    ) -> list[CurrencyTotalView] | None: ...
    @overload
    def get(self, key: Literal["summary"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["notes"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["approvers"], /) -> list[ApproverView] | None: ...
    @overload
    def get(self, key: Literal["fromDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["toDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["approvedDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["finalisedDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["createdDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["updatedDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["customFields"], /) -> list[CustomFieldView] | None: ...
    @overload
    def get(self, key: Literal["createdOn"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["updatedOn"], /) -> str | None: ...
    def __getitem__(self, key: Literal["id"], /) -> str: ...


# #/components/schemas/ClaimExpense
class ClaimExpense(TypedDict, total=False):
    id: Required[str]
    companyId: str | None
    entityId: str | None
    description: str | None
    glCode: str | None
    isSplit: bool | None
    splitChildren: list[SplitChild] | None
    taxCode: str | None
    itemQty: float | Decimal | None
    netUnitRate: float | Decimal | None
    claimCurrencyTotal: CurrencyTotal | None
    transactionTotal: CurrencyTotal | None
    portfolioCode: str | None
    projectCode: str | None
    costCenterCode: str | None
    externalCode: str | None
    isOmitted: bool | None
    isPersonal: bool | None
    recipient: Recipient | None
    createdDate: str | None
    updatedDate: str | None
    customFields: list[CustomField] | None
    total: CurrencyTotal | None
    createdOn: str | None
    updatedOn: str | None


class ClaimExpenseView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["companyId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["entityId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["description"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["glCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["isSplit"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["splitChildren"], /) -> list[SplitChildView] | None: ...
    @overload
    def get(self, key: Literal["taxCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["itemQty"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["netUnitRate"], /) -> float | Decimal | None: ...
    @overload
    def get(
        self, key: Literal["claimCurrencyTotal"], /
    ) -> CurrencyTotalView | None: ...
    @overload
    def get(self, key: Literal["transactionTotal"], /) -> CurrencyTotalView | None: ...
    @overload
    def get(self, key: Literal["portfolioCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["projectCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["costCenterCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["externalCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["isOmitted"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["isPersonal"], /) -> bool | None: ...
    @overload
    def get(self, key: Literal["recipient"], /) -> RecipientView | None: ...
    @overload
    def get(self, key: Literal["createdDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["updatedDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["customFields"], /) -> list[CustomFieldView] | None: ...
    @overload
    def get(self, key: Literal["total"], /) -> CurrencyTotalView | None: ...
    @overload
    def get(self, key: Literal["createdOn"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["updatedOn"], /) -> str | None: ...
    def __getitem__(self, key: Literal["id"], /) -> str: ...


# #/components/schemas/ClaimExpensePage
class ClaimExpensePage(TypedDict, total=False):
    page: Required[list[ClaimExpense]]
    nextCursor: NextCursor | None


class ClaimExpensePageView(Protocol):
    @overload
    def get(self, key: Literal["page"], /) -> list[ClaimExpenseView] | None: ...
    @overload
    def get(self, key: Literal["nextCursor"], /) -> NextCursorView | None: ...
    def __getitem__(self, key: Literal["page"], /) -> list[ClaimExpenseView]: ...


# #/components/schemas/ClaimPage
class ClaimPage(TypedDict, total=False):
    page: Required[list[Claim]]
    nextCursor: NextCursor | None


class ClaimPageView(Protocol):
    @overload
    def get(self, key: Literal["page"], /) -> list[ClaimView] | None: ...
    @overload
    def get(self, key: Literal["nextCursor"], /) -> NextCursorView | None: ...
    def __getitem__(self, key: Literal["page"], /) -> list[ClaimView]: ...


# #/components/schemas/ClaimStatus
ClaimStatus: TypeAlias = "str"
ClaimStatusView: TypeAlias = "str"

# #/paths/~1{version}~1company~1{companyId}~1transaction/post/responses/200/content/application~1json/schema
CreateTransactionResponse200: TypeAlias = "Transaction"
CreateTransactionResponse200View: TypeAlias = "TransactionView"

# #/paths/~1{version}~1company~1{companyId}~1transaction/post/responses/201/content/application~1json/schema
CreateTransactionResponse201: TypeAlias = "Transaction"
CreateTransactionResponse201View: TypeAlias = "TransactionView"


# #/components/schemas/CurrencyTotal
class CurrencyTotal(TypedDict, total=False):
    grossAmount: float | Decimal | None
    netAmount: float | Decimal | None
    taxAmount: float | Decimal | None
    currencyCode: str | None
    currency: str | None


class CurrencyTotalView(Protocol):
    @overload
    def get(self, key: Literal["grossAmount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["netAmount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["taxAmount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["currencyCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["currency"], /) -> str | None: ...


# #/components/schemas/CustomField
class CustomField(TypedDict, total=False):
    type: str | None
    name: str | None
    value: str | None


class CustomFieldView(Protocol):
    @overload
    def get(self, key: Literal["type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["value"], /) -> str | None: ...


# #/components/schemas/Error
class Error(TypedDict, total=False):
    code: str | None
    message: str | None


class ErrorView(Protocol):
    @overload
    def get(self, key: Literal["code"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["message"], /) -> str | None: ...


# #/components/schemas/ExpenseSplit
class ExpenseSplit(TypedDict, total=False):
    id: Required[str]
    companyId: str | None
    entityId: str | None
    splitParentId: str | None
    description: str | None
    glCode: str | None
    taxCode: str | None
    claimCurrencyTotal: CurrencyTotal | None
    transactionTotal: CurrencyTotal | None
    portfolioCode: str | None
    projectCode: str | None
    costCenterCode: str | None
    externalCode: str | None
    createdDate: str | None
    updatedDate: str | None
    customFields: list[CustomField] | None
    total: CurrencyTotal | None
    createdOn: str | None
    updatedOn: str | None


class ExpenseSplitView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["companyId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["entityId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["splitParentId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["description"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["glCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["taxCode"], /) -> str | None: ...
    @overload
    def get(
        self, key: Literal["claimCurrencyTotal"], /
    ) -> CurrencyTotalView | None: ...
    @overload
    def get(self, key: Literal["transactionTotal"], /) -> CurrencyTotalView | None: ...
    @overload
    def get(self, key: Literal["portfolioCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["projectCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["costCenterCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["externalCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["createdDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["updatedDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["customFields"], /) -> list[CustomFieldView] | None: ...
    @overload
    def get(self, key: Literal["total"], /) -> CurrencyTotalView | None: ...
    @overload
    def get(self, key: Literal["createdOn"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["updatedOn"], /) -> str | None: ...
    def __getitem__(self, key: Literal["id"], /) -> str: ...


# #/components/schemas/ExpenseSplitPage
class ExpenseSplitPage(TypedDict, total=False):
    page: Required[list[ExpenseSplit]]
    nextCursor: NextCursor | None


class ExpenseSplitPageView(Protocol):
    @overload
    def get(self, key: Literal["page"], /) -> list[ExpenseSplitView] | None: ...
    @overload
    def get(self, key: Literal["nextCursor"], /) -> NextCursorView | None: ...
    def __getitem__(self, key: Literal["page"], /) -> list[ExpenseSplitView]: ...


# #/paths/~1{version}~1company~1{companyId}~1claim~1{claimId}~1expense~1{expenseId}/get/responses/200/content/application~1json/schema
GetClaimExpenseResponse200: TypeAlias = "ClaimExpense"
GetClaimExpenseResponse200View: TypeAlias = "ClaimExpenseView"

# #/paths/~1{version}~1company~1{companyId}~1claim~1{claimId}/get/responses/200/content/application~1json/schema
GetClaimResponse200: TypeAlias = "Claim"
GetClaimResponse200View: TypeAlias = "ClaimView"

# #/paths/~1{version}~1company~1{companyId}~1claim~1{claimId}~1expense~1{expenseId}~1split~1{splitId}/get/responses/200/content/application~1json/schema
GetExpenseSplitResponse200: TypeAlias = "ExpenseSplit"
GetExpenseSplitResponse200View: TypeAlias = "ExpenseSplitView"

# #/paths/~1{version}~1company~1{companyId}~1claim~1{claimId}~1expense/get/responses/200/content/application~1json/schema
ListClaimExpensesResponse200: TypeAlias = "ClaimExpensePage"
ListClaimExpensesResponse200View: TypeAlias = "ClaimExpensePageView"

# #/paths/~1{version}~1company~1{companyId}~1claim/get/responses/200/content/application~1json/schema
ListClaimsResponse200: TypeAlias = "ClaimPage"
ListClaimsResponse200View: TypeAlias = "ClaimPageView"

# #/paths/~1{version}~1company~1{companyId}~1claim~1{claimId}~1expense~1{expenseId}~1split/get/responses/200/content/application~1json/schema
ListExpenseSplitsResponse200: TypeAlias = "ExpenseSplitPage"
ListExpenseSplitsResponse200View: TypeAlias = "ExpenseSplitPageView"

# #/components/schemas/NextCursor
NextCursor: TypeAlias = "str | None"
NextCursorView: TypeAlias = "str | None"


# #/components/schemas/Recipient
class Recipient(TypedDict, total=False):
    type: str | None
    code: str | None
    name: str | None
    employeeId: str | None
    employeeNumber: str | None


class RecipientView(Protocol):
    @overload
    def get(self, key: Literal["type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["code"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["employeeId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["employeeNumber"], /) -> str | None: ...


# #/components/schemas/SplitChild
class SplitChild(TypedDict, total=False):
    splitId: str | None
    _link: str | None


class SplitChildView(Protocol):
    @overload
    def get(self, key: Literal["splitId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["_link"], /) -> str | None: ...


# #/components/schemas/Transaction
class Transaction(TypedDict, total=False):
    id: str | None
    transactionId: str | None
    transactionDate: str | None
    postingDate: str | None
    merchantName: str | None
    mcc: str | None
    transactionAmount: float | Decimal | None
    currencyCode: str | None
    cardHolderName: str | None
    cardSuffix: str | None
    cardId: str | None
    externalCardId: str | None
    transactionStatus: TransactionStatus | None
    cardProgramCode: str | None
    cardProgramType: str | None
    companyId: str | None
    createdDate: str | None
    foreignCurrencyCode: str | None
    exchangeRate: float | Decimal | None
    foreignCurrencyAmount: float | Decimal | None


class TransactionView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["transactionId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["transactionDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["postingDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["merchantName"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["mcc"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["transactionAmount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["currencyCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardHolderName"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardSuffix"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["externalCardId"], /) -> str | None: ...
    @overload
    def get(
        self, key: Literal["transactionStatus"], /
    ) -> TransactionStatusView | None: ...
    @overload
    def get(self, key: Literal["cardProgramCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardProgramType"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["companyId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["createdDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["foreignCurrencyCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["exchangeRate"], /) -> float | Decimal | None: ...
    @overload
    def get(
        self, key: Literal["foreignCurrencyAmount"], /
    ) -> float | Decimal | None: ...


# #/components/schemas/TransactionRequest
class TransactionRequest(TypedDict, total=False):
    transactionId: Required[str]
    transactionDate: Required[str]
    postingDate: Required[str]
    merchantName: Required[str]
    mcc: Required[str]
    transactionAmount: Required[float | Decimal]
    currencyCode: Required[str]
    foreignCurrencyAmount: float | Decimal | None
    foreignCurrencyCode: str | None
    cardHolderName: Required[str]
    cardId: str | None
    cardSuffix: Required[str]
    externalCardId: str | None
    transactionStatus: Required[TransactionStatus]
    cardProgramCode: Required[str]
    cardProgramType: Required[str]


class TransactionRequestView(Protocol):
    @overload
    def get(self, key: Literal["transactionId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["transactionDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["postingDate"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["merchantName"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["mcc"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["transactionAmount"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["currencyCode"], /) -> str | None: ...
    @overload
    def get(
        self, key: Literal["foreignCurrencyAmount"], /
    ) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["foreignCurrencyCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardHolderName"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardId"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardSuffix"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["externalCardId"], /) -> str | None: ...
    @overload
    def get(
        self, key: Literal["transactionStatus"], /
    ) -> TransactionStatusView | None: ...
    @overload
    def get(self, key: Literal["cardProgramCode"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["cardProgramType"], /) -> str | None: ...
    @overload
    def __getitem__(self, key: Literal["transactionId"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["transactionDate"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["postingDate"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["merchantName"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["mcc"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["transactionAmount"], /) -> float | Decimal: ...
    @overload
    def __getitem__(self, key: Literal["currencyCode"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["cardHolderName"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["cardSuffix"], /) -> str: ...
    @overload
    def __getitem__(
        self, key: Literal["transactionStatus"], /
    ) -> TransactionStatusView: ...
    @overload
    def __getitem__(self, key: Literal["cardProgramCode"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["cardProgramType"], /) -> str: ...


# #/components/schemas/TransactionStatus
TransactionStatus: TypeAlias = "str"
TransactionStatusView: TypeAlias = "str"
