"""A file body served by a provider's API itself (not the storage origin), with transfer faults."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import Response

from ._asgi import DeliberateAbort
from ._asgi import Receive
from ._asgi import Scope
from ._asgi import Send
from .faults import TransferFault

CHUNK_SIZE = 64 * 1024


class FaultyBody(Response):
    """A file body served by a provider's API itself, streamed in chunks; an injected transfer fault
    cuts (``drop``) or under-delivers (``short``) it, like the storage origin does, so a provider's
    direct-download path can be tested for the same faults as its signed URLs."""

    def __init__(
        self,
        data: bytes,
        *,
        content_type: str,
        headers: Mapping[str, str] | None = None,
        fault: TransferFault | None = None,
    ) -> None:
        super().__init__(status_code=200)
        self.data = data
        self.content_type = content_type
        self.extra = dict(headers or {})
        self.fault = fault

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        size = len(self.data)
        declared, limit = size, size
        if self.fault is not None and self.fault.kind == "drop":
            limit = min(self.fault.after_bytes, max(size - 1, 0))
        elif self.fault is not None:
            declared = size + max(1, size // 2)
        headers = [
            (b"content-type", self.content_type.encode("latin-1")),
            (b"content-length", str(declared).encode()),
            *(
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in self.extra.items()
            ),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for offset in range(0, limit, CHUNK_SIZE):
            chunk = self.data[offset : min(offset + CHUNK_SIZE, limit)]
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if self.fault is not None:
            raise DeliberateAbort(f"injected {self.fault.kind} after {limit} of {declared} bytes")
        await send({"type": "http.response.body", "body": b""})
