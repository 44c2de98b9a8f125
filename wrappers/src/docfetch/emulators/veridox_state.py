"""State of the Veridox emulator: files, their owners and analysis timeline, API keys, rate limits.

Tests drive it through `VeridoxState` (reachable as `RunningEmulator.state`); the FastAPI app in
`veridox.py` only reads and updates it. Everything is deterministic from `config.seed`, and every
time-dependent value is computed from `ctx.clock`, so a fake clock moves files through their analysis.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Literal

from docfetch_emulator_models.veridox import AnalysisOutcome
from docfetch_emulator_models.veridox import AnalysisStatus
from docfetch_emulator_models.veridox import AssetType

from ._framework import EmulatorContext

MAIN_ORG = "org-main"
OTHER_ORG = "org-other"
# 2025-01-01T00:00:00Z in ms: the timestamp part of every generated UUIDv7 starts here, so ids are
# reproducible rather than tied to the wall clock.
ID_EPOCH_MS = 1_735_689_600_000
RATE_WINDOW = 60.0  # seconds; POST /files/download allows rate_limit_per_minute per key in any window
ANALYSIS_STEPS = 3  # a file is "processing" for ANALYSIS_STEPS * config.job_step after upload
ANALYSIS_PHASES = (
    "file_info",
    "reverse_search",
    "full_analysis",
)  # invented: the docs' values are not visible

# Per-file reasons in the `errors` array of POST /files/download (the real strings are not documented).
ERROR_NOT_FOUND = "File not found"
ERROR_NOT_OWNED = "File is not owned by the authenticated user"
ERROR_NOT_UPLOADED = "File has not been uploaded yet"

Ownership = Literal["owned", "not_owned", "missing"]

_ASSET_CONTENT_TYPES: dict[AssetType, str] = {
    AssetType.thumbnail: "image/png",
    AssetType.pdf_report: "application/pdf",
    AssetType.log_output: "text/plain",
    AssetType.ela_overlay: "image/png",
}
_ASSET_SIZE = 2048
_MIME_BY_SUFFIX = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def uuid7(seed: int, namespace: str, sequence: int) -> str:
    """A real, deterministic UUIDv7: 48-bit ms timestamp from ID_EPOCH_MS + sequence, hashed random bits."""
    unix_ms = ID_EPOCH_MS + sequence
    rand = int.from_bytes(hashlib.sha256(f"{seed}:veridox:{namespace}:{sequence}".encode()).digest()[:10])
    rand_a = rand >> 68 & 0xFFF  # 12 bits
    rand_b = rand & ((1 << 62) - 1)  # 62 bits
    value = unix_ms << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    hex_ = f"{value:032x}"
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


@dataclass
class VeridoxFile:
    """One file of a case. Status and available assets follow from uploaded_at and the clock."""

    file_id: str
    sequence: int
    label: str
    case_id: str
    case_label: str
    mime_type: str
    org: str
    created_at: float
    uploaded_at: float | None
    risk_score: str
    outcome: AnalysisOutcome = AnalysisOutcome.success
    settled_at: float | None = None  # set by force_settle; otherwise uploaded_at + analysis time
    size: int | None = None  # None: config.file_size
    object_keys: dict[AssetType, str] = field(default_factory=dict)  # storage keys, created on first use


@dataclass(frozen=True)
class AnalysisView:
    """The analysis fields of a file at one instant."""

    status: AnalysisStatus
    outcome: AnalysisOutcome | None
    phase: str | None
    risk_score: str | None


class VeridoxState:
    """Files, keys and rate-limit windows of one emulator. Thread-safe: tests call it while servers run.

    Enum arguments also accept their string values, so tests may pass the generated client's enums.
    """

    def __init__(self, ctx: EmulatorContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._files: dict[str, VeridoxFile] = {}
        self._sequence = 0
        self._case_sequence = 0
        self._cases: dict[tuple[str, str], str] = {}  # (org, case label) -> case id
        self._keys: dict[str, str] = {}  # api key -> org
        self._expired_keys: set[str] = set()
        self._windows: dict[str, deque[float]] = {}
        self.seeded: dict[str, list[str]] = {}  # ids of the demo data by kind, filled by veridox.build
        self.api_key = self.new_api_key(MAIN_ORG)

    # ---- API keys and rate limits ----
    def new_api_key(self, org: str = OTHER_ORG) -> str:
        """A valid key for `org` (another organisation by default), deterministic under the seed."""
        with self._lock:
            key = (
                "vdx_"
                + hashlib.sha256(f"{self._ctx.config.seed}:key:{len(self._keys)}".encode()).hexdigest()[:32]
            )
            self._keys[key] = org
        return key

    def expire_api_key(self, key: str) -> None:
        """Requests with `key` now get 401 request.authentication.api-key.expired."""
        with self._lock:
            self._expired_keys.add(key)

    def key_status(self, key: str | None) -> tuple[Literal["valid", "invalid", "expired"], str | None]:
        """("valid", org) for a usable key, otherwise the reason and None."""
        with self._lock:
            if key is None or key not in self._keys:
                return "invalid", None
            if key in self._expired_keys:
                return "expired", None
            return "valid", self._keys[key]

    def take_rate_slot(self, key: str) -> float | None:
        """Record one POST /files/download for `key`; None if allowed, else seconds until a slot frees."""
        limit = self._ctx.config.rate_limit_per_minute
        if limit <= 0:  # 0 or less switches the limit off (load tests)
            return None
        now = self._ctx.clock()
        with self._lock:
            window = self._windows.setdefault(key, deque())
            while window and window[0] <= now - RATE_WINDOW:
                window.popleft()
            if len(window) >= limit:
                return window[0] + RATE_WINDOW - now
            window.append(now)
            return None

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._windows.clear()

    # ---- files ----
    def add_file(
        self,
        label: str | None = None,
        *,
        case_label: str = "Demo case",
        owned: bool = True,
        uploaded: bool = True,
        settled: bool = True,
        outcome: AnalysisOutcome | str = AnalysisOutcome.success,
        size: int | None = None,
        mime_type: str | None = None,
    ) -> str:
        """Add one file and return its UUIDv7 id. By default it is owned, uploaded and settled (ready)."""
        return self.add_files(
            1,
            labels=None if label is None else [label],
            case_label=case_label,
            owned=owned,
            uploaded=uploaded,
            settled=settled,
            outcome=outcome,
            size=size,
            mime_type=mime_type,
        )[0]

    def add_files(
        self,
        count: int,
        *,
        labels: list[str] | None = None,
        case_label: str = "Demo case",
        owned: bool = True,
        uploaded: bool = True,
        settled: bool = True,
        outcome: AnalysisOutcome | str = AnalysisOutcome.success,
        size: int | None = None,
        mime_type: str | None = None,
    ) -> list[str]:
        """Add `count` files in one step (cheap: content is generated on first download).

        `settled=False` leaves an uploaded file processing for the normal analysis time; `uploaded=False`
        leaves it waiting_for_upload until `upload()`.
        """
        if labels is not None and len(labels) != count:
            raise ValueError("labels must have one entry per file")
        now = self._ctx.clock()
        org = MAIN_ORG if owned else OTHER_ORG
        ids: list[str] = []
        with self._lock:
            case_id = self._case_id(org, case_label)
            for i in range(count):
                sequence = self._sequence
                self._sequence += 1
                file_id = uuid7(self._ctx.config.seed, "file", sequence)
                label = labels[i] if labels is not None else f"file-{sequence:05d}.pdf"
                self._files[file_id] = VeridoxFile(
                    file_id=file_id,
                    sequence=sequence,
                    label=label,
                    case_id=case_id,
                    case_label=case_label,
                    mime_type=mime_type or _mime_for(label),
                    org=org,
                    created_at=now,
                    uploaded_at=now if uploaded else None,
                    risk_score=str(int(file_id[-4:], 16) % 101),
                    outcome=AnalysisOutcome(outcome),
                    settled_at=now if uploaded and settled else None,
                    size=size,
                )
                ids.append(file_id)
        return ids

    def set_owned(self, file_ids: Iterable[str], owned: bool = False) -> None:
        """Move files to another organisation (owned=False) or back to the caller's."""
        with self._lock:
            for file_id in file_ids:
                self._files[file_id.lower()].org = MAIN_ORG if owned else OTHER_ORG

    def remove(self, file_ids: Iterable[str]) -> None:
        """Delete files: their ids become unknown ("File not found")."""
        with self._lock:
            for file_id in file_ids:
                self._files.pop(file_id.lower(), None)

    def upload(self, file_id: str) -> None:
        """Finish the upload of a waiting file: it is processing from now on, then settles."""
        with self._lock:
            self._files[file_id.lower()].uploaded_at = self._ctx.clock()

    def force_settle(self, file_id: str, outcome: AnalysisOutcome | str = AnalysisOutcome.success) -> None:
        """End the analysis now with `outcome` (the file must have been uploaded)."""
        with self._lock:
            file = self._files[file_id.lower()]
            if file.uploaded_at is None:
                raise ValueError("a file waiting for upload cannot settle")
            file.settled_at, file.outcome = self._ctx.clock(), AnalysisOutcome(outcome)

    def get(self, file_id: str) -> VeridoxFile:
        """A copy of one file's record."""
        with self._lock:
            return replace(self._files[file_id.lower()])

    def content(self, file_id: str, asset: AssetType | str = AssetType.file_download) -> bytes:
        """The bytes storage serves for a file (or one of its assets)."""
        key = self.object_key(file_id, AssetType(asset))
        return self._ctx.storage.get(key).data

    # ---- queries used by the app ----
    def lookup(self, file_id: str, org: str) -> tuple[Ownership, VeridoxFile | None]:
        with self._lock:
            file = self._files.get(file_id.lower())
        if file is None:
            return "missing", None
        return ("owned", file) if file.org == org else ("not_owned", None)

    def owned_files(self, org: str) -> list[VeridoxFile]:
        with self._lock:
            return [file for file in self._files.values() if file.org == org]

    def analysis(self, file: VeridoxFile) -> AnalysisView:
        """Where `file` is in its analysis at the clock's current time."""
        if file.uploaded_at is None:
            return AnalysisView(AnalysisStatus.waiting_for_upload, None, None, None)
        duration = ANALYSIS_STEPS * self._ctx.config.job_step
        settled_at = file.settled_at if file.settled_at is not None else file.uploaded_at + duration
        now = self._ctx.clock()
        if now >= settled_at:
            return AnalysisView(AnalysisStatus.settled, file.outcome, "completed", file.risk_score)
        step = min(int((now - file.uploaded_at) / duration * len(ANALYSIS_PHASES)), len(ANALYSIS_PHASES) - 1)
        return AnalysisView(AnalysisStatus.processing, None, ANALYSIS_PHASES[max(step, 0)], None)

    def has_asset(self, file: VeridoxFile, asset: AssetType) -> bool:
        """Which assets exist: the file once uploaded, its thumbnail too; the rest after analysis."""
        view = self.analysis(file)
        if view.status is AnalysisStatus.waiting_for_upload:
            return False
        if asset in (AssetType.file_download, AssetType.thumbnail):
            return True
        if view.status is not AnalysisStatus.settled:
            return False
        return asset is AssetType.log_output or view.outcome is AnalysisOutcome.success

    def object_key(self, file_id: str, asset: AssetType = AssetType.file_download) -> str:
        """The storage key for a file's asset, storing its deterministic content on first use."""
        with self._lock:
            file = self._files[file_id.lower()]
            key = file.object_keys.get(asset)
            if key is None:
                key = self._store(file, asset)
                file.object_keys[asset] = key
            return key

    # ---- internals (called with the lock held) ----
    def _case_id(self, org: str, case_label: str) -> str:
        # Case labels are unique per organisation, case-insensitively (V12).
        slot = (org, case_label.casefold())
        if slot not in self._cases:
            self._cases[slot] = uuid7(self._ctx.config.seed, "case", self._case_sequence)
            self._case_sequence += 1
        return self._cases[slot]

    def _store(self, file: VeridoxFile, asset: AssetType) -> str:
        if asset is AssetType.file_download:
            data = self._ctx.seeded_bytes(f"veridox:{file.file_id}", file.size)
            obj = self._ctx.storage.put(data, name=file.label, content_type=file.mime_type)
        else:
            data = self._ctx.seeded_bytes(f"veridox:{file.file_id}:{asset.value}", _ASSET_SIZE)
            stem = file.label.rsplit(".", 1)[0]
            suffix = {"image/png": "png", "application/pdf": "pdf", "text/plain": "log"}[
                _ASSET_CONTENT_TYPES[asset]
            ]
            obj = self._ctx.storage.put(
                data, name=f"{stem}-{asset.value}.{suffix}", content_type=_ASSET_CONTENT_TYPES[asset]
            )
        return obj.key


def retry_after_seconds(wait: float) -> int:
    """Retry-After value for a wait: whole seconds, rounded up, at least 1."""
    return max(1, math.ceil(wait))


def _mime_for(label: str) -> str:
    dot = label.rfind(".")
    return (
        _MIME_BY_SUFFIX.get(label[dot:].lower(), "application/octet-stream")
        if dot >= 0
        else "application/octet-stream"
    )
