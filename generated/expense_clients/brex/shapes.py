"""Typed wire shapes of this vendor's prepared spec (written by
scripts/regenerate.py; never edit). ``Name`` builds a body, ``NameView`` reads one; types
only, nothing is converted or checked: docs/adapter_guide.md ("Wire shapes").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, Protocol, Required, TypeAlias, TypedDict, overload

__all__ = [
    "Address",
    "AddressView",
    "Budget",
    "BudgetView",
    "CardExpense",
    "CardExpenseView",
    "Coordinates",
    "CoordinatesView",
    "CreateReceiptMatchResponse200",
    "CreateReceiptMatchResponse200View",
    "CreateReceiptUploadResponse200",
    "CreateReceiptUploadResponse200View",
    "CustomField",
    "CustomFieldValue",
    "CustomFieldValueView",
    "CustomFieldView",
    "Department",
    "DepartmentView",
    "Error",
    "ErrorView",
    "Expense",
    "ExpensePage",
    "ExpensePageView",
    "ExpensePaymentStatus",
    "ExpensePaymentStatusView",
    "ExpenseStatus",
    "ExpenseStatusView",
    "ExpenseType",
    "ExpenseTypeView",
    "ExpenseUser",
    "ExpenseUserView",
    "ExpenseView",
    "GetExpenseResponse200",
    "GetExpenseResponse200View",
    "ListExpensesResponse200",
    "ListExpensesResponse200View",
    "Location",
    "LocationView",
    "Merchant",
    "MerchantView",
    "Money",
    "MoneyView",
    "Payment",
    "PaymentInstrument",
    "PaymentInstrumentView",
    "PaymentView",
    "Receipt",
    "ReceiptMatchRequest",
    "ReceiptMatchRequestView",
    "ReceiptUploadRequest",
    "ReceiptUploadRequestView",
    "ReceiptUploadResponse",
    "ReceiptUploadResponseView",
    "ReceiptView",
    "UpdateCardExpenseRequest",
    "UpdateCardExpenseRequestView",
    "UpdateCardExpenseResponse200",
    "UpdateCardExpenseResponse200View",
]


# #/components/schemas/Address
class Address(TypedDict, total=False):
    country: str | None
    state: str | None
    city: str | None
    postal_code: str | None
    line1: str | None
    line2: str | None
    coordinates: Coordinates | None
    timezone: str | None


class AddressView(Protocol):
    @overload
    def get(self, key: Literal["country"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["state"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["city"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["postal_code"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["line1"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["line2"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["coordinates"], /) -> CoordinatesView | None: ...
    @overload
    def get(self, key: Literal["timezone"], /) -> str | None: ...


# #/components/schemas/Budget
class Budget(TypedDict, total=False):
    id: str | None
    name: str | None


class BudgetView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...


# #/components/schemas/CardExpense
class CardExpense(TypedDict, total=False):
    id: Required[str]
    memo: str | None
    location_id: str | None
    department_id: str | None
    updated_at: Required[str]
    category: str | None
    merchant_id: str | None
    budget_id: str | None
    original_amount: Money | None
    billing_amount: Money | None
    purchased_at: str | None
    status: ExpenseStatus | None
    payment_status: ExpensePaymentStatus | None


class CardExpenseView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["memo"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["location_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["department_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["updated_at"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["category"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["merchant_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["budget_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["original_amount"], /) -> MoneyView | None: ...
    @overload
    def get(self, key: Literal["billing_amount"], /) -> MoneyView | None: ...
    @overload
    def get(self, key: Literal["purchased_at"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["status"], /) -> ExpenseStatusView | None: ...
    @overload
    def get(
        self, key: Literal["payment_status"], /
    ) -> ExpensePaymentStatusView | None: ...
    @overload
    def __getitem__(self, key: Literal["id"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["updated_at"], /) -> str: ...


# #/components/schemas/Coordinates
class Coordinates(TypedDict, total=False):
    latitude: float | Decimal | None
    longitude: float | Decimal | None


class CoordinatesView(Protocol):
    @overload
    def get(self, key: Literal["latitude"], /) -> float | Decimal | None: ...
    @overload
    def get(self, key: Literal["longitude"], /) -> float | Decimal | None: ...


# #/paths/~1v1~1expenses~1card~1receipt_match/post/responses/200/content/application~1json/schema
CreateReceiptMatchResponse200: TypeAlias = "ReceiptUploadResponse"
CreateReceiptMatchResponse200View: TypeAlias = "ReceiptUploadResponseView"

# #/paths/~1v1~1expenses~1card~1{expense_id}~1receipt_upload/post/responses/200/content/application~1json/schema
CreateReceiptUploadResponse200: TypeAlias = "ReceiptUploadResponse"
CreateReceiptUploadResponse200View: TypeAlias = "ReceiptUploadResponseView"


# #/components/schemas/CustomField
class CustomField(TypedDict, total=False):
    key: str | None
    value: CustomFieldValue | None


class CustomFieldView(Protocol):
    @overload
    def get(self, key: Literal["key"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["value"], /) -> CustomFieldValueView | None: ...


# #/components/schemas/CustomFieldValue
class CustomFieldValue(TypedDict, total=False):
    value_type: str | None
    data_type: str | None
    data: Any


class CustomFieldValueView(Protocol):
    @overload
    def get(self, key: Literal["value_type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["data_type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["data"], /) -> Any: ...


# #/components/schemas/Department
class Department(TypedDict, total=False):
    id: str | None
    name: str | None


class DepartmentView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...


# #/components/schemas/Error
class Error(TypedDict, total=False):
    message: str | None


class ErrorView(Protocol):
    def get(self, key: Literal["message"], /) -> str | None: ...


# #/components/schemas/Expense
class Expense(TypedDict, total=False):
    id: Required[str]
    memo: str | None
    location_id: str | None
    location: Location | None
    address: Address | None
    department_id: str | None
    department: Department | None
    updated_at: Required[str]
    payment_posted_at: str | None
    category: str | None
    merchant_id: str | None
    merchant: Merchant | None
    receipts: list[Receipt] | None
    budget_id: str | None
    budget: Budget | None
    expense_type: ExpenseType | None
    original_amount: Money | None
    billing_amount: Money | None
    budget_amount: Money | None
    purchased_at: str | None
    status: ExpenseStatus | None
    payment_status: ExpensePaymentStatus | None
    user_id: str | None
    user: ExpenseUser | None
    payment: Payment | None
    custom_fields: list[CustomField] | None
    trip_id: str | None


class ExpenseView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["memo"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["location_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["location"], /) -> LocationView | None: ...
    @overload
    def get(self, key: Literal["address"], /) -> AddressView | None: ...
    @overload
    def get(self, key: Literal["department_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["department"], /) -> DepartmentView | None: ...
    @overload
    def get(self, key: Literal["updated_at"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["payment_posted_at"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["category"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["merchant_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["merchant"], /) -> MerchantView | None: ...
    @overload
    def get(self, key: Literal["receipts"], /) -> list[ReceiptView] | None: ...
    @overload
    def get(self, key: Literal["budget_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["budget"], /) -> BudgetView | None: ...
    @overload
    def get(self, key: Literal["expense_type"], /) -> ExpenseTypeView | None: ...
    @overload
    def get(self, key: Literal["original_amount"], /) -> MoneyView | None: ...
    @overload
    def get(self, key: Literal["billing_amount"], /) -> MoneyView | None: ...
    @overload
    def get(self, key: Literal["budget_amount"], /) -> MoneyView | None: ...
    @overload
    def get(self, key: Literal["purchased_at"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["status"], /) -> ExpenseStatusView | None: ...
    @overload
    def get(
        self, key: Literal["payment_status"], /
    ) -> ExpensePaymentStatusView | None: ...
    @overload
    def get(self, key: Literal["user_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["user"], /) -> ExpenseUserView | None: ...
    @overload
    def get(self, key: Literal["payment"], /) -> PaymentView | None: ...
    @overload
    def get(self, key: Literal["custom_fields"], /) -> list[CustomFieldView] | None: ...
    @overload
    def get(self, key: Literal["trip_id"], /) -> str | None: ...
    @overload
    def __getitem__(self, key: Literal["id"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["updated_at"], /) -> str: ...


# #/components/schemas/ExpensePage
class ExpensePage(TypedDict, total=False):
    next_cursor: str | None
    items: Required[list[Expense]]


class ExpensePageView(Protocol):
    @overload
    def get(self, key: Literal["next_cursor"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["items"], /) -> list[ExpenseView] | None: ...
    def __getitem__(self, key: Literal["items"], /) -> list[ExpenseView]: ...


# #/components/schemas/ExpensePaymentStatus
ExpensePaymentStatus: TypeAlias = "str"
ExpensePaymentStatusView: TypeAlias = "str"

# #/components/schemas/ExpenseStatus
ExpenseStatus: TypeAlias = "str"
ExpenseStatusView: TypeAlias = "str"

# #/components/schemas/ExpenseType
ExpenseType: TypeAlias = "str"
ExpenseTypeView: TypeAlias = "str"


# #/components/schemas/ExpenseUser
class ExpenseUser(TypedDict, total=False):
    id: str | None
    first_name: str | None
    last_name: str | None
    department_id: str | None
    location_id: str | None


class ExpenseUserView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["first_name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["last_name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["department_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["location_id"], /) -> str | None: ...


# #/paths/~1v1~1expenses~1{expense_id}/get/responses/200/content/application~1json/schema
GetExpenseResponse200: TypeAlias = "Expense"
GetExpenseResponse200View: TypeAlias = "ExpenseView"

# #/paths/~1v1~1expenses/get/responses/200/content/application~1json/schema
ListExpensesResponse200: TypeAlias = "ExpensePage"
ListExpensesResponse200View: TypeAlias = "ExpensePageView"


# #/components/schemas/Location
class Location(TypedDict, total=False):
    id: str | None
    name: str | None


class LocationView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...


# #/components/schemas/Merchant
class Merchant(TypedDict, total=False):
    raw_descriptor: str | None
    mcc: str | None
    country: str | None


class MerchantView(Protocol):
    @overload
    def get(self, key: Literal["raw_descriptor"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["mcc"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["country"], /) -> str | None: ...


# #/components/schemas/Money
class Money(TypedDict, total=False):
    amount: int | None
    currency: str | None


class MoneyView(Protocol):
    @overload
    def get(self, key: Literal["amount"], /) -> int | None: ...
    @overload
    def get(self, key: Literal["currency"], /) -> str | None: ...


# #/components/schemas/Payment
class Payment(TypedDict, total=False):
    id: str | None
    paymentInstrument: PaymentInstrument | None
    statusReason: str | None


class PaymentView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(
        self, key: Literal["paymentInstrument"], /
    ) -> PaymentInstrumentView | None: ...
    @overload
    def get(self, key: Literal["statusReason"], /) -> str | None: ...


# #/components/schemas/PaymentInstrument
class PaymentInstrument(TypedDict, total=False):
    type: str | None
    id: str | None


class PaymentInstrumentView(Protocol):
    @overload
    def get(self, key: Literal["type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...


# #/components/schemas/Receipt
class Receipt(TypedDict, total=False):
    id: str | None
    download_uris: list[str] | None


class ReceiptView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["download_uris"], /) -> list[str] | None: ...


# #/components/schemas/ReceiptMatchRequest
class ReceiptMatchRequest(TypedDict, total=False):
    receipt_name: Required[str]


class ReceiptMatchRequestView(Protocol):
    def get(self, key: Literal["receipt_name"], /) -> str | None: ...
    def __getitem__(self, key: Literal["receipt_name"], /) -> str: ...


# #/components/schemas/ReceiptUploadRequest
class ReceiptUploadRequest(TypedDict, total=False):
    receipt_name: Required[str]


class ReceiptUploadRequestView(Protocol):
    def get(self, key: Literal["receipt_name"], /) -> str | None: ...
    def __getitem__(self, key: Literal["receipt_name"], /) -> str: ...


# #/components/schemas/ReceiptUploadResponse
class ReceiptUploadResponse(TypedDict, total=False):
    id: Required[str]
    uri: Required[str]


class ReceiptUploadResponseView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["uri"], /) -> str | None: ...
    @overload
    def __getitem__(self, key: Literal["id"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["uri"], /) -> str: ...


# #/components/schemas/UpdateCardExpenseRequest
class UpdateCardExpenseRequest(TypedDict, total=False):
    memo: str | None


class UpdateCardExpenseRequestView(Protocol):
    def get(self, key: Literal["memo"], /) -> str | None: ...


# #/paths/~1v1~1expenses~1card~1{expense_id}/put/responses/200/content/application~1json/schema
UpdateCardExpenseResponse200: TypeAlias = "CardExpense"
UpdateCardExpenseResponse200View: TypeAlias = "CardExpenseView"
