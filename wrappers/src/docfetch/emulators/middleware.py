"""ASGI middleware wrapping every provider app: request log, delay and api-side failures."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from ._asgi import ASGIApp
from ._asgi import Receive
from ._asgi import Scope
from ._asgi import Send
from ._asgi import header_dict
from ._asgi import reason
from ._asgi import send_json
from .faults import Faults
from .storage import RecordedRequest


class ApiFaultMiddleware:
    """Applies Faults on the api side so provider modules only implement their happy and error paths."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        faults: Faults,
        error_body: Callable[[int, str], Any],
        clock: Callable[[], float],
        requests: list[RecordedRequest],
    ) -> None:
        self.app = app
        self._faults = faults
        self._error_body = error_body
        self._clock = clock
        self.requests = requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_query = scope.get("query_string", b"").decode("latin-1")
        self.requests.append(
            RecordedRequest(
                scope["method"],
                scope["path"],
                dict(parse_qsl(raw_query, keep_blank_values=True)),
                header_dict(scope),
                self._clock(),
                raw_query,
                scope.get("raw_path", b"").decode("latin-1"),
            )
        )
        if self._faults.delay > 0:
            await asyncio.sleep(self._faults.delay)
        failure = self._faults.take_failure("api")
        if failure is None:
            await self.app(scope, receive, send)
            return
        body = failure.body
        if body is None:
            body = self._error_body(failure.status, f"Injected fault: {reason(failure.status)}")
        await send_json(send, failure.status, body, failure.headers())
