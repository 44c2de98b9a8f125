"""The emulator framework: configuration, context handed to provider modules, and the runner.

Importing this module needs only the standard library; uvicorn and the provider modules (FastAPI)
are imported when an emulator starts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import random
import tempfile
import time
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import ExitStack
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from ._asgi import ASGIApp
from ._asgi import content_disposition
from .checksums import CHECKSUM_FORMS
from .drift import DriftMiddleware
from .drift import DriftRules
from .faults import HOSTILE_NAMES
from .faults import Failure
from .faults import Faults
from .faults import TransferFault
from .middleware import ApiFaultMiddleware
from .serve import ServerThread
from .serve import bind_socket
from .serve import url_for
from .storage import RecordedRequest
from .storage import Storage
from .storage import StoredObject
from .tls import write_tls_files

__all__ = [
    "HOSTILE_NAMES",
    "PROVIDERS",
    "ASGIApp",
    "DriftRules",
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
    drift: bool = False  # answer like a newer API version (see emulators/drift.py); fixed at start
    errors_as_200: bool = False  # indexhealth: error envelopes come with HTTP 200 (statusCode in the body)
    output_checksum: str = "md5"  # api2convert OutputFile.checksum: one of CHECKSUM_FORMS

    def __post_init__(self) -> None:
        if self.output_checksum not in CHECKSUM_FORMS:
            raise ValueError(
                f"output_checksum must be one of {', '.join(CHECKSUM_FORMS)}, not {self.output_checksum!r}"
            )


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
    drift_rules: DriftRules = field(default_factory=DriftRules)  # how its JSON drifts (config.drift)


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
    ca_cert: str | None = None  # with tls=True: PEM file of the CA to trust; lives as long as the emulator

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
        """The JSON line printed by `docfetch emulate` (with `ca_cert` when serving HTTPS)."""
        info = {
            "provider": self.provider,
            "base_url": self.base_url,
            **self.app.credentials,
            "ids": list(self.app.ids),
            "storage_url": self.storage.base_url,
        }
        if self.ca_cert is not None:
            info["ca_cert"] = self.ca_cert
        return info


def stop_all(servers: list[ServerThread]) -> None:
    """Ask every server to exit first, then wait for each: they wind down at the same time."""
    for server in servers:
        server.request_stop()
    for server in servers:
        server.stop()


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
    tls: bool = False,
    **overrides: Any,
) -> Iterator[RunningEmulator]:
    """Serve `provider` (API and storage on separate ports) for the duration of the block.

    `overrides` replace EmulatorConfig fields (e.g. `drift=True`); `clock` replaces time.time for expiry
    and job progress; `builder` runs a custom ProviderApp under the label `provider` (framework tests);
    `tls` serves API and storage over HTTPS with a certificate from a new local CA (`ca_cert`).
    """
    config = dataclasses.replace(config or EmulatorConfig(), **overrides)
    build = builder or load_builder(provider)
    now = clock or time.time
    faults = Faults()
    with ExitStack() as stack:
        tls_files = None
        if tls:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="docfetch-emulator-tls-"))
            tls_files = write_tls_files(Path(directory), host)
        scheme = "https" if tls_files else "http"
        tls_pem = tls_files.server_pem if tls_files else None
        storage_sock = bind_socket(host, storage_port)
        stack.callback(storage_sock.close)
        storage = Storage(
            faults=faults,
            clock=now,
            default_ttl=lambda: config.link_ttl,
            seed=config.seed,
            base_url=url_for(storage_sock, scheme),
        )
        context = EmulatorContext(config=config, faults=faults, storage=storage, clock=now)
        provider_app = build(context)
        api_requests: list[RecordedRequest] = []
        wrapped: ASGIApp = ApiFaultMiddleware(
            provider_app.app,
            faults=faults,
            error_body=provider_app.error_body,
            clock=now,
            requests=api_requests,
        )
        if config.drift:  # outermost, so injected error bodies drift too
            wrapped = DriftMiddleware(wrapped, provider_app.drift_rules)
        api_sock = bind_socket(host, port)
        stack.callback(api_sock.close)
        servers: list[ServerThread] = []
        stack.callback(stop_all, servers)
        for app, sock, name in (
            (storage, storage_sock, f"{provider}-storage"),
            (wrapped, api_sock, provider),
        ):
            server = ServerThread(app, sock, name, tls_pem=tls_pem)
            server.start()
            servers.append(server)
        yield RunningEmulator(
            provider=provider,
            base_url=url_for(api_sock, scheme) + provider_app.base_path,
            storage=storage,
            faults=faults,
            config=config,
            app=provider_app,
            context=context,
            api_requests=api_requests,
            ca_cert=tls_files.ca_cert if tls_files else None,
        )
