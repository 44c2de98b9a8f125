"""Signed links that renew themselves just in time, and renewals gathered into batch requests."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Hashable
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from typing import Generic
from typing import TypeVar

from docfetch.core._backends import aio as backend
from docfetch.core.storage import LINK_REFUSED_STATUSES

__all__ = ["LINK_MARGIN", "AsyncBatcher", "AsyncSignedLink"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

LINK_MARGIN = 5.0
"""A link with less than this many seconds left (or a tenth of its lifetime, if shorter) is renewed
before it is used, not after a refusal."""


CLOCK_SKEW = 60.0
"""A link that expired more than this long before it arrived is taken as a clock difference."""


class AsyncSignedLink:
    """A download item's URL source: the URL as signed, unless it is about to expire; after a
    refusal (the engine asks again), always a freshly signed one from ``renew`` (which may raise
    instead: that error becomes the item's). ``refused_statuses``: the storage statuses that count as
    a refusal of this link (default 401/403/410)."""

    def __init__(
        self,
        url: str,
        expires_at: datetime | None,
        renew: Callable[[], Awaitable[tuple[str, datetime | None]]],
        *,
        margin: float = LINK_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        label: str = "a file",
        refused_statuses: frozenset[int] = LINK_REFUSED_STATUSES,
    ) -> None:
        self.refused_statuses = refused_statuses
        self._renew = renew
        self.label = label  # what the logs call it (never the URL)
        self._margin = margin
        self._clock = clock
        self.update(url, expires_at)

    def update(self, url: str, expires_at: datetime | None) -> None:
        """A fresh signature for this link (also from a batch renewal made for others)."""
        self.url, self.expires_at = url, expires_at
        self._handed_out = False
        # Judged from the time of arrival. A link that looks long expired on arrival says the clocks
        # differ, not that it expired: its expiry is then unknown (a refusal still renews it).
        left = None if expires_at is None else expires_at.timestamp() - time.time()
        if left is not None and left < -CLOCK_SKEW:
            left = None
        self._deadline = None if left is None else self._clock() + max(0.0, left)
        self._lifetime_margin = self._margin if left is None else min(self._margin, max(0.0, left) / 10)

    @property
    def deadline(self) -> float | None:
        """When the link expires, on this link's clock (None: unknown)."""
        return self._deadline

    def expiring(self, within: float | None = None) -> bool:
        """Whether the link expires within ``within`` seconds (default: the margin)."""
        if self._deadline is None:
            return False
        return self._deadline - self._clock() < (self._lifetime_margin if within is None else within)

    async def __call__(self) -> str:
        if self._handed_out or self.expiring():
            if not self._handed_out:  # a refusal is logged by the transfer that met it
                from docfetch.core import logs  # loaded by the first renewal, not by a provider's import

                logs.link_expiring(
                    self.label, None if self._deadline is None else self._deadline - self._clock()
                )
            self.update(*await self._renew())
        self._handed_out = True
        return self.url

    def __repr__(self) -> str:
        expiry = self.expires_at.astimezone(UTC).isoformat() if self.expires_at else "unknown"
        return f"{type(self).__name__}(<signed url>, expires_at={expiry})"


class _Batch(Generic[K, V]):
    def __init__(self) -> None:
        self.keys: list[K] = []
        self.results: dict[K, V | BaseException] = {}
        self.done = backend.Event()


class AsyncBatcher(Generic[K, V]):
    """Gathers single-key requests made at about the same time into one call of ``fetch`` (at most
    ``max_batch`` keys, after waiting ``linger`` seconds for company). ``fetch`` returns a value or
    an exception per key; a key it leaves out gets a ``KeyError``.

    ``companions`` (optional) adds keys worth fetching with a closing batch (up to ``max_batch`` in
    all); a key asked for while a sent batch holds it waits for that batch's answer instead of
    starting another request (under a rate limit, each request is seconds of everybody's time)."""

    def __init__(
        self,
        fetch: Callable[[Sequence[K]], Awaitable[dict[K, V | BaseException]]],
        *,
        max_batch: int,
        linger: float = 0.05,
        companions: Callable[[list[K]], list[K]] | None = None,
    ) -> None:
        self._fetch = fetch
        self._max_batch = max_batch
        self._linger = linger
        self._companions = companions
        self._lock = backend.Lock()
        self._open: _Batch[K, V] | None = None
        self._sent: dict[K, _Batch[K, V]] = {}  # key -> the sent batch that will answer it

    async def get(self, key: K) -> V:
        async with self._lock:
            batch, leader = self._sent.get(key), False
            if batch is None:
                batch = self._open
                if batch is None:
                    batch, leader = _Batch(), True
                    self._open = batch
                batch.keys.append(key)
                if len(batch.keys) >= self._max_batch:
                    self._open = None  # full: the next key starts a new batch
        if leader:
            await self._send(batch)
        else:
            await batch.done.wait()
        found = batch.results.get(key, KeyError(key))
        if isinstance(found, BaseException):
            raise found
        return found

    async def _send(self, batch: _Batch[K, V]) -> None:
        try:
            await backend.sleep(self._linger)
            async with self._lock:
                if self._open is batch:
                    self._open = None
                keys = list(dict.fromkeys(batch.keys))
                if self._companions is not None:
                    extra = [key for key in self._companions(keys) if key not in keys]
                    keys += extra[: max(0, self._max_batch - len(keys))]
                batch.keys = keys
                for key in keys:
                    self._sent.setdefault(key, batch)
            batch.results = await self._fetch(keys)
        except BaseException as exc:  # the followers get the leader's failure (or cancellation)
            batch.results = {key: exc for key in batch.keys}
            raise
        finally:
            # Without the lock (no waiting in a cancelled task): only this batch removes its keys,
            # and setdefault never replaces them.
            for key in batch.keys:
                if self._sent.get(key) is batch:
                    del self._sent[key]
            batch.done.set()
