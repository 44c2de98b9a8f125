"""The CLI against every emulator in drift mode (a newer API version: unknown fields and values, optional
fields left out, other timestamp forms): each download flow still completes, byte for byte."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from cli_helpers import report
from cli_helpers import serve
from docfetch.core.filenames import known_extension


def test_download_completes_against_a_newer_api_version(
    provider: str, tmp_path: Path, stored_files: Callable[..., list[bytes]]
) -> None:
    with serve(provider, drift=True) as served:
        result = served.run("download", *served.ids, "--out", str(tmp_path), "--json")
        expected = {given: stored_files(served.running, given) for given in served.ids}

    assert result.returncode == 0, result.stderr
    data = report(result)
    assert data["failed"] == []
    saved: dict[str, list[bytes]] = {}
    for entry in data["saved"]:
        content = Path(entry["path"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"] and len(content) == entry["bytes"]
        saved.setdefault(entry["id"], []).append(content)
    assert {given: Counter(files) for given, files in saved.items()} == {
        given: Counter(files) for given, files in expected.items()
    }
    names = [Path(entry["path"]).name for entry in data["saved"]]
    assert all(known_extension(name) for name in names), names  # labels without extension completed
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # nothing else left behind
