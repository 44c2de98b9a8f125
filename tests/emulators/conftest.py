"""Shared fixtures for the emulator tests: a tiny provider app, a controllable clock, provider discovery."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from docfetch.emulators import PROVIDERS
from docfetch.emulators import EmulatorContext
from docfetch.emulators import ProviderApp
from docfetch.emulators import ProviderBuilder
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator

# The plugin's fixture, for runs where docfetch is on PYTHONPATH but not installed (no entry point).
from docfetch.testing import FakeClock
from docfetch.testing import emulator  # noqa: F401

TINY_KEY = "tiny-secret-key"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests taking `emulated_provider` run once per provider (a missing emulator module fails them)."""
    if "emulated_provider" in metafunc.fixturenames:
        metafunc.parametrize("emulated_provider", list(PROVIDERS))


def build_tiny(ctx: EmulatorContext) -> ProviderApp:
    """A minimal provider: one seeded object, a signed-link endpoint and a plain-link endpoint."""
    from fastapi import FastAPI
    from fastapi import Header
    from fastapi import HTTPException

    app = FastAPI()
    first = ctx.storage.put(ctx.seeded_bytes("doc-1"), name="report.pdf", content_type="application/pdf")
    objects = {first.key: first}

    def check(authorization: str | None) -> None:
        if authorization != f"Bearer {TINY_KEY}":
            raise HTTPException(status_code=401, detail="unauthorized")

    @app.get("/v9/documents/{key}/link")
    def signed_link(key: str, authorization: str | None = Header(default=None)) -> dict[str, str]:
        check(authorization)
        if key not in objects:
            raise HTTPException(status_code=404, detail="not found")
        return {"url": ctx.storage.signed_url(key)}

    @app.get("/v9/documents/{key}/plain")
    def plain_link(key: str, authorization: str | None = Header(default=None)) -> dict[str, str]:
        check(authorization)
        return {"url": ctx.storage.plain_url(key)}

    return ProviderApp(
        app=app,
        base_path="/v9",
        credentials={"api_key": TINY_KEY},
        ids=[first.key],
        error_body=lambda status, message: {"errors": [{"code": str(status), "detail": message}]},
        auth_headers=lambda: {"Authorization": f"Bearer {TINY_KEY}"},
        state=objects,
    )


@pytest.fixture
def tiny_builder() -> ProviderBuilder:
    return build_tiny


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tiny(clock: FakeClock) -> Iterator[RunningEmulator]:
    with run_emulator("tiny", builder=build_tiny, clock=clock, link_ttl=60.0, file_size=4096) as running:
        yield running
