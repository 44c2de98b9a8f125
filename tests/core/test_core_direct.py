"""The direct path for storage GETs in sync code (docfetch.core.direct): which URLs it takes, keep-alive
reuse, a connection the server closed, failures raised as the httpx exceptions the engine handles, TLS
from the environment, and the storage access choosing between it and httpx."""

from __future__ import annotations

import socket
import ssl
import time
from pathlib import Path

import httpx
import pytest
import trustme
from core_raw_server import HANG_UP
from core_raw_server import RawServer
from core_raw_server import ok
from core_storage_server import StorageServer
from docfetch import download_many
from docfetch.core._sync.storage import Storage
from docfetch.core.direct import DirectHttp
from docfetch.core.direct import DirectResponse
from docfetch.core.tls import OnDemandTrust
from docfetch.types import DownloadItem

TIMEOUT = httpx.Timeout(2.0, connect=2.0)


def direct(timeout: httpx.Timeout = TIMEOUT) -> DirectHttp:
    return DirectHttp(timeout, OnDemandTrust())


def fetch(pool: DirectHttp, url: str, headers: dict[str, str] | None = None) -> tuple[DirectResponse, bytes]:
    target = pool.route(url)
    assert target is not None, url
    response = pool.get(target, url, headers or {})
    try:
        return response, b"".join(response.iter_raw())
    finally:
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://storage.example/a/b.pdf",
        "https://storage.example:8443/a%20b?X-Amz-Signature=ab%2Fcd&x=1#frag",
        "http://Storage.Example/upper-case-host",
        "http://h",
    ],
)
def test_plain_urls_take_the_direct_path(url: str) -> None:
    target = direct().route(url)
    assert target is not None and target.host == target.host.lower()
    assert target.target.startswith("/") and "#" not in target.target


@pytest.mark.parametrize(
    "url",
    [
        "http://user:secret@storage.example/a",  # user info: httpx's rules apply
        "http://storage.example/a b",  # httpx percent-encodes the space
        "http://storage.example/a/../b",  # httpx removes dot segments
        "http://[::1]:8000/a",
        "http://bücher.example/a",
        "ftp://storage.example/a",
        "HTTP://storage.example/a",
        "http://storage.example:99999/a",
    ],
)
def test_other_urls_go_through_httpx(url: str) -> None:
    assert direct().route(url) is None


def test_a_proxy_in_the_environment_sends_that_scheme_through_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    pool = direct()
    assert pool.route("https://storage.example/a") is None
    assert pool.route("http://storage.example/a") is not None
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    assert direct().route("http://storage.example/a") is None


def test_requests_share_one_kept_alive_connection(raw: RawServer) -> None:
    pool = direct()
    for n in range(5):
        raw.answers.append(ok(b"body %d" % n, b'etag: "e%d"\r\n' % n))
        response, body = fetch(pool, raw.url(f"/o/{n}"), {"Range": "bytes=0-"})
        assert (response.status_code, body, response.headers["ETag"]) == (200, b"body %d" % n, f'"e{n}"')
    assert raw.connections == 1
    pool.close()


@pytest.mark.parametrize("recheck_after", [0.0, 60.0])  # checked before reuse / resent when found closed
def test_a_connection_the_server_closed_is_replaced_without_a_failure(
    raw: RawServer, recheck_after: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("docfetch.core.direct.RECHECK_AFTER", recheck_after)
    pool = direct()
    raw.answers.extend([ok(b"first"), None, ok(b"second")])  # the 2nd request finds the connection closed
    assert fetch(pool, raw.url())[1] == b"first"
    assert fetch(pool, raw.url())[1] == b"second"
    raw.answers.append(ok(b"third") + HANG_UP)  # closed while idle, as a keep-alive timeout does
    assert fetch(pool, raw.url())[1] == b"third"
    time.sleep(0.1)
    assert fetch(pool, raw.url())[1] == b"hello"
    assert raw.connections == 3


def test_chunked_and_unframed_bodies_are_read_whole(raw: RawServer) -> None:
    pool = direct()
    raw.answers.append(
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    )
    assert fetch(pool, raw.url())[1] == b"hello world"
    raw.answers.append(b"HTTP/1.0 200 OK\r\n\r\nuntil the end")  # the body ends with the connection
    assert fetch(pool, raw.url())[1] == b"until the end"
    assert fetch(pool, raw.url())[1] == b"hello"  # on a new connection
    assert raw.connections == 2


def test_failures_are_the_httpx_exceptions_the_engine_handles(raw: RawServer) -> None:
    pool = direct(httpx.Timeout(0.3, connect=1.0))
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{unused.getsockname()[1]}/x"
    with pytest.raises(httpx.ConnectError):
        fetch(pool, refused)
    raw.answers.append(b"NOT HTTP AT ALL\r\n\r\n")
    with pytest.raises(httpx.RemoteProtocolError):
        fetch(pool, raw.url())
    raw.answers.append(b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\nconnection: close\r\n\r\nshort")
    with pytest.raises(httpx.RemoteProtocolError):
        fetch(pool, raw.url())
    raw.answers.append(b"")  # never answers
    with pytest.raises(httpx.ReadTimeout):
        fetch(pool, raw.url())


def test_error_bodies_are_read_like_httpx(raw: RawServer) -> None:
    raw.answers.append(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 7\r\nx-a: 1\r\nx-a: 2\r\n\r\nexpired")
    pool = direct()
    url = raw.url()
    response = pool.get(pool.route(url) or pytest.fail(), url, {})
    with pytest.raises(httpx.ResponseNotRead):
        _ = response.content
    assert response.read() == b"expired" == response.content
    assert response.headers.get_list("x-a") == ["1", "2"]
    response.close()


def test_tls_trusts_what_the_environment_names(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_context)
    with RawServer(server_context) as server:
        url = server.url(scheme="https", host="localhost")
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
        ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
        assert fetch(direct(), url)[1] == b"hello"
        monkeypatch.delenv("SSL_CERT_FILE")  # certifi's bundle does not know the test CA
        with pytest.raises(httpx.ConnectError):
            fetch(direct(), url)


def test_the_storage_access_chooses_direct_or_httpx(
    storage: StorageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    url = storage.put("a", b"data")

    def sent_by(storage: Storage, url: str) -> type:
        response = storage.send(url, {})
        response.close()
        return type(response)

    own = Storage.own(TIMEOUT, OnDemandTrust())
    assert sent_by(own, url) is DirectResponse
    assert sent_by(own, url.replace("/o/a", "/o/./a")) is httpx.Response  # not plain
    own.close()
    with httpx.Client() as mine:  # a caller's client: every request through it
        assert sent_by(Storage.through(mine), url) is httpx.Response
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{unused.getsockname()[1]}")
    proxied = Storage.own(TIMEOUT, OnDemandTrust())
    with pytest.raises(httpx.ConnectError):  # through httpx, to the (absent) proxy
        proxied.send(url, {})
    proxied.close()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # httpx's rules decide: direct for this host
    excepted = Storage.own(TIMEOUT, OnDemandTrust())
    assert sent_by(excepted, url) is httpx.Response
    excepted.close()


def test_download_many_with_a_client_sends_storage_requests_through_it(
    storage: StorageServer, tmp_path: Path
) -> None:
    seen: list[str] = []
    items = [DownloadItem(id=str(n), url=storage.put(f"f{n}", b"x" * n), name=f"f{n}") for n in range(3)]
    with httpx.Client(event_hooks={"request": [lambda request: seen.append(str(request.url))]}) as mine:
        results = download_many(items, tmp_path, client=mine)
    assert all(result.ok for result in results)
    assert sorted(seen) == sorted(str(item.url) for item in items)
