"""What every provider client shares: settings from arguments or the environment, the generated
client built with auth and timeouts, and calls to generated ``*_detailed`` functions with retries
and status-to-exception mapping in one place.

A provider module composes these; it never edits or subclasses generated code.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

import attrs
import httpx

from docfetch.errors import (
    APIStatusError,
    ErrorParser,
    InvalidInputError,
    MissingCredentialsError,
    ResponseValidationError,
    raise_for_status,
)
from docfetch.retry import DEFAULT_TIMEOUT, RetryPolicy, async_call_with_retries, call_with_retries
from docfetch.storage import USER_AGENT

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class GeneratedResponse(Protocol[T_co]):
    """The generated ``types.Response[T]`` of any provider package (they are distinct classes)."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def content(self) -> bytes: ...
    @property
    def parsed(self) -> T_co | None: ...


R = TypeVar("R", bound=GeneratedResponse[Any])


@attrs.frozen
class Link:
    """A download link for one file: what `docfetch PROVIDER links` prints."""

    id: str
    name: str | None
    url: str
    expires_at: datetime | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }


def setting(value: str | None, env_var: str, *, provider: str, default: str | None = None) -> str:
    """An argument, else the environment variable, else ``default``; missing -> MissingCredentialsError."""
    found = value if value is not None else os.environ.get(env_var) or default
    if not found:
        raise MissingCredentialsError(env_var, provider)
    return found


def check_ids(ids: Sequence[str], *, what: str = "id") -> list[str]:
    """Reject what can never be a valid id, before any request: empty lists, blank or control characters."""
    if isinstance(ids, str):
        raise InvalidInputError(f"expected a list of {what}s, got the string {ids!r}")
    if not ids:
        raise InvalidInputError(f"no {what} given: pass at least one")
    for item in ids:
        if not isinstance(item, str) or not item.strip():
            raise InvalidInputError(f"invalid {what} {item!r}: must be a non-empty string")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in item):
            raise InvalidInputError(f"invalid {what} {item!r}: contains control characters")
    return list(ids)


def check_dest_dir(dest_dir: str | os.PathLike[str]) -> Path:
    """The destination must be a directory we can create or write to: checked before any request."""
    path = Path(dest_dir)
    if path.exists() and not path.is_dir():
        raise InvalidInputError(f"destination {str(path)!r} exists and is not a directory")
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise InvalidInputError(f"destination {str(path)!r} is not writable")
    return path


@attrs.frozen
class ApiSettings:
    """How a provider client talks to its API (shared by the sync and async twins)."""

    provider: str
    base_url: str
    auth: httpx.Auth
    timeout: httpx.Timeout = DEFAULT_TIMEOUT
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    parse_error: ErrorParser | None = None
    status_overrides: Mapping[int, type[APIStatusError]] = attrs.field(factory=dict)
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None

    def httpx_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "base_url": self.base_url,
            "auth": self.auth,
            "timeout": self.timeout,
            "headers": {"User-Agent": USER_AGENT},
            "follow_redirects": False,  # an API redirect must never carry our credential elsewhere
        }
        if self.transport is not None:
            kwargs["transport"] = self.transport
        return kwargs

    def check(self, response: GeneratedResponse[T]) -> T:
        """Raise the mapped error for a non-2xx response; return the parsed body of a 2xx one."""
        raise_for_status(response, parse=self.parse_error, overrides=self.status_overrides)
        if response.parsed is None:
            raise ResponseValidationError(
                f"{self.provider}: status {int(response.status_code)} with a body that does not match the spec",
                body=response.content[:2048],
            )
        return response.parsed


def as_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(timeout, connect=min(10.0, timeout))


_MALFORMED = (KeyError, TypeError, ValueError, AttributeError)


def call(
    settings: ApiSettings, send: Callable[[], R], *, idempotent: bool, retry: RetryPolicy | None = None
) -> R:
    """Send a generated ``*_detailed`` call with the retry policy; the response as the generator parsed it.

    A body the generated models cannot parse becomes :class:`ResponseValidationError`.
    """

    def attempt() -> R:
        try:
            return send()
        except InvalidInputError:
            raise
        except _MALFORMED as exc:
            raise ResponseValidationError(f"{settings.provider}: unexpected response body ({exc!r})") from exc

    return call_with_retries(attempt, idempotent=idempotent, policy=retry or settings.retry)


async def acall(
    settings: ApiSettings,
    send: Callable[[], Awaitable[R]],
    *,
    idempotent: bool,
    retry: RetryPolicy | None = None,
) -> R:
    """Async twin of :func:`call`."""

    async def attempt() -> R:
        try:
            return await send()
        except InvalidInputError:
            raise
        except _MALFORMED as exc:
            raise ResponseValidationError(f"{settings.provider}: unexpected response body ({exc!r})") from exc

    return await async_call_with_retries(attempt, idempotent=idempotent, policy=retry or settings.retry)


class _GeneratedClient(Protocol):
    def set_httpx_client(self, client: httpx.Client) -> Any: ...
    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Any: ...


C = TypeVar("C", bound=_GeneratedClient)


def generated_client(settings: ApiSettings, client_cls: Callable[..., C]) -> C:
    """A generated ``Client`` whose httpx client carries our auth, timeouts and headers.

    (The generated ``AuthenticatedClient`` holds one static header and loses it with
    ``set_httpx_client``; an ``httpx.Auth`` on the httpx client covers every auth flow.)
    """
    client = client_cls(base_url=settings.base_url)
    client.set_httpx_client(httpx.Client(**settings.httpx_kwargs()))
    return client


def generated_async_client(settings: ApiSettings, client_cls: Callable[..., C]) -> C:
    """Async twin of :func:`generated_client`."""
    client = client_cls(base_url=settings.base_url)
    client.set_async_httpx_client(httpx.AsyncClient(**settings.httpx_kwargs()))
    return client
