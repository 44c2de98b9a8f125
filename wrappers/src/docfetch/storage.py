"""Credential-free HTTP for storage hosts (signed URLs) and safe redirect handling.

Two layers keep provider credentials away from storage hosts:

1. The download engine never lets a client add anything: each storage request is a bare
   ``httpx.Request`` carrying only the headers docfetch chose, sent with ``auth=None`` and
   ``follow_redirects=False``; redirects are followed by the engine, which drops every extra
   header once a hop leaves the first origin (:func:`redirect_headers`). This holds whichever
   client is passed, even a provider's authenticated one.
2. :func:`storage_client` / :func:`async_storage_client` build clients with no auth, no default
   credentials, :data:`~docfetch.retry.DEFAULT_TIMEOUT`, and a request hook that strips every
   non-allow-listed header (``Authorization``, ``X-Api-Key``, cookies...) from a redirect hop
   whose origin differs from the first request's, for code that uses them directly with
   ``follow_redirects=True``. (httpx itself only strips ``Authorization``.) They read 1 MiB per
   socket read (:mod:`docfetch.bulkread`), since they carry the large bodies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from docfetch.bulkread import use_bulk_reads
from docfetch.retry import DEFAULT_TIMEOUT

__all__ = [
    "SAFE_REDIRECT_HEADERS",
    "async_storage_client",
    "redirect_headers",
    "same_origin",
    "storage_client",
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

USER_AGENT = "docfetch/0.1"
_ORIGIN_KEY = "docfetch.first_origin"
_LIMITS = httpx.Limits(max_connections=32, max_keepalive_connections=16)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    port = url.port
    if port is None:
        port = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, port)


def same_origin(a: httpx.URL | str, b: httpx.URL | str) -> bool:
    """Scheme, host and (default-resolved) port all equal."""
    return _origin(httpx.URL(a)) == _origin(httpx.URL(b))


def redirect_headers(headers: Mapping[str, str], first_url: httpx.URL, next_url: httpx.URL) -> dict[str, str]:
    """Headers for a redirect hop: all of them on the same origin, only the safe ones elsewhere."""
    if same_origin(first_url, next_url):
        return dict(headers)
    return {k: v for k, v in headers.items() if k.lower() in SAFE_REDIRECT_HEADERS}


def _strip_on_cross_origin(request: httpx.Request) -> None:
    # httpx shares ``extensions`` between a request and its redirect hops (_build_redirect_request),
    # so the first hop records its origin there and later hops compare against it.
    first = request.extensions.get(_ORIGIN_KEY)
    if first is None:
        request.extensions[_ORIGIN_KEY] = str(request.url)
        return
    if not same_origin(first, request.url):
        for name in [k for k in request.headers if k.lower() not in SAFE_REDIRECT_HEADERS]:
            del request.headers[name]


async def _async_strip_on_cross_origin(request: httpx.Request) -> None:
    _strip_on_cross_origin(request)


def storage_client(**kwargs: Any) -> httpx.Client:
    """An ``httpx.Client`` for signed storage URLs: no credentials, safe redirects, default timeouts.

    Keyword arguments go to ``httpx.Client`` (``auth`` is refused: storage URLs are pre-signed).
    """
    if kwargs.get("auth") is not None:
        raise ValueError("a storage client carries no credentials; signed URLs authorise themselves")
    kwargs.pop("auth", None)
    hooks = dict(kwargs.pop("event_hooks", {}) or {})
    hooks["request"] = [_strip_on_cross_origin, *hooks.get("request", [])]
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", _LIMITS)
    kwargs.setdefault("follow_redirects", True)
    kwargs.setdefault("headers", {"User-Agent": USER_AGENT})
    client = httpx.Client(event_hooks=hooks, **kwargs)
    use_bulk_reads(client)
    return client


def async_storage_client(**kwargs: Any) -> httpx.AsyncClient:
    """Async twin of :func:`storage_client`."""
    if kwargs.get("auth") is not None:
        raise ValueError("a storage client carries no credentials; signed URLs authorise themselves")
    kwargs.pop("auth", None)
    hooks = dict(kwargs.pop("event_hooks", {}) or {})
    hooks["request"] = [_async_strip_on_cross_origin, *hooks.get("request", [])]
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", _LIMITS)
    kwargs.setdefault("follow_redirects", True)
    kwargs.setdefault("headers", {"User-Agent": USER_AGENT})
    client = httpx.AsyncClient(event_hooks=hooks, **kwargs)
    use_bulk_reads(client)
    return client


def bare_request(
    client: httpx.Client | httpx.AsyncClient, url: httpx.URL, headers: Mapping[str, str]
) -> httpx.Request:
    """A GET carrying exactly ``headers`` (none of the client's defaults) with the client's timeouts."""
    return httpx.Request(
        "GET",
        url,
        headers={"User-Agent": USER_AGENT, **headers},
        extensions={"timeout": client.timeout.as_dict()},
    )
