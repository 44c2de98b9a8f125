"""The direct path for storage GETs in sync code: ``http.client`` over a keep-alive pool, no httpx.

A signed storage URL needs a plain GET with a few headers, the status, the headers and the raw body.
Through ``httpx.Client`` that costs ~0.9 ms of CPU per request (URL model, request and response models,
hooks, the transport's proxy routing, httpcore's pool and h11, all in Python), ~5x what
``http.client`` spends; with many small files and 16 threads sharing one GIL that CPU *is* the
download time (bench/NOTES.md, section 5). So the storage of docfetch's own clients sends such GETs
here, and everything else through httpx (:class:`~docfetch.core._async.storage.AsyncStorage`
decides):

* only for plain URLs (:meth:`DirectHttp.route`, :data:`~docfetch.core.storage.PLAIN_URL`):
  http/https, a host name, no user info, nothing httpx would rewrite (characters it percent-encodes,
  dot segments); anything else goes to httpx, which knows how to send it;
* never where the environment names a proxy for the URL's scheme (``HTTP_PROXY``, ``HTTPS_PROXY``,
  ``ALL_PROXY``, read as httpx reads them: ``urllib.request.getproxies``): those requests go through
  httpx, which applies the proxy and ``NO_PROXY`` as it always did;
* TLS with the client's :class:`~docfetch.core.tls.OnDemandTrust` (``SSL_CERT_FILE`` /
  ``SSL_CERT_DIR`` / certifi, as httpx);
* the client's timeouts (connect, then read for every later socket operation);
* failures raised as the httpx exceptions the engine already handles (``httpx.ConnectError``,
  ``ReadTimeout``, ``RemoteProtocolError``...), so retries, resumes and error messages stay the same;
* connections kept alive and reused (most recently used first); one that sat idle for more than
  :data:`KEEPALIVE_EXPIRY` seconds, or that the server has closed (readable while idle), is dropped
  before use, and a request whose reused connection turns out dead before any answer is sent once
  more on a new one (a GET: safe to repeat); a connection idle for less than
  :data:`RECHECK_AFTER` is reused without that check.
"""

from __future__ import annotations

import http.client
import io
import select
import socket
import ssl
import time
import urllib.request
from collections import deque
from collections.abc import Iterator
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any
from typing import NamedTuple

from docfetch.core.lazy import lazy_module
from docfetch.core.storage import PLAIN_URL
from docfetch.core.storage import USER_AGENT

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_module("httpx")

__all__ = [
    "KEEPALIVE_EXPIRY",
    "READ_SIZE",
    "DirectHead",
    "DirectHttp",
    "DirectResponse",
    "DirectTarget",
    "about",
    "plain_target",
    "proxied_schemes",
]

READ_SIZE = 1024 * 1024
"""Bytes asked of the socket per body read (as the httpx storage clients: docfetch.core._async.bulkread)."""
KEEPALIVE_EXPIRY = 5.0
"""Seconds an idle connection is kept for reuse (httpx's default)."""
RECHECK_AFTER = 1.0
"""Seconds idle after which a kept connection is checked before reuse (one poll; before that, a server
that closed it is met by the resend)."""
RESPONSE_BUFFER = 256 * 1024
"""The response reader's buffer: the read that takes the status line and headers also takes a small
body that follows them (http.client's default, 8 KiB, needs more reads for a 64 KiB file)."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


class DirectTarget(NamedTuple):
    """Where a plain URL's GET goes: the connection's origin and the request target."""

    scheme: str
    host: str
    port: int
    target: str

    @property
    def authority(self) -> str:
        """The ``Host`` header's value: the host, and the port unless it is the scheme's default."""
        return self.host if self.port == _DEFAULT_PORTS[self.scheme] else f"{self.host}:{self.port}"


def proxied_schemes() -> frozenset[str]:
    """The schemes the environment names a proxy for (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``),
    read as httpx reads them: requests of those schemes go through httpx."""
    proxies = urllib.request.getproxies()
    return frozenset(scheme for scheme in ("http", "https") if proxies.get(scheme) or proxies.get("all"))


def plain_target(url: str, proxied: frozenset[str]) -> DirectTarget | None:
    """The target of ``url`` when a direct path can send it as httpx would; None: send it with httpx."""
    found = PLAIN_URL.fullmatch(url)
    if found is None or found["scheme"] in proxied:
        return None
    path = found["path"] or "/"
    if "/." in path:  # dot segments: httpx removes them
        return None
    scheme, port = found["scheme"], found["port"]
    number = int(port) if port else _DEFAULT_PORTS[scheme]
    if not 0 < number < 65536:
        return None
    return DirectTarget(scheme, found["host"].lower(), number, path + (found["query"] or ""))


class DirectHttp:
    """A thread-safe pool of ``http.client`` connections for plain storage GETs (module docstring)."""

    def __init__(self, timeout: httpx.Timeout, tls: ssl.SSLContext) -> None:
        self._connect_timeout = timeout.connect
        self._read_timeout = timeout.read
        self._tls = tls
        self._proxied = proxied_schemes()
        # Idle connections per origin, most recent last. deque's append and pop are atomic: no lock (a
        # lock held across the liveness check's syscall makes the download threads queue behind it).
        self._idle: dict[tuple[str, str, int], deque[tuple[http.client.HTTPConnection, float]]] = {}
        self._closed = False

    def route(self, url: str) -> DirectTarget | None:
        """The target of ``url`` when this path can send it as httpx would; None: send it with httpx."""
        return plain_target(url, self._proxied)

    def get(self, target: DirectTarget, url: str, headers: Mapping[str, str]) -> DirectResponse:
        """Send ``GET`` and read the status line and headers; the body is the response's to read."""
        sent = {"User-Agent": USER_AGENT, **headers}
        for retry in (False, True):
            try:
                connection, reused = self._checkout(target)
            except httpx.TransportError as exc:
                about(exc, url)
                raise
            try:
                connection.request("GET", target.target, headers=sent)
                raw = connection.getresponse()
            except (ConnectionError, http.client.RemoteDisconnected) as exc:
                connection.close()
                if reused and not retry:
                    continue  # the server closed the idle connection: once more on a fresh one
                raise about(_as_httpx(exc, "the answer"), url) from exc
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                raise about(_as_httpx(exc, "the answer"), url) from exc
            except BaseException:
                connection.close()
                raise
            return DirectResponse(self, target, connection, raw, url)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self._closed = True
        for connections in list(self._idle.values()):
            _close_all(connections)

    # --- connections ------------------------------------------------------------------------------

    def _checkout(self, target: DirectTarget) -> tuple[http.client.HTTPConnection, bool]:
        idle = self._idle.get((target.scheme, target.host, target.port))
        now = time.monotonic()
        while idle:
            try:
                connection, since = idle.pop()
            except IndexError:  # another thread took the last one
                break
            idle_for = now - since
            if idle_for <= KEEPALIVE_EXPIRY and (idle_for < RECHECK_AFTER or _still_open(connection)):
                return connection, True
            connection.close()
        return self._connect(target), False

    def _connect(self, target: DirectTarget) -> http.client.HTTPConnection:
        connection: http.client.HTTPConnection
        if target.scheme == "https":
            connection = http.client.HTTPSConnection(
                target.host, target.port, timeout=self._connect_timeout, context=self._tls
            )
        else:
            connection = http.client.HTTPConnection(target.host, target.port, timeout=self._connect_timeout)
        connection.response_class = _buffered_response  # type: ignore[assignment]
        try:
            connection.connect()
            assert connection.sock is not None
            connection.sock.settimeout(self._read_timeout)
        except BaseException as exc:
            connection.close()
            if isinstance(exc, TimeoutError):
                raise httpx.ConnectTimeout(str(exc) or "timed out") from exc
            if isinstance(exc, OSError):
                raise httpx.ConnectError(str(exc)) from exc
            raise
        return connection

    def _checkin(self, target: DirectTarget, connection: http.client.HTTPConnection) -> None:
        idle = self._idle.get((target.scheme, target.host, target.port))
        if idle is None:
            idle = self._idle.setdefault((target.scheme, target.host, target.port), deque())
        idle.append((connection, time.monotonic()))
        if self._closed:  # closed meanwhile: nobody will take it
            _close_all(idle)


def _close_all(connections: deque[tuple[http.client.HTTPConnection, float]]) -> None:
    while connections:
        try:
            connection, _ = connections.pop()
        except IndexError:
            return
        connection.close()


class _LargeReads:
    """What ``http.client.HTTPResponse`` asks of its socket (``makefile``), with a larger buffer."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def makefile(self, mode: str) -> io.IOBase:
        return self._sock.makefile("rb", buffering=RESPONSE_BUFFER)


def _buffered_response(sock: socket.socket, *args: Any, **kwargs: Any) -> http.client.HTTPResponse:
    return http.client.HTTPResponse(_LargeReads(sock), *args, **kwargs)  # type: ignore[arg-type]


def _still_open(connection: http.client.HTTPConnection) -> bool:
    """An idle keep-alive connection has nothing to read; if it has, the server closed it (or sent
    something it should not have): either way it cannot carry another request."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return not poller.poll(0)
        readable, _, _ = select.select([sock], [], [], 0)
        return not readable
    except (OSError, ValueError):
        return False


def about(exc: httpx.TransportError, url: str) -> httpx.TransportError:
    """``exc`` with the request it failed (as httpx's own: logs and TLS errors name its origin)."""
    exc.request = httpx.Request("GET", url)
    return exc


def _as_httpx(exc: OSError | http.client.HTTPException, reading: str) -> httpx.TransportError:
    """The httpx exception for a failure of the direct path (what the engine handles)."""
    if isinstance(exc, TimeoutError):
        return httpx.ReadTimeout(str(exc) or "timed out")
    if isinstance(exc, http.client.RemoteDisconnected):
        return httpx.RemoteProtocolError("Server disconnected without sending a response.")
    if isinstance(exc, http.client.IncompleteRead):
        return httpx.RemoteProtocolError(f"peer closed connection without sending complete {reading}")
    if isinstance(exc, http.client.HTTPException):
        return httpx.RemoteProtocolError(f"{type(exc).__name__}: {exc}")
    return httpx.ReadError(str(exc) or type(exc).__name__)


class DirectHead:
    """What a response of either direct path carries: status, headers (``httpx.Headers``), the URL it
    answers (a string) and, once read, its body (``content``, as httpx raises before that)."""

    def __init__(self, url: str, status_code: int, headers: httpx.Headers) -> None:
        self.url = url
        self.status_code = status_code
        self.headers = headers
        self._content: bytes | None = None
        self._complete = False  # the whole body was received: the connection may be reused
        self.is_stream_consumed = False

    @property
    def content(self) -> bytes:
        if self._content is None:
            raise httpx.ResponseNotRead()
        return self._content


class DirectResponse(DirectHead):
    """A response of :class:`DirectHttp` with the part of ``httpx.Response`` the engine uses:
    :class:`DirectHead`, ``read``, ``iter_raw`` and ``close``. Closing it after the whole body was read
    gives its connection back for reuse."""

    def __init__(
        self,
        pool: DirectHttp,
        target: DirectTarget,
        connection: http.client.HTTPConnection,
        raw: http.client.HTTPResponse,
        url: str,
    ) -> None:
        super().__init__(url, raw.status, httpx.Headers(raw.getheaders()))
        self._pool = pool
        self._target = target
        self._connection: http.client.HTTPConnection | None = connection
        self._raw = raw

    def read(self) -> bytes:
        if self._content is None:
            self._content = b"".join(self.iter_raw())
        return self._content

    def iter_raw(self, chunk_size: int | None = None) -> Iterator[bytes]:
        if self.is_stream_consumed:
            raise httpx.StreamConsumed()
        self.is_stream_consumed = True
        raw = self._raw
        while True:
            try:
                data = raw.read1(READ_SIZE)
            except (OSError, http.client.HTTPException) as exc:
                raise about(_as_httpx(exc, "message body"), self.url) from exc
            if not data:
                break
            yield data
        if raw.length:  # the connection ended before Content-Length bytes came
            incomplete = httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body"
            )
            raise about(incomplete, self.url)
        self._complete = True

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        reusable = self._complete and not self._raw.will_close
        self._raw.close()
        if reusable:
            self._pool._checkin(self._target, connection)
        else:
            connection.close()
