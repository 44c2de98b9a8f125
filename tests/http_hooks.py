"""Every request httpx sends, seen (and, if need be, steered) at its transports, sync and async alike:
what really goes to the network, whichever client sent it."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest


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

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async)
