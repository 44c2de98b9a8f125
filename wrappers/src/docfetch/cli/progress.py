"""A live terminal display for downloads (rich): job states, per-file and total bytes, rate, time left.

Feed it through the two callbacks every provider client accepts::

    with LiveProgress() as display:
        client.download(ids, out, progress=display.file_progress, on_status=display.job_state)

The callbacks may come from several download threads at once. They only note the numbers (O(1),
under a lock); the rich rows are brought up to date when the display is drawn, at its fixed refresh
rate, not once per chunk (with many small files, per-chunk updates cost ~0.5 ms of CPU per file on
the download threads' shared GIL). The display is transient: it is erased when the block ends, so
only what the caller prints afterwards stays on the terminal.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from types import TracebackType

from rich.console import Console
from rich.console import Group
from rich.live import Live
from rich.progress import BarColumn
from rich.progress import DownloadColumn
from rich.progress import Progress
from rich.progress import ProgressColumn
from rich.progress import SpinnerColumn
from rich.progress import TaskID
from rich.progress import TextColumn
from rich.progress import TimeElapsedColumn
from rich.progress import TimeRemainingColumn
from rich.progress import TransferSpeedColumn

__all__ = ["LiveProgress"]

_NAME_WIDTH = 36


def _short(key: str, width: int = _NAME_WIDTH) -> str:
    """Keep the end of a long key: it holds the file name."""
    return key if len(key) <= width else "…" + key[-(width - 1) :]


def _set_bytes(rows: Progress, task_id: TaskID, done: int, total: int | None) -> None:
    """Set a row's bytes; an unknown total shows as "?" (rich's ``update`` reads total=None as "unchanged")."""
    if total is None:
        for task in rows.tasks:
            if task.id == task_id:
                task.total = None
    rows.update(task_id, completed=done, total=total)


def _transfer_columns() -> tuple[ProgressColumn, ...]:
    return (BarColumn(bar_width=24), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())


@dataclass
class _File:
    key: str
    done: int = 0
    total: int | None = None
    task: TaskID | None = None  # its row, while shown

    @property
    def finished(self) -> bool:
        return self.total is not None and self.done >= self.total


@dataclass
class _Sums:
    """Running totals over every file, so a progress call costs the same for 1 file or 10,000."""

    done: int = 0
    known_total: int = 0
    unknown_totals: int = 0
    finished: int = 0

    def add(self, entry: _File, sign: int) -> None:
        self.done += sign * entry.done
        if entry.total is None:
            self.unknown_totals += sign
        else:
            self.known_total += sign * entry.total
        self.finished += sign * entry.finished


class LiveProgress:
    """Context manager running the display; ``max_rows`` caps the file rows shown at once."""

    def __init__(
        self, console: Console | None = None, *, max_rows: int = 8, refresh_per_second: float = 8
    ) -> None:
        self.console = console or Console()
        self._max_rows = max_rows
        self._lock = threading.Lock()
        self._files: dict[str, _File] = {}
        self._waiting: deque[_File] = deque()  # files without a row yet, in arrival order
        self._shown: list[_File] = []  # files with a row (at most max_rows)
        self._sums = _Sums()
        self._jobs: dict[str, TaskID] = {}
        self._jobs_arriving: set[str] = set()  # jobs whose files are arriving (their wait is over)
        self._job_rows = Progress(
            SpinnerColumn(finished_text="[green]✓"),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=self.console,
        )
        self._file_rows = Progress(
            TextColumn(f"{{task.description:<{_NAME_WIDTH}}}"), *_transfer_columns(), console=self.console
        )
        self._total_rows = Progress(
            TextColumn(f"[bold]{{task.description:<{_NAME_WIDTH}}}"),
            *_transfer_columns(),
            console=self.console,
        )
        self._total = self._total_rows.add_task(self._total_text(), total=None)
        self._live = Live(self, console=self.console, transient=True, refresh_per_second=refresh_per_second)

    def __enter__(self) -> LiveProgress:
        self._live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._live.stop()

    def __rich__(self) -> Group:
        """The current display (what the live view redraws, at its refresh rate)."""
        with self._lock:
            self._draw()
        return Group(self._job_rows, self._file_rows, self._total_rows)

    # --- callbacks ---------------------------------------------------------------------------

    def job_state(self, job_id: str, state: str) -> None:
        """``on_status(job_id, state)``: a job's state changed while waiting for it."""
        with self._lock:
            description = f"job {_short(job_id)}: {state}"
            task = self._jobs.get(job_id)
            if task is None:
                self._jobs[job_id] = self._job_rows.add_task(description, total=1)
            else:
                self._job_rows.update(task, description=description)

    def file_progress(self, key: str, done: int, total: int | None) -> None:
        """``progress(key, done, total)``: bytes of one file so far (``done`` drops back on a restart)."""
        with self._lock:
            entry = self._files.get(key)
            if entry is None:
                entry = self._files[key] = _File(key)
                self._waiting.append(entry)
                self._jobs_arriving.add(key.split("/", 1)[0])
            else:
                self._sums.add(entry, -1)
            entry.done, entry.total = done, total
            self._sums.add(entry, +1)

    # --- drawing (with the lock held) ----------------------------------------------------------

    def _draw(self) -> None:
        for job_id in self._jobs_arriving & self._jobs.keys():  # "<job_id>/<name>": the job's wait is over
            self._job_rows.update(self._jobs[job_id], completed=1)
        self._jobs_arriving.clear()
        for entry in [entry for entry in self._shown if entry.finished]:  # finished rows give their place
            assert entry.task is not None
            self._file_rows.remove_task(entry.task)
            entry.task = None
            self._shown.remove(entry)
        while len(self._shown) < self._max_rows and self._waiting:
            entry = self._waiting.popleft()
            if not entry.finished:  # the oldest files still to come get the free rows
                entry.task = self._file_rows.add_task(_short(entry.key), total=None)
                self._shown.append(entry)
        for entry in self._shown:
            assert entry.task is not None
            _set_bytes(self._file_rows, entry.task, entry.done, entry.total)
        known = None if self._sums.unknown_totals else self._sums.known_total
        self._total_rows.update(self._total, description=self._total_text())
        _set_bytes(self._total_rows, self._total, self._sums.done, known)

    def _total_text(self) -> str:
        if not self._files:
            return "waiting for the provider…"
        return f"total: {self._sums.finished}/{len(self._files)} files"
