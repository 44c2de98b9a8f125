"""Local emulators of the five document APIs, for tests and demos (extra: docfetch[emulators]).

Start one with `run_emulator("telnyx")` (a context manager), the pytest fixture `emulator`
(plugin docfetch.testing) or `docfetch emulate telnyx`.
"""

from ._framework import (
    HOSTILE_NAMES,
    PROVIDERS,
    ASGIApp,
    DriftRules,
    EmulatorConfig,
    EmulatorContext,
    Failure,
    Faults,
    ProviderApp,
    ProviderBuilder,
    RecordedRequest,
    RunningEmulator,
    Storage,
    StoredObject,
    TransferFault,
    content_disposition,
    load_builder,
    run_emulator,
)

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
