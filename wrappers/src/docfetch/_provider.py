"""What every provider client shares: settings from arguments or the environment, the generated
client built with auth and timeouts, one way to call an operation (its ``request_kwargs`` sent with
retries, the status mapped to a typed error, a 2xx body parsed by its ``build_response``) and the
lifecycle of the sync and async twins (:class:`SyncClientBase`, :class:`AsyncClientBase`).

A provider module composes these; it never edits or subclasses generated code.

Loading is deferred: a provider's ``__init__`` checks its arguments (no I/O, no httpx) and hands the
rest to :meth:`ClientCore._defer`; the settings, the auth and the generated client (and with them
httpx and the generated endpoint modules) are built on first use. Importing a provider module and
constructing a client therefore costs a few milliseconds (import-time benchmark, BENCHMARKS.md).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar
from urllib.parse import urlsplit

import attrs

from docfetch import retry as _retry  # _retry.DEFAULT_TIMEOUT is built on first access
from docfetch._lazy import lazy_module
from docfetch.download_types import DownloadItem, FileResult, ProgressCallback
from docfetch.errors import (
    APIStatusError,
    ErrorParser,
    InvalidInputError,
    MissingCredentialsError,
    ResponseValidationError,
    raise_for_status,
)
from docfetch.retry import RetryPolicy, async_call_with_retries, call_with_retries

if TYPE_CHECKING:
    import httpx

    from docfetch import downloads as _downloads
    from docfetch import storage as _storage
else:
    httpx = lazy_module("httpx")
    _downloads = lazy_module("docfetch.downloads")
    _storage = lazy_module("docfetch.storage")

M = TypeVar("M")
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError)


@attrs.frozen
class Link:
    """A download link for one file: what `docfetch PROVIDER links` prints."""

    id: str
    name: str | None
    url: str
    expires_at: datetime | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }


def setting(value: str | None, env_var: str, *, provider: str, default: str | None = None) -> str:
    """An argument, else the environment variable, else ``default``; missing -> MissingCredentialsError."""
    found = value if value is not None else os.environ.get(env_var) or default
    if not found:
        raise MissingCredentialsError(env_var, provider)
    return found


def check_ids(ids: Sequence[str], *, what: str = "id") -> list[str]:
    """Reject what can never be a valid id, before any request: empty lists, blank or control characters."""
    if isinstance(ids, str):
        raise InvalidInputError(f"expected a list of {what}s, got the string {ids!r}")
    if not ids:
        raise InvalidInputError(f"no {what} given: pass at least one")
    for item in ids:
        if not isinstance(item, str) or not item.strip():
            raise InvalidInputError(f"invalid {what} {item!r}: must be a non-empty string")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in item):
            raise InvalidInputError(f"invalid {what} {item!r}: contains control characters")
    return list(ids)


def check_dest_dir(dest_dir: str | os.PathLike[str]) -> Path:
    """The destination must be a directory we can create or write to: checked before any request."""
    path = Path(dest_dir)
    if path.exists() and not path.is_dir():
        raise InvalidInputError(f"destination {str(path)!r} exists and is not a directory")
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InvalidInputError(f"destination {str(path)!r} is not writable")
    return path


def check_base_url(url: str, *, provider: str, env_var: str) -> str:
    """An http(s) URL with a host (checked without httpx, before any request), without trailing ``/``."""
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        scheme, host = "", None
    if scheme not in ("http", "https") or not host or any(c.isspace() or ord(c) < 32 for c in url):
        raise InvalidInputError(
            f"{provider}: base URL ({env_var} / base_url) must be an http(s) URL with a host, got {url!r}"
        )
    return url.rstrip("/")


@attrs.frozen
class ApiSettings:
    """How a provider client talks to its API (shared by the sync and async twins)."""

    provider: str
    base_url: str
    auth: httpx.Auth
    timeout: httpx.Timeout = attrs.field(factory=lambda: _retry.DEFAULT_TIMEOUT)
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    parse_error: ErrorParser | None = None
    status_overrides: Mapping[int, type[APIStatusError]] = attrs.field(factory=dict)
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None

    def httpx_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "base_url": self.base_url,
            "auth": self.auth,
            "timeout": self.timeout,
            "headers": {"User-Agent": _storage.USER_AGENT},
            "follow_redirects": False,  # an API redirect must never carry our credential elsewhere
        }
        if self.transport is not None:
            kwargs["transport"] = self.transport
        return kwargs

    def raise_for_status(self, response: httpx.Response) -> None:
        """Raise this provider's typed error for a status outside 2xx (its error parser and overrides)."""
        raise_for_status(response, parse=self.parse_error, overrides=self.status_overrides)

    def send(
        self,
        http: httpx.Client,
        kwargs: Mapping[str, Any],
        *,
        idempotent: bool,
        retry: RetryPolicy | None = None,
    ) -> httpx.Response:
        """Send a generated operation's ``request_kwargs`` with the retry policy; a 2xx response, else
        the mapped error (the body is not parsed yet: a proxy's HTML 502 stays a retried ServerError)."""
        response = call_with_retries(
            lambda: http.request(**kwargs), idempotent=idempotent, policy=retry or self.retry
        )
        self.raise_for_status(response)
        return response

    async def asend(
        self,
        http: httpx.AsyncClient,
        kwargs: Mapping[str, Any],
        *,
        idempotent: bool,
        retry: RetryPolicy | None = None,
    ) -> httpx.Response:
        """Async twin of :meth:`send`."""
        response = await async_call_with_retries(
            lambda: http.request(**kwargs), idempotent=idempotent, policy=retry or self.retry
        )
        self.raise_for_status(response)
        return response

    def parse(self, build: Callable[..., Any], api: object, response: httpx.Response, model: type[M]) -> M:
        """The body of a 2xx response parsed by the generated module's ``build_response``, which must be
        a ``model``; anything else (unparseable, undocumented, another shape) is ResponseValidationError."""
        try:
            parsed = build(client=api, response=response).parsed
        except InvalidInputError:
            raise
        except _MALFORMED as exc:
            raise ResponseValidationError(
                f"{self.provider}: unexpected response body ({exc!r})", body=response.content
            ) from exc
        if not isinstance(parsed, model):
            raise ResponseValidationError(
                f"{self.provider}: status {response.status_code} with a body that is not a {model.__name__}",
                body=response.content,
            )
        return parsed


def as_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    if timeout is None:
        return _retry.DEFAULT_TIMEOUT
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(timeout, connect=min(10.0, timeout))


class GeneratedClient(Protocol):
    """The generated ``Client`` of any provider package (they are distinct classes)."""

    def set_httpx_client(self, client: httpx.Client) -> Any: ...
    def get_httpx_client(self) -> httpx.Client: ...
    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Any: ...
    def get_async_httpx_client(self) -> httpx.AsyncClient: ...


C = TypeVar("C", bound=GeneratedClient)


def generated_client(settings: ApiSettings, client_cls: Callable[..., C]) -> C:
    """A generated ``Client`` whose httpx client carries our auth, timeouts and headers.

    (The generated ``AuthenticatedClient`` holds one static header and loses it with
    ``set_httpx_client``; an ``httpx.Auth`` on the httpx client covers every auth flow.)
    """
    client = client_cls(base_url=settings.base_url)
    client.set_httpx_client(httpx.Client(**settings.httpx_kwargs()))
    return client


def generated_async_client(settings: ApiSettings, client_cls: Callable[..., C]) -> C:
    """Async twin of :func:`generated_client`."""
    client = client_cls(base_url=settings.base_url)
    client.set_async_httpx_client(httpx.AsyncClient(**settings.httpx_kwargs()))
    return client


# --- the lifecycle and calls every provider client shares -------------------------------------


class ClientCore:
    """What a provider's shared base needs from its twin. The provider's ``__init__`` checks its
    arguments and passes :meth:`_defer` a ``build`` function that sets ``_settings`` and calls
    ``_connect(<generated Client class>)`` (the twin opens it); ``build`` runs once, on the first
    access to any of those attributes."""

    _settings: ApiSettings
    _api: GeneratedClient  # set by _connect
    _built_by_build: tuple[str, ...] = ("_settings", "_api", "_storage_http", "_storage_lock")
    """Attributes whose first access runs the deferred build (a provider adds the ones its build sets)."""

    def _defer(self, build: Callable[[], None]) -> None:
        self.__dict__["_build"] = build
        self.__dict__["_build_lock"] = threading.RLock()

    if not TYPE_CHECKING:  # hidden from type checkers, which would otherwise accept any attribute

        def __getattr__(self, name: str) -> Any:
            # Only reached while an attribute is missing: build on first use, then plain attributes.
            build = self.__dict__.get("_build")
            if name not in self._built_by_build or build is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            with self.__dict__["_build_lock"]:
                if self.__dict__.get("_build") is build:
                    build()
                    self.__dict__["_build"] = None
            return self.__dict__[name]

    @property
    def _built(self) -> bool:
        return "_api" in self.__dict__

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    def _connect(self, client_cls: Callable[..., GeneratedClient]) -> None:
        raise NotImplementedError


class SyncClientBase(ClientCore):
    """A sync provider client's generated client, its credential-free storage client (opened on
    first use, shared by every download) and ``close()`` / ``with``."""

    def _connect(self, client_cls: Callable[..., GeneratedClient]) -> None:
        self._api = generated_client(self._settings, client_cls)
        self._storage_http: httpx.Client | None = None
        self._storage_lock = threading.Lock()

    @property
    def _http(self) -> httpx.Client:
        return self._api.get_httpx_client()

    def _storage(self) -> httpx.Client:
        with self._storage_lock:
            if self._storage_http is None:
                self._storage_http = _storage.storage_client(timeout=self._settings.timeout)
            return self._storage_http

    def _download_items(
        self,
        items: Sequence[DownloadItem],
        dest_dir: str | os.PathLike[str],
        *,
        concurrency: int = 4,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> list[FileResult]:
        """Download ``items`` with the credential-free storage client (opened only if there is work)."""
        if not items:
            return []
        return _downloads.download_many(
            items,
            dest_dir,
            client=self._storage(),
            concurrency=concurrency,
            overwrite=overwrite,
            progress=progress,
        )

    def _send(
        self, kwargs: Mapping[str, Any], *, idempotent: bool = True, api: GeneratedClient | None = None
    ) -> httpx.Response:
        http = (api or self._api).get_httpx_client()
        return self._settings.send(http, kwargs, idempotent=idempotent)

    def _call(
        self,
        kwargs: Mapping[str, Any],
        build: Callable[..., Any],
        model: type[M],
        *,
        idempotent: bool = True,
        api: GeneratedClient | None = None,
    ) -> M:
        """One operation: its ``request_kwargs`` sent (see :meth:`ApiSettings.send`), the 2xx body
        parsed by its ``build_response`` as a ``model``."""
        response = self._send(kwargs, idempotent=idempotent, api=api)
        return self._settings.parse(build, api or self._api, response, model)

    def close(self) -> None:
        if not self._built:
            return
        self._http.close()
        if self._storage_http is not None:
            self._storage_http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncClientBase(ClientCore):
    """Async twin of :class:`SyncClientBase` (``async with``, awaited ``close()``)."""

    def _connect(self, client_cls: Callable[..., GeneratedClient]) -> None:
        self._api = generated_async_client(self._settings, client_cls)
        self._storage_http: httpx.AsyncClient | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        return self._api.get_async_httpx_client()

    def _storage(self) -> httpx.AsyncClient:
        if self._storage_http is None:  # no await in between: no other task can interleave
            self._storage_http = _storage.async_storage_client(timeout=self._settings.timeout)
        return self._storage_http

    async def _download_items(
        self,
        items: Sequence[DownloadItem],
        dest_dir: str | os.PathLike[str],
        *,
        concurrency: int = 4,
        overwrite: bool = False,
        progress: ProgressCallback | None = None,
    ) -> list[FileResult]:
        """Async twin of :meth:`SyncClientBase._download_items`."""
        if not items:
            return []
        return await _downloads.async_download_many(
            items,
            dest_dir,
            client=self._storage(),
            concurrency=concurrency,
            overwrite=overwrite,
            progress=progress,
        )

    async def _send(
        self, kwargs: Mapping[str, Any], *, idempotent: bool = True, api: GeneratedClient | None = None
    ) -> httpx.Response:
        http = (api or self._api).get_async_httpx_client()
        return await self._settings.asend(http, kwargs, idempotent=idempotent)

    async def _call(
        self,
        kwargs: Mapping[str, Any],
        build: Callable[..., Any],
        model: type[M],
        *,
        idempotent: bool = True,
        api: GeneratedClient | None = None,
    ) -> M:
        """Async twin of :meth:`SyncClientBase._call`."""
        response = await self._send(kwargs, idempotent=idempotent, api=api)
        return self._settings.parse(build, api or self._api, response, model)

    async def close(self) -> None:
        if not self._built:
            return
        await self._http.aclose()
        if self._storage_http is not None:
            await self._storage_http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
