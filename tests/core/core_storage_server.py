"""A small fault-capable storage-like HTTP server on 127.0.0.1 for the download tests.

Objects live at ``/o/<key>``. A request may carry ``?sig=<token>``; tokens listed in
``expired`` get S3's expired-link answer (403) before any fault applies. Faults are queued per key and consumed one per
request, so a test scripts exactly what the next requests see. Every request is recorded
(path, query, headers) so tests can prove which headers reached which host.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import attrs


@attrs.frozen
class Fault:
    """What to do instead of (or while) serving an object for one request."""

    drop_after: int | None = None  # announce the full length, send this many body bytes, close
    ignore_range: bool = False  # answer 200 with the whole object even to a Range request
    status: int | None = None  # answer this status with a small body
    retry_after: str | None = None
    redirect_to: str | None = None  # 302 Location
    content_length: int | None = None  # lie about the length (with a short body: connection closed)
    weak_etag: bool = False
    replace_with: bytes | None = None  # after this answer the object holds these bytes (a new version)


@attrs.frozen
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names


class StorageServer:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.disposition: dict[str, str] = {}
        self.content_types: dict[str, str] = {}
        self.expired: set[str] = set()
        self.faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, key: str, sig: str | None = None) -> str:
        return f"{self.origin}/o/{key}" + (f"?sig={sig}" if sig else "")

    def put(
        self, key: str, data: bytes, *, disposition: str | None = None, content_type: str | None = None
    ) -> str:
        self.objects[key] = data
        if disposition is not None:
            self.disposition[key] = disposition
        if content_type is not None:
            self.content_types[key] = content_type
        return self.url(key)

    def fault(self, key: str, *faults: Fault) -> None:
        self.faults[key].extend(faults)

    def next_fault(self, key: str) -> Fault:
        with self._lock:
            queue = self.faults.get(key)
            return queue.popleft() if queue else Fault()

    def record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _etag(data: bytes) -> str:
    return '"' + hashlib.md5(data, usedforsecurity=False).hexdigest() + '"'


def _handler_for(server: StorageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _small(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            server.record(Seen("GET", parts.path, query, {k.lower(): v for k, v in self.headers.items()}))
            key = parts.path.removeprefix("/o/")
            if any(sig in server.expired for sig in query.get("sig", [])):
                body = b"<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"
                return self._small(403, body, {"Content-Type": "application/xml"})
            fault = server.next_fault(key)
            if fault.redirect_to is not None:
                return self._small(302, b"", {"Location": fault.redirect_to})
            if fault.status is not None:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return self._small(fault.status, b'{"message": "scripted failure"}', headers)
            data = server.objects.get(key)
            if data is None:
                return self._small(404, b'{"message": "no such object"}')
            self._serve(key, data, fault)

        def _serve(self, key: str, data: bytes, fault: Fault) -> None:
            etag = ("W/" if fault.weak_etag else "") + _etag(data)
            start, status = 0, 200
            wanted = self.headers.get("Range")
            if_range = self.headers.get("If-Range")
            if wanted and not fault.ignore_range and (if_range is None or if_range == etag):
                start = int(wanted.removeprefix("bytes=").split("-")[0])
                if start >= len(data):
                    return self._small(416, b"", {"Content-Range": f"bytes */{len(data)}"})
                status = 206
            body = data[start:]
            self.send_response(status)
            self.send_header("ETag", etag)
            self.send_header("Accept-Ranges", "bytes")
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            if key in server.disposition:
                self.send_header("Content-Disposition", server.disposition[key])
            if key in server.content_types:
                self.send_header("Content-Type", server.content_types[key])
            length = fault.content_length if fault.content_length is not None else len(body)
            self.send_header("Content-Length", str(length))
            if fault.drop_after is not None or fault.content_length is not None:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if fault.drop_after is not None:
                body = body[: fault.drop_after]
            elif fault.content_length is not None:
                body = body[: fault.content_length]
            if fault.replace_with is not None:
                server.objects[key] = fault.replace_with
            self.wfile.write(body)
            self.wfile.flush()

    return Handler


@contextmanager
def running() -> Iterator[StorageServer]:
    server = StorageServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
