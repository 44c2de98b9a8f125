"""The download engine: one file, from its source to its place, whatever happens on the wire.

Guarantees:

* The body streams (constant memory: network reads of up to 1 MiB are gathered into 1 MiB blocks,
  written and hashed by a pipeline, see :mod:`docfetch.core.partfile`) into
  ``.<name>.<random>.docfetch-part`` beside the destination, created exclusively. Only after the
  byte count matches ``Content-Length`` / ``Content-Range`` and ``expected_size``, and the checksum
  (md5 or sha256) matches, is it fsynced and moved into place atomically; an existing file is never
  replaced unless ``overwrite=True``. On any failure the part file is removed: a destination either
  holds a byte-identical file or nothing.
* A dropped connection or short body is resumed with ``Range`` (``If-Range`` on a strong ETag or
  Last-Modified); a server that ignores the range (200) or answers it incoherently restarts from
  byte 0. Retries follow a :class:`~docfetch.core.retry.RetryPolicy` (default ``DOWNLOAD_RETRY``);
  an attempt that stored new bytes resets the failure count.
* A signed URL refused with 401/403/410 (or 400 mentioning expiry; a source may name its own
  statuses, ``refused_statuses``) is treated as expired: a fresh URL is asked from the callable
  source / ``refresh_url`` (up to 3 times; the source may raise instead, and its error is the
  item's) and the download goes on from where it stopped; without one,
  :class:`~docfetch.errors.LinkExpiredError`.
* No credential reaches a storage host: signed URLs and every redirect hop are sent as bare
  requests with only docfetch's headers (see :mod:`docfetch.core.storage`); ``headers`` given for a
  URL go to its own origin only.
* Names from servers (``Content-Disposition``, URL path) or callers go through
  :func:`~docfetch.core.filenames.safe_filename`; a given name without a file extension is completed
  from the response (:func:`~docfetch.core.filenames.with_extension`).

Sources: a URL (``str`` / ``httpx.URL``), a callable returning a fresh URL (called first and on
expiry; a coroutine function in async code), an *opener* ``(headers) -> context manager yielding an
httpx.Response`` for provider endpoints that stream the file themselves with their authenticated
client (the engine passes ``Range``/``If-Range`` headers; see :func:`async_client_opener`), or an
already-open streamed ``httpx.Response`` (not resumable).

Storage requests go through an :class:`~docfetch.core._async.storage.AsyncStorage` (a caller's own
httpx client, or docfetch's: in sync code plain GETs take the direct path of :mod:`docfetch.core.direct`).

:func:`async_fetch` stops when the part file holds the verified file; :func:`async_run_transfer` then
fsyncs and renames it on a worker thread in async code (a slow fsync never stalls the other transfers on
the event loop). The pipeline instead hands verified part files to its committer
(:mod:`docfetch.core.commit`), which places them in groups sharing one sync.
"""

from __future__ import annotations

import inspect
import os
import time
from collections.abc import AsyncIterator
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from typing import cast

import httpx

from docfetch.core import logs
from docfetch.core._async.storage import AsyncStorage
from docfetch.core._async.storage import AsyncStorageResponse
from docfetch.core._backends.aio import checkpoint
from docfetch.core._backends.aio import run_blocking
from docfetch.core._backends.aio import sleep as backend_sleep
from docfetch.core.retry import DEFAULT_TIMEOUT
from docfetch.core.retry import DOWNLOAD_RETRY
from docfetch.core.retry import RetryPolicy
from docfetch.core.storage import LINK_REFUSED_STATUSES
from docfetch.core.storage import as_url
from docfetch.core.storage import next_hop
from docfetch.core.storage import redirect_headers
from docfetch.core.tls import OnDemandTrust
from docfetch.core.transfer import MAX_REDIRECTS
from docfetch.core.transfer import LinkRefused
from docfetch.core.transfer import RetryAfterFailure
from docfetch.core.transfer import Transfer
from docfetch.errors import DownloadError
from docfetch.errors import InvalidInputError
from docfetch.types import Checksum
from docfetch.types import ProgressCallback
from docfetch.types import SavedFile

__all__ = [
    "AsyncOpener",
    "AsyncUrlSource",
    "async_client_opener",
    "async_download_file",
    "async_fetch",
    "async_run_transfer",
]

AsyncOpener = Callable[[Mapping[str, str]], AbstractAsyncContextManager[httpx.Response]]
"""``opener(headers)`` opens a streamed response (body unread), sending ``headers`` (Range...)."""
AsyncUrlSource = str | httpx.URL | Callable[[], "str | httpx.URL | Awaitable[str | httpx.URL]"]


def async_client_opener(
    client: httpx.AsyncClient, url: str | httpx.URL, *, method: str = "GET", **kwargs: Any
) -> AsyncOpener:
    """An opener streaming ``method url`` through ``client`` (e.g. an authenticated provider client),
    without following redirects (the engine follows them credential-free)."""
    extra = dict(kwargs.pop("headers", {}) or {})

    def open_(headers: Mapping[str, str]) -> AbstractAsyncContextManager[httpx.Response]:
        return client.stream(method, url, headers={**extra, **headers}, follow_redirects=False, **kwargs)

    return open_


class AsyncSource:
    """Where the bytes come from, and how to get a fresh location after a refusal."""

    def __init__(
        self,
        url: AsyncUrlSource | None = None,
        *,
        opener: AsyncOpener | None = None,
        response: httpx.Response | None = None,
        refresh_url: Callable[[], str | httpx.URL] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.opener = opener
        self.response = response
        self.headers = dict(headers or {})
        self._factory: Callable[[], object] | None = url if callable(url) else refresh_url
        self._static = None if url is None or callable(url) else as_url(url)
        self._current: str | httpx.URL | None = None

    @property
    def can_refresh(self) -> bool:
        return self.opener is not None or self._factory is not None

    @property
    def refused(self) -> frozenset[int]:
        """Storage statuses that mean "ask the source for a fresh URL" (the source may name its own)."""
        found = getattr(self._factory, "refused_statuses", None)
        return found if isinstance(found, frozenset) else LINK_REFUSED_STATUSES

    async def url(self) -> str | httpx.URL:
        if self._current is None:
            if self._static is not None:
                self._current = self._static
            else:
                await self.refresh()
        assert self._current is not None
        return self._current

    async def refresh(self) -> None:
        if self._factory is None:
            return
        found = self._factory()
        if inspect.isawaitable(found):
            found = await found
        self._current = _as_url(found)

    def take_response(self) -> httpx.Response:
        if self.response is None:
            raise DownloadError("the response was already consumed and cannot be reopened to resume")
        response, self.response = self.response, None
        return response


def _as_url(found: object) -> str | httpx.URL:
    if inspect.isawaitable(found):  # only reachable from sync code: an async factory it cannot call
        if inspect.iscoroutine(found):
            found.close()  # never awaited: close it so no "never awaited" warning follows
        raise InvalidInputError("an async URL factory can only be used by the async download functions")
    if not isinstance(found, str | httpx.URL):
        raise DownloadError(f"URL factory returned {type(found).__name__}, not a URL")
    return as_url(found)


@asynccontextmanager
async def _follow(
    storage: AsyncStorage, url: str | httpx.URL, headers: Mapping[str, str]
) -> AsyncIterator[AsyncStorageResponse]:
    """GET ``url`` as a bare request and follow redirects; extra headers stop at the first origin."""
    first, current, hop_headers = url, url, dict(headers)
    for _ in range(MAX_REDIRECTS + 1):
        response = await storage.send(current, hop_headers)
        target = next_hop(response)
        if target is None:
            try:
                yield response
            finally:
                await response.aclose()
            return
        await response.aclose()
        hop_headers = redirect_headers(hop_headers, first, target)
        current = target
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects", url=str(url))


@asynccontextmanager
async def _open(
    storage: AsyncStorage, source: AsyncSource, headers: Mapping[str, str]
) -> AsyncIterator[tuple[AsyncStorageResponse, bool]]:
    """The response for one attempt and whether it came from a signed/storage URL."""
    if source.response is not None:
        response = source.take_response()
        try:
            yield response, False
        finally:
            await response.aclose()
        return
    if source.opener is None:
        async with _follow(storage, await source.url(), {**source.headers, **headers}) as followed:
            yield followed, True
        return
    async with source.opener(headers) as response:
        target = next_hop(response)
        if target is None:
            yield response, False
            return
    async with _follow(storage, target, headers) as followed:  # the opener's credentials never follow
        yield followed, True


async def _body(response: AsyncStorageResponse) -> AsyncIterator[bytes]:
    """The raw body; already in memory when someone read it first (a small JSON a provider checked)."""
    if response.is_stream_consumed:
        yield response.content
        return
    async for data in response.aiter_raw():
        yield data


async def async_fetch(
    storage: AsyncStorage,
    source: AsyncSource,
    transfer: Transfer,
    sleep: Callable[[float], Awaitable[None]] = backend_sleep,
) -> None:
    """Drive ``transfer`` until its part file holds the whole, verified file, ready to be placed (or
    raise, leaving nothing behind)."""
    with transfer.cleaned_up():
        while True:
            headers = transfer.request_headers()
            started = time.perf_counter()
            try:
                async with _open(storage, source, headers) as (response, from_storage):
                    logs.download_response(
                        transfer.file_id,
                        response,
                        storage=from_storage,
                        offset=transfer.written,
                        seconds=time.perf_counter() - started,
                        attempt=transfer.requests,
                    )
                    if response.status_code >= 300:
                        await response.aread()
                    if transfer.begin(response, storage=from_storage, refused=source.refused):
                        async for data in _body(response):
                            checkpoint()
                            transfer.write(data)
                        transfer.end_of_body()
                await run_blocking(transfer.verify, response)
                return
            except httpx.TransportError as exc:
                delay = transfer.after_failure(exc, None)
            except RetryAfterFailure as failure:
                delay = transfer.after_failure(failure.error, failure.delay)
            except LinkRefused as refused:
                transfer.after_refusal(refused, source.can_refresh)
                await source.refresh()
                delay = 0.0
            if delay > 0:
                await sleep(delay)


async def async_run_transfer(
    storage: AsyncStorage,
    source: AsyncSource,
    transfer: Transfer,
    sleep: Callable[[float], Awaitable[None]] = backend_sleep,
) -> SavedFile:
    """Drive ``transfer`` to a verified file in place (or raise, leaving nothing behind)."""
    await async_fetch(storage, source, transfer, sleep)
    with transfer.cleaned_up():
        return await run_blocking(transfer.place)


def prepare_dir(dest_dir: str | os.PathLike[str]) -> Path:
    path = Path(dest_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create destination directory {path}: {exc}", path=path) from exc
    if not path.is_dir():
        raise DownloadError(f"{path} is not a directory", path=path)
    return path


async def async_download_file(
    client: httpx.AsyncClient | None,
    source: AsyncUrlSource | AsyncOpener | httpx.Response,
    dest_dir: str | os.PathLike[str],
    name: str | None = None,
    *,
    opener: bool = False,
    file_id: str | None = None,
    expected_size: int | None = None,
    checksum: Checksum | None = None,
    headers: Mapping[str, str] | None = None,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    refresh_url: Callable[[], str | httpx.URL] | None = None,
    policy: RetryPolicy = DOWNLOAD_RETRY,
    sleep: Callable[[float], Awaitable[None]] = backend_sleep,
) -> SavedFile:
    """Download one file into ``dest_dir`` and return the verified :class:`~docfetch.types.SavedFile`.

    ``client`` sends storage requests (bare, credential-free; None: a temporary storage client).
    ``source`` is a URL, a callable returning a fresh URL, an opener (set ``opener=True``) or an open
    streamed ``httpx.Response``. ``name`` (sanitised) defaults to the server's Content-Disposition,
    then the URL's last segment, then ``file_id`` or ``"download"``. Raises
    :class:`~docfetch.errors.DocfetchError` subclasses.
    """
    dest = prepare_dir(dest_dir)
    if isinstance(source, httpx.Response):
        src = AsyncSource(response=source)
    elif opener:
        src = AsyncSource(opener=cast(AsyncOpener, source))
    else:
        src = AsyncSource(cast(AsyncUrlSource, source), refresh_url=refresh_url, headers=headers)
    transfer = Transfer(
        dest_dir=dest,
        name=name,
        fallback_name=file_id or "download",
        file_id=file_id or name or "download",
        expected_size=expected_size,
        checksum=checksum,
        overwrite=overwrite,
        progress=progress,
        policy=policy.with_(max_attempts=1) if src.response is not None else policy,
        names=None,
    )
    storage = (
        AsyncStorage.through(client)
        if client is not None
        else AsyncStorage.own(DEFAULT_TIMEOUT, OnDemandTrust())
    )
    try:
        saved = await async_run_transfer(storage, src, transfer, sleep)
    except Exception as exc:
        logs.failed(transfer.file_id, exc)
        raise
    finally:
        if client is None:
            await storage.aclose()
    logs.saved(transfer.file_id, saved.path, saved.bytes, saved.sha256)
    return saved
