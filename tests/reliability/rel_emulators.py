"""Emulators shared by the suite, and the audit of a storage request log for credentials."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from rel_kits import FILE_SIZE
from rel_kits import Kit


def assert_storage_saw_no_credential(kit: Kit, emu: RunningEmulator, since: int = 0) -> int:
    """No storage request (from index ``since``) carried an auth header or any credential value;
    returns how many requests were checked."""
    secrets = kit.secrets(emu)
    checked = emu.storage.requests[since:]
    for request in checked:
        for name in kit.auth_headers:
            assert name not in request.headers, f"storage received {name} on {request.path}"
        seen = " ".join([*request.headers.values(), request.raw_query, request.path])
        for secret in secrets:
            assert secret not in seen, f"a {kit.name} credential reached storage: {request.path}"
    return len(checked)


StartEmulator = Callable[..., RunningEmulator]


class SharedEmulators:
    """One emulator per provider for the whole session (starting and stopping one costs ~0.4 s)."""

    def __init__(self, stack: ExitStack) -> None:
        self._stack = stack
        self._running: dict[str, RunningEmulator] = {}

    def get(self, kit: Kit) -> RunningEmulator:
        if kit.name not in self._running:
            options: dict[str, Any] = {"file_size": FILE_SIZE, **kit.emulator_options}
            self._running[kit.name] = self._stack.enter_context(run_emulator(kit.name, **options))
        return self._running[kit.name]
