"""The defaults README.md promises, each pinned by what docfetch does: on a fake clock, or as seen on the
requests it sends. None is checked against the constant that defines it, so changing any of them (or
the code that applies it) fails a test here:

| README promise | pinned by |
|---|---|
| Veridox: 20 requests a minute, one bucket per key for the whole process | test_veridox_signs_20_requests_a_minute_through_the_shared_bucket |
| Veridox: 25 ids per request | test_veridox_signs_25_ids_per_request |
| retries: 3 attempts, backoff from 0.5 s, x2, cap 8 s | test_backoff_starts_at_half_a_second_doubles_and_stops_at_8_s, test_clients_retry_3_times_with_the_default_backoff |
| retries on connection errors, 408, 429 and 5xx (not other 4xx) | test_retried_statuses, test_connection_errors_are_retried, test_clients_retry_a_408 |
| Retry-After honoured up to 60 s | test_retry_after_is_honoured_up_to_60_s, test_clients_wait_out_a_60_s_retry_after_and_not_61 |
| timeouts: 10 s to connect, 30 s per read (clients and generated clients) | test_clients_send_every_request_with_10_s_connect_and_30_s_read, test_generated_clients_default_to_10_s_connect_and_30_s_read |
| CLI --timeout S: connect min(10, S), read min(30, S) | test_cli_timeout_caps_the_network_timeouts |
| a transfer that keeps receiving data is never cut | test_a_transfer_longer_than_the_cli_timeout_is_not_cut |
| part file `.<name>.<random>.docfetch-part` beside the destination | test_the_part_file_is_hidden_beside_the_destination |
| `download(..., concurrency=4)` | test_four_files_are_transferred_at_once_by_default |
| Index Health links valid one hour | test_indexhealth_links_are_valid_one_hour |
| jobs are waited for 600 s by default, the interval growing x1.5 | test_jobs_are_waited_for_600_s_by_default |

(API2Convert's created + 24 h and Veridox's 60-minute links are pinned in their client tests.)
"""

from __future__ import annotations

import importlib
import itertools
import re
import signal
import threading
import time
import types
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from docfetch._registry import PROVIDERS as FACTS
from docfetch.cli import main
from docfetch.cli.providers import PROVIDERS
from docfetch.cli.providers import environment_for
from docfetch.core._backends import threads
from docfetch.core._sync.retry import call_with_retries
from docfetch.core.ratelimit import TokenBucket
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.errors import DocfetchError
from docfetch.errors import PollingTimeoutError
from docfetch.errors import RateLimitError
from docfetch.errors import ServerError
from docfetch.providers.veridox import rules as veridox_rules
from docfetch.testing import EmulatorFactory
from docfetch.testing import FakeClock
from docfetch.veridox import VeridoxClient
from fake_polling import fake_time_polling
from http_hooks import on_every_request

DEFAULT_TIMEOUT = {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}


def default_client(provider: str, emu: RunningEmulator) -> Any:
    """A sync client as a user makes one: credentials and base URL only, every other setting its default."""
    facts = FACTS[provider]
    client_class = getattr(importlib.import_module(facts.module), facts.client_class)
    return client_class(**emu.credentials, base_url=emu.base_url)


@pytest.fixture(autouse=True)
def fresh_veridox_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no process-wide Veridox bucket (an emulator's key may repeat across tests)."""
    monkeypatch.setattr(veridox_rules, "_limiters", {})


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """What the sync clients would sleep on the calling thread (retry backoff, Retry-After), recorded
    instead of slept: the thread backend's ``time.sleep`` is replaced."""
    recorded: list[float] = []
    fake_time = types.SimpleNamespace(sleep=recorded.append, monotonic=time.monotonic)
    monkeypatch.setattr(threads, "time", fake_time)
    return recorded


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, float]]]:
    """(URL, timeouts) of every request httpx sends from the test on, as its transports receive them."""
    seen: list[tuple[str, dict[str, float]]] = []
    on_every_request(
        monkeypatch, lambda request: seen.append((str(request.url), dict(request.extensions["timeout"])))
    )
    return seen


def within(timeouts: dict[str, float], expected: dict[str, float]) -> bool:
    """httpx's four timeouts as expected; the direct path (sync storage GETs) has connect and read only."""
    return timeouts.keys() >= {"connect", "read"} and timeouts.items() <= expected.items()


def run_cli(monkeypatch: pytest.MonkeyPatch, emu: RunningEmulator, *argv: str) -> int:
    """``docfetch PROVIDER ...`` in this process, with the emulator's environment."""
    for variable, value in environment_for(emu.info()).items():
        monkeypatch.setenv(variable, value)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        return main([emu.provider, *argv])
    finally:
        signal.signal(signal.SIGTERM, previous)


def signing_times(emu: RunningEmulator) -> list[float]:
    return [r.time for r in emu.api_requests if r.method == "POST" and r.path == "/files/download"]


# --- Veridox: the shared rate limit and the batch size ------------------------------------------------


def test_veridox_signs_20_requests_a_minute_through_the_shared_bucket(
    emulator: EmulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clients given no rate limiter take the process-wide bucket of their key; that bucket, made by the
    library itself, runs here on the emulator's fake clock: 21 signing requests, 3 s apart, so the 21st
    goes one minute after the first."""
    clock = FakeClock()

    class FakeTimeBucket(TokenBucket):
        def __init__(self, capacity: float, refill_per_second: float, **_: object) -> None:
            super().__init__(capacity, refill_per_second, clock=clock, sleep=clock.advance)

    monkeypatch.setattr(veridox_rules, "TokenBucket", FakeTimeBucket)
    emu = emulator("veridox", clock=clock, rate_limit_per_minute=0, file_size=512)
    ids: list[str] = emu.state.add_files(21)
    with VeridoxClient(api_key=emu.api_key, base_url=emu.base_url) as first:
        for file_id in ids[:10]:
            first.links([file_id])
    with VeridoxClient(api_key=emu.api_key, base_url=emu.base_url) as second:  # same key: same bucket
        for file_id in ids[10:]:
            second.links([file_id])
    times = signing_times(emu)
    assert [round(t - times[0], 6) for t in times] == [3.0 * n for n in range(21)]
    assert times[20] - times[0] == 60.0  # the 21st request one minute after the first


@pytest.mark.parametrize(("count", "requests"), [(25, 1), (26, 2), (50, 2), (51, 3)])
def test_veridox_signs_25_ids_per_request(
    emulator: EmulatorFactory, tmp_path: Path, count: int, requests: int
) -> None:
    emu = emulator("veridox", rate_limit_per_minute=0, file_size=256)
    ids: list[str] = emu.state.add_files(count)
    unhurried = TokenBucket(100, 100.0)  # the pace has its own test
    with VeridoxClient(api_key=emu.api_key, base_url=emu.base_url, rate_limiter=unhurried) as client:
        assert len(client.links(ids)) == count
        assert len(signing_times(emu)) == requests
        emu.api_requests.clear()
        assert all(result.ok for result in client.download(ids, tmp_path))
        assert len(signing_times(emu)) == requests


# --- retries: the policy every client uses -----------------------------------------------------------


class Replies:
    """A ``send`` for the retry runner: answers these statuses (or raises these errors) in turn."""

    def __init__(self, *answers: int | Exception, headers: dict[str, str] | None = None) -> None:
        self.answers = list(answers)
        self.headers = headers or {}
        self.sent = 0

    def __call__(self) -> httpx.Response:
        answer = self.answers[self.sent]
        self.sent += 1
        if isinstance(answer, Exception):
            raise answer
        request = httpx.Request("GET", "http://127.0.0.1:9/x")
        return httpx.Response(answer, headers=self.headers if answer != 200 else {}, request=request)


def retried(send: Replies, *, policy: RetryPolicy | None = None, now: float = 0.0) -> tuple[int, list[float]]:
    """The final status and the waits of the retry runner with ``policy`` (default: the default policy),
    its jitter drawn as 0 (no shortening)."""
    waits: list[float] = []
    response = call_with_retries(
        send, idempotent=True, policy=policy, sleep=waits.append, rng=lambda: 0.0, now=lambda: now
    )
    return response.status_code, waits


def test_backoff_starts_at_half_a_second_doubles_and_stops_at_8_s() -> None:
    send = Replies(*[503] * 8)
    status, waits = retried(send, policy=RetryPolicy().with_(max_attempts=8))
    assert (status, send.sent) == (503, 8)
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_three_attempts_by_default() -> None:
    send = Replies(503, 503, 503, 200)
    assert retried(send) == (503, [0.5, 1.0])
    assert send.sent == 3


def test_jitter_only_shortens_a_wait() -> None:
    waits: list[float] = []
    call_with_retries(Replies(503, 200), idempotent=True, sleep=waits.append, rng=lambda: 0.999)
    (wait,) = waits
    assert 0 < wait < 0.5


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retried_statuses(status: int) -> None:
    send = Replies(status, 200)
    assert retried(send)[0] == 200
    assert send.sent == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_other_statuses_are_not_retried(status: int) -> None:
    send = Replies(status, 200)
    assert retried(send) == (status, [])
    assert send.sent == 1


def test_connection_errors_are_retried() -> None:
    send = Replies(httpx.ConnectError("refused"), httpx.ReadError("reset"), 200)
    assert retried(send) == (200, [0.5, 1.0])


@pytest.mark.parametrize(
    ("retry_after", "now"),
    [("60", 0.0), ("Thu, 01 Jan 2026 00:01:00 GMT", datetime(2026, 1, 1, tzinfo=UTC).timestamp())],
    ids=["seconds", "http-date"],
)
def test_retry_after_is_honoured_up_to_60_s(retry_after: str, now: float) -> None:
    send = Replies(429, 200, headers={"Retry-After": retry_after})
    assert retried(send, now=now) == (200, [60.0])


@pytest.mark.parametrize(
    ("retry_after", "now"),
    [("61", 0.0), ("Thu, 01 Jan 2026 00:01:01 GMT", datetime(2026, 1, 1, tzinfo=UTC).timestamp())],
    ids=["seconds", "http-date"],
)
def test_a_retry_after_above_60_s_is_not_waited_for(retry_after: str, now: float) -> None:
    send = Replies(429, 200, headers={"Retry-After": retry_after})
    assert retried(send, now=now) == (429, [])
    assert send.sent == 1


# The clients use that policy unless told otherwise (their waits recorded, not slept).


def test_clients_retry_3_times_with_the_default_backoff(
    emulator: EmulatorFactory, sleeps: list[float]
) -> None:
    emu = emulator("telnyx")
    emu.faults.fail_next(2, 503)
    with default_client("telnyx", emu) as client:
        assert client.retrieve_document(emu.ids[0]).id
        assert len(sleeps) == 2
        assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0  # 0.5 s, then x2; jitter shortens
        emu.faults.fail_next(3, 503)
        before = len(emu.api_requests)
        with pytest.raises(ServerError):
            client.retrieve_document(emu.ids[0])
    assert len(emu.api_requests) - before == 3


def test_clients_retry_a_408(emulator: EmulatorFactory, sleeps: list[float]) -> None:
    emu = emulator("telnyx")
    emu.faults.fail_next(1, 408)
    with default_client("telnyx", emu) as client:
        assert client.retrieve_document(emu.ids[0]).id
    assert len(emu.api_requests) == 2 and len(sleeps) == 1


def test_clients_wait_out_a_60_s_retry_after_and_not_61(
    emulator: EmulatorFactory, sleeps: list[float]
) -> None:
    emu = emulator("telnyx")
    emu.faults.fail_next(1, 429, retry_after=60)
    with default_client("telnyx", emu) as client:
        assert client.links([emu.ids[0]])
        assert sleeps == [60.0]
        emu.faults.fail_next(1, 429, retry_after=61)
        before = len(emu.api_requests)
        with pytest.raises(RateLimitError) as caught:
            client.links([emu.ids[0]])
    assert caught.value.retry_after == 61
    assert len(emu.api_requests) - before == 1
    assert sleeps == [60.0]


def test_veridox_waits_out_a_60_s_retry_after_and_not_61(
    emulator: EmulatorFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paced requests: a 429 drains the key's bucket (here on the emulator's fake clock) for its hint."""
    clock = FakeClock()
    monkeypatch.setattr(veridox_rules, "_limiters", _Always(fake_time_bucket(clock)))
    emu = emulator("veridox", clock=clock, rate_limit_per_minute=0)
    emu.faults.fail_next(1, 429, retry_after=60)
    with default_client("veridox", emu) as client:
        assert client.links([emu.ids[0]])
        refused, retried_at = signing_times(emu)
        assert 60.0 <= retried_at - refused <= 63.0  # the hint, plus at most the pace's own 3 s
        emu.faults.fail_next(1, 429, retry_after=61)
        with pytest.raises(RateLimitError) as caught:
            client.links([emu.ids[0]])
    assert caught.value.retry_after == 61
    assert len(signing_times(emu)) == 3


def fake_time_bucket(clock: FakeClock) -> TokenBucket:
    return TokenBucket.per_minute(20, clock=clock, sleep=clock.advance)


class _Always(dict[str, TokenBucket]):
    """A bucket registry handing out one given bucket for every key."""

    def __init__(self, bucket: TokenBucket) -> None:
        super().__init__()
        self.bucket = bucket

    def get(self, key: str, default: object = None) -> TokenBucket:  # type: ignore[override]
        return self.bucket


# --- timeouts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", list(PROVIDERS))
def test_clients_send_every_request_with_10_s_connect_and_30_s_read(
    provider: str, emulator: EmulatorFactory, sent: list[tuple[str, dict[str, float]]], tmp_path: Path
) -> None:
    emu = emulator(provider)
    with default_client(provider, emu) as client:
        (result, *_) = client.download([emu.ids[0]], tmp_path)
    assert result.ok, result.error
    urls = [url for url, _ in sent]
    assert any(url.startswith(emu.base_url) for url in urls)  # API requests
    assert any(not url.startswith(emu.base_url) for url in urls) or provider == "indexhealth"  # storage
    assert all(within(timeouts, DEFAULT_TIMEOUT) for _, timeouts in sent), sent


def test_generated_clients_default_to_10_s_connect_and_30_s_read(
    emulator: EmulatorFactory, sent: list[tuple[str, dict[str, float]]]
) -> None:
    from uuid import UUID

    from docfetch_telnyx_client import AuthenticatedClient
    from docfetch_telnyx_client.api.documents import get_document_download_link

    emu = emulator("telnyx")
    client = AuthenticatedClient(base_url=emu.base_url, token=str(emu.api_key))
    response = get_document_download_link.sync_detailed(UUID(emu.ids[0]), client=client)
    assert response.status_code == 200
    assert [timeouts for _, timeouts in sent] == [DEFAULT_TIMEOUT]


@pytest.mark.parametrize(
    ("given", "connect", "read"),
    [(None, 10.0, 30.0), ("5", 5.0, 5.0), ("20", 10.0, 20.0), ("45", 10.0, 30.0)],
)
@pytest.mark.parametrize("provider", ["sarvam", "telnyx"])  # a job provider and a plain one
def test_cli_timeout_caps_the_network_timeouts(
    provider: str,
    given: str | None,
    connect: float,
    read: float,
    emulator: EmulatorFactory,
    sent: list[tuple[str, dict[str, float]]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    emu = emulator(provider)
    timeout = [] if given is None else ["--timeout", given]
    assert run_cli(monkeypatch, emu, "download", emu.ids[0], "--out", str(tmp_path), *timeout) == 0
    assert sent
    expected = {"connect": connect, "read": read, "write": read, "pool": read}
    assert all(within(timeouts, expected) for _, timeouts in sent), sent


@pytest.mark.parametrize("provider", ["sarvam", "api2convert", "telnyx"])
def test_a_transfer_longer_than_the_cli_timeout_is_not_cut(
    provider: str,
    emulator: EmulatorFactory,
    stored_files: Callable[..., list[bytes]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """`--timeout 2`: jobs must end within 2 s and every read within 2 s, yet a body that keeps arriving
    for longer (1 MiB/s for about 3 MiB) is saved by one request per file: never cut, resumed or restarted."""
    emu = emulator(provider, file_size=3 * 1024 * 1024, job_step=0.05)
    emu.faults.throttle = 1024 * 1024
    item = emu.ids[0]
    started = time.monotonic()
    code = run_cli(monkeypatch, emu, "download", item, "--out", str(tmp_path), "--timeout", "2")
    assert code == 0
    assert time.monotonic() - started > 2.5  # the transfer outlasted --timeout
    saved = sorted(path.read_bytes() for path in tmp_path.iterdir())  # whole files, no part file
    assert saved == sorted(stored_files(emu, item))
    assert storage_gets(emu) == len(saved)  # one request per file


# --- downloads ---------------------------------------------------------------------------------------


def storage_gets(emu: RunningEmulator) -> int:
    return sum(1 for request in emu.storage.requests if request.method == "GET")


def test_a_download_gives_up_after_5_attempts_that_bring_no_new_bytes(
    emulator: EmulatorFactory, sleeps: list[float], tmp_path: Path
) -> None:
    """Every answer is cut before its first body byte: the transfer stops after its fifth attempt."""
    emu = emulator("telnyx")
    emu.faults.drop_next(10, after_bytes=0)
    with default_client("telnyx", emu) as client:
        (result,) = client.download([emu.ids[0]], tmp_path)
    assert isinstance(result.error, DocfetchError), result
    assert storage_gets(emu) == 5
    assert list(tmp_path.iterdir()) == []


def test_attempts_that_bring_new_bytes_do_not_count_against_the_budget(
    emulator: EmulatorFactory, sleeps: list[float], tmp_path: Path
) -> None:
    """Eight answers in a row are cut, each after 1 KiB more: every attempt resumes further, so the file
    is saved on the ninth, beyond the five attempts a transfer without progress gets."""
    emu = emulator("telnyx", file_size=64 * 1024)
    emu.faults.drop_next(8, after_bytes=1024)
    with default_client("telnyx", emu) as client:
        (result,) = client.download([emu.ids[0]], tmp_path)
    assert result.ok, result.error
    assert storage_gets(emu) == 9
    assert result.path is not None and result.path.read_bytes() == emu.state.data(emu.ids[0])


def test_the_part_file_is_hidden_beside_the_destination(emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator("telnyx", file_size=3 * 1024 * 1024)
    dest = tmp_path / "out"
    seen: list[list[str]] = []

    def look(key: str, done: int, total: int | None) -> None:
        if not seen and total and 0 < done < total:
            seen.append(sorted(path.name for path in dest.iterdir()))

    with default_client("telnyx", emu) as client:
        (result,) = client.download([emu.ids[0]], dest, progress=look)
    assert result.ok and result.path is not None
    name = re.escape(result.path.name)
    assert len(seen) == 1 and len(seen[0]) == 1, seen
    assert re.fullmatch(rf"\.{name}\.[^./]+\.docfetch-part", seen[0][0]), seen
    assert sorted(path.name for path in dest.iterdir()) == [result.path.name]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]  # nothing anywhere else


def test_four_files_are_transferred_at_once_by_default(emulator: EmulatorFactory, tmp_path: Path) -> None:
    """Every transfer is held at its first bytes until released: four come to be held at the same time,
    and no fifth starts while they are (a fifth could only start once one of them has finished)."""
    emu = emulator("telnyx", file_size=256 * 1024)
    ids = [emu.state.add_document(bytes(256 * 1024), filename=f"doc-{n}.pdf").id for n in range(8)]
    held: set[str] = set()
    changed = threading.Condition()
    release = threading.Event()

    def hold(key: str, done: int, total: int | None) -> None:
        with changed:
            held.add(key)
            changed.notify_all()
        release.wait(60)

    with default_client("telnyx", emu) as client:
        results: list[Any] = []
        worker = threading.Thread(
            target=lambda: results.extend(client.download(ids, tmp_path, progress=hold))
        )
        worker.start()
        try:
            with changed:
                assert changed.wait_for(lambda: len(held) >= 4, timeout=30), held
                changed.wait(0.5)  # time for a fifth transfer to show up, were one allowed
                at_once = len(held)
        finally:
            release.set()
            worker.join(60)
    assert at_once == 4
    assert len(results) == 8 and all(result.ok for result in results)


# --- lifetimes and deadlines -------------------------------------------------------------------------


def test_indexhealth_links_are_valid_one_hour(emulator: EmulatorFactory) -> None:
    emu = emulator("indexhealth")
    before = datetime.now(UTC)
    with default_client("indexhealth", emu) as client:
        (link,) = client.links([emu.ids[0]])
    after = datetime.now(UTC)
    assert link.expires_at is not None
    assert before + timedelta(hours=1) <= link.expires_at <= after + timedelta(hours=1)


def stuck_job(provider: str, emu: RunningEmulator, tmp_path: Path) -> str:
    """A job that never ends: Sarvam's started on an emulator whose clock stands still, API2Convert's
    never processed."""
    if provider == "api2convert":  # started, and processing for as long as the clock stands still
        return str(emu.state.add_job(finished=False))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Page >> endobj\n")
    with default_client("sarvam", emu) as client:
        job = client.create_job(language="en-IN", output_format="md")
        client.upload_file(job.job_id, scan)
        client.start_job(job.job_id)
    return str(job.job_id)


POLL_CAPS = {"sarvam": 20.0, "api2convert": 10.0}  # the README's caps of the growing interval


@pytest.mark.parametrize("provider", ["sarvam", "api2convert"])
def test_jobs_are_waited_for_600_s_by_default(
    provider: str, emulator: EmulatorFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    emu = emulator(provider, clock=FakeClock())  # the emulator's own clock never moves
    job = stuck_job(provider, emu, tmp_path)
    waits = fake_time_polling(provider, monkeypatch)
    with default_client(provider, emu) as client:
        with pytest.raises(PollingTimeoutError) as caught:
            client.wait_for_job(job)
        assert caught.value.elapsed == pytest.approx(600.0)
        assert sum(waits) == pytest.approx(600.0)
        growth = [later / earlier for earlier, later in itertools.pairwise(waits[:4])]
        assert waits[0] == 1.0 and growth == pytest.approx([1.5, 1.5, 1.5])  # from 1 s, x1.5
        assert max(waits) == POLL_CAPS[provider] and waits.count(POLL_CAPS[provider]) > 10  # up to the cap
        waits.clear()
        (result,) = client.download([job], tmp_path / "out")
    assert isinstance(result.error, PollingTimeoutError)
    assert sum(waits) == pytest.approx(600.0)
    waits.clear()
    assert run_cli(monkeypatch, emu, "download", job, "--out", str(tmp_path / "out")) == 1  # --timeout 600
    assert sum(waits) == pytest.approx(600.0)
