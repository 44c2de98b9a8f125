"""State of the Sarvam Document Intelligence emulator: jobs, their inputs, timeline and output ZIPs.

Tests drive it through `SarvamState` (reachable as `RunningEmulator.state`); the FastAPI app in
`sarvam.py` only reads and updates it. Ids and content are deterministic from `config.seed`, and every
time-dependent value is computed from `ctx.clock`, so a fake clock moves jobs through their states.
"""

from __future__ import annotations

import io
import json
import re
import threading
import uuid
import zipfile
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from typing import Literal

from ._framework import EmulatorContext

Outcome = Literal["Completed", "PartiallyCompleted", "Failed"]
JobPhase = Literal["Accepted", "Pending", "Running", "Completed", "PartiallyCompleted", "Failed"]
OutputFormat = Literal["md", "html"]

TERMINAL: frozenset[str] = frozenset({"Completed", "PartiallyCompleted", "Failed"})
DOWNLOADABLE: frozenset[str] = frozenset({"Completed", "PartiallyCompleted"})
RUN_STEPS = 2  # a started job is Running for RUN_STEPS * config.job_step, then reaches its outcome
FINALIZING = "Finalizing"  # drift: reported for one more job_step after Running, before the outcome
MAX_PAGES = 10  # current docs: "Page/image count must not exceed 10"
MAX_INPUT_BYTES = 200 * 1024 * 1024  # "File size must not exceed 200 MB"
OUTPUT_NAME = "document.zip"  # the one output key observed on the live API
# Page/job error strings are not documented; these are the emulator's own.
PAGE_ERROR_CODE = "page_processing_failed"
FAILED_JOB_MESSAGE = "Document processing failed: no page could be processed"
_ZIP_DATE = (2026, 1, 1, 0, 0, 0)  # fixed member timestamps keep output ZIPs byte-identical
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


class InputRejected(Exception):
    """The uploaded input fails start's validation; `code` is the Sarvam error code (HTTP 422)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class SarvamJob:
    job_id: str
    language: str
    output_format: OutputFormat
    created_at: float
    updated_at: float
    outcome: Outcome
    phase: JobPhase = "Accepted"
    callback_url: str | None = None
    input_name: str | None = None
    input_data: bytes | None = None
    started_at: float | None = None
    total_pages: int = 0
    failed_pages: tuple[int, ...] = ()
    error_message: str = ""
    output_key: str | None = None
    uploads: int = 0

    @property
    def pages_failed(self) -> int:
        if self.outcome == "Failed":
            return self.total_pages
        if self.outcome == "PartiallyCompleted":
            return len([n for n in self.failed_pages if 1 <= n <= self.total_pages])
        return 0


@dataclass
class SarvamState:
    """All jobs of one emulator run, plus the knobs tests use to add jobs and force outcomes."""

    ctx: EmulatorContext
    api_key: str = ""
    default_outcome: Outcome = "Completed"  # outcome of jobs created through the API from now on
    max_pages: int = MAX_PAGES
    max_input_bytes: int = MAX_INPUT_BYTES
    completed_ids: list[str] = field(default_factory=list)
    partial_id: str = ""
    failed_id: str = ""
    _jobs: dict[str, SarvamJob] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _sequence: int = 0

    def __post_init__(self) -> None:
        self.api_key = "sk_" + self.ctx.seeded_id("sarvam-api-key", 32)

    # ---- used by tests ----
    def add_job(
        self,
        outcome: Outcome = "Completed",
        *,
        pages: int = 2,
        output_format: OutputFormat = "md",
        input_name: str = "document.pdf",
        failed_pages: tuple[int, ...] | None = None,
        error_message: str | None = None,
    ) -> str:
        """A job that has already run to `outcome` (with its output stored when it has one)."""
        now = self.ctx.clock()
        with self._lock:
            job = self._new_job("en-IN", output_format, None, outcome)
            job.input_name, job.total_pages = input_name, pages
            self._set_outcome(job, outcome, failed_pages, error_message)
            job.phase, job.started_at = "Running", now - self._run_time()
            self._advance(job)
            return job.job_id

    def force_outcome(
        self,
        job_id: str,
        outcome: Outcome,
        *,
        failed_pages: tuple[int, ...] | None = None,
        error_message: str | None = None,
    ) -> None:
        """Decide how a job that has not finished yet will end (KeyError for an unknown id)."""
        with self._lock:
            job = self._jobs[job_id]
            if job.phase in TERMINAL:
                raise ValueError(f"job {job_id} already ended as {job.phase}")
            self._set_outcome(job, outcome, failed_pages, error_message)

    def job(self, job_id: str) -> SarvamJob:
        """The job with its phase brought up to date (KeyError for an unknown id)."""
        with self._lock:
            job = self._jobs[job_id]
            self._advance(job)
            return job

    # ---- used by the app ----
    def create(self, language: str, output_format: OutputFormat, callback_url: str | None) -> SarvamJob:
        with self._lock:
            return self._new_job(language, output_format, callback_url, self.default_outcome)

    def find(self, job_id: str) -> SarvamJob | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._advance(job)
            return job

    def receive_upload(self, job_id: str, name: str, data: bytes) -> bool:
        """Store an uploaded input; False when the job has already started (the upload is refused)."""
        with self._lock:
            job = self._jobs[job_id]
            if job.phase not in ("Accepted", "Pending"):
                return False
            job.input_name, job.input_data = name, data
            job.phase, job.updated_at = "Pending", self.ctx.clock()
            job.uploads += 1
            return True

    def start(self, job: SarvamJob) -> None:
        """Validate the uploaded input (InputRejected) and start processing."""
        with self._lock:
            assert job.input_data is not None and job.input_name is not None, "start needs an upload"
            pages = count_pages(job.input_name, job.input_data, self.max_input_bytes)
            if pages > self.max_pages:
                kind = "PDF" if job.input_name.lower().endswith(".pdf") else "ZIP"
                raise InputRejected(
                    "max_page_limit_exceeded",
                    f"{kind} has {pages} pages, maximum allowed is {self.max_pages}",
                )
            job.total_pages = pages
            self._set_outcome(job, job.outcome, None, None)
            now = self.ctx.clock()
            job.phase, job.started_at, job.updated_at = "Running", now, now

    def finalizing(self, job: SarvamJob) -> bool:
        """Drift: whether the job is in the Finalizing step (processing done, outcome not yet out)."""
        with self._lock:
            self._advance(job)
            return (
                self.ctx.config.drift
                and job.phase == "Running"
                and job.started_at is not None
                and self.ctx.clock() >= job.started_at + RUN_STEPS * self.ctx.config.job_step
            )

    def pages_processed(self, job: SarvamJob) -> int:
        if job.phase in TERMINAL:
            return job.total_pages
        if job.phase != "Running" or job.started_at is None:
            return 0
        fraction = (self.ctx.clock() - job.started_at) / (RUN_STEPS * self.ctx.config.job_step)
        return min(job.total_pages, max(0, int(job.total_pages * fraction)))

    # ---- internals ----
    def _new_job(
        self, language: str, output_format: OutputFormat, callback_url: str | None, outcome: Outcome
    ) -> SarvamJob:
        now = self.ctx.clock()
        self._sequence += 1
        random_part = uuid.UUID(hex=self.ctx.seeded_id(f"sarvam-job:{self._sequence}", 32), version=4)
        job_id = f"{datetime.fromtimestamp(now, UTC):%Y%m%d}_{random_part}"
        job = SarvamJob(job_id, language, output_format, now, now, outcome, callback_url=callback_url)
        self._jobs[job_id] = job
        return job

    def _set_outcome(
        self,
        job: SarvamJob,
        outcome: Outcome,
        failed_pages: tuple[int, ...] | None,
        error_message: str | None,
    ) -> None:
        job.outcome = outcome
        if failed_pages is not None:
            job.failed_pages = tuple(sorted(set(failed_pages)))
        elif outcome == "PartiallyCompleted" and not job.failed_pages and job.total_pages:
            job.failed_pages = (job.total_pages,) if job.total_pages > 1 else (1,)
        if outcome == "Failed":
            job.error_message = error_message or job.error_message or FAILED_JOB_MESSAGE
        elif error_message is not None:
            job.error_message = error_message

    def _run_time(self) -> float:
        """From start to outcome: RUN_STEPS job_steps, plus the Finalizing step in drift mode."""
        return (RUN_STEPS + int(self.ctx.config.drift)) * self.ctx.config.job_step

    def _advance(self, job: SarvamJob) -> None:
        if job.phase != "Running" or job.started_at is None:
            return
        finish_at = job.started_at + self._run_time()
        if self.ctx.clock() < finish_at:
            return
        job.phase, job.updated_at = job.outcome, max(job.updated_at, finish_at)
        if job.outcome in DOWNLOADABLE:
            data = build_output(self.ctx, job)
            job.output_key = self.ctx.storage.put(data, name=OUTPUT_NAME).key


def count_pages(name: str, data: bytes, max_bytes: int) -> int:
    """Pages of a PDF or images of a flat ZIP, as start's validation sees them (InputRejected if invalid)."""
    if len(data) > max_bytes:
        raise InputRejected(
            "invalid_request_error", f"File size {len(data)} bytes exceeds the limit of {max_bytes} bytes"
        )
    if name.lower().endswith(".pdf"):
        pages = len(_PDF_PAGE.findall(data)) if data.startswith(b"%PDF-") else 0
        if pages == 0:
            raise InputRejected("unprocessable_entity_error", "The PDF could not be parsed")
        return pages
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info.filename for info in archive.infolist() if not info.is_dir()]
    except zipfile.BadZipFile:
        raise InputRejected("unprocessable_entity_error", "The ZIP file could not be read") from None
    if any(member.strip("/").count("/") > 1 for member in members):
        raise InputRejected("unprocessable_entity_error", "ZIP must not contain nested folders")
    if not members or any(not member.lower().endswith(_IMAGE_SUFFIXES) for member in members):
        raise InputRejected("unprocessable_entity_error", "ZIP must contain only JPEG or PNG images")
    return len(members)


def build_output(ctx: EmulatorContext, job: SarvamJob) -> bytes:
    """The output ZIP seen on the live API: document.md|html plus metadata/page_NNN.json per page done.

    Members are stored uncompressed, so the ZIP is about config.file_size bytes whatever the content.
    """
    pages = [n for n in range(1, job.total_pages + 1) if n not in job.failed_pages]
    label = f"sarvam-output:{job.job_id.partition('_')[2]}"  # the uuid part: the date prefix varies by day
    filler = ctx.seeded_bytes(label, max(ctx.config.file_size // 2, len(pages))).hex()
    share = len(filler) // max(len(pages), 1)
    texts = {n: filler[i * share : (i + 1) * share] for i, n in enumerate(pages)}
    if job.output_format == "html":
        body = "".join(
            f'<section data-page="{n}"><h1>Page {n}</h1><p>{text}</p></section>' for n, text in texts.items()
        )
        document = ("document.html", f"<!DOCTYPE html><html><body>{body}</body></html>\n")
    else:
        document = ("document.md", "".join(f"# Page {n}\n\n{text}\n\n" for n, text in texts.items()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo(document[0], _ZIP_DATE), document[1])
        for n, text in texts.items():
            archive.writestr(
                zipfile.ZipInfo(f"metadata/page_{n:03d}.json", _ZIP_DATE), _page_metadata(n, text)
            )
    return buffer.getvalue()


def _page_metadata(page: int, text: str) -> str:
    block = {
        "block_id": f"p{page}_b1",
        "coordinates": {"x1": 72, "y1": 96, "x2": 1168, "y2": 1520},
        "layout_tag": "paragraph",
        "confidence": 0.97,
        "reading_order": 1,
        "text": text[:200],
    }
    return json.dumps(
        {"page_num": page, "image_width": 1240, "image_height": 1754, "blocks": [block]}, indent=2
    )
