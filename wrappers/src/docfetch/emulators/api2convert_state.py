"""The API2Convert emulator's jobs: the status timeline, outputs in storage, and the test handle.

A started job is `queued` for one `config.job_step`, `processing` for the next (in drift mode then
`postprocessing`, a code the docs do not list, for one more), then reaches its outcome (`completed` unless
forced otherwise). Outputs are put into storage when a job completes and are reported `enabled`, `overuse`
(downloads reached `config.download_cap`), `expired` (older than `config.output_lifetime`) or `disabled`
(deleted through `disable_output`). `downloads(output_id)` is the per-output download counter.

Outputs of a job created (or PATCHed) with `download_passwords` are served only to requests carrying one
of them in `X-Api2convert-Download-Password` (the header the official SDK sends); without it the output
host answers 401, with a wrong one 403. `refuse_output_link` makes an output's current `uri` answer
403/404/410 while GET /jobs/{id} and /jobs/{id}/output hand out a fresh one.
"""

from __future__ import annotations

import hmac
import mimetypes
import threading
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import urlsplit

from docfetch_emulator_models.api2convert import Conversion
from docfetch_emulator_models.api2convert import DownloadPassword
from docfetch_emulator_models.api2convert import InputFile
from docfetch_emulator_models.api2convert import InputFileStatus
from docfetch_emulator_models.api2convert import Job
from docfetch_emulator_models.api2convert import JobRequest
from docfetch_emulator_models.api2convert import JobType
from docfetch_emulator_models.api2convert import OutputFile
from docfetch_emulator_models.api2convert import OutputFileSource
from docfetch_emulator_models.api2convert import OutputFileStatus
from docfetch_emulator_models.api2convert import Status
from docfetch_emulator_models.api2convert import UserError

from ._framework import EmulatorContext
from .checksums import CHECKSUM_FORMS
from .checksums import hex_digest
from .checksums import written_checksum
from .storage import Guard
from .storage import Rejection
from .storage import StoredObject

Outcome = Literal["completed", "failed", "canceled"]
TERMINAL = frozenset({"completed", "failed", "canceled"})
RUNNING_CODES = ("queued", "processing")  # one job_step each, then the outcome
DRIFT_RUNNING_CODES = (*RUNNING_CODES, "postprocessing")  # drift: a code the docs do not list
PASSWORD_HEADER = "X-Api2convert-Download-Password"  # noqa: S105 (a header name; the SDK sends it, result.py)
PASSWORD_REQUIRED = Rejection(
    401, "DownloadPasswordRequired", "This file is protected by a download password."
)
PASSWORD_WRONG = Rejection(403, "InvalidDownloadPassword", "The download password is not valid.")
STATUS_INFO = {
    "created": "The job has been created but is not marked to be processed.",
    "incomplete": "The job is missing information: it needs at least one input and one conversion.",
    "queued": "The job is waiting in the queue.",
    "processing": "The file is being processed.",
    "postprocessing": "The converted files are being prepared for download.",
    "completed": "The file has been successfully converted.",
    "failed": "The file has not been converted due to errors.",
    "canceled": "The job has been canceled.",
}
DOWNLOAD_FAILED = UserError(
    source="input",
    code=404,
    message="The file could not be downloaded by our servers. Please verify the link you have provided.",
)


class JobConflict(Exception):
    """A change the job's current status does not allow (HTTP 409)."""


@dataclass
class EmulatedOutput:
    id: str
    key: str  # storage key of the current uri
    stored: StoredObject  # kept after disable_output deletes it, so its download count stays readable
    uri: str
    filename: str
    conversion_id: str
    input_ids: list[str]
    created_at: float
    disabled: bool = False


@dataclass
class EmulatedJob:
    id: str
    token: str
    created_at: float
    request: JobRequest
    conversions: list[Conversion]
    inputs: list[InputFile]
    process: bool = True
    modified_at: float = 0.0
    started_at: float | None = None
    outcome: Outcome = "completed"
    canceled_at: float | None = None
    outputs: list[EmulatedOutput] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return bool(self.inputs and self.conversions)


class Api2ConvertState:
    """Every job of one emulator; thread-safe (the API and the tests call it from different threads)."""

    def __init__(self, ctx: EmulatorContext, api_key: str) -> None:
        self.ctx = ctx
        self.api_key = api_key
        self._lock = threading.RLock()
        self._jobs: dict[str, EmulatedJob] = {}
        self._counter = 0
        self._forced_outcomes: list[Outcome] = []
        self._digests: dict[tuple[str, str], str] = {}  # (storage key, algorithm) -> hex digest
        self.completed_job_id = ""  # seeded: completed, two outputs (png and jpg)
        self.failed_job_id = ""  # seeded: failed, its input could not be downloaded

    def seed(self) -> None:
        """The demo jobs every emulator starts with (deterministic from config.seed)."""
        self.completed_job_id = self.add_job(
            targets=("png", "jpg"), source="https://example.com/files/example_small.pdf"
        )
        self.failed_job_id = self.add_job(source="https://example.com/files/missing.pdf", outcome="failed")
        self.status_of(self.completed_job_id)  # store its outputs now, so they exist from the start

    # ---- for tests ----
    def add_job(
        self,
        *,
        targets: tuple[str, ...] = ("png",),
        source: str = "https://example.com/files/report.pdf",
        outcome: Outcome = "completed",
        process: bool = True,
        finished: bool = True,
    ) -> str:
        """A job converting `source` to each target; with `finished` it already has its outcome."""
        request = JobRequest.model_validate(
            {
                "process": process,
                "input": [{"type": "remote", "source": source}],
                "conversion": [{"target": target} for target in targets],
            }
        )
        with self._lock:
            job = self.create(request)
            job.outcome = outcome
            if finished and job.started_at is not None:
                job.started_at -= len(self._running_codes()) * self.ctx.config.job_step
            return job.id

    def fail_next_jobs(self, n: int = 1, outcome: Outcome = "failed") -> None:
        """The next `n` jobs that start end `outcome` instead of completed."""
        with self._lock:
            self._forced_outcomes.extend([outcome] * n)

    def force_outcome(self, job_id: str, outcome: Outcome) -> None:
        """Decide how a job that has not finished yet ends."""
        with self._lock:
            job = self._jobs[job_id]
            if self.status_code(job) in TERMINAL:
                raise JobConflict(f"job {job_id} has already finished")
            job.outcome = outcome

    def cancel(self, job_id: str) -> None:
        with self._lock:
            job = self._jobs[job_id]
            if self.status_code(job) not in TERMINAL:
                job.canceled_at = self.ctx.clock()

    def disable_output(self, output_id: str) -> None:
        """Delete an output's file (the API's DELETE /jobs/{id}/output/{file_id}): status `disabled`."""
        with self._lock:
            output = self._output(output_id)
            output.disabled = True
            self.ctx.storage.delete(output.key)

    def output_key(self, output_id: str) -> str:
        """The storage key of an output (for ctx.storage.get in tests)."""
        with self._lock:
            return self._output(output_id).key

    def downloads(self, output_id: str) -> int:
        """Complete downloads of an output so far (what `downloads_counter` reports; the cap counts these)."""
        with self._lock:
            return self._output(output_id).stored.downloads

    def refuse_output_link(self, output_id: str, status: int = 403) -> str:
        """The output's current `uri` is refused with `status` (403, 404 or 410) from now on; the job and
        output listings then report a fresh `uri` (same file and download counter), which is returned."""
        with self._lock:
            output = self._output(output_id)
            fresh = self.ctx.storage.alias(output.key)
            self.ctx.storage.refuse(output.key, status)
            output.key, output.uri = fresh, self._uri(fresh, output.filename)
            return output.uri

    def status_of(self, job_id: str) -> str:
        with self._lock:
            return self.status_code(self._jobs[job_id])

    # ---- for the API ----
    def create(self, request: JobRequest) -> EmulatedJob:
        now = self.ctx.clock()
        with self._lock:
            self._counter += 1
            label = f"job:{self._counter}"
            job = EmulatedJob(
                id=uuid_like(self.ctx.seeded_id(label, 32)),
                token=self.ctx.seeded_id(f"{label}:token", 32),
                created_at=now,
                modified_at=now,
                request=request,
                conversions=[],
                inputs=[],
                process=request.process is not False,
            )
            self._extend(job, request)
            self._maybe_start(job, now)
            self._jobs[job.id] = job
            return job

    def update(self, job: EmulatedJob, request: JobRequest) -> EmulatedJob:
        now = self.ctx.clock()
        with self._lock:
            status = self.status_code(job)
            # Passwords may change at any time ("send the full list via PATCH ... to rotate").
            if status in TERMINAL and request.model_fields_set - {"download_passwords"}:
                raise JobConflict(f"The job is {status}.")
            started = job.started_at is not None
            if started and (request.process is False or request.input or request.conversion):
                raise JobConflict("The job is already being processed.")
            self._extend(job, request)
            fields = request.model_dump(exclude_unset=True, exclude={"input", "conversion"})
            job.request = job.request.model_copy(update=fields)
            if request.process is not None:
                job.process = request.process
            job.modified_at = now
            self._maybe_start(job, now)
            return job

    def find(self, job_id: str) -> EmulatedJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def find_by_token(self, token: str) -> EmulatedJob | None:
        with self._lock:
            return next((job for job in self._jobs.values() if job.token == token), None)

    def jobs(self) -> list[EmulatedJob]:
        """Newest first, as a list page shows them."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda job: (-job.created_at, job.id))

    def status_code(self, job: EmulatedJob) -> str:
        with self._lock:
            code, _ = self._timeline(job)
            return code

    def render(self, job: EmulatedJob) -> Job:
        with self._lock:
            code, changed_at = self._timeline(job)
            failed = code == "failed"
            request = job.request
            return Job(
                id=job.id,
                token=job.token,
                type=JobType.job,
                status=Status(code=code, info=STATUS_INFO[code]),
                errors=[DOWNLOAD_FAILED.model_copy(update={"id_source": job.inputs[0].id})] if failed else [],
                warnings=[],
                process=job.process,
                fail_on_input_error=request.fail_on_input_error is not False,
                fail_on_conversion_error=request.fail_on_conversion_error is not False,
                conversion=job.conversions,
                limits=request.limits,
                input=[self._render_input(job, entry, code) for entry in job.inputs],
                output=self.render_outputs(job) if code == "completed" else [],
                callback=request.callback,
                notify_status=request.notify_status is True,
                download_passwords=[DownloadPassword(p) for p in passwords(job)] or None,
                server=self.ctx.storage.base_url,
                spent=len(job.conversions) if code == "completed" else 0,
                created_at=timestamp(job.created_at),
                modified_at=timestamp(max(job.modified_at, changed_at)),
            )

    def render_outputs(self, job: EmulatedJob) -> list[OutputFile]:
        with self._lock:
            if self.status_code(job) != "completed":
                return []
            return [self._render_output(index, output) for index, output in enumerate(job.outputs)]

    # ---- internals ----
    def _extend(self, job: EmulatedJob, request: JobRequest) -> None:
        for conversion in request.conversion or []:
            label = f"{job.id}:conversion:{len(job.conversions)}"
            job.conversions.append(
                conversion.model_copy(update={"id": uuid_like(self.ctx.seeded_id(label, 32))})
            )
        for entry in request.input or []:
            label = f"{job.id}:input:{len(job.inputs)}"
            job.inputs.append(
                entry.model_copy(
                    update={
                        "id": uuid_like(self.ctx.seeded_id(label, 32)),
                        "filename": remote_name(entry.source),
                        "created_at": timestamp(job.created_at),
                    }
                )
            )

    def _maybe_start(self, job: EmulatedJob, now: float) -> None:
        if job.process and job.ready and job.started_at is None:
            job.started_at = now
            if self._forced_outcomes:
                job.outcome = self._forced_outcomes.pop(0)

    def _running_codes(self) -> tuple[str, ...]:
        return DRIFT_RUNNING_CODES if self.ctx.config.drift else RUNNING_CODES

    def _timeline(self, job: EmulatedJob) -> tuple[str, float]:
        """(status code, when it began); materialises the outputs once the job has completed."""
        now = self.ctx.clock()
        if job.canceled_at is not None:
            return "canceled", job.canceled_at
        if job.started_at is None:
            return ("created" if job.ready else "incomplete"), job.modified_at
        step = self.ctx.config.job_step
        codes = self._running_codes()
        for index, code in enumerate(codes):
            if now < job.started_at + (index + 1) * step:
                return code, job.started_at + index * step
        finished_at = job.started_at + len(codes) * step
        if job.outcome == "completed" and not job.outputs:
            self._produce_outputs(job, finished_at)
        return job.outcome, finished_at

    def _produce_outputs(self, job: EmulatedJob, created_at: float) -> None:
        config = self.ctx.config
        for entry in job.inputs:
            for conversion in job.conversions:
                label = f"{job.id}:output:{len(job.outputs)}"
                filename = f"{PurePosixPath(entry.filename or 'output').stem}.{conversion.target}"
                stored = self.ctx.storage.put(
                    self.ctx.seeded_bytes(label),
                    name=filename,
                    content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
                    max_downloads=config.download_cap,
                    expires_at=created_at + config.output_lifetime,
                    guard=password_guard(job),
                )
                job.outputs.append(
                    EmulatedOutput(
                        id=uuid_like(self.ctx.seeded_id(label, 32)),
                        key=stored.key,
                        stored=stored,
                        uri=self._uri(stored.key, filename),
                        filename=filename,
                        conversion_id=conversion.id or "",
                        input_ids=[entry.id or ""],
                        created_at=created_at,
                    )
                )

    def _uri(self, key: str, filename: str) -> str:
        """The output's download URL; in drift mode the file name is only in its path, as real URIs have."""
        return self.ctx.storage.plain_url(key, name=filename if self.ctx.config.drift else None)

    def _checksum(self, stored: StoredObject) -> str:
        """The file's checksum in config.output_checksum form (each digest computed once per file)."""
        form = self.ctx.config.output_checksum
        algorithm, _ = CHECKSUM_FORMS[form]
        digest = self._digests.get((stored.key, algorithm))
        if digest is None:
            known = {"md5": stored.md5, "sha256": stored.sha256}
            digest = known.get(algorithm) or hex_digest(algorithm, stored.data)
            self._digests[(stored.key, algorithm)] = digest
        return written_checksum(form, self.ctx.faults.report_checksum(digest))

    def _render_output(self, index: int, output: EmulatedOutput) -> OutputFile:
        faults = self.ctx.faults
        if output.disabled:
            downloads, size, checksum, content_type = 0, None, None, None
        else:
            stored = output.stored
            downloads, size = stored.downloads, stored.size
            checksum, content_type = self._checksum(stored), stored.content_type
        return OutputFile(
            id=output.id,
            source=OutputFileSource(conversion=output.conversion_id, input=output.input_ids),
            filename=faults.report_name(index, output.filename),
            uri=output.uri,
            size=size,
            status=self._output_status(output, downloads),
            content_type=content_type,
            downloads_counter=downloads,
            checksum=checksum,
            created_at=timestamp(output.created_at),
        )

    def _output_status(self, output: EmulatedOutput, downloads: int) -> OutputFileStatus:
        config = self.ctx.config
        if output.disabled:
            return OutputFileStatus.disabled
        if self.ctx.clock() >= output.created_at + config.output_lifetime:
            return OutputFileStatus.expired
        if downloads >= config.download_cap:
            return OutputFileStatus.overuse
        return OutputFileStatus.enabled

    def _render_input(self, job: EmulatedJob, entry: InputFile, code: str) -> InputFile:
        statuses = {
            "queued": InputFileStatus.downloading,
            "failed": InputFileStatus.failed,
            "canceled": InputFileStatus.canceled,
        }
        status = statuses.get(code, None if job.started_at is None else InputFileStatus.ready)
        return entry.model_copy(update={"status": status})

    def _output(self, output_id: str) -> EmulatedOutput:
        for job in self._jobs.values():
            for output in job.outputs:
                if output.id == output_id:
                    return output
        raise KeyError(output_id)


def passwords(job: EmulatedJob) -> list[str]:
    """The job's current download passwords (a PATCH replaces the whole list)."""
    return [str(getattr(item, "root", item)) for item in job.request.download_passwords or []]


def password_guard(job: EmulatedJob) -> Guard:
    """Checks PASSWORD_HEADER against the job's passwords at request time, so rotations apply at once."""
    header = PASSWORD_HEADER.lower()

    def check(headers: dict[str, str]) -> Rejection | None:
        accepted = passwords(job)
        if not accepted:
            return None
        given = headers.get(header)
        if given is None:
            return PASSWORD_REQUIRED
        matches = [hmac.compare_digest(given.encode(), password.encode()) for password in accepted]
        return None if any(matches) else PASSWORD_WRONG

    return check


def uuid_like(hex32: str) -> str:
    """API2Convert ids look like UUIDs (8daae6d1-26e0-11e5-b2a1-0800273b325b)."""
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:32]}"


def timestamp(epoch: float) -> str:
    """The docs' format: ISO 8601 in UTC without a timezone suffix (2017-08-15T17:33:05)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S")


def remote_name(source: str) -> str:
    """The file name a remote input URL points at ("output" when it has none, as the API defaults)."""
    name = PurePosixPath(urlsplit(source).path).name
    return name or "output"
