"""Contains all the data models used in inputs/outputs"""

from .api_response import ApiResponse
from .export_expense import ExportExpense
from .export_response import ExportResponse
from .export_status import ExportStatus
from .export_status_update_request import ExportStatusUpdateRequest

__all__ = (
    "ApiResponse",
    "ExportExpense",
    "ExportResponse",
    "ExportStatus",
    "ExportStatusUpdateRequest",
)
