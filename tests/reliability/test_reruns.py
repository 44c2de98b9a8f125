"""Issue "resumable batches": the CLI killed with SIGKILL at seeded random moments, then run again with
the same archive. Every time: each file present once and byte-identical, no part file left, nothing the
first run had saved fetched again, and every transfer the kill interrupted resumed with a Range request.
Also: a rerun of a finished batch sends no request, and two processes sharing one archive fetch each
file once. Processes are started and killed by the test, by pid."""

from __future__ import annotations

import hashlib
import json
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docfetch.cli.providers import environment_for
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.veridox_state import VeridoxState

pytestmark = pytest.mark.reliability("reruns")

RUNS_PER_PROVIDER = 10
FILES = 6
FILE_SIZE = 1024 * 1024
THROTTLE = 3 * 1024 * 1024  # bytes/s per transfer: a run takes ~1 s, long enough to be killed midway
DEADLINE = 60.0


@dataclass
class Batch:
    """A provider's emulator, the ids of a batch and what each saved file must hold."""

    emu: RunningEmulator
    ids: list[str]
    expected: dict[str, str]  # file name -> sha256
    env: dict[str, str]

    @property
    def provider(self) -> str:
        return self.emu.provider


def _docfetch() -> str:
    import shutil
    import sys

    beside = Path(sys.executable).parent / "docfetch"
    found = str(beside) if beside.exists() else shutil.which("docfetch")
    assert found is not None, "the docfetch console script is not installed"
    return found


@pytest.fixture(scope="module", params=["telnyx", "veridox", "api2convert"])
def batch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Batch]:
    provider: str = request.param
    config = {"download_cap": 1000} if provider == "api2convert" else {}  # every run downloads each output
    with run_emulator(provider, file_size=FILE_SIZE, **config) as emu:
        state: Any = emu.state
        if provider == "telnyx":
            ids = [
                state.add_document(random.Random(n).randbytes(FILE_SIZE), filename=f"f{n}.pdf").id
                for n in range(FILES)
            ]
        elif provider == "veridox":
            assert isinstance(state, VeridoxState)
            ids = list(state.add_files(FILES))
        else:
            ids = [
                state.add_job(
                    targets=("png", "jpg", "pdf"), source=f"https://example.com/files/report-{n}.pdf"
                )
                for n in range(2)
            ]
        env = {**environment_for(emu.info()), "PATH": "/usr/bin:/bin"}
        reference = tmp_path_factory.mktemp(f"{provider}-reference")
        plain = subprocess.run(
            [_docfetch(), provider, "download", *ids, "--out", str(reference), "--json"],
            env=env, capture_output=True, text=True, timeout=DEADLINE, check=False,
        )  # fmt: skip
        assert plain.returncode == 0, plain.stderr
        expected = {path.name: _sha256(path) for path in reference.iterdir()}
        assert len(expected) == (FILES if provider != "api2convert" else 6)
        emu.faults.throttle = THROTTLE
        yield Batch(emu, ids, expected, env)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _command(batch: Batch, out: Path, archive: Path, listing: Path) -> list[str]:
    return [
        _docfetch(), batch.provider, "download", "--ids-from", str(listing), "--out", str(out),
        "--archive", str(archive), "--jsonl", "--concurrency", "2",
    ]  # fmt: skip


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _storage_gets(emu: RunningEmulator, since: int) -> list[Any]:
    return [r for r in emu.storage.requests[since:] if r.method == "GET"]


@pytest.mark.parametrize("run", range(RUNS_PER_PROVIDER))
def test_a_killed_batch_reruns_without_losing_or_repeating_work(
    batch: Batch, run: int, tmp_path: Path, ledger: Any
) -> None:
    rng = random.Random(f"{batch.provider}:{run}")
    kill_after = rng.uniform(0.15, 1.6)
    out, archive, listing = tmp_path / "out", tmp_path / "archive.db", tmp_path / "ids.txt"
    listing.write_text("\n".join(batch.ids) + "\n")
    command = _command(batch, out, archive, listing)

    process = subprocess.Popen(
        command, env=batch.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(kill_after)
    finally:
        process.send_signal(signal.SIGKILL)
        first_out, _ = process.communicate(timeout=DEADLINE)
    saved_first = {entry["path"] for entry in _lines(first_out) if entry["status"] == "saved"}
    parts = {path: path.stat().st_size for path in out.glob(".*.docfetch-part")} if out.exists() else {}
    started = len(batch.emu.storage.requests)

    rerun = subprocess.run(
        command, env=batch.env, capture_output=True, text=True, timeout=DEADLINE, check=False
    )

    assert rerun.returncode == 0, rerun.stderr
    entries = _lines(rerun.stdout)
    files = sorted(path for path in out.iterdir())
    assert {path.name: _sha256(path) for path in files} == batch.expected  # once each, byte-identical
    assert [path for path in files if path.name.startswith(".")] == []  # no part file left
    skipped = {entry["path"] for entry in entries if entry["status"] == "skipped"}
    assert skipped >= saved_first, f"killed run:\n{first_out}\nrerun:\n{rerun.stdout}{rerun.stderr}"
    assert not saved_first & {entry["path"] for entry in entries if entry["status"] == "saved"}
    resumed = [
        r for r in _storage_gets(batch.emu, started) if r.headers.get("range", "bytes=0-") != "bytes=0-"
    ]
    interrupted = [size for size in parts.values() if size > 0]
    assert len(resumed) >= len(interrupted)  # each transfer the kill cut short continued where it stopped
    ledger.run("reruns", "byte-identical after kill and rerun", faults=1)
    ledger.note("reruns", f"{batch.provider} run {run}: killed after {kill_after:.2f} s, {len(saved_first)} saved, "
                          f"{len(interrupted)} transfers cut short and resumed")  # fmt: skip


def test_a_finished_batch_rerun_sends_no_request_and_skips_everything(tmp_path: Path, ledger: Any) -> None:
    with run_emulator("api2convert") as emu:
        env = {**environment_for(emu.info()), "PATH": "/usr/bin:/bin"}
        state: Any = emu.state
        args = [_docfetch(), "api2convert", "download", *emu.ids, "--out", str(tmp_path / "out"),
                "--archive", str(tmp_path / "a.db"), "--json"]  # fmt: skip
        first = subprocess.run(args, env=env, capture_output=True, text=True, timeout=DEADLINE, check=False)
        assert first.returncode == 0, first.stderr
        saved = json.loads(first.stdout)["saved"]
        outputs = [output.id for job_id in emu.ids for output in state.render_outputs(state.find(job_id))]
        counters = {output: state.downloads(output) for output in outputs}
        api, storage = len(emu.api_requests), len(emu.storage.requests)

        second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=DEADLINE, check=False)

        assert second.returncode == 0, second.stderr
        report = json.loads(second.stdout)
        assert report["saved"] == [] and report["failed"] == []
        assert sorted(e["path"] for e in report["skipped"]) == sorted(e["path"] for e in saved)
        assert (len(emu.api_requests), len(emu.storage.requests)) == (api, storage)  # not one request
        assert {output: state.downloads(output) for output in outputs} == counters
    ledger.run("reruns", "finished batch: no request")


def test_two_processes_on_one_archive_transfer_each_file_once(tmp_path: Path, ledger: Any) -> None:
    with run_emulator("veridox", file_size=256 * 1024) as emu:
        state: Any = emu.state
        ids = list(state.add_files(12))
        emu.faults.throttle = 2 * 1024 * 1024
        env = {**environment_for(emu.info()), "PATH": "/usr/bin:/bin"}
        listing = tmp_path / "ids.txt"
        listing.write_text("\n".join(ids))
        args = [_docfetch(), "veridox", "download", "--ids-from", str(listing), "--out", str(tmp_path / "out"),
                "--archive", str(tmp_path / "a.db"), "--jsonl"]  # fmt: skip
        processes = [
            subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        try:
            outputs = [process.communicate(timeout=DEADLINE) for process in processes]
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)
        assert [process.returncode for process in processes] == [0, 0], [err for _, err in outputs]
        gets = [r.path for r in emu.storage.requests if r.method == "GET"]
        assert len(gets) == len(set(gets)) == 12  # each file transferred once, by one of the two
        statuses = [entry["status"] for out, _ in outputs for entry in _lines(out)]
        assert statuses.count("saved") == 12 and statuses.count("skipped") == 12
    ledger.run("reruns", "two processes, one archive: each file once")
