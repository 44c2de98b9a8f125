"""Fixtures for the CLI tests: tests taking `provider` run once per provider of the registry."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cli_helpers import Served
from cli_helpers import serve
from docfetch.cli.providers import PROVIDERS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking `provider` run once per provider (a missing client module fails them)."""
    if "provider" in metafunc.fixturenames:
        metafunc.parametrize("provider", list(PROVIDERS))


@pytest.fixture
def served(provider: str) -> Iterator[Served]:
    """The emulator of `provider`, started for one test; `served.run(...)` runs the CLI against it."""
    with serve(provider) as running:
        yield running
