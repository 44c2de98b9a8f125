"""A client library for accessing Index Health IndexSDK API (documents subset)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
