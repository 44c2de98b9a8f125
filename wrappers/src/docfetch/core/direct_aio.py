"""The direct path for storage GETs in async code: asyncio streams and h11 over a keep-alive pool, no httpx.

Through ``httpx.AsyncClient`` a storage GET costs several times the CPU of the sync direct path, and
httpcore's async pool checks every pooled connection (a ``getpeername`` and a ``poll`` each, through
anyio's attribute look-ups) whenever a request is assigned or a response closed: with 16 connections,
~2 ms per request, which made the async clients ~3x slower than the sync ones on many small files
(bench/NOTES.md). This is :mod:`docfetch.core.direct` for the event loop, with the same rules: plain
URLs only, never where the environment names a proxy (:func:`~docfetch.core.direct.plain_target`),
the client's TLS context and timeouts, failures raised as the httpx exceptions the engine handles, a
reused connection found closed before any answer is replaced by a resend (a GET: safe to repeat).
HTTP/1.1 framing (Content-Length, chunked, close-delimited bodies, keep-alive) is h11's, the parser
httpcore itself uses.

Connections belong to the event loop that opened them: each running loop has its own idle pool, so
a client used by two ``asyncio.run`` calls never hands a connection to the wrong loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
import weakref
from collections import deque
from collections.abc import AsyncIterator
from collections.abc import Mapping
from typing import TYPE_CHECKING

import h11

from docfetch.core.direct import KEEPALIVE_EXPIRY
from docfetch.core.direct import READ_SIZE
from docfetch.core.direct import DirectHead
from docfetch.core.direct import DirectTarget
from docfetch.core.direct import about
from docfetch.core.direct import plain_target
from docfetch.core.direct import proxied_schemes
from docfetch.core.lazy import lazy_module
from docfetch.core.storage import USER_AGENT

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_module("httpx")

__all__ = ["AsyncDirectHttp", "AsyncDirectResponse"]

MAX_HEAD = 100 * 1024
"""Bytes a status line and headers may take (httpcore's limit; h11's own default is 16 KiB)."""
_Origin = tuple[str, str, int]


class _Connection:
    """One keep-alive connection: its streams and its h11 state."""

    def __init__(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, timeout: float | None
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.timeout = timeout  # for every read and write (the client's read timeout)
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEAD)
        self.received = False  # any byte of an answer came on this request

    def usable(self) -> bool:
        """Still open as far as the event loop knows (a server's close arrives as end of stream)."""
        return not (self.reader.at_eof() or self.writer.is_closing())

    async def send(self, request: h11.Request) -> None:
        self.received = False
        data = self.h11.send(request)
        data += self.h11.send(h11.EndOfMessage())
        self.writer.write(data)
        async with asyncio.timeout(self.timeout):
            await self.writer.drain()

    async def next_event(self) -> object:
        while True:
            event = self.h11.next_event()
            if event is not h11.NEED_DATA:
                return event
            async with asyncio.timeout(self.timeout):
                data = await self.reader.read(READ_SIZE)
            self.received = self.received or bool(data)
            self.h11.receive_data(data)  # b"": the peer closed (h11 decides whether that ends the body)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # its event loop is closed: the socket went with it
            self.writer.close()


class AsyncDirectHttp:
    """A pool of asyncio connections for plain storage GETs (module docstring)."""

    def __init__(self, timeout: httpx.Timeout, tls: ssl.SSLContext) -> None:
        self._connect_timeout = timeout.connect
        self._read_timeout = timeout.read
        self._tls = tls
        self._proxied = proxied_schemes()
        self._idle: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[_Origin, deque[tuple[_Connection, float]]]
        ] = weakref.WeakKeyDictionary()
        self._closed = False

    def route(self, url: str) -> DirectTarget | None:
        """The target of ``url`` when this path can send it as httpx would; None: send it with httpx."""
        return plain_target(url, self._proxied)

    async def get(self, target: DirectTarget, url: str, headers: Mapping[str, str]) -> AsyncDirectResponse:
        """Send ``GET`` and read the status line and headers; the body is the response's to read."""
        fields = [("Host", target.authority), *{"User-Agent": USER_AGENT, **headers}.items()]
        for retry in (False, True):
            connection, reused = await self._checkout(target, url)
            try:
                request = h11.Request(method="GET", target=target.target, headers=fields)
                await connection.send(request)
                event = await self._head(connection)
            except TimeoutError as exc:
                connection.close()
                raise about(httpx.ReadTimeout("timed out"), url) from exc
            except (OSError, h11.RemoteProtocolError) as exc:
                connection.close()
                if not connection.received:
                    if reused and not retry:
                        continue  # the server closed the idle connection: once more on a fresh one
                    if isinstance(exc, h11.RemoteProtocolError):  # h11's words for it are about states
                        exc = h11.RemoteProtocolError("Server disconnected without sending a response.")
                raise about(_as_httpx(exc, "the answer"), url) from exc
            except BaseException:
                connection.close()
                raise
            return AsyncDirectResponse(self, target, connection, event, url)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _head(self, connection: _Connection) -> h11.Response:
        while True:
            event = await connection.next_event()
            if isinstance(event, h11.Response):
                return event
            if isinstance(event, h11.InformationalResponse):  # 1xx: the answer follows
                continue
            raise h11.RemoteProtocolError("Server disconnected without sending a response.")

    def close(self) -> None:
        self._closed = True
        for pools in list(self._idle.values()):
            for connections in pools.values():
                while connections:
                    connections.pop()[0].close()

    # --- connections ------------------------------------------------------------------------------

    def _pool(self) -> dict[_Origin, deque[tuple[_Connection, float]]]:
        loop = asyncio.get_running_loop()
        pool = self._idle.get(loop)
        if pool is None:
            pool = self._idle[loop] = {}
        return pool

    async def _checkout(self, target: DirectTarget, url: str) -> tuple[_Connection, bool]:
        idle = self._pool().get((target.scheme, target.host, target.port))
        now = time.monotonic()
        while idle:
            connection, since = idle.pop()
            if now - since <= KEEPALIVE_EXPIRY and connection.usable():
                return connection, True
            connection.close()
        return await self._connect(target, url), False

    async def _connect(self, target: DirectTarget, url: str) -> _Connection:
        tls = self._tls if target.scheme == "https" else None
        try:
            async with asyncio.timeout(self._connect_timeout):
                reader, writer = await asyncio.open_connection(
                    target.host, target.port, ssl=tls, server_hostname=target.host if tls else None
                )
        except TimeoutError as exc:
            raise about(httpx.ConnectTimeout(str(exc) or "timed out"), url) from exc
        except OSError as exc:
            raise about(httpx.ConnectError(str(exc) or type(exc).__name__), url) from exc
        return _Connection(reader, writer, self._read_timeout)

    def _checkin(self, target: DirectTarget, connection: _Connection) -> None:
        if self._closed:
            connection.close()
            return
        idle = self._pool().setdefault((target.scheme, target.host, target.port), deque())
        idle.append((connection, time.monotonic()))


def _as_httpx(exc: OSError | h11.RemoteProtocolError, reading: str) -> httpx.TransportError:
    """The httpx exception for a failure of the async direct path (what the engine handles)."""
    if isinstance(exc, h11.RemoteProtocolError):
        text = str(exc)
        if text.startswith("peer closed connection"):  # h11's words for a body cut short
            return httpx.RemoteProtocolError(f"peer closed connection without sending complete {reading}")
        return httpx.RemoteProtocolError(text or "the server broke the HTTP protocol")
    return httpx.ReadError(str(exc) or type(exc).__name__)


class AsyncDirectResponse(DirectHead):
    """A response of :class:`AsyncDirectHttp` with the part of ``httpx.Response`` the engine uses:
    :class:`~docfetch.core.direct.DirectHead`, ``aread``, ``aiter_raw`` and ``aclose``. Closing it
    after the whole body was read gives its connection back for reuse."""

    def __init__(
        self,
        pool: AsyncDirectHttp,
        target: DirectTarget,
        connection: _Connection,
        head: h11.Response,
        url: str,
    ) -> None:
        fields = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in head.headers]
        super().__init__(url, head.status_code, httpx.Headers(fields))
        self._pool = pool
        self._target = target
        self._connection: _Connection | None = connection

    async def aread(self) -> bytes:
        if self._content is None:
            self._content = b"".join([chunk async for chunk in self.aiter_raw()])
        return self._content

    async def aiter_raw(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        if self.is_stream_consumed:
            raise httpx.StreamConsumed()
        self.is_stream_consumed = True
        connection = self._connection
        assert connection is not None, "read after close"
        while True:
            try:
                event = await connection.next_event()
            except TimeoutError as exc:
                raise about(httpx.ReadTimeout("timed out"), self.url) from exc
            except (OSError, h11.RemoteProtocolError) as exc:
                raise about(_as_httpx(exc, "message body"), self.url) from exc
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                self._complete = True
                return
            else:  # ConnectionClosed before the end: h11 raises for framed bodies, so this is a bug's
                incomplete = httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body"
                )
                raise about(incomplete, self.url)

    async def aclose(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        state = connection.h11
        if self._complete and state.our_state is h11.DONE and state.their_state is h11.DONE:
            state.start_next_cycle()
            self._pool._checkin(self._target, connection)
        else:
            connection.close()
