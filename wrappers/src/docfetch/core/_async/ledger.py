"""The pipeline's side of the download archive (:mod:`docfetch.core.archive`): what it skips, what it
claims, what it records and when an id is complete. SQLite calls block, so they run off the event loop."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import attrs

from docfetch.core._backends.aio import Lock
from docfetch.core._backends.aio import run_blocking
from docfetch.core.archive import Archive
from docfetch.core.archive import Record
from docfetch.core.transfer import Partial
from docfetch.core.transfer import Resumable
from docfetch.types import ALGORITHM_OF_LENGTH
from docfetch.types import FileResult
from docfetch.types import Planned

__all__ = ["AsyncLedger"]


@attrs.define
class _Owner:
    """An id whose results are still coming: how many are due, how many came, whether all were good."""

    due: int = 0
    came: int = 0
    planned: bool = False
    failed: bool = False


def skipped(record: Record) -> FileResult:
    return FileResult(record.id, record.path, record.bytes, record.sha256, skipped=True)


def _digests(path: Path, checksum: str | None) -> dict[str, str]:
    """sha256 (hex) of a file, and the digest a published ``checksum`` of its length would be."""
    names = {"sha256", ALGORITHM_OF_LENGTH.get(len(checksum or ""), "sha256")}
    hashers = {name: hashlib.new(name, usedforsecurity=False) for name in names}
    with path.open("rb") as handle:
        while block := handle.read(1024 * 1024):
            for hasher in hashers.values():
                hasher.update(block)
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}


class AsyncLedger:
    """Skips what the archive holds, records what is saved, claims ids against other processes."""

    def __init__(self, archive: Archive, *, verify_existing: bool) -> None:
        self.archive = archive
        self.verify_existing = verify_existing
        self._owners: dict[str, _Owner] = {}
        self._lock = Lock()
        self._stale: set[tuple[str, str]] = set()  # recorded files found changed: ours to replace
        self._positions: dict[tuple[str, str], int] = {}  # a planned file's place among its id's files

    def taken(self, dest: Path) -> Callable[[str], bool]:
        """For the batch's names: a file in ``dest`` that an earlier run saved for another id."""

        def taken(name: str) -> bool:
            path = dest / name
            return path.exists() and self.archive.holds(path)

        return taken

    def _kept(self, record: Record) -> bool:
        return record.intact() if self.verify_existing else record.present()

    async def already_saved(self, item_id: str) -> list[FileResult] | None:
        """``item_id``'s files as skipped results when a run saved all of them and they are still there
        (intact, with ``verify_existing``); None when it must be fetched (again)."""
        records = await run_blocking(self.archive.complete, item_id)
        if records is None:
            return None
        kept = [await run_blocking(self._kept, record) for record in records]
        if records and all(kept):
            return [skipped(record) for record in records]
        self._stale.update((item_id, record.key) for record, ok in zip(records, kept, strict=True) if not ok)
        await run_blocking(self.archive.forget, item_id)
        return None

    def may_replace(self, planned: Planned) -> bool:
        """A recorded file that changed on disk is fetched again over itself (it is the archive's own)."""
        return (planned.owner, planned.key or "") in self._stale

    async def claim(self, item_id: str) -> bool:
        return await run_blocking(self.archive.claim, item_id)

    async def file_saved(self, planned: Planned) -> FileResult | None:
        """A file of an id not yet complete that a previous run did save (a job's other outputs), or put
        in place just before it was killed, too soon to record it."""
        record = await run_blocking(self.archive.record, planned.owner, planned.key or "")
        if record is None:
            record = await run_blocking(self._placed_unrecorded, planned)
        if record is None:
            return None
        if not await run_blocking(self._kept, record):
            self._stale.add((planned.owner, planned.key or ""))
            return None
        return skipped(record)

    def _placed_unrecorded(self, planned: Planned) -> Record | None:
        """A kill between placing a file and recording it (a few ms) leaves the file in place and its
        transfer's partial row behind (and, killed between the hard link and the unlink of placing, the
        part file as a second name of it). Such a file is recorded now when it proves to be that
        transfer's: the size announced when it streamed and, where one was published, the checksum.
        Anything else is left alone (the run then finds the name taken, as before)."""
        key = planned.key or ""
        partial = self.archive.partial(planned.owner, key)
        if partial is None or partial.total is None:
            return None
        try:
            if not partial.final.is_file() or partial.final.stat().st_size != partial.total:
                return None
            if partial.part.exists():
                if not os.path.samefile(partial.part, partial.final):
                    return None
                partial.part.unlink()
            digests = _digests(partial.final, partial.checksum)
        except OSError:
            return None
        if partial.checksum is not None and partial.checksum.lower() not in digests.values():
            return None
        self.archive.saved(planned.owner, key, partial.final, partial.total, digests["sha256"])
        return self.archive.record(planned.owner, key)

    def resumable(self, planned: Planned) -> Resumable:
        """A part file named after the item, continued from a killed run when one is recorded."""
        key = planned.key or ""
        token = hashlib.sha256(f"{self.archive.provider}\0{planned.owner}\0{key}".encode()).hexdigest()[:12]
        previous = self.archive.partial(planned.owner, key)

        def record(partial: Partial) -> None:
            self.archive.started(planned.owner, key, partial)

        return Resumable(token=token, previous=previous, record=record)

    async def saved(self, planned: Planned, result: FileResult) -> None:
        """Durable before the result is reported; a failure forgets any part file to resume."""
        key = planned.key or ""
        position = self._positions.pop((planned.owner, key), 0)
        if result.ok and result.path is not None and result.sha256 is not None and not result.skipped:
            await run_blocking(
                self.archive.saved,
                planned.owner,
                key,
                Path(result.path),
                result.bytes,
                result.sha256,
                position,
            )
        elif not result.ok:
            await run_blocking(self.archive.abandoned, planned.owner, key)

    def record_late(self, saved: list[tuple[Planned, FileResult]]) -> None:
        """Files placed while the run was being stopped: recorded now (blocking: the run is over)."""
        for planned, result in saved:
            if result.ok and result.path is not None and result.sha256 is not None and not result.skipped:
                self.archive.saved(
                    planned.owner, planned.key or "", Path(result.path), result.bytes, result.sha256
                )

    # --- when is an id complete ----------------------------------------------------------------------

    async def due(self, owner: str, key: str | None) -> None:
        """One more result will come for ``owner`` (its file ``key``: the next in the id's order)."""
        async with self._lock:
            entry = self._owners.setdefault(owner, _Owner())
            entry.due += 1
            self._positions[(owner, key or "")] = entry.due

    async def planned(self, owners: list[str]) -> None:
        """Planning of these ids ended: their count of results is known."""
        for owner in owners:
            async with self._lock:
                entry = self._owners.setdefault(owner, _Owner())
                entry.planned = True
            await self._settle(owner)

    async def came(self, owner: str, result: FileResult) -> None:
        async with self._lock:
            entry = self._owners.setdefault(owner, _Owner())
            entry.came += 1
            entry.failed = entry.failed or not result.ok
        await self._settle(owner)

    async def _settle(self, owner: str) -> None:
        async with self._lock:
            entry = self._owners.get(owner)
            if entry is None or not entry.planned or entry.came < entry.due:
                return
            del self._owners[owner]
        if not entry.failed and entry.due:
            await run_blocking(self.archive.completed, owner, entry.due)
        await run_blocking(self.archive.release, owner)
