"""Credential-free storage clients (the rules are in :mod:`docfetch.core.storage`), and
:class:`AsyncStorage`: how the download engine reaches storage hosts."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from collections.abc import Callable
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any
from typing import Protocol

import httpx

from docfetch.core._async.bulkread import async_use_bulk_reads
from docfetch.core._backends.aio import direct_http
from docfetch.core.retry import DEFAULT_TIMEOUT
from docfetch.core.storage import LIMITS
from docfetch.core.storage import USER_AGENT
from docfetch.core.storage import ResponseHead
from docfetch.core.storage import bare_request
from docfetch.core.storage import strip_on_cross_origin
from docfetch.core.tls import OnDemandTrust

if TYPE_CHECKING:
    import ssl

__all__ = ["AsyncStorage", "AsyncStorageResponse", "async_storage_client"]


async def _async_strip_on_cross_origin(request: httpx.Request) -> None:
    strip_on_cross_origin(request)


def async_storage_client(**kwargs: Any) -> httpx.AsyncClient:
    """An httpx client for signed storage URLs: no credentials, safe redirects, default timeouts,
    1 MiB socket reads. Keyword arguments go to httpx (``auth`` is refused: signed URLs authorise
    themselves)."""
    if kwargs.pop("auth", None) is not None:
        raise ValueError("a storage client carries no credentials; signed URLs authorise themselves")
    hooks = dict(kwargs.pop("event_hooks", {}) or {})
    hooks["request"] = [_async_strip_on_cross_origin, *hooks.get("request", [])]
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("verify", OnDemandTrust())  # certificates loaded by the first https connection
    kwargs.setdefault("limits", httpx.Limits(**LIMITS))
    kwargs.setdefault("follow_redirects", True)
    kwargs.setdefault("headers", {"User-Agent": USER_AGENT})
    client = httpx.AsyncClient(event_hooks=hooks, **kwargs)
    async_use_bulk_reads(client)
    return client


class AsyncStorageResponse(ResponseHead, Protocol):
    """A storage response as the engine uses it (``httpx.Response`` is one; so is the direct path's)."""

    @property
    def is_stream_consumed(self) -> bool: ...
    async def aread(self) -> bytes: ...
    def aiter_raw(self, chunk_size: int | None = None) -> AsyncIterator[bytes]: ...
    async def aclose(self) -> None: ...


class AsyncStorage:
    """How the engine sends its bare storage GETs (only docfetch's headers: :mod:`docfetch.core.storage`).

    :meth:`through` a caller's own httpx client: every request goes through it (its proxies, TLS
    settings, transport). :meth:`own`: docfetch's way. A GET of a plain URL goes through the direct
    path (:mod:`docfetch.core.direct` in sync code, :mod:`docfetch.core.direct_aio` in async code:
    several times less CPU per request), unless the environment names a proxy for it; every other
    request goes through a credential-free httpx storage client, made on first need (no httpx
    client, no TLS context, when none is needed).
    """

    def __init__(
        self,
        make_http: Callable[[], httpx.AsyncClient],
        *,
        owns_http: bool,
        direct: tuple[httpx.Timeout, ssl.SSLContext] | None = None,
    ) -> None:
        self._make_http = make_http
        self._owns_http = owns_http
        self._http: httpx.AsyncClient | None = None
        self._lock = threading.Lock()
        self._direct = None if direct is None else direct_http(*direct)

    @classmethod
    def through(cls, client: httpx.AsyncClient) -> AsyncStorage:
        """Every request through ``client`` (which the caller closes)."""
        return cls(lambda: client, owns_http=False)

    @classmethod
    def own(
        cls,
        timeout: httpx.Timeout,
        tls: ssl.SSLContext,
        make_http: Callable[[], httpx.AsyncClient] | None = None,
        *,
        direct: bool = True,
        **options: Any,
    ) -> AsyncStorage:
        """docfetch's own storage access. ``make_http`` gives the httpx storage client when someone
        else owns it (a provider client); else one is made here with ``options`` and closed by
        :meth:`aclose`. ``direct=False``: every request through httpx (a client given ``proxy=`` or
        ``verify=``: those settings are httpx's)."""
        plain = (timeout, tls) if direct else None
        if make_http is not None:
            return cls(make_http, owns_http=False, direct=plain)

        def make() -> httpx.AsyncClient:
            return async_storage_client(timeout=timeout, verify=tls, **options)

        return cls(make, owns_http=True, direct=plain)

    @property
    def http(self) -> httpx.AsyncClient:
        """The httpx client for what the direct path does not send."""
        if self._http is None:
            with self._lock:
                if self._http is None:
                    self._http = self._make_http()
        return self._http

    async def send(self, url: str | httpx.URL, headers: Mapping[str, str]) -> AsyncStorageResponse:
        """``GET url`` carrying exactly ``headers`` (and docfetch's User-Agent), not following
        redirects; the body is left unread."""
        if self._direct is not None:
            text = str(url)
            target = self._direct.route(text)
            if target is not None:
                direct: AsyncStorageResponse = await self._direct.get(target, text, headers)
                return direct
        client = self.http
        request = bare_request(client, url, headers)
        return await client.send(request, stream=True, auth=None, follow_redirects=False)

    async def aclose(self) -> None:
        if self._direct is not None:
            self._direct.close()
        if self._owns_http and self._http is not None:
            await self._http.aclose()
