"""The polling loop (the schedule and its rules are in :mod:`docfetch.core.polling`)."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from collections.abc import Callable
from typing import TypeVar

from docfetch.core._backends.aio import sleep as backend_sleep
from docfetch.core.polling import Schedule
from docfetch.core.polling import check_state

__all__ = ["async_poll_until"]

T = TypeVar("T")


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
    sleep: Callable[[float], Awaitable[None]] = backend_sleep,
) -> T:
    """Fetch until ``is_done``; return the terminal state (see :mod:`docfetch.core.polling`).

    Raises :class:`~docfetch.errors.JobFailedError` (``failure`` returned a message) or
    :class:`~docfetch.errors.PollingTimeoutError` (deadline passed, ``last_state`` set). Errors from
    ``fetch`` propagate unchanged.
    """
    schedule = Schedule(timeout, initial, multiplier, max_interval, clock)
    while True:
        state = await fetch()
        if on_state is not None:
            on_state(state)
        if check_state(state, is_done, failure, job_id):
            return state
        wait = schedule.next_wait(hint(state) if hint is not None else None)
        if wait is None:
            raise schedule.timeout_error(job_id, state)
        await sleep(wait)
