"""docfetch.veridox: labels without a file extension (Veridox's drift, or a label typed that way) are saved
with the extension the storage response gives (Content-Disposition, else Content-Type), made safe, sync
and async, over real sockets."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from docfetch import TokenBucket
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.veridox import AsyncVeridoxClient
from docfetch.veridox import VeridoxClient


def download(flavour: str, emu: RunningEmulator, ids: list[str], dest: Path) -> list[Any]:
    options = {"api_key": emu.api_key, "base_url": emu.base_url, "rate_limiter": TokenBucket.per_minute(600)}
    if flavour == "sync":
        with VeridoxClient(**options) as client:
            return client.download(ids, dest)

    async def run() -> list[Any]:
        async with AsyncVeridoxClient(**options) as client:
            return await client.download(ids, dest)

    return asyncio.run(run())


def stored(emu: RunningEmulator, file_id: str) -> bytes:
    return emu.storage.get(emu.state.object_key(file_id)).data


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_drift_labels_get_their_extension_back(flavour: str, tmp_path: Path) -> None:
    with run_emulator("veridox", drift=True, file_size=2048) as emu:
        labels = ["Q1 report.v2.pdf", "../../selfie.jpg", "payslip.png"]
        added = emu.state.add_files(3, labels=labels)
        results = download(flavour, emu, [*emu.ids, *added], tmp_path)
        contents = {file_id: stored(emu, file_id) for file_id in [*emu.ids, *added]}
    assert all(result.ok for result in results), [result.error for result in results]
    names = {result.id: result.path.name for result in results}
    assert [names[file_id] for file_id in added] == ["Q1 report.v2.pdf", "selfie.jpg", "payslip.png"]
    assert all(Path(name).suffix in (".pdf", ".jpg", ".png") for name in names.values()), names
    assert all(result.path.parent == tmp_path for result in results)  # a hostile label stays inside
    assert {result.id: result.path.read_bytes() for result in results} == contents


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_label_without_extension_takes_it_from_the_content_type(flavour: str, tmp_path: Path) -> None:
    with run_emulator("veridox", file_size=2048) as emu:
        (scan,) = emu.state.add_files(
            1, labels=["scan"], mime_type="image/png"
        )  # storage: no extension either
        (notes,) = emu.state.add_files(1, labels=["notes"], mime_type="application/octet-stream")
        results = download(flavour, emu, [scan, notes], tmp_path)
    assert [result.path.name for result in results] == ["scan.png", "notes"]  # a generic type adds nothing
