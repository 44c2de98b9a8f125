"""`docfetch PROVIDER download` as a stream: --ids-from, --jsonl read while the process still runs,
and SIGINT / SIGTERM (exit 130 / 143, a valid report, no part file). Each process a test starts is
stopped by the test, by pid."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import CASES
from cli_helpers import Served
from cli_helpers import docfetch_command
from cli_helpers import interruptible_children
from cli_helpers import serve
from emulator_ids import many_ids

DEADLINE = 30.0


@contextmanager
def started(served: Served, *args: str, stdin: Any = subprocess.DEVNULL) -> Iterator[subprocess.Popen[str]]:
    with interruptible_children():
        process = subprocess.Popen(
            [*docfetch_command(), served.running.provider, *args],
            env=served.env,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        assert process.returncode is not None


def jsonl(lines: list[str]) -> list[dict[str, Any]]:
    entries = [json.loads(line) for line in lines if line.strip()]
    for entry in entries:
        if entry["status"] == "saved":
            assert list(entry) == ["id", "status", "path", "bytes", "sha256"]
        else:
            assert list(entry) == ["id", "status", "error"]
    return entries


def test_ids_from_a_file_with_comments_and_blank_lines(served: Served, tmp_path: Path) -> None:
    listing = tmp_path / "ids.txt"
    listing.write_text("# the batch\n\n" + "\n".join(f"{item}   # seeded" for item in served.ids) + "\n")
    out = tmp_path / "out"
    result = served.run("download", "--ids-from", str(listing), "--out", str(out), "--jsonl")
    assert result.returncode == 0, result.stderr
    entries = jsonl(result.stdout.splitlines())
    assert {entry["id"] for entry in entries} == set(served.ids)
    assert all(entry["status"] == "saved" and Path(entry["path"]).is_file() for entry in entries)


def test_a_bad_line_in_the_ids_file_is_named_before_any_request(served: Served, tmp_path: Path) -> None:
    listing = tmp_path / "ids.txt"
    listing.write_text(f"{served.ids[0]}\n{CASES[served.running.provider].malformed_id}\n")
    before = len(served.running.api_requests)
    result = served.run("download", "--ids-from", str(listing), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"{listing}, line 2" in result.stderr
    assert len(served.running.api_requests) == before


def test_ids_from_stdin_together_with_arguments(tmp_path: Path) -> None:
    with serve("telnyx") as served:
        first, *rest = served.ids
        with started(served, "download", first, "--ids-from", "-", "--out", str(tmp_path), "--jsonl",
                     stdin=subprocess.PIPE) as process:  # fmt: skip
            out, err = process.communicate("\n".join(rest) + "\n", timeout=DEADLINE)
    assert process.returncode == 0, err
    assert {entry["id"] for entry in jsonl(out.splitlines())} == set(served.ids)


def test_jsonl_lines_arrive_while_the_process_still_runs(provider: str, tmp_path: Path) -> None:
    with serve(provider, file_size=1024) as served:
        ids = many_ids(served.running, 12)
        served.running.faults.delay = 0.1
        listing = tmp_path / "ids.txt"
        listing.write_text("\n".join(ids))
        args = ("download", "--ids-from", str(listing), "--out", str(tmp_path / "out"), "--jsonl")
        with started(served, *args, "--concurrency", "1") as process:
            assert process.stdout is not None
            first = process.stdout.readline()
            still_running = process.poll() is None
            rest, err = process.communicate(timeout=DEADLINE)
    assert still_running  # the first line was read before the process ended
    entries = jsonl([first, *rest.splitlines()])
    assert process.returncode == 0, err
    assert sorted(entry["id"] for entry in entries) == sorted(ids)


SIGNALS = [(signal.SIGINT, 130, "--json"), (signal.SIGTERM, 143, "--jsonl")]


@pytest.mark.parametrize(("sent", "code", "form"), SIGNALS, ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_run_without_waiting_for_the_transfers_with_a_valid_report(
    provider: str, sent: signal.Signals, code: int, form: str, tmp_path: Path
) -> None:
    """Once a transfer is writing, every later answer is delayed 60 s: the run stops, reported, long
    before any of those could arrive (the `--help` promise is 2 s; measured without load in benchmarks,
    here bounded loosely so a loaded machine does not fail it)."""
    out = tmp_path / "out"
    size = 4 * 1024 * 1024
    with serve(provider, file_size=size) as served:
        ids = many_ids(served.running, 8)
        served.running.faults.throttle = 8 * 1024 * 1024  # half a second a file: some are under way
        with started(served, "download", *ids, "--out", str(out), form, "--concurrency", "3") as process:
            deadline = time.monotonic() + DEADLINE
            while not list(out.glob(".*.docfetch-part")) and time.monotonic() < deadline:
                time.sleep(0.02)  # wait until a transfer is writing
            assert process.poll() is None
            served.running.faults.delay = 60.0
            process.send_signal(sent)
            begun = time.monotonic()
            stdout, stderr = process.communicate(timeout=DEADLINE)
            took = time.monotonic() - begun
            served.running.faults.delay = 0.0
    assert process.returncode == code, stderr
    assert took < 15.0  # far from the 60 s a waiting run would take
    assert list(out.rglob("*.docfetch-part")) == []
    if form == "--json":
        data = json.loads(stdout)
        saved = data["saved"]
    else:
        saved = [entry for entry in jsonl(stdout.splitlines()) if entry["status"] == "saved"]
    on_disk = {path for path in out.iterdir()} if out.exists() else set()
    assert {Path(entry["path"]) for entry in saved} == on_disk  # every file there is reported, and whole
    for entry in saved:
        assert Path(entry["path"]).stat().st_size == entry["bytes"] > 0
