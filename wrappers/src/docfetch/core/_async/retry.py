"""The retry runner (the rules are in :mod:`docfetch.core.retry`)."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from collections.abc import Callable
from typing import TYPE_CHECKING

from docfetch.core._backends.aio import sleep as backend_sleep
from docfetch.core.lazy import lazy_module
from docfetch.core.retry import R
from docfetch.core.retry import RetryPolicy
from docfetch.core.retry import decide_status
from docfetch.core.retry import map_transport_error
from docfetch.core.retry import should_retry_exception

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_module("httpx")

__all__ = ["async_call_with_retries"]


async def async_call_with_retries(
    send: Callable[[], Awaitable[R]],
    *,
    idempotent: bool,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], Awaitable[None]] = backend_sleep,
    rng: Callable[[], float] | None = None,
    now: Callable[[], float] = time.time,
    on_retry: Callable[[int, float, BaseException | R], None] | None = None,
    give_up: Callable[[R], bool] | None = None,
) -> R:
    """Call ``send`` until it returns a non-retryable response or the attempts are spent.

    Returns the last response whatever its status. Raises a :class:`~docfetch.errors.TransportError`
    subclass (chained to the httpx exception) when the last attempt failed in transport. ``on_retry``
    is told (attempt, delay, what failed) before each wait. ``give_up(response)`` True: a retryable
    status that will not change by waiting (e.g. a quota used up for good): returned at once.
    """
    policy = policy or RetryPolicy()
    if rng is None:  # imported here: a client's import stays light
        import random

        rng = random.random
    attempt = 1
    while True:
        try:
            response = await send()
        except httpx.TransportError as exc:
            if not should_retry_exception(exc, attempt, policy, idempotent):
                raise map_transport_error(exc) from exc
            delay = policy.backoff(attempt, rng)
            failure: BaseException | R = exc
        else:
            decision = decide_status(response, attempt, policy, idempotent, rng, now)
            if not decision.retry or (give_up is not None and give_up(response)):
                return response
            delay, failure = decision.delay, response
            if isinstance(response, httpx.Response):
                await response.aclose()  # release the connection of the discarded response
        if on_retry is not None:
            on_retry(attempt, delay, failure)
        from docfetch.core import logs  # loaded by the first retry, never by a client's construction

        logs.retrying(failure, delay, attempt, policy.max_attempts)
        await sleep(delay)
        attempt += 1
