"""Case 6: scale. Veridox's documented limits, time-scaled 60 to 1: 20 signing requests a second and
60-second links stand for 20 a minute and 60-minute links. 1,000 and 20,000 ids of 4 KiB go through
``iter_download`` (in a fresh process) and through ``docfetch veridox download --ids-from FILE`` (a
whole process). What counts: the first file saved within a second, about one signing request per 25
files (no expired link re-signed one by one), memory that does not grow with the number of ids, and
every file saved once."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from docfetch.emulators import run_emulator

from bench.config import KIB
from bench.config import BenchConfig
from bench.procs import run_timed
from bench.procs import run_worker
from bench.results import CaseResult
from bench.results import Sample
from bench.results import Series
from bench.results import Target

SCALE = 60  # one real second stands for one minute
REQUESTS_PER_MINUTE = 20 * SCALE
LINK_TTL = 3600 / SCALE
FILE_SIZE = 4 * KIB
BATCH = 25
RSS_GROWTH_LIMIT_MIB = 16.0
# The CLI builds its own clients: the time-scaled pace is set where the client reads it.
SCALED_CLI = (
    "import docfetch.providers.veridox.rules as rules; "
    f"rules.REQUESTS_PER_MINUTE = {REQUESTS_PER_MINUTE}; "
    "from docfetch.cli import main; raise SystemExit(main())"
)


def _saved_files(dest: Path) -> list[Path]:
    return [path for path in dest.iterdir() if not path.name.startswith(".")]


def _first_saved(dest: Path, started: float) -> float:
    """Seconds from the start to the first file in place (its inode change time)."""
    return min(path.stat().st_ctime for path in _saved_files(dest)) - started


def run(cfg: BenchConfig, workdir: Path) -> CaseResult:
    result = CaseResult(
        key="scale",
        title=f"6. Scale: Veridox at its limits, time-scaled {SCALE}:1, {' and '.join(f'{n:,}' for n in cfg.scale_ids)} ids",
        method=(
            f"The Veridox emulator serves {FILE_SIZE // KIB} KiB files and enforces {REQUESTS_PER_MINUTE} "
            f"signing requests a minute (20 a second) with links valid {LINK_TTL:g} s: Veridox's 20 a minute and "
            f"60-minute links, {SCALE} times faster. docfetch is paced to the same limit. `iter_download` reads the "
            "ids from a file as it goes, in a fresh process; the command is `docfetch veridox download --ids-from "
            "FILE --jsonl` as a whole process (its pace set to the scaled limit before it starts). Time to the "
            "first file: the first result (iter_download) or the first file in place (the command, by its inode "
            "change time). Link requests are counted at the emulator. One run each (a 20,000-id run takes about "
            "40 s of signing at 20 a second)."
        ),
        reference=None,
    )
    rows: dict[tuple[str, int], tuple[Sample, float, int, int]] = {}
    for n in cfg.scale_ids:
        for path in ("iter_download", "command"):
            rows[(path, n)] = _measure(path, n, cfg, workdir / f"{path}-{n}")
    for (path, n), (sample, first, requests, saved) in rows.items():
        label = f"{path}, {n:,} ids"
        result.series.append(
            Series(
                label, [sample], note=f"first file {first:.2f} s; {requests} link requests; {saved:,} files"
            )
        )
        result.targets += [
            Target(f"{label}: time to the first file", first, 1.0, "s"),
            Target(
                f"{label}: link requests per 25 files",
                requests / (n / BATCH),
                1.05,
                "x ids/25",
                detail=f"{requests} requests for {n:,} ids",
            ),
            Target(f"{label}: every file saved once", saved / n, 1.0, "x", higher_is_better=True),
        ]
    for path in ("iter_download", "command"):
        small, large = (rows[(path, n)][0].maxrss_kib for n in (min(cfg.scale_ids), max(cfg.scale_ids)))
        if small is not None and large is not None:
            growth = (large - small) / 1024
            result.targets.append(
                Target(f"{path}: peak RSS growth from {min(cfg.scale_ids):,} to {max(cfg.scale_ids):,} ids",
                       growth, RSS_GROWTH_LIMIT_MIB, "MiB", detail=f"{small / 1024:.1f} -> {large / 1024:.1f} MiB")
            )  # fmt: skip
    return result


def _measure(path: str, n: int, cfg: BenchConfig, workdir: Path) -> tuple[Sample, float, int, int]:
    dest = workdir / "out"
    workdir.mkdir(parents=True, exist_ok=True)
    config = {"rate_limit_per_minute": REQUESTS_PER_MINUTE, "link_ttl": LINK_TTL, "file_size": FILE_SIZE}
    with run_emulator("veridox", **config) as emu:
        ids_file = workdir / "ids.txt"
        ids_file.write_text("\n".join(emu.state.add_files(n)) + "\n")
        before = len(emu.api_requests)
        if path == "iter_download":
            spec = {
                "task": "veridox_stream",
                "api_key": emu.api_key,
                "base_url": emu.base_url,
                "ids_file": str(ids_file),
                "dest": str(dest),
                "requests_per_minute": REQUESTS_PER_MINUTE,
                "c": cfg.concurrency,
            }
            sample = run_worker(spec)
            first = float(sample.extra["first"])
        else:
            command = [sys.executable, "-c", SCALED_CLI, "veridox", "download", "--ids-from", str(ids_file),
                       "--out", str(dest), "--jsonl", "--no-progress", "--concurrency", str(cfg.concurrency)]  # fmt: skip
            env = {
                "VERIDOX_API_KEY": emu.api_key or "",
                "VERIDOX_BASE_URL": emu.base_url,
                "PATH": "/usr/bin:/bin",
            }
            started = time.time()
            sample = run_timed(command, env=env, timeout=900)
            first = _first_saved(dest, started)
        requests = sum(1 for r in emu.api_requests[before:] if r.path.endswith("/files/download"))
    saved = len(_saved_files(dest))
    return sample, first, requests, saved
