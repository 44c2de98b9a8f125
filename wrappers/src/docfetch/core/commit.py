"""Group commit: verified part files placed in groups that share their syncs, as a database lets the
transactions that commit together share one flush of its log.

Placing a file on its own costs an fsync of the file and one of its directory (2-6 ms each on this
machine's disk, mostly the device's cache flush); with many small files that is most of a transfer's
time. A pipeline run hands each verified part file to its :class:`Committer` and goes on with its next
download. The committer's thread takes everything handed in so far as one group and

1. syncs the group's data: for two files or more, one ``syncfs`` per destination directory (Linux
   5.8 and later, where it reports write-back errors; an error there falls back to an fsync per
   file, to find whose data failed), else an fsync per file;
2. moves each file to its name (a failure, such as the name taken meanwhile, fails that file alone);
3. fsyncs each directory that received a file, once;
4. only then tells each file's waiter, whose result is reported after that.

So a file's data is on disk before its name appears, and the name is on disk before its result is
reported: a crash at any moment leaves each final name either absent or holding the complete file
(at worst a hidden part file remains; with an archive the next run resumes it).

``syncfs`` writes back everything dirty on the file system, other programs' data included: a
``syncfs`` slower than :data:`SLOW_SYNCFS` switches the committer to an fsync per file for good.

For tests, ``DOCFETCH_DEBUG_COMMIT_PAUSE=<seconds>`` makes the moments between sync and renames
observable: the committer writes ``docfetch-debug: commit synced <n>`` after syncing a group of
``n`` and ``docfetch-debug: commit renamed <i>/<n>`` after each rename but the last to stderr, and
pauses that long after each (the reliability tests kill the process there).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

from docfetch.core._backends.threads import leave_signals_to_main_thread
from docfetch.core.partfile import PartFile
from docfetch.core.partfile import fsync_dir
from docfetch.errors import DocfetchError
from docfetch.errors import DownloadError

__all__ = ["PAUSE_ENV", "SLOW_SYNCFS", "Committer"]

SLOW_SYNCFS = 0.25
"""Seconds: a group sync slower than this (other writers' dirty data) ends the use of ``syncfs``."""
PAUSE_ENV = "DOCFETCH_DEBUG_COMMIT_PAUSE"


class _Entry:
    __slots__ = ("final", "future", "overwrite", "part")

    def __init__(self, part: PartFile, final: Path, overwrite: bool) -> None:
        self.part = part
        self.final = final
        self.overwrite = overwrite
        self.future: Future[None] = Future()


class Committer:
    """Places verified part files in groups (see the module docstring); one thread, started by the
    first :meth:`submit`. Thread-safe; :meth:`close` it when the run ends."""

    def __init__(self) -> None:
        self._pending: list[_Entry] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._abandoned = False
        self._syncfs: Callable[[int], int] | bool | None = True  # True: not looked up yet
        self._pause = float(os.environ.get(PAUSE_ENV) or 0)

    def submit(self, part: PartFile, final: Path, overwrite: bool) -> Future[None]:
        """Place ``part`` (verified, no longer the caller's) at ``final``; the future ends when its name
        is durable, or holds why it could not be placed (the part file is then removed)."""
        entry = _Entry(part, final, overwrite)
        with self._cond:
            if self._closed:
                part.discard()
                raise DownloadError(f"{final.name} was not placed: the run was stopped", path=final)
            self._pending.append(entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="docfetch-commit", daemon=True)
                self._thread.start()
            self._cond.notify()
        return entry.future

    def stop(self) -> None:
        """A run stopped early, whose results nobody will read: place no further file (the group in
        hand is not renamed; :meth:`close` removes the part files)."""
        self._abandoned = True

    def close(self, *, abandon: bool = False) -> None:
        """No more files: place those handed in, then end the thread. With ``abandon`` (a run stopped
        early, whose results nobody will read) no further file is placed: those not yet renamed are
        removed, as any other part file of a stopped run."""
        with self._cond:
            self._closed = True
            self._abandoned = self._abandoned or abandon
            dropped, self._pending = (self._pending, []) if abandon else ([], self._pending)
            thread = self._thread
            self._cond.notify()
        for entry in dropped:
            entry.future.cancel()
            entry.part.discard()
        if thread is not None:
            thread.join()

    # --- the committer's thread ----------------------------------------------------------------

    def _run(self) -> None:
        leave_signals_to_main_thread()
        while True:
            with self._cond:
                while not self._pending and not self._closed:
                    self._cond.wait()
                if not self._pending:
                    return
                group, self._pending = self._pending, []
            taken = []
            for entry in group:
                if entry.future.set_running_or_notify_cancel():
                    taken.append(entry)
                else:  # its waiter gave up (a cancelled run)
                    entry.part.discard()
            try:
                self._commit(taken)
            except BaseException as exc:  # a bug: fail whoever is still waiting, keep the thread
                for entry in taken:
                    if not entry.future.done():
                        _fail(entry, exc)

    def _commit(self, group: list[_Entry]) -> None:
        synced = self._sync(group)
        self._debug(f"synced {len(synced)}")
        placed = []
        for number, entry in enumerate(synced, 1):
            if self._abandoned:
                _fail(entry, DownloadError(f"{entry.final.name} was not placed: the run was stopped"))
                continue
            try:
                entry.part.move_into(entry.final, entry.overwrite)
            except BaseException as exc:
                _fail(entry, exc)
                continue
            placed.append(entry)
            if number < len(synced):
                self._debug(f"renamed {number}/{len(synced)}")
        for directory in dict.fromkeys(entry.final.parent for entry in placed):
            fsync_dir(directory)
        for entry in placed:
            entry.future.set_result(None)

    def _sync(self, group: list[_Entry]) -> list[_Entry]:
        """The entries whose data is on disk (the others have failed)."""
        if len(group) > 1 and self._synced_together(group):
            return group
        synced = []
        for entry in group:
            try:
                entry.part.sync()
            except BaseException as exc:
                _fail(entry, exc)
                continue
            synced.append(entry)
        return synced

    def _synced_together(self, group: list[_Entry]) -> bool:
        """One ``syncfs`` per directory for the whole group; False where there is none or when it (or a
        write) failed: then each file is synced on its own, which tells whose data failed."""
        syncfs = self._syncfs_call()
        if syncfs is None:
            return False
        try:
            for entry in group:
                entry.part.settle()
        except BaseException:
            return False
        started = time.monotonic()
        one_per_directory = {entry.final.parent: entry for entry in group}.values()
        synced = all(syncfs(entry.part.fileno()) == 0 for entry in one_per_directory)
        if time.monotonic() - started > SLOW_SYNCFS:
            self._syncfs = None
        return synced

    def _syncfs_call(self) -> Callable[[int], int] | None:
        if self._syncfs is True:
            self._syncfs = _load_syncfs()
        return self._syncfs or None

    def _debug(self, what: str) -> None:
        if self._pause > 0:
            sys.stderr.write(f"docfetch-debug: commit {what}\n")
            sys.stderr.flush()
            time.sleep(self._pause)


def _fail(entry: _Entry, exc: BaseException) -> None:
    entry.part.discard()
    if isinstance(exc, DocfetchError):
        error: BaseException = exc
    elif isinstance(exc, OSError):
        error = DownloadError(f"could not write {entry.final}: {exc}", path=entry.final)
        error.__cause__ = exc
    else:
        error = exc
    entry.future.set_exception(error)


def _load_syncfs() -> Callable[[int], int] | None:
    """libc's ``syncfs`` where it reports write-back errors (Linux 5.8 and later), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        major, minor = (int(part) for part in os.uname().release.split(".")[:2])
    except ValueError:
        return None
    if (major, minor) < (5, 8):
        return None
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    result: Callable[[int], int] = function
    return result
