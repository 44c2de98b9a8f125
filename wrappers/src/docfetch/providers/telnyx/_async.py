"""Telnyx Documents: typed calls, temporary download links, and verified downloads.

The clients (the sync one is generated from this file) send ``Authorization: Bearer <key>`` and call the generated endpoints' public ``request_kwargs`` / ``build_response``. Statuses are
mapped to the core's typed errors *before* the body is parsed, so an error body that is not Telnyx's
JSON (a proxy's HTML 502) still becomes a retried, typed error instead of a parse failure.

Downloads are verified against the document's ``filename``, ``size.amount`` and ``sha256`` (from
``retrieve_document``, looked up just before each transfer):

* ``method="link"`` (default): ``GET /documents/{id}/download_link`` gives a pre-signed storage URL,
  asked for when the transfer starts and fetched credential-free; a refused (expired) link is
  replaced by a fresh one and the download resumes where it stopped.
* ``method="direct"``: ``GET /documents/{id}/download`` streamed with the API key (constant memory;
  the engine's Range headers are sent, so it resumes or restarts).

Telnyx's official SDK sends unauthenticated requests when no key is set; these clients fail at
construction naming ``TELNYX_API_KEY``, and reject ids that are not UUIDs before any request.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from collections.abc import Iterable
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any
from typing import Unpack

from docfetch_telnyx_client.api import documents as api
from docfetch_telnyx_client.models import DocServiceDocument
from docfetch_telnyx_client.models import DocumentDownloadLink
from docfetch_telnyx_client.models import DocumentDownloadLinkResponse
from docfetch_telnyx_client.models import DocumentListResponse
from docfetch_telnyx_client.models import DocumentResponse

from docfetch.core._async.client import AsyncClientBase
from docfetch.core._async.client import AsyncClientOptions
from docfetch.core._async.client import AsyncDownloadOptions
from docfetch.core._async.client import AsyncFileOptions
from docfetch.core._async.client import async_collected
from docfetch.core._async.resolver import AsyncResolver
from docfetch.core.settings import setting
from docfetch.errors import DocfetchError
from docfetch.errors import parse_error_body
from docfetch.providers.telnyx.rules import FACTS
from docfetch.providers.telnyx.rules import MAX_PAGE_SIZE
from docfetch.providers.telnyx.rules import DocumentFilters
from docfetch.providers.telnyx.rules import DownloadMethod
from docfetch.providers.telnyx.rules import check_document_id
from docfetch.providers.telnyx.rules import check_method
from docfetch.providers.telnyx.rules import document_uuid
from docfetch.providers.telnyx.rules import list_kwargs
from docfetch.providers.telnyx.rules import more_pages
from docfetch.providers.telnyx.rules import plan
from docfetch.types import Dest
from docfetch.types import FileResult
from docfetch.types import Link
from docfetch.types import Planned
from docfetch.types import SavedFile

if TYPE_CHECKING:
    from docfetch.core._async.pipeline import AsyncDownloadStream

__all__ = ["AsyncTelnyxClient"]


class AsyncTelnyxClient(AsyncClientBase):
    """Telnyx Documents API. Credentials: ``api_key`` or ``TELNYX_API_KEY``; base URL: ``base_url`` or
    ``TELNYX_BASE_URL`` (default ``https://api.telnyx.com/v2``, including ``/v2``)."""

    facts = FACTS
    check_id = staticmethod(check_document_id)

    def __init__(self, *, api_key: str | None = None, **options: Unpack[AsyncClientOptions]) -> None:
        key = setting(api_key, FACTS.credentials["api_key"], provider=FACTS.name)
        # Telnyx's {"errors": [{code, title, detail}]} is what the default parser reads.
        super().__init__(
            key_header=("Authorization", f"Bearer {key}"), parse_error=parse_error_body, **options
        )

    # --- typed operations ----------------------------------------------------------------------

    async def retrieve_document(self, document_id: str) -> DocServiceDocument:
        """``GET /documents/{id}``: the document's metadata (filename, size, sha256, statuses)."""
        kwargs = api.retrieve_document.request_kwargs(document_uuid(document_id))
        return (await self._call(kwargs, api.retrieve_document.build_response, DocumentResponse)).data

    async def list_documents(
        self,
        *,
        page_number: int | None = None,
        page_size: int | None = None,
        **filters: Unpack[DocumentFilters],
    ) -> DocumentListResponse:
        """``GET /documents``: one page (newest first unless ``sort`` says otherwise).

        Wire names: ``page[number]``, ``page[size]`` (1-250), ``filter[filename][contains]``,
        ``filter[customer_reference][eq]``, ``filter[created_at][gt]`` / ``[lt]``, ``sort``.
        """
        kwargs = list_kwargs(page_number, page_size, filters)
        return await self._call(kwargs, api.list_documents.build_response, DocumentListResponse)

    async def iter_documents(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Unpack[DocumentFilters]
    ) -> AsyncIterator[DocServiceDocument]:
        """Every matching document, fetching page after page as the iteration goes."""
        number = 1
        while True:
            page = await self.list_documents(page_number=number, page_size=page_size, **filters)
            for document in page.data:
                yield document
            if not more_pages(page, number, page_size):
                return
            number += 1

    async def get_download_link(self, document_id: str) -> DocumentDownloadLink:
        """``GET /documents/{id}/download_link``: a temporary pre-signed URL (``.url``), no credential needed."""
        kwargs = api.get_document_download_link.request_kwargs(document_uuid(document_id))
        build = api.get_document_download_link.build_response
        return (await self._call(kwargs, build, DocumentDownloadLinkResponse)).data

    # --- uniform interface ---------------------------------------------------------------------

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """One download link per distinct document id (Telnyx does not say when a link expires:
        ``expires_at`` None)."""
        distinct = dict.fromkeys(self.check_ids(ids))
        return [Link(doc_id, None, (await self.get_download_link(doc_id)).url) for doc_id in distinct]

    def iter_download(
        self,
        ids: Iterable[str],
        dest_dir: str | os.PathLike[str],
        *,
        method: DownloadMethod = "link",
        **options: Unpack[AsyncDownloadOptions],
    ) -> AsyncDownloadStream:
        """Save each document into ``dest_dir`` as soon as its metadata is known, yielding each result
        when final. ``method="link"`` fetches through a temporary link (renewed if it expires),
        ``"direct"`` streams ``/documents/{id}/download``. A document the antivirus scan reports as
        infected is saved with a ``warning``. Telnyx has no jobs: ``on_status`` and ``wait_timeout``
        are unused."""
        return self._stream(_Documents(self, check_method(method)), ids, dest_dir, options)

    download = async_collected(iter_download)

    async def download_document(
        self, document_id: str, dest_dir: Dest, *, method: DownloadMethod = "link", name: str | None = None,
        **options: Unpack[AsyncFileOptions],
    ) -> SavedFile:  # fmt: skip
        """Save one document, verified against its size and sha256; raises its error on failure."""
        resolver = _Documents(self, check_method(method), name=name)
        return (await self._download_one(resolver, document_id, dest_dir, options)).saved_file()

    def _resolver(self, options: AsyncDownloadOptions) -> AsyncResolver:
        return _Documents(self, "link")

    def _source(self, document_id: str, method: DownloadMethod) -> dict[str, Any]:
        if method == "direct":
            return {"open": self._opener(api.download_document.request_kwargs(document_uuid(document_id)))}

        async def fresh_url() -> str:  # asked for when the transfer starts, and again if refused
            return (await self.get_download_link(document_id)).url

        return {"url": fresh_url}


class _Documents(AsyncResolver):
    """Each document's metadata, looked up when a transfer is about to need it."""

    check = staticmethod(check_document_id)

    def __init__(self, client: AsyncTelnyxClient, method: DownloadMethod, *, name: str | None = None) -> None:
        self._client = client
        self._method = method
        self._name = name

    async def resolve(self, batch: list[str]) -> AsyncIterator[Planned | FileResult]:
        for doc_id in batch:
            try:
                document = await self._client.retrieve_document(doc_id)
            except DocfetchError as exc:
                yield FileResult(doc_id, error=exc)
                continue
            yield plan(doc_id, document, self._client._source(doc_id, self._method), self._name)
