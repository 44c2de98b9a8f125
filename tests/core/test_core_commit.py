"""Group commit (docfetch.core.commit): a group's data is synced before any of its files is renamed, the
directory after the renames, and only then is anyone told; a failure fails its file alone; a stopped
run places nothing more and leaves no part file."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import pytest
from docfetch.core import commit
from docfetch.core.commit import Committer
from docfetch.core.partfile import PartFile
from docfetch.errors import DestinationExistsError
from docfetch.errors import DownloadError


def part(directory: Path, name: str, data: bytes) -> PartFile:
    made = PartFile(directory, name)
    made.write(data)
    made.settle()
    return made


def names(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


class Recorder:
    """Records the committer's steps, in order: syncs (group and per file), renames, directory syncs,
    and each future's end."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, syncfs_result: int = 0) -> None:
        self.events: list[str] = []
        self.syncfs_result = syncfs_result
        events = self.events

        def syncfs(fd: int) -> int:
            events.append("syncfs")
            return self.syncfs_result

        real_sync, real_move = PartFile.sync, PartFile.move_into

        def sync(self: PartFile) -> None:
            events.append(f"fsync {self.path.name.split('.')[1]}")
            real_sync(self)

        def move_into(self: PartFile, final: Path, overwrite: bool) -> None:
            real_move(self, final, overwrite)
            events.append(f"rename {final.name}")

        monkeypatch.setattr(commit, "_load_syncfs", lambda: syncfs)
        monkeypatch.setattr(PartFile, "sync", sync)
        monkeypatch.setattr(PartFile, "move_into", move_into)
        monkeypatch.setattr(commit, "fsync_dir", lambda directory: events.append("fsync dir"))

    def told(self, name: str) -> Callable[[Future[None]], None]:
        return lambda future: self.events.append(f"told {name}")


def one_group(
    committer: Committer, tmp_path: Path, submit: Callable[[], list[Future[None]]]
) -> list[Future[None]]:
    """Hand in a file whose commit waits until ``submit`` has handed in the others, so that those
    form the next group."""
    entered, release = threading.Event(), threading.Event()
    original = committer._commit

    def held(group: list[commit._Entry]) -> None:
        if not release.is_set():
            entered.set()
            release.wait(5)
        original(group)

    committer._commit = held  # type: ignore[method-assign]
    first = committer.submit(part(tmp_path, "held", b"h"), tmp_path / "held", False)
    assert entered.wait(5)
    futures = submit()
    release.set()
    first.exception(5)  # placed, unless the test stopped the committer
    return futures


def test_a_group_is_synced_then_renamed_then_its_directory_synced_then_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder(monkeypatch)
    committer = Committer()
    first = committer.submit(part(tmp_path, "first", b"1"), tmp_path / "first", False)
    first.result(5)

    def three() -> list[Future[None]]:
        futures = []
        for name in ("a", "b", "c"):
            future = committer.submit(part(tmp_path, name, name.encode() * 3), tmp_path / name, False)
            future.add_done_callback(recorder.told(name))
            futures.append(future)
        return futures

    recorder.events.clear()
    for future in one_group(committer, tmp_path, three):
        future.result(5)
    committer.close()
    group = recorder.events[recorder.events.index("fsync dir") + 1 :]  # after the held file's group
    assert group == ["syncfs", "rename a", "rename b", "rename c", "fsync dir", "told a", "told b", "told c"]
    assert names(tmp_path) == ["a", "b", "c", "first", "held"]
    assert (tmp_path / "b").read_bytes() == b"bbb"


def test_a_file_alone_is_fsynced_and_a_failed_group_sync_falls_back_to_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder(monkeypatch, syncfs_result=-1)
    committer = Committer()
    committer.submit(part(tmp_path, "one", b"1"), tmp_path / "one", False).result(5)
    assert recorder.events[:2] == ["fsync one", "rename one"]
    recorder.events.clear()

    def two() -> list[Future[None]]:
        return [committer.submit(part(tmp_path, n, b"x"), tmp_path / n, False) for n in ("p", "q")]

    for future in one_group(committer, tmp_path, two):
        future.result(5)
    committer.close()
    assert recorder.events[-6:] == ["syncfs", "fsync p", "fsync q", "rename p", "rename q", "fsync dir"]
    assert names(tmp_path) == ["held", "one", "p", "q"]


def test_a_taken_name_fails_that_file_alone(tmp_path: Path) -> None:
    (tmp_path / "taken").write_bytes(b"someone else's")
    committer = Committer()
    taken = committer.submit(part(tmp_path, "taken", b"mine"), tmp_path / "taken", False)
    free = committer.submit(part(tmp_path, "free", b"mine"), tmp_path / "free", False)
    replaced = committer.submit(part(tmp_path, "old", b"new"), tmp_path / "taken2", True)
    with pytest.raises(DestinationExistsError):
        taken.result(5)
    free.result(5)
    replaced.result(5)
    committer.close()
    assert names(tmp_path) == ["free", "taken", "taken2"]  # no part file left
    assert (tmp_path / "taken").read_bytes() == b"someone else's"


def test_a_write_error_fails_its_file_with_a_download_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: PartFile) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(PartFile, "sync", broken)
    committer = Committer()
    future = committer.submit(part(tmp_path, "f", b"x"), tmp_path / "f", False)
    with pytest.raises(DownloadError, match="No space left"):
        future.result(5)
    committer.close()
    assert names(tmp_path) == []


def test_a_stopped_run_places_nothing_more(tmp_path: Path) -> None:
    committer = Committer()

    def three() -> list[Future[None]]:
        futures = [committer.submit(part(tmp_path, n, b"x"), tmp_path / n, False) for n in ("a", "b", "c")]
        committer.stop()  # before the group's renames
        return futures

    futures = one_group(committer, tmp_path, three)  # stopped while the held file's group was in hand
    committer.close(abandon=True)
    for future in futures:
        assert future.cancelled() or isinstance(future.exception(5), DownloadError)
    assert names(tmp_path) == []  # no file placed, no part file left
    with pytest.raises(DownloadError, match="stopped"):
        committer.submit(part(tmp_path, "late", b"x"), tmp_path / "late", False)
    assert names(tmp_path) == []


def test_a_slow_group_sync_ends_the_use_of_syncfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Recorder(monkeypatch)
    monkeypatch.setattr(commit, "SLOW_SYNCFS", -1.0)  # every syncfs counts as slow
    committer = Committer()

    def two() -> list[Future[None]]:
        return [committer.submit(part(tmp_path, n, b"x"), tmp_path / n, False) for n in ("a", "b")]

    for future in one_group(committer, tmp_path, two):
        future.result(5)
    committer.close()
    assert committer._syncfs is None


def test_syncfs_is_used_only_where_it_reports_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "uname", lambda: os.uname_result(("Linux", "h", "5.4.0-1", "#1", "x86_64")))
    monkeypatch.setattr(commit.sys, "platform", "linux")
    assert commit._load_syncfs() is None
