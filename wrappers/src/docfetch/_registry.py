"""Facts about the five providers, in one place: names, environment variables, default base URLs,
id rules, generated packages. Read by the provider clients, the command line, the emulators and
``noxfile.py`` (which loads this file by path), so it imports nothing but the standard library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["PROVIDERS", "ProviderFacts", "facts"]

UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
UUID7_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}"


@dataclass(frozen=True)
class ProviderFacts:
    name: str
    title: str
    client_class: str  # in docfetch.<name>; the async twin is "Async" + this
    credentials: Mapping[str, str]  # emulator info key (and client keyword) -> environment variable
    default_base_url: str | None  # None: the variable is required (no public default exists)
    id_what: str  # what an id is, in error messages
    id_help: str  # what ID means, for --help
    id_pattern: str | None  # a full-match regular expression for ids, when the API has one
    example_ids: tuple[str, ...]
    files: str  # what `download` saves, for the help texts
    waits_for_jobs: bool = False  # download waits for each job to reach a terminal state

    @property
    def module(self) -> str:
        return f"docfetch.{self.name}"

    @property
    def generated_package(self) -> str:
        return f"docfetch_{self.name}_client"

    @property
    def base_url_env(self) -> str:
        return f"{self.name.upper()}_BASE_URL"

    @property
    def variables(self) -> tuple[str, ...]:
        return (*self.credentials.values(), self.base_url_env)


PROVIDERS: Mapping[str, ProviderFacts] = {
    info.name: info
    for info in (
        ProviderFacts(
            name="sarvam",
            title="Sarvam document digitization",
            client_class="SarvamClient",
            credentials={"api_key": "SARVAM_API_KEY"},
            default_base_url="https://api.sarvam.ai",
            id_what="job id",
            id_help="a job id",
            id_pattern=None,
            example_ids=("20260726_46a20ccd-4a7d-4e5b-abcb-cc6571da48b2",),
            files="every output file of Sarvam document digitization jobs",
            waits_for_jobs=True,
        ),
        ProviderFacts(
            name="indexhealth",
            title="Index Health documents",
            client_class="IndexHealthClient",
            credentials={
                "client_id": "INDEXHEALTH_CLIENT_ID",
                "client_secret": "INDEXHEALTH_CLIENT_SECRET",
                "fingerprint": "INDEXHEALTH_FINGERPRINT",
                "user": "INDEXHEALTH_USER",
            },
            default_base_url=None,
            id_what="document id",
            id_help="a document_id",
            id_pattern=None,
            example_ids=("doc-9adba77c", "doc-23bc3df0"),
            files="Index Health documents",
        ),
        ProviderFacts(
            name="telnyx",
            title="Telnyx documents",
            client_class="TelnyxClient",
            credentials={"api_key": "TELNYX_API_KEY"},
            default_base_url="https://api.telnyx.com/v2",
            id_what="document id",
            id_help="a document id (UUID)",
            id_pattern=UUID_PATTERN,
            example_ids=("6a09cdc3-8948-47f0-aa62-74ac943d6c58",),
            files="Telnyx documents",
        ),
        ProviderFacts(
            name="veridox",
            title="Veridox files",
            client_class="VeridoxClient",
            credentials={"api_key": "VERIDOX_API_KEY"},
            default_base_url="https://api.uk.veridox.ai",
            id_what="file id",
            id_help="a file id (UUIDv7)",
            id_pattern=UUID7_PATTERN,
            example_ids=("01941f29-7c00-70ce-a7da-bb2f2de2619c", "01941f29-7c01-7aa2-943d-6714360c0803"),
            files="Veridox files",
        ),
        ProviderFacts(
            name="api2convert",
            title="API2Convert jobs",
            client_class="Api2ConvertClient",
            credentials={"api_key": "API2CONVERT_API_KEY"},
            default_base_url="https://api.api2convert.com/v2",
            id_what="job id",
            id_help="a job id",
            id_pattern=UUID_PATTERN,
            example_ids=("29370f20-9090-fb05-0c12-3d1ca05314ca",),
            files="every downloadable output of API2Convert conversion jobs",
            waits_for_jobs=True,
        ),
    )
}


def facts(name: str) -> ProviderFacts:
    return PROVIDERS[name]
