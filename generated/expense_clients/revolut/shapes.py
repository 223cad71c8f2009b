"""Typed wire shapes of this vendor's prepared spec (written by
scripts/regenerate.py; never edit). ``Name`` builds a body, ``NameView`` reads one; types
only, nothing is converted or checked: docs/adapter_guide.md ("Wire shapes").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Protocol, Required, TypeAlias, TypedDict, overload

__all__ = [
    "AccessToken",
    "AccessTokenView",
    "Amount",
    "AmountView",
    "Category",
    "CategoryView",
    "Currency",
    "CurrencyView",
    "Error",
    "ErrorView",
    "Expense",
    "ExpenseLabels",
    "ExpenseLabelsView",
    "ExpenseSpentAmount",
    "ExpenseSpentAmountView",
    "ExpenseSplit",
    "ExpenseSplitAmount",
    "ExpenseSplitAmountView",
    "ExpenseSplitView",
    "ExpenseState",
    "ExpenseStateView",
    "ExpenseTransactionType",
    "ExpenseTransactionTypeView",
    "ExpenseView",
    "GetExpenseResponse200",
    "GetExpenseResponse200View",
    "GetExpensesResponse200",
    "GetExpensesResponse200View",
    "OAuthError",
    "OAuthErrorView",
    "RefreshAccessTokenResponse200",
    "RefreshAccessTokenResponse200View",
    "RefreshTokenRequest",
    "RefreshTokenRequestView",
    "TaxRate",
    "TaxRateView",
]


# #/components/schemas/AccessToken
class AccessToken(TypedDict, total=False):
    access_token: Required[str]
    token_type: Required[str]
    expires_in: Required[int]


class AccessTokenView(Protocol):
    @overload
    def get(self, key: Literal["access_token"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["token_type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["expires_in"], /) -> int | None: ...
    @overload
    def __getitem__(self, key: Literal["access_token"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["token_type"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["expires_in"], /) -> int: ...


# #/components/schemas/Amount
Amount: TypeAlias = "float | Decimal"
AmountView: TypeAlias = "float | Decimal"


# #/components/schemas/Category
class Category(TypedDict, total=False):
    id: Required[str]
    name: Required[str]
    code: str | None


class CategoryView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["code"], /) -> str | None: ...
    @overload
    def __getitem__(self, key: Literal["id"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["name"], /) -> str: ...


# #/components/schemas/Currency
Currency: TypeAlias = "str"
CurrencyView: TypeAlias = "str"


# #/components/schemas/Error
class Error(TypedDict, total=False):
    code: Required[int]
    message: Required[str]


class ErrorView(Protocol):
    @overload
    def get(self, key: Literal["code"], /) -> int | None: ...
    @overload
    def get(self, key: Literal["message"], /) -> str | None: ...
    @overload
    def __getitem__(self, key: Literal["code"], /) -> int: ...
    @overload
    def __getitem__(self, key: Literal["message"], /) -> str: ...


# #/components/schemas/Expense
class Expense(TypedDict, total=False):
    id: Required[str]
    state: Required[ExpenseState]
    transaction_type: Required[ExpenseTransactionType]
    description: str | None
    submitted_at: str | None
    completed_at: str | None
    payer: str | None
    merchant: str | None
    transaction_id: str | None
    expense_date: Required[str]
    splits: Required[list[ExpenseSplit]]
    receipt_ids: Required[list[str]]
    spent_amount: Required[ExpenseSpentAmount]
    labels: ExpenseLabels | None


class ExpenseView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["state"], /) -> ExpenseStateView | None: ...
    @overload
    def get(
        self, key: Literal["transaction_type"], /
    ) -> ExpenseTransactionTypeView | None: ...
    @overload
    def get(self, key: Literal["description"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["submitted_at"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["completed_at"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["payer"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["merchant"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["transaction_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["expense_date"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["splits"], /) -> list[ExpenseSplitView] | None: ...
    @overload
    def get(self, key: Literal["receipt_ids"], /) -> list[str] | None: ...
    @overload
    def get(self, key: Literal["spent_amount"], /) -> ExpenseSpentAmountView | None: ...
    @overload
    def get(self, key: Literal["labels"], /) -> ExpenseLabelsView | None: ...
    @overload
    def __getitem__(self, key: Literal["id"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["state"], /) -> ExpenseStateView: ...
    @overload
    def __getitem__(
        self, key: Literal["transaction_type"], /
    ) -> ExpenseTransactionTypeView: ...
    @overload
    def __getitem__(self, key: Literal["expense_date"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["splits"], /) -> list[ExpenseSplitView]: ...
    @overload
    def __getitem__(self, key: Literal["receipt_ids"], /) -> list[str]: ...
    @overload
    def __getitem__(
        self, key: Literal["spent_amount"], /
    ) -> ExpenseSpentAmountView: ...


# #/components/schemas/ExpenseLabels
ExpenseLabels: TypeAlias = "dict[str, list[str] | str]"
ExpenseLabelsView: TypeAlias = "dict[str, list[str] | str]"


# #/components/schemas/Expense/properties/spent_amount
class ExpenseSpentAmount(TypedDict, total=False):
    amount: Required[Amount]
    currency: Required[Currency]


class ExpenseSpentAmountView(Protocol):
    @overload
    def get(self, key: Literal["amount"], /) -> AmountView | None: ...
    @overload
    def get(self, key: Literal["currency"], /) -> CurrencyView | None: ...
    @overload
    def __getitem__(self, key: Literal["amount"], /) -> AmountView: ...
    @overload
    def __getitem__(self, key: Literal["currency"], /) -> CurrencyView: ...


# #/components/schemas/ExpenseSplit
class ExpenseSplit(TypedDict, total=False):
    amount: Required[ExpenseSplitAmount]
    category: Category | None
    tax_rate: TaxRate | None


class ExpenseSplitView(Protocol):
    @overload
    def get(self, key: Literal["amount"], /) -> ExpenseSplitAmountView | None: ...
    @overload
    def get(self, key: Literal["category"], /) -> CategoryView | None: ...
    @overload
    def get(self, key: Literal["tax_rate"], /) -> TaxRateView | None: ...
    def __getitem__(self, key: Literal["amount"], /) -> ExpenseSplitAmountView: ...


# #/components/schemas/ExpenseSplit/properties/amount
class ExpenseSplitAmount(TypedDict, total=False):
    amount: Amount | None
    currency: Currency | None


class ExpenseSplitAmountView(Protocol):
    @overload
    def get(self, key: Literal["amount"], /) -> AmountView | None: ...
    @overload
    def get(self, key: Literal["currency"], /) -> CurrencyView | None: ...


# #/components/schemas/ExpenseState
ExpenseState: TypeAlias = "str"
ExpenseStateView: TypeAlias = "str"

# #/components/schemas/ExpenseTransactionType
ExpenseTransactionType: TypeAlias = "str"
ExpenseTransactionTypeView: TypeAlias = "str"

# #/paths/~1expenses~1{expense_id}/get/responses/200/content/application~1json/schema
GetExpenseResponse200: TypeAlias = "Expense"
GetExpenseResponse200View: TypeAlias = "ExpenseView"

# #/paths/~1expenses/get/responses/200/content/application~1json/schema
GetExpensesResponse200: TypeAlias = "list[Expense]"
GetExpensesResponse200View: TypeAlias = "list[ExpenseView]"


# #/components/schemas/OAuthError
class OAuthError(TypedDict, total=False):
    error: Required[str]
    error_description: str | None


class OAuthErrorView(Protocol):
    @overload
    def get(self, key: Literal["error"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["error_description"], /) -> str | None: ...
    def __getitem__(self, key: Literal["error"], /) -> str: ...


# #/paths/~1auth~1token/post/responses/200/content/application~1json/schema
RefreshAccessTokenResponse200: TypeAlias = "AccessToken"
RefreshAccessTokenResponse200View: TypeAlias = "AccessTokenView"


# #/components/schemas/RefreshTokenRequest
class RefreshTokenRequest(TypedDict, total=False):
    grant_type: Required[str]
    refresh_token: Required[str]
    client_id: Required[str]
    client_assertion_type: Required[str]
    client_assertion: Required[str]


class RefreshTokenRequestView(Protocol):
    @overload
    def get(self, key: Literal["grant_type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["refresh_token"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["client_id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["client_assertion_type"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["client_assertion"], /) -> str | None: ...
    @overload
    def __getitem__(self, key: Literal["grant_type"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["refresh_token"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["client_id"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["client_assertion_type"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["client_assertion"], /) -> str: ...


# #/components/schemas/TaxRate
class TaxRate(TypedDict, total=False):
    id: Required[str]
    name: Required[str]
    percentage: float | Decimal | None


class TaxRateView(Protocol):
    @overload
    def get(self, key: Literal["id"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["name"], /) -> str | None: ...
    @overload
    def get(self, key: Literal["percentage"], /) -> float | Decimal | None: ...
    @overload
    def __getitem__(self, key: Literal["id"], /) -> str: ...
    @overload
    def __getitem__(self, key: Literal["name"], /) -> str: ...
