"""A client library for accessing Sarvam AI Document Intelligence (legacy doc-digitization job API)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
