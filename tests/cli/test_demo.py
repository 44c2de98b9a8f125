"""tools/demo.py: emulators started as `docfetch emulate` subprocesses, downloads through the CLI,
and every emulator stopped, even when something fails."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cli_helpers import client_exists

DEMO = Path(__file__).resolve().parents[2] / "tools" / "demo.py"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, list[subprocess.Popen[str]]]:
    """The demo module, with every process it starts recorded."""
    spec = importlib.util.spec_from_file_location("docfetch_demo", DEMO)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: Any, **kwargs: Any) -> subprocess.Popen[str]:
        process: subprocess.Popen[str] = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(module.subprocess, "Popen", recording_popen)
    return module, started


def test_demo_saves_the_seeded_files_and_stops_the_emulators(
    demo: tuple[ModuleType, list[subprocess.Popen[str]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module, started = demo
    providers = [name for name in ("telnyx", "sarvam") if client_exists(name)]
    if not providers:
        pytest.skip("no provider client yet")

    assert module.demo(tmp_path, providers) == 0

    for provider in providers:
        assert any((tmp_path / provider).iterdir())
    commands = [list(p.args)[1:3] for p in started if isinstance(p.args, list)]
    assert [c for c in commands if c[0] == "emulate"] == [["emulate", p] for p in providers]
    assert [c for c in commands if c[1] == "download"] == [[p, "download"] for p in providers]
    assert all(process.poll() is not None for process in started)
    assert "0 failed" in capsys.readouterr().out


def test_demo_stops_the_emulator_and_fails_when_a_download_fails(
    demo: tuple[ModuleType, list[subprocess.Popen[str]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module, started = demo

    def broken(provider: str, info: dict[str, Any], out_dir: Path) -> None:
        raise subprocess.TimeoutExpired("docfetch", 1)

    monkeypatch.setattr(module, "download", broken)

    assert module.demo(tmp_path, ["telnyx"]) == 1
    (emulator,) = started
    assert emulator.poll() is not None


def test_demo_rejects_an_unknown_provider(demo: tuple[ModuleType, list[subprocess.Popen[str]]]) -> None:
    module, started = demo
    with pytest.raises(SystemExit) as exit_info:
        module.main(["nope"])
    assert exit_info.value.code == 2
    assert started == []
