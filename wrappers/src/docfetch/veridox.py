"""Veridox Files: signed download URLs for any number of file ids, paced to the API's rate limit,
and verified downloads whose links are renewed when they expire.

``VeridoxClient`` / ``AsyncVeridoxClient`` (same method names, awaited in the async twin) send the
organisation key in ``x-api-key`` and call the generated endpoints' public ``request_kwargs`` /
``build_response``. Statuses are mapped to the core's typed errors before a body is parsed, with
Veridox's ``{error_code, error_message}`` as ``code`` / ``message``.

``POST /files/download`` signs at most 25 ids per request and allows 20 requests a minute per key:

* ids are checked against the spec's UUIDv7 pattern before any request, repeated ids (in any
  letter case) are asked for once and reported once, and the rest go out in batches of 25;
* every such request (retries included) takes a token from one :class:`~docfetch.ratelimit.TokenBucket`
  per API key and API host, shared by every sync and async client of the process, threads and tasks
  alike (an attempt that never reached the server, e.g. connection refused, gives its token back);
  a 429 drains the bucket for its ``Retry-After``, so nobody sends again before it ends;
* ids Veridox answers with a per-file ``error`` become :class:`VeridoxFileError` subclasses carrying
  Veridox's string, one per id, while the others get their links.

Downloads go through :mod:`docfetch.downloads` (credential-free storage requests, temp file, size
check, atomic rename) with each file's label as its name (sanitised there: a hostile label never
escapes ``dest_dir``). Each file's URL is a factory: the first call returns the URL already signed,
later ones (after storage refused an expired link) sign that id again, and the download resumes.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from docfetch_veridox_client.models import (
    AnalysisOutcome,
    AnalysisStatus,
    ApiError,
    ApiErrorDetails,
    AssetType,
    AssetUrl,
    DownloadFilesRequest,
    DownloadFilesResponse,
    FileDownloadError,
    FileDownloadLink,
    FileList,
    FileSortBy,
    FileSummary,
    SortOrder,
)
from docfetch_veridox_client.types import UNSET

from docfetch._lazy import lazy_module
from docfetch._provider import (
    ApiSettings,
    AsyncClientBase,
    ClientCore,
    Link,
    SyncClientBase,
    as_timeout,
    check_base_url,
    check_dest_dir,
    setting,
)
from docfetch._provider import check_ids as check_id_list
from docfetch.download_types import DownloadItem, FileResult, ProgressCallback
from docfetch.errors import (
    AuthenticationError,
    DocfetchError,
    ErrorDetails,
    InvalidInputError,
    PermissionDeniedError,
    ResponseLike,
    ResponseValidationError,
    parse_error_body,
)
from docfetch.filenames import first_name
from docfetch.ratelimit import TokenBucket
from docfetch.retry import (
    RetryPolicy,
    async_call_with_retries,
    call_with_retries,
    never_sent,
    parse_retry_after,
)

if TYPE_CHECKING:  # imported on first use (see docfetch._lazy)
    import httpx
    from docfetch_veridox_client.api.files import download_files, get_asset_url, list_files
else:
    httpx = lazy_module("httpx")
    download_files = lazy_module("docfetch_veridox_client.api.files.download_files")
    get_asset_url = lazy_module("docfetch_veridox_client.api.files.get_asset_url")
    list_files = lazy_module("docfetch_veridox_client.api.files.list_files")

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

PROVIDER = "veridox"
API_KEY_ENV = "VERIDOX_API_KEY"
BASE_URL_ENV = "VERIDOX_BASE_URL"
DEFAULT_BASE_URL = "https://api.uk.veridox.ai"
MAX_IDS_PER_REQUEST = 25  # DownloadFilesRequest.file_ids maxItems
REQUESTS_PER_MINUTE = 20  # POST /files/download, per API key
MAX_PAGE_SIZE = 100  # GET /files limit maximum
# The spec's patterns, verbatim: file_ids items of POST /files/download, and file_id of GET /files/asset-url.
FILE_ID_PATTERN = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12})$"
)
ASSET_FILE_ID_PATTERN = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"
    r"|00000000-0000-0000-0000-000000000000|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$"
)
_ANY_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EXAMPLE_ID = "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f"


# --- per-file errors ---------------------------------------------------------------------------


class VeridoxFileError(DocfetchError):
    """Veridox issued no download URL for one file; ``reason`` is Veridox's own per-file string."""

    def __init__(self, file_id: str, reason: str) -> None:
        super().__init__(f"no download URL: {reason}")
        self.file_id = file_id
        self.reason = reason


class VeridoxFileNotFoundError(VeridoxFileError):
    """The id is unknown or the file was deleted (e.g. "File not found")."""


class VeridoxFileAccessError(VeridoxFileError):
    """The file exists but the key's organisation does not own it."""


class VeridoxFileNotUploadedError(VeridoxFileError):
    """The file is still waiting for its upload: there is nothing to download yet."""


# Veridox does not document its per-file strings: words that identify the known cases (else the base class).
_REASON_CLASSES: tuple[tuple[tuple[str, ...], type[VeridoxFileError]], ...] = (
    (("not found", "does not exist", "deleted"), VeridoxFileNotFoundError),
    (("upload",), VeridoxFileNotUploadedError),
    (("owned", "access", "permission", "forbidden", "denied"), VeridoxFileAccessError),
)


def file_error(file_id: str, reason: str) -> VeridoxFileError:
    """The typed error for one entry of the response's ``errors`` list."""
    text = reason.casefold()
    for words, cls in _REASON_CLASSES:
        if any(word in text for word in words):
            return cls(file_id, reason)
    return VeridoxFileError(file_id, reason)


def parse_veridox_error(response: ResponseLike) -> ErrorDetails:
    """Veridox's error body ``{error_code, error_message, error_details?}`` as code / message (never raises)."""
    details = parse_error_body(response)  # error_code, request id headers, non-JSON bodies
    try:
        data = json.loads(response.content or b"null")
    except Exception:  # unreadable or not JSON: what the default parser found is all there is
        return details
    message = data.get("error_message") if isinstance(data, dict) else None
    if isinstance(message, str) and message.strip():
        return attrs.evolve(details, message=message.strip())
    return details


# --- the shared rate limit ---------------------------------------------------------------------

_limiters: dict[str, TokenBucket] = {}
_limiters_lock = threading.Lock()


def shared_rate_limiter(api_key: str, base_url: str) -> TokenBucket:
    """The process-wide bucket for ``POST /files/download`` with ``api_key`` on ``base_url``:
    20 requests a minute, one at a time, shared by every sync and async client using that key."""
    slot = hashlib.sha256(f"{base_url.rstrip('/')}\n{api_key}".encode()).hexdigest()  # no key kept in clear
    with _limiters_lock:
        bucket = _limiters.get(slot)
        if bucket is None:
            bucket = _limiters[slot] = TokenBucket.per_minute(REQUESTS_PER_MINUTE)
        return bucket


def _rate_limited_wait(response: httpx.Response, refusals: int, policy: RetryPolicy) -> float | None:
    """After a 429: seconds to drain the bucket before trying again, or None to give up (and raise)."""
    if response.status_code != 429 or refusals + 1 >= policy.max_attempts:
        return None
    wait = parse_retry_after(response.headers.get("retry-after"))
    if wait is None:
        wait = policy.backoff(refusals + 1)
    return None if wait > policy.retry_after_cap else wait


# --- ids ---------------------------------------------------------------------------------------


def _bad_id(item: str) -> InvalidInputError:
    why = ""
    if _ANY_UUID.fullmatch(item):
        why = (
            f" ({item!r} is a version-{item[14]} UUID)"
            if item[14] != "7"
            else f" (its variant digit {item[19]!r} must be 8, 9, a or b)"
        )
    return InvalidInputError(f"invalid file id {item!r}: Veridox file ids are UUIDv7 like {_EXAMPLE_ID}{why}")


def _check_ids(ids: Sequence[str]) -> list[str]:
    checked = check_id_list(ids, what="file id")
    for item in checked:
        if not FILE_ID_PATTERN.fullmatch(item):
            raise _bad_id(item)
    return checked


def _distinct(ids: Sequence[str]) -> dict[str, str]:
    """Canonical (lower-case) id -> the id as first given, in order: one request and one answer per file."""
    distinct: dict[str, str] = {}
    for item in ids:
        distinct.setdefault(item.lower(), item)
    return distinct


def _request_body(file_ids: Sequence[str]) -> DownloadFilesRequest:
    checked = _check_ids(file_ids)
    if len(checked) > MAX_IDS_PER_REQUEST:
        raise InvalidInputError(
            f"at most {MAX_IDS_PER_REQUEST} file ids per request, got {len(checked)} (signed_urls() batches any number)"
        )
    return DownloadFilesRequest(file_ids=checked)


def _asset_query(file_id: str, asset: AssetType | str) -> dict[str, Any]:
    if not isinstance(file_id, str) or not ASSET_FILE_ID_PATTERN.fullmatch(file_id):
        raise InvalidInputError(f"invalid file id {file_id!r}: expected a UUID like {_EXAMPLE_ID}")
    return get_asset_url.request_kwargs(file_id=file_id, asset=_enum(AssetType, asset, "asset"))


E = TypeVar("E", AssetType, FileSortBy, SortOrder)


def _enum(cls: type[E], value: E | str, what: str) -> E:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(member.value for member in cls)
        raise InvalidInputError(f"invalid {what} {value!r}; allowed: {allowed}") from None


def _list_query(
    limit: int | None,
    offset: int | None,
    sort_by: FileSortBy | str | None,
    sort_order: SortOrder | str | None,
) -> dict[str, Any]:
    if limit is not None and not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInputError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset is not None and offset < 0:
        raise InvalidInputError(f"offset must be >= 0, got {offset}")
    return list_files.request_kwargs(
        limit=UNSET if limit is None else limit,
        offset=UNSET if offset is None else offset,
        sort_by=UNSET if sort_by is None else _enum(FileSortBy, sort_by, "sort_by"),
        sort_order=UNSET if sort_order is None else _enum(SortOrder, sort_order, "sort_order"),
    )


def _check_concurrency(concurrency: int) -> None:
    if concurrency < 1:
        raise InvalidInputError("concurrency must be >= 1")


# --- answers -----------------------------------------------------------------------------------


@attrs.frozen
class SignedUrl:
    """The answer for one distinct file id: its signed ``link``, or the ``error`` that replaced it."""

    id: str  # as the caller gave it
    link: FileDownloadLink | None = None
    error: DocfetchError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_link(self) -> Link:
        """The uniform :class:`Link`; ``name`` is the label made safe as a file name."""
        if self.link is None:
            raise ValueError(f"{self.id}: no link ({self.error})")
        label = self.link.label if isinstance(self.link.label, str) else None
        name = first_name([label], fallback=self.id)
        expires_at = self.link.expires_at if isinstance(self.link.expires_at, datetime) else None
        return Link(self.id, name, self.link.download_url, expires_at)


class _Signing:
    """Collects the answers of one call, batch by batch, in the order of the distinct ids.

    ``isolate``: a failed request becomes the error of each id it carried (downloads) instead of
    raising (links). After a refused credential the remaining batches are not sent at all.
    """

    def __init__(self, ids: Sequence[str], *, isolate: bool) -> None:
        self.distinct = _distinct(ids)
        self.isolate = isolate
        self.outcomes: list[SignedUrl] = []
        self._refused: DocfetchError | None = None

    def batches(self) -> Iterator[list[str]]:
        """The canonical ids still to sign, at most 25 at a time."""
        canonical = list(self.distinct)
        for start in range(0, len(canonical), MAX_IDS_PER_REQUEST):
            batch = canonical[start : start + MAX_IDS_PER_REQUEST]
            if self._refused is None:
                yield batch
            else:
                self._fail(batch, self._refused)

    def answered(self, batch: list[str], response: DownloadFilesResponse) -> None:
        links = {str(link.file_id): link for link in response.files}
        errors = {
            str(error.file_id): error.error if isinstance(error.error, str) else "no reason given"
            for error in response.errors or []
        }
        for canonical in batch:
            given = self.distinct[canonical]
            if canonical in links:
                self.outcomes.append(SignedUrl(given, link=links[canonical]))
            elif canonical in errors:
                self.outcomes.append(SignedUrl(given, error=file_error(given, errors[canonical])))
            else:
                missing = ResponseValidationError(
                    f"veridox: the answer has neither a URL nor an error for {given}"
                )
                self.outcomes.append(SignedUrl(given, error=missing))

    def failed(self, batch: list[str], error: DocfetchError) -> None:
        """A request failed: raise it, or record it for each of its ids."""
        if not self.isolate or isinstance(error, InvalidInputError):
            raise error
        if isinstance(error, AuthenticationError | PermissionDeniedError):
            self._refused = error
        self._fail(batch, error)

    def _fail(self, batch: list[str], error: DocfetchError) -> None:
        self.outcomes.extend(SignedUrl(self.distinct[canonical], error=error) for canonical in batch)


def _single_url(outcomes: list[SignedUrl]) -> str:
    (outcome,) = outcomes
    if outcome.error is not None:
        raise outcome.error
    assert outcome.link is not None
    return outcome.link.download_url


def _item(outcome: SignedUrl, url: Callable[[], str] | Callable[[], Awaitable[str]]) -> DownloadItem:
    assert outcome.link is not None
    label = outcome.link.label
    return DownloadItem(outcome.id, url=url, name=label if isinstance(label, str) else None)


def _merge(outcomes: list[SignedUrl], results: list[FileResult]) -> list[FileResult]:
    """Download results back in id order, with the ids that got no URL in their place."""
    done = iter(results)
    return [
        next(done) if outcome.link is not None else FileResult(outcome.id, error=outcome.error)
        for outcome in outcomes
    ]


# --- shared by both clients --------------------------------------------------------------------


class _Base(ClientCore):
    """Construction and the parts that do no I/O, shared by the sync and async clients."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        rate_limiter: TokenBucket | None = None,
    ) -> None:
        key = setting(api_key, API_KEY_ENV, provider=PROVIDER)
        url = setting(base_url, BASE_URL_ENV, provider=PROVIDER, default=DEFAULT_BASE_URL)
        url = check_base_url(url, provider=PROVIDER, env_var=BASE_URL_ENV)
        policy = retry or RetryPolicy()
        # 429s on the signing endpoint are answered by draining the shared bucket, not by sleeping here.
        self._sign_policy = policy.with_(retry_statuses=policy.retry_statuses - {429})
        self.rate_limiter = rate_limiter or shared_rate_limiter(key, url)

        def build() -> None:
            from docfetch_veridox_client import Client

            from docfetch.auth import HeaderKeyAuth

            self._settings = ApiSettings(
                provider=PROVIDER,
                base_url=url,
                auth=HeaderKeyAuth("x-api-key", key),
                timeout=as_timeout(timeout),
                retry=policy,
                parse_error=parse_veridox_error,
            )
            self._connect(Client)

        self._defer(build)

    @staticmethod
    def check_ids(ids: Sequence[str]) -> list[str]:
        """The ids as given, once each matches the UUIDv7 pattern; :class:`InvalidInputError` otherwise."""
        return _check_ids(ids)

    def _signed(self, response: httpx.Response) -> DownloadFilesResponse:
        """The answer of ``POST /files/download`` once the rate limit no longer holds it back."""
        self._settings.raise_for_status(response)
        return self._settings.parse(download_files.build_response, self._api, response, DownloadFilesResponse)


# --- sync --------------------------------------------------------------------------------------


class VeridoxClient(_Base, SyncClientBase):
    """Veridox Files API (sync). Credentials: ``api_key`` or ``VERIDOX_API_KEY``; base URL:
    ``base_url`` or ``VERIDOX_BASE_URL`` (default ``https://api.uk.veridox.ai``; Canada:
    ``https://api.ca.veridox.ai``). ``rate_limiter`` replaces the shared 20-a-minute bucket."""

    def close(self) -> None:  # listed here too: the twins' own methods must match (vars())
        super().close()

    # --- typed operations ----------------------------------------------------------------------

    def download_files(self, file_ids: Sequence[str]) -> DownloadFilesResponse:
        """``POST /files/download`` for 1-25 ids, as Veridox answers it (``files`` and per-id ``errors``).

        Waits for the shared rate limit; a 429 drains it for its ``Retry-After`` and tries again
        (``RateLimitError`` once the retry policy's attempts or ``retry_after_cap`` are exceeded).
        """
        kwargs = download_files.request_kwargs(body=_request_body(file_ids))
        http, bucket = self._http, self.rate_limiter

        def send() -> httpx.Response:
            bucket.acquire()  # every attempt is a request the server counts...
            try:
                return http.request(**kwargs)
            except Exception as exc:
                if never_sent(exc):
                    bucket.refund()  # ...unless it never reached the server
                raise

        refusals = 0
        while True:
            response = call_with_retries(send, idempotent=True, policy=self._sign_policy)
            wait = _rate_limited_wait(response, refusals, self._settings.retry)
            if wait is None:
                return self._signed(response)
            bucket.drain(wait)
            refusals += 1

    def list_files(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        sort_by: FileSortBy | str | None = None,
        sort_order: SortOrder | str | None = None,
    ) -> FileList:
        """``GET /files``: one page (``limit`` 1-100, default 50; newest first unless told otherwise)."""
        kwargs = _list_query(limit, offset, sort_by, sort_order)
        return self._call(kwargs, list_files.build_response, FileList)

    def iter_files(
        self,
        *,
        page_size: int = MAX_PAGE_SIZE,
        sort_by: FileSortBy | str | None = None,
        sort_order: SortOrder | str | None = None,
    ) -> Iterator[FileSummary]:
        """Every file of the organisation, fetching page after page as the iteration goes."""
        offset = 0
        while True:
            page = self.list_files(limit=page_size, offset=offset, sort_by=sort_by, sort_order=sort_order)
            yield from page.files
            offset += len(page.files)
            if not page.files or (isinstance(page.total, int) and offset >= page.total):
                return

    def get_asset_url(self, file_id: str, asset: AssetType | str) -> AssetUrl:
        """``GET /files/asset-url``: a 30-minute signed URL for the file or a generated asset
        (``NotFoundError`` with code ``request.cases.case-file.asset-not-found`` until it exists)."""
        return self._call(_asset_query(file_id, asset), get_asset_url.build_response, AssetUrl)

    def signed_urls(self, ids: Sequence[str]) -> list[SignedUrl]:
        """One :class:`SignedUrl` per distinct id (any number, 25 per request, paced), in order.

        Ids Veridox refuses carry a :class:`VeridoxFileError`; a failed request raises.
        """
        return self._sign(_check_ids(ids), isolate=False)

    def _sign(self, ids: Sequence[str], *, isolate: bool) -> list[SignedUrl]:
        signing = _Signing(ids, isolate=isolate)
        for batch in signing.batches():
            try:
                response = self.download_files(batch)
            except DocfetchError as exc:
                signing.failed(batch, exc)
            else:
                signing.answered(batch, response)
        return signing.outcomes

    # --- uniform interface ---------------------------------------------------------------------

    def links(self, ids: Sequence[str]) -> list[Link]:
        """A :class:`Link` (label as a safe name, 60-minute URL) for each distinct id Veridox signs;
        ids it refuses are left out (:meth:`signed_urls` says why)."""
        return [outcome.to_link() for outcome in self.signed_urls(ids) if outcome.link is not None]

    def download(
        self,
        ids: Sequence[str],
        dest_dir: str | Path,
        *,
        overwrite: bool = False,
        concurrency: int = 4,
        progress: ProgressCallback | None = None,
        on_status: Callable[[str, str], None] | None = None,
        wait_timeout: float = 600.0,
    ) -> list[FileResult]:
        """Save each distinct file into ``dest_dir`` under its (sanitised) label: one
        :class:`FileResult` per id, in order. An expired link is signed again and the download
        resumes. Veridox has no jobs: ``on_status`` and ``wait_timeout`` are unused."""
        checked = _check_ids(ids)
        _check_concurrency(concurrency)
        dest = check_dest_dir(dest_dir)
        outcomes = self._sign(checked, isolate=True)
        items = [
            _item(outcome, self._url_source(outcome)) for outcome in outcomes if outcome.link is not None
        ]
        results = self._download_items(
            items, dest, concurrency=concurrency, overwrite=overwrite, progress=progress
        )
        return _merge(outcomes, results)

    def _url_source(self, outcome: SignedUrl) -> Callable[[], str]:
        """The URL already signed, then a freshly signed one each time storage refuses it."""
        assert outcome.link is not None
        unused = [outcome.link.download_url]

        def url() -> str:
            return unused.pop() if unused else _single_url(self._sign([outcome.id], isolate=False))

        return url


# --- async -------------------------------------------------------------------------------------


class AsyncVeridoxClient(_Base, AsyncClientBase):
    """Async twin of :class:`VeridoxClient`: the same methods, awaited (``iter_files`` is ``async for``).
    Shares the rate limit of its API key with every other client of the process, sync ones included."""

    async def close(self) -> None:
        await super().close()

    # --- typed operations ----------------------------------------------------------------------

    async def download_files(self, file_ids: Sequence[str]) -> DownloadFilesResponse:
        """``POST /files/download`` for 1-25 ids (see :meth:`VeridoxClient.download_files`)."""
        kwargs = download_files.request_kwargs(body=_request_body(file_ids))
        http, bucket = self._http, self.rate_limiter

        async def send() -> httpx.Response:
            await bucket.acquire_async()
            try:
                return await http.request(**kwargs)
            except Exception as exc:
                if never_sent(exc):
                    bucket.refund()
                raise

        refusals = 0
        while True:
            response = await async_call_with_retries(send, idempotent=True, policy=self._sign_policy)
            wait = _rate_limited_wait(response, refusals, self._settings.retry)
            if wait is None:
                return self._signed(response)
            bucket.drain(wait)
            refusals += 1

    async def list_files(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        sort_by: FileSortBy | str | None = None,
        sort_order: SortOrder | str | None = None,
    ) -> FileList:
        """``GET /files``: one page (see :meth:`VeridoxClient.list_files`)."""
        kwargs = _list_query(limit, offset, sort_by, sort_order)
        return await self._call(kwargs, list_files.build_response, FileList)

    async def iter_files(
        self,
        *,
        page_size: int = MAX_PAGE_SIZE,
        sort_by: FileSortBy | str | None = None,
        sort_order: SortOrder | str | None = None,
    ) -> AsyncIterator[FileSummary]:
        """Every file of the organisation, fetching page after page as the iteration goes."""
        offset = 0
        while True:
            page = await self.list_files(
                limit=page_size, offset=offset, sort_by=sort_by, sort_order=sort_order
            )
            for file in page.files:
                yield file
            offset += len(page.files)
            if not page.files or (isinstance(page.total, int) and offset >= page.total):
                return

    async def get_asset_url(self, file_id: str, asset: AssetType | str) -> AssetUrl:
        """``GET /files/asset-url`` (see :meth:`VeridoxClient.get_asset_url`)."""
        return await self._call(_asset_query(file_id, asset), get_asset_url.build_response, AssetUrl)

    async def signed_urls(self, ids: Sequence[str]) -> list[SignedUrl]:
        """One :class:`SignedUrl` per distinct id (see :meth:`VeridoxClient.signed_urls`)."""
        return await self._sign(_check_ids(ids), isolate=False)

    async def _sign(self, ids: Sequence[str], *, isolate: bool) -> list[SignedUrl]:
        signing = _Signing(ids, isolate=isolate)
        for batch in signing.batches():
            try:
                response = await self.download_files(batch)
            except DocfetchError as exc:
                signing.failed(batch, exc)
            else:
                signing.answered(batch, response)
        return signing.outcomes

    # --- uniform interface ---------------------------------------------------------------------

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """A :class:`Link` for each distinct id Veridox signs (see :meth:`VeridoxClient.links`)."""
        return [outcome.to_link() for outcome in await self.signed_urls(ids) if outcome.link is not None]

    async def download(
        self,
        ids: Sequence[str],
        dest_dir: str | Path,
        *,
        overwrite: bool = False,
        concurrency: int = 4,
        progress: ProgressCallback | None = None,
        on_status: Callable[[str, str], None] | None = None,
        wait_timeout: float = 600.0,
    ) -> list[FileResult]:
        """Save each distinct file into ``dest_dir`` (see :meth:`VeridoxClient.download`)."""
        checked = _check_ids(ids)
        _check_concurrency(concurrency)
        dest = check_dest_dir(dest_dir)
        outcomes = await self._sign(checked, isolate=True)
        items = [
            _item(outcome, self._url_source(outcome)) for outcome in outcomes if outcome.link is not None
        ]
        results = await self._download_items(
            items, dest, concurrency=concurrency, overwrite=overwrite, progress=progress
        )
        return _merge(outcomes, results)

    def _url_source(self, outcome: SignedUrl) -> Callable[[], Awaitable[str]]:
        assert outcome.link is not None
        unused = [outcome.link.download_url]

        async def url() -> str:
            return unused.pop() if unused else _single_url(await self._sign([outcome.id], isolate=False))

        return url
