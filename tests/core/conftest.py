"""Fixtures for the core tests: fault-capable storage servers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from core_storage_server import StorageServer
from core_storage_server import running


@pytest.fixture
def storage() -> Iterator[StorageServer]:
    with running() as server:
        yield server


@pytest.fixture
def other_storage() -> Iterator[StorageServer]:
    """A second server: another port, hence another origin."""
    with running() as server:
        yield server
