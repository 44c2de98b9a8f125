"""Servers a run starts and stops itself: nginx for raw file bytes, a latency front for the
emulator's storage origin, and a lean storage origin with latency (:class:`LatencyOrigin`) for many
small files. Everything listens on 127.0.0.1."""

from __future__ import annotations

import asyncio
import functools
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from docfetch.emulators import Storage
from docfetch.emulators._asgi import Receive
from docfetch.emulators._asgi import Scope
from docfetch.emulators._asgi import Send
from docfetch.emulators.serve import ServerThread
from docfetch.emulators.serve import bind_socket
from docfetch.emulators.serve import url_for

START_TIMEOUT = 10.0

NGINX_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server_tokens off;
    default_type application/octet-stream;
    types {{ }}
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def nginx_binary() -> str | None:
    """nginx from PATH or Debian's /usr/sbin (not on a normal user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                pass
        except OSError:
            time.sleep(0.02)
            continue
        time.sleep(0.05)  # someone else may own the port: then nginx fails to bind and exits
        if process.poll() is None:
            return
    raise RuntimeError(f"nginx did not listen on {port} within {START_TIMEOUT} s")


@contextmanager
def nginx(root: Path, attempts: int = 3) -> Iterator[str]:
    """Serve ``root`` with nginx (one worker, sendfile) on a free 127.0.0.1 port; yields its base URL.

    The files must be readable by nginx's worker user (``nobody`` when started as root).
    """
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as tmp:
        prefix = Path(tmp)
        log = prefix / "error.log"
        for attempt in range(attempts):  # the port is free when picked, but another process may take it
            port = free_port()
            conf = prefix / "nginx.conf"
            conf.write_text(NGINX_CONF.format(prefix=prefix, port=port, root=root.resolve()))
            command = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(log), "-g", "daemon off;"]
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                _wait_for_port(port, process, log)
            except RuntimeError:
                _stop(process)
                if attempt == attempts - 1:
                    raise
                continue
            try:
                yield f"http://127.0.0.1:{port}"
            finally:
                _stop(process)
            return


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # nginx: fast shutdown of master and workers
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def served_dir() -> Iterator[Path]:
    """A fresh directory for nginx to serve, directly under the system temp directory: nginx's
    unprivileged worker (``nobody`` when started as root) must traverse every parent, and the usual
    temporary directories (pytest's, the run's own) are private."""
    with tempfile.TemporaryDirectory(prefix="bench-www-") as tmp:
        path = Path(tmp)
        path.chmod(0o755)
        yield path


def readable_tree(path: Path) -> None:
    """Let nginx's worker read everything under ``path``."""
    path.chmod(0o755)
    for child in path.rglob("*"):
        child.chmod(0o755 if child.is_dir() else 0o644)


class _Delayed:
    """The storage origin, each response held back ``delay`` seconds (an asyncio sleep, so concurrent
    requests wait in parallel, like network latency)."""

    def __init__(self, storage: Storage, delay: float) -> None:
        self.storage = storage
        self.delay = delay

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await asyncio.sleep(self.delay)
        await self.storage(scope, receive, send)


@contextmanager
def delayed_storage(storage: Storage, delay: float) -> Iterator[str]:
    """Serve ``storage`` again on its own port with ``delay`` added to every response, and make the
    links the emulator hands out point there. (The emulator's ``faults.delay`` would also slow the
    API; the issue asks for latency on storage responses only.)"""
    sock = bind_socket("127.0.0.1", 0)
    server = ServerThread(_Delayed(storage, delay), sock, "bench-delayed-storage")
    server.start()
    original, storage.base_url = storage.base_url, url_for(sock)
    try:
        yield storage.base_url
    finally:
        storage.base_url = original
        server.stop()


class _OriginConnection(asyncio.Protocol):
    """One keep-alive connection of :class:`LatencyOrigin`: each request is answered ``delay`` seconds
    after it arrived, in one write (head and body)."""

    def __init__(self, origin: LatencyOrigin) -> None:
        self.origin = origin
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.origin.connections += 1
        self.origin.open.add(transport)
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def connection_lost(self, exc: Exception | None) -> None:
        self.origin.open.discard(self.transport)
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:  # GET/HEAD only: no request bodies
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self.origin.requests += 1
            self._answer(head)

    def _answer(self, head: bytes) -> None:
        line, _, fields = head.partition(b"\r\n")
        method, target, version = line.split(b" ", 2)
        close = version == b"HTTP/1.0" or b"connection: close" in fields.lower()
        found = self.origin.files.get(target.split(b"?", 1)[0])
        status, body, headers = (b"200 OK", *found) if found else (b"404 Not Found", b"", b"")
        parts = [
            b"HTTP/1.1 %s\r\ncontent-length: %d\r\n%s" % (status, len(body), headers),
            b"connection: close\r\n\r\n" if close else b"\r\n",
            b"" if method == b"HEAD" else body,
        ]
        asyncio.get_running_loop().call_later(self.origin.delay, self._send, parts, close)

    def _send(self, parts: list[bytes], close: bool) -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.writelines(parts)
        if close:
            self.transport.close()


class LatencyOrigin:
    """A storage origin that answers every request after ``delay`` seconds and is not the bottleneck:
    HTTP/1.1 keep-alive on a raw asyncio protocol (no ASGI, no h11), bodies in memory, on an event loop
    and thread of its own. Counts the TCP connections and requests it receives. Use it as a context
    manager; :meth:`add` the files to serve."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.files: dict[bytes, tuple[bytes, bytes]] = {}  # path -> (body, extra header lines)
        self.open: set[asyncio.BaseTransport] = set()
        self.connections = self.requests = 0
        self._loop = asyncio.new_event_loop()
        self._sock = bind_socket("127.0.0.1", 0)
        self.base_url = url_for(self._sock)
        self._thread = threading.Thread(target=self._loop.run_forever, name="bench-origin", daemon=True)

    def add(self, path: str, body: bytes, headers: dict[str, str]) -> None:
        lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.files[path.encode()] = (body, lines.encode("latin-1"))

    def reset_counts(self) -> None:
        self.connections = self.requests = 0

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(START_TIMEOUT)

    def __enter__(self) -> LatencyOrigin:
        self._thread.start()
        factory = functools.partial(_OriginConnection, self)
        self._server = self._call(self._loop.create_server(factory, sock=self._sock, backlog=1024))
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            self._server.close()
            for transport in list(self.open):
                transport.close()

        self._call(stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(START_TIMEOUT)
        self._loop.close()
