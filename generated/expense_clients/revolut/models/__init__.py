"""Contains all the data models used in inputs/outputs"""

from .access_token import AccessToken
from .category import Category
from .error import Error
from .expense import Expense
from .expense_labels import ExpenseLabels
from .expense_spent_amount import ExpenseSpentAmount
from .expense_split import ExpenseSplit
from .expense_split_amount import ExpenseSplitAmount
from .o_auth_error import OAuthError
from .refresh_token_request import RefreshTokenRequest
from .tax_rate import TaxRate

__all__ = (
    "AccessToken",
    "Category",
    "Error",
    "Expense",
    "ExpenseLabels",
    "ExpenseSpentAmount",
    "ExpenseSplit",
    "ExpenseSplitAmount",
    "OAuthError",
    "RefreshTokenRequest",
    "TaxRate",
)
