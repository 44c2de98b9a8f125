"""Throttling and outages: 429/503 bursts with Retry-After are waited out (at least Retry-After, a bounded
number of attempts, on the API and on the storage origin); a permanent outage or a hanging host fails
within the configured time with a clear, typed error and writes nothing.

The number of requests a faulted download may make is measured, not guessed: a control download of a
fresh item on the same emulator gives the fault-free count, and the faulted one must make exactly that
many plus one per injected failure.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from docfetch.emulators import RunningEmulator
from docfetch.errors import APIStatusError
from docfetch.errors import DocfetchError
from docfetch.errors import RateLimitError
from docfetch.errors import RequestTimeoutError
from rel_kits import FAST_RETRY
from rel_kits import Kit
from rel_kits import assert_clean
from rel_kits import check_saved
from rel_kits import download
from rel_ledger import Ledger

pytestmark = pytest.mark.reliability("throttling")

BURST = 2
RETRY_AFTER = 0.25  # seconds: small, so waiting is visible but cheap


def status_in_chain(error: BaseException | None, status: int) -> APIStatusError | None:
    """The APIStatusError with ``status`` that caused ``error`` (it may be wrapped, e.g. AuthFlowError)."""
    while error is not None:
        if isinstance(error, APIStatusError) and error.status_code == status:
            return error
        error = error.__cause__
    return None


def control_counts(kit: Kit, emu: RunningEmulator, tmp_path: Path, **options: Any) -> tuple[int, int]:
    """(API requests, storage requests) of one fault-free download of a fresh item."""
    [item] = kit.fresh(emu, 1)
    api, storage = len(emu.api_requests), len(emu.storage.requests)
    [result] = download(kit, emu, [item], tmp_path / "control", **options)
    assert result.ok, result.error
    return len(emu.api_requests) - api, len(emu.storage.requests) - storage


@pytest.mark.parametrize("status", [429, 503])
def test_api_burst_with_retry_after_is_waited_out(
    kit: Kit, emu: RunningEmulator, dest: Path, tmp_path: Path, ledger: Ledger, status: int
) -> None:
    api_control, _ = control_counts(kit, emu, tmp_path)
    [item] = kit.fresh(emu, 1)
    emu.faults.fail_next(BURST, status, retry_after=RETRY_AFTER)
    before = len(emu.api_requests)
    started = time.monotonic()

    [result] = download(kit, emu, [item], dest)

    elapsed = time.monotonic() - started
    assert result.error is None, result.error
    check_saved(kit, emu, result, dest)
    assert elapsed >= BURST * RETRY_AFTER, f"waited {elapsed:.3f} s, less than Retry-After"
    assert len(emu.api_requests) - before == api_control + BURST, "one extra attempt per refusal"
    assert emu.faults.pending()["api"] == 0
    ledger.faults("throttling", BURST)
    ledger.run("throttling", f"api {status} burst: completed after Retry-After")


@pytest.mark.parametrize("status", [429, 503])
def test_storage_burst_with_retry_after_is_waited_out(
    kit: Kit, emu: RunningEmulator, dest: Path, tmp_path: Path, ledger: Ledger, status: int
) -> None:
    _, storage_control = control_counts(kit, emu, tmp_path, **kit.via_storage)
    [item] = kit.fresh(emu, 1)
    emu.faults.fail_next(BURST, status, retry_after=RETRY_AFTER, where="storage")
    before = len(emu.storage.requests)
    started = time.monotonic()

    [result] = download(kit, emu, [item], dest, **kit.via_storage)

    elapsed = time.monotonic() - started
    assert result.error is None, result.error
    check_saved(kit, emu, result, dest)
    assert elapsed >= BURST * RETRY_AFTER, f"waited {elapsed:.3f} s, less than Retry-After"
    assert len(emu.storage.requests) - before == storage_control + BURST
    ledger.faults("throttling", BURST)
    ledger.run("throttling", f"storage {status} burst: completed after Retry-After")


def test_a_burst_longer_than_the_policy_stops_at_max_attempts(
    kit: Kit, emu: RunningEmulator, ledger: Ledger
) -> None:
    [item] = kit.fresh(emu, 1)
    emu.faults.fail_next(50, 503, retry_after=0.02)
    before = len(emu.api_requests)

    with (
        kit.client(emu, retry=FAST_RETRY.with_(max_attempts=3)) as client,
        pytest.raises(DocfetchError) as caught,
    ):
        client.links([item])

    assert len(emu.api_requests) - before == 3, "exactly max_attempts requests, then a typed error"
    assert status_in_chain(caught.value, 503) is not None, repr(caught.value)
    assert "503" in str(caught.value)
    emu.faults.reset()
    ledger.faults("throttling", 3)
    ledger.run("throttling", f"503 beyond the policy: {type(caught.value).__name__} after 3 attempts")


def test_retry_after_beyond_the_cap_fails_at_once_carrying_it(
    kit: Kit, emu: RunningEmulator, ledger: Ledger
) -> None:
    [item] = kit.fresh(emu, 1)
    emu.faults.fail_next(1, 429, retry_after=600)
    started = time.monotonic()
    before = len(emu.api_requests)

    with kit.client(emu) as client, pytest.raises(DocfetchError) as caught:
        client.links([item])

    assert len(emu.api_requests) - before == 1, "given up after the refusal, not retried"
    assert time.monotonic() - started < 60, "a 10-minute Retry-After is reported, not slept through"
    limited = status_in_chain(caught.value, 429)
    assert isinstance(limited, RateLimitError) and limited.retry_after == 600
    ledger.faults("throttling", 1)
    ledger.run("throttling", f"Retry-After over the cap: {type(caught.value).__name__} at once")


def test_a_permanent_outage_fails_within_the_configured_time(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    [item] = kit.fresh(emu, 1)
    emu.faults.fail_next(1000, 503)  # no Retry-After: exponential backoff 0.1 s, 0.2 s
    policy = FAST_RETRY.with_(max_attempts=3, initial_backoff=0.1, max_backoff=1.0)
    started = time.monotonic()

    try:
        errors = [r.error for r in download(kit, emu, [item], dest, client_options={"retry": policy})]
    except DocfetchError as raised:
        errors = [raised]

    elapsed = time.monotonic() - started
    injected = 1000 - emu.faults.pending()["api"]
    emu.faults.reset()
    assert elapsed >= 0.3, f"took {elapsed:.2f} s: less than the backoff"
    assert errors and all(status_in_chain(e, 503) is not None for e in errors), errors
    assert all("503" in str(e) for e in errors)
    assert injected % 3 == 0 and injected <= 6, "each call gives up after max_attempts"
    assert_clean(dest, [])
    ledger.faults("throttling", injected)
    ledger.run("throttling", "permanent 503: typed error within the retry budget")


def test_a_hanging_host_times_out_within_the_configured_time(
    kit: Kit, emu: RunningEmulator, ledger: Ledger
) -> None:
    [item] = kit.fresh(emu, 1)
    emu.faults.delay = 0.6  # every request waits before any answer, longer than the timeout
    try:
        with (
            kit.client(emu, timeout=0.15, retry=FAST_RETRY.with_(max_attempts=2)) as client,
            pytest.raises(RequestTimeoutError) as caught,
        ):
            client.links([item])
    finally:
        emu.faults.delay = 0.0
    # Answers come after 0.6 s: only a timeout shorter than that (the configured 0.15 s) gives this error.
    assert "timed out" in str(caught.value)
    ledger.faults("throttling", 2)
    ledger.run("throttling", "hanging host: RequestTimeoutError within the timeout")
