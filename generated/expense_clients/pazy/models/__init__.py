"""Contains all the data models used in inputs/outputs"""

from .amount_breakdown import AmountBreakdown
from .card_info import CardInfo
from .error_detail import ErrorDetail
from .error_response import ErrorResponse
from .expense_detail import ExpenseDetail
from .expense_detail_response import ExpenseDetailResponse
from .expense_list_data import ExpenseListData
from .expense_list_response import ExpenseListResponse
from .expense_summary import ExpenseSummary
from .expense_transaction import ExpenseTransaction
from .initiator import Initiator
from .line_item import LineItem
from .merchant import Merchant
from .merchant_category import MerchantCategory
from .merchant_category_group_extra_type_0 import MerchantCategoryGroupExtraType0
from .page_context import PageContext
from .processing_status import ProcessingStatus
from .tax import Tax
from .vendor import Vendor

__all__ = (
    "AmountBreakdown",
    "CardInfo",
    "ErrorDetail",
    "ErrorResponse",
    "ExpenseDetail",
    "ExpenseDetailResponse",
    "ExpenseListData",
    "ExpenseListResponse",
    "ExpenseSummary",
    "ExpenseTransaction",
    "Initiator",
    "LineItem",
    "Merchant",
    "MerchantCategory",
    "MerchantCategoryGroupExtraType0",
    "PageContext",
    "ProcessingStatus",
    "Tax",
    "Vendor",
)
