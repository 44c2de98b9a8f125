"""One API request, sent attempt after attempt by the retry runner, each attempt logged on
``docfetch.http`` (method, redacted URL, status or failure, seconds, attempt number)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx

from docfetch.core import logs

__all__ = ["AsyncTracedRequest"]


class AsyncTracedRequest:
    """``await send()`` sends ``request`` (keyword arguments of ``client.request``) once more."""

    def __init__(self, http: httpx.AsyncClient, request: Mapping[str, Any]) -> None:
        self._http = http
        self._request = request
        self.attempts = 0

    async def __call__(self) -> httpx.Response:
        self.attempts += 1
        if not logs.HTTP.isEnabledFor(logging.INFO):
            return await self._http.request(**self._request)
        method, url = self._request["method"], self._request["url"]
        started = time.perf_counter()
        try:
            response = await self._http.request(**self._request)
        except Exception as exc:
            logs.api_failure(method, url, exc, time.perf_counter() - started, self.attempts)
            raise
        logs.api_response(method, url, response, time.perf_counter() - started, self.attempts)
        return response
