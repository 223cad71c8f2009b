"""A client library for accessing Cintra Capture Expense API (export)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
