"""Telnyx Documents rules, shared by both clients (no I/O): ids, list queries, what a document's
metadata says about its download (name, size, sha256, antivirus verdict)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from typing import Literal
from typing import TypedDict
from uuid import UUID

from docfetch_telnyx_client.api import documents as api
from docfetch_telnyx_client.models import DocServiceDocument
from docfetch_telnyx_client.models import DocServiceDocumentAvScanStatus
from docfetch_telnyx_client.models import DocServiceDocumentSize
from docfetch_telnyx_client.models import DocumentListResponse
from docfetch_telnyx_client.models import DocumentSortField
from docfetch_telnyx_client.models import PaginationMeta
from docfetch_telnyx_client.types import UNSET
from docfetch_telnyx_client.types import Unset

from docfetch._registry import facts
from docfetch.core.settings import check_pattern_id
from docfetch.errors import InvalidInputError
from docfetch.types import Checksum
from docfetch.types import DownloadItem
from docfetch.types import Planned

FACTS = facts("telnyx")
API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url
MAX_PAGE_SIZE = 250  # the API's documented maximum for page[size]
DownloadMethod = Literal["link", "direct"]
_METHODS: tuple[DownloadMethod, ...] = ("link", "direct")


def check_document_id(given: str) -> str:
    """A document id is a UUID; anything else fails before any request."""
    return check_pattern_id(given, FACTS)


def document_uuid(document_id: str) -> UUID:
    return UUID(check_document_id(document_id))


def check_method(method: str) -> DownloadMethod:
    for known in _METHODS:
        if method == known:
            return known
    raise InvalidInputError(f"method must be 'link' or 'direct', not {method!r}")


class DocumentFilters(TypedDict, total=False):
    """Which documents ``list_documents`` / ``iter_documents`` return (the API's ``filter[...]``, ``sort``)."""

    filename_contains: str | None
    customer_reference: str | None
    created_after: datetime | None
    created_before: datetime | None
    sort: Sequence[DocumentSortField | str] | None


def list_kwargs(page_number: int | None, page_size: int | None, filters: DocumentFilters) -> dict[str, Any]:
    """The generated ``request_kwargs`` for the friendly names (the generator strips the brackets of
    ``page[number]``, ``filter[filename][contains]``...), validated before any request."""
    if page_number is not None and page_number < 1:
        raise InvalidInputError(f"page_number must be >= 1, got {page_number}")
    if page_size is not None and not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInputError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {page_size}")
    sort = filters.get("sort")
    if isinstance(sort, str):
        raise InvalidInputError(f"sort takes a list of fields, got the string {sort!r}")
    fields: list[DocumentSortField] | Unset = UNSET
    if sort:
        try:
            fields = [DocumentSortField(field) for field in sort]
        except ValueError as exc:
            allowed = ", ".join(f.value for f in DocumentSortField)
            raise InvalidInputError(f"invalid sort field ({exc}); allowed: {allowed}") from exc

    def given(value: Any) -> Any:
        return UNSET if value is None else value

    return api.list_documents.request_kwargs(
        pagenumber=given(page_number),
        pagesize=given(page_size),
        filterfilenamecontains=given(filters.get("filename_contains")),
        filtercustomer_referenceeq=given(filters.get("customer_reference")),
        filtercreated_atgt=given(filters.get("created_after")),
        filtercreated_atlt=given(filters.get("created_before")),
        sort=fields,
    )


def more_pages(page: DocumentListResponse, number: int, size: int) -> bool:
    total = page.meta.total_pages if isinstance(page.meta, PaginationMeta) else None
    if isinstance(total, int):
        return number < total and bool(page.data)
    return len(page.data) >= size  # no total: a short page is the last one


def plan(
    doc_id: str, document: DocServiceDocument, source: dict[str, Any], name: str | None = None
) -> Planned:
    """Name, expected size and sha256 from the document's metadata, for verification; what it warns about."""
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
    return Planned(item, owner=doc_id, warning="; ".join(warnings) or None)
