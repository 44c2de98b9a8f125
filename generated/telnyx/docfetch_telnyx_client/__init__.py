"""A client library for accessing Telnyx Documents API (curated for docfetch)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
