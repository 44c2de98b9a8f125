"""`nox -s demo`: every provider's emulator, its seeded documents downloaded with the CLI.

For each provider: start `docfetch emulate P --port 0` and read its JSON line, run
`docfetch P download <ids> --out demo-output/P --json` with the environment variables that line
names, and show what was saved. The emulators are always stopped; the exit status is 1 if anything
failed.

    python tools/demo.py [--out DIR] [PROVIDER ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from docfetch.cli.providers import PROVIDERS
from docfetch.cli.providers import environment_for
from rich.console import Console
from rich.table import Table

START_TIMEOUT = 60.0  # seconds for an emulator to print its JSON line
DOWNLOAD_TIMEOUT = 300.0
STOP_TIMEOUT = 15.0


@dataclass
class Outcome:
    provider: str
    saved: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)


def docfetch_command() -> list[str]:
    """The installed console script beside this interpreter, else `python -m docfetch`."""
    script = Path(sys.executable).parent / "docfetch"
    return [str(script)] if script.exists() else [sys.executable, "-m", "docfetch"]


def read_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The first line the process prints, or "" if none comes within `timeout` seconds."""
    assert process.stdout is not None
    stdout = process.stdout
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)


@contextmanager
def emulator(provider: str) -> Iterator[dict[str, Any]]:
    """`docfetch emulate PROVIDER --port 0` for the block; its JSON line. Stopped whatever happens."""
    process = subprocess.Popen(
        [*docfetch_command(), "emulate", provider, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = read_line(process, START_TIMEOUT)
        if not line:
            stop(process)
            error = (process.stderr.read() if process.stderr else "").strip().splitlines()
            raise RuntimeError(f"the emulator did not start: {error[-1] if error else 'no output'}")
        info: dict[str, Any] = json.loads(line)
        yield info
    finally:
        stop(process)


def download(provider: str, info: dict[str, Any], out_dir: Path) -> Outcome:
    """The CLI run against the emulator, as a user would run it."""
    env = {**os.environ, **environment_for(info)}
    args = [provider, "download", *info["ids"], "--out", str(out_dir / provider), "--json", "--overwrite"]
    result = subprocess.run(
        [*docfetch_command(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=DOWNLOAD_TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        reason = result.stderr.strip() or f"exit status {result.returncode}, no report"
        return Outcome(provider, failed=[{"id": "-", "error": reason}])
    return Outcome(provider, report["saved"], report["failed"])


def run_provider(provider: str, out_dir: Path) -> Outcome:
    try:
        with emulator(provider) as info:
            return download(provider, info, out_dir)
    except (OSError, RuntimeError, ValueError, subprocess.SubprocessError) as exc:
        return Outcome(provider, failed=[{"id": "-", "error": f"{type(exc).__name__}: {exc}"}])


def short(text: str, width: int = 14) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def show(outcomes: Sequence[Outcome], out_dir: Path, console: Console) -> None:
    table = Table(title=f"Saved into {out_dir}/<provider>/")
    for column in ("provider", "id", "file", "bytes", "sha256"):
        table.add_column(column, justify="right" if column == "bytes" else "left", no_wrap=column != "file")
    for outcome in outcomes:
        for entry in outcome.saved:
            table.add_row(
                outcome.provider,
                short(entry["id"]),
                Path(entry["path"]).name,
                f"{entry['bytes']:,}",
                entry["sha256"][:10],
            )
        for entry in outcome.failed:
            error = entry["error"].removeprefix("docfetch: ")
            table.add_row(outcome.provider, short(entry["id"]), f"[red]FAILED: {error}", "", "")
    console.print(table)
    saved = sum(len(o.saved) for o in outcomes)
    failed = sum(len(o.failed) for o in outcomes)
    size = sum(entry["bytes"] for o in outcomes for entry in o.saved)
    console.print(f"{saved} files saved ({size:,} bytes), {failed} failed")


def demo(out_dir: Path = Path("demo-output"), providers: Sequence[str] = tuple(PROVIDERS)) -> int:
    """Run the demo for `providers` into `out_dir`/<provider>/; 0 if everything was saved, else 1."""
    console = Console()
    outcomes: list[Outcome] = []
    for provider in providers:
        console.print(f"[bold]{provider}[/]: starting the emulator, downloading its seeded ids…")
        outcomes.append(run_provider(provider, out_dir))
    show(outcomes, out_dir, console)
    return 0 if all(not o.failed and o.saved for o in outcomes) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=Path("demo-output"), help="default ./demo-output")
    parser.add_argument(
        "providers", nargs="*", metavar="PROVIDER", help=f"default: all of {', '.join(PROVIDERS)}"
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.providers) - set(PROVIDERS))
    if unknown:
        parser.error(f"unknown provider {', '.join(unknown)}; choose from {', '.join(PROVIDERS)}")
    return demo(args.out, args.providers or tuple(PROVIDERS))


if __name__ == "__main__":
    sys.exit(main())
