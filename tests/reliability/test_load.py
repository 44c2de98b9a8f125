"""Load: a 1,000-file Veridox batch with bounded concurrency. Every file is saved exactly once and
byte-identical, the 20-requests-a-minute signing limit is respected, storage never serves more files at
once than asked, and memory stays bounded.

Time is virtual where it would be long: the emulator and the client's token bucket share a fake clock,
and the bucket's "sleep" advances it, so two minutes of rate-limited signing take no real time while the
emulator (which enforces the real limit on the same clock) would refuse any request above it.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
import tracemalloc
from collections.abc import Awaitable
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docfetch import TokenBucket
from docfetch.emulators import RecordedRequest
from docfetch.emulators import RunningEmulator
from docfetch.testing import FakeClock
from rel_emulators import StartEmulator
from rel_kits import Kit
from rel_ledger import Ledger

pytestmark = [pytest.mark.reliability("load"), pytest.mark.kits("veridox")]

FILES = 1000
FILE_BYTES = 2048
PER_MINUTE = 20  # Veridox's documented limit for POST /files/download
BATCH = 25  # ids per POST /files/download
CONCURRENCY = 8
MEMORY_BOUND = 32 * 1024 * 1024  # Python heap peak while 1,000 files download


class VirtualTime:
    """A fake clock whose sleep advances it (thread-safe): rate-limit waits cost no real time."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.slept = 0.0
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.clock.advance(seconds)
            self.slept += seconds


def signing_requests(emu: RunningEmulator) -> list[RecordedRequest]:
    return [r for r in emu.api_requests if r.method == "POST" and r.path == "/files/download"]


def max_in_window(times: list[float], window: float) -> int:
    """The largest number of ``times`` within any ``window`` seconds."""
    times = sorted(times)
    best, start = 0, 0
    for end, now in enumerate(times):
        while now - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def watch_storage_concurrency(emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Count bodies the storage origin is sending at once; returns a reader of the maximum."""
    active, peak = [0], [0]
    transmit: Callable[..., Awaitable[None]] = emu.storage._transmit

    async def counted(*args: Any, **kwargs: Any) -> None:
        active[0] += 1  # the server's event loop is single-threaded: no lock needed
        peak[0] = max(peak[0], active[0])
        try:
            await asyncio.sleep(0.001)  # hold the slot briefly so overlapping requests are visible
            await transmit(*args, **kwargs)
        finally:
            active[0] -= 1

    monkeypatch.setattr(emu.storage, "_transmit", counted)
    return lambda: peak[0]


def test_a_thousand_files_each_saved_once_within_the_rate_limit(
    kit: Kit,
    start_emulator: StartEmulator,
    clock: FakeClock,
    tmp_path: Path,
    ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu = start_emulator(clock=clock, rate_limit_per_minute=PER_MINUTE, link_ttl=24 * 3600.0)
    ids: list[str] = emu.state.add_files(FILES, size=FILE_BYTES)
    virtual = VirtualTime(clock)
    bucket = TokenBucket.per_minute(PER_MINUTE, clock=clock, sleep=virtual.sleep)
    peak_concurrency = watch_storage_concurrency(emu, monkeypatch)
    dest = tmp_path / "out"

    tracemalloc.start()
    started = time.monotonic()
    try:
        with kit.client(emu, rate_limiter=bucket) as client:
            results = client.download(ids, dest, concurrency=CONCURRENCY)
        elapsed = time.monotonic() - started
        _, peak_memory = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # every file saved exactly once, byte-identical, nothing else written
    assert [r.id for r in results] == ids
    assert all(r.error is None for r in results), [r.error for r in results if r.error][:3]
    saved = sorted(p for p in dest.iterdir())
    assert len(saved) == FILES == len({r.path for r in results})
    assert sorted(r.path for r in results if r.path) == saved
    for result in results:
        assert result.path is not None
        expected = emu.storage.get(emu.state.object_key(result.id)).sha256
        assert hashlib.sha256(result.path.read_bytes()).hexdigest() == expected == result.sha256
    gets = [r.path for r in emu.storage.requests if r.method == "GET"]
    assert len(gets) == len(set(gets)) == FILES, "each file fetched exactly once"

    # the rate limit: 40 signing requests, never more than 20 in any minute (emulator clock)
    signing = signing_requests(emu)
    assert len(signing) == FILES // BATCH, "no request was refused and repeated"
    assert max_in_window([r.time for r in signing], 60.0) <= PER_MINUTE
    assert virtual.slept >= (len(signing) - 1) * 60.0 / PER_MINUTE - 1e-6, "the limiter paced the requests"

    # bounded concurrency and memory
    assert 1 < peak_concurrency() <= CONCURRENCY
    assert peak_memory < MEMORY_BOUND, f"peak Python heap {peak_memory / 2**20:.1f} MiB"
    ledger.run("load", f"{FILES} files saved once each")
    ledger.note(
        "load",
        f"{FILES} x {FILE_BYTES} B in {elapsed:.1f} s real; {len(signing)} signing requests over "
        f"{virtual.slept:.0f} s of virtual time (max {max_in_window([r.time for r in signing], 60.0)}/min); "
        f"peak storage concurrency {peak_concurrency()} (limit {CONCURRENCY}); "
        f"peak Python heap {peak_memory / 2**20:.1f} MiB",
    )


class ReservationLog(TokenBucket):
    """A token bucket on a clock that stands still, logging the wait each reservation is handed: every
    request that takes a token shows up as one more slot in one queue, whatever the real timing."""

    def __init__(self, capacity: float, refill_per_second: float) -> None:
        super().__init__(capacity, refill_per_second, clock=FakeClock())
        self.waits: list[float] = []

    def reserve(self, tokens: float = 1.0) -> float:
        wait = super().reserve(tokens)
        self.waits.append(wait)
        return wait


@pytest.mark.anyio
async def test_the_async_client_takes_a_bucket_slot_for_each_signing_request(
    kit: Kit, start_emulator: StartEmulator, tmp_path: Path, ledger: Ledger
) -> None:
    """A lowered limit (10 requests/s, burst 1): 5 signing batches take 5 consecutive slots, 0.1 s
    apart, and the async client really sleeps for them (>= 0.4 s in all)."""
    emu = start_emulator(rate_limit_per_minute=0)
    ids: list[str] = emu.state.add_files(5 * BATCH, size=512)
    bucket = ReservationLog(1, 10.0)
    started = time.monotonic()

    async with kit.client(emu, asynchronous=True, rate_limiter=bucket) as client:
        results = await client.download(ids, tmp_path / "out", concurrency=CONCURRENCY)

    elapsed = time.monotonic() - started
    assert all(r.error is None for r in results)
    assert len(signing_requests(emu)) == 5
    assert bucket.waits == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    assert elapsed >= 0.4
    ledger.run("load", "async client: signing paced by the limiter")
    ledger.note("load", f"async pacing at 10/s: slots {bucket.waits} s, {elapsed:.2f} s real")
