"""The emulator framework: configuration, context handed to provider modules, and the runner.

Importing this module needs only the standard library; uvicorn and the provider modules (FastAPI)
are imported when an emulator starts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import random
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from ._asgi import ASGIApp, content_disposition
from .faults import HOSTILE_NAMES, Failure, Faults, TransferFault
from .middleware import ApiFaultMiddleware
from .serve import ServerThread, bind_socket, url_for
from .storage import RecordedRequest, Storage, StoredObject

__all__ = [
    "HOSTILE_NAMES",
    "PROVIDERS",
    "ASGIApp",
    "EmulatorConfig",
    "EmulatorContext",
    "Failure",
    "Faults",
    "ProviderApp",
    "ProviderBuilder",
    "RecordedRequest",
    "RunningEmulator",
    "Storage",
    "StoredObject",
    "TransferFault",
    "content_disposition",
    "load_builder",
    "run_emulator",
]

PROVIDERS = ("sarvam", "indexhealth", "telnyx", "veridox", "api2convert")


@dataclass
class EmulatorConfig:
    link_ttl: float = 3600.0  # signed storage URL lifetime, seconds
    token_ttl: float = 3600.0  # indexhealth access-token lifetime
    job_step: float = 0.2  # seconds between job state transitions (sarvam, api2convert)
    rate_limit_per_minute: int = 20  # veridox POST /files/download
    output_lifetime: float = 86400.0  # api2convert output lifetime (then status "expired")
    download_cap: int = 10  # api2convert downloads per output (then status "overuse")
    file_size: int = 64 * 1024  # size of seeded files (bytes)
    seed: int = 0  # deterministic seeded content/ids


@dataclass
class EmulatorContext:
    config: EmulatorConfig
    faults: Faults
    storage: Storage
    clock: Callable[[], float] = time.time

    def seeded_bytes(self, label: str, size: int | None = None) -> bytes:
        """Deterministic bytes for `label` (same seed and label, same bytes); size defaults to file_size."""
        rng = random.Random(f"{self.config.seed}:{label}")
        return rng.randbytes(self.config.file_size if size is None else size)

    def seeded_id(self, label: str, length: int = 24) -> str:
        """A deterministic hex id for `label` under this seed."""
        return hashlib.sha256(f"{self.config.seed}:id:{label}".encode()).hexdigest()[:length]


@dataclass
class ProviderApp:
    app: ASGIApp  # normally a FastAPI app built by the provider module
    base_path: str  # "" or "/v2": base_url = http://host:port + base_path (the app routes include it)
    credentials: dict[str, Any]  # {"api_key": ...} or indexhealth {"client_id", "client_secret", ...}
    ids: list[str]  # seeded ids ready to download
    error_body: Callable[[int, str], Any]  # the provider's JSON error body for a status + message
    auth_headers: Callable[[], dict[str, str]]  # valid auth headers for API requests
    state: Any = None  # provider-specific state handle for tests


ProviderBuilder = Callable[[EmulatorContext], ProviderApp]


def load_builder(provider: str) -> ProviderBuilder:
    """The `build` function of docfetch.emulators.<provider> (imported on demand)."""
    if provider not in PROVIDERS:
        raise ValueError(f"unknown provider {provider!r}; choose one of {', '.join(PROVIDERS)}")
    module = importlib.import_module(f"docfetch.emulators.{provider}")
    builder: ProviderBuilder = module.build
    return builder


@dataclass
class RunningEmulator:
    provider: str
    base_url: str
    storage: Storage
    faults: Faults
    config: EmulatorConfig
    app: ProviderApp
    context: EmulatorContext
    api_requests: list[RecordedRequest] = field(default_factory=list)

    @property
    def credentials(self) -> dict[str, Any]:
        return self.app.credentials

    @property
    def ids(self) -> list[str]:
        return self.app.ids

    @property
    def state(self) -> Any:
        return self.app.state

    @property
    def api_key(self) -> str | None:
        value = self.app.credentials.get("api_key")
        return None if value is None else str(value)

    def auth_headers(self) -> dict[str, str]:
        return self.app.auth_headers()

    def info(self) -> dict[str, Any]:
        """The JSON line printed by `docfetch emulate`."""
        return {
            "provider": self.provider,
            "base_url": self.base_url,
            **self.app.credentials,
            "ids": list(self.app.ids),
            "storage_url": self.storage.base_url,
        }


@contextmanager
def run_emulator(
    provider: str,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    storage_port: int = 0,
    config: EmulatorConfig | None = None,
    clock: Callable[[], float] | None = None,
    builder: ProviderBuilder | None = None,
    **overrides: Any,
) -> Iterator[RunningEmulator]:
    """Serve `provider` (API and storage on separate ports) for the duration of the block.

    `overrides` replace EmulatorConfig fields; `clock` replaces time.time for expiry and job progress;
    `builder` runs a custom ProviderApp under the label `provider` (framework tests).
    """
    config = dataclasses.replace(config or EmulatorConfig(), **overrides)
    build = builder or load_builder(provider)
    now = clock or time.time
    faults = Faults()
    with ExitStack() as stack:
        storage_sock = bind_socket(host, storage_port)
        stack.callback(storage_sock.close)
        storage = Storage(
            faults=faults,
            clock=now,
            default_ttl=lambda: config.link_ttl,
            seed=config.seed,
            base_url=url_for(storage_sock),
        )
        context = EmulatorContext(config=config, faults=faults, storage=storage, clock=now)
        provider_app = build(context)
        api_requests: list[RecordedRequest] = []
        wrapped = ApiFaultMiddleware(
            provider_app.app,
            faults=faults,
            error_body=provider_app.error_body,
            clock=now,
            requests=api_requests,
        )
        api_sock = bind_socket(host, port)
        stack.callback(api_sock.close)
        for app, sock, name in (
            (storage, storage_sock, f"{provider}-storage"),
            (wrapped, api_sock, provider),
        ):
            server = ServerThread(app, sock, name)
            server.start()
            stack.callback(server.stop)
        yield RunningEmulator(
            provider=provider,
            base_url=url_for(api_sock) + provider_app.base_path,
            storage=storage,
            faults=faults,
            config=config,
            app=provider_app,
            context=context,
            api_requests=api_requests,
        )
