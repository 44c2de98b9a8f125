"""Signed links renewed just in time, over real sockets: a link that expires within its margin is
renewed before it is used (its stale URL is never requested) and the renewal is logged; a link with
time left is used as signed. Renewals gathered into batches: a key asked for while a sent batch
holds it waits for that batch instead of making another request."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from core_storage_server import StorageServer
from docfetch import DownloadItem
from docfetch import async_download_many
from docfetch import download_many
from docfetch.core._async.links import AsyncBatcher
from docfetch.core._async.links import AsyncSignedLink
from docfetch.core._sync.links import LINK_MARGIN
from docfetch.core._sync.links import Batcher
from docfetch.core._sync.links import SignedLink

DATA = b"%PDF-1.7 signed " * 4096
LIFETIME = 60.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def expiring_in(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("aged", "renewed"),
    [(LIFETIME - LINK_MARGIN - 1.0, False), (LIFETIME - LINK_MARGIN + 1.0, True)],
)
def test_a_link_inside_its_margin_is_renewed_before_use(
    storage: StorageServer, tmp_path: Path, caplog: pytest.LogCaptureFixture, aged: float, renewed: bool
) -> None:
    signed = storage.put("signed.pdf", DATA)
    fresh = storage.put("fresh.pdf", DATA)
    clock = FakeClock()
    renewals: list[str] = []

    def renew() -> tuple[str, datetime]:
        renewals.append("renewed")
        return fresh, expiring_in(LIFETIME)

    link = SignedLink(signed, expiring_in(LIFETIME), renew, clock=clock, label="passport")
    clock.now += aged  # the link waited in the queue
    with caplog.at_level(logging.INFO, logger="docfetch.links"):
        (result,) = download_many([DownloadItem("passport", url=link, name="passport.pdf")], tmp_path)

    assert result.ok and result.path is not None and result.path.read_bytes() == DATA
    assert [seen.path for seen in storage.seen] == (["/o/fresh.pdf"] if renewed else ["/o/signed.pdf"])
    assert renewals == (["renewed"] if renewed else [])
    logged = [r.getMessage() for r in caplog.records if r.name == "docfetch.links"]
    assert logged == (
        [f"renewing the signed link of passport before use: it expires in {LIFETIME - aged:.1f} s"]
        if renewed
        else []
    )


def test_a_short_lived_link_has_a_tenth_of_its_lifetime_as_margin() -> None:
    clock = FakeClock()
    renewals: list[str] = []

    def renew() -> tuple[str, datetime]:
        renewals.append("renewed")
        return "https://storage.example/fresh", expiring_in(10.0)

    link = SignedLink("https://storage.example/signed", expiring_in(10.0), renew, clock=clock)
    clock.now += 8.5  # 1.5 s left: more than a tenth of 10 s, though less than LINK_MARGIN
    assert link() == "https://storage.example/signed"
    assert renewals == []


@pytest.mark.anyio
async def test_async_links_are_renewed_before_use_too(storage: StorageServer, tmp_path: Path) -> None:
    signed = storage.put("signed.pdf", DATA)
    fresh = storage.put("fresh.pdf", DATA)
    clock = FakeClock()

    async def renew() -> tuple[str, datetime]:
        return fresh, expiring_in(LIFETIME)

    link = AsyncSignedLink(signed, expiring_in(LIFETIME), renew, clock=clock)
    clock.now += LIFETIME - 1.0
    (result,) = await async_download_many([DownloadItem("x", url=link, name="x.pdf")], tmp_path)
    assert result.ok and result.path is not None and result.path.read_bytes() == DATA
    assert [seen.path for seen in storage.seen] == ["/o/fresh.pdf"]


# --- renewals in batches -------------------------------------------------------------------------

WAIT = 5.0  # bound on every wait below; none takes it unless the behaviour is broken


def everyone(_: list[str]) -> list[str]:
    return ["a", "b", "c"]  # the companions: every link signed with the first


class HeldFetch:
    """A signing request that waits (as for the rate limit) until released; records every batch."""

    def __init__(self, failure: Exception | None = None) -> None:
        self.calls: list[list[str]] = []
        self.sent, self.release = threading.Event(), threading.Event()
        self._failure = failure

    def __call__(self, keys: Sequence[str]) -> dict[str, str | BaseException]:
        self.calls.append(list(keys))
        self.sent.set()
        self.release.wait(WAIT)
        if self._failure is not None:
            raise self._failure
        return {key: key.upper() for key in keys}


def ask_twice(batcher: Batcher[str, str], fetch: HeldFetch, pool: ThreadPoolExecutor) -> list[Future[str]]:
    """ "a", then "b" while the request for "a" is on its way; then the request is released."""
    first = pool.submit(batcher.get, "a")
    assert fetch.sent.wait(WAIT)
    second = pool.submit(batcher.get, "b")  # refused meanwhile: "b" is in the sent batch
    threading.Event().wait(0.2)  # far more than the linger: a batch of its own would be sent by now
    fetch.release.set()
    return [first, second]


def test_a_key_held_by_a_sent_batch_waits_for_its_answer_instead_of_a_new_request() -> None:
    fetch = HeldFetch()
    batcher: Batcher[str, str] = Batcher(fetch, max_batch=25, linger=0.01, companions=everyone)
    with ThreadPoolExecutor(2) as pool:
        first, second = ask_twice(batcher, fetch, pool)
        assert (first.result(WAIT), second.result(WAIT)) == ("A", "B")
    assert fetch.calls == [["a", "b", "c"]]

    assert batcher.get("b") == "B"  # answered batches are gone: a later renewal is a new request
    assert fetch.calls == [["a", "b", "c"], ["b", "a", "c"]]


def test_companions_fill_a_batch_up_to_its_limit_and_a_failure_reaches_every_waiting_key() -> None:
    fetch = HeldFetch(RuntimeError("signing request failed"))
    batcher: Batcher[str, str] = Batcher(fetch, max_batch=2, linger=0.01, companions=everyone)
    with ThreadPoolExecutor(2) as pool:
        for future in ask_twice(batcher, fetch, pool):
            with pytest.raises(RuntimeError, match="signing request failed"):
                future.result(WAIT)
    assert fetch.calls == [["a", "b"]]  # "c" would make three


@pytest.mark.anyio
async def test_async_renewals_share_a_sent_batch_too() -> None:
    calls: list[list[str]] = []
    sent, release = asyncio.Event(), asyncio.Event()

    async def fetch(keys: Sequence[str]) -> dict[str, str | BaseException]:
        calls.append(list(keys))
        sent.set()
        await release.wait()
        return {key: key.upper() for key in keys}

    batcher: AsyncBatcher[str, str] = AsyncBatcher(fetch, max_batch=25, linger=0.01, companions=everyone)
    async with asyncio.timeout(WAIT):
        first = asyncio.create_task(batcher.get("a"))
        await sent.wait()
        second = asyncio.create_task(batcher.get("c"))
        await asyncio.sleep(0.2)
        release.set()
        assert (await first, await second) == ("A", "C")
    assert calls == [["a", "b", "c"]]
