"""The streaming pipeline through every provider's client, sync and async, over real sockets:
results arrive while resolving is still going on, links are renewed in batches, and closing or
cancelling a stream stops it promptly without leaving a part file anywhere."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docfetch._registry import PROVIDERS
from docfetch.core.ratelimit import TokenBucket
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.testing import EmulatorFactory
from docfetch.testing import FakeClock
from docfetch.types import FileResult
from emulator_ids import many_ids

pytestmark = pytest.mark.anyio
FAST = RetryPolicy(max_attempts=3, initial_backoff=0.01, max_backoff=0.05)
PART = "*.docfetch-part"


def client_class(provider: str, kind: str) -> Any:
    import importlib

    facts = PROVIDERS[provider]
    module = importlib.import_module(facts.module)
    return getattr(module, facts.client_class if kind == "sync" else "Async" + facts.client_class)


def make(provider: str, kind: str, emu: RunningEmulator, **extra: Any) -> Any:
    info = emu.info()
    credentials = {key: info[key] for key in PROVIDERS[provider].credentials}
    return client_class(provider, kind)(base_url=emu.base_url, retry=FAST, **credentials, **extra)


class CountingIds:
    """An iterator over ids that records how many were read (the pipeline reads them as it goes)."""

    def __init__(self, ids: list[str]) -> None:
        self._ids = ids
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for item in self._ids:
            self.read += 1
            yield item


async def first_result_and_rest(kind: str, client: Any, ids: Any, dest: Path, **options: Any) -> list[Any]:
    """[(the first result, what `probe()` said right then), then every other result]."""
    if kind == "sync":
        with client, client.iter_download(ids, dest, **options) as stream:
            return list(stream)
    async with client, client.iter_download(ids, dest, **options) as stream:
        return [result async for result in stream]


# ---- results arrive while resolving goes on -----------------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("provider", ["telnyx", "indexhealth", "veridox"])
async def test_the_first_file_is_saved_before_every_id_is_read(
    provider: str, kind: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator(provider, file_size=1024)
    ids = CountingIds(many_ids(emu, 120))
    extra = {"rate_limiter": TokenBucket(1, 1000.0)} if provider == "veridox" else {}
    client = make(provider, kind, emu, **extra)
    read_at_first: list[int] = []

    def note(key: str, done: int, total: int | None) -> None:
        if not read_at_first:
            read_at_first.append(ids.read)

    results = await first_result_and_rest(kind, client, ids, tmp_path, concurrency=2, progress=note)
    assert len(results) == 120 and all(result.ok for result in results)
    assert read_at_first and read_at_first[0] < 120  # the first transfer began while ids were still unread


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_an_api2convert_job_is_saved_while_a_later_job_still_runs(
    kind: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    """The emulator's clock stands still: the slow job cannot end before the fast one's file is saved,
    which then lets it end. Saving in the order of the ids would wait for the slow job forever."""
    clock = FakeClock(time.time())
    emu = emulator("api2convert", clock=clock)
    state: Any = emu.state
    slow = state.add_job(finished=False)  # queued, then processing: until the clock moves
    fast = state.add_job()
    seen: list[tuple[str, str]] = []

    def note(key: str, done: int, total: int | None) -> None:
        if not seen and done == total:
            seen.append((key, state.status_of(slow)))
            clock.advance(3600)  # now the slow job ends too

    client = make("api2convert", kind, emu, poll_interval=0.05)
    results = await first_result_and_rest(
        kind, client, [slow, fast], tmp_path, progress=note, wait_timeout=30
    )
    assert seen and seen[0][0].startswith(fast + "/") and seen[0][1] not in ("completed", "failed")
    assert next(r.id for r in results if r.ok) == fast  # streamed first, although listed second
    assert {r.id for r in results} == {slow, fast} and all(r.ok for r in results)


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_sarvam_job_is_saved_while_a_later_job_still_runs(
    kind: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    """As above: the running job ends only once the finished job's output is saved."""
    from docfetch.sarvam import SarvamClient

    clock = FakeClock(time.time())
    emu = emulator("sarvam", clock=clock)
    state: Any = emu.state
    done = state.add_job()
    source = tmp_path / "in.pdf"
    source.write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Page>> endobj\n%%EOF\n")
    with SarvamClient(api_key=emu.api_key, base_url=emu.base_url) as sarvam:
        running = sarvam.create_job().job_id
        sarvam.upload_file(running, source)
        sarvam.start_job(running)
    states: list[str] = []

    def note(key: str, written: int, total: int | None) -> None:
        if not states and written == total:
            states.append(state.job(running).phase)
            clock.advance(3600)  # now the running job ends too

    client = make("sarvam", kind, emu, poll_interval=0.05, max_poll_interval=0.2)
    results = await first_result_and_rest(
        kind, client, [running, done], tmp_path / "out", progress=note, wait_timeout=30
    )
    assert states and states[0] not in ("Completed", "PartiallyCompleted", "Failed")
    assert [r.id for r in results] == [done, running] and all(r.ok for r in results)


# ---- links renewed in batches -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_veridox_links_that_expire_in_the_queue_are_signed_again_in_batches(
    kind: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    """Links live 60 s on the emulator's clock, which moves 1.5 s with every file saved: the 50 links
    (signed at once) cannot all be used in time, so the last ten or so expire while queued; the first
    refusals renew all of them together."""
    clock = FakeClock(time.time())
    emu = emulator("veridox", clock=clock, link_ttl=60.0, file_size=512, rate_limit_per_minute=0)
    state: Any = emu.state
    ids = list(state.add_files(50))

    def age(key: str, done: int, total: int | None) -> None:
        if done == total:
            clock.advance(1.5)

    client = make("veridox", kind, emu, rate_limiter=TokenBucket(1, 1000.0))
    results = await first_result_and_rest(kind, client, ids, tmp_path, concurrency=2, progress=age)
    assert all(result.ok for result in results) and len(results) == 50
    fetches = [r for r in emu.storage.requests if r.method == "GET"]
    assert len(fetches) > 50  # some links were refused as expired, then signed again
    signing = [r for r in emu.api_requests if r.path.endswith("/files/download")]
    initial = 2  # 50 ids, 25 per request
    renewals = len(signing) - initial
    assert renewals >= 1  # links did expire while they waited
    assert renewals <= 2  # ...and were renewed together (at most one request per signing batch)


def test_veridox_links_refused_while_their_renewal_is_on_its_way_wait_for_it(
    emulator: EmulatorFactory, tmp_path: Path
) -> None:
    """Four links signed together; every transfer drops half-way and the emulator's clock jumps past
    the links' lifetime, so each resume is refused, one after another (0.15 s apart). The first
    refusal's renewal re-signs all four and waits ~1 s for the rate limit: the other refusals wait
    for it, and the batch costs one signing request, not one per refusal."""
    clock = FakeClock(time.time())
    emu = emulator("veridox", clock=clock, link_ttl=60.0, file_size=64 * 1024, rate_limit_per_minute=0)
    ids = list(emu.state.add_files(4))
    emu.faults.drop_next(4, after_bytes=32 * 1024)
    started: dict[str, float] = {}
    lock = threading.Lock()

    def stagger(key: str, done: int, total: int | None) -> None:
        with lock:
            if key in started or not done:
                return
            if not started:
                clock.advance(120.0)  # every link signed so far is now expired on storage's clock
            started[key] = 0.15 * len(started)
        time.sleep(started[key])  # this transfer meets its drop, and its refusal, that much later

    client = make("veridox", "sync", emu, rate_limiter=TokenBucket(1, 1.0))
    with client:
        results = client.download(ids, tmp_path, concurrency=4, progress=stagger)
    assert all(result.ok for result in results), results
    refused = [r for r in emu.storage.requests if r.method == "GET" and "range" in r.headers]
    assert len(refused) >= 4  # each transfer resumed at least once (refused, then with its fresh link)
    signing = [r for r in emu.api_requests if r.path.endswith("/files/download")]
    assert len(signing) == 2  # the first signing, and one renewal for all four


# ---- closing and cancelling ---------------------------------------------------------------------


def part_files(root: Path) -> list[Path]:
    return sorted(root.rglob(PART))


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_closing_a_sync_stream_midway_stops_promptly_and_leaves_no_part_file(
    provider: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    """After the first result, the other transfers are held inside their progress callback; close()
    returns while they are still held (it never waits for a transfer to finish), and once let go they
    stop and remove their part files."""
    emu = emulator(provider, file_size=2 * 1024 * 1024)
    ids = many_ids(emu, 6)
    emu.faults.throttle = 8 * 1024 * 1024
    extra = {"rate_limiter": TokenBucket(1, 1000.0)} if provider == "veridox" else {}
    first_key: list[str] = []
    held = threading.Semaphore(0)
    release = threading.Event()

    def progress(key: str, done: int, total: int | None) -> None:
        first_key[:] = first_key or [key]
        if key != first_key[0]:
            held.release()
            release.wait(60)

    with make(provider, "sync", emu, **extra) as client:
        stream = client.iter_download(ids, tmp_path, concurrency=3, progress=progress)
        first = next(stream)
        assert isinstance(first, FileResult) and first.ok
        assert held.acquire(timeout=30), "no other transfer was under way"
        closer = threading.Thread(target=stream.close)
        closer.start()
        closer.join(30)
        closed_while_held = not closer.is_alive() and not release.is_set()
        release.set()
        closer.join(30)
    assert closed_while_held
    assert wait_for(lambda: part_files(tmp_path) == []), part_files(tmp_path)


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    """Whether `condition` becomes true within `timeout` seconds (checked every 10 ms)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.parametrize("provider", list(PROVIDERS))
async def test_cancelling_an_async_stream_stops_promptly_and_leaves_no_part_file(
    provider: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    """Once a transfer is writing, every later answer is delayed 30 s: the cancelled task ends well
    before any of those could arrive, with no part file left."""
    emu = emulator(provider, file_size=4 * 1024 * 1024)
    ids = many_ids(emu, 8)
    emu.faults.throttle = 8 * 1024 * 1024  # transfers take half a second: one is surely under way
    extra = {"rate_limiter": TokenBucket(1, 1000.0)} if provider == "veridox" else {}
    got: list[FileResult] = []

    async def consume() -> None:
        async with make(provider, "async", emu, **extra) as client:
            async for result in client.iter_download(ids, tmp_path, concurrency=4):
                got.append(result)

    task = asyncio.ensure_future(consume())
    while not part_files(tmp_path):  # a transfer is writing
        await asyncio.sleep(0.01)
    emu.faults.delay = 30.0
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=20)
    emu.faults.delay = 0.0
    assert part_files(tmp_path) == []
    assert len(got) < len(ids)


def test_ids_are_read_lazily_and_each_repeat_is_reported_once(
    emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("telnyx")
    ids = many_ids(emu, 3)
    repeated = itertools.chain(ids, (item for item in reversed(ids)))
    with make("telnyx", "sync", emu) as client:
        results = client.download(repeated, tmp_path)
    assert [r.id for r in results] == ids and all(r.ok for r in results)
