"""Contains all the data models used in inputs/outputs"""

from .access_token import AccessToken
from .accounting_category import AccountingCategory
from .amount import Amount
from .error import Error
from .expense import Expense
from .expense_labels import ExpenseLabels
from .expense_split import ExpenseSplit
from .o_auth_error import OAuthError
from .refresh_token_request import RefreshTokenRequest
from .tax_rate import TaxRate

__all__ = (
    "AccessToken",
    "AccountingCategory",
    "Amount",
    "Error",
    "Expense",
    "ExpenseLabels",
    "ExpenseSplit",
    "OAuthError",
    "RefreshTokenRequest",
    "TaxRate",
)
