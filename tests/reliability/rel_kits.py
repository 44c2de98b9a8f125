"""One kit per provider: how the suite builds its client, makes fresh downloadable items in its emulator,
knows their true bytes, and recognises its credentials. Everything else in the suite is provider-neutral
and uses only the uniform client interface (constructor, ``check_ids``, ``links``, ``download``).
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import itertools
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from docfetch import FileResult
from docfetch import RetryPolicy
from docfetch import TokenBucket
from docfetch.emulators import RunningEmulator

# API calls retry quickly in this suite; injected Retry-After values (0.2-0.5 s) stay below the cap.
FAST_RETRY = RetryPolicy(
    max_attempts=4, initial_backoff=0.02, max_backoff=0.1, jitter=0.0, retry_after_cap=5.0
)
FILE_SIZE = 24 * 1024  # small files keep the suite fast; > one read so drops land mid-body
_labels = itertools.count()


def _label(prefix: str) -> str:
    return f"{prefix}-{next(_labels)}"


# --- fresh items per provider ---------------------------------------------------------------------


def _sarvam_fresh(emu: RunningEmulator, count: int) -> list[str]:
    return [emu.state.add_job("Completed", pages=2, input_name=f"{_label('in')}.pdf") for _ in range(count)]


def _sarvam_contents(emu: RunningEmulator, job_id: str) -> list[bytes]:
    key = emu.state.job(job_id).output_key
    return [] if key is None else [emu.storage.get(key).data]


def _indexhealth_fresh(emu: RunningEmulator, count: int) -> list[str]:
    return [
        emu.state.add_document(f"{_label('record')}.pdf", processed=True).document_id for _ in range(count)
    ]


def _indexhealth_contents(emu: RunningEmulator, document_id: str) -> list[bytes]:
    stored = emu.state.find(document_id).stored
    return [] if stored is None else [stored.data]


def _telnyx_fresh(emu: RunningEmulator, count: int) -> list[str]:
    from docfetch_emulator_models.telnyx import DocServiceDocumentAvScanStatus as AvScanStatus

    ids: list[str] = []
    for _ in range(count):
        label = _label("contract")
        document = emu.state.add_document(
            emu.context.seeded_bytes(label, FILE_SIZE),
            filename=f"{label}.pdf",
            av_scan_status=AvScanStatus.scanned,
        )
        ids.append(document.id)
    return ids


def _telnyx_contents(emu: RunningEmulator, document_id: str) -> list[bytes]:
    return [emu.state.data(document_id)]


def _veridox_fresh(emu: RunningEmulator, count: int) -> list[str]:
    ids: list[str] = emu.state.add_files(count, size=FILE_SIZE)
    return ids


def _veridox_contents(emu: RunningEmulator, file_id: str) -> list[bytes]:
    return [emu.storage.get(emu.state.object_key(file_id)).data]


def _api2convert_fresh(emu: RunningEmulator, count: int) -> list[str]:
    # distinct input names, so outputs are distinct files (report.pdf -> report.png for every job otherwise)
    ids = [
        emu.state.add_job(targets=("png",), source=f"https://example.com/files/{_label('scan')}.pdf")
        for _ in range(count)
    ]
    for job_id in ids:
        emu.state.status_of(job_id)  # finished jobs store their outputs when first looked at
    return ids


HOSTILE_TARGETS = ("png", "jpg", "gif", "bmp", "tiff", "webp", "pdf", "txt", "html", "docx", "svg")


def _api2convert_many_outputs(emu: RunningEmulator, count: int) -> list[str]:
    """One job with ``count`` outputs (names are picked by output index within a job)."""
    job_id: str = emu.state.add_job(targets=HOSTILE_TARGETS[:count])
    emu.state.status_of(job_id)
    return [job_id]


def _api2convert_contents(emu: RunningEmulator, job_id: str) -> list[bytes]:
    job = emu.state.find(job_id)
    return [emu.storage.get(output.key).data for output in job.outputs]


@dataclass(frozen=True)
class Kit:
    """What the suite needs to know about one provider."""

    name: str
    sync_class: str
    async_class: str
    auth_headers: tuple[str, ...]  # request headers that carry its credential (lower case)
    fresh: Callable[[RunningEmulator, int], list[str]]
    contents: Callable[[RunningEmulator, str], list[bytes]]
    client_options: Mapping[str, Any] = field(default_factory=dict)
    # per-client options that must not be shared between clients (e.g. a rate limiter of its own)
    own_options: Callable[[], Mapping[str, Any]] = dict
    # download() keywords that make the bytes come from the storage origin (where faults are injected)
    via_storage: Mapping[str, Any] = field(default_factory=dict)
    # download() keywords that stream from the provider API itself, when its emulator injects faults there
    api_stream: Mapping[str, Any] | None = None
    publishes_checksum: bool = False
    signed_links: bool = True  # api2convert outputs are plain, capped URLs instead
    malformed_ids: tuple[str, ...] = ("", " ", "id\x00with-nul")
    # ids whose files the emulator names by position 0..count-1 (hostile_names picks by that position)
    many_names: Callable[[RunningEmulator, int], list[str]] | None = None
    emulator_options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return f"docfetch.{self.name}"

    def client_class(self, asynchronous: bool = False) -> Any:
        module = importlib.import_module(self.module)
        return getattr(module, self.async_class if asynchronous else self.sync_class)

    def client(
        self,
        emu: RunningEmulator,
        *,
        asynchronous: bool = False,
        retry: RetryPolicy | None = FAST_RETRY,
        timeout: float = 5.0,
        base_url: str | None = None,
        **extra: Any,
    ) -> Any:
        """A client of this provider pointed at ``emu`` (credentials from the emulator)."""
        options: dict[str, Any] = {
            **emu.credentials,
            "base_url": base_url or emu.base_url,
            "timeout": timeout,
            "retry": retry,
            **self.client_options,
            **self.own_options(),
            **extra,
        }
        return self.client_class(asynchronous)(**options)

    def secrets(self, emu: RunningEmulator) -> set[str]:
        """Every credential value, and every token the API side received, that storage must never see."""
        found = {str(v) for k, v in emu.credentials.items() if k in ("api_key", "client_secret", "client_id")}
        for request in emu.api_requests:
            for name in self.auth_headers:
                value = request.headers.get(name)
                if value:
                    found.add(value)
                    found.add(value.split(" ", 1)[-1])  # the bare token of "Bearer <token>"
        return {s for s in found if len(s) >= 8}

    def expected_digests(self, emu: RunningEmulator, item_id: str) -> set[str]:
        return {hashlib.sha256(data).hexdigest() for data in self.contents(emu, item_id)}


KITS: dict[str, Kit] = {
    kit.name: kit
    for kit in (
        Kit(
            name="sarvam",
            sync_class="SarvamClient",
            async_class="AsyncSarvamClient",
            auth_headers=("api-subscription-key",),
            fresh=_sarvam_fresh,
            contents=_sarvam_contents,
            client_options={"poll_interval": 0.01, "max_poll_interval": 0.05},
            emulator_options={"job_step": 0.02},
        ),
        Kit(
            name="indexhealth",
            sync_class="IndexHealthClient",
            async_class="AsyncIndexHealthClient",
            auth_headers=("authorization",),
            fresh=_indexhealth_fresh,
            contents=_indexhealth_contents,
            via_storage={"method": "signed_url"},
            malformed_ids=("", " ", "id\x00with-nul", "..", "a/b"),
        ),
        Kit(
            name="telnyx",
            sync_class="TelnyxClient",
            async_class="AsyncTelnyxClient",
            auth_headers=("authorization",),
            fresh=_telnyx_fresh,
            contents=_telnyx_contents,
            api_stream={"method": "direct"},
            publishes_checksum=True,
            malformed_ids=("", "not-a-uuid", "6a09cdc3-8948-47f0-aa62-74ac943d6c5"),
            emulator_options={"job_step": 0.02},
        ),
        Kit(
            name="veridox",
            sync_class="VeridoxClient",
            async_class="AsyncVeridoxClient",
            auth_headers=("x-api-key",),
            fresh=_veridox_fresh,
            contents=_veridox_contents,
            malformed_ids=("", "not-a-uuid", "6a09cdc3-8948-47f0-aa62-74ac943d6c58"),  # a v4, not v7
            # the suite's emulator does not limit; each client paces itself with an unhurried bucket
            # (the rate limit itself is tested in test_load.py)
            own_options=lambda: {"rate_limiter": TokenBucket(1000, 1000.0)},
            emulator_options={"rate_limit_per_minute": 0, "job_step": 0.02},
        ),
        Kit(
            name="api2convert",
            sync_class="Api2ConvertClient",
            async_class="AsyncApi2ConvertClient",
            auth_headers=("x-api2convert-api-key", "x-oc-api-key", "x-api2convert-token", "x-oc-token"),
            fresh=_api2convert_fresh,
            contents=_api2convert_contents,
            many_names=_api2convert_many_outputs,
            client_options={"poll_interval": 0.01},
            publishes_checksum=True,
            signed_links=False,
            emulator_options={"job_step": 0.02},
        ),
    )
}


def download(
    kit: Kit,
    emu: RunningEmulator,
    ids: list[str],
    dest: Path,
    *,
    asynchronous: bool = False,
    client_options: Mapping[str, Any] | None = None,
    **options: Any,
) -> list[FileResult]:
    """``client.download(ids, dest, **options)`` with a fresh sync or async client of ``kit``."""
    if not asynchronous:
        with kit.client(emu, **(client_options or {})) as client:
            results: list[FileResult] = client.download(ids, dest, **options)
            return results

    async def run() -> list[FileResult]:
        async with kit.client(emu, asynchronous=True, **(client_options or {})) as client:
            found: list[FileResult] = await client.download(ids, dest, **options)
            return found

    return asyncio.run(run())


def saved_files(directory: Path) -> list[Path]:
    """Every file under ``directory``, recursively (what a download really left behind)."""
    return sorted(p for p in directory.rglob("*") if p.is_file() or p.is_symlink())


def check_saved(kit: Kit, emu: RunningEmulator, result: FileResult, dest: Path) -> None:
    """A successful result: its file is directly inside ``dest`` and byte-identical to the provider's."""
    assert result.error is None and result.path is not None
    assert result.path.parent == dest, f"{result.path} is not directly inside {dest}"
    data = result.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest == result.sha256 and len(data) == result.bytes
    item_id = result.id.split("/", 1)[0]  # sarvam reports "<job id>/<file name>" for job outputs
    assert digest in kit.expected_digests(emu, item_id), f"{result.path} is not the provider's file"


def assert_clean(dest: Path, results: Sequence[FileResult], *, preexisting: Sequence[Path] = ()) -> None:
    """The sandbox around ``dest`` holds exactly the saved files (plus ``preexisting``), each directly in
    ``dest``: no part file, no partial file of a failed item, nothing beside or above the destination."""
    sandbox = dest.parent
    found = saved_files(sandbox) if sandbox.exists() else []
    expected = sorted({*preexisting, *(r.path for r in results if r.error is None and r.path is not None)})
    assert found == expected, f"unexpected files: {sorted(set(found) ^ set(expected))}"
