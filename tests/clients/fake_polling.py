"""A job provider's polling on a fake clock: the waits between polls are recorded and advance the clock
instead of passing, so deadlines of minutes take no time and every wait can be checked exactly."""

from __future__ import annotations

import functools
import importlib

import pytest
from docfetch.testing import FakeClock


def fake_time_polling(provider: str, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Patch both clients of `provider` (sync and async); returns the list the waits are appended to."""
    clock = FakeClock()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock.advance(seconds)

    async def async_sleep(seconds: float) -> None:
        sleep(seconds)

    sync = importlib.import_module(f"docfetch.providers.{provider}._sync")
    asynchronous = importlib.import_module(f"docfetch.providers.{provider}._async")
    monkeypatch.setattr(sync, "poll_until", functools.partial(sync.poll_until, clock=clock, sleep=sleep))
    monkeypatch.setattr(
        asynchronous,
        "async_poll_until",
        functools.partial(asynchronous.async_poll_until, clock=clock, sleep=async_sleep),
    )
    return waits
