"""The storage origin: a separate ASGI app serving stored objects by signed or plain URL.

It plays the part of S3/GCS behind provider download links: it never sees a provider credential,
supports GET/HEAD and single byte ranges, and applies the storage-side faults. An object may carry a
`guard` (e.g. API2Convert's download password); a key may be an `alias` of another object (same bytes,
same download counter) or be `refuse`d with 403/404/410, so a provider can hand out a fresh link.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from typing import Literal
from urllib.parse import parse_qsl
from urllib.parse import quote
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from ._asgi import DeliberateAbort
from ._asgi import Headers
from ._asgi import Receive
from ._asgi import Scope
from ._asgi import Send
from ._asgi import content_disposition
from ._asgi import header_dict
from ._asgi import ignore_lifespan
from ._asgi import reason
from ._asgi import send_response
from .faults import Faults
from .faults import TransferFault

CHUNK_SIZE = 64 * 1024
SIGNED_PREFIX = "/o/"
PLAIN_PREFIX = "/p/"
UPLOAD_PREFIX = "/u/"  # signed PUT upload slots (see Storage.signed_upload_url)


@dataclass(frozen=True)
class Rejection:
    """A refusal the storage origin sends as an S3-style XML error: status, error code and message."""

    status: int
    code: str
    message: str


UploadRejection = Rejection  # what an upload callback returns to refuse a PUT
# Checks a request's headers before an object is served; a Rejection refuses it.
Guard = Callable[[dict[str, str]], Rejection | None]
UploadCallback = Callable[[bytes, dict[str, str]], Rejection | None]

# Answers for a refused link, by status (see Storage.refuse).
REFUSALS: dict[int, Rejection] = {
    403: Rejection(403, "AccessDenied", "Access Denied"),
    404: Rejection(404, "NoSuchKey", "The specified key does not exist."),
    410: Rejection(410, "Gone", "The link is no longer valid."),
}


@dataclass
class StoredObject:
    key: str
    data: bytes
    name: str
    content_type: str
    sha256: str
    md5: str
    downloads: int = 0
    max_downloads: int | None = None
    expires_at: float | None = None
    guard: Guard | None = None  # runs before every GET/HEAD of the object

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def etag(self) -> str:
        return f'"{self.md5}"'


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    time: float
    raw_query: str = ""
    raw_path: str = ""  # as sent, percent-encoding kept (API requests; `path` is decoded)


@dataclass
class _Plan:
    """What one GET/HEAD will send: status, body slice and headers."""

    status: int
    start: int
    end: int  # exclusive
    headers: Headers = field(default_factory=list)


class Storage:
    """Object store with HMAC-signed expiring URLs and plain (capped, expiring) URLs."""

    def __init__(
        self,
        *,
        faults: Faults,
        clock: Callable[[], float],
        default_ttl: Callable[[], float],
        seed: int = 0,
        base_url: str = "",
    ) -> None:
        self.base_url = base_url
        self.requests: list[RecordedRequest] = []
        self._faults = faults
        self._clock = clock
        self._default_ttl = default_ttl
        self._seed = seed
        self._secret = secrets.token_bytes(32)
        self._objects: dict[str, StoredObject] = {}  # aliases map to the same object
        self._refused: dict[str, Rejection] = {}
        self._lock = threading.Lock()
        self._counter = 0
        self._uploads: dict[str, UploadCallback] = {}

    # ---- Python API (used by provider modules and tests) ----
    def put(
        self,
        data: bytes,
        *,
        name: str,
        content_type: str = "application/octet-stream",
        max_downloads: int | None = None,
        expires_at: float | None = None,
        guard: Guard | None = None,
    ) -> StoredObject:
        with self._lock:
            key = self._new_key()
            obj = StoredObject(
                key=key,
                data=data,
                name=name,
                content_type=content_type,
                sha256=hashlib.sha256(data).hexdigest(),
                md5=hashlib.md5(data, usedforsecurity=False).hexdigest(),
                max_downloads=max_downloads,
                expires_at=expires_at,
                guard=guard,
            )
            self._objects[key] = obj
        return obj

    def _new_key(self) -> str:
        self._counter += 1
        return hashlib.sha256(f"{self._seed}:{self._counter}".encode()).hexdigest()[:24]

    def alias(self, key: str) -> str:
        """A new key for the object at `key`: same bytes, limits and download counter."""
        with self._lock:
            obj = self._objects[key]
            alias = self._new_key()
            self._objects[alias] = obj
        return alias

    def refuse(self, key: str, status: int = 403) -> None:
        """Links to `key` are refused from now on with `status` (403, 404 or 410); the object stays
        reachable through its other keys (see alias)."""
        if status not in REFUSALS:
            raise ValueError(f"status must be one of {sorted(REFUSALS)}, not {status}")
        with self._lock:
            self._objects.pop(key, None)
            self._refused[key] = REFUSALS[status]

    def get(self, key: str) -> StoredObject:
        with self._lock:
            return self._objects[key]

    def delete(self, key: str) -> None:
        with self._lock:
            self._objects.pop(key, None)

    def signed_url(self, key: str, ttl: float | None = None) -> str:
        """A URL valid for `ttl` seconds (default config.link_ttl); 403 once expired or altered."""
        self.get(key)  # fail early on an unknown key
        expires = f"{self._clock() + (self._default_ttl() if ttl is None else ttl):.3f}"
        query = urlencode({"expires": expires, "signature": self._sign(key, expires)})
        return f"{self.base_url}{SIGNED_PREFIX}{key}?{query}"

    def plain_url(self, key: str, *, name: str | None = None) -> str:
        """An unsigned URL; the object's max_downloads and expires_at are enforced (410).

        With `name`, the URL ends in `/<name>` (percent-encoded), as download hosts that put the file
        name in the path do; the name plays no part in finding the object.
        """
        self.get(key)
        suffix = "" if name is None else "/" + quote(name, safe="")
        return f"{self.base_url}{PLAIN_PREFIX}{key}{suffix}"

    def _sign(self, key: str, expires: str) -> str:
        return hmac.new(self._secret, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()

    # ---- ASGI ----
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await ignore_lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        raw_query = scope.get("query_string", b"").decode("latin-1")
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        headers = header_dict(scope)
        self.requests.append(
            RecordedRequest(scope["method"], scope["path"], query, headers, self._clock(), raw_query)
        )
        if self._faults.delay > 0:
            await asyncio.sleep(self._faults.delay)
        failure = self._faults.take_failure("storage")
        if failure is not None:
            code = "SlowDown" if failure.status in (429, 503) else "InternalError"
            message = f"Injected fault: {reason(failure.status)}"
            await _send_error(send, failure.status, code, message, failure.headers())
            return
        if scope["path"].startswith(UPLOAD_PREFIX):
            await self._receive_upload(scope, receive, query, headers, send)
            return
        await self._route(scope, query, headers, send)

    async def _route(self, scope: Scope, query: dict[str, str], headers: dict[str, str], send: Send) -> None:
        path: str = scope["path"]
        method: str = scope["method"]
        if path.startswith(SIGNED_PREFIX):
            key, kind = path[len(SIGNED_PREFIX) :], "signed"
        elif path.startswith(PLAIN_PREFIX):
            key, kind = path[len(PLAIN_PREFIX) :].partition("/")[0], "plain"
        else:
            await _send_error(send, 404, "NoSuchKey", "The specified key does not exist.")
            return
        if method not in ("GET", "HEAD"):
            await _send_error(
                send,
                405,
                "MethodNotAllowed",
                "The specified method is not allowed.",
                [(b"allow", b"GET, HEAD")],
            )
            return
        if kind == "signed":
            denial = self._check_signature(key, query)
            if denial is not None:
                await _send_error(send, 403, *denial)
                return
        with self._lock:
            obj = self._objects.get(key)
            refusal = self._refused.get(key)
        if refusal is not None:
            await _send_error(send, refusal.status, refusal.code, refusal.message)
            return
        if obj is None:
            await _send_error(send, 404, "NoSuchKey", "The specified key does not exist.")
            return
        guarded = obj.guard(headers) if obj.guard is not None else None
        if guarded is not None:
            await _send_error(send, guarded.status, guarded.code, guarded.message)
            return
        if obj.expires_at is not None and self._clock() >= obj.expires_at:
            await _send_error(send, 410, "ObjectExpired", "The object has expired.")
            return
        if obj.max_downloads is not None and obj.downloads >= obj.max_downloads:
            await _send_error(send, 410, "DownloadLimitExceeded", "The object's download limit is reached.")
            return
        if kind == "plain" and query.get("encoding") == "base64":
            await self._transmit_base64(obj, headers, method, send)
            return
        plan = _plan(obj, headers)
        if plan.status == 416:
            await _send_error(
                send, 416, "InvalidRange", "The requested range is not satisfiable.", plan.headers
            )
            return
        await self._transmit(obj, plan, method, send)

    def _check_signature(self, key: str, query: dict[str, str]) -> tuple[str, str] | None:
        expires, signature = query.get("expires"), query.get("signature")
        if not expires or not signature:
            return (
                "AccessDenied",
                "Query-string authentication requires the signature and expires parameters.",
            )
        if not hmac.compare_digest(self._sign(key, expires), signature):
            return (
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        try:
            expired = self._clock() >= float(expires)
        except ValueError:
            return "AccessDenied", "Invalid expires parameter."
        return ("AccessDenied", "Request has expired") if expired else None

    async def _transmit(self, obj: StoredObject, plan: _Plan, method: str, send: Send) -> None:
        fault = self._faults.take_transfer_fault() if method == "GET" else None
        body = obj.data[plan.start : plan.end]
        declared, limit = _sabotage(len(body), fault)
        await send(
            {
                "type": "http.response.start",
                "status": plan.status,
                "headers": [(b"content-length", str(declared).encode()), *plan.headers],
            }
        )
        if method == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        last = max(limit - 1, 0) // CHUNK_SIZE * CHUNK_SIZE  # offset of the final chunk
        for offset in range(0, last, CHUNK_SIZE):
            chunk = body[offset : offset + CHUNK_SIZE]
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            if self._faults.throttle > 0:  # a slow link: transfers stay under way long enough to kill
                await asyncio.sleep(len(chunk) / self._faults.throttle)
        if fault is not None:
            await send({"type": "http.response.body", "body": body[last:limit], "more_body": True})
            # The client has the headers and part of the body; closing now leaves it incomplete.
            raise DeliberateAbort(f"injected {fault.kind} after {limit} of {declared} bytes")
        if plan.status == 200:
            # Counted before the final bytes leave, so a client that has them sees the count.
            with self._lock:
                obj.downloads += 1
        await send({"type": "http.response.body", "body": body[last:limit]})

    # ---- ?encoding=base64 on plain URLs (added for api2convert, whose output URIs accept it) ----
    async def _transmit_base64(
        self, obj: StoredObject, headers: dict[str, str], method: str, send: Send
    ) -> None:
        """Serve `obj` base64-encoded as text/plain; a complete GET counts as a download of `obj`."""
        encoded = base64.b64encode(obj.data)
        view = StoredObject(
            key=obj.key,
            data=encoded,
            name=obj.name,
            content_type="text/plain",
            sha256=hashlib.sha256(encoded).hexdigest(),
            md5=hashlib.md5(encoded, usedforsecurity=False).hexdigest(),
        )
        plan = _plan(view, headers)
        if plan.status == 416:
            await _send_error(
                send, 416, "InvalidRange", "The requested range is not satisfiable.", plan.headers
            )
            return
        await self._transmit(view, plan, method, send)
        if view.downloads:
            with self._lock:
                obj.downloads += view.downloads

    # ---- Signed PUT uploads (added for providers whose clients upload input to a presigned URL) ----
    def signed_upload_url(self, name: str, on_upload: UploadCallback, ttl: float | None = None) -> str:
        """A presigned URL that accepts one PUT body; `on_upload(data, headers)` stores it or rejects it.

        The callback runs on the server thread and may return an UploadRejection (sent as an XML error);
        otherwise the PUT is answered 201. `name` only labels the slot; the URL expires like signed_url.
        """
        with self._lock:
            self._counter += 1
            key = hashlib.sha256(f"{self._seed}:upload:{self._counter}:{name}".encode()).hexdigest()[:24]
            self._uploads[key] = on_upload
        expires = f"{self._clock() + (self._default_ttl() if ttl is None else ttl):.3f}"
        query = urlencode({"expires": expires, "signature": self._sign(f"PUT {key}", expires)})
        return f"{self.base_url}{UPLOAD_PREFIX}{key}?{query}"

    async def _receive_upload(
        self, scope: Scope, receive: Receive, query: dict[str, str], headers: dict[str, str], send: Send
    ) -> None:
        key = scope["path"][len(UPLOAD_PREFIX) :]
        if scope["method"] != "PUT":
            await _send_error(
                send, 405, "MethodNotAllowed", "The specified method is not allowed.", [(b"allow", b"PUT")]
            )
            return
        denial = self._check_signature(f"PUT {key}", query)
        with self._lock:
            callback = self._uploads.get(key)
        if denial is not None or callback is None:
            await _send_error(send, 403, *(denial or ("AccessDenied", "The upload URL is not known.")))
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        rejection = callback(b"".join(chunks), headers)
        if rejection is not None:
            await _send_error(send, rejection.status, rejection.code, rejection.message)
            return
        await send_response(send, 201, b"", "application/octet-stream")


def _sabotage(size: int, fault: TransferFault | None) -> tuple[int, int]:
    """(declared Content-Length, bytes actually sent) for a body of `size` under `fault`."""
    if fault is None:
        return size, size
    if fault.kind == "drop":
        return size, min(fault.after_bytes, max(size - 1, 0))
    return size + max(1, size // 2), size


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _plan(obj: StoredObject, headers: dict[str, str]) -> _Plan:
    size = obj.size
    common: Headers = [
        (b"content-type", obj.content_type.encode("latin-1")),
        (b"accept-ranges", b"bytes"),
        (b"etag", obj.etag.encode()),
        (b"content-disposition", content_disposition(obj.name).encode("latin-1")),
        (b"cache-control", b"private, max-age=0"),
    ]
    requested = _parse_range(headers.get("range"), size)
    if_range = headers.get("if-range")
    if requested is None or (if_range is not None and if_range != obj.etag):
        return _Plan(200, 0, size, common)
    if requested == "unsatisfiable":
        return _Plan(416, 0, 0, [(b"content-range", f"bytes */{size}".encode())])
    start, end = requested
    content_range = f"bytes {start}-{end - 1}/{size}".encode()
    return _Plan(206, start, end, [*common, (b"content-range", content_range)])


def _parse_range(value: str | None, size: int) -> tuple[int, int] | Literal["unsatisfiable"] | None:
    """One byte range as [start, end); None means serve everything (absent, malformed or multi-range)."""
    if value is None:
        return None
    match = _RANGE.match(value.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # suffix: the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(size - length, 0), size
    start = int(first)
    end = size if last == "" else min(int(last) + 1, size)
    if last != "" and int(last) < start:
        return None  # syntactically invalid: ignore, as RFC 9110 allows
    if start >= size:
        return "unsatisfiable"
    return start, end


async def _send_error(send: Send, status: int, code: str, message: str, extra: Headers | None = None) -> None:
    request_id = secrets.token_hex(8).upper()
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
        f"<RequestId>{request_id}</RequestId></Error>"
    ).encode()
    await send_response(send, status, body, "application/xml", extra)
