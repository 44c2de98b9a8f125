"""One polling engine, sync and async twins, separate from per-request retries.

``fetch`` is called, then again after a growing interval (``initial`` x ``multiplier`` up to
``max_interval``; google-api-core's defaults 1 s, x1.5, 20 s) until ``is_done(state)``. A server
hint (``hint(state)`` -> seconds, e.g. a ``Retry-After`` on a 202 or a ``poll_after`` field)
replaces the computed interval for that wait. The wall-clock deadline (``timeout`` seconds after
the first call, on the injected ``clock``) is never overslept: the last wait is shortened so one
final fetch happens at the deadline, then :class:`PollingTimeoutError` carries the last state.

Outcomes are typed: the terminal state (type ``T``) is returned; ``failure(state)`` returning a
message (or ``""``) raises :class:`JobFailedError` with that message and the state.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from docfetch._lazy import asleep
from docfetch.errors import JobFailedError, PollingTimeoutError

__all__ = ["async_poll_until", "poll_until"]

T = TypeVar("T")


class _Schedule:
    """Interval arithmetic shared by both twins."""

    def __init__(
        self,
        timeout: float,
        initial: float,
        multiplier: float,
        max_interval: float,
        clock: Callable[[], float],
    ) -> None:
        if timeout < 0 or initial < 0 or multiplier < 1 or max_interval < 0:
            raise ValueError("timeout, initial and max_interval must be >= 0 and multiplier >= 1")
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + timeout
        self.interval = min(initial, max_interval)
        self.multiplier = multiplier
        self.max_interval = max_interval

    def next_wait(self, hinted: float | None) -> float | None:
        """Seconds to wait before the next fetch, or None when the deadline has passed."""
        remaining = self.deadline - self.clock()
        if remaining <= 0:
            return None
        wait = self.interval if hinted is None else max(0.0, hinted)
        self.interval = min(self.interval * self.multiplier, self.max_interval)
        return min(wait, remaining)

    def timeout_error(self, job_id: str | None, state: object) -> PollingTimeoutError:
        elapsed = self.clock() - self.started
        what = f"job {job_id}" if job_id else "polling"
        return PollingTimeoutError(
            f"{what} did not finish within {self.deadline - self.started:g} s (last state: {state!r})",
            last_state=state,
            elapsed=elapsed,
        )


def _check(
    state: T,
    is_done: Callable[[T], bool],
    failure: Callable[[T], str | None] | None,
    job_id: str | None,
) -> bool:
    if failure is not None:
        message = failure(state)
        if message is not None:
            raise JobFailedError(job_id, state, message or None)
    return is_done(state)


def poll_until(
    fetch: Callable[[], T],
    *,
    is_done: Callable[[T], bool],
    timeout: float,
    failure: Callable[[T], str | None] | None = None,
    hint: Callable[[T], float | None] | None = None,
    initial: float = 1.0,
    multiplier: float = 1.5,
    max_interval: float = 20.0,
    job_id: str | None = None,
    on_state: Callable[[T], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Fetch until ``is_done``; return the terminal state (see the module docstring).

    Raises :class:`JobFailedError` (``failure`` returned a message) or
    :class:`PollingTimeoutError` (deadline passed, ``last_state`` set). Errors from ``fetch``
    propagate unchanged: wrap ``fetch`` in :func:`docfetch.retry.call_with_retries` for transient ones.
    """
    schedule = _Schedule(timeout, initial, multiplier, max_interval, clock)
    while True:
        state = fetch()
        if on_state is not None:
            on_state(state)
        if _check(state, is_done, failure, job_id):
            return state
        wait = schedule.next_wait(hint(state) if hint is not None else None)
        if wait is None:
            raise schedule.timeout_error(job_id, state)
        sleep(wait)


async def async_poll_until(
    fetch: Callable[[], Awaitable[T]],
    *,
    is_done: Callable[[T], bool],
    timeout: float,  # noqa: ASYNC109 - a polling deadline, not a per-call timeout
    failure: Callable[[T], str | None] | None = None,
    hint: Callable[[T], float | None] | None = None,
    initial: float = 1.0,
    multiplier: float = 1.5,
    max_interval: float = 20.0,
    job_id: str | None = None,
    on_state: Callable[[T], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[None]] = asleep,
) -> T:
    """Async twin of :func:`poll_until`."""
    schedule = _Schedule(timeout, initial, multiplier, max_interval, clock)
    while True:
        state = await fetch()
        if on_state is not None:
            on_state(state)
        if _check(state, is_done, failure, job_id):
            return state
        wait = schedule.next_wait(hint(state) if hint is not None else None)
        if wait is None:
            raise schedule.timeout_error(job_id, state)
        await sleep(wait)
