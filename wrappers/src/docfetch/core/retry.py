"""HTTP policy: default timeouts, retry with exponential backoff + jitter, ``Retry-After``.

One runner, :func:`~docfetch.core._async.retry.async_call_with_retries` (and its generated sync twin
``call_with_retries``), wraps any callable
that sends one request and returns a response: a generated ``*_detailed`` function, ``client.send``
or ``client.get``. It returns the last response (the caller maps statuses to exceptions with
:func:`docfetch.errors.raise_for_status`) and converts httpx transport exceptions into
:class:`~docfetch.errors.TransportError` subclasses once the attempts are spent.

What is retried (decision):

* ``idempotent=True`` (GET, HEAD, PUT/DELETE by id, POSTs the provider documents as safe):
  every transport error (connect, read, write, timeouts, dropped connection) and every status in
  ``RetryPolicy.retry_statuses`` (408, 429, 500, 502, 503, 504 by default).
* ``idempotent=False`` (creating jobs, starting work): only when the server provably did not act:
  ``httpx.ConnectError`` / ``ConnectTimeout`` / ``PoolTimeout`` (nothing was sent), a 429 (the
  request was refused, RFC 6585) and a 503 that carries ``Retry-After`` (an explicit refusal).
  A read timeout or a 500 after a POST is never repeated: the job may exist.

Delay before attempt *n+1*: ``min(max_backoff, initial_backoff * multiplier**(n-1))`` reduced by
up to ``jitter`` (a fraction) at random. A ``Retry-After`` (seconds or HTTP date) replaces it;
one above ``retry_after_cap`` is not waited for: the response is returned at once so the caller
raises a :class:`~docfetch.errors.RateLimitError` carrying ``retry_after``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any
from typing import Protocol
from typing import TypeVar

import attrs

from docfetch.core.hints import parse_retry_after
from docfetch.core.hints import retry_delay
from docfetch.core.lazy import lazy_module
from docfetch.errors import ConnectError
from docfetch.errors import RequestTimeoutError
from docfetch.errors import TLSVerificationError
from docfetch.errors import TransportError

__all__ = [
    "DEFAULT_TIMEOUT",
    "DOWNLOAD_RETRY",
    "NO_RETRY",
    "Decision",
    "RetryPolicy",
    "decide_status",
    "map_transport_error",
    "never_sent",
    "parse_retry_after",
    "should_retry_exception",
    "tls_verification_failure",
]

if TYPE_CHECKING:
    import httpx

    DEFAULT_TIMEOUT: httpx.Timeout
    """Used by every docfetch client unless overridden: 10 s to connect, 30 s per read/write/pool wait."""
else:
    httpx = lazy_module("httpx")


def __getattr__(name: str) -> Any:
    # DEFAULT_TIMEOUT is an httpx.Timeout: built on first use so importing this module needs no httpx.
    if name == "DEFAULT_TIMEOUT":
        value = httpx.Timeout(30.0, connect=10.0)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _status_set(statuses: Iterable[int]) -> frozenset[int]:
    return frozenset(int(s) for s in statuses)


@attrs.frozen
class RetryPolicy:
    """How often and how patiently to repeat a request; immutable, share it freely.

    ``max_attempts`` counts the first try (1 disables retries). Override per client or per call
    with ``attrs.evolve(policy, max_attempts=5)`` or :meth:`with_`.
    """

    max_attempts: int = attrs.field(default=3, validator=attrs.validators.ge(1))
    initial_backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    multiplier: float = attrs.field(default=2.0, validator=attrs.validators.ge(1))
    max_backoff: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    jitter: float = attrs.field(default=0.25, validator=[attrs.validators.ge(0), attrs.validators.le(1)])
    retry_after_cap: float = attrs.field(default=60.0, validator=attrs.validators.ge(0))
    retry_statuses: frozenset[int] = attrs.field(
        default=frozenset({408, 429, 500, 502, 503, 504}), converter=_status_set
    )

    def with_(self, **changes: Any) -> RetryPolicy:
        """A copy with some fields changed."""
        return attrs.evolve(self, **changes)

    def backoff(self, attempt: int, rng: Callable[[], float] | None = None) -> float:
        """Delay after failed attempt number ``attempt`` (1-based), jitter applied (``rng``: a source of
        floats in [0, 1), ``random.random`` by default, imported at the first retry)."""
        if rng is None:
            import random

            rng = random.random
        base = min(self.max_backoff, self.initial_backoff * self.multiplier ** (attempt - 1))
        return base * (1.0 - self.jitter * rng())


NO_RETRY = RetryPolicy(max_attempts=1)
DOWNLOAD_RETRY = RetryPolicy(max_attempts=5, initial_backoff=0.25, max_backoff=4.0)
"""Downloads resume after any transport error, so they may retry more often than API calls."""


class _HasStatus(Protocol):
    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...


R = TypeVar("R", bound=_HasStatus)


def tls_verification_failure(exc: BaseException) -> TLSVerificationError | None:
    """A :class:`TLSVerificationError` when ``exc`` (an httpx ConnectError) comes from a certificate the
    client could not verify; None for any other failure."""
    import ssl  # loaded by httpx already

    cause: BaseException | None = exc
    for _ in range(8):  # httpx.ConnectError <- httpcore.ConnectError <- ssl.SSLCertVerificationError
        if cause is None:
            return None
        if isinstance(cause, ssl.SSLCertVerificationError):
            from docfetch.core.logs import origin_of
            from docfetch.core.logs import request_of

            request = request_of(exc)
            origin = origin_of(request.url) if request is not None else None
            return TLSVerificationError(cause.verify_message or cause.reason or str(cause), origin)
        cause = cause.__cause__ or cause.__context__
    return None


def map_transport_error(exc: httpx.TransportError) -> TransportError:
    """The docfetch exception for an httpx transport exception (chain it with ``from exc``)."""
    tls = tls_verification_failure(exc)
    if tls is not None:
        return tls
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeoutError(f"request timed out: {type(exc).__name__}: {exc}")
    if isinstance(exc, httpx.ConnectError):
        return ConnectError(f"could not connect: {exc}")
    return TransportError(f"{type(exc).__name__}: {exc}")


@attrs.frozen
class Decision:
    retry: bool
    delay: float = 0.0


def decide_status(
    response: _HasStatus,
    attempt: int,
    policy: RetryPolicy,
    idempotent: bool,
    rng: Callable[[], float],
    now: Callable[[], float],
) -> Decision:
    status = int(response.status_code)
    if attempt >= policy.max_attempts or status not in policy.retry_statuses:
        return Decision(False)
    retry_after = retry_delay(status, response.headers, now=now)
    if not idempotent and not (status == 429 or (status == 503 and retry_after is not None)):
        return Decision(False)
    if retry_after is None:
        return Decision(True, policy.backoff(attempt, rng))
    if retry_after > policy.retry_after_cap:
        return Decision(False)  # the caller raises RateLimitError(retry_after=...) instead of stalling
    return Decision(True, retry_after)


def should_retry_exception(
    exc: httpx.TransportError, attempt: int, policy: RetryPolicy, idempotent: bool
) -> bool:
    if attempt >= policy.max_attempts or tls_verification_failure(exc) is not None:
        return False
    return idempotent or never_sent(exc)


def never_sent(exc: BaseException) -> bool:
    """The request provably never reached the server (no connection, or none free in the pool)."""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
