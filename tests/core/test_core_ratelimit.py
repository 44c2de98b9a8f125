"""The token bucket with an injected clock, across threads and in asyncio."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from docfetch import TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_burst_then_steady_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(3, 1.0, clock=clock, sleep=clock.sleep)
    assert [bucket.acquire() for _ in range(3)] == [0, 0, 0]
    assert bucket.acquire() == pytest.approx(1.0)
    assert bucket.acquire() == pytest.approx(1.0)


def test_reservations_queue_in_order() -> None:
    clock = Clock()
    bucket = TokenBucket(1, 2.0, clock=clock)
    assert [bucket.reserve() for _ in range(4)] == pytest.approx([0, 0.5, 1.0, 1.5])


def test_per_minute_matches_provider_limit() -> None:
    clock = Clock()
    bucket = TokenBucket.per_minute(20, clock=clock)
    assert bucket.reserve() == 0
    assert bucket.reserve() == pytest.approx(3.0)


def test_refill_never_exceeds_capacity() -> None:
    clock = Clock()
    bucket = TokenBucket(2, 1.0, clock=clock)
    bucket.reserve()
    clock.now = 100
    assert bucket.available == 2
    assert TokenBucket(1, 1, clock=clock).try_acquire()


def test_drain_blocks_for_retry_after() -> None:
    clock = Clock()
    bucket = TokenBucket(5, 1.0, clock=clock)
    bucket.drain(30)
    assert bucket.reserve() >= 30
    assert not bucket.try_acquire()


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0, 1)
    with pytest.raises(ValueError):
        TokenBucket(1, 1).reserve(2)


def test_thread_safety_no_token_is_granted_twice() -> None:
    clock = Clock()
    bucket = TokenBucket(50, 0.000001, clock=clock)
    granted: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            ok = bucket.try_acquire()
            with lock:
                granted.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert granted.count(True) == 50


@pytest.mark.anyio
async def test_async_acquire_spaces_out_tasks() -> None:
    """Five tasks at once: each reserves its own slot 20 ms after the previous one (on a clock that does
    not move, so the slots are exact), then really sleeps for it."""
    bucket = TokenBucket(1, 50.0, clock=Clock())
    started = time.monotonic()
    waits = await asyncio.gather(*(bucket.acquire_async() for _ in range(5)))
    assert sorted(waits) == pytest.approx([0, 0.02, 0.04, 0.06, 0.08])
    assert time.monotonic() - started >= 0.08 - 0.005  # the last task slept its slot out
