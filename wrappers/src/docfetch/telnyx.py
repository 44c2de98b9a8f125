"""Telnyx Documents: typed calls, temporary download links, and verified downloads.

``TelnyxClient`` / ``AsyncTelnyxClient`` (same method names, awaited in the async twin) hold one
authenticated generated client for their lifetime (``Authorization: Bearer <key>``) and call the
generated endpoints' public ``request_kwargs`` / ``build_response``. Statuses are mapped to the
core's typed errors *before* the body is parsed, so an error body that is not Telnyx's JSON (a
proxy's HTML 502) still becomes a retried, typed error instead of a parse failure.

Downloads go through :mod:`docfetch.downloads` with the document's ``filename``, ``size.amount`` and
``sha256`` (from ``retrieve_document``) as name, expected size and checksum:

* ``method="link"`` (default): ``GET /documents/{id}/download_link`` gives a pre-signed storage URL,
  fetched credential-free; the link is passed as a URL factory, so a refused (expired) link is
  replaced by a fresh one and the download resumes where it stopped.
* ``method="direct"``: ``GET /documents/{id}/download`` streamed through the authenticated client as
  a download *opener* (constant memory; the engine's Range headers are sent, so it resumes or restarts).

Telnyx's official SDK sends unauthenticated requests when no key is set; these clients fail at
construction naming ``TELNYX_API_KEY``, and reject ids that are not UUIDs before any request.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

import attrs
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
from docfetch_telnyx_client.types import UNSET, Unset

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
from docfetch.download_types import Checksum, DownloadItem, FileResult, ProgressCallback, SavedFile
from docfetch.errors import DocfetchError, InvalidInputError, parse_error_body
from docfetch.retry import RetryPolicy

if TYPE_CHECKING:  # imported on first use (see docfetch._lazy)
    import asyncio

    import httpx
    from docfetch_telnyx_client.api.documents import (
        download_document,
        get_document_download_link,
        list_documents,
        retrieve_document,
    )

    from docfetch import downloads as _downloads
else:
    asyncio = lazy_module("asyncio")
    httpx = lazy_module("httpx")
    download_document = lazy_module("docfetch_telnyx_client.api.documents.download_document")
    get_document_download_link = lazy_module(
        "docfetch_telnyx_client.api.documents.get_document_download_link"
    )
    list_documents = lazy_module("docfetch_telnyx_client.api.documents.list_documents")
    retrieve_document = lazy_module("docfetch_telnyx_client.api.documents.retrieve_document")
    _downloads = lazy_module("docfetch.downloads")

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

PROVIDER = "telnyx"
API_KEY_ENV = "TELNYX_API_KEY"
BASE_URL_ENV = "TELNYX_BASE_URL"
DEFAULT_BASE_URL = "https://api.telnyx.com/v2"
MAX_PAGE_SIZE = 250  # the API's documented maximum for page[size]

DownloadMethod = Literal["link", "direct"]
_METHODS = ("link", "direct")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


# --- shared by both clients --------------------------------------------------------------------


def _check_ids(ids: Sequence[str]) -> list[str]:
    checked = check_id_list(ids, what="document id")
    for item in checked:
        if not _UUID.fullmatch(item):
            raise InvalidInputError(
                f"invalid document id {item!r}: Telnyx document ids are UUIDs "
                "like 6a09cdc3-8948-47f0-aa62-74ac943d6c58"
            )
    return checked


def _document_uuid(document_id: str) -> UUID:
    if not isinstance(document_id, str) or not _UUID.fullmatch(document_id):
        _check_ids([document_id])  # raises the descriptive error
    return UUID(document_id)


def _check_download_args(method: str, concurrency: int) -> None:
    if method not in _METHODS:
        raise InvalidInputError(f"method must be 'link' or 'direct', not {method!r}")
    if concurrency < 1:
        raise InvalidInputError("concurrency must be >= 1")


def _list_kwargs(
    page_number: int | None,
    page_size: int | None,
    filename_contains: str | None,
    customer_reference: str | None,
    created_after: datetime | None,
    created_before: datetime | None,
    sort: Sequence[DocumentSortField | str] | None,
) -> dict[str, Any]:
    """The generated ``request_kwargs`` for the friendly names (the generator strips the brackets of
    ``page[number]``, ``filter[filename][contains]``...), validated before any request."""
    if page_number is not None and page_number < 1:
        raise InvalidInputError(f"page_number must be >= 1, got {page_number}")
    if page_size is not None and not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInputError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size}")
    if isinstance(sort, str):
        raise InvalidInputError(f"sort takes a list of fields, got the string {sort!r}")
    fields: list[DocumentSortField] | Unset = UNSET
    if sort:
        try:
            fields = [DocumentSortField(field) for field in sort]
        except ValueError as exc:
            allowed = ", ".join(f.value for f in DocumentSortField)
            raise InvalidInputError(f"invalid sort field ({exc}); allowed: {allowed}") from exc
    return list_documents.request_kwargs(
        pagenumber=UNSET if page_number is None else page_number,
        pagesize=UNSET if page_size is None else page_size,
        filterfilenamecontains=UNSET if filename_contains is None else filename_contains,
        filtercustomer_referenceeq=UNSET if customer_reference is None else customer_reference,
        filtercreated_atgt=UNSET if created_after is None else created_after,
        filtercreated_atlt=UNSET if created_before is None else created_before,
        sort=fields,
    )


def _more_pages(page: DocumentListResponse, number: int, size: int) -> bool:
    total = page.meta.total_pages if isinstance(page.meta, PaginationMeta) else None
    if isinstance(total, int):
        return number < total and bool(page.data)
    return len(page.data) >= size  # no total: a short page is the last one


@attrs.frozen
class _Planned:
    """One document ready for the download engine, with what its metadata warns about."""

    item: DownloadItem
    warning: str | None = None


def _plan(
    doc_id: str, document: DocServiceDocument, source: dict[str, Any], name: str | None = None
) -> _Planned:
    """Name, expected size and sha256 from the document's metadata, for verification."""
    warnings: list[str] = []
    checksum = None
    if isinstance(document.sha256, str) and document.sha256:
        try:
            checksum = Checksum("sha256", document.sha256)
        except InvalidInputError:
            warnings.append("Telnyx reported a malformed sha256; the file could not be verified against it")
    size = document.size
    expected = None
    if (
        isinstance(size, DocServiceDocumentSize)
        and isinstance(size.amount, int)
        and size.unit in (UNSET, "bytes")
    ):
        expected = size.amount
    if document.av_scan_status == DocServiceDocumentAvScanStatus.INFECTED:
        warnings.append("Telnyx's antivirus scan reports this document as infected")
    if name is None and isinstance(document.filename, str):
        name = document.filename
    item = DownloadItem(doc_id, name=name, expected_size=expected, checksum=checksum, **source)
    return _Planned(item, "; ".join(warnings) or None)


def _merge(planned: list[_Planned | FileResult], results: list[FileResult]) -> list[FileResult]:
    """Engine results back in the order of the ids, metadata failures in place, warnings attached."""
    done = iter(results)
    merged: list[FileResult] = []
    for entry in planned:
        if isinstance(entry, FileResult):
            merged.append(entry)
            continue
        result = next(done)
        if entry.warning and result.ok:
            result = attrs.evolve(result, warning=entry.warning)
        merged.append(result)
    return merged


def _single(results: list[FileResult]) -> SavedFile:
    result = results[0]
    if result.error is not None:
        raise result.error
    assert result.path is not None and result.sha256 is not None
    return SavedFile(result.path, result.bytes, result.sha256)


class _Base(ClientCore):
    """Construction and the parts that do no I/O, shared by the sync and async clients."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        key = setting(api_key, API_KEY_ENV, provider=PROVIDER)
        url = setting(base_url, BASE_URL_ENV, provider=PROVIDER, default=DEFAULT_BASE_URL)
        url = check_base_url(url, provider=PROVIDER, env_var=BASE_URL_ENV)

        def build() -> None:
            from docfetch_telnyx_client import Client

            from docfetch.auth import HeaderKeyAuth

            self._settings = ApiSettings(
                provider=PROVIDER,
                base_url=url,
                auth=HeaderKeyAuth("Authorization", key, prefix="Bearer "),
                timeout=as_timeout(timeout),
                retry=retry or RetryPolicy(),
                parse_error=parse_error_body,  # {"errors": [{code, title, detail}]} -> code / message
            )
            self._connect(Client)

        self._defer(build)

    @staticmethod
    def check_ids(ids: Sequence[str]) -> list[str]:
        """The ids as given, once each is a UUID; :class:`InvalidInputError` before any request."""
        return _check_ids(ids)


# --- sync --------------------------------------------------------------------------------------


class TelnyxClient(_Base, SyncClientBase):
    """Telnyx Documents API (sync). Credentials: ``api_key`` or ``TELNYX_API_KEY``; base URL:
    ``base_url`` or ``TELNYX_BASE_URL`` (default ``https://api.telnyx.com/v2``, including ``/v2``)."""

    # --- typed operations ----------------------------------------------------------------------

    def retrieve_document(self, document_id: str) -> DocServiceDocument:
        """``GET /documents/{id}``: the document's metadata (filename, size, sha256, statuses)."""
        kwargs = retrieve_document.request_kwargs(_document_uuid(document_id))
        return self._call(kwargs, retrieve_document.build_response, DocumentResponse).data

    def list_documents(
        self,
        *,
        page_number: int | None = None,
        page_size: int | None = None,
        filename_contains: str | None = None,
        customer_reference: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        sort: Sequence[DocumentSortField | str] | None = None,
    ) -> DocumentListResponse:
        """``GET /documents``: one page (newest first unless ``sort`` says otherwise).

        Wire names: ``page[number]``, ``page[size]`` (1-250), ``filter[filename][contains]``,
        ``filter[customer_reference][eq]``, ``filter[created_at][gt]`` / ``[lt]``, ``sort``.
        """
        kwargs = _list_kwargs(
            page_number, page_size, filename_contains, customer_reference, created_after, created_before, sort
        )
        return self._call(kwargs, list_documents.build_response, DocumentListResponse)

    def iter_documents(
        self,
        *,
        page_size: int = MAX_PAGE_SIZE,
        filename_contains: str | None = None,
        customer_reference: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        sort: Sequence[DocumentSortField | str] | None = None,
    ) -> Iterator[DocServiceDocument]:
        """Every matching document, fetching page after page as the iteration goes."""
        number = 1
        while True:
            page = self.list_documents(
                page_number=number,
                page_size=page_size,
                filename_contains=filename_contains,
                customer_reference=customer_reference,
                created_after=created_after,
                created_before=created_before,
                sort=sort,
            )
            yield from page.data
            if not _more_pages(page, number, page_size):
                return
            number += 1

    def get_download_link(self, document_id: str) -> DocumentDownloadLink:
        """``GET /documents/{id}/download_link``: a temporary pre-signed URL (``.url``), no credential needed."""
        kwargs = get_document_download_link.request_kwargs(_document_uuid(document_id))
        return self._call(
            kwargs, get_document_download_link.build_response, DocumentDownloadLinkResponse
        ).data

    # --- uniform interface ---------------------------------------------------------------------

    def links(self, ids: Sequence[str]) -> list[Link]:
        """One download link per document id (Telnyx does not say when a link expires: ``expires_at`` None)."""
        return [Link(doc_id, None, self.get_download_link(doc_id).url) for doc_id in _check_ids(ids)]

    def download_document(
        self,
        document_id: str,
        dest_dir: str | Path,
        *,
        method: DownloadMethod = "link",
        name: str | None = None,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> SavedFile:
        """Save one document, verified against its size and sha256; raises on failure."""
        _document_uuid(document_id)
        _check_download_args(method, 1)
        dest = check_dest_dir(dest_dir)
        planned = _plan(
            document_id, self.retrieve_document(document_id), self._source(document_id, method), name
        )
        return _single(self._download_items([planned.item], dest, overwrite=overwrite, progress=progress))

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
        method: DownloadMethod = "link",
    ) -> list[FileResult]:
        """Save each document into ``dest_dir``: one :class:`FileResult` per id, in order.

        ``method="link"`` fetches through a temporary link (refreshed if it expires), ``"direct"``
        streams ``/documents/{id}/download``. Telnyx has no jobs: ``on_status`` and ``wait_timeout``
        are accepted for the uniform interface and unused. A document the antivirus scan reports
        as infected is saved with a ``warning``.
        """
        checked = _check_ids(ids)
        _check_download_args(method, concurrency)
        dest = check_dest_dir(dest_dir)
        planned = self._plan_all(checked, method, concurrency)
        items = [entry.item for entry in planned if isinstance(entry, _Planned)]
        results = self._download_items(
            items, dest, concurrency=concurrency, overwrite=overwrite, progress=progress
        )
        return _merge(planned, results)

    def _source(self, document_id: str, method: DownloadMethod) -> dict[str, Any]:
        if method == "link":
            return {"url": lambda: self.get_download_link(document_id).url}
        kwargs = download_document.request_kwargs(_document_uuid(document_id))
        return {"open": _downloads.client_opener(self._http, kwargs["url"], method=kwargs["method"].upper())}

    def _plan_all(
        self, ids: list[str], method: DownloadMethod, concurrency: int
    ) -> list[_Planned | FileResult]:
        """Every document's metadata, ``concurrency`` at a time; a failure is that id's result."""

        def one(doc_id: str) -> _Planned | FileResult:
            try:
                return _plan(doc_id, self.retrieve_document(doc_id), self._source(doc_id, method))
            except DocfetchError as exc:
                return FileResult(doc_id, error=exc)

        workers = min(concurrency, len(ids))
        if workers == 1:
            return [one(doc_id) for doc_id in ids]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="docfetch-telnyx") as pool:
            return list(pool.map(one, ids))


# --- async -------------------------------------------------------------------------------------


class AsyncTelnyxClient(_Base, AsyncClientBase):
    """Async twin of :class:`TelnyxClient`: the same methods, awaited (``iter_documents`` is ``async for``)."""

    # --- typed operations ----------------------------------------------------------------------

    async def retrieve_document(self, document_id: str) -> DocServiceDocument:
        """``GET /documents/{id}``: the document's metadata (filename, size, sha256, statuses)."""
        kwargs = retrieve_document.request_kwargs(_document_uuid(document_id))
        return (await self._call(kwargs, retrieve_document.build_response, DocumentResponse)).data

    async def list_documents(
        self,
        *,
        page_number: int | None = None,
        page_size: int | None = None,
        filename_contains: str | None = None,
        customer_reference: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        sort: Sequence[DocumentSortField | str] | None = None,
    ) -> DocumentListResponse:
        """``GET /documents``: one page (see :meth:`TelnyxClient.list_documents`)."""
        kwargs = _list_kwargs(
            page_number, page_size, filename_contains, customer_reference, created_after, created_before, sort
        )
        return await self._call(kwargs, list_documents.build_response, DocumentListResponse)

    async def iter_documents(
        self,
        *,
        page_size: int = MAX_PAGE_SIZE,
        filename_contains: str | None = None,
        customer_reference: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        sort: Sequence[DocumentSortField | str] | None = None,
    ) -> AsyncIterator[DocServiceDocument]:
        """Every matching document, fetching page after page as the iteration goes."""
        number = 1
        while True:
            page = await self.list_documents(
                page_number=number,
                page_size=page_size,
                filename_contains=filename_contains,
                customer_reference=customer_reference,
                created_after=created_after,
                created_before=created_before,
                sort=sort,
            )
            for document in page.data:
                yield document
            if not _more_pages(page, number, page_size):
                return
            number += 1

    async def get_download_link(self, document_id: str) -> DocumentDownloadLink:
        """``GET /documents/{id}/download_link``: a temporary pre-signed URL (``.url``)."""
        kwargs = get_document_download_link.request_kwargs(_document_uuid(document_id))
        build = get_document_download_link.build_response
        return (await self._call(kwargs, build, DocumentDownloadLinkResponse)).data

    # --- uniform interface ---------------------------------------------------------------------

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """One download link per document id (``expires_at`` None: Telnyx does not say)."""
        return [Link(doc_id, None, (await self.get_download_link(doc_id)).url) for doc_id in _check_ids(ids)]

    async def download_document(
        self,
        document_id: str,
        dest_dir: str | Path,
        *,
        method: DownloadMethod = "link",
        name: str | None = None,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> SavedFile:
        """Save one document, verified against its size and sha256; raises on failure."""
        _document_uuid(document_id)
        _check_download_args(method, 1)
        dest = check_dest_dir(dest_dir)
        document = await self.retrieve_document(document_id)
        planned = _plan(document_id, document, self._source(document_id, method), name)
        results = await self._download_items([planned.item], dest, overwrite=overwrite, progress=progress)
        return _single(results)

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
        method: DownloadMethod = "link",
    ) -> list[FileResult]:
        """Save each document into ``dest_dir`` (see :meth:`TelnyxClient.download`)."""
        checked = _check_ids(ids)
        _check_download_args(method, concurrency)
        dest = check_dest_dir(dest_dir)
        planned = await self._plan_all(checked, method, concurrency)
        items = [entry.item for entry in planned if isinstance(entry, _Planned)]
        results = await self._download_items(
            items, dest, concurrency=concurrency, overwrite=overwrite, progress=progress
        )
        return _merge(planned, results)

    def _source(self, document_id: str, method: DownloadMethod) -> dict[str, Any]:
        if method == "link":

            async def fresh_url() -> str:
                return (await self.get_download_link(document_id)).url

            return {"url": fresh_url}
        kwargs = download_document.request_kwargs(_document_uuid(document_id))
        return {
            "open": _downloads.async_client_opener(self._http, kwargs["url"], method=kwargs["method"].upper())
        }

    async def _plan_all(
        self, ids: list[str], method: DownloadMethod, concurrency: int
    ) -> list[_Planned | FileResult]:
        gate = asyncio.Semaphore(concurrency)

        async def one(doc_id: str) -> _Planned | FileResult:
            async with gate:
                try:
                    document = await self.retrieve_document(doc_id)
                except DocfetchError as exc:
                    return FileResult(doc_id, error=exc)
            return _plan(doc_id, document, self._source(doc_id, method))

        return list(await asyncio.gather(*(one(doc_id) for doc_id in ids)))
