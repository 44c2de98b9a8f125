"""What the command line knows about each provider: its client class, environment variables and ids.

Provider modules are imported only when a command runs (``import docfetch.telnyx`` loads httpx and
the generated client), so ``docfetch --help`` stays fast.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PROVIDERS", "ProviderInfo", "environment_for", "load_client_class"]


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    title: str
    client_class: str
    credentials: Mapping[str, str]  # emulator info key -> environment variable
    base_url_default: str | None  # None: the variable is required
    files: str  # what `download` saves, for the help texts
    id_help: str  # what ID means
    example_ids: tuple[str, ...]
    waits_for_jobs: bool = False  # download waits for each job to reach a terminal state

    @property
    def module(self) -> str:
        return f"docfetch.{self.name}"

    @property
    def base_url_variable(self) -> str:
        return f"{self.name.upper()}_BASE_URL"

    @property
    def variables(self) -> tuple[str, ...]:
        return (*self.credentials.values(), self.base_url_variable)


PROVIDERS: Mapping[str, ProviderInfo] = {
    info.name: info
    for info in (
        ProviderInfo(
            name="sarvam",
            title="Sarvam document digitization",
            client_class="SarvamClient",
            credentials={"api_key": "SARVAM_API_KEY"},
            base_url_default="https://api.sarvam.ai",
            files="every output file of Sarvam document digitization jobs",
            id_help="a job id",
            example_ids=("20260726_46a20ccd-4a7d-4e5b-abcb-cc6571da48b2",),
            waits_for_jobs=True,
        ),
        ProviderInfo(
            name="indexhealth",
            title="Index Health documents",
            client_class="IndexHealthClient",
            credentials={
                "client_id": "INDEXHEALTH_CLIENT_ID",
                "client_secret": "INDEXHEALTH_CLIENT_SECRET",
                "fingerprint": "INDEXHEALTH_FINGERPRINT",
                "user": "INDEXHEALTH_USER",
            },
            base_url_default=None,
            files="Index Health documents",
            id_help="a document_id",
            example_ids=("doc-9adba77c", "doc-23bc3df0"),
        ),
        ProviderInfo(
            name="telnyx",
            title="Telnyx documents",
            client_class="TelnyxClient",
            credentials={"api_key": "TELNYX_API_KEY"},
            base_url_default="https://api.telnyx.com/v2",
            files="Telnyx documents",
            id_help="a document id (UUID)",
            example_ids=("6a09cdc3-8948-47f0-aa62-74ac943d6c58",),
        ),
        ProviderInfo(
            name="veridox",
            title="Veridox files",
            client_class="VeridoxClient",
            credentials={"api_key": "VERIDOX_API_KEY"},
            base_url_default="https://api.uk.veridox.ai",
            files="Veridox files",
            id_help="a file id (UUIDv7)",
            example_ids=("01941f29-7c00-70ce-a7da-bb2f2de2619c", "01941f29-7c01-7aa2-943d-6714360c0803"),
        ),
        ProviderInfo(
            name="api2convert",
            title="API2Convert jobs",
            client_class="Api2ConvertClient",
            credentials={"api_key": "API2CONVERT_API_KEY"},
            base_url_default="https://api.api2convert.com/v2",
            files="every downloadable output of API2Convert conversion jobs",
            id_help="a job id",
            example_ids=("29370f20-9090-fb05-0c12-3d1ca05314ca",),
            waits_for_jobs=True,
        ),
    )
}


def load_client_class(provider: str) -> Any:
    """The synchronous client class of ``provider`` (imported now, not at start-up)."""
    from docfetch.errors import DocfetchError

    info = PROVIDERS[provider]
    try:
        module = importlib.import_module(info.module)
    except ModuleNotFoundError as exc:  # a broken installation, e.g. its generated client is missing
        raise DocfetchError(f"{provider}: cannot load the client ({exc}); reinstall docfetch") from exc
    return getattr(module, info.client_class)


def environment_for(info_line: Mapping[str, Any]) -> dict[str, str]:
    """The environment variables the CLI reads, from an emulator's JSON line (``docfetch emulate``)."""
    provider = PROVIDERS[str(info_line["provider"])]
    env = {provider.base_url_variable: str(info_line["base_url"])}
    for key, variable in provider.credentials.items():
        value = info_line[key]
        env[variable] = value if isinstance(value, str) else json.dumps(value)
    return env
