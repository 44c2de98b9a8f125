"""Authentication as ``httpx.Auth`` objects, so every request of a client carries the credential.

* :class:`HeaderKeyAuth`: a static API key in the provider's header (``api-subscription-key``,
  ``x-api-key``, ``X-Api2convert-Api-Key``, ``Authorization: Bearer``...).
* :class:`ClientCredentialsAuth` / :class:`AsyncClientCredentialsAuth`: a token obtained from an
  exchange callable, cached, renewed ``refresh_skew`` seconds before it expires and once after a
  401/403 (the request is then repeated once with the new token). A lock makes many concurrent
  requests that need a token share one exchange. The exchange must use its own client (without
  this auth); any failure in it except a transport error becomes :class:`AuthFlowError`.

Credentials never appear in ``repr``.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator

import attrs
import httpx

from docfetch.errors import AuthFlowError, TransportError

__all__ = ["AsyncClientCredentialsAuth", "ClientCredentialsAuth", "HeaderKeyAuth", "Token"]


class HeaderKeyAuth(httpx.Auth):
    """Sets ``header_name: prefix + key`` on every request."""

    def __init__(self, header_name: str, key: str, *, prefix: str = "") -> None:
        if not key:
            raise ValueError("empty API key")
        self.header_name = header_name
        self._value = prefix + key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self.header_name] = self._value
        yield request

    def __repr__(self) -> str:
        return f"HeaderKeyAuth({self.header_name!r}, <redacted>)"


@attrs.frozen(repr=False)
class Token:
    """A bearer token from an exchange; ``expires_in`` seconds from now, None when unknown."""

    value: str
    expires_in: float | None = None

    def __repr__(self) -> str:
        return f"Token(<redacted>, expires_in={self.expires_in!r})"


@attrs.define
class _Cached:
    value: str
    expires_at: float | None  # on the auth object's clock


class _TokenCache:
    """State shared by the sync and async flavours: the cached token and its validity."""

    def __init__(
        self,
        *,
        header_name: str,
        prefix: str,
        refresh_skew: float,
        refresh_statuses: frozenset[int],
        clock: Callable[[], float],
    ) -> None:
        self.header_name = header_name
        self.prefix = prefix
        self.refresh_skew = refresh_skew
        self.refresh_statuses = refresh_statuses
        self.clock = clock
        self.cached: _Cached | None = None
        self.exchanges = 0  # how many exchanges ran: observable in tests and logs

    def usable(self, stale: str | None) -> str | None:
        """The cached token unless missing, expiring, or equal to ``stale`` (refused by the server)."""
        cached = self.cached
        if cached is None or cached.value == stale:
            return None
        if cached.expires_at is not None and self.clock() >= cached.expires_at - self.refresh_skew:
            return None
        return cached.value

    def store(self, token: object) -> str:
        if not isinstance(token, Token) or not token.value:
            raise AuthFlowError("token exchange returned no token")
        expires_at = None if token.expires_in is None else self.clock() + token.expires_in
        self.cached = _Cached(token.value, expires_at)
        self.exchanges += 1
        return token.value

    def apply(self, request: httpx.Request, token: str) -> None:
        request.headers[self.header_name] = self.prefix + token


def _wrap_exchange_error(exc: Exception) -> Exception:
    """AuthFlowError and TransportError pass unchanged (keeping their own cause); others are wrapped."""
    if isinstance(exc, AuthFlowError | TransportError):
        return exc
    error = AuthFlowError(f"token exchange failed: {exc}")
    error.__cause__ = exc
    return error


class ClientCredentialsAuth(httpx.Auth):
    """Token auth for sync clients; ``exchange()`` returns a fresh :class:`Token`."""

    requires_request_body = True  # the request may be sent twice (refresh after 401/403)

    def __init__(
        self,
        exchange: Callable[[], Token],
        *,
        header_name: str = "Authorization",
        prefix: str = "Bearer ",
        refresh_skew: float = 30.0,
        refresh_statuses: frozenset[int] = frozenset({401, 403}),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._exchange = exchange
        self._cache = _TokenCache(
            header_name=header_name,
            prefix=prefix,
            refresh_skew=refresh_skew,
            refresh_statuses=refresh_statuses,
            clock=clock,
        )
        self._lock = threading.Lock()

    @property
    def exchanges(self) -> int:
        """Number of token exchanges performed so far."""
        return self._cache.exchanges

    def token(self, *, stale: str | None = None) -> str:
        """A valid token, exchanging (once for all waiting threads) when needed."""
        found = self._cache.usable(stale)
        if found is not None:
            return found
        with self._lock:
            found = self._cache.usable(stale)  # another thread may have refreshed meanwhile
            if found is not None:
                return found
            try:
                return self._cache.store(self._exchange())
            except Exception as exc:
                wrapped = _wrap_exchange_error(exc)
                if wrapped is exc:
                    raise  # ``raise exc from exc`` would replace its own cause with itself
                raise wrapped from exc

    def invalidate(self) -> None:
        """Forget the cached token (the next request exchanges again)."""
        self._cache.cached = None

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        used = self.token()
        self._cache.apply(request, used)
        response = yield request
        if response.status_code in self._cache.refresh_statuses:
            self._cache.apply(request, self.token(stale=used))
            yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        raise TypeError("ClientCredentialsAuth is for httpx.Client; use AsyncClientCredentialsAuth")
        yield request  # pragma: no cover  (makes this an async generator)

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(header={self._cache.header_name!r})"


class AsyncClientCredentialsAuth(httpx.Auth):
    """Token auth for async clients; ``await exchange()`` returns a fresh :class:`Token`.

    The asyncio lock is created per event loop, so one auth object survives ``asyncio.run`` twice.
    """

    requires_request_body = True

    def __init__(
        self,
        exchange: Callable[[], Awaitable[Token]],
        *,
        header_name: str = "Authorization",
        prefix: str = "Bearer ",
        refresh_skew: float = 30.0,
        refresh_statuses: frozenset[int] = frozenset({401, 403}),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._exchange = exchange
        self._cache = _TokenCache(
            header_name=header_name,
            prefix=prefix,
            refresh_skew=refresh_skew,
            refresh_statuses=refresh_statuses,
            clock=clock,
        )
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None

    @property
    def exchanges(self) -> int:
        """Number of token exchanges performed so far."""
        return self._cache.exchanges

    def _loop_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def token(self, *, stale: str | None = None) -> str:
        """A valid token, exchanging (once for all waiting tasks) when needed."""
        found = self._cache.usable(stale)
        if found is not None:
            return found
        async with self._loop_lock():
            found = self._cache.usable(stale)
            if found is not None:
                return found
            try:
                return self._cache.store(await self._exchange())
            except Exception as exc:
                wrapped = _wrap_exchange_error(exc)
                if wrapped is exc:
                    raise  # ``raise exc from exc`` would replace its own cause with itself
                raise wrapped from exc

    def invalidate(self) -> None:
        """Forget the cached token (the next request exchanges again)."""
        self._cache.cached = None

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise TypeError("AsyncClientCredentialsAuth is for httpx.AsyncClient; use ClientCredentialsAuth")
        yield request  # pragma: no cover

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        used = await self.token()
        self._cache.apply(request, used)
        response = yield request
        if response.status_code in self._cache.refresh_statuses:
            self._cache.apply(request, await self.token(stale=used))
            yield request

    def __repr__(self) -> str:
        return f"AsyncClientCredentialsAuth(header={self._cache.header_name!r})"
