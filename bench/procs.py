"""Running contenders as child processes and timing them."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.results import Sample

WORKER = Path(__file__).resolve().parent / "worker.py"
DEFAULT_TIMEOUT = 600.0
PROFILE_ENV = "BENCH_PROFILE"  # a directory: every worker run is recorded there by py-spy
_profiled = 0


class RunFailed(RuntimeError):
    """A contender's run failed: its output is in the message."""


def _profiler(task: str) -> list[str]:
    """``py-spy record`` in front of the worker when BENCH_PROFILE names a directory (collapsed
    stacks of every thread, one file per run; the timings of a profiled run are not meaningful)."""
    global _profiled
    directory = os.environ.get(PROFILE_ENV)
    if not directory:
        return []
    _profiled += 1
    out = Path(directory) / f"{_profiled:03d}-{task}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    return ["py-spy", "record", "--format", "raw", "--threads", "--rate", "500", "--output", str(out), "--"]


def run_worker(spec: dict[str, Any], timeout: float = DEFAULT_TIMEOUT) -> Sample:
    """One docfetch (or httpx / SDK) run in a fresh interpreter; the sample is what it measured."""
    # -P: the script's directory stays off sys.path, so bench/ modules never shadow real ones.
    result = subprocess.run(
        [*_profiler(spec["task"]), sys.executable, "-P", str(WORKER)],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RunFailed(f"worker {spec['task']} exited {result.returncode}:\n{result.stderr[-4000:]}")
    data = json.loads(next(line for line in reversed(result.stdout.splitlines()) if line.startswith("{")))
    return Sample(
        seconds=float(data["seconds"]),
        cpu_seconds=float(data["cpu_seconds"]),
        maxrss_kib=data.get("maxrss_kib"),
        baseline_kib=data.get("baseline_kib"),
        bytes=data.get("bytes"),
    )


def run_timed(command: Sequence[str], timeout: float = DEFAULT_TIMEOUT, cwd: Path | None = None) -> Sample:
    """Wall and CPU time of an external command (process start included), which must exit 0."""
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(list(command), capture_output=True, text=True, timeout=timeout, cwd=cwd)
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if result.returncode != 0:
        raise RunFailed(
            f"{command[0]} exited {result.returncode}:\n{(result.stdout + result.stderr)[-4000:]}"
        )
    return Sample(seconds=seconds, cpu_seconds=cpu)


def _children_cpu() -> float:
    """User + system seconds of every child process waited for so far (and of their children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def settle_disk() -> None:
    """Flush dirty pages left by the previous run so its writeback does not slow the next one."""
    os.sync()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def clear_dir(path: Path) -> None:
    """Empty ``path`` (the previous run's files), keeping the directory."""
    path.mkdir(parents=True, exist_ok=True)
    for child in path.iterdir():
        child.unlink()
