"""Contains all the data models used in inputs/outputs"""

from .address import Address
from .budget import Budget
from .card_expense import CardExpense
from .coordinates import Coordinates
from .custom_field import CustomField
from .custom_field_value import CustomFieldValue
from .department import Department
from .error import Error
from .expense import Expense
from .expense_page import ExpensePage
from .expense_user import ExpenseUser
from .location import Location
from .merchant import Merchant
from .money import Money
from .payment import Payment
from .payment_instrument import PaymentInstrument
from .receipt import Receipt
from .receipt_match_request import ReceiptMatchRequest
from .receipt_upload_request import ReceiptUploadRequest
from .receipt_upload_response import ReceiptUploadResponse
from .update_card_expense_request import UpdateCardExpenseRequest

__all__ = (
    "Address",
    "Budget",
    "CardExpense",
    "Coordinates",
    "CustomField",
    "CustomFieldValue",
    "Department",
    "Error",
    "Expense",
    "ExpensePage",
    "ExpenseUser",
    "Location",
    "Merchant",
    "Money",
    "Payment",
    "PaymentInstrument",
    "Receipt",
    "ReceiptMatchRequest",
    "ReceiptUploadRequest",
    "ReceiptUploadResponse",
    "UpdateCardExpenseRequest",
)
