"""Client-credentials token auth (the token cache and its rules are in :mod:`docfetch.core.auth`)."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Generator

import httpx

from docfetch.core._backends.aio import Lock
from docfetch.core.auth import Token
from docfetch.core.auth import TokenCache
from docfetch.core.auth import wrap_exchange_error
from docfetch.core.hints import is_small_json

__all__ = ["AsyncClientCredentialsAuth"]


class AsyncClientCredentialsAuth(httpx.Auth):
    """Token auth: ``exchange()`` returns a fresh :class:`~docfetch.core.auth.Token`; it is cached,
    renewed ``refresh_skew`` seconds before it expires and once after a 401/403 (the request is then
    sent once more with the new token); with ``envelope_status``, also when a 2xx JSON body says 401/403. Many concurrent requests that need a token share one exchange.
    Use it with the matching httpx client (the async one with ``httpx.AsyncClient``)."""

    requires_request_body = True  # the request may be sent twice (refresh after 401/403)

    def __init__(
        self,
        exchange: Callable[[], Awaitable[Token]],
        *,
        header_name: str = "Authorization",
        prefix: str = "Bearer ",
        refresh_skew: float = 30.0,
        refresh_statuses: frozenset[int] = frozenset({401, 403}),
        clock: Callable[[], float] = time.monotonic,
        envelope_status: Callable[[httpx.Response], int | None] | None = None,
    ) -> None:
        self._exchange = exchange
        self._envelope_status = envelope_status
        self._cache = TokenCache(
            header_name=header_name,
            prefix=prefix,
            refresh_skew=refresh_skew,
            refresh_statuses=refresh_statuses,
            clock=clock,
        )
        self._lock = Lock()

    @property
    def exchanges(self) -> int:
        """Number of token exchanges performed so far."""
        return self._cache.exchanges

    async def token(self, *, stale: str | None = None) -> str:
        """A valid token, exchanging (once for everyone waiting) when needed."""
        found = self._cache.usable(stale)
        if found is not None:
            return found
        async with self._lock:
            found = self._cache.usable(stale)  # someone else may have renewed it meanwhile
            if found is not None:
                return found
            self._cache.exchanging(stale)
            try:
                return self._cache.store(await self._exchange())
            except Exception as exc:
                wrapped = wrap_exchange_error(exc)
                if wrapped is exc:
                    raise  # ``raise exc from exc`` would replace its own cause with itself
                raise wrapped from exc

    def invalidate(self) -> None:
        """Forget the cached token (the next request exchanges again)."""
        self._cache.cached = None

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        used = await self.token()
        self._cache.apply(request, used)
        response = yield request
        if await self._status(response) in self._cache.refresh_statuses:
            self._cache.apply(request, await self.token(stale=used))
            yield request

    async def _status(self, response: httpx.Response) -> int:
        """The response's status, or the one its envelope states (a small JSON 2xx is read for it)."""
        if self._envelope_status is None or not is_small_json(response):
            return response.status_code
        await response.aread()
        return self._envelope_status(response) or response.status_code

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        raise TypeError(f"{type(self).__name__} is for the matching httpx client (sync or async)")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(header={self._cache.header_name!r})"
