"""The download archive: what a batch already saved, so that a rerun skips it, resumes what a killed run
left half done, and two processes sharing it never fetch the same file at once.

One SQLite database (the standard library's sqlite3, WAL journal, ``synchronous=FULL``: a commit is on
disk before it returns, and a kill at any moment leaves the last committed state):

* ``files``: each saved file (provider, id, output key, path, bytes, sha256, when), written after the
  file is in place and committed before its result is reported;
* ``complete``: ids whose every file was saved in one run: a rerun skips such an id without any
  request (a job whose outputs are all recorded is not even polled);
* ``partials``: transfers under way (their part file, final path and what proves the object is the
  same: ETag / Last-Modified, size, checksum), so the next run continues a killed transfer with a Range;
* ``claims``: ids a live process is working on (pid and host), so another process waits for them.

Without an archive none of this exists: nothing is written anywhere.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs

from docfetch.core.transfer import Partial
from docfetch.errors import InvalidInputError

__all__ = ["Archive", "Partial", "Record"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    provider TEXT NOT NULL, id TEXT NOT NULL, key TEXT NOT NULL,
    path TEXT NOT NULL, bytes INTEGER NOT NULL, sha256 TEXT NOT NULL, saved_at REAL NOT NULL,
    position INTEGER NOT NULL,  -- the file's place among its id's files (a job's outputs, in order)
    PRIMARY KEY (provider, id, key)
);
CREATE INDEX IF NOT EXISTS files_by_path ON files (path);
CREATE TABLE IF NOT EXISTS complete (
    provider TEXT NOT NULL, id TEXT NOT NULL, files INTEGER NOT NULL, completed_at REAL NOT NULL,
    PRIMARY KEY (provider, id)
);
CREATE TABLE IF NOT EXISTS partials (
    provider TEXT NOT NULL, id TEXT NOT NULL, key TEXT NOT NULL,
    part TEXT NOT NULL, final TEXT NOT NULL, validator TEXT, total INTEGER, checksum TEXT,
    PRIMARY KEY (provider, id, key)
);
CREATE TABLE IF NOT EXISTS claims (
    provider TEXT NOT NULL, id TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
    claimed_at REAL NOT NULL,
    PRIMARY KEY (provider, id)
);
"""
BUSY_TIMEOUT_MS = 30_000  # another process holding the write lock: wait this long before failing


@attrs.frozen
class Record:
    """A saved file, as the archive remembers it."""

    id: str
    key: str
    path: Path
    bytes: int
    sha256: str

    def present(self) -> bool:
        """Still there with the recorded size (part files never count)."""
        try:
            return self.path.is_file() and self.path.stat().st_size == self.bytes
        except OSError:
            return False

    def intact(self) -> bool:
        """Present and its sha256 is the recorded one (reads the whole file)."""
        if not self.present():
            return False
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            while block := handle.read(1024 * 1024):
                digest.update(block)
        return digest.hexdigest() == self.sha256


class Archive:
    """The archive of one provider's downloads in the SQLite file ``path`` (created if missing)."""

    def __init__(self, path: str | os.PathLike[str], provider: str) -> None:
        self.path = Path(path)
        self.provider = provider
        if self.path.exists() and not self.path.is_file():
            raise InvalidInputError(f"archive {str(self.path)!r} exists and is not a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False,
                                       isolation_level=None)  # fmt: skip
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InvalidInputError(
                f"archive {str(self.path)!r} is not a usable SQLite database: {exc}"
            ) from exc
        self._lock = threading.Lock()  # one connection, shared by the run's threads
        self._host = socket.gethostname()
        self._pid = os.getpid()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed (durably) on leaving."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._db.execute(sql, (self.provider, *args)))

    # --- saved files -------------------------------------------------------------------------------

    def complete(self, item_id: str) -> list[Record] | None:
        """The files of ``item_id`` when a run saved all of them; None otherwise."""
        if not self._read("SELECT 1 FROM complete WHERE provider = ? AND id = ?", item_id):
            return None
        return self.records(item_id)

    def records(self, item_id: str) -> list[Record]:
        rows = self._read(
            "SELECT key, path, bytes, sha256 FROM files WHERE provider = ? AND id = ? ORDER BY position, key",
            item_id,
        )
        return [
            Record(item_id, str(key), Path(str(path)), int(str(size)), str(sha))
            for key, path, size, sha in rows
        ]

    def record(self, item_id: str, key: str) -> Record | None:
        found = [record for record in self.records(item_id) if record.key == key]
        return found[0] if found else None

    def holds(self, path: Path) -> bool:
        """Whether ``path`` is a file this archive recorded (for any id)."""
        with self._lock:
            return (
                self._db.execute("SELECT 1 FROM files WHERE path = ? LIMIT 1", (str(path),)).fetchone()
                is not None
            )

    def saved(self, item_id: str, key: str, path: Path, size: int, sha256: str, position: int = 0) -> None:
        """A file is in place: remember it (durable when this returns); its partial is done."""
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.provider, item_id, key, str(path), size, sha256, time.time(), position),
            )
            db.execute(
                "DELETE FROM partials WHERE provider = ? AND id = ? AND key = ?",
                (self.provider, item_id, key),
            )

    def completed(self, item_id: str, files: int) -> None:
        """Every file of ``item_id`` was saved (or was already there)."""
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO complete VALUES (?, ?, ?, ?)",
                (self.provider, item_id, files, time.time()),
            )

    def forget(self, item_id: str) -> None:
        """``item_id`` must be fetched again (a recorded file went missing or changed)."""
        with self._write() as db:
            db.execute("DELETE FROM complete WHERE provider = ? AND id = ?", (self.provider, item_id))

    # --- transfers under way -------------------------------------------------------------------------

    def partial(self, item_id: str, key: str) -> Partial | None:
        rows = self._read(
            "SELECT part, final, validator, total, checksum FROM partials WHERE provider = ? AND id = ? AND key = ?",
            item_id,
            key,
        )
        if not rows:
            return None
        part, final, validator, total, checksum = rows[0]
        return Partial(
            Path(str(part)),
            Path(str(final)),
            None if validator is None else str(validator),
            None if total is None else int(str(total)),
            None if checksum is None else str(checksum),
        )

    def started(self, item_id: str, key: str, partial: Partial) -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO partials VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.provider, item_id, key, str(partial.part), str(partial.final), partial.validator,
                 partial.total, partial.checksum),
            )  # fmt: skip

    def abandoned(self, item_id: str, key: str) -> None:
        """The transfer ended without a file (failed or discarded): nothing to resume."""
        with self._write() as db:
            db.execute(
                "DELETE FROM partials WHERE provider = ? AND id = ? AND key = ?",
                (self.provider, item_id, key),
            )

    # --- claims --------------------------------------------------------------------------------------

    def claim(self, item_id: str) -> bool:
        """Take ``item_id`` for this process; False while another live process holds it."""
        with self._write() as db:
            row = db.execute(
                "SELECT pid, host FROM claims WHERE provider = ? AND id = ?", (self.provider, item_id)
            ).fetchone()
            if (
                row is not None
                and (int(row[0]), str(row[1])) != (self._pid, self._host)
                and _alive(row[0], row[1], self._host)
            ):
                return False
            db.execute(
                "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?)",
                (self.provider, item_id, self._pid, self._host, time.time()),
            )
            return True

    def release(self, item_id: str) -> None:
        with self._write() as db:
            db.execute(
                "DELETE FROM claims WHERE provider = ? AND id = ? AND pid = ? AND host = ?",
                (self.provider, item_id, self._pid, self._host),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _alive(pid: object, host: object, this_host: str) -> bool:
    """A claim's process still runs (on another host we cannot tell: it is taken as alive)."""
    if str(host) != this_host:
        return True
    try:
        os.kill(int(str(pid)), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
