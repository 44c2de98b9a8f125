"""What every provider client shares: its settings, one way to call an operation, its lifecycle and
the uniform download interface (``iter_download`` / ``download``) built on the pipeline.

A provider client subclasses :class:`AsyncClientBase`, passes its auth and error rules to
``__init__`` and implements ``_resolver`` (its rules for the pipeline); it never edits or subclasses
generated code. Loading is deferred here, once for all: construction only checks arguments (no
httpx); the httpx clients and the generated package load on first use.

Every API request is sent with an absolute URL, this client's auth, timeout and ``User-Agent``, and
``follow_redirects=False`` (an API redirect must never carry a credential elsewhere), so it behaves
the same through a caller's own ``http_client`` (proxies, TLS settings, event hooks), which docfetch
never closes. Storage downloads go through the same network settings but as bare requests: never that
client's headers, auth or cookies (:mod:`docfetch.core.storage`).
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import AsyncIterator
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import asynccontextmanager
from types import TracebackType
from typing import TYPE_CHECKING
from typing import Any
from typing import ClassVar
from typing import ParamSpec
from typing import Protocol
from typing import Self
from typing import TypedDict
from typing import TypeVar
from typing import Unpack
from typing import cast

import attrs

from docfetch._registry import ProviderFacts
from docfetch.core._async.resolver import AsyncResolver
from docfetch.core._async.retry import async_call_with_retries
from docfetch.core.lazy import lazy_module
from docfetch.core.plan import DEFAULT_WAIT
from docfetch.core.plan import check_wait_timeout
from docfetch.core.ratelimit import TokenBucket
from docfetch.core.ratelimit import wait_after_refusal
from docfetch.core.retry import RetryPolicy
from docfetch.core.retry import never_sent
from docfetch.core.settings import ApiSettings
from docfetch.core.settings import as_timeout
from docfetch.core.settings import check_base_url
from docfetch.core.settings import check_dest_dir
from docfetch.core.settings import check_ids
from docfetch.core.settings import network_options
from docfetch.core.settings import retry_policy
from docfetch.core.settings import setting
from docfetch.core.storage import USER_AGENT
from docfetch.errors import APIStatusError
from docfetch.errors import ErrorParser
from docfetch.errors import InvalidInputError
from docfetch.types import FileResult
from docfetch.types import Link
from docfetch.types import ProgressCallback
from docfetch.types import StatusCallback

if TYPE_CHECKING:
    import ssl

    import httpx

    from docfetch.core._async.engine import AsyncOpener
    from docfetch.core._async.pipeline import AsyncDownloadStream
    from docfetch.core._async.storage import AsyncStorage
else:
    httpx = lazy_module("httpx")

__all__ = [
    "AsyncClientBase",
    "AsyncClientOptions",
    "AsyncDocumentClient",
    "AsyncDownloadOptions",
    "AsyncFileOptions",
    "async_collected",
]

M = TypeVar("M")
P = ParamSpec("P")


class AsyncClientOptions(TypedDict, total=False):
    """What every client takes besides its credentials."""

    base_url: str | None
    """The API's base URL (else ``<PROVIDER>_BASE_URL``, else the provider's default)."""
    timeout: float | httpx.Timeout | None
    """Seconds per read (a number) or an ``httpx.Timeout``; default 10 s to connect, 30 s per read."""
    retry: RetryPolicy | None
    """How API requests are retried (default :class:`~docfetch.core.retry.RetryPolicy`)."""
    max_retries: int | None
    """Retries after the first attempt (the official SDKs' spelling); sets ``retry``'s attempts."""
    http_client: httpx.AsyncClient | None
    """Your own httpx client for API calls, and for storage downloads as bare requests (its proxies,
    TLS settings and transport, never its headers, cookies or auth); docfetch never closes it."""
    verify: ssl.SSLContext | str | os.PathLike[str] | bool | None
    """TLS verification for API and storage: an ``ssl.SSLContext``, a CA bundle (PEM path) or False
    (default: httpx's, which honours ``SSL_CERT_FILE``). Not with ``http_client``."""
    proxy: str | httpx.Proxy | None
    """A proxy for API and storage requests (default: ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``NO_PROXY``
    from the environment). Not with ``http_client``."""


class AsyncFileOptions(TypedDict, total=False):
    """What every download of files takes (one file: ``download_document``)."""

    overwrite: bool
    """Replace files that exist (default: an existing file is kept and reported as a failure)."""
    progress: ProgressCallback | None
    """``progress(key, bytes_done, bytes_total)`` as bytes arrive."""


class AsyncDownloadOptions(AsyncFileOptions, total=False):
    """What every ``download`` / ``iter_download`` takes."""

    concurrency: int
    """Files transferred at once (default 4)."""
    on_status: StatusCallback | None
    """``on_status(job_id, state)`` when a job's state changes (job providers)."""
    wait_timeout: float
    """Seconds to wait for each job to end (default 600; job providers)."""
    archive: str | os.PathLike[str] | None
    """A download archive (SQLite file): what it records as saved is skipped, a killed transfer is
    resumed, and processes sharing it never fetch the same file at once."""
    verify_existing: bool
    """With an archive: also hash each skipped file, and fetch again any that differs."""


def async_collected(
    iter_download: Callable[P, AsyncDownloadStream],
) -> Callable[P, Awaitable[list[FileResult]]]:
    """``download``, made from a client's ``iter_download`` (same parameters): the list form, one
    :class:`FileResult` per saved file or per id that has none, in the order of the ids; per-item
    failures are results, never exceptions."""

    async def download(*args: P.args, **kwargs: P.kwargs) -> list[FileResult]:
        return await iter_download(*args, **kwargs).collect()

    download.__doc__ = async_collected.__doc__
    return download


class AsyncDocumentClient(Protocol):
    """The interface every provider client shares (what the command line uses)."""

    def __init__(self, **options: Unpack[AsyncClientOptions]) -> None: ...

    @staticmethod
    def check_id(given: str) -> str: ...

    @classmethod
    def check_ids(cls, ids: Iterable[str]) -> list[str]: ...

    def iter_download(
        self, ids: Iterable[str], dest_dir: str | os.PathLike[str], **options: Unpack[AsyncDownloadOptions]
    ) -> AsyncDownloadStream: ...

    async def download(
        self, ids: Iterable[str], dest_dir: str | os.PathLike[str], **options: Unpack[AsyncDownloadOptions]
    ) -> list[FileResult]: ...

    async def links(self, ids: Sequence[str]) -> list[Link]: ...

    async def close(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


@attrs.frozen
class _Built:
    """What the first use of a client builds."""

    settings: ApiSettings
    auth: httpx.Auth
    http: httpx.AsyncClient
    api: Any  # the generated package's Client (build_response reads its options)
    owns_http: bool
    tls: ssl.SSLContext  # shared by the API client and storage; certificates load at the first https use


class AsyncClientBase:
    """The shared half of every provider client (see the module docstring)."""

    facts: ClassVar[ProviderFacts]
    """The provider's facts (name, environment variables, default base URL, generated package)."""

    def __init__(
        self,
        *,
        key_header: tuple[str, str] | None = None,
        parse_error: ErrorParser | None = None,
        status_overrides: Mapping[int, type[APIStatusError]] | None = None,
        envelope_status: Callable[[httpx.Response], int | None] | None = None,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        facts = self.facts
        url = setting(
            options.get("base_url"), facts.base_url_env, provider=facts.name, default=facts.default_base_url
        )
        self._base_url = check_base_url(url, provider=facts.name, env_var=facts.base_url_env)
        self._retry = retry_policy(options.get("retry"), options.get("max_retries"))
        self._timeout = options.get("timeout")
        self._given_http = options.get("http_client")
        self._network = network_options(options)
        self._key_header = key_header
        self._parse_error = parse_error
        self._status_overrides = dict(status_overrides or {})
        self._envelope_status = envelope_status
        self._built: _Built | None = None
        self._storage_http: httpx.AsyncClient | None = None
        self._downloads: AsyncStorage | None = None
        self._lock = threading.Lock()  # guards the one-time build (sync code runs it from threads)

    # --- built on first use ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def _parts(self) -> _Built:
        built = self._built
        if built is None:
            with self._lock:
                if self._built is None:
                    self._built = self._build()
                built = self._built
        return built

    def _build(self) -> _Built:
        settings = ApiSettings(
            provider=self.facts.name,
            base_url=self._base_url,
            timeout=as_timeout(self._timeout),
            retry=self._retry,
            parse_error=self._parse_error,
            status_overrides=self._status_overrides,
            envelope_status=self._envelope_status,
        )
        from docfetch.core.tls import OnDemandTrust

        client_class = importlib.import_module(f"{self.facts.generated_package}.client").Client
        tls = OnDemandTrust()
        http = self._given_http or httpx.AsyncClient(
            timeout=settings.timeout, **{"verify": tls, **self._network}
        )
        return _Built(
            settings=settings,
            auth=self._make_auth(settings),
            http=http,
            api=client_class(base_url=self._base_url),
            owns_http=self._given_http is None,
            tls=tls,
        )

    def _make_auth(self, settings: ApiSettings) -> httpx.Auth:
        """The credential on every API request (a key header by default; token flows override this)."""
        from docfetch.core.auth import HeaderKeyAuth

        if self._key_header is None:
            return httpx.Auth()
        name, value = self._key_header
        return HeaderKeyAuth(name, value)

    @property
    def _settings(self) -> ApiSettings:
        return self._parts.settings

    @property
    def _http(self) -> httpx.AsyncClient:
        return self._parts.http

    def _storage(self) -> httpx.AsyncClient:
        """The client for signed storage URLs: the caller's own (as bare requests), else a
        credential-free one opened on first use."""
        if self._given_http is not None:
            return self._given_http
        parts = self._parts
        with self._lock:
            if self._storage_http is None:
                from docfetch.core._async.storage import async_storage_client

                network = {"verify": parts.tls, **self._network}
                self._storage_http = async_storage_client(timeout=parts.settings.timeout, **network)
            return self._storage_http

    def _storage_access(self) -> AsyncStorage:
        """How downloads reach storage: through the caller's own client, else docfetch's own way
        (:class:`~docfetch.core._async.storage.AsyncStorage`; its httpx client is :meth:`_storage`)."""
        from docfetch.core._async.storage import AsyncStorage

        parts = self._parts
        with self._lock:
            if self._downloads is None:
                if self._given_http is not None:
                    self._downloads = AsyncStorage.through(self._given_http)
                else:  # explicit proxy=/verify= apply to every request: the direct path is not used
                    self._downloads = AsyncStorage.own(
                        parts.settings.timeout, parts.tls, self._storage, direct=not self._network
                    )
            return self._downloads

    # --- one call per operation ------------------------------------------------------------------

    def _request(self, kwargs: Mapping[str, Any], *, api: _Built | None = None) -> dict[str, Any]:
        """A generated operation's ``request_kwargs`` made absolute, with our auth, timeout and headers."""
        parts = api or self._parts
        return {
            **kwargs,
            "url": parts.settings.base_url + str(kwargs["url"]),
            "headers": {"User-Agent": USER_AGENT, **(kwargs.get("headers") or {})},
            "auth": parts.auth,
            "timeout": parts.settings.timeout,
            "follow_redirects": False,
        }

    async def _send(
        self,
        kwargs: Mapping[str, Any],
        *,
        idempotent: bool = True,
        retry: RetryPolicy | None = None,
        api: _Built | None = None,
        pace: TokenBucket | None = None,
    ) -> httpx.Response:
        """Send an operation with the retry policy: a 2xx response, else this provider's typed error
        (the body is not parsed yet: a proxy's HTML 502 stays a retried ServerError). With ``pace``,
        each attempt first takes a token of that rate limit (see :meth:`_paced`)."""
        from docfetch.core._async.traced import AsyncTracedRequest

        parts = api or self._parts
        send = AsyncTracedRequest(parts.http, self._request(kwargs, api=parts))
        policy = retry or parts.settings.retry
        if pace is not None:
            response = await self._paced(send, idempotent, policy, pace)
        else:
            response = await async_call_with_retries(
                send,
                idempotent=idempotent,
                policy=policy,
                give_up=self._refused_for_good,
            )
        parts.settings.raise_for_status(response)
        return response

    async def _paced(
        self,
        send: Callable[[], Awaitable[httpx.Response]],
        idempotent: bool,
        policy: RetryPolicy,
        bucket: TokenBucket,
    ) -> httpx.Response:
        """Every attempt waits for a token of ``bucket`` (an attempt that never reached the server gives
        it back); a 429 drains the bucket for its hint, so nobody sharing it sends before it ends."""

        async def attempt() -> httpx.Response:
            await bucket.acquire_async()
            try:
                return await send()
            except Exception as exc:
                if never_sent(exc):
                    bucket.refund()
                raise

        without_429 = policy.with_(retry_statuses=policy.retry_statuses - {429})
        refusals = 0
        while True:
            response = await async_call_with_retries(attempt, idempotent=idempotent, policy=without_429)
            wait = wait_after_refusal(response.status_code, response.headers, refusals, policy)
            if wait is None:
                return response
            bucket.drain(wait)
            refusals += 1

    def _refused_for_good(self, response: httpx.Response) -> bool:
        """A hook: a retryable status this provider says waiting will not cure (never retried)."""
        return False

    async def _call(
        self,
        kwargs: Mapping[str, Any],
        build: Callable[..., Any],
        model: type[M],
        *,
        idempotent: bool = True,
        api: _Built | None = None,
        pace: TokenBucket | None = None,
    ) -> M:
        """One operation: sent (see :meth:`_send`), its 2xx body parsed by ``build_response`` as a ``model``."""
        parts = api or self._parts
        response = await self._send(kwargs, idempotent=idempotent, api=parts, pace=pace)
        return parts.settings.parse(build, parts.api, response, model)

    def _opener(self, kwargs: Mapping[str, Any]) -> AsyncOpener:
        """A download opener for an operation that streams the file itself (with our credential):
        the engine's Range headers are added, and :meth:`_check_direct` sees each response first."""
        request = self._request(kwargs)
        http = self._http

        @asynccontextmanager
        async def open_(headers: Mapping[str, str]) -> AsyncIterator[httpx.Response]:
            sent = {**request, "headers": {**request["headers"], **headers}}
            async with http.stream(**sent) as response:
                await self._check_direct(response)
                yield response

        return open_

    async def _check_direct(self, response: httpx.Response) -> None:
        """A hook for a provider whose direct downloads answer errors the engine cannot read."""

    # --- the uniform download interface ----------------------------------------------------------

    @staticmethod
    def check_id(given: str) -> str:
        """The provider's rule for one id: the id as it will be sent, or InvalidInputError."""
        raise NotImplementedError

    @classmethod
    def check_ids(cls, ids: Iterable[str]) -> list[str]:
        """The ids as they will be sent, once each passes the provider's rule; InvalidInputError otherwise."""
        return check_ids(ids, cls.check_id, what=cls.facts.id_what)

    def _resolver(self, options: AsyncDownloadOptions) -> AsyncResolver:
        """The provider's rules for one download run."""
        raise NotImplementedError

    def iter_download(
        self, ids: Iterable[str], dest_dir: str | os.PathLike[str], **options: Unpack[AsyncDownloadOptions]
    ) -> AsyncDownloadStream:
        """Save each id's files into ``dest_dir``, yielding each :class:`FileResult` as soon as it is final
        (``async for``; close it to stop early). ``ids`` may be any iterable, read as the run goes; a
        list is checked whole before any request."""
        return self._stream(self._resolver(options), ids, dest_dir, options)

    async def _download_one(
        self,
        resolver: AsyncResolver,
        item_id: str,
        dest_dir: str | os.PathLike[str],
        options: AsyncFileOptions,
    ) -> FileResult:
        """One id's one file through the pipeline; its error is raised instead of returned."""
        every = cast(AsyncDownloadOptions, options)  # the options not given keep their defaults
        (result,) = await self._stream(resolver, [item_id], dest_dir, every).collect()
        result.saved_file()
        return result

    def _stream(
        self,
        resolver: AsyncResolver,
        ids: Iterable[str],
        dest_dir: str | os.PathLike[str],
        options: AsyncDownloadOptions,
    ) -> AsyncDownloadStream:
        """The pipeline for ``resolver``, once every argument has been checked (before any request)."""
        from docfetch.core._async.pipeline import AsyncDownloadStream
        from docfetch.core._async.pipeline import AsyncRunOptions
        from docfetch.core._async.pipeline import async_pipeline

        if isinstance(ids, Sequence):  # a list: every id checked now; an iterator: each as it is read
            ids = self.check_ids(ids)
        elif isinstance(ids, str):
            raise InvalidInputError(f"expected ids, got the string {ids!r}")
        dest = check_dest_dir(dest_dir)
        check_wait_timeout(options.get("wait_timeout", DEFAULT_WAIT))
        archive = options.get("archive")
        verify_existing = options.get("verify_existing", False)
        if verify_existing and archive is None:
            raise InvalidInputError("verify_existing needs an archive")
        ledger = None
        if archive is not None:  # sqlite3 and the ledger load only then
            from docfetch.core._async.ledger import AsyncLedger
            from docfetch.core.archive import Archive

            ledger = AsyncLedger(Archive(archive, self.facts.name), verify_existing=verify_existing)
        run = AsyncRunOptions(
            concurrency=options.get("concurrency", 4),
            overwrite=options.get("overwrite", False),
            progress=options.get("progress"),
            ledger=ledger,
        )
        unreported: list[FileResult] = []
        results = async_pipeline(
            ids, resolver, dest, storage=self._storage_access(), options=run, unreported=unreported
        )
        return AsyncDownloadStream(results, unreported)

    # --- lifecycle -------------------------------------------------------------------------------

    async def close(self) -> None:
        """Close the connections docfetch opened (never a caller's own ``http_client``)."""
        built, storage, downloads = self._built, self._storage_http, self._downloads
        if built is not None and built.owns_http:
            await built.http.aclose()
        if downloads is not None:
            await downloads.aclose()
        if storage is not None:
            await storage.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
