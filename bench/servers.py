"""Servers a run starts and stops itself: nginx for raw file bytes, and a latency front for the
emulator's storage origin. Everything listens on 127.0.0.1."""

from __future__ import annotations

import asyncio
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
