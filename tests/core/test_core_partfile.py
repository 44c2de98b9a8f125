"""The part file's write/hash pipeline: order, digests, restarts, write errors and clean-up."""

from __future__ import annotations

import errno
import hashlib
import itertools
import os
import random
import threading
from pathlib import Path

import pytest
from docfetch.core.partfile import BLOCK_SIZE
from docfetch.core.partfile import PartFile


def pipeline_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name in ("docfetch-write", "docfetch-hash")]


def feed(part: PartFile, data: bytes, seed: int = 0) -> None:
    """Write ``data`` in uneven chunks, as a network would deliver it."""
    rng = random.Random(seed)
    offset = 0
    while offset < len(data):
        size = rng.choice([1, 100, 65536, 65537, BLOCK_SIZE - 3, 3 * BLOCK_SIZE])
        part.write(data[offset : offset + size])
        offset += size


@pytest.mark.parametrize("size", [0, 10, BLOCK_SIZE, BLOCK_SIZE + 1, 7 * BLOCK_SIZE + 12345])
def test_bytes_and_digests_match_in_order(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    part = PartFile(tmp_path, "f.bin", digests=("md5",))
    feed(part, data)
    assert part.hexdigest("sha256") == hashlib.sha256(data).hexdigest()
    assert part.hexdigest("md5") == hashlib.md5(data, usedforsecurity=False).hexdigest()
    part.place(tmp_path / "f.bin", overwrite=False)
    assert (tmp_path / "f.bin").read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"]
    assert pipeline_threads() == []


@pytest.mark.parametrize("algorithm", ["md5", "sha1", "sha512"])
def test_each_file_is_hashed_only_with_what_it_needs(tmp_path: Path, algorithm: str) -> None:
    data = os.urandom(2 * BLOCK_SIZE + 5)  # past the first block: hashed on the pipeline thread
    part = PartFile(tmp_path, "f.bin", digests=(algorithm, "sha256"))
    feed(part, data)
    assert part.hexdigest(algorithm) == hashlib.new(algorithm, data).hexdigest()
    assert part.hexdigest("sha256") == hashlib.sha256(data).hexdigest()
    for other in {"md5", "sha1", "sha512"} - {algorithm}:  # never computed
        with pytest.raises(ValueError, match=other):
            part.hexdigest(other)
    part.discard()


def test_md5_is_not_claimed_when_not_computed(tmp_path: Path) -> None:
    part = PartFile(tmp_path, "f.bin")
    part.write(b"abc")
    with pytest.raises(ValueError, match="md5"):
        part.hexdigest("md5")
    part.discard()


def test_truncate_mid_pipeline_keeps_only_what_follows(tmp_path: Path) -> None:
    first, second = os.urandom(5 * BLOCK_SIZE + 7), os.urandom(3 * BLOCK_SIZE + 1)
    part = PartFile(tmp_path, "f.bin")
    feed(part, first)
    part.truncate()
    feed(part, second, seed=1)
    assert part.hexdigest("sha256") == hashlib.sha256(second).hexdigest()
    part.place(tmp_path / "f.bin", overwrite=False)
    assert (tmp_path / "f.bin").read_bytes() == second


def test_discard_mid_pipeline_removes_the_file_and_ends_the_threads(tmp_path: Path) -> None:
    part = PartFile(tmp_path, "f.bin")
    feed(part, os.urandom(6 * BLOCK_SIZE))
    assert pipeline_threads()
    part.discard()
    assert list(tmp_path.iterdir()) == []
    assert pipeline_threads() == []


class FullDisk:
    """A file whose writes fail with ENOSPC once ``room`` bytes were written."""

    def __init__(self, real: object, room: int) -> None:
        self._real = real
        self._room = room

    def write(self, data: memoryview) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return int(self._real.write(data))  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def test_write_error_on_the_writer_thread_reaches_the_caller(tmp_path: Path) -> None:
    part = PartFile(tmp_path, "f.bin")
    part._file = FullDisk(part._file, room=2 * BLOCK_SIZE)  # type: ignore[assignment]
    with pytest.raises(OSError) as caught:
        feed(part, os.urandom(40 * BLOCK_SIZE))
        part.place(tmp_path / "f.bin", overwrite=False)
    assert caught.value.errno == errno.ENOSPC
    part.discard()
    assert list(tmp_path.iterdir()) == []
    assert pipeline_threads() == []


def test_write_back_is_started_behind_the_write_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docfetch.core.partfile as partfile

    advised: list[tuple[int, int]] = []
    monkeypatch.setattr(
        partfile, "_ADVISE", lambda fd, offset, length, advice: advised.append((offset, length))
    )
    data = os.urandom(100 * BLOCK_SIZE + 5)
    part = PartFile(tmp_path, "f.bin")
    feed(part, data)
    part.place(tmp_path / "f.bin", overwrite=False)
    assert (tmp_path / "f.bin").read_bytes() == data
    assert advised and advised[0][0] == 0
    for (offset, length), (following, _) in itertools.pairwise(advised):
        assert offset + length == following  # contiguous, each range once
    end = advised[-1][0] + advised[-1][1]
    assert (
        len(data) - partfile.WRITEBACK_LAG - partfile.WRITEBACK_STEP
        <= end
        <= len(data) - partfile.WRITEBACK_LAG
    )
