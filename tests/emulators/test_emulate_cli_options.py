"""`docfetch emulate PROVIDER --tls --drift` as a subprocess: https URLs, a CA file to trust, drifted JSON."""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import docfetch
import httpx
import pytest
from docfetch.emulators.drift import UNKNOWN_FIELD


def child_env() -> dict[str, str]:
    """Environment for a child that imports docfetch from wherever this run imports it."""
    src = str(Path(docfetch.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}


def first_line(process: subprocess.Popen[str], timeout: float) -> dict[str, Any]:
    assert process.stdout is not None
    stdout = process.stdout
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not lines or not lines[0]:
        process.kill()
        pytest.fail(f"no JSON line within {timeout} s; stderr:\n{process.communicate(timeout=5)[1]}")
    info: dict[str, Any] = json.loads(lines[0])
    return info


def test_emulate_with_tls_and_drift() -> None:
    command = [sys.executable, "-m", "docfetch", "emulate", "telnyx", "--port", "0", "--tls", "--drift"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env()
    )
    try:
        info = first_line(process, timeout=30)
        assert info["base_url"].startswith("https://127.0.0.1:") and info["storage_url"].startswith(
            "https://"
        )
        ca_cert = Path(info["ca_cert"])
        trust = ssl.create_default_context(cafile=str(ca_cert))
        headers = {"Authorization": f"Bearer {info['api_key']}"}
        document = httpx.get(f"{info['base_url']}/documents/{info['ids'][0]}", headers=headers, verify=trust)
        assert document.status_code == 200 and UNKNOWN_FIELD in document.json()["data"]
        link = httpx.get(
            f"{info['base_url']}/documents/{info['ids'][0]}/download_link", headers=headers, verify=trust
        )
        assert httpx.get(link.json()["data"]["url"], verify=trust).content
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert not ca_cert.exists()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)


def test_emulate_help_names_the_options() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "docfetch", "emulate", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_env(),
        check=True,
    )
    assert "--tls" in result.stdout and "--drift" in result.stdout and "ca_cert" in result.stdout
