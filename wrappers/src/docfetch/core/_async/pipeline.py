"""One streaming download pipeline for every provider.

A provider contributes a resolver (:class:`~docfetch.core._async.resolver.AsyncResolver`): how ids are checked, which repeat,
and how a batch of ids becomes download items or per-id results (signing links, looking up records,
waiting for jobs). The pipeline runs three stages at once, joined by bounded queues::

    ids --feed--> batches --plan (P at once)--> items --transfer (N at once)--> results --> caller

* The first transfer starts as soon as the first item is planned, whatever the number of ids.
* Planning never runs far ahead: the item queue holds ``max(N, batch size)`` items, so a planner
  waits (holding at most one batch of fresh links) until transfers take them. Links are therefore
  used seconds after they were issued, and memory is bounded by N, P and the queue sizes.
* Jobs are watched P at a time (the resolver waits for one job per batch); a job's files go to the
  transfers as soon as that job is done, while the others still run.
* Results come out as soon as they are final, each with an order key (the position of its id in
  the input) so :meth:`AsyncDownloadStream.collect` can give them back in input order.
* Closing the stream (or cancelling, Ctrl-C) stops every stage and removes every part file.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self, cast

import attrs
import httpx

from docfetch.core import logs
from docfetch.core._async.engine import (
    AsyncOpener,
    AsyncSource,
    AsyncUrlSource,
    async_run_transfer,
    prepare_dir,
)
from docfetch.core._async.resolver import AsyncResolver, ItemsResolver
from docfetch.core._backends.aio import Lock, Queue, TaskGroup
from docfetch.core._backends.aio import sleep as backend_sleep
from docfetch.core.plan import Order, as_docfetch_error, check_concurrency
from docfetch.core.retry import DOWNLOAD_RETRY, RetryPolicy
from docfetch.core.transfer import NameRegistry, Transfer
from docfetch.errors import DocfetchError
from docfetch.types import DownloadItem, FileResult, Planned, ProgressCallback

__all__ = ["AsyncDownloadStream", "async_download_many", "async_pipeline"]


@attrs.frozen
class _Crash:
    """A stage failed in a way that ends the whole run (a bug, refused credentials...)."""

    error: BaseException


_END = None  # marks the end of a queue's stream


class _Run:
    """The state one pipeline run shares between its stages."""

    def __init__(
        self,
        resolver: AsyncResolver,
        client: httpx.AsyncClient,
        dest: Path,
        *,
        concurrency: int,
        overwrite: bool,
        progress: ProgressCallback | None,
        policy: RetryPolicy,
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self.resolver = resolver
        self.client = client
        self.dest = dest
        self.concurrency = concurrency
        self.planners = resolver.planners or concurrency
        self.overwrite = overwrite
        self.progress = progress
        self.policy = policy
        self.sleep = sleep
        self.batches: Queue[list[tuple[int, str]] | None] = Queue(self.planners)
        self.items: Queue[tuple[Order, Planned] | None] = Queue(max(concurrency, resolver.batch_size))
        self.results: Queue[tuple[Order, FileResult] | _Crash | None] = Queue()
        self.names = NameRegistry()
        self.active: set[Transfer] = set()
        self.emitted = itertools.count()
        self.lock = Lock()
        self.dest_ready = False
        self.planning = self.planners
        self.transferring = concurrency

    # --- stages --------------------------------------------------------------------------------

    async def feed(self, ids: Iterable[str]) -> None:
        """Distinct, checked ids in batches; an id that fails its check is its own result."""
        seen: set[str] = set()
        batch: list[tuple[int, str]] = []
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
            batch.append((seq, checked))
            if len(batch) >= self.resolver.batch_size:
                await self.batches.put(batch)
                batch = []
        if batch:
            await self.batches.put(batch)
        for _ in range(self.planners):
            await self.batches.put(_END)

    async def plan(self) -> None:
        while (batch := await self.batches.get()) is not _END:
            seqs = {given: seq for seq, given in batch}
            async for entry in self.resolver.resolve([given for _, given in batch]):
                owner = entry.owner if isinstance(entry, Planned) else entry.id
                order = (seqs.get(owner, batch[0][0]), next(self.emitted))
                if isinstance(entry, Planned):
                    await self.items.put((order, entry))
                else:
                    self.results.put_nowait((order, entry))
        async with self.lock:
            self.planning -= 1
            last = self.planning == 0
        if last:
            for _ in range(self.concurrency):
                await self.items.put(_END)

    async def transfer(self) -> None:
        while (found := await self.items.get()) is not _END:
            order, planned = found
            result = await self._one(planned)
            self.results.put_nowait((order, await self.resolver.settle(planned, result)))
        async with self.lock:
            self.transferring -= 1
            last = self.transferring == 0
        if last:
            self.results.put_nowait(_END)

    async def _one(self, planned: Planned) -> FileResult:
        item = planned.item
        try:
            if (
                not self.dest_ready
            ):  # made when the first file needs it: a run that saves nothing leaves no trace
                prepare_dir(self.dest)
                self.dest_ready = True
            transfer = Transfer(
                dest_dir=self.dest,
                name=item.name,
                fallback_name=item.id,
                file_id=item.id,
                expected_size=item.expected_size,
                checksum=item.checksum,
                overwrite=self.overwrite,
                progress=self.progress,
                policy=self.policy,
                names=self.names,
                verify=item.verify,
            )
        except DocfetchError as exc:
            return FileResult(planned.owner, error=exc)
        self.active.add(transfer)
        try:
            saved = await async_run_transfer(self.client, _source(item), transfer, self.sleep)
        except Exception as exc:
            return FileResult(planned.owner, error=as_docfetch_error(exc))
        finally:
            self.active.discard(transfer)
        return attrs.evolve(FileResult.saved(planned.owner, saved), warning=planned.warning)

    async def guarded(self, stage: Callable[[], Awaitable[None]]) -> None:
        """Run a stage; an exception it lets out ends the run, reported to the caller."""
        try:
            await stage()
        except Exception as exc:
            self.results.put_nowait(_Crash(exc))

    def abandon(self) -> None:
        """After a cancelled run: remove the part files of transfers that did not stop in time."""
        for transfer in list(self.active):
            transfer.discard()


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
    client: httpx.AsyncClient,
    concurrency: int = 4,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    policy: RetryPolicy = DOWNLOAD_RETRY,
    sleep: Callable[[float], Awaitable[None]] = backend_sleep,
) -> AsyncIterator[tuple[Order, FileResult]]:
    """Run the pipeline; yield each result with its order key as soon as it is final."""
    check_concurrency(concurrency)
    run = _Run(
        resolver,
        client,
        Path(dest_dir),
        concurrency=concurrency,
        overwrite=overwrite,
        progress=progress,
        policy=policy,
        sleep=sleep,
    )
    try:
        async with TaskGroup() as group:
            group.start(run.guarded, lambda: run.feed(ids))
            for _ in range(run.planners):
                group.start(run.guarded, run.plan)
            for _ in range(concurrency):
                group.start(run.guarded, run.transfer)
            while (found := await run.results.get()) is not _END:
                if isinstance(found, _Crash):
                    raise found.error
                logs.result(found[1])
                yield found
    finally:
        run.abandon()


class AsyncDownloadStream:
    """The results of a download as they become final: ``async for result in stream``.

    Use it as a context manager (or call :meth:`aclose`) to stop early: every stage stops and no
    part file is left. :meth:`collect` gives every result, in the order of the ids.
    """

    def __init__(self, results: AsyncIterator[tuple[Order, FileResult]]) -> None:
        self._results = results

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
    from docfetch.core._async.storage import async_storage_client

    check_concurrency(concurrency)
    own = client is None
    http = client or async_storage_client(limits=httpx.Limits(max_connections=max(concurrency, 4)))
    try:
        results = async_pipeline(
            [str(index) for index in range(len(items))],
            ItemsResolver(items),
            dest_dir,
            client=http,
            concurrency=concurrency,
            overwrite=overwrite,
            progress=progress,
            policy=policy,
            sleep=sleep,
        )
        return await AsyncDownloadStream(results).collect()
    finally:
        if own:
            await http.aclose()
