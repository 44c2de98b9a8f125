"""Fault injection shared by every emulator: failures, dropped/short bodies, delay, lying metadata."""

from __future__ import annotations

import hashlib
import math
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any
from typing import Literal

Side = Literal["api", "storage"]
# How a failure says when to come back: the standard header, or one of the rate-limit forms providers use
# instead (retry-after-ms: milliseconds; ratelimit-reset: IETF draft, delta seconds; x-ratelimit-reset:
# Telnyx, seconds until the window resets).
RetryHeader = Literal["retry-after", "retry-after-ms", "ratelimit-reset", "x-ratelimit-reset"]
RETRY_HEADERS: tuple[RetryHeader, ...] = (
    "retry-after",
    "retry-after-ms",
    "ratelimit-reset",
    "x-ratelimit-reset",
)

# Names a hostile or broken provider might report; a download engine must never write any of them verbatim.
HOSTILE_NAMES: list[str] = [
    "../x.pdf",
    "/etc/passwd",
    "a\x00b.pdf",
    "CON",
    "n" * 296 + ".pdf",
    "same.pdf",
    "same.pdf",
    "..",
    "sub/dir/..\\..\\x",
    "C:\\Windows\\win.ini",
    " .pdf. ",
]


@dataclass(frozen=True)
class Failure:
    """One injected error response.

    `retry_after` (seconds, or an HTTP-date string for the plain Retry-After header) is sent in the form
    `retry_header` names; `body` (api side) replaces the provider's default error body for the status.
    """

    status: int
    retry_after: float | str | None = None
    retry_header: RetryHeader = "retry-after"
    body: Any = None

    def headers(self) -> list[tuple[bytes, bytes]]:
        """The response headers carrying `retry_after` (none without it)."""
        return rate_limit_headers(self.retry_header, self.retry_after)


def rate_limit_headers(form: RetryHeader, seconds: float | str | None) -> list[tuple[bytes, bytes]]:
    """Headers telling a client to wait `seconds`, in `form`; the rate-limit forms add remaining: 0."""
    if seconds is None:
        return []
    if isinstance(seconds, str):
        return [(b"retry-after", seconds.encode("latin-1"))]
    if form == "retry-after":
        return [(b"retry-after", f"{seconds:g}".encode())]
    if form == "retry-after-ms":
        return [(b"retry-after-ms", str(round(seconds * 1000)).encode())]
    whole = str(math.ceil(seconds)).encode()
    if form == "ratelimit-reset":
        return [(b"ratelimit-remaining", b"0"), (b"ratelimit-reset", whole)]
    return [(b"x-ratelimit-remaining", b"0"), (b"x-ratelimit-reset", whole)]


@dataclass(frozen=True)
class TransferFault:
    """One sabotaged storage download: "drop" aborts mid-body, "short" declares more than it sends."""

    kind: Literal["drop", "short"]
    after_bytes: int = 0


class Faults:
    """Per-emulator fault switches; thread-safe, so tests may change them while servers run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[Side, deque[Failure]] = {"api": deque(), "storage": deque()}
        self._transfers: deque[TransferFault] = deque()
        self.delay: float = 0.0
        self.throttle: float = 0.0  # storage bodies: bytes per second (0: as fast as possible)
        self.wrong_checksum: bool = False
        self.hostile_names: bool = False

    def fail_next(
        self,
        n: int,
        status: int,
        retry_after: float | str | None = None,
        where: Side = "api",
        *,
        retry_header: RetryHeader = "retry-after",
        body: Any = None,
    ) -> None:
        """The next `n` requests on `where` get `status` (in the provider's error shape on the api side).

        `retry_header` picks the header carrying `retry_after` ("retry-after", "retry-after-ms",
        "ratelimit-reset" or "x-ratelimit-reset"); `body` is a JSON body sent instead of the provider's
        error shape (api side only), e.g. `sarvam.insufficient_quota_body()`.
        """
        if not 100 <= status <= 599:
            raise ValueError(f"not an HTTP status: {status}")
        if where not in self._failures:
            raise ValueError(f"where must be 'api' or 'storage', not {where!r}")
        if retry_header not in RETRY_HEADERS:
            raise ValueError(f"retry_header must be one of {', '.join(RETRY_HEADERS)}, not {retry_header!r}")
        if isinstance(retry_after, str) and retry_header != "retry-after":
            raise ValueError(f"{retry_header} takes seconds, not a date")
        if body is not None and where != "api":
            raise ValueError("a custom body is for api-side failures (storage answers S3-style XML)")
        failure = Failure(status, retry_after, retry_header, body)
        with self._lock:
            self._failures[where].extend(failure for _ in range(_count(n)))

    def drop_next(self, n: int, after_bytes: int) -> None:
        """The next `n` storage downloads send full headers, then abort after `after_bytes` body bytes."""
        if after_bytes < 0:
            raise ValueError("after_bytes must be >= 0")
        with self._lock:
            self._transfers.extend(TransferFault("drop", after_bytes) for _ in range(_count(n)))

    def short_next(self, n: int) -> None:
        """The next `n` storage downloads declare a Content-Length larger than the body, then close."""
        with self._lock:
            self._transfers.extend(TransferFault("short") for _ in range(_count(n)))

    def take_failure(self, where: Side) -> Failure | None:
        with self._lock:
            queue = self._failures[where]
            return queue.popleft() if queue else None

    def take_transfer_fault(self) -> TransferFault | None:
        with self._lock:
            return self._transfers.popleft() if self._transfers else None

    def pending(self) -> dict[str, int]:
        """How many queued faults remain, by kind (handy in test assertions)."""
        with self._lock:
            return {
                "api": len(self._failures["api"]),
                "storage": len(self._failures["storage"]),
                "transfer": len(self._transfers),
            }

    def reset(self) -> None:
        with self._lock:
            for queue in self._failures.values():
                queue.clear()
            self._transfers.clear()
        self.delay = 0.0
        self.throttle = 0.0
        self.wrong_checksum = False
        self.hostile_names = False

    # Helpers for provider modules, so every provider lies the same way.
    def report_checksum(self, real_hex: str) -> str:
        """`real_hex` unless wrong_checksum is on; then a different digest of the same length."""
        if not self.wrong_checksum:
            return real_hex
        wrong = hashlib.sha256(b"wrong:" + real_hex.encode()).hexdigest()
        return (wrong * (len(real_hex) // len(wrong) + 1))[: len(real_hex)]

    def report_name(self, index: int, real_name: str) -> str:
        """`real_name` unless hostile_names is on; then HOSTILE_NAMES[index] (cycling)."""
        if not self.hostile_names:
            return real_name
        return HOSTILE_NAMES[index % len(HOSTILE_NAMES)]


def _count(n: int) -> int:
    if n < 0:
        raise ValueError("n must be >= 0")
    return n
