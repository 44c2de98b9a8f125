"""Issue "many small files, still durable": the CLI places finished files in groups that share one sync
(docfetch.core.commit). Killed with SIGKILL (by pid) in the middle of a group commit -- once the group's
data is synced but before any rename, and once between two renames -- it leaves no partial or empty
file under a final name: every file there is whole, the synced rest are part files; a rerun with the
same archive completes the batch byte-identical, with no part file left.

The moments are made observable by the committer's test hook, DOCFETCH_DEBUG_COMMIT_PAUSE: it writes
``docfetch-debug: commit synced <n>`` / ``... renamed <i>/<n>`` to stderr and pauses there."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from typing import Any

import pytest
from docfetch.cli.providers import environment_for
from docfetch.emulators import run_emulator

pytestmark = pytest.mark.reliability("reruns")

FILES = 24
FILE_SIZE = 64 * 1024
PAUSE = 2.0  # seconds the committer waits at each observable moment (the test kills it there)
DEADLINE = 60.0
MOMENT = re.compile(r"docfetch-debug: commit (?P<what>synced|renamed) (?:(?P<i>\d+)/)?(?P<n>\d+)")


@dataclass
class Job:
    job_id: str
    expected: dict[str, bytes]  # file name -> bytes
    env: dict[str, str]


def _docfetch() -> str:
    beside = Path(sys.executable).parent / "docfetch"
    found = str(beside) if beside.exists() else shutil.which("docfetch")
    assert found is not None, "the docfetch console script is not installed"
    return found


@pytest.fixture(scope="module")
def job() -> Iterator[Job]:
    with run_emulator("api2convert", file_size=FILE_SIZE, download_cap=1000) as emu:
        state: Any = emu.state
        job_id = state.add_job(targets=tuple(f"p{n:02d}" for n in range(FILES)))
        assert state.status_of(job_id) == "completed"
        expected = {
            output.filename: emu.storage.get(output.key).data for output in state.find(job_id).outputs
        }
        assert len(expected) == FILES
        yield Job(job_id, expected, {**environment_for(emu.info()), "PATH": "/usr/bin:/bin"})


def _command(job: Job, out: Path, archive: Path) -> list[str]:
    return [_docfetch(), "api2convert", "download", job.job_id, "--out", str(out), "--archive", str(archive),
            "--jsonl", "--concurrency", "8"]  # fmt: skip


def _lines(stream: IO[str]) -> queue.Queue[str | None]:
    """The stream's lines as they come (None at its end), read on a thread of their own."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str | None], moment: str) -> re.Match[str]:
    """The first ``moment`` line of a group of two files or more."""
    while (line := lines.get(timeout=DEADLINE)) is not None:
        found = MOMENT.search(line)
        if found and found["what"] == moment and int(found["n"]) >= 2 and found["i"] in (None, "1"):
            return found
    raise AssertionError(f"the run ended without a {moment!r} moment in a group of two or more")


@pytest.mark.parametrize("moment", ["synced", "renamed"])
def test_a_kill_during_a_group_commit_leaves_no_partial_file_under_a_final_name(
    job: Job, moment: str, tmp_path: Path, ledger: Any
) -> None:
    out, archive = tmp_path / "out", tmp_path / "archive.db"
    command = _command(job, out, archive)
    env = {**job.env, "DOCFETCH_DEBUG_COMMIT_PAUSE": str(PAUSE)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        found = _wait_for(_lines(process.stderr), moment)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=DEADLINE)
    group = int(found["n"])

    finals = sorted(path for path in out.iterdir() if not path.name.startswith("."))
    parts = sorted(path for path in out.iterdir() if path.name.endswith(".docfetch-part"))
    for path in finals:  # whole, never partial or empty
        assert path.read_bytes() == job.expected[path.name], path.name
    complete_parts = [path for path in parts if path.stat().st_size == FILE_SIZE]
    if moment == "synced":  # the group was synced, none of it renamed: its files wait as part files
        assert len(complete_parts) >= group
    else:  # one file of the group renamed, the others not yet
        assert finals and len(complete_parts) >= group - 1

    rerun = subprocess.run(
        command, env=job.env, capture_output=True, text=True, timeout=DEADLINE, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == job.expected  # all, no part file
    ledger.run("reruns", "killed during a group commit: whole files only, rerun byte-identical", faults=1)
    ledger.note("reruns", f"group commit: killed at {found[0]!r}, {len(finals)} final files, "
                          f"{len(complete_parts)} synced part files")  # fmt: skip
