"""Index Health (IndexSDK) documents: list them, read their details, get presigned links and save their
files; :class:`IndexHealthClient` and its async twin :class:`AsyncIndexHealthClient` (same method names,
awaited).

Credentials, from arguments or the environment: ``client_id`` / ``INDEXHEALTH_CLIENT_ID``,
``client_secret`` / ``INDEXHEALTH_CLIENT_SECRET``, ``fingerprint`` / ``INDEXHEALTH_FINGERPRINT`` (a
device or client identifier) and ``user`` / ``INDEXHEALTH_USER``: the end user tokens are issued for, a
JSON object with ``first_name``, ``last_name`` and one of ``email``, ``date_of_birth``, ``uid``, ``eid``
(optional ``group_name``, ``phone``), checked at construction. Base URL: ``base_url`` /
``INDEXHEALTH_BASE_URL``, **required**: Index Health issues one per customer and publishes none (its
docs use ``https://api.example.com``), so there is no default that could work.

Decisions:

* Auth: the client credentials are exchanged at ``/generate-client-auth-token`` for a bearer token
  (``data.auth_token``, else ``data.access_token``) through :class:`docfetch.auth.ClientCredentialsAuth`:
  one exchange shared by every concurrent request, renewed before it expires (the token is a JWT whose
  ``exp - iat`` gives its lifetime without trusting the local clock) and once after a 403. A refused
  exchange (400/401) raises :class:`~docfetch.errors.AuthFlowError` carrying the provider's message.
* Errors: 435 -> :class:`MissingFieldsError` (e.g. "Document has no file path": a URL-based document),
  437 -> :class:`DocumentNotFoundError` (also a ``NotFoundError``), a 403 that survives a fresh token ->
  :class:`UnauthorizedError` (both a ``PermissionDeniedError`` and an ``AuthenticationError``).
* Retry safety: every call is read-only (the POSTs read or presign, and a token exchange has no lasting
  effect), so all are retried on transport errors and 408/429/5xx.
* Downloads: ``method="direct"`` (the default) streams ``GET /download/{id}`` with the bearer token,
  resumable and never buffered; ``method="signed_url"`` asks ``POST /download`` for a presigned URL
  (valid one hour) and fetches it without any credential, asking again if it expires. The file name
  comes from Content-Disposition (``filename*`` first), made safe.
* Ids are path segments: empty ids, control characters, ``/``, ``.`` and ``..`` are refused before any
  request (``..`` would otherwise be resolved away by URL normalisation); the rest is percent-encoded.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

import attrs
from docfetch_indexhealth_client.models import (
    AssociatedPlan,
    AuthUser,
    ClientAuthTokenResponse,
    DocumentDetails,
    DocumentDetailsResponse,
    DocumentIdRequest,
    DocumentListResponse,
    DocumentSummary,
    DocumentType,
    DownloadUrl,
    DownloadUrlResponse,
    GetDocumentsRequest,
)

from docfetch._lazy import lazy_module
from docfetch._provider import (
    ApiSettings,
    AsyncClientBase,
    ClientCore,
    GeneratedClient,
    Link,
    SyncClientBase,
    as_timeout,
    check_dest_dir,
    check_ids,
    generated_async_client,
    generated_client,
)
from docfetch.download_types import DownloadItem, FileResult, ProgressCallback
from docfetch.errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    DocfetchError,
    InvalidInputError,
    NonStandardStatusError,
    NotFoundError,
    PermissionDeniedError,
    parse_error_body,
)
from docfetch.filenames import filename_from_url, first_name
from docfetch.indexhealth_auth import (
    BASE_URL_ENV,
    CLIENT_ID_ENV,
    CLIENT_SECRET_ENV,
    FINGERPRINT_ENV,
    PROVIDER,
    USER_ENV,
    MissingBaseUrlError,
    UserInput,
    base_url_setting,
    exchange_refused,
    token_from,
    token_request,
)
from docfetch.retry import RetryPolicy

if TYPE_CHECKING:  # imported on first use (see docfetch._lazy)
    import httpx
    from docfetch_indexhealth_client.api.auth import generate_client_auth_token as _generate_token
    from docfetch_indexhealth_client.api.documents import download_document as _download_document
    from docfetch_indexhealth_client.api.documents import get_document_details as _get_document_details
    from docfetch_indexhealth_client.api.documents import get_documents as _get_documents
    from docfetch_indexhealth_client.api.documents import request_download as _request_download

    from docfetch import downloads as _downloads
    from docfetch.auth import Token
    from docfetch.downloads import AsyncOpener, Opener
else:
    httpx = lazy_module("httpx")
    _generate_token = lazy_module("docfetch_indexhealth_client.api.auth.generate_client_auth_token")
    _download_document = lazy_module("docfetch_indexhealth_client.api.documents.download_document")
    _get_document_details = lazy_module("docfetch_indexhealth_client.api.documents.get_document_details")
    _get_documents = lazy_module("docfetch_indexhealth_client.api.documents.get_documents")
    _request_download = lazy_module("docfetch_indexhealth_client.api.documents.request_download")
    _downloads = lazy_module("docfetch.downloads")

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

DownloadMethod = Literal["direct", "signed_url"]
DOWNLOAD_METHODS: tuple[DownloadMethod, ...] = ("direct", "signed_url")
LINK_LIFETIME = timedelta(hours=1)
"""How long a presigned URL from ``POST /download`` is valid (documented)."""

StatusCallback = Callable[[str, str], None]


class MissingFieldsError(NonStandardStatusError):
    """435 "Missing Required Fields": an empty id ("Document ID is required"), or a URL-based document
    that has no file to download ("Document has no file path")."""


class DocumentNotFoundError(NonStandardStatusError, NotFoundError):
    """437 "Document not found": no document with this id (catch it as a ``NotFoundError`` too)."""


class UnauthorizedError(PermissionDeniedError, AuthenticationError):
    """403 "UNAUTHORIZED": the bearer token was refused even after one fresh exchange."""


STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    403: UnauthorizedError,
    435: MissingFieldsError,
    437: DocumentNotFoundError,
}


def _unique(ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _check_method(method: str) -> DownloadMethod:
    for known in DOWNLOAD_METHODS:
        if method == known:
            return known
    raise InvalidInputError(f"method must be one of {', '.join(DOWNLOAD_METHODS)}, not {method!r}")


def _check_collection_id(collection_id: str) -> str:
    if not isinstance(collection_id, str) or not collection_id.strip():
        raise InvalidInputError(f"invalid collection id {collection_id!r}: must be a non-empty string")
    return collection_id


def _engine_handles(status: int) -> bool:
    """Statuses the download engine must see itself: success, 3xx, 416 and the retried ones."""
    return status < 400 or status == 416 or status in _downloads.DOWNLOAD_RETRY.retry_statuses


def _link(document_id: str, url: str, asked_at: datetime) -> Link:
    raw = filename_from_url(url)
    name = first_name([raw], fallback=document_id) if raw else None
    return Link(document_id, name, url, asked_at + LINK_LIFETIME)


class _IndexHealthBase(ClientCore):
    """Settings and checks shared by the twins (no I/O)."""

    _built_by_build = (*ClientCore._built_by_build, "_anonymous", "_auth", "_token_api")

    def __init__(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        fingerprint: str | None = None,
        user: UserInput | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._token_body = token_request(client_id, client_secret, fingerprint, user)
        url = base_url_setting(base_url)

        def build() -> None:
            from docfetch_indexhealth_client import Client

            # Without credentials: the token endpoint's settings. The twins add their token auth for the rest.
            self._anonymous = ApiSettings(
                provider=PROVIDER,
                base_url=url,
                auth=httpx.Auth(),
                timeout=as_timeout(timeout),
                retry=retry or RetryPolicy(),
                parse_error=parse_error_body,
                status_overrides=STATUS_ERRORS,
            )
            self._open(Client)
            self._connect(Client)

        self._defer(build)

    def _open(self, client_cls: Callable[..., GeneratedClient]) -> None:
        """Create the token auth, its ``_settings`` and the token endpoint's client (the twins differ)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @staticmethod
    def check_ids(ids: Sequence[str]) -> list[str]:
        """Document ids that can be sent as one path segment; InvalidInputError otherwise."""
        checked = check_ids(ids, what="document id")
        for document_id in checked:
            if "/" in document_id:
                raise InvalidInputError(f"invalid document id {document_id!r}: '/' is not allowed")
            if document_id.strip() in (".", ".."):
                raise InvalidInputError(f"invalid document id {document_id!r}: not an id")
        return checked

    def _one_id(self, document_id: str) -> str:
        return self.check_ids([document_id])[0]

    def _plan(
        self, ids: Sequence[str], dest_dir: str | os.PathLike[str], method: str, concurrency: int
    ) -> tuple[list[str], DownloadMethod]:
        """Every download argument checked before the first request."""
        document_ids = _unique(self.check_ids(ids))
        checked = _check_method(method)
        check_dest_dir(dest_dir)
        if concurrency < 1:
            raise InvalidInputError("concurrency must be >= 1")
        return document_ids, checked


def _only(results: list[FileResult]) -> FileResult:
    (result,) = results
    if result.error is not None:
        raise result.error
    return result


class IndexHealthClient(_IndexHealthBase, SyncClientBase):
    """Sync client; see the module docstring for the decisions. Use it as a context manager."""

    def _open(self, client_cls: Callable[..., GeneratedClient]) -> None:
        from docfetch.auth import ClientCredentialsAuth

        self._auth = ClientCredentialsAuth(self._exchange, refresh_skew=0.0)  # token_from keeps a margin
        self._settings = attrs.evolve(self._anonymous, auth=self._auth)
        self._token_api = generated_client(self._anonymous, client_cls)

    def close(self) -> None:
        if self._built:
            super().close()
            self._token_api.get_httpx_client().close()

    def _exchange(self) -> Token:
        kwargs = _generate_token.request_kwargs(body=self._token_body)
        build = _generate_token.build_response
        try:
            answer = self._call(kwargs, build, ClientAuthTokenResponse, api=self._token_api)
        except (BadRequestError, AuthenticationError) as refused:
            raise exchange_refused(refused) from refused
        return token_from(answer)

    # --- one call per endpoint -------------------------------------------------------------------

    def get_documents(self, collection_id: str) -> list[DocumentSummary]:
        """The documents of a collection (an unknown collection gives an empty list)."""
        body = GetDocumentsRequest(collection_id=_check_collection_id(collection_id))
        kwargs = _get_documents.request_kwargs(body=body)
        return self._call(kwargs, _get_documents.build_response, DocumentListResponse).data

    def get_document_details(self, document_id: str) -> DocumentDetails:
        """One document with its associated plans; DocumentNotFoundError (437) if there is none."""
        body = DocumentIdRequest(document_id=self._one_id(document_id))
        kwargs = _get_document_details.request_kwargs(body=body)
        return self._call(kwargs, _get_document_details.build_response, DocumentDetailsResponse).data

    def request_download(self, document_id: str) -> DownloadUrl:
        """A presigned URL (valid one hour, needs no credential) for a file-based document."""
        body = DocumentIdRequest(document_id=self._one_id(document_id))
        kwargs = _request_download.request_kwargs(body=body)
        return self._call(kwargs, _request_download.build_response, DownloadUrlResponse).data

    # --- the uniform interface -------------------------------------------------------------------

    def links(self, ids: Sequence[str]) -> list[Link]:
        """One presigned :class:`Link` per document (``expires_at``: one hour after it was asked for)."""
        links: list[Link] = []
        for document_id in _unique(self.check_ids(ids)):
            asked_at = datetime.now(UTC)
            links.append(_link(document_id, self.request_download(document_id).download_url, asked_at))
        return links

    def download(
        self,
        ids: Sequence[str],
        dest_dir: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        concurrency: int = 4,
        progress: ProgressCallback | None = None,
        on_status: StatusCallback | None = None,
        wait_timeout: float = 600.0,
        method: DownloadMethod = "direct",
    ) -> list[FileResult]:
        """Save each document's file into ``dest_dir``: one FileResult per distinct id, in order; failures
        (DocumentNotFoundError, MissingFieldsError, AuthFlowError...) are results, not exceptions.
        ``on_status`` and ``wait_timeout`` exist for the uniform interface: there are no jobs to wait for."""
        document_ids, how = self._plan(ids, dest_dir, method, concurrency)
        try:
            self._auth.token()  # once up front: a refused credential is reported without N exchanges
        except DocfetchError as exc:
            return [FileResult(document_id, error=exc) for document_id in document_ids]
        items = [self._item(document_id, how) for document_id in document_ids]
        return self._download_items(
            items, dest_dir, concurrency=concurrency, overwrite=overwrite, progress=progress
        )

    def download_document(
        self,
        document_id: str,
        dest_dir: str | os.PathLike[str],
        *,
        method: DownloadMethod = "direct",
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> FileResult:
        """Save one document's file; its error is raised instead of returned."""
        return _only(
            self.download([document_id], dest_dir, method=method, overwrite=overwrite, progress=progress)
        )

    def _item(self, document_id: str, method: DownloadMethod) -> DownloadItem:
        if method == "direct":
            return DownloadItem(id=document_id, open=self._direct_opener(document_id))

        def fresh_url() -> str:  # called first and again whenever the presigned URL has expired
            return self.request_download(document_id).download_url

        return DownloadItem(id=document_id, url=fresh_url)

    def _direct_opener(self, document_id: str) -> Opener:
        """``GET /download/{id}`` streamed with the bearer token, as a download-engine opener.

        The generated ``request_kwargs`` builds the request (percent-encoded id); it is sent through the
        authenticated client by :func:`~docfetch.downloads.client_opener`, because the generated
        ``stream()`` takes no headers and the engine must send its own (identity encoding, Range/If-Range).
        Statuses the engine does not handle become this provider's typed errors here.
        """
        request = _download_document.request_kwargs(document_id)
        opener = _downloads.client_opener(self._http, request["url"], method=request["method"])

        @contextmanager
        def open_(headers: Mapping[str, str]) -> Iterator[httpx.Response]:
            with opener(headers) as response:
                if not _engine_handles(response.status_code):
                    response.read()
                    self._settings.raise_for_status(response)
                yield response

        return open_


class AsyncIndexHealthClient(_IndexHealthBase, AsyncClientBase):
    """Async twin of :class:`IndexHealthClient`: the same methods, awaited. Use it with ``async with``."""

    def _open(self, client_cls: Callable[..., GeneratedClient]) -> None:
        from docfetch.auth import AsyncClientCredentialsAuth

        self._auth = AsyncClientCredentialsAuth(self._exchange, refresh_skew=0.0)
        self._settings = attrs.evolve(self._anonymous, auth=self._auth)
        self._token_api = generated_async_client(self._anonymous, client_cls)

    async def close(self) -> None:
        if self._built:
            await super().close()
            await self._token_api.get_async_httpx_client().aclose()

    async def _exchange(self) -> Token:
        kwargs = _generate_token.request_kwargs(body=self._token_body)
        build = _generate_token.build_response
        try:
            answer = await self._call(kwargs, build, ClientAuthTokenResponse, api=self._token_api)
        except (BadRequestError, AuthenticationError) as refused:
            raise exchange_refused(refused) from refused
        return token_from(answer)

    # --- one call per endpoint -------------------------------------------------------------------

    async def get_documents(self, collection_id: str) -> list[DocumentSummary]:
        """See :meth:`IndexHealthClient.get_documents`."""
        body = GetDocumentsRequest(collection_id=_check_collection_id(collection_id))
        kwargs = _get_documents.request_kwargs(body=body)
        return (await self._call(kwargs, _get_documents.build_response, DocumentListResponse)).data

    async def get_document_details(self, document_id: str) -> DocumentDetails:
        """See :meth:`IndexHealthClient.get_document_details`."""
        body = DocumentIdRequest(document_id=self._one_id(document_id))
        kwargs = _get_document_details.request_kwargs(body=body)
        build = _get_document_details.build_response
        return (await self._call(kwargs, build, DocumentDetailsResponse)).data

    async def request_download(self, document_id: str) -> DownloadUrl:
        """See :meth:`IndexHealthClient.request_download`."""
        body = DocumentIdRequest(document_id=self._one_id(document_id))
        kwargs = _request_download.request_kwargs(body=body)
        return (await self._call(kwargs, _request_download.build_response, DownloadUrlResponse)).data

    # --- the uniform interface -------------------------------------------------------------------

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """See :meth:`IndexHealthClient.links`."""
        links: list[Link] = []
        for document_id in _unique(self.check_ids(ids)):
            asked_at = datetime.now(UTC)
            answer = await self.request_download(document_id)
            links.append(_link(document_id, answer.download_url, asked_at))
        return links

    async def download(
        self,
        ids: Sequence[str],
        dest_dir: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        concurrency: int = 4,
        progress: ProgressCallback | None = None,
        on_status: StatusCallback | None = None,
        wait_timeout: float = 600.0,
        method: DownloadMethod = "direct",
    ) -> list[FileResult]:
        """See :meth:`IndexHealthClient.download`."""
        document_ids, how = self._plan(ids, dest_dir, method, concurrency)
        try:
            await self._auth.token()
        except DocfetchError as exc:
            return [FileResult(document_id, error=exc) for document_id in document_ids]
        items = [self._item(document_id, how) for document_id in document_ids]
        return await self._download_items(
            items, dest_dir, concurrency=concurrency, overwrite=overwrite, progress=progress
        )

    async def download_document(
        self,
        document_id: str,
        dest_dir: str | os.PathLike[str],
        *,
        method: DownloadMethod = "direct",
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> FileResult:
        """See :meth:`IndexHealthClient.download_document`."""
        results = await self.download(
            [document_id], dest_dir, method=method, overwrite=overwrite, progress=progress
        )
        return _only(results)

    def _item(self, document_id: str, method: DownloadMethod) -> DownloadItem:
        if method == "direct":
            return DownloadItem(id=document_id, open=self._direct_opener(document_id))

        async def fresh_url() -> str:  # called first and again whenever the presigned URL has expired
            return (await self.request_download(document_id)).download_url

        return DownloadItem(id=document_id, url=fresh_url)

    def _direct_opener(self, document_id: str) -> AsyncOpener:
        """Async twin of :meth:`IndexHealthClient._direct_opener`."""
        request = _download_document.request_kwargs(document_id)
        opener = _downloads.async_client_opener(self._http, request["url"], method=request["method"])

        @asynccontextmanager
        async def open_(headers: Mapping[str, str]) -> AsyncIterator[httpx.Response]:
            async with opener(headers) as response:
                if not _engine_handles(response.status_code):
                    await response.aread()
                    self._settings.raise_for_status(response)
                yield response

        return open_
