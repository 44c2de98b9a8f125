"""Minimal ASGI types and response helpers (stdlib only, so importing the framework stays cheap)."""

from __future__ import annotations

import json
import string
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import MutableMapping
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

# Same shapes as starlette.types, so FastAPI apps satisfy them structurally.
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

Headers = list[tuple[bytes, bytes]]


class DeliberateAbort(Exception):
    """Raised after a partial body so the server closes the connection mid-response."""


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def header_dict(scope: Scope) -> dict[str, str]:
    """Request headers as a dict with lower-case names (repeated headers joined by ', ')."""
    result: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        result[name] = f"{result[name]}, {value}" if name in result else value
    return result


async def send_response(
    send: Send, status: int, body: bytes, content_type: str, extra: Headers | None = None
) -> None:
    headers: Headers = [
        (b"content-type", content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def send_json(send: Send, status: int, payload: Any, extra: Headers | None = None) -> None:
    await send_response(send, status, json.dumps(payload).encode(), "application/json", extra)


async def ignore_lifespan(receive: Receive, send: Send) -> None:
    """Answer a lifespan scope for apps that have nothing to start or stop."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


_TOKEN_SAFE = set(string.ascii_letters + string.digits + " !#$&+-.^_`|~()[]{}@,;=%'")


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """RFC 6266 header value: a sanitised ASCII `filename` plus `filename*` (UTF-8) when they differ.

    Header bytes cannot carry control characters, so hostile names reach clients percent-encoded in
    `filename*` (e.g. `a%00b.pdf`), where a careless client would decode them back.
    """
    fallback = "".join(ch if ch in _TOKEN_SAFE else "_" for ch in name)
    value = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
