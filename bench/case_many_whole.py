"""Case 2, whole process: ``docfetch api2convert download JOB`` run as a user runs it (a fresh process,
start-up included) against ``curl --parallel`` and ``aria2c -j`` fetching the same output URLs, from
a storage origin that answers every request after the case's latency."""

from __future__ import annotations

import itertools
import math
import os
import shutil
import statistics
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator

from bench.case_many import aria2c_command
from bench.case_many import check_files
from bench.case_many import curl_command
from bench.config import KIB
from bench.config import BenchConfig
from bench.procs import docfetch_command
from bench.procs import run_timed
from bench.procs import run_worker
from bench.procs import settle_disk
from bench.results import CaseResult
from bench.results import Sample
from bench.results import Series
from bench.results import Target
from bench.results import alternate
from bench.servers import LatencyOrigin

NO_CAP = 10**9  # the emulator's per-output download cap (10): every contender fetches every output per run


def run(cfg: BenchConfig, workdir: Path) -> list[CaseResult]:
    sizes = cfg.many_whole
    return [
        one_size(cfg, workdir / f"{n}x{size}", n, size, warm_up=i == 0) for i, (n, size) in enumerate(sizes)
    ]


def one_size(cfg: BenchConfig, workdir: Path, n: int, size: int, *, warm_up: bool) -> CaseResult:
    c, latency = cfg.concurrency, cfg.latency
    cli = f"docfetch api2convert download JOB --out DIR --concurrency {c}"
    in_process = f"docfetch Api2ConvertClient.download (concurrency={c}), in process: call to return"
    curl, aria2c = f"curl --parallel --parallel-max {c}", f"aria2c -j {c}"
    floor = math.ceil(n / c) * latency
    result = CaseResult(
        key=f"many-whole-{n}",
        title=f"2. Many files, whole process: {n} x {size // KIB} KiB from one API2Convert job, "
        f"{latency * 1000:g} ms per storage response",
        method=(
            f"The API2Convert emulator holds one completed job with {n} outputs; their URIs point at a "
            f"storage origin (`bench.servers.LatencyOrigin`: raw asyncio HTTP/1.1 keep-alive, bodies in "
            f"memory) that answers every request {latency * 1000:g} ms after it arrived. The first row is "
            f"the command a user runs, timed as a whole fresh process (interpreter start, imports, the job "
            f"call, {n} downloads each verified against the job's size and MD5, fsynced and renamed, the "
            f"output lines; stdout is a file, so no live display; bytecode compiled, as after an install: "
            f"one untimed run first). The second runs the same "
            f"`Api2ConvertClient.download` in a fresh child timed from the call to its return (imports "
            f"outside), so the difference is start-up and exit. curl and aria2c fetch the same output URLs "
            f"(read from the emulator beforehand) at the same concurrency, as whole processes. Runs "
            f"alternate; each writes into a fresh directory and nothing is deleted before the bench ends (on "
            f"this machine's ext4 without a journal, creating files near many just-deleted ones costs ~0.8 "
            f"ms each: bench/NOTES.md). The floor set by latency alone is ceil({n} / {c}) x "
            f"{latency * 1000:g} ms = {floor:.2f} s: the Note column gives each median against it; below "
            f"the table, the TCP connections each contender opened to the origin."
        ),
        reference=curl,
        work=n,
        work_unit="files",
    )
    # As installed packages run: from bytecode, written by the untimed warm-up run if missing.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    with (
        run_emulator("api2convert", file_size=size, download_cap=NO_CAP) as emu,
        LatencyOrigin(latency) as origin,
    ):
        emu.storage.base_url = origin.base_url  # output URIs are made when the job completes: after this
        job_id = emu.state.add_job(targets=tuple(f"p{i:05d}" for i in range(n)))
        emu.state.status_of(job_id)
        links = []
        for output in emu.state.find(job_id).outputs:
            stored = emu.storage.get(output.key)
            headers = {"content-type": stored.content_type, "etag": stored.etag, "accept-ranges": "bytes"}
            origin.add(urlsplit(output.uri).path, stored.data, headers)
            links.append((output.filename, output.uri))
        env.update(API2CONVERT_API_KEY=str(emu.api_key), API2CONVERT_BASE_URL=emu.base_url)
        connections: dict[str, list[int]] = {}
        runs = itertools.count()

        def timed(label: str, measure: Callable[[Path], Sample]) -> Callable[[], Sample]:
            def run_once() -> Sample:
                dest = workdir / f"run-{next(runs):03d}"
                dest.mkdir(parents=True)  # curl writes into it; docfetch would create it
                settle_disk()
                origin.reset_counts()
                sample = measure(dest)
                connections.setdefault(label, []).append(origin.connections)
                check_files(dest, n, size)
                return sample

            return run_once

        def command(dest: Path) -> Sample:
            download = ["api2convert", "download", job_id, "--out", str(dest), "--concurrency", str(c)]
            return run_timed([*docfetch_command("cli"), *download], env=env)

        runners = {
            cli: timed(cli, command),
            in_process: timed(in_process, lambda d: run_worker(worker_spec(emu, job_id, d, c, n))),
        }
        if shutil.which("curl"):
            runners[curl] = timed(curl, lambda d: run_timed(curl_command(links, workdir, d, c)))
        else:
            result.skipped.append(f"{curl}: curl is not installed")
        if shutil.which("aria2c"):
            runners[aria2c] = timed(aria2c, lambda d: run_timed(aria2c_command(links, workdir, d, c)))
        else:
            result.skipped.append(f"{aria2c}: aria2c is not installed")
        if warm_up:  # bytecode and page cache, as for a user's second run; not counted
            timed("warm-up", command)()
            del connections["warm-up"]
        series = {label: Series(label) for label in runners}
        alternate(runners, cfg.reps, series)
    result.series = list(series.values())
    for label, one in series.items():
        against_aria2c = result.ratio(label, aria2c) if aria2c in series else None
        one.note = f"{one.median / floor:.2f} x floor" + (
            f"; {against_aria2c:.2f} x aria2c" if against_aria2c is not None and label != aria2c else ""
        )
    result.notes.append(
        "TCP connections opened to the storage origin per run (median): "
        + ", ".join(f"{label.split(' (')[0]}: {statistics.median(v):g}" for label, v in connections.items())
        + "."
    )
    what = f"Many files, whole process ({n} x {size // KIB} KiB): docfetch time"
    if curl in series:  # the issue: within 1.2 x curl --parallel (at 500 x 64 KiB, 20 ms latency)
        result.targets.append(Target(f"{what} / curl's", result.ratio(cli), 1.2))
    if aria2c in series:  # the issue: faster than aria2c at every size
        result.targets.append(Target(f"{what} / aria2c's", result.ratio(cli, aria2c), 1.0))
    return result


def worker_spec(emu: RunningEmulator, job_id: str, dest: Path, concurrency: int, n: int) -> dict[str, object]:
    return {
        "task": "api2convert_download",
        "base_url": emu.base_url,
        "api_key": emu.api_key,
        "job_id": job_id,
        "dest": str(dest),
        "concurrency": concurrency,
        "expect_files": n,
    }
