"""Veridox Files rules, shared by both clients (no I/O): file ids, per-file errors, the error body,
the shared rate limit, and collecting the answers of the signing endpoint batch by batch."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from typing import TypeVar

import attrs
from docfetch_veridox_client.api import files as api
from docfetch_veridox_client.models import AssetType
from docfetch_veridox_client.models import DownloadFilesRequest
from docfetch_veridox_client.models import DownloadFilesResponse
from docfetch_veridox_client.models import FileDownloadLink
from docfetch_veridox_client.models import FileSortBy
from docfetch_veridox_client.models import SortOrder
from docfetch_veridox_client.types import UNSET

from docfetch._registry import facts
from docfetch.core.filenames import first_name
from docfetch.core.ratelimit import TokenBucket
from docfetch.core.settings import check_pattern_id
from docfetch.errors import AuthenticationError
from docfetch.errors import DocfetchError
from docfetch.errors import ErrorDetails
from docfetch.errors import InvalidInputError
from docfetch.errors import PermissionDeniedError
from docfetch.errors import ResponseLike
from docfetch.errors import ResponseValidationError
from docfetch.errors import parse_error_body
from docfetch.types import Link

FACTS = facts("veridox")
API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url
MAX_IDS_PER_REQUEST = 25  # DownloadFilesRequest.file_ids maxItems
REQUESTS_PER_MINUTE = 20  # POST /files/download, per API key
MAX_PAGE_SIZE = 100  # GET /files limit maximum
# The spec's patterns, verbatim: file_ids items of POST /files/download, and file_id of GET /files/asset-url.
FILE_ID_PATTERN = re.compile(rf"^({FACTS.id_pattern})$")
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


# --- ids ---------------------------------------------------------------------------------------


def _why_not_uuid7(item: str) -> str:
    """What makes a UUID that is not a UUIDv7 wrong (nothing to add for other text)."""
    if not _ANY_UUID.fullmatch(item):
        return ""
    if item[14] != "7":
        return f" ({item!r} is a version-{item[14]} UUID)"
    return f" (its variant digit {item[19]!r} must be 8, 9, a or b)"


def check_file_id(given: str) -> str:
    """A file id is a UUIDv7 (the spec's pattern); anything else fails before any request."""
    return check_pattern_id(given, FACTS, _why_not_uuid7)


def _distinct(ids: Sequence[str]) -> dict[str, str]:
    """Canonical (lower-case) id -> the id as first given, in order: one request and one answer per file."""
    distinct: dict[str, str] = {}
    for item in ids:
        distinct.setdefault(item.lower(), item)
    return distinct


def request_body(file_ids: Sequence[str]) -> DownloadFilesRequest:
    checked = [check_file_id(given) for given in file_ids]
    if len(checked) > MAX_IDS_PER_REQUEST:
        raise InvalidInputError(
            f"at most {MAX_IDS_PER_REQUEST} file ids per request, got {len(checked)} (signed_urls() batches any number)"
        )
    return DownloadFilesRequest(file_ids=checked)


def asset_query(file_id: str, asset: AssetType | str) -> dict[str, Any]:
    if not isinstance(file_id, str) or not ASSET_FILE_ID_PATTERN.fullmatch(file_id):
        raise InvalidInputError(f"invalid file id {file_id!r}: expected a UUID like {_EXAMPLE_ID}")
    return api.get_asset_url.request_kwargs(file_id=file_id, asset=_enum(AssetType, asset, "asset"))


E = TypeVar("E", AssetType, FileSortBy, SortOrder)


def _enum(cls: type[E], value: E | str, what: str) -> E:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(member.value for member in cls)
        raise InvalidInputError(f"invalid {what} {value!r}; allowed: {allowed}") from None


def list_query(
    limit: int | None,
    offset: int | None,
    sort_by: FileSortBy | str | None,
    sort_order: SortOrder | str | None,
) -> dict[str, Any]:
    if limit is not None and not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInputError(f"limit must be between 1 and {MAX_PAGE_SIZE}, got {limit}")
    if offset is not None and offset < 0:
        raise InvalidInputError(f"offset must be >= 0, got {offset}")
    return api.list_files.request_kwargs(
        limit=UNSET if limit is None else limit,
        offset=UNSET if offset is None else offset,
        sort_by=UNSET if sort_by is None else _enum(FileSortBy, sort_by, "sort_by"),
        sort_order=UNSET if sort_order is None else _enum(SortOrder, sort_order, "sort_order"),
    )


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
        name = first_name([label_of(self.link)], fallback=self.id)
        return Link(self.id, name, self.link.download_url, expiry_of(self.link))


def label_of(link: FileDownloadLink) -> str | None:
    return link.label if isinstance(link.label, str) else None


def expiry_of(link: FileDownloadLink) -> datetime | None:
    return link.expires_at if isinstance(link.expires_at, datetime) else None


def batches(ids: Sequence[str]) -> Iterator[list[str]]:
    """Distinct ids (in any letter case, as first given), at most 25 at a time."""
    distinct = list(_distinct(ids).values())
    for start in range(0, len(distinct), MAX_IDS_PER_REQUEST):
        yield distinct[start : start + MAX_IDS_PER_REQUEST]


def answers(batch: Sequence[str], response: DownloadFilesResponse) -> list[SignedUrl]:
    """One :class:`SignedUrl` per id of ``batch``, in order: its link, Veridox's reason, or an error
    saying the answer had neither."""
    links = {str(link.file_id).lower(): link for link in response.files}
    errors = {
        str(error.file_id).lower(): error.error if isinstance(error.error, str) else "no reason given"
        for error in response.errors or []
    }
    found: list[SignedUrl] = []
    for given in batch:
        key = given.lower()
        if key in links:
            found.append(SignedUrl(given, link=links[key]))
        elif key in errors:
            found.append(SignedUrl(given, error=file_error(given, errors[key])))
        else:
            missing = ResponseValidationError(
                f"veridox: the answer has neither a URL nor an error for {given}"
            )
            found.append(SignedUrl(given, error=missing))
    return found


def refuses_everything(error: DocfetchError) -> bool:
    """A refused key: no later request of the run can succeed, so none is sent."""
    return isinstance(error, AuthenticationError | PermissionDeniedError)
