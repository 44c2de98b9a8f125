"""The part file a download is written to: hashed as it is written, placed atomically at the end.

Bytes are gathered into 1 MiB blocks. The first block of a file is written and hashed inline; from the
second on, writing and hashing move to two threads of their own (a pipeline: the caller receives
from the network, one thread writes, one hashes, all at once), so a large file costs about as much
wall time as its slowest stage instead of the sum of the three. ``os.write`` and ``hashlib`` release
the GIL for blocks this size. Small files never start a thread.

Every block is hashed with sha256 (what :class:`~docfetch.types.SavedFile` reports) and with the
``digests`` the caller asked for (the one algorithm a published checksum needs), nothing more.
Every block is written and hashed in order; :meth:`PartFile.settle` waits for both threads and
raises the first write error. A block still in a queue is never lost: a dropped connection only
stops the caller, who resumes from the byte count it has passed through :meth:`PartFile.write`.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import queue
import secrets
import threading
from collections.abc import Callable
from collections.abc import Collection
from pathlib import Path
from typing import Any

from docfetch.core._backends.threads import leave_signals_to_main_thread
from docfetch.core.filenames import PART_SUFFIX
from docfetch.errors import DestinationExistsError

BLOCK_SIZE = 1024 * 1024
QUEUE_BLOCKS = 3
"""Blocks waiting per stage: enough to ride out a slow write, and at most ~8 MiB in flight per file."""
WRITEBACK_LAG = 32 * 1024 * 1024
WRITEBACK_STEP = 16 * 1024 * 1024
"""A large file's pages this far behind the write position are handed to the kernel for write-back
(``posix_fadvise(DONTNEED)``: starts writing them to disk now and then drops them from the page cache),
every 16 MiB. Without it a 1 GiB download leaves 1 GiB dirty for the final fsync to wait for (~0.3 s
here, more on slower disks); with it the fsync finds only the last ~48 MiB. Advisory: ignored where
unsupported."""
_ADVISE = getattr(os, "posix_fadvise", None)

_STOP = None
_RUN_TOKEN = secrets.token_hex(3)
_SERIAL = itertools.count()
"""Part file names: this process's random token and a serial number (unique without a getrandom call
per file; the exclusive create guards the rest). A forked child draws its own token."""


def _new_run_token() -> None:
    global _RUN_TOKEN
    _RUN_TOKEN = secrets.token_hex(3)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_run_token)


class _Stage:
    """One thread applying ``work`` to each block in order; remembers the first error and skips
    the rest once one happened or the stage was abandoned (the caller never blocks forever)."""

    def __init__(self, name: str, work: Callable[[bytes], None]) -> None:
        self._work = work
        self._queue: queue.Queue[bytes | None] = queue.Queue(QUEUE_BLOCKS)
        self._skip = False
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        leave_signals_to_main_thread()
        while (block := self._queue.get()) is not _STOP:
            if self._skip or self.error is not None:
                continue
            try:
                self._work(block)
            except BaseException as exc:  # handed to the caller by PartFile.settle/_submit
                self.error = exc

    def put(self, block: bytes) -> None:
        self._queue.put(block)

    def finish(self, *, abandon: bool = False) -> None:
        """Wait until every queued block is done (or skipped, with ``abandon``) and the thread ended."""
        self._skip = abandon
        self._queue.put(_STOP)
        self._thread.join()


def _algorithms(digests: Collection[str]) -> list[str]:
    """sha256 (the archive's record of every file) plus only what a published checksum needs."""
    return ["sha256", *(name for name in dict.fromkeys(digests) if name != "sha256")]


class PartFile:
    """``.<name>.<random>.docfetch-part`` in the destination directory, created exclusively.

    Hashes what it writes; :meth:`place` fsyncs and moves it into place atomically (or a committer
    does, with :meth:`sync` / :meth:`move_into`); every other path ends in :meth:`discard`.
    """

    def __init__(
        self, directory: Path, name: str, digests: Collection[str] = (), *, token: str | None = None
    ) -> None:
        # A ``token`` names the part file after its item (an archive resumes it); else a random one.
        self.path = directory / f".{name}.{token or f'{_RUN_TOKEN}{next(_SERIAL):x}'}{PART_SUFFIX}"
        if token is not None:
            self.path.unlink(missing_ok=True)  # a killed run's part file the archive did not hear of
        self._file = open(self.path, "xb", buffering=0)  # noqa: SIM115 - closed in place/discard
        self._algorithms = _algorithms(digests)
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._stages: tuple[_Stage, _Stage] | None = None
        self._offset = 0  # bytes written to the file so far
        self._advised = 0  # bytes handed to write-back so far
        self._reset_hashes()

    @classmethod
    def reopen(cls, path: Path, digests: Collection[str] = ()) -> PartFile:
        """A killed run's part file, to be continued: its bytes are hashed again and writing goes on
        at its end."""
        part = cls.__new__(cls)
        part.path = path
        part._file = open(path, "r+b", buffering=0)  # noqa: SIM115 - closed in place/discard
        part._algorithms = _algorithms(digests)
        part._pending, part._pending_size, part._stages = [], 0, None
        part._reset_hashes()
        while block := part._file.read(BLOCK_SIZE):
            part._hash_block(block)
        part._offset = part._advised = part._file.tell()
        return part

    @property
    def size(self) -> int:
        """Bytes written to the file so far."""
        return self._offset

    def _reset_hashes(self) -> None:
        self._hashers: dict[str, Any] = {
            name: hashlib.new(name, usedforsecurity=False) for name in self._algorithms
        }

    # --- writing -----------------------------------------------------------------------------

    def write(self, chunk: bytes) -> None:
        self._pending.append(chunk)
        self._pending_size += len(chunk)
        if self._pending_size >= BLOCK_SIZE:
            self._submit()

    def _submit(self) -> None:
        block = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending, self._pending_size = [], 0
        if self._stages is None and self._offset > 0:  # a second block: the file is large
            self._stages = (
                _Stage("docfetch-write", self._write_streamed),
                _Stage("docfetch-hash", self._hash_block),
            )
        if self._stages is None:
            self._write_block(block)
            self._hash_block(block)
            return
        for stage in self._stages:
            if stage.error is not None:
                self.settle()  # raises it
            stage.put(block)

    def _write_block(self, block: bytes) -> None:
        view = memoryview(block)
        while view:
            view = view[self._file.write(view) or 0 :]
        self._offset += len(block)

    def _write_streamed(self, block: bytes) -> None:
        """The writer stage: write, and start write-back of what lies WRITEBACK_LAG behind."""
        self._write_block(block)
        end = self._offset - WRITEBACK_LAG
        if _ADVISE is not None and end - self._advised >= WRITEBACK_STEP:
            with contextlib.suppress(OSError):
                _ADVISE(self._file.fileno(), self._advised, end - self._advised, os.POSIX_FADV_DONTNEED)
            self._advised = end

    def _hash_block(self, block: bytes) -> None:
        for hasher in self._hashers.values():
            hasher.update(block)

    def settle(self) -> None:
        """Write and hash everything given so far; raise the first error the writer met."""
        if self._pending:
            self._submit()
        self._stop_stages(abandon=False)

    def _stop_stages(self, *, abandon: bool) -> None:
        stages, self._stages = self._stages, None
        if stages is None:
            return
        for stage in stages:
            stage.finish(abandon=abandon)
        for stage in stages:
            if stage.error is not None:
                raise stage.error

    # --- results -----------------------------------------------------------------------------

    def hexdigest(self, algorithm: str) -> str:
        """The digest (``sha256``, or one of the ``digests`` asked for) of everything written."""
        self.settle()
        hasher = self._hashers.get(algorithm)
        if hasher is None:
            raise ValueError(f"{algorithm} was not computed for this file")
        return str(hasher.hexdigest())

    def truncate(self) -> None:
        """Start over from byte 0 (the server ignored a Range)."""
        self._pending, self._pending_size = [], 0
        self._stop_stages(abandon=True)
        self._file.seek(0)
        self._file.truncate()
        self._offset = self._advised = 0
        self._reset_hashes()

    def place(self, final: Path, overwrite: bool) -> None:
        """fsync, move into place, fsync the directory: one file committed on its own (groups of them
        share their syncs: :mod:`docfetch.core.commit`)."""
        self.sync()
        self.move_into(final, overwrite)
        fsync_dir(final.parent)

    def sync(self) -> None:
        """Everything written, and on disk."""
        self.settle()
        os.fsync(self._file.fileno())

    def fileno(self) -> int:
        return self._file.fileno()

    def move_into(self, final: Path, overwrite: bool) -> None:
        """Close the file (synced) and move it to ``final`` atomically; an existing ``final`` is
        replaced only with ``overwrite`` (else DestinationExistsError)."""
        self._file.close()
        if overwrite:
            os.replace(self.path, final)
        else:
            _link_no_clobber(self.path, final)

    def discard(self) -> None:
        try:
            self._pending = []
            with contextlib.suppress(Exception):  # the file is thrown away: its write error is moot
                self._stop_stages(abandon=True)
            self._file.close()
        finally:
            self.path.unlink(missing_ok=True)


def _link_no_clobber(source: Path, final: Path) -> None:
    """Move ``source`` to ``final`` atomically, failing if ``final`` exists (hard link + unlink)."""
    try:
        os.link(source, final)
    except FileExistsError:
        raise DestinationExistsError(
            f"{final} exists (pass overwrite=True to replace it)", path=final
        ) from None
    except OSError:  # no hard links on this file system: check, then rename (small race accepted)
        if final.exists() or final.is_symlink():
            raise DestinationExistsError(
                f"{final} exists (pass overwrite=True to replace it)", path=final
            ) from None
        os.replace(source, final)
        return
    source.unlink()


def fsync_dir(directory: Path) -> None:
    """Make the names in ``directory`` durable (where directories can be synced)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
