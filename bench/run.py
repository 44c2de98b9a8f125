"""Run docfetch's benchmarks and write BENCHMARKS.md: ``python bench/run.py [options]``.

    python bench/run.py                      # the full run (about 10 minutes on 2 cores)
    python bench/run.py --large-size 256MiB  # a smaller large file
    python bench/run.py --only large,import  # some cases (the report then holds only those)
    python bench/run.py --only many          # many files: in process (Veridox) and the docfetch command
                                             # as a whole process (API2Convert, 500 x 64 KiB, 5,000 x 4 KiB)
    python bench/run.py --smoke --out -      # every case tiny, report on stdout

Needs docfetch with its emulators extra, the official SDKs (telnyx, sarvamai, api2convert) and, for
the references, curl, aria2c and nginx (Debian: apt-get install curl aria2 nginx-light); a missing
tool skips its contender. Case 5 needs the pinned generator tools (the dev .venv has them).
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the bench package importable
    sys.path.insert(0, str(ROOT))

from bench import case_calls  # noqa: E402
from bench import case_generate  # noqa: E402
from bench import case_import  # noqa: E402
from bench import case_large  # noqa: E402
from bench import case_many  # noqa: E402
from bench import case_scale  # noqa: E402
from bench.config import FULL  # noqa: E402
from bench.config import GIB  # noqa: E402
from bench.config import KIB  # noqa: E402
from bench.config import MIB  # noqa: E402
from bench.config import SMOKE  # noqa: E402
from bench.config import BenchConfig  # noqa: E402
from bench.machine import details  # noqa: E402
from bench.report import render  # noqa: E402
from bench.results import CaseResult  # noqa: E402

CaseRunner = Callable[[BenchConfig, Path], "CaseResult | list[CaseResult]"]
CASES: dict[str, CaseRunner] = {
    "large": case_large.run,
    "many": case_many.run,
    "calls": case_calls.run,
    "import": case_import.run,
    "generate": case_generate.run,
    "scale": case_scale.run,
}
UNITS = {"": 1, "b": 1, "kib": KIB, "mib": MIB, "gib": GIB}


def parse_size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*([kmg]ib|b)?\s*", text, re.IGNORECASE)
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 256MiB, 1GiB)")
    return int(match.group(1)) * UNITS[(match.group(2) or "").lower()]


def run_cases(
    cfg: BenchConfig, names: list[str], workdir: Path, log: Callable[[str], None]
) -> list[CaseResult]:
    results: list[CaseResult] = []
    for name in names:
        log(f"case {name}...")
        started = time.perf_counter()
        case_dir = workdir / name
        case_dir.mkdir(parents=True)
        outcome = CASES[name](cfg, case_dir)
        results += outcome if isinstance(outcome, list) else [outcome]
        log(f"case {name}: {time.perf_counter() - started:.1f} s")
    return results


def size_changes(cfg: BenchConfig) -> list[str]:
    """How this run's sizes differ from the issue's (said in the report)."""
    changes = []
    if cfg.large_size != FULL.large_size:
        changes.append(f"large file {cfg.large_size / MIB:g} MiB instead of {FULL.large_size / MIB:g} MiB")
    for field, what in (("many_files", "files"), ("calls", "link calls"), ("reps", "runs per contender")):
        if getattr(cfg, field) != getattr(FULL, field):
            changes.append(f"{getattr(cfg, field)} {what} instead of {getattr(FULL, field)}")
    if cfg.many_whole != FULL.many_whole:
        sizes = ", ".join(f"{n} x {size // KIB} KiB" for n, size in cfg.many_whole)
        changes.append(f"whole-process many files: {sizes}")
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="every case tiny (what CI's smoke test runs)")
    parser.add_argument("--only", default="", help=f"comma-separated cases: {', '.join(CASES)}")
    parser.add_argument("--large-size", type=parse_size, help="case 1 file size (default 1GiB)")
    parser.add_argument("--reps", type=int, help="alternating runs per contender (default 3)")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"), help="report path, '-' for stdout")
    args = parser.parse_args(argv)
    cfg = SMOKE if args.smoke else FULL
    if args.large_size is not None:
        cfg = cfg.with_(large_size=args.large_size)
    if args.reps is not None:
        cfg = cfg.with_(reps=args.reps)
    names = [n for n in args.only.split(",") if n] or list(CASES)
    unknown = sorted(set(names) - set(CASES))
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; choose from {', '.join(CASES)}")

    def log(message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    # Contenders run as installed packages run: from bytecode. With PYTHONDONTWRITEBYTECODE set (some
    # shells and CI images set it) no .pyc is ever written and every fresh process compiles docfetch,
    # httpx and the rest from source again (~0.3 s here).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    # SIGTERM (nox interrupted, a CI timeout) unwinds like Ctrl-C, so servers stop and files go.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="docfetch-bench-") as tmp:
        workdir = Path(tmp)
        results = run_cases(cfg, names, workdir, log)
        machine = details(workdir)
    command = " ".join(["python bench/run.py", *(sys.argv[1:] if argv is None else argv)])
    report = render(
        results,
        cfg,
        machine,
        seconds=time.perf_counter() - started,
        command=command,
        changes=size_changes(cfg),
    )
    if args.out == "-":
        sys.stdout.write(report)
    else:
        Path(args.out).write_text(report)
        log(f"wrote {args.out}")
    missed = [t.name for r in results for t in r.targets if t.met is False]
    for name in missed:
        log(f"target missed: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
