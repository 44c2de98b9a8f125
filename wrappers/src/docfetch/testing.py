"""pytest plugin (entry point `docfetch`): the `emulator` fixture.

Loaded by every pytest run where docfetch is installed, with or without the emulators extra,
so nothing heavy is imported here at module level.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING
from typing import Any
from typing import Protocol

import pytest

if TYPE_CHECKING:
    from docfetch.emulators import RunningEmulator


class FakeClock:
    """A settable clock for `emulator(..., clock=FakeClock())`: links, tokens and jobs age on advance()."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class EmulatorFactory(Protocol):
    def __call__(self, provider: str, /, **kwargs: Any) -> RunningEmulator: ...


@pytest.fixture
def emulator() -> Iterator[EmulatorFactory]:
    """Factory: `emulator("telnyx", link_ttl=1.0)` starts one (keywords as run_emulator, e.g.
    `drift=True` for a newer API version, `tls=True` for HTTPS with `emu.ca_cert`).

    Every emulator started through it stops at teardown.
    """
    missing = [name for name in ("fastapi", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.fail(f"the emulator fixture needs {' and '.join(missing)}: pip install 'docfetch[emulators]'")
    from docfetch.emulators import run_emulator

    with ExitStack() as stack:

        def start(provider: str, /, **kwargs: Any) -> RunningEmulator:
            return stack.enter_context(run_emulator(provider, **kwargs))

        yield start
