"""Helpers for the CLI tests: the installed `docfetch` console script run as a subprocess against
the emulators, per-provider test data, and readers for what it prints."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docfetch.cli.providers import PROVIDERS
from docfetch.cli.providers import environment_for
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator

CLI_TIMEOUT = 60.0
PROVIDER_VARIABLES = {variable for info in PROVIDERS.values() for variable in info.variables}


@dataclass(frozen=True)
class Case:
    """Per-provider test data: an id that is well formed but unknown, and one the client rejects."""

    unknown_id: str
    malformed_id: str


CASES: Mapping[str, Case] = {
    "sarvam": Case("20260101_00000000-0000-4000-8000-000000000000", "job\x01id"),
    "indexhealth": Case("doc-00000000", "doc\x01id"),
    "telnyx": Case("00000000-0000-4000-8000-000000000000", "not-a-uuid"),
    # a UUIDv4: Veridox file ids are UUIDv7
    "veridox": Case("01941f29-7cff-7000-8000-000000000000", "6a09cdc3-8948-47f0-aa62-74ac943d6c58"),
    "api2convert": Case("00000000-0000-4000-8000-000000000000", "job\x01id"),
}


def docfetch_command() -> list[str]:
    """The installed console script (beside this interpreter, else on PATH)."""
    beside = Path(sys.executable).parent / "docfetch"
    found = str(beside) if beside.exists() else shutil.which("docfetch")
    if found is None:
        pytest.fail("the `docfetch` console script is not installed (pip install -e wrappers)")
    return [found]


def clean_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any provider variable (a developer's real keys must not leak in)."""
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_VARIABLES}
    env.update(extra or {})
    return env


@dataclass
class Served:
    """A running emulator and the environment that points the CLI at it."""

    running: RunningEmulator
    env: dict[str, str]

    @property
    def ids(self) -> list[str]:
        return list(self.running.ids)

    def run(self, *args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return run_cli([self.running.provider, *args], env=self.env if env is None else env)


def run_cli(args: Sequence[str], *, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*docfetch_command(), *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )


@contextmanager
def interruptible_children() -> Iterator[None]:
    """Processes started in the block take Ctrl-C (SIGINT) as a terminal user's do, even when this run
    itself was started with SIGINT ignored (nohup, or `&` without job control): an ignored signal stays
    ignored through exec, a handled one is reset to its default."""
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def serve(provider: str, **config: Any) -> Iterator[Served]:
    """Run the emulator of `provider` (keywords as EmulatorConfig) for the block."""
    with run_emulator(provider, **config) as running:
        yield Served(running, clean_environment(environment_for(running.info())))


def report(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The `--json` report on stdout (and the shape the contract promises)."""
    data: dict[str, Any] = json.loads(result.stdout)
    assert set(data) == {"saved", "failed"}
    assert all(set(entry) == {"id", "path", "bytes", "sha256"} for entry in data["saved"])
    assert all(set(entry) == {"id", "error"} for entry in data["failed"])
    return data


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return result.stderr.splitlines()
