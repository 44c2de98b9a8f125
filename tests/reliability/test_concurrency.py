"""Concurrency: many threads or tasks sharing one client (and, for Index Health, one token). A single
token exchange serves them all, even when the token expires mid-run (one refresh, not one per request);
concurrent downloads into one directory never lose, duplicate or interleave a file.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from docfetch import FileResult
from docfetch.emulators import RunningEmulator
from docfetch.errors import DestinationExistsError
from docfetch.testing import FakeClock
from rel_emulators import StartEmulator
from rel_kits import Kit
from rel_kits import assert_clean
from rel_kits import check_saved
from rel_ledger import Ledger

pytestmark = pytest.mark.reliability("concurrency")

WORKERS = 16


def one_each(client: Any, items: list[str], dest: Path) -> list[FileResult]:
    """Every item downloaded by its own thread through the one shared client."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        batches = list(pool.map(lambda item: client.download([item], dest), items))
    return [result for batch in batches for result in batch]


async def one_each_async(client: Any, items: list[str], dest: Path) -> list[FileResult]:
    batches = await asyncio.gather(*(client.download([item], dest) for item in items))
    return [result for batch in batches for result in batch]


def test_threads_sharing_one_client_save_every_file_once(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    items = kit.fresh(emu, 2 * WORKERS)
    with kit.client(emu) as client:
        results = one_each(client, items, dest)
    for result in results:
        check_saved(kit, emu, result, dest)
    assert len({r.path for r in results}) == len(results) >= len(items)
    assert_clean(dest, results)
    ledger.run("concurrency", f"{len(items)} threads, one client: every file once", faults=0)


def test_tasks_sharing_one_async_client_save_every_file_once(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    items = kit.fresh(emu, 2 * WORKERS)

    async def run() -> list[FileResult]:
        async with kit.client(emu, asynchronous=True) as client:
            return await one_each_async(client, items, dest)

    results = asyncio.run(run())
    for result in results:
        check_saved(kit, emu, result, dest)
    assert len({r.path for r in results}) == len(results) >= len(items)
    assert_clean(dest, results)
    ledger.run("concurrency", f"{len(items)} tasks, one async client: every file once")


def test_racing_downloads_of_one_file_keep_exactly_one_copy(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    """Eight threads save the same item into the same directory at once (no overwrite): one wins, the
    others are told the file exists; no part file survives and the winner's bytes are intact."""
    [item] = kit.fresh(emu, 1)
    with kit.client(emu) as client:
        results = one_each(client, [item] * 8, dest)
    won = [r for r in results if r.error is None]
    lost = [r for r in results if r.error is not None]
    per_file = len(kit.contents(emu, item))
    assert len(won) == per_file, [r.error for r in results]
    assert all(isinstance(r.error, DestinationExistsError) for r in lost), [r.error for r in lost]
    for result in won:
        check_saved(kit, emu, result, dest)
    assert_clean(dest, won)
    ledger.run("concurrency", "8 racing downloads of one file: one copy, 7 typed refusals")


@pytest.mark.kits("indexhealth")
def test_one_token_exchange_for_many_threads(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    items = kit.fresh(emu, 2 * WORKERS)
    before = emu.state.token_exchanges
    with kit.client(emu) as client:
        results = one_each(client, items, dest)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            links = [link for found in pool.map(lambda item: client.links([item]), items) for link in found]
    assert all(r.error is None for r in results) and len(links) == len(items)
    assert emu.state.token_exchanges - before == 1, "one exchange shared by every thread"
    ledger.run("concurrency", f"{2 * len(items)} threaded calls: 1 token exchange")


@pytest.mark.kits("indexhealth")
def test_one_token_exchange_for_many_tasks(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    items = kit.fresh(emu, 3 * WORKERS)
    before = emu.state.token_exchanges

    async def run() -> tuple[list[FileResult], int]:
        async with kit.client(emu, asynchronous=True) as client:
            results = await one_each_async(client, items, dest)
            links = await asyncio.gather(*(client.links([item]) for item in items))
            return results, sum(len(found) for found in links)

    results, links = asyncio.run(run())
    assert all(r.error is None for r in results) and links == len(items)
    assert emu.state.token_exchanges - before == 1, "one exchange shared by every task"
    ledger.run("concurrency", f"{2 * len(items)} concurrent tasks: 1 token exchange")


@pytest.mark.kits("indexhealth")
def test_a_token_expiring_mid_run_is_refreshed_once(
    kit: Kit, start_emulator: StartEmulator, clock: FakeClock, dest: Path, ledger: Ledger
) -> None:
    """The server's clock jumps past the token's lifetime while the client still trusts it: the first
    requests are refused (403); all of them wait for one fresh token."""
    emu = start_emulator(clock=clock, token_ttl=600.0)
    first, second = kit.fresh(emu, WORKERS), kit.fresh(emu, WORKERS)

    async def run() -> tuple[list[FileResult], list[FileResult]]:
        async with kit.client(emu, asynchronous=True) as client:
            before = await one_each_async(client, first, dest)
            clock.advance(3600.0)  # the server now refuses the cached token
            after = await one_each_async(client, second, dest)
            return before, after

    before, after = asyncio.run(run())
    assert all(r.error is None for r in before + after), [r.error for r in before + after if r.error]
    assert emu.state.token_exchanges == 2, "one exchange, then exactly one refresh for all the tasks"
    for result in before + after:
        check_saved(kit, emu, result, dest)
    ledger.run("concurrency", f"token expired under {WORKERS} tasks: 1 refresh", faults=1)
