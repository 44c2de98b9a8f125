"""Fixtures of the reliability suite: the session ledger, the per-provider kit, and emulators whose storage
origin is checked for leaked credentials after every test.

Every test module sets ``pytestmark = pytest.mark.reliability("<category>")``; the category's pytest
outcomes go into the ledger. ``DOCFETCH_RELIABILITY_RESULTS=path`` writes the ledger as JSON at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from docfetch.cli.providers import PROVIDERS
from docfetch.core.ratelimit import TokenBucket
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.testing import FakeClock
from rel_emulators import SharedEmulators
from rel_emulators import StartEmulator
from rel_emulators import assert_storage_saw_no_credential
from rel_kits import FILE_SIZE
from rel_kits import KITS
from rel_kits import Kit
from rel_ledger import CATEGORIES
from rel_ledger import Ledger

LEDGER = Ledger()
RESULTS_ENV = "DOCFETCH_RELIABILITY_RESULTS"
PROVIDER_VARIABLES = tuple(variable for info in PROVIDERS.values() for variable in info.variables)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reliability(category): the RELIABILITY.md category of a test")
    config.addinivalue_line("markers", "kits(*providers): run a `kit` test for these providers only")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking ``kit`` run once per provider (a missing client module fails them)."""
    if "kit" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("kits")
        names = list(only.args) if only else list(KITS)
        metafunc.parametrize("kit", [KITS[name] for name in names], ids=names)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    marker = item.get_closest_marker("reliability")
    if marker is None:
        return
    category = str(marker.args[0])
    if category not in CATEGORIES:
        raise pytest.UsageError(f"{item.nodeid}: unknown reliability category {category!r}")
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        LEDGER.test_outcome(category, report.outcome)
    elif report.when == "teardown" and report.outcome == "failed":
        LEDGER.test_outcome(category, "failed")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get(RESULTS_ENV)
    if target:
        LEDGER.write(Path(target))


@pytest.fixture(scope="session")
def ledger() -> Ledger:
    return LEDGER


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_provider_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's real credentials must never be picked up, nor change what the tests see."""
    for variable in PROVIDER_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def _checked_for_credentials(kit: Kit, emu: RunningEmulator, since: int, ledger: Ledger) -> None:
    checked = assert_storage_saw_no_credential(kit, emu, since)
    if checked:
        ledger.run("credentials", f"storage log clean ({kit.name})")


@pytest.fixture(scope="session")
def shared_emulators() -> Iterator[SharedEmulators]:
    with ExitStack() as stack:
        yield SharedEmulators(stack)


@pytest.fixture
def emu(kit: Kit, shared_emulators: SharedEmulators, ledger: Ledger) -> Iterator[RunningEmulator]:
    """The provider's shared emulator (suite defaults). Tests add fresh items, so they never collide;
    faults are cleared afterwards, and what storage received meanwhile is checked for credentials."""
    running = shared_emulators.get(kit)
    since = len(running.storage.requests)
    try:
        yield running
    finally:
        running.faults.reset()
    _checked_for_credentials(kit, running, since, ledger)


@pytest.fixture
def start_emulator(kit: Kit, ledger: Ledger) -> Iterator[StartEmulator]:
    """``start_emulator(**config)`` serves ``kit``'s provider with its own configuration (a clock, short
    lifetimes...) for one test; its storage log is checked for credentials at teardown."""
    started: list[RunningEmulator] = []
    with ExitStack() as stack:

        def start(**overrides: Any) -> RunningEmulator:
            options: dict[str, Any] = {"file_size": FILE_SIZE, **kit.emulator_options, **overrides}
            running = stack.enter_context(run_emulator(kit.name, **options))
            started.append(running)
            return running

        yield start
        for running in started:
            _checked_for_credentials(kit, running, 0, ledger)


class _UnhurriedBuckets(dict[str, TokenBucket]):
    """A registry of Veridox's process-wide buckets that hands every key a bucket that never waits."""

    def get(self, slot: str, default: object = None) -> TokenBucket:  # type: ignore[override]
        return self.setdefault(slot, TokenBucket(1000, 1000.0))


@pytest.fixture
def cli_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line builds its clients itself, so Veridox's process-wide 20-a-minute bucket would
    pace it (3 s a request): in CLI tests the registry of those buckets hands out unhurried ones. The
    limit itself is untouched (tests/clients/test_documented_defaults.py pins it)."""
    from docfetch.providers.veridox import rules

    monkeypatch.setattr(rules, "_limiters", _UnhurriedBuckets())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """The destination directory, inside a sandbox: anything written beside it is a breach."""
    return tmp_path / "sandbox" / "out"
