"""docfetch: typed, safe document downloads for five document APIs.

Public names are imported lazily (PEP 562) so ``import docfetch`` stays fast; ``from docfetch
import download_file`` loads only what that name needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # errors
    **{
        name: "docfetch.errors"
        for name in (
            "APIStatusError",
            "AuthFlowError",
            "AuthenticationError",
            "BadRequestError",
            "ChecksumMismatchError",
            "ConflictError",
            "ConnectError",
            "DestinationExistsError",
            "DocfetchError",
            "DownloadError",
            "ErrorDetails",
            "InvalidInputError",
            "JobFailedError",
            "JobNotStartedError",
            "LinkExpiredError",
            "MissingCredentialsError",
            "NonStandardStatusError",
            "NotFoundError",
            "PermissionDeniedError",
            "PollingTimeoutError",
            "RateLimitError",
            "RequestTimeoutError",
            "ResponseValidationError",
            "ServerError",
            "SizeMismatchError",
            "TransportError",
            "UnprocessableEntityError",
            "UnsafeFileNameError",
            "raise_for_status",
            "status_error",
        )
    },
    # HTTP policy, auth, polling, downloads, rate limits
    "DEFAULT_TIMEOUT": "docfetch.core.retry",
    "NO_RETRY": "docfetch.core.retry",
    "RetryPolicy": "docfetch.core.retry",
    "call_with_retries": "docfetch.core._sync.retry",
    "async_call_with_retries": "docfetch.core._async.retry",
    "HeaderKeyAuth": "docfetch.core.auth",
    "ClientCredentialsAuth": "docfetch.core._sync.auth",
    "AsyncClientCredentialsAuth": "docfetch.core._async.auth",
    "Token": "docfetch.core.auth",
    "poll_until": "docfetch.core._sync.polling",
    "async_poll_until": "docfetch.core._async.polling",
    "Checksum": "docfetch.types",
    "DownloadItem": "docfetch.types",
    "FileResult": "docfetch.types",
    "Link": "docfetch.types",
    "SavedFile": "docfetch.types",
    "download_file": "docfetch.core._sync.engine",
    "async_download_file": "docfetch.core._async.engine",
    "download_many": "docfetch.core._sync.pipeline",
    "async_download_many": "docfetch.core._async.pipeline",
    "DownloadStream": "docfetch.core._sync.pipeline",
    "AsyncDownloadStream": "docfetch.core._async.pipeline",
    "storage_client": "docfetch.core._sync.storage",
    "async_storage_client": "docfetch.core._async.storage",
    "safe_filename": "docfetch.core.filenames",
    "TokenBucket": "docfetch.core.ratelimit",
}

__all__ = [
    "DEFAULT_TIMEOUT",
    "NO_RETRY",
    "APIStatusError",
    "AsyncClientCredentialsAuth",
    "AsyncDownloadStream",
    "AuthFlowError",
    "AuthenticationError",
    "BadRequestError",
    "Checksum",
    "ChecksumMismatchError",
    "ClientCredentialsAuth",
    "ConflictError",
    "ConnectError",
    "DestinationExistsError",
    "DocfetchError",
    "DownloadError",
    "DownloadItem",
    "DownloadStream",
    "ErrorDetails",
    "FileResult",
    "HeaderKeyAuth",
    "InvalidInputError",
    "JobFailedError",
    "JobNotStartedError",
    "Link",
    "LinkExpiredError",
    "MissingCredentialsError",
    "NonStandardStatusError",
    "NotFoundError",
    "PermissionDeniedError",
    "PollingTimeoutError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseValidationError",
    "RetryPolicy",
    "SavedFile",
    "ServerError",
    "SizeMismatchError",
    "Token",
    "TokenBucket",
    "TransportError",
    "UnprocessableEntityError",
    "UnsafeFileNameError",
    "__version__",
    "async_call_with_retries",
    "async_download_file",
    "async_download_many",
    "async_poll_until",
    "async_storage_client",
    "call_with_retries",
    "download_file",
    "download_many",
    "poll_until",
    "raise_for_status",
    "safe_filename",
    "status_error",
    "storage_client",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'docfetch' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from docfetch.core._async.auth import AsyncClientCredentialsAuth
    from docfetch.core._async.engine import async_download_file
    from docfetch.core._async.pipeline import AsyncDownloadStream, async_download_many
    from docfetch.core._async.polling import async_poll_until
    from docfetch.core._async.retry import async_call_with_retries
    from docfetch.core._async.storage import async_storage_client
    from docfetch.core._sync.auth import ClientCredentialsAuth
    from docfetch.core._sync.engine import download_file
    from docfetch.core._sync.pipeline import DownloadStream, download_many
    from docfetch.core._sync.polling import poll_until
    from docfetch.core._sync.retry import call_with_retries
    from docfetch.core._sync.storage import storage_client
    from docfetch.core.auth import HeaderKeyAuth, Token
    from docfetch.core.filenames import safe_filename
    from docfetch.core.ratelimit import TokenBucket
    from docfetch.core.retry import DEFAULT_TIMEOUT, NO_RETRY, RetryPolicy
    from docfetch.errors import (
        APIStatusError,
        AuthenticationError,
        AuthFlowError,
        BadRequestError,
        ChecksumMismatchError,
        ConflictError,
        ConnectError,
        DestinationExistsError,
        DocfetchError,
        DownloadError,
        ErrorDetails,
        InvalidInputError,
        JobFailedError,
        JobNotStartedError,
        LinkExpiredError,
        MissingCredentialsError,
        NonStandardStatusError,
        NotFoundError,
        PermissionDeniedError,
        PollingTimeoutError,
        RateLimitError,
        RequestTimeoutError,
        ResponseValidationError,
        ServerError,
        SizeMismatchError,
        TransportError,
        UnprocessableEntityError,
        UnsafeFileNameError,
        raise_for_status,
        status_error,
    )
    from docfetch.types import Checksum, DownloadItem, FileResult, Link, SavedFile
