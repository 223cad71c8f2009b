"""Contains all the data models used in inputs/outputs"""

from .approver import Approver
from .claim import Claim
from .claim_expense import ClaimExpense
from .claim_expense_page import ClaimExpensePage
from .claim_page import ClaimPage
from .currency_total import CurrencyTotal
from .custom_field import CustomField
from .error import Error
from .expense_split import ExpenseSplit
from .expense_split_page import ExpenseSplitPage
from .recipient import Recipient
from .split_child import SplitChild
from .transaction import Transaction
from .transaction_request import TransactionRequest

__all__ = (
    "Approver",
    "Claim",
    "ClaimExpense",
    "ClaimExpensePage",
    "ClaimPage",
    "CurrencyTotal",
    "CustomField",
    "Error",
    "ExpenseSplit",
    "ExpenseSplitPage",
    "Recipient",
    "SplitChild",
    "Transaction",
    "TransactionRequest",
)
