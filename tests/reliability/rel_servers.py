"""Two small servers for the redirect flows, each on its own origin (127.0.0.1, its own port):

* :class:`Redirector`: answers every request with a redirect to the same path and query on a target
  origin (the real storage), recording what it received: a second "storage host" in the chain.
* :class:`ApiFront`: a reverse proxy in front of a provider emulator's API that forwards everything,
  except the requests a rule picks, which it answers with a redirect instead (an API that sends the
  file's bytes from elsewhere, as S3-backed APIs do).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from docfetch.emulators import RecordedRequest
from docfetch.emulators._asgi import Receive
from docfetch.emulators._asgi import Scope
from docfetch.emulators._asgi import Send
from docfetch.emulators._asgi import header_dict
from docfetch.emulators.serve import ServerThread
from docfetch.emulators.serve import bind_socket
from docfetch.emulators.serve import url_for

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


async def _redirect(send: Send, location: str, status: int = 307) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def _record(scope: Scope) -> RecordedRequest:
    raw_query = scope.get("query_string", b"").decode("latin-1")
    return RecordedRequest(scope["method"], scope["path"], {}, header_dict(scope), 0.0, raw_query)


class Redirector:
    """Redirects every request to ``target`` + the same path and query."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.requests: list[RecordedRequest] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        recorded = _record(scope)
        self.requests.append(recorded)
        query = f"?{recorded.raw_query}" if recorded.raw_query else ""
        await _redirect(
            send, f"{self.target}{scope.get('raw_path', b'').decode('latin-1') or scope['path']}{query}"
        )


RedirectRule = Callable[[str, str], "str | None"]
"""``rule(method, path)``: the Location to redirect this API request to, or None to forward it."""


class ApiFront:
    """Forwards requests to ``upstream`` (an emulator's API origin) unless ``rule`` redirects them."""

    def __init__(self, upstream: str, rule: RedirectRule) -> None:
        self.upstream = upstream.rstrip("/")
        self.rule = rule
        self.requests: list[RecordedRequest] = []
        self.redirected = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        recorded = _record(scope)
        self.requests.append(recorded)
        location = self.rule(scope["method"], scope["path"])
        if location is not None:
            self.redirected += 1
            await _redirect(send, location, 302)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        path = scope.get("raw_path", b"").decode("latin-1") or scope["path"]
        query = f"?{recorded.raw_query}" if recorded.raw_query else ""
        headers = {k: v for k, v in recorded.headers.items() if k not in _HOP_BY_HOP}
        async with httpx.AsyncClient(timeout=10.0) as client:
            answer = await client.request(
                scope["method"], f"{self.upstream}{path}{query}", headers=headers, content=body
            )
        out = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in answer.headers.items()
            if k not in _HOP_BY_HOP
        ]
        out.append((b"content-length", str(len(answer.content)).encode()))
        await send({"type": "http.response.start", "status": answer.status_code, "headers": out})
        await send({"type": "http.response.body", "body": answer.content})


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port) for the block; yields its base URL."""
    sock = bind_socket("127.0.0.1", 0)
    server = ServerThread(app, sock, "reliability-helper")
    server.start()
    try:
        yield url_for(sock)
    finally:
        server.stop()
