"""What a response's headers say beyond its status: how long the server asks us to wait, and whether
its body is a small JSON worth reading for a status of its own (no I/O, no other docfetch module).

* ``Retry-After``: seconds or an HTTP date (RFC 9110), on any status;
* ``retry-after-ms``: milliseconds (what Stainless/OpenAI-style SDKs read), on any status;
* ``ratelimit-reset`` (IETF draft) and ``x-ratelimit-reset`` (Telnyx documents this one, "seconds
  until reset"), only on a 429: seconds until the window resets, or, when the number is too large to
  be a delay (above ten years), the epoch time of the reset. On other statuses these headers describe
  the window, not a retry.

The explicit ``Retry-After`` family wins over reset headers. Capping is the caller's business
(:class:`~docfetch.core.retry.RetryPolicy.retry_after_cap`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from collections.abc import Mapping
from typing import Protocol

__all__ = ["SMALL_JSON", "is_small_json", "parse_retry_after", "retry_delay"]

SMALL_JSON = 64 * 1024
"""A 2xx JSON body up to this size may be read to find the status its envelope states."""

_EPOCH_THRESHOLD = 10 * 365 * 24 * 3600.0  # a "delay" longer than this is an epoch timestamp


def parse_retry_after(value: str | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        from email.utils import parsedate_to_datetime  # 9 ms to import; HTTP dates are rare here

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - now()
    return _finite(seconds)


def _finite(seconds: float) -> float | None:
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return _finite(float(value.strip()))
    except ValueError:
        return None


def _reset(value: str | None, now: Callable[[], float]) -> float | None:
    seconds = _number(value)
    if seconds is not None and seconds > _EPOCH_THRESHOLD:
        return max(0.0, seconds - now())
    return seconds


def retry_delay(
    status: int, headers: Mapping[str, str], *, now: Callable[[], float] = time.time
) -> float | None:
    """Seconds the response asks us to wait before trying again, or None when it does not say."""
    millis = _number(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0
    found = parse_retry_after(headers.get("retry-after"), now=now)
    if found is not None or status != 429:
        return found
    for name in ("ratelimit-reset", "x-ratelimit-reset"):
        found = _reset(headers.get(name), now)
        if found is not None:
            return found
    return None


class _Response(Protocol):
    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...


def is_small_json(response: _Response) -> bool:
    """A 2xx JSON response small enough to read whole (an envelope, never a document being streamed)."""
    if not 200 <= response.status_code < 300:
        return False
    if "json" not in response.headers.get("content-type", "").lower():
        return False
    try:
        return int(response.headers.get("content-length", SMALL_JSON + 1)) <= SMALL_JSON
    except ValueError:
        return False
