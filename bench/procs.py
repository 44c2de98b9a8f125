"""Running contenders as child processes and timing them."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.results import Sample

WORKER = Path(__file__).resolve().parent / "worker.py"
DEFAULT_TIMEOUT = 600.0
PROFILE_ENV = "BENCH_PROFILE"  # a directory: every worker run is recorded there by py-spy
_profiled = 0


_SAMPLE_KEYS = {"seconds", "cpu_seconds", "maxrss_kib", "baseline_kib", "bytes"}


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
        launched([*_profiler(spec["task"]), sys.executable, "-P", str(WORKER)]),
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
        extra={key: value for key, value in data.items() if key not in _SAMPLE_KEYS},
    )


# Every timed process is started by this small interpreter, which reports its wall time and rusage
# (to the file named first; "-": none). A process's peak RSS (ru_maxrss) includes the memory of the
# process it was spawned from (Linux keeps the high-water mark across exec): spawned straight from the
# bench, with its emulators and servers, every child would report the bench's ~70 MiB. From here, the
# launcher's ~10 MiB are the floor.
_LAUNCHER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds, code = time.perf_counter() - start, os.waitstatus_to_exitcode(status)
if report != "-":
    with open(report, "w") as out:
        json.dump([seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code], out)
sys.exit(code)
"""


def launched(command: Sequence[str], report: str = "-") -> list[str]:
    """``command`` started through the launcher above."""
    return [sys.executable, "-I", "-S", "-c", _LAUNCHER, report, *command]


def run_timed(
    command: Sequence[str],
    timeout: float = DEFAULT_TIMEOUT,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Sample:
    """Wall time, CPU time (user + system) and peak RSS of an external command, process start included
    (the process and the children it waited for). It must exit 0."""
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        report, output = Path(tmp) / "report.json", Path(tmp) / "output.txt"
        with output.open("wb") as sink:
            launcher = subprocess.Popen(
                launched(command, str(report)),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=env,
                start_new_session=True,  # a timeout ends the command too, as a process group
            )
            try:
                launcher.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(launcher.pid, signal.SIGKILL)
                launcher.wait()
                raise RunFailed(f"{command[0]} did not finish within {timeout:g} s") from None
        if not report.exists():
            raise RunFailed(
                f"{command[0]} could not be started:\n{output.read_text(errors='replace')[-4000:]}"
            )
        seconds, cpu, maxrss_kib, code = json.loads(report.read_text())
        if code != 0:
            raise RunFailed(f"{command[0]} exited {code}:\n{output.read_text(errors='replace')[-4000:]}")
    return Sample(seconds, cpu_seconds=cpu, maxrss_kib=maxrss_kib)


def docfetch_command(task: str) -> list[str]:
    """The ``docfetch`` console script of this interpreter's environment, as a user runs it (else
    ``python -m docfetch``), behind py-spy when BENCH_PROFILE is set."""
    script = Path(sys.executable).parent / "docfetch"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "docfetch"]
    return [*_profiler(task), *command]


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
