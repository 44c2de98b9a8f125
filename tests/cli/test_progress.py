"""The live progress display: rendered directly, and through the CLI in a pseudo-terminal."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path

import pytest
from cli_helpers import docfetch_command
from cli_helpers import interruptible_children
from cli_helpers import serve
from docfetch.cli.progress import LiveProgress
from docfetch.cli.providers import PROVIDERS
from rich.console import Console

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
HIDE_CURSOR, SHOW_CURSOR = "\x1b[?25l", "\x1b[?25h"


def render(display: LiveProgress) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(display)
    return console.export_text()


def test_display_shows_jobs_files_and_totals() -> None:
    display = LiveProgress(Console(file=io.StringIO()), max_rows=2)
    display.job_state("job-1", "Running")
    display.file_progress("job-1/a.pdf", 500, 1000)
    display.file_progress("b.pdf", 10, None)
    display.file_progress("c.pdf", 0, 2000)

    text = render(display)
    assert "job job-1: Running" in text
    assert "job-1/a.pdf" in text and "b.pdf" in text
    assert "c.pdf" not in text  # only max_rows file rows at once
    assert "total: 0/3 files" in text
    assert "/? bytes" in text  # one size unknown: so is the total

    display.file_progress("b.pdf", 30, 30)
    display.file_progress("job-1/a.pdf", 1000, 1000)
    text = render(display)
    assert "c.pdf" in text and "b.pdf" not in text  # finished rows give their place
    assert "total: 2/3 files" in text
    assert "1.0/3.0 kB" in text


def test_display_restart_moves_bytes_back() -> None:
    display = LiveProgress(Console(file=io.StringIO()))
    display.file_progress("a", 800, 1000)
    display.file_progress("a", 0, 1000)  # the engine restarted the file from byte 0
    assert "0/1.0 kB" in render(display)


def run_in_pty(
    args: Sequence[str], env: Mapping[str, str], *, timeout: float = 60, interrupt_on: str | None = None
) -> tuple[int, str]:
    """Run with a pseudo-terminal as stdin, stdout and stderr; everything it wrote, and its exit code.
    With `interrupt_on`, send SIGINT (Ctrl-C) once that text has appeared."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    with interruptible_children():
        process = subprocess.Popen(args, stdin=terminal, stdout=terminal, stderr=terminal, env=dict(env))
    os.close(terminal)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child side is closed
                break
            if not chunk:
                break
            output += chunk
            if interrupt_on is not None and interrupt_on.encode() in output:
                process.send_signal(signal.SIGINT)
                interrupt_on = None
        code = process.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        os.close(controller)
        if process.poll() is None:
            process.kill()
            process.wait(5)
    return code, output.decode("utf-8", "replace")


def test_the_cli_renders_progress_on_a_terminal_and_ends_cleanly(provider: str, tmp_path: Path) -> None:
    name = provider
    with serve(name, file_size=4 * 1024 * 1024) as served:
        env = {**served.env, "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        code, output = run_in_pty(
            [*docfetch_command(), name, "download", *served.ids, "--out", str(tmp_path)], env
        )

    assert code == 0, output
    assert HIDE_CURSOR in output and output.count(SHOW_CURSOR) >= 1
    display, _, after = output.rpartition(SHOW_CURSOR)
    frames = ANSI.sub("", display)
    saved = sorted(tmp_path.iterdir())
    assert len(saved) >= len(served.ids) > 0  # at least one file per id
    assert f"total: {len(saved)}/{len(saved)} files" in frames  # the last frame: everything done
    assert "MB" in frames
    if PROVIDERS[name].waits_for_jobs:
        assert re.search(r"job \S+: \w+", frames)  # job state while waiting
    # After the display: its lines erased, then only the result, one line per saved file.
    lines = ANSI.sub("", after).replace("\r", "").splitlines()
    assert "\x1b[2K" in after  # the display's lines are erased
    assert sorted(line for line in lines if line) == [f"{path}\t{path.stat().st_size}" for path in saved]
    assert "Traceback" not in output


def test_no_display_with_no_progress(tmp_path: Path) -> None:
    with serve("telnyx") as served:
        argv = [
            *docfetch_command(),
            "telnyx",
            "download",
            *served.ids,
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
        code, output = run_in_pty(argv, {**served.env, "TERM": "xterm-256color"})
    assert code == 0, output
    assert "\x1b" not in output
    saved = sorted(tmp_path.iterdir())
    assert len(saved) == len(served.ids) > 0  # one document per id
    lines = output.replace("\r", "").splitlines()
    assert sorted(lines) == sorted(f"{path}\t{path.stat().st_size}" for path in saved)


@pytest.mark.parametrize(("flags", "env"), [(["-v"], {}), ([], {"DOCFETCH_LOG": "info"})], ids=["-v", "env"])
def test_no_display_while_logging_to_stderr(flags: list[str], env: dict[str, str], tmp_path: Path) -> None:
    """Log lines and a display redrawn over them do not mix: logging on stderr means no display."""
    pytest.importorskip("docfetch.telnyx")
    with serve("telnyx") as served:
        argv = [*docfetch_command(), "telnyx", "download", *served.ids, "--out", str(tmp_path), *flags]
        code, output = run_in_pty(argv, {**served.env, "TERM": "xterm-256color", **env})
    assert code == 0
    assert "\x1b" not in output
    assert output.count(" INFO docfetch.download: saved ") == len(list(tmp_path.iterdir())) > 0


def test_ctrl_c_stops_the_display_cleanly(tmp_path: Path) -> None:
    with serve("telnyx") as served:
        served.running.faults.delay = 3.0  # every answer is slow: Ctrl-C comes while waiting
        argv = [*docfetch_command(), "telnyx", "download", *served.ids, "--out", str(tmp_path)]
        code, output = run_in_pty(argv, {**served.env, "TERM": "xterm-256color"}, interrupt_on="waiting for")
    assert code == 130
    assert output.rindex(SHOW_CURSOR) > output.rindex(HIDE_CURSOR)
    assert ANSI.sub("", output.rpartition(SHOW_CURSOR)[2]).strip() == "docfetch: interrupted"
    assert list(tmp_path.iterdir()) == []  # no part files left
