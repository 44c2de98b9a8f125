"""Fresh ids in a running emulator, one file each of the emulator's file size, for any provider."""

from __future__ import annotations

from typing import Any

from docfetch.emulators import RunningEmulator


def many_ids(emu: RunningEmulator, count: int) -> list[str]:
    """``count`` new ids of ``emu``'s provider (a job per id for Sarvam and API2Convert)."""
    state: Any = emu.state
    size = emu.config.file_size
    if emu.provider in ("sarvam", "api2convert"):
        return [state.add_job() for _ in range(count)]
    if emu.provider == "veridox":
        return list(state.add_files(count))
    if emu.provider == "telnyx":
        return [state.add_document(bytes(size), filename=f"doc-{n}.pdf").id for n in range(count)]
    return [state.add_document(f"doc-{n}.pdf", bytes(size)).document_id for n in range(count)]
