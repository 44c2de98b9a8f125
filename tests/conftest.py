from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from docfetch.emulators import RunningEmulator

StoredFiles = Callable[["RunningEmulator", str], list[bytes]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _stored_files(emu: RunningEmulator, given: str) -> list[bytes]:
    """The true bytes of every file an emulator serves for one of its ids (a job has one per output)."""
    state, storage = emu.state, emu.storage
    if emu.provider == "sarvam":
        return [storage.get(state.job(given).output_key).data]
    if emu.provider == "indexhealth":
        return [state.find(given).stored.data]
    if emu.provider == "telnyx":
        return [state.data(given)]
    if emu.provider == "veridox":
        return [storage.get(state.object_key(given)).data]
    return [storage.get(output.key).data for output in state.find(given).outputs]


@pytest.fixture
def stored_files() -> StoredFiles:
    """``stored_files(emu, id)``: the bytes an emulator holds for ``id`` (to compare downloads with)."""
    return _stored_files
