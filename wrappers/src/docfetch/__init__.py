"""docfetch: typed, safe document downloads for five document APIs.

Public names are imported lazily (PEP 562) so ``import docfetch`` stays fast; ``from docfetch
import download_file`` loads only what that name needs. Every name of :mod:`docfetch.errors` is here too.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {  # name -> the module that defines it (besides docfetch.errors)
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


def _log_from_env() -> None:
    """``DOCFETCH_LOG=info|debug``: docfetch's logs on stderr, set up once when docfetch is imported
    (only then is ``logging`` imported; see docfetch.core.logs)."""
    import os

    if os.environ.get("DOCFETCH_LOG"):
        from docfetch.core.logs import configure_from_env

        configure_from_env()


_log_from_env()
del _log_from_env


def __getattr__(name: str) -> Any:
    errors = importlib.import_module("docfetch.errors")  # light, and the home of most public names

    if name == "__all__":
        return ["__version__", *errors.__all__, *_EXPORTS]
    module = _EXPORTS.get(name) or ("docfetch.errors" if name in errors.__all__ else None)
    if module is None:
        raise AttributeError(f"module 'docfetch' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__getattr__("__all__")))


if TYPE_CHECKING:
    from docfetch.core._async.auth import AsyncClientCredentialsAuth as AsyncClientCredentialsAuth
    from docfetch.core._async.engine import async_download_file as async_download_file
    from docfetch.core._async.pipeline import AsyncDownloadStream as AsyncDownloadStream
    from docfetch.core._async.pipeline import async_download_many as async_download_many
    from docfetch.core._async.polling import async_poll_until as async_poll_until
    from docfetch.core._async.retry import async_call_with_retries as async_call_with_retries
    from docfetch.core._async.storage import async_storage_client as async_storage_client
    from docfetch.core._sync.auth import ClientCredentialsAuth as ClientCredentialsAuth
    from docfetch.core._sync.engine import download_file as download_file
    from docfetch.core._sync.pipeline import DownloadStream as DownloadStream
    from docfetch.core._sync.pipeline import download_many as download_many
    from docfetch.core._sync.polling import poll_until as poll_until
    from docfetch.core._sync.retry import call_with_retries as call_with_retries
    from docfetch.core._sync.storage import storage_client as storage_client
    from docfetch.core.auth import HeaderKeyAuth as HeaderKeyAuth
    from docfetch.core.auth import Token as Token
    from docfetch.core.filenames import safe_filename as safe_filename
    from docfetch.core.ratelimit import TokenBucket as TokenBucket
    from docfetch.core.retry import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
    from docfetch.core.retry import NO_RETRY as NO_RETRY
    from docfetch.core.retry import RetryPolicy as RetryPolicy
    from docfetch.errors import *  # noqa: F403
    from docfetch.types import Checksum as Checksum
    from docfetch.types import DownloadItem as DownloadItem
    from docfetch.types import FileResult as FileResult
    from docfetch.types import Link as Link
    from docfetch.types import SavedFile as SavedFile
