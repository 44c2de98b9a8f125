"""Authentication as ``httpx.Auth`` objects, so every request of a client carries the credential.

* :class:`HeaderKeyAuth`: a static API key in the provider's header (``api-subscription-key``,
  ``x-api-key``, ``X-Api2convert-Api-Key``, ``Authorization: Bearer``...).
* ``ClientCredentialsAuth`` / ``AsyncClientCredentialsAuth`` (``core/_async/auth.py``): a token
  obtained from an exchange callable, cached, renewed ``refresh_skew`` seconds before it expires and once after a
  401/403 (the request is then repeated once with the new token). A lock makes many concurrent
  requests that need a token share one exchange. The exchange must use its own client (without
  this auth); any failure in it except a transport error becomes :class:`AuthFlowError`.

Credentials never appear in ``repr``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Generator

import attrs
import httpx

from docfetch.core import logs
from docfetch.errors import AuthFlowError
from docfetch.errors import TransportError

__all__ = ["HeaderKeyAuth", "Token", "TokenCache", "wrap_exchange_error"]


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


class TokenCache:
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

    def exchanging(self, stale: str | None) -> None:
        """An exchange is about to start: say why on ``docfetch.auth`` (never the token)."""
        cached = self.cached
        left = None if cached is None or cached.expires_at is None else cached.expires_at - self.clock()
        logs.token_wanted(
            first=cached is None, refused=cached is not None and cached.value == stale, left=left
        )

    def store(self, token: object) -> str:
        if not isinstance(token, Token) or not token.value:
            raise AuthFlowError("token exchange returned no token")
        expires_at = None if token.expires_in is None else self.clock() + token.expires_in
        self.cached = _Cached(token.value, expires_at)
        self.exchanges += 1
        logs.token_obtained(token.expires_in, self.exchanges)
        return token.value

    def apply(self, request: httpx.Request, token: str) -> None:
        request.headers[self.header_name] = self.prefix + token


def wrap_exchange_error(exc: Exception) -> Exception:
    """AuthFlowError and TransportError pass unchanged (keeping their own cause); others are wrapped."""
    if isinstance(exc, AuthFlowError | TransportError):
        return exc
    error = AuthFlowError(f"token exchange failed: {exc}")
    error.__cause__ = exc
    return error
