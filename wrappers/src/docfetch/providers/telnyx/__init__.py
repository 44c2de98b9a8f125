"""Telnyx Documents: :class:`TelnyxClient` and its async twin :class:`AsyncTelnyxClient` (see
``_async.py`` for the decisions), with the generated models they return."""

from docfetch_telnyx_client.models import (
    DocServiceDocument,
    DocServiceDocumentAvScanStatus,
    DocServiceDocumentSize,
    DocServiceDocumentStatus,
    DocumentDownloadLink,
    DocumentDownloadLinkResponse,
    DocumentListResponse,
    DocumentResponse,
    DocumentSortField,
    PaginationMeta,
)

from docfetch.providers.telnyx._async import AsyncTelnyxClient
from docfetch.providers.telnyx._sync import TelnyxClient
from docfetch.providers.telnyx.rules import FACTS, DownloadMethod
from docfetch.types import Link

API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "AsyncTelnyxClient",
    "DocServiceDocument",
    "DocServiceDocumentAvScanStatus",
    "DocServiceDocumentSize",
    "DocServiceDocumentStatus",
    "DocumentDownloadLink",
    "DocumentDownloadLinkResponse",
    "DocumentListResponse",
    "DocumentResponse",
    "DocumentSortField",
    "DownloadMethod",
    "Link",
    "PaginationMeta",
    "TelnyxClient",
]
