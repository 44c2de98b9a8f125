"""What a provider client is configured with, checked before any request (no I/O, no httpx import).

Settings come from arguments, else the environment, else a default; ids, destinations and base URLs
are checked here so bad input fails with a clear :class:`~docfetch.errors.InvalidInputError` before
anything is sent.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar
from urllib.parse import urlsplit

import attrs

from docfetch._registry import ProviderFacts
from docfetch.core import retry as _retry
from docfetch.core.lazy import lazy_module
from docfetch.core.retry import RetryPolicy
from docfetch.errors import APIStatusError
from docfetch.errors import ErrorParser
from docfetch.errors import InvalidInputError
from docfetch.errors import MissingCredentialsError
from docfetch.errors import ResponseValidationError
from docfetch.errors import raise_for_status
from docfetch.errors import status_error

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_module("httpx")

__all__ = [
    "ApiSettings",
    "IdCheck",
    "as_timeout",
    "check_base_url",
    "check_dest_dir",
    "check_id",
    "check_ids",
    "check_pattern_id",
    "network_options",
    "retry_policy",
    "setting",
]

M = TypeVar("M")
IdCheck = Callable[[str], str]
"""A provider's rule for one id: the id as it will be sent, or InvalidInputError."""
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError)


def setting(value: str | None, env_var: str, *, provider: str, default: str | None = None) -> str:
    """An argument, else the environment variable, else ``default``; missing -> MissingCredentialsError."""
    found = value if value is not None else os.environ.get(env_var) or default
    if not found:
        raise MissingCredentialsError(env_var, provider)
    return found


def check_id(item: object, *, what: str = "id") -> str:
    """Reject what can never be a valid id: non-strings, blanks, control characters."""
    if not isinstance(item, str) or not item.strip():
        raise InvalidInputError(f"invalid {what} {item!r}: must be a non-empty string")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in item):
        raise InvalidInputError(f"invalid {what} {item!r}: contains control characters")
    return item


def check_pattern_id(given: object, facts: ProviderFacts, why: Callable[[str], str] | None = None) -> str:
    """An id that must match the provider's id pattern (``facts.id_pattern``); the error says what
    ids look like, with an example and ``why(given)`` when it can tell more."""
    if facts.id_regex is not None and isinstance(given, str) and facts.id_regex.fullmatch(given):
        return given  # the common case, fast: ids files hold millions of them
    checked = check_id(given, what=facts.id_what)
    if facts.id_regex is not None:
        more = why(checked) if why is not None else ""
        raise InvalidInputError(
            f"invalid {facts.id_what} {checked!r}: {facts.brand} {facts.id_what}s are "
            f"{facts.id_form} like {facts.example_ids[0]}{more}"
        )
    return checked


def check_ids(ids: Iterable[str], check: IdCheck, *, what: str = "id") -> list[str]:
    """Every id of a list checked with ``check`` before any request; empty lists and a lone string
    (a common slip for a list of one) are refused."""
    if isinstance(ids, str):
        raise InvalidInputError(f"expected a list of {what}s, got the string {ids!r}")
    checked = [check(item) for item in ids]
    if not checked:
        raise InvalidInputError(f"no {what} given: pass at least one")
    return checked


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


def check_base_url(url: str, *, provider: str, env_var: str) -> str:
    """An http(s) URL with a host (checked without httpx, before any request), without trailing ``/``."""
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        scheme, host = "", None
    if scheme not in ("http", "https") or not host or any(c.isspace() or ord(c) < 32 for c in url):
        raise InvalidInputError(
            f"{provider}: base URL ({env_var} / base_url) must be an http(s) URL with a host, got {url!r}"
        )
    return url.rstrip("/")


def retry_policy(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """``retry=`` as given, or the default policy; ``max_retries=`` (the official SDKs' spelling: retries
    after the first attempt) sets its attempts."""
    policy = retry or RetryPolicy()
    if max_retries is None:
        return policy
    if not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0:
        raise InvalidInputError(f"max_retries must be a whole number >= 0, not {max_retries!r}")
    return policy.with_(max_attempts=max_retries + 1)


NETWORK_OPTIONS = ("verify", "proxy")
"""Client options that go to every httpx client docfetch builds, for API calls and storage alike."""


def network_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """``verify=`` and ``proxy=`` as httpx takes them (a CA file path becomes an ``ssl.SSLContext``, read
    now so a bad path fails before any request). With the caller's own ``http_client`` they belong on
    that client: giving both is refused."""
    chosen = {name: options[name] for name in NETWORK_OPTIONS if options.get(name) is not None}
    if chosen and options.get("http_client") is not None:
        given = " and ".join(f"{name}=" for name in chosen)
        raise InvalidInputError(f"{given} cannot be combined with http_client=: set it on your own client")
    verify = chosen.get("verify")
    if isinstance(verify, str | os.PathLike):
        import ssl

        try:
            chosen["verify"] = ssl.create_default_context(cafile=os.fspath(verify))
        except (OSError, ssl.SSLError) as exc:
            raise InvalidInputError(
                f"verify={str(verify)!r}: not a readable PEM file of CA certificates ({exc})"
            ) from exc
    return chosen


def as_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    if timeout is None:
        return _retry.DEFAULT_TIMEOUT
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(timeout, connect=min(10.0, timeout))


@attrs.frozen
class ApiSettings:
    """How a provider client reads its API's answers (shared by the sync and async twins)."""

    provider: str
    base_url: str
    timeout: httpx.Timeout
    retry: RetryPolicy = attrs.field(factory=RetryPolicy)
    parse_error: ErrorParser | None = None
    status_overrides: Mapping[int, type[APIStatusError]] = attrs.field(factory=dict)
    envelope_status: Callable[[httpx.Response], int | None] | None = None
    """For an API whose JSON body carries its own status: that status, read from a 2xx response."""

    def raise_for_status(self, response: httpx.Response) -> None:
        """Raise this provider's typed error for a status outside 2xx (its error parser and overrides),
        or for a 2xx whose envelope says it failed."""
        raise_for_status(response, parse=self.parse_error, overrides=self.status_overrides)
        said = self.envelope_status(response) if self.envelope_status is not None else None
        if said is not None and said >= 400:
            raise status_error(response, parse=self.parse_error, overrides=self.status_overrides, status=said)

    def parse(self, build: Callable[..., Any], api: object, response: httpx.Response, model: type[M]) -> M:
        """The body of a 2xx response parsed by the generated module's ``build_response``, which must be
        a ``model``; anything else (unparseable, undocumented, another shape) is ResponseValidationError."""
        try:
            parsed = build(client=api, response=response).parsed
        except InvalidInputError:
            raise
        except _MALFORMED as exc:
            # A generated MissingFieldError names the model and the field a flow cannot do without.
            said = str(exc) if hasattr(exc, "field") else f"unexpected response body ({exc!r})"
            raise ResponseValidationError(f"{self.provider}: {said}", body=response.content) from exc
        if not isinstance(parsed, model):
            raise ResponseValidationError(
                f"{self.provider}: status {response.status_code} with a body that is not a {model.__name__}",
                body=response.content,
            )
        return parsed
