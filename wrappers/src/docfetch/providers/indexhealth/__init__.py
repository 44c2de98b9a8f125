"""Index Health documents: :class:`IndexHealthClient` and its async twin :class:`AsyncIndexHealthClient`
(see ``_async.py`` for the decisions), with the generated models they return."""

from docfetch_indexhealth_client.models import (
    AssociatedPlan,
    AuthUser,
    DocumentDetails,
    DocumentSummary,
    DocumentType,
    DownloadUrl,
)

from docfetch.providers.indexhealth._async import AsyncIndexHealthClient
from docfetch.providers.indexhealth._sync import IndexHealthClient
from docfetch.providers.indexhealth.rules import (
    BASE_URL_ENV,
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    FINGERPRINT_ENV,
    LINK_LIFETIME,
    USER_ENV,
    DocumentNotFoundError,
    DownloadMethod,
    MissingBaseUrlError,
    MissingFieldsError,
    UnauthorizedError,
)

__all__ = [
    "BASE_URL_ENV",
    "CLIENT_ID_ENV",
    "CLIENT_SECRET_ENV",
    "FINGERPRINT_ENV",
    "LINK_LIFETIME",
    "USER_ENV",
    "AssociatedPlan",
    "AsyncIndexHealthClient",
    "AuthUser",
    "DocumentDetails",
    "DocumentNotFoundError",
    "DocumentSummary",
    "DocumentType",
    "DownloadMethod",
    "DownloadUrl",
    "IndexHealthClient",
    "MissingBaseUrlError",
    "MissingFieldsError",
    "UnauthorizedError",
]
