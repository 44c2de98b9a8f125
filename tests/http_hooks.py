"""Every request httpx sends, seen (and, if need be, steered) at its transports, sync and async alike:
what really goes to the network, whichever client sent it. Storage GETs of the direct paths
(docfetch.core.direct and direct_aio, no httpx) are seen too, as a request carrying its URL, headers
and timeouts, but cannot be steered."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping

import httpx
import pytest
from docfetch.core.direct import DirectHttp
from docfetch.core.direct import DirectResponse
from docfetch.core.direct import DirectTarget
from docfetch.core.direct_aio import AsyncDirectHttp
from docfetch.core.direct_aio import AsyncDirectResponse


def on_every_request(monkeypatch: pytest.MonkeyPatch, look: Callable[[httpx.Request], None]) -> None:
    """Call ``look(request)`` for each request, just before a transport sends it (for the test's duration)."""
    sync_handle = httpx.HTTPTransport.handle_request
    async_handle = httpx.AsyncHTTPTransport.handle_async_request

    def handle(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        look(request)
        return sync_handle(self, request)

    async def handle_async(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        look(request)
        return await async_handle(self, request)

    def direct_get(
        self: DirectHttp, target: DirectTarget, url: str, headers: Mapping[str, str]
    ) -> DirectResponse:
        timeout = {"connect": self._connect_timeout, "read": self._read_timeout}
        look(httpx.Request("GET", url, headers=headers, extensions={"timeout": timeout}))
        return direct_handle(self, target, url, headers)

    async def async_direct_get(
        self: AsyncDirectHttp, target: DirectTarget, url: str, headers: Mapping[str, str]
    ) -> AsyncDirectResponse:
        timeout = {"connect": self._connect_timeout, "read": self._read_timeout}
        look(httpx.Request("GET", url, headers=headers, extensions={"timeout": timeout}))
        return await async_direct_handle(self, target, url, headers)

    direct_handle = DirectHttp.get
    async_direct_handle = AsyncDirectHttp.get
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async)
    monkeypatch.setattr(DirectHttp, "get", direct_get)
    monkeypatch.setattr(AsyncDirectHttp, "get", async_direct_get)
