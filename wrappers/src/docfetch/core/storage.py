"""Credential-free HTTP for storage hosts (signed URLs) and safe redirect handling.

Two layers keep provider credentials away from storage hosts:

1. The download engine never lets a client add anything: each storage request is a bare
   ``httpx.Request`` carrying only the headers docfetch chose, sent with ``auth=None`` and
   ``follow_redirects=False``; redirects are followed by the engine, which drops every extra
   header once a hop leaves the first origin (:func:`redirect_headers`). This holds whichever
   client is passed, even a provider's authenticated one.
2. ``storage_client`` / ``async_storage_client`` (``core/_async/storage.py``) build clients with no auth, no default
   credentials, :data:`~docfetch.retry.DEFAULT_TIMEOUT`, and a request hook that strips every
   non-allow-listed header (``Authorization``, ``X-Api-Key``, cookies...) from a redirect hop
   whose origin differs from the first request's, for code that uses them directly with
   ``follow_redirects=True``. (httpx itself only strips ``Authorization``.) They read 1 MiB per
   socket read (:mod:`docfetch.bulkread`), since they carry the large bodies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any
from typing import Protocol

from docfetch.core.lazy import lazy_module

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_module("httpx")


__all__ = [
    "LIMITS",
    "LINK_REFUSED_STATUSES",
    "PLAIN_URL",
    "SAFE_REDIRECT_HEADERS",
    "USER_AGENT",
    "ResponseHead",
    "as_url",
    "bare_request",
    "next_hop",
    "redirect_headers",
    "same_origin",
    "strip_on_cross_origin",
]

SAFE_REDIRECT_HEADERS = frozenset(
    {
        "host",
        "accept",
        "accept-encoding",
        "accept-language",
        "user-agent",
        "range",
        "if-range",
        "connection",
        "content-length",
        "content-type",
        "transfer-encoding",
    }
)
"""Headers that may follow a redirect to another origin; everything else is dropped."""

LINK_REFUSED_STATUSES = frozenset({401, 403, 410})
"""What a storage host answers a signed link that no longer works (expired, revoked): a fresh one may help.
A URL source may name its own (``refused_statuses``, e.g. API2Convert's output hosts add 404)."""
USER_AGENT = "docfetch/0.1"
_ORIGIN_KEY = "docfetch.first_origin"
LIMITS = {"max_connections": 32, "max_keepalive_connections": 16}
"""The storage clients' pool (``httpx.Limits`` keywords)."""

_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
PLAIN_URL = re.compile(
    rf"(?P<scheme>https?)://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?)(?::(?P<port>[0-9]{{1,5}}))?"
    rf"(?P<path>(?:/{_PCHAR}*)*)(?P<query>\?(?:{_PCHAR}|[/?])*)?(?:#.*)?"
)
"""An http(s) URL with a host name, no user info and nothing httpx would percent-encode (``fullmatch``):
httpx sends it as it is written, apart from dot segments in its path, and a host in lower case."""


class ResponseHead(Protocol):
    """What the transfer logic reads of a storage response: httpx's, or the direct path's
    (:mod:`docfetch.core.direct`). ``str(url)`` is the URL it answers; ``content`` the body once read."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def url(self) -> object: ...
    @property
    def content(self) -> bytes: ...


def as_url(url: str | httpx.URL) -> str | httpx.URL:
    """``url`` checked as httpx checks it (raising ``httpx.InvalidURL``); a plain URL string is kept
    as it is (parsing one with httpx costs ~30 us, and the direct path never needs the model)."""
    if isinstance(url, str) and PLAIN_URL.fullmatch(url):
        return url
    return httpx.URL(url)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    port = url.port
    if port is None:
        port = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, port)


def same_origin(a: httpx.URL | str, b: httpx.URL | str) -> bool:
    """Scheme, host and (default-resolved) port all equal."""
    return _origin(httpx.URL(a)) == _origin(httpx.URL(b))


def redirect_headers(
    headers: Mapping[str, str], first_url: httpx.URL | str, next_url: httpx.URL | str
) -> dict[str, str]:
    """Headers for a redirect hop: all of them on the same origin, only the safe ones elsewhere."""
    if same_origin(first_url, next_url):
        return dict(headers)
    return {k: v for k, v in headers.items() if k.lower() in SAFE_REDIRECT_HEADERS}


def strip_on_cross_origin(request: httpx.Request) -> None:
    # httpx shares ``extensions`` between a request and its redirect hops (_build_redirect_request),
    # so the first hop records its origin there and later hops compare against it.
    first = request.extensions.get(_ORIGIN_KEY)
    if first is None:
        request.extensions[_ORIGIN_KEY] = str(request.url)
        return
    if not same_origin(first, request.url):
        for name in [k for k in request.headers if k.lower() not in SAFE_REDIRECT_HEADERS]:
            del request.headers[name]


def bare_request(
    client: httpx.Client | httpx.AsyncClient,
    url: httpx.URL | str,
    headers: Mapping[str, str],
    *,
    method: str = "GET",
    content: Any = None,
) -> httpx.Request:
    """A request carrying exactly ``headers`` (none of the client's defaults, cookies or auth) with the
    client's timeouts: what docfetch sends to storage hosts."""
    return httpx.Request(
        method,
        url,
        headers={"User-Agent": USER_AGENT, **headers},
        content=content,
        extensions={"timeout": client.timeout.as_dict()},
    )


def next_hop(response: ResponseHead) -> httpx.URL | None:
    """Where a redirect points, or None for any other response."""
    if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
        url = response.url
        return (url if isinstance(url, httpx.URL) else httpx.URL(str(url))).join(response.headers["location"])
    return None
