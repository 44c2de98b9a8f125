"""The typed example script (examples/fetch_documents.py) runs as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from docfetch.testing import EmulatorFactory

SCRIPT = Path(__file__).resolve().parents[2] / "examples" / "fetch_documents.py"
ENV_KEYS = {"telnyx": "TELNYX", "veridox": "VERIDOX", "api2convert": "API2CONVERT", "sarvam": "SARVAM"}


@pytest.mark.parametrize("provider", sorted(ENV_KEYS))
def test_example_saves_a_seeded_document(provider: str, emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator(provider)
    prefix = ENV_KEYS[provider]
    env = {**os.environ, f"{prefix}_API_KEY": str(emu.api_key), f"{prefix}_BASE_URL": emu.base_url}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), provider, emu.ids[0]],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    saved = list((tmp_path / "downloads").iterdir())
    assert saved and all(path.stat().st_size > 0 for path in saved)


def test_example_rejects_missing_credentials(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELNYX_")}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "telnyx", "550e8400-e29b-41d4-a716-446655440000"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "TELNYX_API_KEY" in done.stderr
    assert not (tmp_path / "downloads").exists()
