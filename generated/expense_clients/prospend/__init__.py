"""A client library for accessing ProSpend Expense Management API (Beta)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
