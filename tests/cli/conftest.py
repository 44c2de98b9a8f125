"""Fixtures for the CLI tests. Each provider's tests skip while its client module
(docfetch.<provider>) is missing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cli_helpers import Served
from cli_helpers import client_exists
from cli_helpers import serve
from docfetch.cli.providers import PROVIDERS


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking `provider` run once per provider (skipped while its client module is missing)."""
    if "provider" in metafunc.fixturenames:
        metafunc.parametrize(
            "provider",
            [
                pytest.param(
                    name, marks=pytest.mark.skipif(not client_exists(name), reason=f"no docfetch.{name}")
                )
                for name in PROVIDERS
            ],
        )


@pytest.fixture
def served(provider: str) -> Iterator[Served]:
    """The emulator of `provider`, started for one test; `served.run(...)` runs the CLI against it."""
    with serve(provider) as running:
        yield running
