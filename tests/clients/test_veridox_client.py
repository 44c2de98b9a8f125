"""docfetch.veridox (VeridoxClient / AsyncVeridoxClient) against the Veridox emulator over real sockets.

Most flows run for the sync and the async client (``kind``). Rate-limit tests drive the emulator and
the client's token bucket with one fake clock, so minutes of pacing take milliseconds.
(Named test_veridox_client.py: tests/emulators/test_veridox.py already uses the shorter basename.)
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import socket
import threading
import time
from collections.abc import AsyncIterator
from collections.abc import Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import readme_blocks
from docfetch.core.ratelimit import TokenBucket
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import HOSTILE_NAMES
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.veridox_state import ERROR_NOT_FOUND
from docfetch.emulators.veridox_state import ERROR_NOT_OWNED
from docfetch.emulators.veridox_state import ERROR_NOT_UPLOADED
from docfetch.emulators.veridox_state import MAIN_ORG
from docfetch.emulators.veridox_state import VeridoxState
from docfetch.errors import AuthenticationError
from docfetch.errors import ConnectError
from docfetch.errors import DestinationExistsError
from docfetch.errors import InvalidInputError
from docfetch.errors import MissingCredentialsError
from docfetch.errors import NotFoundError
from docfetch.errors import RateLimitError
from docfetch.errors import ServerError
from docfetch.providers.veridox import rules as veridox_rules
from docfetch.testing import FakeClock
from docfetch.types import FileResult
from docfetch.veridox import DEFAULT_BASE_URL
from docfetch.veridox import AssetType
from docfetch.veridox import AssetUrl
from docfetch.veridox import AsyncVeridoxClient
from docfetch.veridox import DownloadFilesResponse
from docfetch.veridox import FileList
from docfetch.veridox import FileSortBy
from docfetch.veridox import FileSummary
from docfetch.veridox import Link
from docfetch.veridox import SignedUrl
from docfetch.veridox import VeridoxClient
from docfetch.veridox import VeridoxFileAccessError
from docfetch.veridox import VeridoxFileError
from docfetch.veridox import VeridoxFileNotFoundError
from docfetch.veridox import VeridoxFileNotUploadedError
from docfetch.veridox import shared_rate_limiter

FILE_SIZE = 48 * 1024
FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, jitter=0.0)
KINDS = ["sync", "async"]
UNKNOWN = "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f"  # well-formed UUIDv7 that no emulator file has
UUID_V4 = "3c90c3cc-0d44-4b50-8888-8dd25736052a"  # the docs' own example: version 4
AnyClient = VeridoxClient | AsyncVeridoxClient

pytestmark = pytest.mark.anyio


# --- fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared() -> Iterator[RunningEmulator]:
    # The server-side limit is off here: pacing has its own tests with a fake clock.
    with run_emulator("veridox", file_size=FILE_SIZE, rate_limit_per_minute=0) as running:
        yield running


@pytest.fixture
def emu(shared: RunningEmulator) -> Iterator[RunningEmulator]:
    """The shared emulator with empty request logs; faults are reset afterwards."""
    shared.api_requests.clear()
    shared.storage.requests.clear()
    yield shared
    shared.faults.reset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clocked(clock: FakeClock) -> Iterator[RunningEmulator]:
    """An emulator on a fake clock allowing 3 POST /files/download a minute, with 60 s links."""
    with run_emulator(
        "veridox", clock=clock, rate_limit_per_minute=3, link_ttl=60.0, file_size=FILE_SIZE
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def no_veridox_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VERIDOX_API_KEY", raising=False)
    monkeypatch.delenv("VERIDOX_BASE_URL", raising=False)


def fast_bucket() -> TokenBucket:
    """A bucket that never makes a test wait (the shared 20-a-minute one would)."""
    return TokenBucket(1000, 1000)


def fake_bucket(clock: FakeClock, per_minute: float) -> TokenBucket:
    """A bucket whose waits advance the fake clock instead of sleeping."""
    return TokenBucket.per_minute(per_minute, clock=clock, sleep=clock.advance)


@asynccontextmanager
async def opened(kind: str, emu: RunningEmulator, **kwargs: Any) -> AsyncIterator[AnyClient]:
    options: dict[str, Any] = {
        "api_key": emu.api_key,
        "base_url": emu.base_url,
        "retry": FAST,
        "rate_limiter": fast_bucket(),
        **kwargs,
    }
    if kind == "sync":
        with VeridoxClient(**options) as client:
            yield client
    else:
        async with AsyncVeridoxClient(**options) as client:
            yield client


async def run(value: Any) -> Any:
    """The result of a sync call, or of an awaited async one."""
    return await value if inspect.isawaitable(value) else value


def state(emu: RunningEmulator) -> VeridoxState:
    result = emu.state
    assert isinstance(result, VeridoxState)
    return result


def ready(emu: RunningEmulator) -> list[str]:
    return list(state(emu).seeded["ready"])


def posts(emu: RunningEmulator) -> list[float]:
    """The times of the POST /files/download requests the emulator received."""
    return [r.time for r in emu.api_requests if r.method == "POST" and r.path == "/files/download"]


def files_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def assert_no_credential_reached_storage(emu: RunningEmulator) -> None:
    key = emu.api_key
    assert key
    assert emu.storage.requests, "expected storage downloads"
    for request in emu.storage.requests:
        assert "x-api-key" not in request.headers
        assert all(key not in value for value in request.headers.values())
        assert key not in request.raw_query


def assert_saved_identical(emu: RunningEmulator, result: FileResult) -> None:
    assert result.error is None, result.error
    assert result.path is not None
    expected = state(emu).content(result.id)
    assert result.path.read_bytes() == expected
    assert result.bytes == len(expected)
    assert result.sha256 == hashlib.sha256(expected).hexdigest()


# --- construction and input checks -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_missing_key_fails_at_construction_naming_the_variable(kind: str) -> None:
    cls = VeridoxClient if kind == "sync" else AsyncVeridoxClient
    with pytest.raises(MissingCredentialsError) as caught:
        cls()
    assert caught.value.env_var == "VERIDOX_API_KEY"
    assert "VERIDOX_API_KEY" in str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
async def test_key_and_base_url_from_the_environment(
    kind: str, emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VERIDOX_API_KEY", str(emu.api_key))
    monkeypatch.setenv("VERIDOX_BASE_URL", emu.base_url)
    cls = VeridoxClient if kind == "sync" else AsyncVeridoxClient
    client = cls(rate_limiter=fast_bucket())
    try:
        assert client.base_url == emu.base_url
        (link,) = await run(client.links(ready(emu)[:1]))
        assert link.id == ready(emu)[0]
    finally:
        await run(client.close())


def test_default_base_url_and_bad_base_urls() -> None:
    with VeridoxClient(api_key="vdx_test") as client:
        assert client.base_url == DEFAULT_BASE_URL == "https://api.uk.veridox.ai"
    for bad in ("ftp://api.uk.veridox.ai", "api.uk.veridox.ai"):
        with pytest.raises(InvalidInputError, match="base URL"):
            VeridoxClient(api_key="vdx_test", base_url=bad)


def test_check_ids_takes_uuid_v7_only() -> None:
    good = ["01941f29-7c00-70ce-a7da-bb2f2de2619c", "01941F29-7C00-70CE-A7DA-BB2F2DE2619C"]
    assert VeridoxClient.check_ids(good) == good
    assert AsyncVeridoxClient.check_ids(good) == good
    with pytest.raises(InvalidInputError, match="version-4 UUID"):
        VeridoxClient.check_ids([good[0], UUID_V4])
    with pytest.raises(InvalidInputError, match="variant digit"):
        VeridoxClient.check_ids(["01941f29-7c00-70ce-c7da-bb2f2de2619c"])
    for bad in ([], "01941f29-7c00-70ce-a7da-bb2f2de2619c", ["x"], [good[0] + "\n"], [" " + good[0]], [""]):
        with pytest.raises(InvalidInputError):
            VeridoxClient.check_ids(bad)


@pytest.mark.parametrize("kind", KINDS)
async def test_bad_input_is_refused_before_any_request(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    async with opened(kind, emu) as client:
        with pytest.raises(InvalidInputError):
            await run(client.links([ready(emu)[0], UUID_V4]))
        with pytest.raises(InvalidInputError):
            await run(client.download([UUID_V4], tmp_path / "out"))
        with pytest.raises(InvalidInputError):
            await run(client.download(ready(emu), blocker))
        with pytest.raises(InvalidInputError):
            await run(client.download(ready(emu), tmp_path / "out", concurrency=0))
        with pytest.raises(InvalidInputError, match="at most 25"):
            await run(client.download_files(state(emu).add_files(26)))
        with pytest.raises(InvalidInputError):
            await run(client.get_asset_url("not-a-uuid", AssetType.THUMBNAIL))
        with pytest.raises(InvalidInputError, match="allowed"):
            await run(client.get_asset_url(ready(emu)[0], "original"))
        for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"sort_by": "size"}, {"sort_order": "up"}):
            with pytest.raises(InvalidInputError):
                await run(client.list_files(**bad))
    assert emu.api_requests == []
    assert not (tmp_path / "out").exists()


def test_sync_and_async_clients_have_the_same_methods() -> None:
    def public(cls: type) -> dict[str, Any]:
        return {name: member for name, member in inspect.getmembers(cls) if not name.startswith("_")}

    sync, asyn = public(VeridoxClient), public(AsyncVeridoxClient)
    assert set(sync) == set(asyn)
    for name in (
        "links",
        "download",
        "download_files",
        "list_files",
        "get_asset_url",
        "signed_urls",
        "close",
    ):
        assert inspect.iscoroutinefunction(asyn[name]), name
        assert (
            inspect.signature(sync[name]).parameters.keys() == inspect.signature(asyn[name]).parameters.keys()
        )
    assert inspect.isasyncgenfunction(asyn["iter_files"])


# --- links -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_links_give_label_url_and_expiry(kind: str, emu: RunningEmulator) -> None:
    ids = ready(emu)
    async with opened(kind, emu) as client:
        before = time.time()
        links: list[Link] = await run(client.links(ids))
    assert [link.id for link in links] == ids
    assert [link.name for link in links] == [state(emu).get(i).label for i in ids]
    assert len(posts(emu)) == 1
    for link in links:
        assert link.expires_at is not None
        assert before + 3600 - 2 <= link.expires_at.timestamp() <= time.time() + 3600
    answer = httpx.get(links[1].url, timeout=10)  # a bare request: the signed URL is enough
    assert answer.status_code == 200
    assert answer.content == state(emu).content(ids[1])


@pytest.mark.parametrize("kind", KINDS)
async def test_repeated_ids_are_asked_for_once_and_reported_once(kind: str, emu: RunningEmulator) -> None:
    first, second = ready(emu)[:2]
    asked = [first, second, first, first.upper(), second]
    async with opened(kind, emu) as client:
        outcomes: list[SignedUrl] = await run(client.signed_urls(asked))
        links: list[Link] = await run(client.links([first.upper(), first]))
    assert [o.id for o in outcomes] == [first, second]
    assert all(o.ok for o in outcomes)
    assert [link.id for link in links] == [first.upper()]  # as first given
    assert len(posts(emu)) == 2  # one per call


@pytest.mark.parametrize("kind", KINDS)
async def test_per_file_errors_are_typed_and_keep_veridox_s_reason(kind: str, emu: RunningEmulator) -> None:
    seeded = state(emu).seeded
    ok, foreign, waiting = ready(emu)[0], seeded["not_owned"][0], seeded["waiting_for_upload"][0]
    async with opened(kind, emu) as client:
        outcomes: list[SignedUrl] = await run(client.signed_urls([ok, foreign, waiting, UNKNOWN]))
        links: list[Link] = await run(client.links([ok, foreign, UNKNOWN]))
    assert [o.id for o in outcomes] == [ok, foreign, waiting, UNKNOWN]
    assert outcomes[0].ok and outcomes[0].link is not None
    expected = [
        (VeridoxFileAccessError, ERROR_NOT_OWNED),
        (VeridoxFileNotUploadedError, ERROR_NOT_UPLOADED),
        (VeridoxFileNotFoundError, ERROR_NOT_FOUND),
    ]
    for outcome, (cls, reason) in zip(outcomes[1:], expected, strict=True):
        assert type(outcome.error) is cls
        assert isinstance(outcome.error, VeridoxFileError)
        assert outcome.error.reason == reason
        assert outcome.error.file_id == outcome.id
        assert reason in str(outcome.error)
    assert [link.id for link in links] == [ok]  # refused ids have no link


# --- batching and the rate limit ----------------------------------------------------------------


def test_sixty_ids_go_in_three_requests_paced_to_the_limit(
    clock: FakeClock, clocked: RunningEmulator
) -> None:
    ids = state(clocked).add_files(60)
    start = clock()
    with VeridoxClient(
        api_key=clocked.api_key, base_url=clocked.base_url, rate_limiter=fake_bucket(clock, 3), retry=FAST
    ) as client:
        links = client.links(ids)
    assert [link.id for link in links] == ids  # no 429: every id got its link, in order
    times = posts(clocked)
    assert len(times) == 3  # 25 ids a request
    assert [t - start for t in times] == pytest.approx([0, 20, 40])  # 3 a minute, one at a time


def test_a_429_drains_the_bucket_for_its_retry_after(clock: FakeClock, clocked: RunningEmulator) -> None:
    ids = state(clocked).add_files(60)
    bucket = fake_bucket(clock, 600)  # allows more than the server's 3 a minute
    with VeridoxClient(api_key=clocked.api_key, base_url=clocked.base_url, rate_limiter=bucket) as client:
        client.links(ids[:25])  # 1 of the 3 the server allows this minute
        client.links(ids[:25])  # 2
        links = client.links(ids)  # 3 goes through; the 4th is refused, waits and succeeds
    assert [link.id for link in links] == ids
    times = posts(clocked)
    assert len(times) == 6
    # times[3] was refused; Retry-After said "until the first request leaves the 60 s window"
    assert times[4] - times[0] >= 60
    assert times[5] - times[4] == pytest.approx(0.1)  # then the client's own pace again


@pytest.mark.parametrize("kind", KINDS)
async def test_attempts_that_never_connect_take_no_quota(kind: str, clock: FakeClock) -> None:
    # Nothing listens on the port: the server counts none of these attempts, so neither does the bucket.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bucket = fake_bucket(clock, 20)  # one request every 3 s, starting full
    options = {"api_key": "k", "base_url": f"http://127.0.0.1:{port}", "retry": FAST, "rate_limiter": bucket}
    ids, start = [UNKNOWN], clock()
    if kind == "sync":
        with VeridoxClient(**options) as client, pytest.raises(ConnectError):
            client.download_files(ids)
    else:
        async with AsyncVeridoxClient(**options) as client:
            with pytest.raises(ConnectError):
                await client.download_files(ids)
    assert bucket.available == pytest.approx(1.0)  # every token given back
    assert clock() == start  # and no attempt waited for one


@pytest.mark.parametrize("kind", KINDS)
async def test_a_429_with_retry_after_is_waited_out(kind: str, emu: RunningEmulator) -> None:
    emu.faults.fail_next(1, 429, retry_after=1)
    async with opened(kind, emu) as client:
        started = time.monotonic()
        links: list[Link] = await run(client.links(ready(emu)[:2]))
        elapsed = time.monotonic() - started
    assert len(links) == 2
    assert len(posts(emu)) == 2
    assert elapsed >= 0.95


@pytest.mark.parametrize("kind", KINDS)
async def test_a_429_beyond_the_cap_or_the_attempts_raises(kind: str, emu: RunningEmulator) -> None:
    emu.faults.fail_next(1, 429, retry_after=3600)
    async with opened(kind, emu) as client:
        with pytest.raises(RateLimitError) as caught:
            await run(client.links(ready(emu)[:1]))
        assert caught.value.retry_after == 3600
        assert caught.value.code == "request.rate-limit"
        assert len(posts(emu)) == 1
    emu.faults.fail_next(3, 429, retry_after=0)
    async with opened(kind, emu) as client:
        with pytest.raises(RateLimitError):
            await run(client.links(ready(emu)[:1]))
    assert len(posts(emu)) == 1 + FAST.max_attempts


def test_one_bucket_per_key_and_host_shared_by_sync_and_async_clients() -> None:
    url = "http://127.0.0.1:9/"
    sync = VeridoxClient(api_key="vdx_one", base_url=url)
    asyn = AsyncVeridoxClient(api_key="vdx_one", base_url=url.rstrip("/"))
    other_key = VeridoxClient(api_key="vdx_two", base_url=url)
    other_host = VeridoxClient(api_key="vdx_one", base_url="http://127.0.0.2:9")
    try:
        assert sync.rate_limiter is asyn.rate_limiter is shared_rate_limiter("vdx_one", url)
        assert other_key.rate_limiter is not sync.rate_limiter
        assert other_host.rate_limiter is not sync.rate_limiter  # its pace: test_documented_defaults.py
    finally:
        for client in (sync, other_key, other_host):
            client.close()
        asyncio.run(asyn.close())


class ReservationLog(TokenBucket):
    """A bucket on a clock that stands still, logging the wait it hands each reservation: callers that
    share it take consecutive slots of one queue, whatever the real timing of threads and tasks."""

    def __init__(self, per_minute: float) -> None:
        super().__init__(1, per_minute / 60, clock=FakeClock())
        self.waits: list[float] = []

    def reserve(self, tokens: float = 1.0) -> float:
        wait = super().reserve(tokens)
        self.waits.append(wait)
        return wait


def test_threads_and_tasks_share_one_pace(emu: RunningEmulator) -> None:
    """Two threads with sync clients and two tasks of an async client, one bucket: their four requests
    take four consecutive slots, 0.1 s apart, and all succeed."""
    bucket = ReservationLog(600)
    ids = ready(emu)
    options: dict[str, Any] = {"api_key": emu.api_key, "base_url": emu.base_url, "rate_limiter": bucket}
    failures: list[BaseException] = []

    def sync_caller() -> None:
        try:
            with VeridoxClient(**options) as client:
                assert len(client.links(ids[:2])) == 2
        except BaseException as exc:
            failures.append(exc)

    async def async_callers() -> None:
        async with AsyncVeridoxClient(**options) as client:
            results = await asyncio.gather(client.links(ids[2:]), client.links(ids[:1]))
            assert [len(r) for r in results] == [3, 1]

    threads = [threading.Thread(target=sync_caller) for _ in range(2)]
    for thread in threads:
        thread.start()
    asyncio.run(async_callers())
    for thread in threads:
        thread.join(timeout=30)
    assert failures == [] and not any(thread.is_alive() for thread in threads)
    assert len(posts(emu)) == 4
    assert bucket.waits == pytest.approx([0.0, 0.1, 0.2, 0.3])


# --- downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_download_saves_identical_files_under_their_labels(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    ids = ready(emu)
    seen: dict[str, int] = {}
    async with opened(kind, emu) as client:
        results: list[FileResult] = await run(
            client.download(ids, tmp_path, progress=lambda key, done, total: seen.__setitem__(key, done))
        )
    assert [r.id for r in results] == ids
    for result in results:
        assert_saved_identical(emu, result)
        assert result.path == tmp_path / state(emu).get(result.id).label
    assert seen == {i: FILE_SIZE for i in ids}
    assert files_in(tmp_path) == sorted(state(emu).get(i).label for i in ids)
    assert len(posts(emu)) == 1
    assert_no_credential_reached_storage(emu)


@pytest.mark.parametrize("kind", KINDS)
async def test_download_reports_each_refused_id_and_saves_the_rest(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    seeded = state(emu).seeded
    ok = ready(emu)[:2]
    asked = [ok[0], seeded["not_owned"][0], ok[0].upper(), UNKNOWN, seeded["waiting_for_upload"][0], ok[1]]
    async with opened(kind, emu) as client:
        results: list[FileResult] = await run(client.download(asked, tmp_path))
    assert [r.id for r in results] == [
        ok[0],
        seeded["not_owned"][0],
        UNKNOWN,
        seeded["waiting_for_upload"][0],
        ok[1],
    ]
    assert_saved_identical(emu, results[0])
    assert_saved_identical(emu, results[4])
    assert [type(r.error) for r in results[1:4]] == [
        VeridoxFileAccessError,
        VeridoxFileNotFoundError,
        VeridoxFileNotUploadedError,
    ]
    assert len(files_in(tmp_path)) == 2


@pytest.mark.parametrize("kind", KINDS)
async def test_hostile_labels_never_escape_the_destination(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    ids = state(emu).add_files(len(HOSTILE_NAMES))
    emu.faults.hostile_names = True
    dest = tmp_path / "dest"
    async with opened(kind, emu) as client:
        links: list[Link] = await run(client.links(ids))
        results: list[FileResult] = await run(client.download(ids, dest))
    for link in links:
        assert link.name and "/" not in link.name and "\\" not in link.name and link.name not in (".", "..")
    assert all(r.ok for r in results), [r.error for r in results]
    for result in results:
        assert result.path is not None and result.path.parent == dest
        assert result.path.read_bytes() == state(emu).content(result.id)
    names = files_in(dest)
    assert len(names) == len(ids)  # "same.pdf" twice: both kept under distinct names
    assert "same.pdf" in names and "same (1).pdf" in names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dest"]  # nothing written beside it


@pytest.mark.parametrize("kind", KINDS)
async def test_existing_files_are_kept_unless_overwrite(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    file_id = ready(emu)[0]
    target = tmp_path / state(emu).get(file_id).label
    target.write_bytes(b"mine")
    async with opened(kind, emu) as client:
        (kept,) = await run(client.download([file_id], tmp_path))
        assert isinstance(kept.error, DestinationExistsError)
        assert target.read_bytes() == b"mine"
        (replaced,) = await run(client.download([file_id], tmp_path, overwrite=True))
    assert_saved_identical(emu, replaced)


@pytest.mark.parametrize("kind", KINDS)
async def test_an_expired_link_is_signed_again_and_the_download_resumes(
    kind: str, clock: FakeClock, clocked: RunningEmulator, tmp_path: Path
) -> None:
    (file_id,) = state(clocked).add_files(1)
    clocked.faults.drop_next(1, after_bytes=FILE_SIZE // 3)

    def expire_on_first_bytes(key: str, done: int, total: int | None) -> None:
        if 0 < done < FILE_SIZE and not expired:
            expired.append(True)
            clock.advance(120)  # past the 60 s lifetime: the resume meets an expired link

    expired: list[bool] = []
    async with opened(kind, clocked) as client:
        (result,) = await run(client.download([file_id], tmp_path, progress=expire_on_first_bytes))
    assert_saved_identical(clocked, result)
    assert len(posts(clocked)) == 2  # the first signing and the refresh
    statuses = [r.headers.get("range") for r in clocked.storage.requests]
    assert statuses[0] is None and statuses[-1] is not None and statuses[-1].startswith("bytes=")
    assert_no_credential_reached_storage(clocked)


@pytest.mark.parametrize("kind", KINDS)
async def test_a_refresh_refused_by_veridox_fails_that_file_only(
    kind: str, clock: FakeClock, clocked: RunningEmulator, tmp_path: Path
) -> None:
    doomed, fine = state(clocked).add_files(2)
    clocked.faults.drop_next(1, after_bytes=FILE_SIZE // 3)

    def delete_while_downloading(key: str, done: int, total: int | None) -> None:
        if key == doomed and not gone:
            gone.append(True)
            state(clocked).remove([doomed])
            clock.advance(120)

    gone: list[bool] = []
    async with opened(kind, clocked) as client:
        results: list[FileResult] = await run(
            client.download([doomed, fine], tmp_path, progress=delete_while_downloading, concurrency=1)
        )
    assert isinstance(results[0].error, VeridoxFileNotFoundError)
    assert results[0].error.reason == ERROR_NOT_FOUND
    assert results[1].ok
    assert files_in(tmp_path) == [state(clocked).get(fine).label]  # no part file left behind


# --- request-level errors ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_a_bad_key_is_an_authentication_error_with_veridox_s_code(
    kind: str, emu: RunningEmulator
) -> None:
    async with opened(kind, emu, api_key="vdx_wrong") as client:
        with pytest.raises(AuthenticationError) as caught:
            await run(client.links(ready(emu)))
        with pytest.raises(AuthenticationError):
            await run(client.list_files())
    assert caught.value.status_code == 401
    assert caught.value.code == "request.authentication.api-key.invalid"
    assert caught.value.message == "The provided API key is invalid."
    expired_key = state(emu).new_api_key(MAIN_ORG)
    state(emu).expire_api_key(expired_key)
    async with opened(kind, emu, api_key=expired_key) as client:
        with pytest.raises(AuthenticationError) as caught:
            await run(client.get_asset_url(ready(emu)[0], "thumbnail"))
    assert caught.value.code == "request.authentication.api-key.expired"


@pytest.mark.parametrize("kind", KINDS)
async def test_a_refused_key_fails_every_file_after_one_request(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    ids = state(emu).add_files(30)  # two batches
    async with opened(kind, emu, api_key="vdx_wrong") as client:
        results: list[FileResult] = await run(client.download(ids, tmp_path))
    assert [r.id for r in results] == ids
    assert all(isinstance(r.error, AuthenticationError) for r in results)
    assert len(posts(emu)) == 1  # the second batch is not sent with a key already refused
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("kind", KINDS)
async def test_server_errors_are_retried_then_raised_or_reported_per_batch(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    emu.faults.fail_next(1, 503)
    async with opened(kind, emu) as client:
        assert len(await run(client.links(ready(emu)[:1]))) == 1  # retried
        emu.faults.fail_next(FAST.max_attempts, 500)
        with pytest.raises(ServerError) as caught:
            await run(client.links(ready(emu)[:1]))
        assert caught.value.code == "server.internal-error"
        ids = state(emu).add_files(30)
        emu.faults.fail_next(FAST.max_attempts, 500)  # the first batch of 25 fails, the second works
        results: list[FileResult] = await run(client.download(ids, tmp_path))
    assert all(isinstance(r.error, ServerError) for r in results[:25])
    assert all(r.ok for r in results[25:])


# --- typed operations ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_download_files_returns_veridox_s_answer(kind: str, emu: RunningEmulator) -> None:
    ok, foreign = ready(emu)[0], state(emu).seeded["not_owned"][0]
    async with opened(kind, emu) as client:
        answer = await run(client.download_files([ok, foreign]))
    assert isinstance(answer, DownloadFilesResponse)
    assert [str(f.file_id) for f in answer.files] == [ok]
    assert isinstance(answer.errors, list)
    assert [(str(e.file_id), e.error) for e in answer.errors] == [(foreign, ERROR_NOT_OWNED)]


@pytest.mark.parametrize("kind", KINDS)
async def test_list_files_and_iter_files(kind: str, emu: RunningEmulator) -> None:
    async with opened(kind, emu) as client:
        page = await run(client.list_files(limit=2, sort_by=FileSortBy.DATE_CREATED, sort_order="asc"))
        everything = await run(client.iter_files(page_size=3))
        files: list[FileSummary] = (
            [f async for f in everything] if hasattr(everything, "__aiter__") else list(everything)
        )
    assert isinstance(page, FileList)
    assert [str(f.file_id) for f in page.files] == ready(emu)[:2]  # oldest first
    assert page.total == len(state(emu).owned_files(MAIN_ORG))
    assert len(files) == page.total
    assert len({f.file_id for f in files}) == page.total
    assert {str(f.file_id) for f in files} >= set(ready(emu))


@pytest.mark.parametrize("kind", KINDS)
async def test_get_asset_url(kind: str, emu: RunningEmulator) -> None:
    file_id, waiting = ready(emu)[0], state(emu).seeded["waiting_for_upload"][0]
    async with opened(kind, emu) as client:
        asset = await run(client.get_asset_url(file_id, AssetType.FILE_DOWNLOAD))
        with pytest.raises(NotFoundError) as caught:
            await run(client.get_asset_url(waiting, "pdf_report"))
        with pytest.raises(NotFoundError):
            await run(client.get_asset_url(UUID_V4, "thumbnail"))  # the asset endpoint takes any UUID
    assert isinstance(asset, AssetUrl)
    assert httpx.get(asset.url, timeout=10).content == state(emu).content(file_id)
    assert caught.value.code == "request.cases.case-file.asset-not-found"


# --- the README's Veridox examples, taken from README.md: an id Veridox refuses -------------------


def test_readme_examples(
    monkeypatch: pytest.MonkeyPatch, emu: RunningEmulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The success path of every README block runs in tests/docs; here, the Veridox ones given an id
    Veridox refuses besides good ones."""
    monkeypatch.setenv("VERIDOX_API_KEY", str(emu.api_key))
    monkeypatch.setenv("VERIDOX_BASE_URL", emu.base_url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(veridox_rules, "_limiters", {})  # this key's shared bucket starts full
    ids = ready(emu)[:2]
    readme_blocks.run(readme_blocks.find("Veridox", 0), {"file_ids": [*ids, UNKNOWN]})
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        f"saved out/{state(emu).get(ids[0]).label}",
        f"saved out/{state(emu).get(ids[1]).label}",
        f"{UNKNOWN} refused by Veridox: {ERROR_NOT_FOUND}",
    ]
    readme_blocks.run(readme_blocks.find("Veridox", 1), {"file_ids": [ids[0], UNKNOWN]})
    url, refused = capsys.readouterr().out.splitlines()
    assert httpx.get(url, timeout=10).content == state(emu).content(ids[0])
    assert refused == f"{UNKNOWN} no download URL: {ERROR_NOT_FOUND}"
