"""Fault injection shared by every emulator: failures, dropped/short bodies, delay, lying metadata."""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from dataclasses import dataclass
from typing import Literal

Side = Literal["api", "storage"]

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
    """One injected error response."""

    status: int
    retry_after: float | str | None = None

    def retry_after_header(self) -> str | None:
        if self.retry_after is None or isinstance(self.retry_after, str):
            return self.retry_after
        return f"{self.retry_after:g}"


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
        self.wrong_checksum: bool = False
        self.hostile_names: bool = False

    def fail_next(
        self, n: int, status: int, retry_after: float | str | None = None, where: Side = "api"
    ) -> None:
        """The next `n` requests on `where` get `status` (in the provider's error shape on the api side)."""
        if not 100 <= status <= 599:
            raise ValueError(f"not an HTTP status: {status}")
        if where not in self._failures:
            raise ValueError(f"where must be 'api' or 'storage', not {where!r}")
        with self._lock:
            self._failures[where].extend(Failure(status, retry_after) for _ in range(_count(n)))

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
