"""Contains all the data models used in inputs/outputs"""

from .api_response import ApiResponse
from .export_expense import ExportExpense
from .export_response import ExportResponse
from .export_status import ExportStatus
from .export_status_result import ExportStatusResult
from .export_status_update_request import ExportStatusUpdateRequest
from .export_status_update_response import ExportStatusUpdateResponse

__all__ = (
    "ApiResponse",
    "ExportExpense",
    "ExportResponse",
    "ExportStatus",
    "ExportStatusResult",
    "ExportStatusUpdateRequest",
    "ExportStatusUpdateResponse",
)
