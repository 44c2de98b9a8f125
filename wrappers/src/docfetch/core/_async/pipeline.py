"""One streaming download pipeline for every provider.

A provider contributes a resolver (:class:`~docfetch.core._async.resolver.AsyncResolver`): how ids are checked, which repeat,
and how a batch of ids becomes download items or per-id results (signing links, looking up records,
waiting for jobs). The pipeline runs its stages at once, joined by bounded queues::

    ids --feed--> batches --plan (P at once)--> items --transfer (N at once)--> committer --> results

* The first transfer starts as soon as the first item is planned, whatever the number of ids.
* Planning never runs far ahead: the item queue holds ``max(N, batch size)`` items, so a planner
  waits (holding at most one batch of fresh links) until transfers take them. Links are therefore
  used seconds after they were issued, and memory is bounded by N, P and the queue sizes.
* Jobs are watched P at a time (the resolver waits for one job per batch); a job's files go to the
  transfers as soon as that job is done, while the others still run.
* A transfer hands its verified part file to the run's committer (:mod:`docfetch.core.commit`:
  groups of files share one sync, renames, one directory fsync) and takes its next item at once; the
  finisher reports each file once the committer has made its name durable.
* Results come out as soon as they are final, each with an order key (the position of its id in
  the input) so :meth:`AsyncDownloadStream.collect` can give them back in input order.
* Closing the stream (or cancelling, Ctrl-C) stops every stage and removes every part file.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import AsyncIterator
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from typing import Self
from typing import cast

import attrs
import httpx

from docfetch.core import logs
from docfetch.core._async.engine import AsyncOpener
from docfetch.core._async.engine import AsyncSource
from docfetch.core._async.engine import AsyncUrlSource
from docfetch.core._async.engine import async_fetch
from docfetch.core._async.engine import prepare_dir
from docfetch.core._async.resolver import AsyncResolver
from docfetch.core._async.resolver import ItemsResolver
from docfetch.core._async.storage import AsyncStorage
from docfetch.core._backends.aio import Lock
from docfetch.core._backends.aio import Queue
from docfetch.core._backends.aio import TaskGroup
from docfetch.core._backends.aio import run_blocking
from docfetch.core._backends.aio import sleep as backend_sleep
from docfetch.core._backends.aio import wait_for
from docfetch.core.commit import Committer
from docfetch.core.filenames import first_name
from docfetch.core.filenames import known_extension
from docfetch.core.plan import Order
from docfetch.core.plan import as_docfetch_error
from docfetch.core.plan import check_concurrency
from docfetch.core.retry import DEFAULT_TIMEOUT
from docfetch.core.retry import DOWNLOAD_RETRY
from docfetch.core.retry import RetryPolicy
from docfetch.core.tls import OnDemandTrust
from docfetch.core.transfer import NameRegistry
from docfetch.core.transfer import Transfer
from docfetch.errors import DocfetchError
from docfetch.types import DownloadItem
from docfetch.types import FileResult
from docfetch.types import Planned
from docfetch.types import ProgressCallback
from docfetch.types import SavedFile

if TYPE_CHECKING:
    from docfetch.core._async.ledger import AsyncLedger

__all__ = ["AsyncDownloadStream", "AsyncRunOptions", "async_download_many", "async_pipeline"]


@attrs.frozen
class _Crash:
    """A stage failed in a way that ends the whole run (a bug, refused credentials...)."""

    error: BaseException


_END = None  # marks the end of a queue's stream
CLAIM_POLL = 0.2
"""Seconds between looks at ids another process is fetching (with a shared archive)."""


@attrs.frozen
class AsyncRunOptions:
    """How one run transfers its files (every option of ``download`` that is not the provider's)."""

    concurrency: int = attrs.field(default=4, converter=check_concurrency)
    overwrite: bool = False
    progress: ProgressCallback | None = None
    policy: RetryPolicy = DOWNLOAD_RETRY
    sleep: Callable[[float], Awaitable[None]] = backend_sleep
    ledger: AsyncLedger | None = None


class _Run:
    """The state one pipeline run shares between its stages."""

    def __init__(
        self, resolver: AsyncResolver, storage: AsyncStorage, dest: Path, options: AsyncRunOptions
    ) -> None:
        concurrency, ledger = options.concurrency, options.ledger
        self.resolver = resolver
        self.ledger = ledger
        self.storage = storage
        self.dest = dest
        self.concurrency = concurrency
        self.planners = resolver.planners or concurrency
        self.overwrite = options.overwrite
        self.progress = options.progress
        self.policy = options.policy
        self.sleep = options.sleep
        self.batches: Queue[list[tuple[int, str]] | None] = Queue(self.planners)
        self.items: Queue[tuple[Order, Planned] | None] = Queue(max(concurrency, resolver.batch_size))
        self.placing: Queue[tuple[Order, Planned, Future[None], SavedFile] | None] = Queue(concurrency)
        self.results: Queue[tuple[Order, FileResult] | _Crash | None] = Queue()
        self.committer = Committer()
        # Files handed to the committer whose results are not reported yet (a stopped run reports those
        # it placed afterwards, in ``unreported``).
        self.handed: dict[Order, tuple[Planned, Future[None], SavedFile]] = {}
        self.names = NameRegistry(ledger.taken(dest) if ledger is not None else None)
        self.active: set[Transfer] = set()
        self.unreported: list[tuple[Order, Planned | None, FileResult]] = []  # final when the run was stopped
        self.emitted = itertools.count()
        self.lock = Lock()
        self.dest_ready = False
        self.planning = self.planners
        self.transferring = concurrency

    # --- stages --------------------------------------------------------------------------------

    async def feed(self, ids: Iterable[str]) -> None:
        """Distinct, checked ids in batches; an id that fails its check is its own result. With an
        archive, an id saved before is skipped, and one another process works on waits for it."""
        seen: set[str] = set()
        batch: list[tuple[int, str]] = []
        waiting: list[tuple[int, str]] = []
        for seq, raw in enumerate(ids):
            try:
                checked = self.resolver.check(raw)
            except DocfetchError as exc:
                self.results.put_nowait(((seq, 0), FileResult(str(raw), error=exc)))
                continue
            key = self.resolver.key(checked)
            if key in seen:
                continue
            seen.add(key)
            if await self._take(seq, checked, waiting):
                batch.append((seq, checked))
            if len(batch) >= self.resolver.batch_size:
                await self.batches.put(batch)
                batch = []
        while waiting:  # ids other processes were working on: theirs once saved, else ours
            if batch:
                await self.batches.put(batch)
                batch = []
            await backend_sleep(CLAIM_POLL)
            for seq, checked in waiting.copy():
                waiting.remove((seq, checked))
                if await self._take(seq, checked, waiting):
                    await self.batches.put([(seq, checked)])
        if batch:
            await self.batches.put(batch)
        for _ in range(self.planners):
            await self.batches.put(_END)

    async def _take(self, seq: int, checked: str, waiting: list[tuple[int, str]]) -> bool:
        """Whether this run fetches ``checked`` (always, without an archive)."""
        if self.ledger is None:
            return True
        done = await self.ledger.already_saved(checked)
        if done is not None:
            for number, result in enumerate(done):
                self.results.put_nowait(((seq, number), result))
            return False
        if await self.ledger.claim(checked):
            return True
        waiting.append((seq, checked))
        return False

    async def plan(self) -> None:
        while (batch := await self.batches.get()) is not _END:
            seqs = {given: seq for seq, given in batch}
            async for entry in self.resolver.resolve([given for _, given in batch]):
                owner = entry.owner if isinstance(entry, Planned) else entry.id
                order = (seqs.get(owner, batch[0][0]), next(self.emitted))
                if self.ledger is not None:
                    await self.ledger.due(owner, entry.key if isinstance(entry, Planned) else None)
                    if isinstance(entry, Planned) and (found := await self.ledger.file_saved(entry)):
                        entry = found  # saved by an earlier run: not fetched again
                if isinstance(entry, Planned):
                    await self.items.put((order, self._named(entry)))
                else:
                    await self._report(order, owner, entry)
            if self.ledger is not None:
                await self.ledger.planned(list(seqs))
        async with self.lock:
            self.planning -= 1
            last = self.planning == 0
        if last:
            for _ in range(self.concurrency):
                await self.items.put(_END)

    async def transfer(self) -> None:
        while (found := await self.items.get()) is not _END:
            order, planned = found
            outcome = await self._one(planned)
            if isinstance(outcome, FileResult):
                await self._finish(order, planned, outcome)
            else:
                self.handed[order] = (planned, *outcome)
                await self.placing.put((order, planned, *outcome))
        async with self.lock:
            self.transferring -= 1
            last = self.transferring == 0
        if last:
            await self.placing.put(_END)

    async def finish(self) -> None:
        """Report each file the committer placed, in the order they were handed to it."""
        while (found := await self.placing.get()) is not _END:
            order, planned, placed, saved = found
            try:
                await wait_for(placed)
            except Exception as exc:
                result = FileResult(planned.owner, error=as_docfetch_error(exc))
            else:
                result = attrs.evolve(FileResult.saved(planned.owner, saved), warning=planned.warning)
            await self._finish(order, planned, result)
            del self.handed[order]  # no await since the result was queued: it is in one place only
        self.results.put_nowait(_END)

    async def _finish(self, order: Order, planned: Planned, result: FileResult) -> None:
        result = await self.resolver.settle(planned, result)
        if self.ledger is not None:
            await self.ledger.saved(planned, result)  # durable before it is reported
        await self._report(order, planned.owner, result)

    def _named(self, planned: Planned) -> Planned:
        """A given name made unique in the batch now, in planning order (names that come from the
        server's answer, or need its extension, are made unique when the transfer meets them)."""
        item = planned.item
        if not _complete(item.name):
            return planned
        unique = self.names.reserve(first_name([item.name], fallback=item.id))
        if unique == item.name:
            return planned
        return attrs.evolve(planned, item=attrs.evolve(item, name=unique))

    async def _report(self, order: Order, owner: str, result: FileResult) -> None:
        if self.ledger is not None:
            await self.ledger.came(owner, result)
        self.results.put_nowait((order, result))

    async def _one(self, planned: Planned) -> FileResult | tuple[Future[None], SavedFile]:
        """A failure's result, or the file handed to the committer (and what it will be)."""
        item = planned.item
        try:
            if not self.dest_ready:  # made when a file needs it: a run that saves nothing leaves no trace
                prepare_dir(self.dest)
                self.dest_ready = True
            resumable = self.ledger.resumable(planned) if self.ledger is not None else None
            make = functools.partial(
                Transfer,
                dest_dir=self.dest,
                name=item.name,
                fallback_name=item.id,
                file_id=item.id,
                expected_size=item.expected_size,
                checksum=item.checksum,
                overwrite=self.overwrite or (self.ledger is not None and self.ledger.may_replace(planned)),
                progress=self.progress,
                policy=self.policy,
                names=None if _complete(item.name) else self.names,  # complete names: reserved when planned
                verify=item.verify,
                resumable=resumable,
            )
            # Continuing a killed run's part file hashes its bytes again: off the event loop.
            resuming = resumable is not None and resumable.previous is not None
            transfer = await run_blocking(make) if resuming else make()
        except DocfetchError as exc:
            return FileResult(planned.owner, error=exc)
        self.active.add(transfer)
        try:
            await async_fetch(self.storage, _source(item), transfer, self.sleep)
            part, saved = transfer.hand_over()
        except Exception as exc:
            return FileResult(planned.owner, error=as_docfetch_error(exc))
        finally:
            self.active.discard(transfer)
        try:
            return self.committer.submit(part, saved.path, transfer.overwrite), saved
        except DocfetchError as exc:
            return FileResult(planned.owner, error=exc)

    async def guarded(self, stage: Callable[[], Awaitable[None]]) -> None:
        """Run a stage; an exception it lets out ends the run, reported to the caller."""
        try:
            await stage()
        except Exception as exc:
            self.results.put_nowait(_Crash(exc))

    async def abandon(self) -> None:
        """After the run (stopped early or not): remove the part files of transfers that did not stop
        in time, and of files not yet being placed; wait for the committer's group in hand; keep the
        results that were final but not delivered (recorded in the archive, if any)."""
        for transfer in list(self.active):
            transfer.discard()
        await run_blocking(self.committer.close, abandon=True)
        for order, (planned, placed, saved) in self.handed.items():  # placed while the run was stopping
            if placed.done() and not placed.cancelled() and placed.exception() is None:
                result = attrs.evolve(FileResult.saved(planned.owner, saved), warning=planned.warning)
                self.unreported.append((order, planned, result))
        while (found := self.results.get_nowait()) is not None:
            if not isinstance(found, _Crash):
                self.unreported.append((found[0], None, found[1]))
        if self.ledger is not None:
            self.ledger.record_late([(planned, result) for _, planned, result in self.unreported if planned])


def _complete(name: str | None) -> bool:
    """A given name that is final as given (one without a known extension takes the response's)."""
    return name is not None and known_extension(name) is not None


def _source(item: DownloadItem) -> AsyncSource:
    # An item made for the other flavour (a sync opener in an async run) fails when it is used.
    if item.open is not None:
        return AsyncSource(opener=cast(AsyncOpener, item.open))
    return AsyncSource(cast(AsyncUrlSource, item.url), headers=item.headers)


async def async_pipeline(
    ids: Iterable[str],
    resolver: AsyncResolver,
    dest_dir: str | os.PathLike[str],
    *,
    storage: AsyncStorage,
    options: AsyncRunOptions,
    unreported: list[FileResult] | None = None,
) -> AsyncIterator[tuple[Order, FileResult]]:
    """Run the pipeline; yield each result with its order key as soon as it is final. When the run is
    stopped early, results that were final but not yielded are appended to ``unreported``."""
    run = _Run(resolver, storage, Path(dest_dir), options)
    ledger = options.ledger
    try:
        async with TaskGroup() as group:
            group.start(run.guarded, lambda: run.feed(ids))
            for _ in range(run.planners):
                group.start(run.guarded, run.plan)
            for _ in range(run.concurrency):
                group.start(run.guarded, run.transfer)
            group.start(run.guarded, run.finish)
            try:
                while (found := await run.results.get()) is not _END:
                    if isinstance(found, _Crash):
                        raise found.error
                    logs.result(found[1])
                    yield found
            except BaseException:  # stopped early (closed, cancelled, Ctrl-C, a crash): from now on
                run.committer.stop()  # no further file is placed (those placed are in ``unreported``)
                raise
    finally:
        await run.abandon()
        if unreported is not None:
            unreported.extend(result for _, _, result in sorted(run.unreported, key=lambda found: found[0]))
        if ledger is not None:
            ledger.archive.close()


class AsyncDownloadStream:
    """The results of a download as they become final: ``async for result in stream``.

    Use it as a context manager (or call :meth:`aclose`) to stop early: every stage stops and no
    part file is left. :meth:`collect` gives every result, in the order of the ids.
    """

    def __init__(
        self, results: AsyncIterator[tuple[Order, FileResult]], unreported: list[FileResult] | None = None
    ) -> None:
        self._results = results
        self.unreported: list[FileResult] = unreported if unreported is not None else []
        """After the stream was stopped early (closed, cancelled, Ctrl-C): results that were final
        (files in place) but not yielded yet."""

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> FileResult:
        try:
            _, result = await anext(self._results)
        except BaseException:
            await self.aclose()
            raise
        return result

    async def collect(self) -> list[FileResult]:
        """Every result (the run to its end), in the order of the ids given."""
        try:
            ordered = [found async for found in self._results]
        finally:
            await self.aclose()
        return [result for _, result in sorted(ordered, key=lambda found: found[0])]

    async def aclose(self) -> None:
        await self._results.aclose()  # type: ignore[attr-defined]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


async def async_download_many(
    items: Sequence[DownloadItem],
    dest_dir: str | os.PathLike[str],
    *,
    client: httpx.AsyncClient | None = None,
    concurrency: int = 4,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    policy: RetryPolicy = DOWNLOAD_RETRY,
    sleep: Callable[[float], Awaitable[None]] = backend_sleep,
) -> list[FileResult]:
    """Download ``items`` with at most ``concurrency`` at once; one :class:`FileResult` per item, in
    item order. A failure never stops or loses the others. Cancelling (Ctrl-C) stops every file and
    removes their part files."""
    check_concurrency(concurrency)
    if client is not None:
        storage = AsyncStorage.through(client)
    else:
        limits = httpx.Limits(max_connections=max(concurrency, 4))
        storage = AsyncStorage.own(DEFAULT_TIMEOUT, OnDemandTrust(), limits=limits)
    try:
        options = AsyncRunOptions(concurrency, overwrite, progress, policy, sleep)
        indexes = [str(index) for index in range(len(items))]
        results = async_pipeline(indexes, ItemsResolver(items), dest_dir, storage=storage, options=options)
        return await AsyncDownloadStream(results).collect()
    finally:
        await storage.aclose()
