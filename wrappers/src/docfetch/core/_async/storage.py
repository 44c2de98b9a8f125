"""Credential-free storage clients (the rules are in :mod:`docfetch.core.storage`)."""

from __future__ import annotations

from typing import Any

import httpx

from docfetch.core._async.bulkread import async_use_bulk_reads
from docfetch.core.retry import DEFAULT_TIMEOUT
from docfetch.core.storage import LIMITS
from docfetch.core.storage import USER_AGENT
from docfetch.core.storage import strip_on_cross_origin

__all__ = ["async_storage_client"]


async def _async_strip_on_cross_origin(request: httpx.Request) -> None:
    strip_on_cross_origin(request)


def async_storage_client(**kwargs: Any) -> httpx.AsyncClient:
    """An httpx client for signed storage URLs: no credentials, safe redirects, default timeouts,
    1 MiB socket reads. Keyword arguments go to httpx (``auth`` is refused: signed URLs authorise
    themselves)."""
    if kwargs.pop("auth", None) is not None:
        raise ValueError("a storage client carries no credentials; signed URLs authorise themselves")
    hooks = dict(kwargs.pop("event_hooks", {}) or {})
    hooks["request"] = [_async_strip_on_cross_origin, *hooks.get("request", [])]
    kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
    kwargs.setdefault("limits", httpx.Limits(**LIMITS))
    kwargs.setdefault("follow_redirects", True)
    kwargs.setdefault("headers", {"User-Agent": USER_AGENT})
    client = httpx.AsyncClient(event_hooks=hooks, **kwargs)
    async_use_bulk_reads(client)
    return client
