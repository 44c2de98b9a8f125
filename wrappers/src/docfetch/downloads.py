"""The download engine: one file (:func:`download_file`) or many (:func:`download_many`), sync and async.

Guarantees, whatever happens on the wire:

* The body streams (constant memory: network reads of up to 1 MiB are gathered into 1 MiB blocks,
  written and hashed by a pipeline, see :mod:`docfetch.partfile`; nothing received is dropped, so
  a lost connection loses no bytes) into ``.<name>.<random>.docfetch-part`` beside the
  destination, created exclusively. Only after the byte count matches
  ``Content-Length`` / ``Content-Range`` and ``expected_size``, and the checksum (md5 or sha256)
  matches, is it fsynced and moved into place atomically; an existing file is never replaced
  unless ``overwrite=True``. On any failure the part file is removed: a destination either holds a
  byte-identical file or nothing.
* A dropped connection or short body is resumed with ``Range`` (``If-Range`` on a strong ETag or
  Last-Modified); a server that ignores the range (200) or answers it incoherently restarts from
  byte 0. Retries follow a :class:`~docfetch.retry.RetryPolicy` (default :data:`DOWNLOAD_RETRY`);
  an attempt that stored new bytes resets the failure count.
* A signed URL refused with 401/403/410 (or 400 mentioning expiry) is treated as expired: a fresh
  URL is asked from the callable source / ``refresh_url`` (up to 3 times) and the download goes
  on from where it stopped; without one, :class:`~docfetch.errors.LinkExpiredError`.
* No credential reaches a storage host: signed URLs and every redirect hop are sent as bare
  requests with only docfetch's headers (see :mod:`docfetch.storage`); ``headers`` given for a
  URL go to its own origin only.
* Names from servers (``Content-Disposition``, URL path) or callers go through
  :func:`~docfetch.filenames.safe_filename`; names in one batch are made unique (``a (1).pdf``).

Sources: a URL (``str`` / ``httpx.URL``), a callable returning a fresh URL (called first and on
expiry), an *opener* ``(headers) -> context manager yielding an httpx.Response`` for provider
endpoints that stream the file themselves with their authenticated client (the engine passes
``Range``/``If-Range`` headers; see :func:`client_opener`), or an already-open streamed
``httpx.Response`` (not resumable).

The async twins hand blocks to the same pipeline from the event loop; small files (one block) are
written from the loop itself at the end, with the fsync and rename on a worker thread.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
import time
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Mapping,
    Sequence,
)
from concurrent.futures import ThreadPoolExecutor
from contextlib import (
    AbstractAsyncContextManager,
    AbstractContextManager,
    asynccontextmanager,
    contextmanager,
)
from pathlib import Path
from typing import Any, cast

import httpx

from docfetch._transfer import (
    DOWNLOAD_RETRY,
    MAX_REDIRECTS,
    LinkRefused,
    NameRegistry,
    RetryAfterFailure,
    Transfer,
    as_download_error,
)
from docfetch.download_types import (
    Checksum,
    DownloadItem,
    FileResult,
    ProgressCallback,
    SavedFile,
    Verifier,
)
from docfetch.errors import DocfetchError, DownloadError, InvalidInputError
from docfetch.retry import RetryPolicy
from docfetch.storage import async_storage_client, bare_request, redirect_headers, storage_client

__all__ = [
    "DOWNLOAD_RETRY",
    "AsyncOpener",
    "AsyncUrlFactory",
    "Checksum",
    "DownloadItem",
    "FileResult",
    "Opener",
    "ProgressCallback",
    "SavedFile",
    "Verifier",
    "async_client_opener",
    "async_download_file",
    "async_download_many",
    "client_opener",
    "download_file",
    "download_many",
]

Opener = Callable[[Mapping[str, str]], AbstractContextManager[httpx.Response]]
"""``opener(headers)`` opens a streamed response (body unread), sending ``headers`` (Range...)."""
AsyncOpener = Callable[[Mapping[str, str]], AbstractAsyncContextManager[httpx.Response]]
UrlSource = str | httpx.URL | Callable[[], "str | httpx.URL"]
AsyncUrlFactory = Callable[[], Awaitable["str | httpx.URL"]]
"""A coroutine function returning a fresh URL (async batches only: the refresh is itself an API call)."""
_ERROR_BODY_LIMIT = 64 * 1024


def client_opener(
    client: httpx.Client, url: str | httpx.URL, *, method: str = "GET", **kwargs: Any
) -> Opener:
    """An :data:`Opener` streaming ``method url`` through ``client`` (e.g. an authenticated provider
    client), without following redirects (the engine follows them credential-free)."""
    extra = dict(kwargs.pop("headers", {}) or {})

    def open_(headers: Mapping[str, str]) -> AbstractContextManager[httpx.Response]:
        return client.stream(method, url, headers={**extra, **headers}, follow_redirects=False, **kwargs)

    return open_


def async_client_opener(
    client: httpx.AsyncClient, url: str | httpx.URL, *, method: str = "GET", **kwargs: Any
) -> AsyncOpener:
    """Async twin of :func:`client_opener`."""
    extra = dict(kwargs.pop("headers", {}) or {})

    def open_(headers: Mapping[str, str]) -> AbstractAsyncContextManager[httpx.Response]:
        return client.stream(method, url, headers={**extra, **headers}, follow_redirects=False, **kwargs)

    return open_


# --- sources -----------------------------------------------------------------------------------


class _Source:
    """Where the bytes come from, and how to get a fresh location after a refusal."""

    def __init__(
        self,
        url: UrlSource | AsyncUrlFactory | None = None,
        *,
        opener: Opener | AsyncOpener | None = None,
        response: httpx.Response | None = None,
        refresh_url: Callable[[], str | httpx.URL] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.opener = opener
        self.response = response
        self.headers = dict(headers or {})
        self._factory: Callable[[], object] | None = url if callable(url) else refresh_url
        self._static = None if url is None or callable(url) else httpx.URL(url)
        self._current: httpx.URL | None = None

    @property
    def can_refresh(self) -> bool:
        return self.opener is not None or self._factory is not None

    def url(self) -> httpx.URL:
        if self._current is None:
            if self._static is not None:
                self._current = self._static
            else:
                assert self._factory is not None
                self._current = _as_url(self._factory())
        return self._current

    def refresh(self) -> None:
        if self._factory is not None:
            self._current = _as_url(self._factory())

    async def aurl(self) -> httpx.URL:
        """:meth:`url` for async drivers: the factory may be a coroutine function."""
        if self._current is None and self._static is None and self._factory is not None:
            self._current = _as_url(await _resolved(self._factory()))
        return self.url()

    async def arefresh(self) -> None:
        if self._factory is not None:
            self._current = _as_url(await _resolved(self._factory()))

    def take_response(self) -> httpx.Response:
        if self.response is None:
            raise DownloadError("the response was already consumed and cannot be reopened to resume")
        response, self.response = self.response, None
        return response


async def _resolved(found: object) -> object:
    return await found if inspect.isawaitable(found) else found


def _as_url(found: object) -> httpx.URL:
    if inspect.isawaitable(found):
        if inspect.iscoroutine(found):
            found.close()  # never awaited: close it so no "never awaited" warning follows
        raise InvalidInputError("an async URL factory can only be used by the async download functions")
    if not isinstance(found, str | httpx.URL):
        raise DownloadError(f"URL factory returned {type(found).__name__}, not a URL")
    return httpx.URL(found)


def _next_hop(response: httpx.Response) -> httpx.URL | None:
    if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
        return response.url.join(response.headers["location"])
    return None


def _source_for(
    source: UrlSource | Opener | AsyncOpener | httpx.Response,
    *,
    opener: bool,
    refresh_url: Callable[[], str | httpx.URL] | None,
    headers: Mapping[str, str] | None,
) -> _Source:
    if isinstance(source, httpx.Response):
        return _Source(response=source)
    if opener:
        return _Source(opener=cast("Opener | AsyncOpener", source))
    return _Source(cast(UrlSource, source), refresh_url=refresh_url, headers=headers)


def _prepare_dir(dest_dir: str | os.PathLike[str]) -> Path:
    path = Path(dest_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create destination directory {path}: {exc}", path=path) from exc
    if not path.is_dir():
        raise DownloadError(f"{path} is not a directory", path=path)
    return path


# --- sync driver -------------------------------------------------------------------------------


@contextmanager
def _follow(client: httpx.Client, url: httpx.URL, headers: Mapping[str, str]) -> Iterator[httpx.Response]:
    """GET ``url`` as a bare request and follow redirects; extra headers stop at the first origin."""
    first, current, hop_headers = url, url, dict(headers)
    for _ in range(MAX_REDIRECTS + 1):
        response = client.send(
            bare_request(client, current, hop_headers), stream=True, auth=None, follow_redirects=False
        )
        target = _next_hop(response)
        if target is None:
            try:
                yield response
            finally:
                response.close()
            return
        response.close()
        hop_headers = redirect_headers(hop_headers, first, target)
        current = target
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects", url=str(url))


@contextmanager
def _open(
    client: httpx.Client, source: _Source, headers: Mapping[str, str]
) -> Iterator[tuple[httpx.Response, bool]]:
    """The response for one attempt and whether it came from a signed/storage URL."""
    if source.response is not None or source.opener is None:
        if source.response is not None:
            response = source.take_response()
            try:
                yield response, False
            finally:
                response.close()
            return
        with _follow(client, source.url(), {**source.headers, **headers}) as response:
            yield response, True
        return
    opener = cast(Opener, source.opener)
    with opener(headers) as response:
        target = _next_hop(response)
        if target is None:
            yield response, False
            return
    with _follow(client, target, headers) as response:  # credentials of the opener never follow
        yield response, True


def _run(
    client: httpx.Client, source: _Source, transfer: Transfer, sleep: Callable[[float], None]
) -> SavedFile:
    try:
        while True:
            headers = transfer.request_headers()
            try:
                with _open(client, source, headers) as (response, storage):
                    if response.status_code >= 300:
                        response.read()
                    if transfer.begin(response, storage=storage):
                        for data in response.iter_raw():
                            transfer.write(data)
                        transfer.end_of_body()
                return transfer.finish(response)
            except httpx.TransportError as exc:
                delay = transfer.after_failure(exc, None)
            except RetryAfterFailure as failure:
                delay = transfer.after_failure(failure.error, failure.delay)
            except LinkRefused as refused:
                transfer.after_refusal(refused, source.can_refresh)
                source.refresh()
                delay = 0.0
            if delay > 0:
                sleep(delay)
    except OSError as exc:
        transfer.discard()
        raise as_download_error(exc, transfer) from exc
    except BaseException:
        transfer.discard()
        raise


def download_file(
    client: httpx.Client | None,
    source: UrlSource | Opener | httpx.Response,
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
    sleep: Callable[[float], None] = time.sleep,
) -> SavedFile:
    """Download one file into ``dest_dir`` and return the verified :class:`SavedFile`.

    ``client`` sends storage requests (bare, credential-free; None: a temporary
    :func:`~docfetch.storage.storage_client`). ``source`` is a URL, a callable returning a fresh
    URL, an :data:`Opener` (set ``opener=True``) or an open streamed ``httpx.Response``.
    ``name`` (sanitised) defaults to the server's Content-Disposition, then the URL's last segment,
    then ``file_id`` or ``"download"``. Raises :class:`~docfetch.errors.DocfetchError` subclasses:
    DownloadError family, APIStatusError family, TransportError family.
    """
    dest = _prepare_dir(dest_dir)
    src = _source_for(source, opener=opener, refresh_url=refresh_url, headers=headers)
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
    if client is not None:
        return _run(client, src, transfer, sleep)
    with storage_client() as own:
        return _run(own, src, transfer, sleep)


def _item_transfer(
    item: DownloadItem,
    dest: Path,
    names: NameRegistry,
    overwrite: bool,
    progress: ProgressCallback | None,
    policy: RetryPolicy,
    cancel: threading.Event | None,
) -> Transfer:
    return Transfer(
        dest_dir=dest,
        name=item.name,
        fallback_name=item.id,
        file_id=item.id,
        expected_size=item.expected_size,
        checksum=item.checksum,
        overwrite=overwrite,
        progress=progress,
        policy=policy,
        names=names,
        cancel=cancel,
        verify=item.verify,
    )


def _item_source(item: DownloadItem) -> _Source:
    if item.open is not None:
        return _Source(opener=item.open)
    return _Source(item.url, headers=item.headers)


def _as_docfetch_error(exc: Exception) -> DocfetchError:
    if isinstance(exc, DocfetchError):
        return exc
    error = DownloadError(f"unexpected {type(exc).__name__}: {exc}")
    error.__cause__ = exc
    return error


def _prepare_batch(
    items: Sequence[DownloadItem],
    dest: Path,
    overwrite: bool,
    progress: ProgressCallback | None,
    policy: RetryPolicy,
    cancel: threading.Event | None,
) -> list[Transfer | FileResult]:
    """Transfers in item order (so given names are made unique deterministically), or early errors."""
    names = NameRegistry()
    prepared: list[Transfer | FileResult] = []
    for item in items:
        try:
            prepared.append(_item_transfer(item, dest, names, overwrite, progress, policy, cancel))
        except DocfetchError as exc:
            prepared.append(FileResult(item.id, error=exc))
    return prepared


def download_many(
    items: Sequence[DownloadItem],
    dest_dir: str | os.PathLike[str],
    *,
    client: httpx.Client | None = None,
    concurrency: int = 4,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    policy: RetryPolicy = DOWNLOAD_RETRY,
    sleep: Callable[[float], None] = time.sleep,
) -> list[FileResult]:
    """Download ``items`` with at most ``concurrency`` at once; one :class:`FileResult` per item,
    in item order. A failure never stops or loses the others. Ctrl-C cancels the running files
    (their part files are removed) and re-raises."""
    if concurrency < 1:
        raise InvalidInputError("concurrency must be >= 1")
    dest = _prepare_dir(dest_dir)
    cancel = threading.Event()
    prepared = _prepare_batch(items, dest, overwrite, progress, policy, cancel)
    own = client is None
    http = client or storage_client(limits=httpx.Limits(max_connections=max(concurrency, 4)))

    def one(item: DownloadItem, transfer: Transfer) -> FileResult:
        try:
            return FileResult.saved(item.id, _run(http, _item_source(item), transfer, sleep))
        except Exception as exc:
            return FileResult(item.id, error=_as_docfetch_error(exc))

    try:
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="docfetch-dl") as pool:
            futures = [
                entry if isinstance(entry, FileResult) else pool.submit(one, item, entry)
                for item, entry in zip(items, prepared, strict=True)
            ]
            try:
                return [f if isinstance(f, FileResult) else f.result() for f in futures]
            except BaseException:
                cancel.set()
                for f in futures:
                    if not isinstance(f, FileResult):
                        f.cancel()
                raise
    finally:
        if own:
            http.close()


# --- async driver ------------------------------------------------------------------------------


@asynccontextmanager
async def _afollow(
    client: httpx.AsyncClient, url: httpx.URL, headers: Mapping[str, str]
) -> AsyncIterator[httpx.Response]:
    first, current, hop_headers = url, url, dict(headers)
    for _ in range(MAX_REDIRECTS + 1):
        request = bare_request(client, current, hop_headers)
        response = await client.send(request, stream=True, auth=None, follow_redirects=False)
        target = _next_hop(response)
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
async def _aopen(
    client: httpx.AsyncClient, source: _Source, headers: Mapping[str, str]
) -> AsyncIterator[tuple[httpx.Response, bool]]:
    if source.response is not None or source.opener is None:
        if source.response is not None:
            response = source.take_response()
            try:
                yield response, False
            finally:
                await response.aclose()
            return
        async with _afollow(client, await source.aurl(), {**source.headers, **headers}) as response:
            yield response, True
        return
    opener = cast(AsyncOpener, source.opener)
    async with opener(headers) as response:
        target = _next_hop(response)
        if target is None:
            yield response, False
            return
    async with _afollow(client, target, headers) as response:
        yield response, True


async def _afinish(transfer: Transfer, response: httpx.Response) -> SavedFile:
    """Verify, fsync and rename on a worker thread: an fsync blocks for milliseconds, and on the event
    loop every other transfer of a batch would wait for it. If the task is cancelled meanwhile, the
    thread is still let finish (a verified file stays in place) so it never races ``discard``."""
    finishing = asyncio.ensure_future(asyncio.to_thread(transfer.finish, response))
    try:
        return await asyncio.shield(finishing)
    except asyncio.CancelledError:
        await asyncio.wait({finishing})
        raise


async def _arun(
    client: httpx.AsyncClient,
    source: _Source,
    transfer: Transfer,
    sleep: Callable[[float], Awaitable[None]],
) -> SavedFile:
    try:
        while True:
            headers = transfer.request_headers()
            try:
                async with _aopen(client, source, headers) as (response, storage):
                    if response.status_code >= 300:
                        await response.aread()
                    if transfer.begin(response, storage=storage):
                        async for data in response.aiter_raw():
                            transfer.write(data)
                        transfer.end_of_body()
                return await _afinish(transfer, response)
            except httpx.TransportError as exc:
                delay = transfer.after_failure(exc, None)
            except RetryAfterFailure as failure:
                delay = transfer.after_failure(failure.error, failure.delay)
            except LinkRefused as refused:
                transfer.after_refusal(refused, source.can_refresh)
                await source.arefresh()
                delay = 0.0
            if delay > 0:
                await sleep(delay)
    except OSError as exc:
        transfer.discard()
        raise as_download_error(exc, transfer) from exc
    except BaseException:
        transfer.discard()
        raise


async def async_download_file(
    client: httpx.AsyncClient | None,
    source: UrlSource | AsyncOpener | httpx.Response,
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
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> SavedFile:
    """Async twin of :func:`download_file` (URL factories and ``refresh_url`` stay synchronous)."""
    dest = _prepare_dir(dest_dir)
    src = _source_for(source, opener=opener, refresh_url=refresh_url, headers=headers)
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
    if client is not None:
        return await _arun(client, src, transfer, sleep)
    async with async_storage_client() as own:
        return await _arun(own, src, transfer, sleep)


async def async_download_many(
    items: Sequence[DownloadItem],
    dest_dir: str | os.PathLike[str],
    *,
    client: httpx.AsyncClient | None = None,
    concurrency: int = 4,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    policy: RetryPolicy = DOWNLOAD_RETRY,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> list[FileResult]:
    """Async twin of :func:`download_many`; cancelling it cancels every file (part files removed)."""
    if concurrency < 1:
        raise InvalidInputError("concurrency must be >= 1")
    dest = _prepare_dir(dest_dir)
    prepared = _prepare_batch(items, dest, overwrite, progress, policy, None)
    gate = asyncio.Semaphore(concurrency)
    own = client is None
    http = client or async_storage_client(limits=httpx.Limits(max_connections=max(concurrency, 4)))

    async def one(item: DownloadItem, entry: Transfer | FileResult) -> FileResult:
        if isinstance(entry, FileResult):
            return entry
        async with gate:
            try:
                return FileResult.saved(item.id, await _arun(http, _item_source(item), entry, sleep))
            except Exception as exc:
                return FileResult(item.id, error=_as_docfetch_error(exc))

    try:
        return list(await asyncio.gather(*(one(i, e) for i, e in zip(items, prepared, strict=True))))
    finally:
        if own:
            await http.aclose()
