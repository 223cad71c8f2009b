"""A client library for accessing Revolut Business API - Expenses"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
