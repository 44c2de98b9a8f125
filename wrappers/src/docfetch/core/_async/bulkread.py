"""1 MiB socket reads for the storage clients, which carry the large file bodies.

httpcore reads a connection 64 KiB at a time (``HTTP11Connection.READ_NUM_BYTES``), and every read
costs a pass through httpcore, h11 and httpx in Python. For a 1 GiB body from a local nginx that
per-read work is the slowest stage of a download (1 GiB: ~1.75 s with 64 KiB reads, ~1.4 s with
1 MiB reads; bench/NOTES.md). Reading more per call is harmless to httpcore and h11, which accept
whatever a read returns; over TLS a read still returns at most a record.

httpx does not let a client choose httpcore's network backend, so :func:`async_use_bulk_reads` wraps the
backend of the client's default transport pool. Those are private attributes: when a future httpx
or httpcore moves them, nothing is wrapped and downloads keep working with the default reads.
"""

# ruff: noqa: ASYNC109 - the signatures are httpcore's AsyncNetworkStream/Backend interface
from __future__ import annotations

import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

READ_SIZE = 1024 * 1024


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max(max_bytes, READ_SIZE), timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _AsyncStream(await self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return _AsyncStream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def async_use_bulk_reads(client: httpx.AsyncClient) -> None:
    """Make the default transport of ``client`` read 1 MiB at a time (see the module docstring)."""
    pool = getattr(getattr(client, "_transport", None), "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.AsyncNetworkBackend) and not isinstance(backend, _AsyncBackend):
        pool._network_backend = _AsyncBackend(backend)  # type: ignore[union-attr]
