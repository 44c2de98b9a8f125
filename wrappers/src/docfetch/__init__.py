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
    # HTTP policy
    "DEFAULT_TIMEOUT": "docfetch.retry",
    "NO_RETRY": "docfetch.retry",
    "RetryPolicy": "docfetch.retry",
    "call_with_retries": "docfetch.retry",
    "async_call_with_retries": "docfetch.retry",
    # auth
    "HeaderKeyAuth": "docfetch.auth",
    "ClientCredentialsAuth": "docfetch.auth",
    "AsyncClientCredentialsAuth": "docfetch.auth",
    "Token": "docfetch.auth",
    # polling
    "poll_until": "docfetch.polling",
    "async_poll_until": "docfetch.polling",
    # downloads
    "Checksum": "docfetch.downloads",
    "DownloadItem": "docfetch.downloads",
    "FileResult": "docfetch.downloads",
    "SavedFile": "docfetch.downloads",
    "download_file": "docfetch.downloads",
    "download_many": "docfetch.downloads",
    "async_download_file": "docfetch.downloads",
    "async_download_many": "docfetch.downloads",
    "storage_client": "docfetch.storage",
    "async_storage_client": "docfetch.storage",
    "safe_filename": "docfetch.filenames",
    # rate limits
    "TokenBucket": "docfetch.ratelimit",
}

__all__ = [
    "DEFAULT_TIMEOUT",
    "NO_RETRY",
    "APIStatusError",
    "AsyncClientCredentialsAuth",
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
    "ErrorDetails",
    "FileResult",
    "HeaderKeyAuth",
    "InvalidInputError",
    "JobFailedError",
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
    from docfetch.auth import AsyncClientCredentialsAuth, ClientCredentialsAuth, HeaderKeyAuth, Token
    from docfetch.downloads import (
        Checksum,
        DownloadItem,
        FileResult,
        SavedFile,
        async_download_file,
        async_download_many,
        download_file,
        download_many,
    )
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
    from docfetch.filenames import safe_filename
    from docfetch.polling import async_poll_until, poll_until
    from docfetch.ratelimit import TokenBucket
    from docfetch.retry import (
        DEFAULT_TIMEOUT,
        NO_RETRY,
        RetryPolicy,
        async_call_with_retries,
        call_with_retries,
    )
    from docfetch.storage import async_storage_client, storage_client
