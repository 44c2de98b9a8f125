"""``archive=`` on the clients' download / iter_download, sync and async, over real sockets: what is
recorded and still there is skipped without a request; a missing or changed file is fetched again; a
job whose outputs are all recorded is not polled; without an archive nothing is written anywhere."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from docfetch._registry import PROVIDERS
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.errors import InvalidInputError
from docfetch.testing import EmulatorFactory

pytestmark = pytest.mark.anyio
FAST = RetryPolicy(max_attempts=3, initial_backoff=0.01, max_backoff=0.05)


def make(provider: str, kind: str, emu: RunningEmulator) -> Any:
    import importlib

    facts = PROVIDERS[provider]
    module = importlib.import_module(facts.module)
    cls = getattr(module, facts.client_class if kind == "sync" else "Async" + facts.client_class)
    info = emu.info()
    return cls(base_url=emu.base_url, retry=FAST, **{key: info[key] for key in facts.credentials})


async def download(kind: str, client: Any, ids: list[str], dest: Path, **options: Any) -> list[Any]:
    if kind == "sync":
        with client:
            result: list[Any] = client.download(ids, dest, **options)
            return result
    async with client:
        return list(await client.download(ids, dest, **options))


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("provider", list(PROVIDERS))
async def test_a_second_run_skips_every_saved_file_without_a_request(
    provider: str, kind: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator(provider)
    archive = tmp_path / "archive.db"
    first = await download(kind, make(provider, kind, emu), emu.ids, tmp_path / "out", archive=archive)
    assert first and all(r.status == "saved" for r in first), [r.error for r in first]
    api, storage = len(emu.api_requests), len(emu.storage.requests)

    second = await download(kind, make(provider, kind, emu), emu.ids, tmp_path / "out", archive=archive)

    # In the order of the ids; a job's files in the order they were saved (their transfers race).
    assert sorted((r.id, str(r.path), r.bytes, r.sha256) for r in second) == sorted(
        (r.id, str(r.path), r.bytes, r.sha256) for r in first
    )
    assert [r.id for r in second] == [r.id for r in first]
    assert all(r.status == "skipped" and r.ok for r in second)
    assert (len(emu.api_requests), len(emu.storage.requests)) == (api, storage)  # not one request


async def test_a_missing_or_changed_file_is_fetched_again(emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator("telnyx")
    archive, out = tmp_path / "archive.db", tmp_path / "out"
    first = await download("sync", make("telnyx", "sync", emu), emu.ids, out, archive=archive)
    gone, changed = first[0].path, first[1].path
    gone.unlink()
    changed.write_bytes(b"x" * first[1].bytes)  # same size, other bytes: only --verify-existing notices

    second = await download("sync", make("telnyx", "sync", emu), emu.ids, out, archive=archive)
    assert [r.status for r in second] == ["saved", "skipped"]
    assert gone.read_bytes() and changed.read_bytes() == b"x" * first[1].bytes

    third = await download(
        "sync", make("telnyx", "sync", emu), emu.ids, out, archive=archive, verify_existing=True
    )  # the changed file is the archive's own: fetched again over itself, no overwrite needed
    assert [r.status for r in third] == ["skipped", "saved"]
    assert third[1].sha256 == first[1].sha256 and changed.stat().st_size == first[1].bytes


async def test_a_job_whose_outputs_are_recorded_is_not_polled(
    emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("sarvam")
    archive = tmp_path / "archive.db"
    await download("async", make("sarvam", "async", emu), emu.ids[:1], tmp_path, archive=archive)
    before = len(emu.api_requests)
    again = await download("async", make("sarvam", "async", emu), emu.ids[:1], tmp_path, archive=archive)
    assert [r.status for r in again] == ["skipped"]
    assert len(emu.api_requests) == before


def test_the_archive_records_provider_id_key_path_bytes_sha256_and_when(
    emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("api2convert")
    archive = tmp_path / "archive.db"
    with make("api2convert", "sync", emu) as client:
        results = client.download(emu.ids, tmp_path / "out", archive=archive)
    with sqlite3.connect(archive) as db:
        rows = db.execute("SELECT provider, id, key, path, bytes, sha256, saved_at FROM files").fetchall()
        complete = {row[0] for row in db.execute("SELECT id FROM complete")}
    assert sorted((r[1], r[3], r[4], r[5]) for r in rows) == sorted(
        (r.id, str(r.path), r.bytes, r.sha256) for r in results
    )
    assert {r[0] for r in rows} == {"api2convert"} and all(r[2] and r[6] > 0 for r in rows)  # output keys
    assert complete == set(emu.ids)


def test_without_an_archive_nothing_is_written_but_the_files(
    emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("veridox")
    with make("veridox", "sync", emu) as client:
        results = client.download(emu.ids, tmp_path)
    assert sorted(path.name for path in tmp_path.rglob("*")) == sorted(r.path.name for r in results if r.ok)


def test_a_bad_archive_is_refused_before_any_request(emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator("telnyx")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello, this is not SQLite\n" * 100)
    with make("telnyx", "sync", emu) as client:
        with pytest.raises(InvalidInputError, match="archive"):
            client.iter_download(emu.ids, tmp_path / "out", archive=not_a_db)
        with pytest.raises(InvalidInputError, match="archive"):
            client.download(emu.ids, tmp_path / "out", verify_existing=True)
    assert emu.api_requests == []
