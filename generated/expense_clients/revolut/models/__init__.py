"""Contains all the data models used in inputs/outputs"""

from .accounting_category import AccountingCategory
from .amount import Amount
from .error import Error
from .expense import Expense
from .expense_labels import ExpenseLabels
from .expense_split import ExpenseSplit
from .tax_rate import TaxRate

__all__ = (
    "AccountingCategory",
    "Amount",
    "Error",
    "Expense",
    "ExpenseLabels",
    "ExpenseSplit",
    "TaxRate",
)
