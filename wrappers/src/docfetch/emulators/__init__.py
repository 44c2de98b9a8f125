"""Local emulators of the five document APIs, for tests and demos (extra: docfetch[emulators]).

Start one with `run_emulator("telnyx")` (a context manager), the pytest fixture `emulator`
(plugin docfetch.testing) or `docfetch emulate telnyx`.
"""

from ._framework import HOSTILE_NAMES
from ._framework import PROVIDERS
from ._framework import ASGIApp
from ._framework import DriftRules
from ._framework import EmulatorConfig
from ._framework import EmulatorContext
from ._framework import Failure
from ._framework import Faults
from ._framework import ProviderApp
from ._framework import ProviderBuilder
from ._framework import RecordedRequest
from ._framework import RunningEmulator
from ._framework import Storage
from ._framework import StoredObject
from ._framework import TransferFault
from ._framework import content_disposition
from ._framework import load_builder
from ._framework import run_emulator

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
