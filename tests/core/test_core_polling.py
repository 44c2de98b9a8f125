"""The polling engine with an injected clock: intervals, hints, deadlines, outcomes."""

from __future__ import annotations

import pytest
from docfetch import async_poll_until
from docfetch import poll_until
from docfetch.errors import JobFailedError
from docfetch.errors import PollingTimeoutError


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def states(*values: str):  # type: ignore[no-untyped-def]
    it = iter(values)
    return lambda: next(it)


def test_interval_grows_by_multiplier_up_to_cap() -> None:
    t = FakeTime()
    result = poll_until(
        states("a", "b", "c", "d", "e", "done"),
        is_done=lambda s: s == "done",
        timeout=1000,
        initial=1,
        multiplier=2,
        max_interval=5,
        clock=t.clock,
        sleep=t.sleep,
    )
    assert result == "done"
    assert t.sleeps == [1, 2, 4, 5, 5]


def test_deadline_is_not_overslept_and_timeout_carries_last_state() -> None:
    t = FakeTime()
    seen: list[str] = []
    with pytest.raises(PollingTimeoutError) as caught:
        poll_until(
            lambda: f"running@{t.now:g}",
            is_done=lambda s: False,
            timeout=10,
            initial=4,
            multiplier=1,
            clock=t.clock,
            sleep=t.sleep,
            job_id="j1",
            on_state=seen.append,
        )
    assert t.sleeps == [4, 4, 2]  # the last wait is cut to the deadline, then one final look
    assert seen[-1] == "running@10"
    assert caught.value.last_state == "running@10"
    assert isinstance(caught.value, TimeoutError)
    assert "j1" in str(caught.value)


def test_server_hint_replaces_interval() -> None:
    t = FakeTime()
    poll_until(
        states("a", "b", "done"),
        is_done=lambda s: s == "done",
        hint=lambda s: 7.0 if s == "a" else None,
        timeout=100,
        initial=1,
        multiplier=2,
        clock=t.clock,
        sleep=t.sleep,
    )
    assert t.sleeps == [7.0, 2]


def test_failure_raises_job_failed_with_provider_message() -> None:
    t = FakeTime()
    with pytest.raises(JobFailedError) as caught:
        poll_until(
            states("Pending", "Failed"),
            is_done=lambda s: s == "Completed",
            failure=lambda s: "max_page_limit_exceeded" if s == "Failed" else None,
            timeout=100,
            job_id="j9",
            clock=t.clock,
            sleep=t.sleep,
        )
    assert caught.value.message == "max_page_limit_exceeded"
    assert caught.value.state == "Failed" and caught.value.job_id == "j9"


def test_zero_timeout_fetches_once() -> None:
    t = FakeTime()
    with pytest.raises(PollingTimeoutError):
        poll_until(lambda: "x", is_done=lambda s: False, timeout=0, clock=t.clock, sleep=t.sleep)
    assert t.sleeps == []


@pytest.mark.anyio
async def test_async_twin() -> None:
    t = FakeTime()
    values = iter(["a", "b", "ok"])

    async def fetch() -> str:
        return next(values)

    result = await async_poll_until(
        fetch,
        is_done=lambda s: s == "ok",
        timeout=60,
        initial=1,
        multiplier=1.5,
        clock=t.clock,
        sleep=t.asleep,
    )
    assert result == "ok" and t.sleeps == [1, 1.5]
