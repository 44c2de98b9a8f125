"""The asyncio side of what the async source (``core/_async``, ``providers/*/_async.py``) needs and
cannot express with plain ``await``: sleeping, background tasks, queues, cancellation checkpoints and
blocking work moved off the event loop. :mod:`docfetch.core._backends.threads` has the same names for
the generated sync code (``tools/unasync.py`` swaps the import), so each algorithm is written once.
"""

from __future__ import annotations

from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Coroutine
from types import TracebackType
from typing import TYPE_CHECKING
from typing import Any
from typing import Generic
from typing import ParamSpec
from typing import TypeVar

from docfetch.core.lazy import lazy_module

if TYPE_CHECKING:
    import asyncio
    import concurrent.futures
    import ssl

    import httpx

    Cancelled = asyncio.CancelledError
    Event = asyncio.Event
else:
    asyncio = lazy_module("asyncio")  # loaded by the first async use, not by importing a client

T = TypeVar("T")
P = ParamSpec("P")


def __getattr__(name: str) -> Any:
    # asyncio's own classes, resolved on first use (see the lazy import above).
    if name in ("Cancelled", "Event"):
        return asyncio.CancelledError if name == "Cancelled" else asyncio.Event
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def monotonic() -> float:
    """The event loop's clock (the same as :func:`time.monotonic` on every loop docfetch runs on)."""
    return asyncio.get_running_loop().time()


async def sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def checkpoint() -> None:
    """Async code is cancelled at its awaits; nothing to check here (the sync side checks its scope)."""


async def run_blocking(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn`` on a worker thread (an fsync must not stall the other transfers). If the caller is
    cancelled meanwhile, the thread is still let finish first, so it never races the caller's cleanup."""
    work = asyncio.ensure_future(asyncio.to_thread(fn, *args, **kwargs))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        await asyncio.wait({work})
        raise


async def wait_for(future: concurrent.futures.Future[T]) -> T:
    """The result of work done on another thread (the committer's); cancelling the wait cancels the
    work if it has not started."""
    return await asyncio.wrap_future(future)


def direct_http(timeout: httpx.Timeout, tls: ssl.SSLContext) -> Any:
    """Storage GETs of plain URLs without httpx's layers, on the event loop
    (:mod:`docfetch.core.direct_aio`; typed Any so the shared source type-checks against both sides)."""
    from docfetch.core.direct_aio import AsyncDirectHttp

    return AsyncDirectHttp(timeout, tls)


class Lock:
    """An ``asyncio.Lock`` per running event loop, so one client survives ``asyncio.run`` twice."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __aenter__(self) -> None:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        await self._lock.acquire()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._lock is not None
        self._lock.release()


class Queue(Generic[T]):
    """A FIFO queue; ``maxsize`` 0 is unbounded (then :meth:`put_nowait` never blocks)."""

    def __init__(self, maxsize: int = 0) -> None:
        self._queue: asyncio.Queue[T] = asyncio.Queue(maxsize)

    async def put(self, item: T) -> None:
        await self._queue.put(item)

    def put_nowait(self, item: T) -> None:
        self._queue.put_nowait(item)

    async def get(self) -> T:
        return await self._queue.get()

    def get_nowait(self) -> T | None:
        """The next item if one is waiting, else None."""
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            return None


class TaskGroup:
    """Background tasks that end with the group: leaving it normally waits for them; leaving it by
    an exception (or :meth:`cancel`) cancels them first. A task's own exception is its business:
    wrap the work to report it (the pipeline posts it to its results)."""

    def __init__(self) -> None:
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, fn: Callable[..., Coroutine[Any, Any, None]], *args: Any) -> None:
        self._tasks.append(asyncio.get_running_loop().create_task(fn(*args)))

    def cancel(self) -> None:
        for task in self._tasks:
            task.cancel()

    async def __aenter__(self) -> TaskGroup:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.cancel()
        if self._tasks:
            await _wait_all(self._tasks)


async def _wait_all(tasks: list[asyncio.Task[None]]) -> None:
    """Wait for every task even if we are cancelled meanwhile (then they are cancelled too)."""
    pending: Awaitable[Any] = asyncio.gather(*tasks, return_exceptions=True)
    try:
        await asyncio.shield(pending)
    except asyncio.CancelledError:
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks)
        raise
