"""tools/demo.py: emulators started as `docfetch emulate` subprocesses, downloads through the CLI,
and every emulator stopped, even when something fails."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

DEMO = Path(__file__).resolve().parents[2] / "tools" / "demo.py"
Demo = tuple[ModuleType, list[subprocess.Popen[str]]]


def group_alive(group: int) -> bool:
    """Whether any process of process group `group` still exists (a zombie counts: nobody waited for it)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Demo]:
    """The demo module, with every process it starts recorded, each in a process group of its own (so
    whatever it spawns is found too). At teardown no process of those groups may be left: any that is
    gets killed and the test fails."""
    spec = importlib.util.spec_from_file_location("docfetch_demo", DEMO)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: Any, **kwargs: Any) -> subprocess.Popen[str]:
        process: subprocess.Popen[str] = real_popen(*args, **{**kwargs, "start_new_session": True})
        started.append(process)
        return process

    monkeypatch.setattr(module.subprocess, "Popen", recording_popen)
    yield module, started
    left = [process for process in started if group_alive(process.pid)]
    for process in left:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    assert left == [], f"the demo left running: {[list(p.args) for p in left]}"


def test_demo_saves_the_seeded_files_and_stops_the_emulators(
    demo: Demo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module, started = demo
    providers = ["telnyx", "sarvam"]

    assert module.demo(tmp_path, providers) == 0

    for provider in providers:
        assert any((tmp_path / provider).iterdir())
    commands = [list(p.args)[1:3] for p in started if isinstance(p.args, list)]
    assert [c for c in commands if c[0] == "emulate"] == [["emulate", p] for p in providers]
    assert [c for c in commands if c[1] == "download"] == [[p, "download"] for p in providers]
    assert all(process.poll() is not None for process in started)
    assert "0 failed" in capsys.readouterr().out


def test_demo_stops_the_emulator_and_fails_when_a_download_fails(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module, started = demo

    def broken(provider: str, info: dict[str, Any], out_dir: Path) -> None:
        raise subprocess.TimeoutExpired("docfetch", 1)

    monkeypatch.setattr(module, "download", broken)

    assert module.demo(tmp_path, ["telnyx"]) == 1
    (emulator,) = started
    assert emulator.poll() is not None


def test_demo_rejects_an_unknown_provider(demo: Demo) -> None:
    module, started = demo
    with pytest.raises(SystemExit) as exit_info:
        module.main(["nope"])
    assert exit_info.value.code == 2
    assert started == []
