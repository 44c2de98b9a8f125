"""Polling rules, separate from per-request retries (the loop: ``core/_async/polling.py``).

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

from collections.abc import Callable
from typing import TypeVar

from docfetch.errors import JobFailedError
from docfetch.errors import PollingTimeoutError

__all__ = ["Schedule", "StateReporter", "check_state"]

T = TypeVar("T")


class Schedule:
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


def check_state(
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


class StateReporter:
    """Tells ``on_status(job_id, state)`` each time a job's state changes (not on every poll)."""

    def __init__(self, job_id: str, on_status: Callable[[str, str], None] | None) -> None:
        self.job_id = job_id
        self.on_status = on_status
        self.last: str | None = None

    def __call__(self, state: str) -> None:
        if state != self.last:
            self.last = state
            from docfetch.core import logs  # loaded by the first state, not by a provider's import

            logs.job_state(self.job_id, state)
            if self.on_status is not None:
                self.on_status(self.job_id, state)
