"""Veridox Files: :class:`VeridoxClient` and its async twin :class:`AsyncVeridoxClient` (see ``_async.py``
for the decisions), with the generated models they return."""

from docfetch_veridox_client.models import (
    AnalysisOutcome,
    AnalysisStatus,
    ApiError,
    ApiErrorDetails,
    AssetType,
    AssetUrl,
    DownloadFilesResponse,
    FileDownloadError,
    FileDownloadLink,
    FileList,
    FileSortBy,
    FileSummary,
    SortOrder,
)

from docfetch.providers.veridox._async import AsyncVeridoxClient
from docfetch.providers.veridox._sync import VeridoxClient
from docfetch.providers.veridox.rules import (
    FACTS,
    FILE_ID_PATTERN,
    MAX_IDS_PER_REQUEST,
    REQUESTS_PER_MINUTE,
    SignedUrl,
    VeridoxFileAccessError,
    VeridoxFileError,
    VeridoxFileNotFoundError,
    VeridoxFileNotUploadedError,
    parse_veridox_error,
    shared_rate_limiter,
)
from docfetch.types import Link

API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "FILE_ID_PATTERN",
    "MAX_IDS_PER_REQUEST",
    "REQUESTS_PER_MINUTE",
    "AnalysisOutcome",
    "AnalysisStatus",
    "ApiError",
    "ApiErrorDetails",
    "AssetType",
    "AssetUrl",
    "AsyncVeridoxClient",
    "DownloadFilesResponse",
    "FileDownloadError",
    "FileDownloadLink",
    "FileList",
    "FileSortBy",
    "FileSummary",
    "Link",
    "SignedUrl",
    "SortOrder",
    "VeridoxClient",
    "VeridoxFileAccessError",
    "VeridoxFileError",
    "VeridoxFileNotFoundError",
    "VeridoxFileNotUploadedError",
    "parse_veridox_error",
    "shared_rate_limiter",
]
