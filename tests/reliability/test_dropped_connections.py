"""Dropped connections: downloads cut at seeded random offsets end byte-identical (resumed with Range) or
with a typed error, and never leave a partial file at the destination.

Offsets come from ``random.Random("drops:<provider>:<variant>")`` and are written to the ledger, so a
failing run can be replayed exactly. 5 providers x (6 sync + 6 async) storage drops, plus API-streamed
drops where the emulator injects them (telnyx ``method="direct"``): at least 60 dropped downloads.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from docfetch import FileResult
from docfetch.emulators import RunningEmulator
from docfetch.errors import DownloadError
from docfetch.errors import TransportError
from rel_emulators import SharedEmulators
from rel_kits import FILE_SIZE
from rel_kits import KITS
from rel_kits import Kit
from rel_kits import assert_clean
from rel_kits import check_saved
from rel_kits import download
from rel_ledger import Ledger

pytestmark = pytest.mark.reliability("drops")

FILES_PER_RUN = 6


def seeded_offsets(label: str, count: int) -> list[int]:
    """Where each drop cuts the body: anywhere from the first byte to the last (seeded, reproducible)."""
    rng = random.Random(label)
    return [rng.randrange(0, FILE_SIZE) for _ in range(count)]


def run_with_drops(
    kit: Kit,
    emu: RunningEmulator,
    dest: Path,
    ledger: Ledger,
    *,
    variant: str,
    asynchronous: bool,
    options: dict[str, Any],
) -> None:
    ids = kit.fresh(emu, FILES_PER_RUN)
    label = f"drops:{kit.name}:{variant}"
    offsets = seeded_offsets(label, len(ids))
    for offset in offsets:
        emu.faults.drop_next(1, after_bytes=offset)
    ranges_before = sum("range" in r.headers for r in emu.storage.requests)

    results = download(kit, emu, ids, dest, asynchronous=asynchronous, concurrency=3, **options)

    consumed = len(offsets) - emu.faults.pending()["transfer"]
    assert consumed == len(offsets), "every injected drop must have hit a download"
    ledger.note("drops", f"{kit.name} {variant}: seed {label!r}, offsets {offsets}")
    ledger.faults("drops", consumed)
    for result in results:
        if result.error is None:
            check_saved(kit, emu, result, dest)
            ledger.run("drops", "byte-identical")
        else:  # allowed by the promise, but must be typed and leave nothing behind
            assert isinstance(result.error, TransportError | DownloadError), repr(result.error)
            ledger.run("drops", f"typed error: {type(result.error).__name__}")
    assert_clean(dest, results)
    # A single drop per file is always recoverable: the engine resumes instead of giving up.
    assert all(result.ok for result in results), [r.error for r in results if r.error]
    assert len(results) == len(ids)
    if options.get("method") != "direct":
        resumed = sum("range" in r.headers for r in emu.storage.requests) - ranges_before
        assert resumed >= sum(1 for offset in offsets if offset > 0), "drops after some bytes are resumed"


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_drops_at_random_offsets_end_byte_identical(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger, asynchronous: bool
) -> None:
    variant = "async" if asynchronous else "sync"
    run_with_drops(
        kit, emu, dest, ledger, variant=variant, asynchronous=asynchronous, options=dict(kit.via_storage)
    )


@pytest.mark.kits("telnyx")  # the emulators that inject drops into API-streamed bodies
def test_drops_while_streaming_from_the_api(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    assert kit.api_stream is not None
    run_with_drops(
        kit, emu, dest, ledger, variant="api-stream", asynchronous=False, options=dict(kit.api_stream)
    )


def test_drops_without_progress_end_in_a_typed_error(
    shared_emulators: SharedEmulators, tmp_path: Path, ledger: Ledger
) -> None:
    """A connection that keeps dropping before the first byte exhausts the download retries (about 3 s
    of backoff): a TransportError and nothing at the destination, not even an empty file. The five
    providers run side by side so the backoff is paid once."""
    kits = list(KITS.values())
    running = {kit.name: shared_emulators.get(kit) for kit in kits}

    def exhaust(kit: Kit) -> tuple[FileResult, int, Path]:
        emu, dest = running[kit.name], tmp_path / kit.name / "out"
        [item] = kit.fresh(emu, 1)
        emu.faults.drop_next(20, after_bytes=0)
        try:
            [result] = download(kit, emu, [item], dest, **kit.via_storage)
            return result, 20 - emu.faults.pending()["transfer"], dest
        finally:
            emu.faults.reset()

    with ThreadPoolExecutor(max_workers=len(kits)) as pool:
        outcomes = dict(zip([k.name for k in kits], pool.map(exhaust, kits), strict=True))

    for name, (result, consumed, dest) in outcomes.items():
        ledger.faults("drops", consumed)
        assert isinstance(result.error, TransportError), f"{name}: {result.error!r}"
        ledger.run("drops", f"typed error: {type(result.error).__name__}")
        assert 2 <= consumed < 20, f"{name}: retries are bounded ({consumed} attempts)"
        assert_clean(dest, [result])
