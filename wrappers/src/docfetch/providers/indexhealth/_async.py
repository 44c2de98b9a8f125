"""Index Health (IndexSDK) documents: list them, read their details, get presigned links and save their
files.

Credentials, from arguments or the environment: ``client_id`` / ``INDEXHEALTH_CLIENT_ID``,
``client_secret`` / ``INDEXHEALTH_CLIENT_SECRET``, ``fingerprint`` / ``INDEXHEALTH_FINGERPRINT`` (a
device or client identifier) and ``user`` / ``INDEXHEALTH_USER``: the end user tokens are issued for, a
JSON object with ``first_name``, ``last_name`` and one of ``email``, ``date_of_birth``, ``uid``, ``eid``
(optional ``group_name``, ``phone``), checked at construction. Base URL: ``base_url`` /
``INDEXHEALTH_BASE_URL``, **required**: Index Health issues one per customer and publishes none (its
docs use ``https://api.example.com``), so there is no default that could work.

Decisions:

* Auth: the client credentials are exchanged at ``/generate-client-auth-token`` for a bearer token
  (``data.auth_token``, else ``data.access_token``): one exchange shared by every concurrent request,
  renewed before it expires (the token is a JWT whose ``exp - iat`` gives its lifetime without
  trusting the local clock) and once after a 403. A refused exchange (400/401) raises
  :class:`~docfetch.errors.AuthFlowError` carrying the provider's message.
* Errors: 435 -> :class:`MissingFieldsError` (e.g. "Document has no file path": a URL-based document),
  437 -> :class:`DocumentNotFoundError` (also a ``NotFoundError``), a 403 that survives a fresh token ->
  :class:`UnauthorizedError` (both a ``PermissionDeniedError`` and an ``AuthenticationError``).
  The status is the envelope's ``statusCode`` when it says an error, whatever the HTTP status (the
  service may answer HTTP 200 with ``statusCode: 437``): the same typed error, a token renewed after
  an enveloped 403, and a direct download answered with an envelope raises instead of saving it.
* Retry safety: every call is read-only (the POSTs read or presign, and a token exchange has no lasting
  effect), so all are retried on transport errors and 408/429/5xx.
* Downloads: ``method="direct"`` (the default) streams ``GET /download/{id}`` with the bearer token,
  resumable and never buffered; ``method="signed_url"`` asks ``POST /download`` for a presigned URL
  (valid one hour) when the transfer starts and fetches it without any credential, asking again if
  it expires. The file name comes from Content-Disposition (``filename*`` first), made safe.
* Ids are path segments: empty ids, control characters, ``/``, ``.`` and ``..`` are refused before any
  request (``..`` would otherwise be resolved away by URL normalisation); the rest is percent-encoded.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from collections.abc import Iterable
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from typing import TYPE_CHECKING
from typing import Unpack

import attrs
from docfetch_indexhealth_client.api import auth as auth_api
from docfetch_indexhealth_client.api import documents as documents_api
from docfetch_indexhealth_client.models import ClientAuthTokenResponse
from docfetch_indexhealth_client.models import DocumentDetails
from docfetch_indexhealth_client.models import DocumentDetailsResponse
from docfetch_indexhealth_client.models import DocumentIdRequest
from docfetch_indexhealth_client.models import DocumentListResponse
from docfetch_indexhealth_client.models import DocumentSummary
from docfetch_indexhealth_client.models import DownloadUrl
from docfetch_indexhealth_client.models import DownloadUrlResponse
from docfetch_indexhealth_client.models import GetDocumentsRequest

from docfetch.core._async.client import AsyncClientBase
from docfetch.core._async.client import AsyncClientOptions
from docfetch.core._async.client import AsyncDownloadOptions
from docfetch.core._async.client import AsyncFileOptions
from docfetch.core._async.client import async_collected
from docfetch.core._async.resolver import AsyncResolver
from docfetch.core._backends.aio import Lock
from docfetch.core.hints import is_small_json
from docfetch.core.settings import ApiSettings
from docfetch.errors import AuthenticationError
from docfetch.errors import BadRequestError
from docfetch.errors import DocfetchError
from docfetch.errors import parse_error_body
from docfetch.providers.indexhealth.rules import FACTS
from docfetch.providers.indexhealth.rules import STATUS_ERRORS
from docfetch.providers.indexhealth.rules import DownloadMethod
from docfetch.providers.indexhealth.rules import UserInput
from docfetch.providers.indexhealth.rules import base_url_setting
from docfetch.providers.indexhealth.rules import check_collection_id
from docfetch.providers.indexhealth.rules import check_document_id
from docfetch.providers.indexhealth.rules import check_method
from docfetch.providers.indexhealth.rules import engine_handles
from docfetch.providers.indexhealth.rules import envelope_status
from docfetch.providers.indexhealth.rules import exchange_refused
from docfetch.providers.indexhealth.rules import link_for
from docfetch.providers.indexhealth.rules import token_from
from docfetch.providers.indexhealth.rules import token_request
from docfetch.types import Dest
from docfetch.types import DownloadItem
from docfetch.types import FileResult
from docfetch.types import Link
from docfetch.types import Planned

if TYPE_CHECKING:
    import httpx

    from docfetch.core._async.pipeline import AsyncDownloadStream
    from docfetch.core.auth import Token

__all__ = ["AsyncIndexHealthClient"]


class AsyncIndexHealthClient(AsyncClientBase):
    """Index Health documents (see the module docstring for the decisions). Use it as a context manager."""

    facts = FACTS
    check_id = staticmethod(check_document_id)

    def __init__(
        self,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        fingerprint: str | None = None,
        user: UserInput | None = None,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        self._token_body = token_request(client_id, client_secret, fingerprint, user)
        options["base_url"] = base_url_setting(options.get("base_url"))
        super().__init__(
            parse_error=parse_error_body,
            status_overrides=STATUS_ERRORS,
            envelope_status=envelope_status,
            **options,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _make_auth(self, settings: ApiSettings) -> httpx.Auth:
        from docfetch.core._async.auth import AsyncClientCredentialsAuth

        # token_from keeps a margin before expiry; an enveloped 401/403 renews the token too.
        return AsyncClientCredentialsAuth(self._exchange, refresh_skew=0.0, envelope_status=envelope_status)

    async def _exchange(self) -> Token:
        import httpx

        kwargs = auth_api.generate_client_auth_token.request_kwargs(body=self._token_body)
        build = auth_api.generate_client_auth_token.build_response
        anonymous = attrs.evolve(self._parts, auth=httpx.Auth())  # the exchange carries no token
        try:
            answer = await self._call(kwargs, build, ClientAuthTokenResponse, api=anonymous)
        except (BadRequestError, AuthenticationError) as refused:
            raise exchange_refused(refused) from refused
        return token_from(answer)

    async def _token(self) -> None:
        """A token now: a refused credential is reported once, not once per document."""
        await self._parts.auth.token()  # type: ignore[attr-defined]

    # --- one call per endpoint -------------------------------------------------------------------

    async def get_documents(self, collection_id: str) -> list[DocumentSummary]:
        """The documents of a collection (an unknown collection gives an empty list)."""
        body = GetDocumentsRequest(collection_id=check_collection_id(collection_id))
        kwargs = documents_api.get_documents.request_kwargs(body=body)
        return (
            await self._call(kwargs, documents_api.get_documents.build_response, DocumentListResponse)
        ).data

    async def get_document_details(self, document_id: str) -> DocumentDetails:
        """One document with its associated plans; DocumentNotFoundError (437) if there is none."""
        body = DocumentIdRequest(document_id=check_document_id(document_id))
        kwargs = documents_api.get_document_details.request_kwargs(body=body)
        build = documents_api.get_document_details.build_response
        return (await self._call(kwargs, build, DocumentDetailsResponse)).data

    async def request_download(self, document_id: str) -> DownloadUrl:
        """A presigned URL (valid one hour, needs no credential) for a file-based document."""
        body = DocumentIdRequest(document_id=check_document_id(document_id))
        kwargs = documents_api.request_download.request_kwargs(body=body)
        build = documents_api.request_download.build_response
        return (await self._call(kwargs, build, DownloadUrlResponse)).data

    # --- the uniform interface -------------------------------------------------------------------

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """One presigned :class:`Link` per document (``expires_at``: one hour after it was asked for)."""
        links: list[Link] = []
        for document_id in dict.fromkeys(self.check_ids(ids)):
            asked_at = datetime.now(UTC)
            links.append(
                link_for(document_id, (await self.request_download(document_id)).download_url, asked_at)
            )
        return links

    def iter_download(
        self,
        ids: Iterable[str],
        dest_dir: str | os.PathLike[str],
        *,
        method: DownloadMethod = "direct",
        **options: Unpack[AsyncDownloadOptions],
    ) -> AsyncDownloadStream:
        """Save each document's file into ``dest_dir``, yielding each result when final; failures
        (DocumentNotFoundError, MissingFieldsError, AuthFlowError...) are results, not exceptions.
        ``on_status`` and ``wait_timeout`` exist for the uniform interface: there are no jobs to wait for."""
        return self._stream(_Documents(self, check_method(method)), ids, dest_dir, options)

    download = async_collected(iter_download)

    async def download_document(
        self,
        document_id: str,
        dest_dir: Dest,
        *,
        method: DownloadMethod = "direct",
        **options: Unpack[AsyncFileOptions],
    ) -> FileResult:
        """Save one document's file; its error is raised instead of returned."""
        return await self._download_one(
            _Documents(self, check_method(method)), document_id, dest_dir, options
        )

    def _resolver(self, options: AsyncDownloadOptions) -> AsyncResolver:
        return _Documents(self, "direct")

    def _item(self, document_id: str, method: DownloadMethod) -> DownloadItem:
        if method == "direct":
            kwargs = documents_api.download_document.request_kwargs(document_id)
            return DownloadItem(id=document_id, open=self._opener(kwargs))

        async def fresh_url() -> str:  # asked for when the transfer starts, and again if it expired
            return (await self.request_download(document_id)).download_url

        return DownloadItem(id=document_id, url=fresh_url)

    async def _check_direct(self, response: httpx.Response) -> None:
        """Statuses the engine does not handle, and envelopes instead of a document, become this
        provider's typed errors here."""
        if not engine_handles(response.status_code) or is_small_json(response):
            await response.aread()
            self._settings.raise_for_status(response)


class _Documents(AsyncResolver):
    """Documents need no lookup: each id is an item at once (after one token for the whole run)."""

    check = staticmethod(check_document_id)

    def __init__(self, client: AsyncIndexHealthClient, method: DownloadMethod) -> None:
        self._client = client
        self._method = method
        self._refused: DocfetchError | None = None
        self._checked = False
        self._lock = Lock()

    async def resolve(self, batch: list[str]) -> AsyncIterator[Planned | FileResult]:
        async with self._lock:
            if not self._checked:
                try:
                    await self._client._token()
                except DocfetchError as exc:
                    self._refused = exc
                self._checked = True
        for document_id in batch:
            if self._refused is not None:
                yield FileResult(document_id, error=self._refused)
            else:
                yield Planned(self._client._item(document_id, self._method), owner=document_id)
