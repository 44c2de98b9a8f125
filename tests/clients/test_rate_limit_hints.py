"""Rate-limit hints over real sockets, sync and async: Telnyx's `x-ratelimit-reset`, `retry-after-ms` and
the IETF `ratelimit-reset` (seconds or an epoch time) are waited for, up to the policy's cap (a longer
hint raises RateLimitError at once); Sarvam's 429 insufficient_quota_error is never retried."""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docfetch import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.sarvam import insufficient_quota_body
from docfetch.errors import RateLimitError
from docfetch.sarvam import AsyncSarvamClient
from docfetch.sarvam import SarvamClient
from docfetch.telnyx import AsyncTelnyxClient
from docfetch.telnyx import TelnyxClient

# No backoff of its own: any wait between two attempts is the server's hint.
NO_BACKOFF = RetryPolicy(
    max_attempts=3, initial_backoff=0.0, max_backoff=0.0, jitter=0.0, retry_after_cap=5.0
)


@pytest.fixture(scope="module")
def telnyx_emu() -> Iterator[RunningEmulator]:
    with run_emulator("telnyx", file_size=4096) as emu:
        yield emu


@pytest.fixture(scope="module")
def sarvam_emu() -> Iterator[RunningEmulator]:
    with run_emulator("sarvam", file_size=4096) as emu:
        yield emu


@pytest.fixture(autouse=True)
def _reset(telnyx_emu: RunningEmulator, sarvam_emu: RunningEmulator) -> Iterator[None]:
    yield
    telnyx_emu.faults.reset()
    sarvam_emu.faults.reset()


def call(flavour: str, emu: RunningEmulator, method: str, *args: Any, **kwargs: Any) -> Any:
    sync_class, async_class = (
        (TelnyxClient, AsyncTelnyxClient) if emu.provider == "telnyx" else (SarvamClient, AsyncSarvamClient)
    )
    options = {"api_key": emu.api_key, "base_url": emu.base_url, "retry": NO_BACKOFF}
    if flavour == "sync":
        with sync_class(**options) as client:
            return getattr(client, method)(*args, **kwargs)

    async def run() -> Any:
        async with async_class(**options) as client:
            return await getattr(client, method)(*args, **kwargs)

    return asyncio.run(run())


def gaps(emu: RunningEmulator, since: int, path: str) -> list[float]:
    times = [r.time for r in emu.api_requests[since:] if r.path == path]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


HINTS = [  # (header, the hint sent, the least wait it means)
    ("x-ratelimit-reset", 1.0, 1.0),  # Telnyx's documented header: seconds until the window resets
    ("retry-after-ms", 0.6, 0.6),
    ("ratelimit-reset", 1.0, 1.0),  # IETF draft: delta seconds
    ("ratelimit-reset", "epoch", 1.0),  # an epoch time: when the window resets
]


@pytest.mark.parametrize(("header", "hint", "least"), HINTS)
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_telnyx_hints_are_waited_for(
    flavour: str, telnyx_emu: RunningEmulator, header: str, hint: float | str, least: float
) -> None:
    seconds = math.ceil(time.time() + 1.2) if hint == "epoch" else hint
    telnyx_emu.faults.fail_next(1, 429, retry_after=seconds, retry_header=header)
    since = len(telnyx_emu.api_requests)
    document = call(flavour, telnyx_emu, "retrieve_document", telnyx_emu.ids[0])
    assert str(document.id) == telnyx_emu.ids[0]
    (gap,) = gaps(telnyx_emu, since, f"/v2/documents/{telnyx_emu.ids[0]}")
    assert least - 0.05 <= gap < least + 2.5


@pytest.mark.parametrize("header", ["x-ratelimit-reset", "retry-after-ms", "ratelimit-reset"])
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_telnyx_hints_above_the_cap_raise_at_once(
    flavour: str, telnyx_emu: RunningEmulator, header: str
) -> None:
    telnyx_emu.faults.fail_next(1, 429, retry_after=30, retry_header=header)
    since = len(telnyx_emu.api_requests)
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        call(flavour, telnyx_emu, "retrieve_document", telnyx_emu.ids[0])
    assert caught.value.retry_after == pytest.approx(30, abs=1)
    assert time.monotonic() - started < 5 and len(telnyx_emu.api_requests) - since == 1


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_telnyx_epoch_reset_far_away_is_capped_too(flavour: str, telnyx_emu: RunningEmulator) -> None:
    telnyx_emu.faults.fail_next(
        1, 429, retry_after=math.ceil(time.time() + 600), retry_header="ratelimit-reset"
    )
    with pytest.raises(RateLimitError) as caught:
        call(flavour, telnyx_emu, "retrieve_document", telnyx_emu.ids[0])
    assert caught.value.retry_after is not None and 590 < caught.value.retry_after <= 601


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_storage_hint_is_waited_for_during_a_download(
    flavour: str, telnyx_emu: RunningEmulator, tmp_path: Path
) -> None:
    telnyx_emu.faults.fail_next(1, 429, retry_after=0.7, where="storage", retry_header="retry-after-ms")
    since = len(telnyx_emu.storage.requests)
    (result,) = call(flavour, telnyx_emu, "download", telnyx_emu.ids[:1], tmp_path)
    assert result.ok, result.error
    times = [r.time for r in telnyx_emu.storage.requests[since:]]
    assert len(times) == 2 and times[1] - times[0] >= 0.65


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_sarvam_quota_used_up_is_never_retried(
    flavour: str, sarvam_emu: RunningEmulator, tmp_path: Path
) -> None:
    job_id = sarvam_emu.ids[0]
    status_path = f"/doc-digitization/job/v1/{job_id}/status"
    sarvam_emu.faults.fail_next(3, 429, retry_after=0.1, body=insufficient_quota_body())
    since = len(sarvam_emu.api_requests)
    with pytest.raises(RateLimitError) as caught:
        call(flavour, sarvam_emu, "get_job_status", job_id)
    assert caught.value.code == "insufficient_quota_error"
    assert [r.path for r in sarvam_emu.api_requests[since:]] == [status_path]  # one attempt only
    since = len(sarvam_emu.api_requests)
    (result,) = call(flavour, sarvam_emu, "download", [job_id], tmp_path)  # a result, still not retried
    assert isinstance(result.error, RateLimitError) and result.error.code == "insufficient_quota_error"
    assert len(sarvam_emu.api_requests) - since == 1
    sarvam_emu.faults.reset()
    sarvam_emu.faults.fail_next(1, 429, retry_after=0.1)  # an ordinary 429: waited out and retried
    since = len(sarvam_emu.api_requests)
    assert str(call(flavour, sarvam_emu, "get_job_status", job_id).job_state) == "Completed"
    assert [r.path for r in sarvam_emu.api_requests[since:]] == [status_path, status_path]
