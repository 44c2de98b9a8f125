"""Servers and helpers for the SDK-behaviour tests (proxies, TLS, your own client, logging):

* :func:`http_proxy`: a real HTTP proxy (pproxy, from PyPI) on 127.0.0.1, in a thread of this process,
  that records every connection it opens (target host and port) and the bytes it relays to its clients;
* :class:`Redirector`: a storage front on 127.0.0.1 that answers each GET with a redirect (first to
  itself, then to the real URL) and a ``Set-Cookie``, and records the headers it was sent;
* clients for an emulator, and what an emulator saw that must never reach storage or a log.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import quote
from urllib.parse import urlsplit

from docfetch.cli.providers import PROVIDERS
from docfetch.cli.providers import environment_for
from docfetch.emulators import RunningEmulator

CREDENTIAL_HEADERS = frozenset(
    {
        "authorization",
        "x-api-key",
        "api-subscription-key",
        "x-api2convert-api-key",
        "cookie",
        "proxy-authorization",
    }
)
"""Headers that carry a credential: none may reach a storage host."""

CLASS_NAMES = {
    "sarvam": "SarvamClient",
    "indexhealth": "IndexHealthClient",
    "telnyx": "TelnyxClient",
    "veridox": "VeridoxClient",
    "api2convert": "Api2ConvertClient",
}


# --- the proxy -----------------------------------------------------------------------------------


@dataclass
class Proxy:
    url: str
    connections: list[tuple[str, int]] = field(
        default_factory=list
    )  # (host, port) of every tunnel or forward
    relayed: int = 0  # bytes the proxy passed from servers to its clients

    def ports(self) -> set[int]:
        return {port for _, port in self.connections}


_TARGET = re.compile(r"-> (?P<host>\S+):(?P<port>\d+)$")


@contextmanager
def http_proxy() -> Iterator[Proxy]:
    """pproxy's HTTP proxy (forwarding and CONNECT) on 127.0.0.1, for the duration of the block."""
    import pproxy

    ready = threading.Event()
    loop = asyncio.new_event_loop()
    box: dict[str, Any] = {}

    def note(line: str) -> None:
        found = _TARGET.search(line)
        if found is not None:
            proxy.connections.append((found["host"], int(found["port"])))

    def stats(user: object, remote_ip: str, host_name: str) -> Any:
        def counter(index: int) -> Any:
            def count(amount: int) -> None:
                if index in (2, 3):  # bytes from the server to the client (pproxy's stat layout)
                    proxy.relayed += amount

            return count

        return counter

    proxy = Proxy(url="")

    def serve() -> None:
        asyncio.set_event_loop(loop)
        server = pproxy.Server("http://127.0.0.1:0")
        handler = loop.run_until_complete(
            server.start_server({"rserver": [], "verbose": note, "modstat": stats})
        )
        box["handler"] = handler
        proxy.url = f"http://127.0.0.1:{handler.sockets[0].getsockname()[1]}"
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, name="pproxy", daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("the proxy did not start")
    try:
        yield proxy
    finally:

        async def stop() -> None:
            box["handler"].close()
            await box["handler"].wait_closed()
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


# --- a redirecting storage front -----------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]  # lower-case names


class Redirector:
    """``/hop?to=URL`` answers 302 to ``/last?to=URL`` (same origin), which answers 302 to ``URL``; both
    set a cookie. Every request is recorded."""

    COOKIE = "hop=redirector-cookie-value"

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url_to(self, target: str) -> str:
        return f"{self.origin}/hop?to={quote(target, safe='')}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                owner.seen.append(Seen(parts.path, {k.lower(): v for k, v in self.headers.items()}))
                target = parse_qs(parts.query)["to"][0]
                location = f"/last?to={quote(target, safe='')}" if parts.path == "/hop" else target
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Set-Cookie", f"{Redirector.COOKIE}; Path=/")
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    def __enter__(self) -> Redirector:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


# --- clients and secrets -------------------------------------------------------------------------


def client_class(provider: str, kind: str = "sync") -> Any:
    name = CLASS_NAMES[provider]
    return getattr(
        importlib.import_module(f"docfetch.{provider}"), name if kind == "sync" else f"Async{name}"
    )


def make_client(provider: str, emu: RunningEmulator, kind: str = "sync", **options: Any) -> Any:
    """A docfetch client of ``provider`` pointed at ``emu`` (``options`` as every client takes them)."""
    options.setdefault("base_url", emu.base_url)
    return client_class(provider, kind)(**emu.credentials, **options)


def secrets_of(emu: RunningEmulator) -> set[str]:
    """Every credential, token and signature the emulator handed out or was sent so far."""
    found = {str(emu.credentials[name]) for name in ("api_key", "client_secret") if name in emu.credentials}
    for request in emu.api_requests:
        for name in CREDENTIAL_HEADERS & set(request.headers):
            value = request.headers[name]
            found.add(value)
            found.add(value.split(" ", 1)[-1])  # the token of "Bearer <token>"
    for request in emu.storage.requests:
        found.update(value for name, value in request.query.items() if name in ("signature", "sig"))
        found.add(request.path)  # a plain storage URL's path is its capability
    return {secret for secret in found if len(secret) >= 8}


def credential_headers(headers: dict[str, str]) -> set[str]:
    return CREDENTIAL_HEADERS & {name.lower() for name in headers}


# --- the command line ----------------------------------------------------------------------------

NETWORK_VARIABLES = frozenset(
    {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "DOCFETCH_LOG"}
)


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without provider, proxy, CA or logging settings, plus ``extra``."""
    dropped = {variable for info in PROVIDERS.values() for variable in info.variables} | NETWORK_VARIABLES
    env = {name: value for name, value in os.environ.items() if name.upper() not in dropped}
    return {**env, **extra}


def run_docfetch(
    emu: RunningEmulator, args: Sequence[str], *, timeout: float = 90, **env: str
) -> subprocess.CompletedProcess[str]:
    """``docfetch <provider> ARGS`` pointed at ``emu`` (its credentials in the environment), plus ``env``."""
    command = [sys.executable, "-m", "docfetch", emu.provider, *args]
    return subprocess.run(
        command,
        env=clean_environment(**environment_for(emu.info()), **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
