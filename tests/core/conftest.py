"""Fixtures for the core tests: fault-capable storage servers on 127.0.0.1, and the scripted raw
HTTP/1.1 server of the direct-path tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from core_raw_server import RawServer
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


@pytest.fixture
def raw() -> Iterator[RawServer]:
    with RawServer() as server:
        yield server
