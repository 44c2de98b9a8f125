"""The direct path for storage GETs in async code (docfetch.core.direct_aio): the same URLs as the sync
path, keep-alive reuse, a connection the server closed, every HTTP/1.1 framing, failures raised as the
httpx exceptions the engine handles, TLS from the environment, one client across event loops, a
cancelled read, and the async storage access choosing between it and httpx."""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from pathlib import Path

import httpx
import pytest
import trustme
from core_raw_server import HANG_UP
from core_raw_server import PAUSE
from core_raw_server import RawServer
from core_raw_server import ok
from core_storage_server import StorageServer
from docfetch.core._async.storage import AsyncStorage
from docfetch.core.direct import DirectHttp
from docfetch.core.direct_aio import AsyncDirectHttp
from docfetch.core.direct_aio import AsyncDirectResponse
from docfetch.core.tls import OnDemandTrust

TIMEOUT = httpx.Timeout(2.0, connect=2.0)


def direct(timeout: httpx.Timeout = TIMEOUT) -> AsyncDirectHttp:
    return AsyncDirectHttp(timeout, OnDemandTrust())


async def fetch(
    pool: AsyncDirectHttp, url: str, headers: dict[str, str] | None = None
) -> tuple[AsyncDirectResponse, bytes]:
    target = pool.route(url)
    assert target is not None, url
    response = await pool.get(target, url, headers or {})
    try:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])
    finally:
        await response.aclose()


def bodies(pool: AsyncDirectHttp, *urls: str) -> list[bytes]:
    """Fetch ``urls`` one after another in one event loop run."""

    async def run() -> list[bytes]:
        return [(await fetch(pool, url))[1] for url in urls]

    return asyncio.run(run())


@pytest.mark.parametrize(
    "url",
    [
        "http://storage.example/a/b.pdf",
        "https://storage.example:8443/a%20b?X-Amz-Signature=ab%2Fcd&x=1#frag",
        "http://user:secret@storage.example/a",
        "http://storage.example/a/../b",
        "http://[::1]:8000/a",
        "ftp://storage.example/a",
    ],
)
def test_it_takes_the_urls_the_sync_path_takes(url: str) -> None:
    assert direct().route(url) == DirectHttp(TIMEOUT, OnDemandTrust()).route(url)


def test_requests_share_one_kept_alive_connection(raw: RawServer) -> None:
    pool = direct()

    async def run() -> None:
        for n in range(5):
            raw.answers.append(ok(b"body %d" % n, b'etag: "e%d"\r\n' % n))
            response, body = await fetch(pool, raw.url(f"/o/{n}"), {"Range": "bytes=0-"})
            assert (response.status_code, body, response.headers["ETag"]) == (200, b"body %d" % n, f'"e{n}"')
        pool.close()

    asyncio.run(run())
    assert raw.connections == 1


def test_a_connection_the_server_closed_is_replaced_without_a_failure(raw: RawServer) -> None:
    pool = direct()
    raw.answers.extend([ok(b"first"), None, ok(b"second")])  # the 2nd request finds the connection closed
    raw.answers.append(ok(b"third") + HANG_UP)  # then closed while idle, as a keep-alive timeout does

    async def run() -> list[bytes]:
        found = [(await fetch(pool, raw.url()))[1] for _ in range(3)]
        await asyncio.sleep(0.1)
        return [*found, (await fetch(pool, raw.url()))[1]]

    assert asyncio.run(run()) == [b"first", b"second", b"third", b"hello"]
    assert raw.connections == 3


def test_chunked_and_unframed_bodies_are_read_whole(raw: RawServer) -> None:
    raw.answers.append(
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    raw.answers.append(b"HTTP/1.0 200 OK\r\n\r\nuntil the end")  # the body ends with the connection
    raw.answers.append(b"HTTP/1.1 100 Continue\r\n\r\n" + ok(b"after 100"))
    pool = direct()
    url = raw.url()
    assert bodies(pool, url, url, url, url) == [b"hello world", b"until the end", b"after 100", b"hello"]
    assert raw.connections == 2


def test_large_headers_are_accepted_as_httpx_accepts_them(raw: RawServer) -> None:
    signed = b"x-amz-meta-note: " + b"n" * 40_000 + PAUSE + b"n" * 40_000 + b"\r\n"  # beyond h11's 16 KiB
    raw.answers.append(ok(b"body", signed))
    assert bodies(direct(), raw.url()) == [b"body"]


def test_failures_are_the_httpx_exceptions_the_engine_handles(raw: RawServer) -> None:
    pool = direct(httpx.Timeout(0.3, connect=1.0))
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{unused.getsockname()[1]}/x"
    with pytest.raises(httpx.ConnectError):
        bodies(pool, refused)
    raw.answers.append(b"NOT HTTP AT ALL\r\n\r\n")
    with pytest.raises(httpx.RemoteProtocolError):
        bodies(pool, raw.url())
    raw.answers.append(None)  # a fresh connection closed without an answer
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        bodies(pool, raw.url())
    raw.answers.append(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\nconnection: close\r\n\r\nshort")
    with pytest.raises(httpx.RemoteProtocolError, match="without sending complete message body"):
        bodies(pool, raw.url())
    raw.answers.append(b"")  # never answers
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout) as caught:
        bodies(pool, raw.url())
    assert time.monotonic() - started < 2  # the client's read timeout, not the server's patience
    assert str(caught.value.request.url) == raw.url()  # named like httpx's own (logs, TLS messages)


def test_error_bodies_are_read_like_httpx(raw: RawServer) -> None:
    raw.answers.append(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 7\r\nx-a: 1\r\nx-a: 2\r\n\r\nexpired")
    pool = direct()
    url = raw.url()

    async def run() -> None:
        response = await pool.get(pool.route(url) or pytest.fail(), url, {})
        with pytest.raises(httpx.ResponseNotRead):
            _ = response.content
        assert await response.aread() == b"expired" == response.content
        assert response.headers.get_list("x-a") == ["1", "2"]
        await response.aclose()

    asyncio.run(run())


def test_tls_trusts_what_the_environment_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_context)
    with RawServer(server_context) as server:
        url = server.url(scheme="https", host="localhost")
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
        ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
        assert bodies(direct(), url) == [b"hello"]
        monkeypatch.delenv("SSL_CERT_FILE")  # certifi's bundle does not know the test CA
        with pytest.raises(httpx.ConnectError):
            bodies(direct(), url)


def test_one_pool_serves_one_event_loop_after_another(raw: RawServer) -> None:
    pool = direct()
    assert bodies(pool, raw.url(), raw.url()) == [b"hello", b"hello"]
    assert bodies(pool, raw.url()) == [b"hello"]  # a new loop: its own connection, not the closed loop's
    assert raw.connections == 2


def test_a_read_cancelled_midway_leaves_no_connection_to_reuse(raw: RawServer) -> None:
    raw.answers.append(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part")  # the rest never comes
    pool = direct()

    async def run() -> bytes:
        url = raw.url()
        response = await pool.get(pool.route(url) or pytest.fail(), url, {})
        reading = asyncio.ensure_future(response.aread())
        await asyncio.sleep(0.1)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        await response.aclose()
        return (await fetch(pool, url))[1]

    assert asyncio.run(run()) == b"hello"
    assert raw.connections == 2


def test_the_async_storage_access_chooses_direct_or_httpx(
    storage: StorageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    url = storage.put("a", b"data")

    async def sent_by(access: AsyncStorage, url: str) -> type:
        response = await access.send(url, {})
        await response.aclose()
        return type(response)

    async def run() -> None:
        own = AsyncStorage.own(TIMEOUT, OnDemandTrust())
        assert await sent_by(own, url) is AsyncDirectResponse
        assert await sent_by(own, url.replace("/o/a", "/o/./a")) is httpx.Response  # not plain
        await own.aclose()
        async with httpx.AsyncClient() as mine:  # a caller's client: every request through it
            assert await sent_by(AsyncStorage.through(mine), url) is httpx.Response
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{unused.getsockname()[1]}")
        proxied = AsyncStorage.own(TIMEOUT, OnDemandTrust())
        with pytest.raises(httpx.ConnectError):  # through httpx, to the (absent) proxy
            await proxied.send(url, {})
        await proxied.aclose()

    asyncio.run(run())
