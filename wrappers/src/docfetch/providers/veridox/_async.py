"""Veridox Files: signed download URLs for any number of file ids, paced to the API's rate limit,
and verified downloads whose links are renewed in batches when they expire.

The clients (the sync one is generated from this file) send the organisation key in ``x-api-key``.
Statuses are mapped to the core's typed errors before a body is parsed, with Veridox's
``{error_code, error_message}`` as ``code`` / ``message``.

``POST /files/download`` signs at most 25 ids per request and allows 20 requests a minute per key:

* ids are checked against the spec's UUIDv7 pattern before any request, repeated ids (in any
  letter case) are asked for once and reported once, and the rest go out in batches of 25;
* every such request (retries included) takes a token from one
  :class:`~docfetch.core.ratelimit.TokenBucket` per API key and API host, shared by every sync and
  async client of the process (an attempt that never reached the server gives its token back); a
  429 drains the bucket for its hint, so nobody sends again before it ends;
* ids Veridox answers with a per-file ``error`` become :class:`VeridoxFileError` subclasses carrying
  Veridox's string, one per id, while the others get their links.

Downloads sign one batch when the transfers are ready for it (never far ahead: links are used
seconds after they are issued), with each file's label as its name (made safe: a hostile label never
escapes ``dest_dir``). A link that is about to expire, or that storage refuses, is signed again
together with every other waiting link that expires soon: up to 25 per request, never one per file
(a refusal met while that request waits for the rate limit waits for its answer too).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Sequence
from datetime import datetime
from typing import Unpack

from docfetch_veridox_client.api import files as api
from docfetch_veridox_client.models import AssetType
from docfetch_veridox_client.models import AssetUrl
from docfetch_veridox_client.models import DownloadFilesResponse
from docfetch_veridox_client.models import FileList
from docfetch_veridox_client.models import FileSortBy
from docfetch_veridox_client.models import FileSummary
from docfetch_veridox_client.models import SortOrder

from docfetch.core._async.client import AsyncClientBase
from docfetch.core._async.client import AsyncClientOptions
from docfetch.core._async.client import AsyncDownloadOptions
from docfetch.core._async.client import async_collected
from docfetch.core._async.links import AsyncBatcher
from docfetch.core._async.links import AsyncSignedLink
from docfetch.core._async.resolver import AsyncResolver
from docfetch.core.ratelimit import TokenBucket
from docfetch.core.settings import setting
from docfetch.errors import DocfetchError
from docfetch.errors import InvalidInputError
from docfetch.providers.veridox.rules import FACTS
from docfetch.providers.veridox.rules import MAX_IDS_PER_REQUEST
from docfetch.providers.veridox.rules import MAX_PAGE_SIZE
from docfetch.providers.veridox.rules import SignedUrl
from docfetch.providers.veridox.rules import answers
from docfetch.providers.veridox.rules import asset_query
from docfetch.providers.veridox.rules import batches
from docfetch.providers.veridox.rules import check_file_id
from docfetch.providers.veridox.rules import expiry_of
from docfetch.providers.veridox.rules import label_of
from docfetch.providers.veridox.rules import list_query
from docfetch.providers.veridox.rules import parse_veridox_error
from docfetch.providers.veridox.rules import refuses_everything
from docfetch.providers.veridox.rules import request_body
from docfetch.providers.veridox.rules import shared_rate_limiter
from docfetch.types import DownloadItem
from docfetch.types import FileResult
from docfetch.types import Link
from docfetch.types import Planned

__all__ = ["AsyncVeridoxClient"]

Signature = tuple[str, datetime | None]
"""A signed URL and when it expires."""


class AsyncVeridoxClient(AsyncClientBase):
    """Veridox Files API. Credentials: ``api_key`` or ``VERIDOX_API_KEY``; base URL: ``base_url`` or
    ``VERIDOX_BASE_URL`` (default ``https://api.uk.veridox.ai``; Canada: ``https://api.ca.veridox.ai``).
    ``rate_limiter`` replaces the shared 20-a-minute bucket of this key and host."""

    facts = FACTS
    check_id = staticmethod(check_file_id)

    def __init__(
        self,
        *,
        api_key: str | None = None,
        rate_limiter: TokenBucket | None = None,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        key = setting(api_key, FACTS.credentials["api_key"], provider=FACTS.name)
        super().__init__(key_header=("x-api-key", key), parse_error=parse_veridox_error, **options)
        self.rate_limiter = rate_limiter or shared_rate_limiter(key, self.base_url)

    # --- typed operations ----------------------------------------------------------------------

    async def download_files(self, file_ids: Sequence[str]) -> DownloadFilesResponse:
        """``POST /files/download`` for 1-25 ids, as Veridox answers it (``files`` and per-id ``errors``).

        Waits for the shared rate limit; a 429 drains it for its hint and tries again
        (``RateLimitError`` once the retry policy's attempts or ``retry_after_cap`` are exceeded).
        """
        kwargs = api.download_files.request_kwargs(body=request_body(file_ids))
        build = api.download_files.build_response
        return await self._call(kwargs, build, DownloadFilesResponse, pace=self.rate_limiter)

    async def list_files(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        sort_by: FileSortBy | str | None = None,
        sort_order: SortOrder | str | None = None,
    ) -> FileList:
        """``GET /files``: one page (``limit`` 1-100, default 50; newest first unless told otherwise)."""
        kwargs = list_query(limit, offset, sort_by, sort_order)
        return await self._call(kwargs, api.list_files.build_response, FileList)

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
        """``GET /files/asset-url``: a 30-minute signed URL for the file or a generated asset
        (``NotFoundError`` with code ``request.cases.case-file.asset-not-found`` until it exists)."""
        return await self._call(asset_query(file_id, asset), api.get_asset_url.build_response, AssetUrl)

    async def signed_urls(self, ids: Sequence[str]) -> list[SignedUrl]:
        """One :class:`SignedUrl` per distinct id (any number, 25 per request, paced), in order.

        Ids Veridox refuses carry a :class:`VeridoxFileError`; a failed request raises.
        """
        found: list[SignedUrl] = []
        for batch in batches(self.check_ids(ids)):
            found.extend(answers(batch, await self.download_files(batch)))
        return found

    # --- uniform interface ---------------------------------------------------------------------

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """A :class:`Link` (label as a safe name, 60-minute URL) for each distinct id Veridox signs;
        ids it refuses are left out (:meth:`signed_urls` says why)."""
        return [signed.to_link() for signed in await self.signed_urls(ids) if signed.link is not None]

    download = async_collected(AsyncClientBase.iter_download)

    def _resolver(self, options: AsyncDownloadOptions) -> AsyncResolver:
        return _Files(self)


class _Files(AsyncResolver):
    """Signs 25 ids at a time, one request at a time (the rate limit serialises them anyway), and
    renews expiring links in batches."""

    batch_size = MAX_IDS_PER_REQUEST
    planners = 1
    check = staticmethod(check_file_id)

    def __init__(self, client: AsyncVeridoxClient) -> None:
        self._client = client
        self._refused: DocfetchError | None = None
        self._live: dict[str, tuple[str, AsyncSignedLink]] = {}  # key -> (id as given, its link)
        self._renewals: AsyncBatcher[str, Signature] = AsyncBatcher(
            self._renew, max_batch=MAX_IDS_PER_REQUEST, companions=self._due_with
        )

    def key(self, checked: str) -> str:
        return checked.lower()

    async def resolve(self, batch: list[str]) -> AsyncIterator[Planned | FileResult]:
        if self._refused is None:
            try:
                signed = answers(batch, await self._client.download_files(batch))
            except InvalidInputError:
                raise
            except DocfetchError as exc:
                if refuses_everything(exc):
                    self._refused = exc  # no later batch can succeed: none is sent
                signed = [SignedUrl(given, error=exc) for given in batch]
        else:
            signed = [SignedUrl(given, error=self._refused) for given in batch]
        for answer in signed:
            if answer.link is None:
                yield FileResult(answer.id, error=answer.error)
                continue
            key = self.key(answer.id)
            link = AsyncSignedLink(
                answer.link.download_url, expiry_of(answer.link), self._renewer(key), label=answer.id
            )
            self._live[key] = (answer.id, link)
            yield Planned(DownloadItem(answer.id, url=link, name=label_of(answer.link)), owner=answer.id)

    def _renewer(self, key: str) -> Callable[[], Awaitable[Signature]]:
        async def renew() -> Signature:
            return await self._renewals.get(key)

        return renew

    async def settle(self, planned: Planned, result: FileResult) -> FileResult:
        self._live.pop(self.key(planned.owner), None)
        return result

    def _due_with(self, keys: list[str]) -> list[str]:
        """Every other waiting link that expires soon or no later than one of ``keys`` (signed at
        the same time, it is refused too): renewed in the same request."""
        # Veridox's own expiry, not the local deadline (which differs by when each link was registered):
        # links signed in one request share it exactly.
        due = [self._live[key][1].expires_at for key in keys if key in self._live]
        latest = max((expiry for expiry in due if expiry is not None), default=None)
        return [
            key
            for key, (_, link) in self._live.items()
            if (latest is not None and link.expires_at is not None and link.expires_at <= latest)
            or link.expiring()
        ]

    async def _renew(self, keys: Sequence[str]) -> dict[str, Signature | BaseException]:
        """Sign ``keys`` again; each waiting link among them takes its fresh signature at once (one
        renewed as another's companion then needs no request of its own)."""
        given = [self._live[key][0] if key in self._live else key for key in keys]
        signed = answers(given, await self._client.download_files(given))
        found: dict[str, Signature | BaseException] = {}
        for key, answer in zip(keys, signed, strict=True):
            if answer.link is None:
                found[key] = answer.error or LookupError(key)
                continue
            fresh = (answer.link.download_url, expiry_of(answer.link))
            found[key] = fresh
            if key in self._live:
                self._live[key][1].update(*fresh)
        return found
