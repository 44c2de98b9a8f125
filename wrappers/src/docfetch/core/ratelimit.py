"""A token bucket for provider rate limits, safe across threads and within asyncio.

Reservation algorithm: ``acquire`` takes its tokens at once, letting the balance go negative,
and then sleeps for the deficit. Waiters are therefore served in arrival order, each computes its
own wait under a short ``threading.Lock`` (never held while sleeping), and the same object works
from threads (:meth:`TokenBucket.acquire`) and from coroutines (:meth:`TokenBucket.acquire_async`).
A cancelled async waiter keeps its reservation (conservative: the limit is never exceeded).

:meth:`TokenBucket.drain` honours a server's 429 ``Retry-After``: nobody acquires before it ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from collections.abc import Mapping

from docfetch.core._backends import threads
from docfetch.core.hints import retry_delay
from docfetch.core.retry import RetryPolicy

__all__ = ["TokenBucket", "wait_after_refusal"]


class TokenBucket:
    """``capacity`` tokens (the burst), refilled at ``refill_per_second``; starts full."""

    def __init__(
        self,
        capacity: float,
        refill_per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = threads.sleep,
    ) -> None:
        if capacity <= 0 or refill_per_second <= 0:
            raise ValueError("capacity and refill_per_second must be > 0")
        self.capacity = float(capacity)
        self.rate = float(refill_per_second)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._updated = clock()
        self._lock = threading.Lock()

    @classmethod
    def per_minute(cls, requests: float, *, burst: float | None = None, **kwargs: object) -> TokenBucket:
        """E.g. Veridox's "20 requests/minute": ``TokenBucket.per_minute(20)`` (burst defaults to 1)."""
        return cls(burst if burst is not None else 1.0, requests / 60.0, **kwargs)  # type: ignore[arg-type]

    def _refill(self, now: float) -> None:
        if now > self._updated:
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now

    def reserve(self, tokens: float = 1.0) -> float:
        """Take ``tokens`` now and return the seconds the caller must wait before using them."""
        if tokens > self.capacity:
            raise ValueError(f"cannot take {tokens} tokens from a bucket of {self.capacity}")
        with self._lock:
            now = self._clock()
            self._refill(now)
            self._tokens -= tokens
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def try_acquire(self, tokens: float = 1.0) -> bool:
        """Take ``tokens`` only if available right now."""
        with self._lock:
            self._refill(self._clock())
            if self._tokens >= tokens:
                self._tokens -= tokens
                return True
            return False

    def acquire(self, tokens: float = 1.0) -> float:
        """Block the calling thread until ``tokens`` are granted; returns the seconds waited."""
        wait = self.reserve(tokens)
        if wait > 0:
            self._sleep(wait)
        return wait

    async def acquire_async(self, tokens: float = 1.0) -> float:
        """Await until ``tokens`` are granted, without blocking the event loop."""
        import asyncio  # loaded by the first async caller only

        wait = self.reserve(tokens)
        if wait > 0:
            await asyncio.sleep(wait)
        return wait

    def refund(self, tokens: float = 1.0) -> None:
        """Give back ``tokens`` taken for a request that never reached the server (it could not connect)."""
        with self._lock:
            self._refill(self._clock())
            self._tokens = min(self.capacity, self._tokens + tokens)

    def drain(self, seconds: float) -> None:
        """Grant nothing new for ``seconds`` (a 429's ``Retry-After``), on top of existing debt."""
        if seconds <= 0:
            return
        with self._lock:
            self._refill(self._clock())
            self._tokens = min(self._tokens, 0.0) - seconds * self.rate

    @property
    def available(self) -> float:
        """Tokens available now (negative while callers are queued)."""
        with self._lock:
            self._refill(self._clock())
            return self._tokens


def wait_after_refusal(
    status: int, headers: Mapping[str, str], refusals: int, policy: RetryPolicy
) -> float | None:
    """After a paced request: seconds to drain the bucket before trying again (a 429's hint, else the
    policy's backoff), or None to give up (not a 429, attempts spent, or a wait above the cap)."""
    if status != 429 or refusals + 1 >= policy.max_attempts:
        return None
    wait = retry_delay(status, headers)
    if wait is None:
        wait = policy.backoff(refusals + 1)
    return None if wait > policy.retry_after_cap else wait
