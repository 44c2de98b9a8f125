"""The thread side of :mod:`docfetch.core._backends.aio`, used by the generated sync code: real threads
and blocking calls, no event loop.

Threads cannot be interrupted, so cancellation is cooperative: every thread a :class:`TaskGroup`
starts runs in the group's *scope*; :func:`sleep`, :func:`checkpoint` and the blocking :class:`Queue`
operations raise :class:`Cancelled` in that thread once the group is cancelled. A thread stuck in a
network read notices at its next chunk or timeout; the group waits :data:`GRACE` seconds for its
threads and then leaves the stragglers behind (daemon threads, cleaned up by their owners' registry).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING
from typing import Any
from typing import Generic
from typing import ParamSpec
from typing import TypeVar

if TYPE_CHECKING:
    import concurrent.futures
    import ssl

    import httpx

    from docfetch.core.direct import DirectHttp

T = TypeVar("T")
P = ParamSpec("P")

GRACE = 1.5
"""Seconds a cancelled group waits for its threads before it leaves them behind."""
_POLL = 0.05  # how often a blocked queue operation looks at its scope
_scope = threading.local()

Lock = threading.Lock
monotonic = time.monotonic


def leave_signals_to_main_thread() -> None:
    """Call first in every thread docfetch starts. Python runs signal handlers (Ctrl-C, the CLI's
    SIGTERM) in the main thread only, but the kernel may deliver the signal to any thread: one taken
    by a worker in a socket read leaves the main thread asleep in its wait (for the next result) until
    something else wakes it, tens of ms later, while the run goes on. Blocked here, they always
    interrupt the main thread at once."""
    import signal

    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


class Cancelled(BaseException):
    """The thread's task group was cancelled (a BaseException, like asyncio's, so ``except Exception``
    in the work never swallows it)."""


def _cancel_event() -> threading.Event | None:
    event: threading.Event | None = getattr(_scope, "cancel", None)
    return event


def checkpoint() -> None:
    """Raise :class:`Cancelled` if this thread's task group was cancelled."""
    event = _cancel_event()
    if event is not None and event.is_set():
        raise Cancelled


def sleep(seconds: float) -> None:
    """``time.sleep`` that a cancelled task group cuts short (raising :class:`Cancelled`)."""
    event = _cancel_event()
    if event is None:
        time.sleep(max(0.0, seconds))
    elif event.wait(max(0.0, seconds)):
        raise Cancelled


class Event(threading.Event):
    """``threading.Event`` whose :meth:`wait` (without a timeout) gives way to cancellation."""

    def wait(self, timeout: float | None = None) -> bool:
        if timeout is not None or _cancel_event() is None:
            return super().wait(timeout)
        while not super().wait(_POLL):
            checkpoint()
        return True


def run_blocking(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """In sync code blocking work simply runs on the calling thread."""
    return fn(*args, **kwargs)


def wait_for(future: concurrent.futures.Future[T]) -> T:
    """The result of work done on another thread (the committer's), giving way to cancellation; a
    cancelled wait cancels the work if it has not started."""
    from concurrent.futures import CancelledError

    while True:
        try:
            checkpoint()
        except Cancelled:
            future.cancel()
            raise
        try:
            return future.result(timeout=_POLL)
        except TimeoutError:
            continue
        except CancelledError:  # the work was dropped: the run is being cancelled
            raise Cancelled from None


def direct_http(timeout: httpx.Timeout, tls: ssl.SSLContext) -> DirectHttp:
    """Storage GETs of plain URLs without httpx's layers (:mod:`docfetch.core.direct`)."""
    from docfetch.core.direct import DirectHttp

    return DirectHttp(timeout, tls)


class Queue(Generic[T]):
    """A FIFO queue whose blocking operations give way to cancellation; ``maxsize`` 0 is unbounded."""

    def __init__(self, maxsize: int = 0) -> None:
        self._queue: queue.Queue[T] = queue.Queue(maxsize)

    def put(self, item: T) -> None:
        while True:
            checkpoint()
            try:
                self._queue.put(item, timeout=_POLL)
                return
            except queue.Full:
                continue

    def put_nowait(self, item: T) -> None:
        self._queue.put_nowait(item)

    def get(self) -> T:
        if _cancel_event() is None:  # the consumer's own thread: block (Ctrl-C still interrupts)
            return self._queue.get()
        while True:
            checkpoint()
            try:
                return self._queue.get(timeout=_POLL)
            except queue.Empty:
                continue

    def get_nowait(self) -> T | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None


class TaskGroup:
    """Daemon threads that end with the group (see the module docstring for cancellation)."""

    def __init__(self) -> None:
        self._threads: list[threading.Thread] = []
        self._cancel = threading.Event()

    def start(self, fn: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=self._run, args=(fn, args), name="docfetch-task", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _run(self, fn: Callable[..., None], args: tuple[Any, ...]) -> None:
        leave_signals_to_main_thread()
        _scope.cancel = self._cancel
        with contextlib.suppress(Cancelled):
            fn(*args)

    def cancel(self) -> None:
        self._cancel.set()

    def __enter__(self) -> TaskGroup:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self.cancel()
        try:
            self._join()
        except BaseException:  # e.g. Ctrl-C while waiting: stop the threads, then let it through
            self.cancel()
            self._join()
            raise

    def _join(self) -> None:
        deadline: float | None = None  # set once cancelled: from then on, GRACE seconds in all
        for thread in self._threads:
            while thread.is_alive():
                if self._cancel.is_set():
                    deadline = deadline or time.monotonic() + GRACE
                    thread.join(max(0.0, deadline - time.monotonic()))
                    break
                thread.join(_POLL * 4)
