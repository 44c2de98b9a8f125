"""Case 2: many small files through the Veridox flow, with latency on every storage response:
docfetch against aria2c and ``curl --parallel`` fetching the same signed URLs from the same server
(and, in :mod:`bench.case_many_whole`, the ``docfetch`` command as a whole process)."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator

from bench.config import KIB
from bench.config import BenchConfig
from bench.procs import clear_dir
from bench.procs import run_timed
from bench.procs import run_worker
from bench.procs import settle_disk
from bench.results import CaseResult
from bench.results import Sample
from bench.results import Series
from bench.results import Target
from bench.results import alternate
from bench.servers import delayed_storage

BATCH = 25  # Veridox's maxItems for file_ids


def resolve(emu: RunningEmulator, ids: list[str]) -> list[tuple[str, str]]:
    """(label, signed URL) per file, through POST /files/download with plain httpx (not timed)."""
    links: list[tuple[str, str]] = []
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers()) as http:
        for start in range(0, len(ids), BATCH):
            response = http.post("/files/download", json={"file_ids": ids[start : start + BATCH]})
            response.raise_for_status()
            body = response.json()
            if body["errors"]:
                raise RuntimeError(f"the emulator refused files: {body['errors'][:3]}")
            links += [(item["label"], item["download_url"]) for item in body["files"]]
    return links


def check_files(dest: Path, count: int, size: int) -> None:
    files = list(dest.iterdir())
    wrong = [f.name for f in files if f.stat().st_size != size]
    if len(files) != count or wrong:
        raise RuntimeError(f"{len(files)} files of which {len(wrong)} of the wrong size, expected {count}")


def run(cfg: BenchConfig, workdir: Path) -> list[CaseResult]:
    """The Veridox flow, and the whole-process runs of :mod:`bench.case_many_whole`. Those run first,
    before this case has deleted any file (deleting many files slows creating files nearby for
    minutes on this machine: bench/NOTES.md)."""
    from bench import case_many_whole  # it reuses this module's commands

    whole = case_many_whole.run(cfg, workdir / "whole")
    return [veridox(cfg, workdir / "veridox"), *whole]


def veridox(cfg: BenchConfig, workdir: Path) -> CaseResult:
    n, c, size = cfg.many_files, cfg.concurrency, cfg.many_file_size
    docfetch, docfetch_async, engine = (
        f"docfetch VeridoxClient.download (concurrency={c})",
        f"docfetch AsyncVeridoxClient.download (concurrency={c})",
        f"docfetch engine download_many, same URLs (concurrency={c})",
    )
    aria2c, curl = f"aria2c -j {c}", f"curl --parallel --parallel-max {c}"
    result = CaseResult(
        key="many",
        title=f"2. Many files: {n} x {size // KIB} KiB, {cfg.latency * 1000:g} ms added per storage response",
        method=(
            "The Veridox emulator holds the files; its storage origin is served again behind an ASGI wrapper "
            f"that sleeps {cfg.latency * 1000:g} ms (asyncio, so concurrent requests wait in parallel) before "
            "every storage response, and the links the API hands out point there; the API itself gets no "
            "added latency. docfetch runs the whole flow in a fresh child process: link calls "
            "(POST /files/download, 25 ids each, one after another), then the downloads, each fsynced and "
            "renamed into place. Veridox allows 20 signing requests a minute and the client paces itself to "
            "that; the emulator's limit is switched off and the client is given an unlimited `rate_limiter`, "
            "so the API's quota does not count as docfetch's time. aria2c, curl "
            "and docfetch's bare engine get the signed URLs resolved beforehand (outside the timing) and "
            f"fetch them at the same concurrency ({c}). aria2c and curl are timed as whole processes, docfetch "
            "from the call to its return. Runs alternate; the previous files are deleted and synced "
            "before each run."
        ),
        reference=aria2c,
        work=n,
        work_unit="files",
    )
    workdir.mkdir(parents=True, exist_ok=True)
    dest = workdir / "out"
    with run_emulator("veridox", file_size=size, rate_limit_per_minute=0) as emu:
        ids = emu.state.add_files(n, case_label="bench")
        with delayed_storage(emu.storage, cfg.latency):
            links = resolve(emu, ids)
            base = {"base_url": emu.base_url, "api_key": emu.api_key, "dest": str(dest), "expect_files": n}

            def worker(spec: dict[str, object]) -> Sample:
                sample = run_worker({**base, **spec})
                check_files(dest, n, size)
                clear_dir(dest)
                settle_disk()
                return sample

            def tool(command: list[str]) -> Sample:
                sample = run_timed(command)
                check_files(dest, n, size)
                clear_dir(dest)
                settle_disk()
                return sample

            runners = {
                docfetch: lambda: worker({"task": "veridox_download", "ids": ids, "concurrency": c}),
                docfetch_async: lambda: worker(
                    {"task": "veridox_download", "ids": ids, "concurrency": c, "async": True}
                ),
                engine: lambda: worker({"task": "engine_download", "urls": links, "concurrency": c}),
            }
            if shutil.which("aria2c"):
                runners[aria2c] = lambda: tool(aria2c_command(links, workdir, dest, c))
            else:
                result.skipped.append(f"{aria2c}: aria2c is not installed")
            if shutil.which("curl"):
                runners[curl] = lambda: tool(curl_command(links, workdir, dest, c))
            else:
                result.skipped.append(f"{curl}: curl is not installed")
            clear_dir(dest)
            series = {label: Series(label) for label in runners}
            alternate(runners, cfg.reps, series)
    result.series = list(series.values())
    if aria2c in series:
        result.targets.append(Target("Many files: docfetch time / aria2c's", result.ratio(docfetch), 1.0))
    return result


def aria2c_command(links: list[tuple[str, str]], workdir: Path, dest: Path, concurrency: int) -> list[str]:
    listing = workdir / "aria2c-input.txt"
    listing.write_text("".join(f"{url}\n  out={name}\n" for name, url in links))
    return [
        "aria2c",
        "--no-conf=true",
        f"--input-file={listing}",
        f"--dir={dest}",
        f"--max-concurrent-downloads={concurrency}",
        "--max-connection-per-server=1",
        "--split=1",
        "--file-allocation=none",
        "--allow-overwrite=true",
        "--auto-file-renaming=false",
        "--quiet=true",
    ]


def curl_command(links: list[tuple[str, str]], workdir: Path, dest: Path, concurrency: int) -> list[str]:
    config = workdir / "curl-config.txt"
    config.write_text("".join(f'url = "{url}"\noutput = "{dest / name}"\n' for name, url in links))
    return [
        "curl",
        "--parallel",
        "--parallel-immediate",
        "--parallel-max",
        str(concurrency),
        "--silent",
        "--show-error",
        "--fail",
        "--config",
        str(config),
    ]
