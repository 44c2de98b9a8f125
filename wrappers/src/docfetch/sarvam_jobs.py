"""Sarvam Document Intelligence jobs without I/O: the checks made before any request, what a job
status means (typed outcomes, failed pages) and the bookkeeping of several jobs waited for together.

Used by :mod:`docfetch.sarvam`; the public names are re-exported there.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import attrs
from docfetch_sarvam_client.models import (
    DocDigitizationJobDetail,
    DocDigitizationJobState,
    DocDigitizationJobStatusResponse,
    DocDigitizationOutputFormat,
    DocDigitizationPageError,
    DocDigitizationSupportedLanguage,
)
from docfetch_sarvam_client.types import Unset

from docfetch.download_types import FileResult
from docfetch.errors import (
    DocfetchError,
    ErrorDetails,
    InvalidInputError,
    JobFailedError,
    PollingTimeoutError,
    ResponseLike,
    parse_error_body,
)

__all__ = [
    "DOWNLOADABLE",
    "INPUT_SUFFIXES",
    "MAX_INPUT_BYTES",
    "TERMINAL",
    "InputChangedError",
    "InputFile",
    "JobNotStartedError",
    "JobOutcome",
    "JobRun",
    "JobWatch",
    "check_input_file",
    "check_language",
    "check_output_format",
    "check_timeout",
    "failure_message",
    "job_failed",
    "link_expiry",
    "output_name",
    "parse_storage_error",
]

State = DocDigitizationJobState
TERMINAL = frozenset({State.COMPLETED, State.PARTIALLY_COMPLETED, State.FAILED})
DOWNLOADABLE = frozenset({State.COMPLETED, State.PARTIALLY_COMPLETED})
INPUT_SUFFIXES = {".pdf": "application/pdf", ".zip": "application/zip"}
MAX_INPUT_BYTES = 200 * 1024 * 1024  # documented limit, checked locally so a doomed upload never starts
_LISTED_PAGES = 10  # page numbers named in a warning; the count always covers them all


class InputChangedError(DocfetchError):
    """The input file changed size while it was being uploaded (the upload is abandoned unfinished)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{str(path)!r} changed size while it was being uploaded")
        self.path = path


class JobNotStartedError(DocfetchError):
    """The job is still ``Accepted``: no input was uploaded, so it can never finish by itself."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"job {job_id} has no input yet (state Accepted): upload a file and start it first")
        self.job_id = job_id


# --- checks made before any request ------------------------------------------------------------


@attrs.frozen
class InputFile:
    """A local file that Sarvam can take as a job's input."""

    path: Path
    name: str
    size: int
    content_type: str


def check_input_file(path: str | os.PathLike[str]) -> InputFile:
    """A readable, non-empty ``.pdf`` or ``.zip`` of at most 200 MB; InvalidInputError otherwise."""
    file = Path(path)
    content_type = INPUT_SUFFIXES.get(file.suffix.lower())
    if content_type is None:
        raise InvalidInputError(
            f"{str(file)!r}: Sarvam takes one .pdf or .zip file (a ZIP of JPEG/PNG page images)"
        )
    try:
        info = file.stat()
    except FileNotFoundError:
        raise InvalidInputError(f"{str(file)!r}: no such file") from None
    except OSError as exc:
        raise InvalidInputError(f"{str(file)!r}: cannot read it ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInputError(f"{str(file)!r} is not a regular file")
    if info.st_size == 0:
        raise InvalidInputError(f"{str(file)!r} is empty")
    if info.st_size > MAX_INPUT_BYTES:
        raise InvalidInputError(f"{str(file)!r} has {info.st_size} bytes; Sarvam accepts at most 200 MB")
    if not os.access(file, os.R_OK):
        raise InvalidInputError(f"{str(file)!r} is not readable")
    return InputFile(file, file.name, info.st_size, content_type)


def _choice(value: str, kind: str, enum: Iterable[str]) -> InvalidInputError:
    return InvalidInputError(f"unknown {kind} {value!r}; choose one of {', '.join(sorted(enum))}")


def check_language(
    value: DocDigitizationSupportedLanguage | str | None,
) -> DocDigitizationSupportedLanguage | None:
    if value is None or isinstance(value, DocDigitizationSupportedLanguage):
        return value
    try:
        return DocDigitizationSupportedLanguage(value)
    except ValueError:
        raise _choice(value, "language", DocDigitizationSupportedLanguage) from None


def check_output_format(
    value: DocDigitizationOutputFormat | str | None,
) -> DocDigitizationOutputFormat | None:
    if value is None or isinstance(value, DocDigitizationOutputFormat):
        return value
    try:
        return DocDigitizationOutputFormat(value)
    except ValueError:
        raise _choice(value, "output format", DocDigitizationOutputFormat) from None


def check_timeout(timeout: float, name: str = "timeout") -> float:
    if not timeout >= 0:  # also rejects NaN
        raise InvalidInputError(f"{name} must be >= 0 seconds, not {timeout!r}")
    return float(timeout)


# --- what a status means -----------------------------------------------------------------------


def _count(value: int | Unset) -> int:
    return 0 if isinstance(value, Unset) else value


def _details(status: DocDigitizationJobStatusResponse) -> list[DocDigitizationJobDetail]:
    return [] if isinstance(status.job_details, Unset) else status.job_details


def failure_message(status: DocDigitizationJobStatusResponse) -> str | None:
    """For :func:`docfetch.polling.poll_until`: the job's error message when it Failed ("" if none), else None."""
    if status.job_state is not State.FAILED:
        return None
    candidates = [status.error_message, *(detail.error_message for detail in _details(status))]
    return next((text for text in candidates if isinstance(text, str) and text.strip()), "")


def job_failed(status: DocDigitizationJobStatusResponse) -> JobFailedError:
    return JobFailedError(status.job_id, status, failure_message(status) or None)


@attrs.frozen
class JobOutcome:
    """How a job ended when it has output: Completed, or PartiallyCompleted with the pages that failed.

    (A Failed job raises :class:`~docfetch.errors.JobFailedError` instead.) ``failed_pages`` are the
    provider's page errors; ``pages_failed`` counts failed pages even when Sarvam lists none.
    """

    job_id: str
    state: DocDigitizationJobState
    status: DocDigitizationJobStatusResponse
    total_pages: int = 0
    pages_failed: int = 0
    failed_pages: tuple[DocDigitizationPageError, ...] = ()

    @classmethod
    def from_status(cls, status: DocDigitizationJobStatusResponse) -> JobOutcome:
        details = _details(status)
        errors = [e for d in details if not isinstance(d.page_errors, Unset) for e in d.page_errors]
        return cls(
            job_id=status.job_id,
            state=status.job_state,
            status=status,
            total_pages=sum(_count(d.total_pages) for d in details),
            pages_failed=max(sum(_count(d.pages_failed) for d in details), len(errors)),
            failed_pages=tuple(sorted(errors, key=lambda e: _count(e.page_number))),
        )

    @property
    def partial(self) -> bool:
        return self.state is State.PARTIALLY_COMPLETED

    @property
    def warning(self) -> str | None:
        """One line for users: which pages are missing from a PartiallyCompleted job's output."""
        if not self.partial:
            return None
        of_total = f" of {self.total_pages}" if self.total_pages else ""
        text = f"job {self.job_id} PartiallyCompleted: {self.pages_failed}{of_total} pages failed"
        if self.failed_pages:
            shown = ", ".join(_describe(e) for e in self.failed_pages[:_LISTED_PAGES])
            more = ", ..." if len(self.failed_pages) > _LISTED_PAGES else ""
            text += f" ({shown}{more})"
        return text + "; the output lacks them"


def _describe(error: DocDigitizationPageError) -> str:
    page = error.page_number if isinstance(error.page_number, int) else "?"
    texts = [text for text in (error.error_code, error.error_message) if isinstance(text, str) and text]
    return ": ".join([f"page {page}", *texts])


@attrs.frozen
class JobRun:
    """What :meth:`SarvamClient.run_job` did: the job it created, how it ended and the files saved."""

    job_id: str
    outcome: JobOutcome
    files: tuple[FileResult, ...]


# --- several jobs waited for together ----------------------------------------------------------

JobResult = JobOutcome | DocfetchError


class JobWatch:
    """The jobs of one ``download()`` call, polled together in one loop until each has a result:
    a :class:`JobOutcome` (it has output) or the error to report for it."""

    def __init__(self, job_ids: Sequence[str], on_status: Callable[[str, str], None] | None) -> None:
        self.job_ids = list(job_ids)
        self.results: dict[str, JobResult] = {}
        self.last_state: dict[str, DocDigitizationJobState] = {}
        self._on_status = on_status

    @property
    def waiting(self) -> list[str]:
        return [job_id for job_id in self.job_ids if job_id not in self.results]

    @property
    def finished(self) -> bool:
        return not self.waiting

    def record(self, job_id: str, found: DocDigitizationJobStatusResponse | DocfetchError) -> None:
        if isinstance(found, DocfetchError):
            self.results[job_id] = found
            return
        state = found.job_state
        if self._on_status is not None and self.last_state.get(job_id) is not state:
            self._on_status(job_id, state.value)
        self.last_state[job_id] = state
        if state is State.ACCEPTED:
            self.results[job_id] = JobNotStartedError(job_id)
        elif state is State.FAILED:
            self.results[job_id] = job_failed(found)
        elif state in DOWNLOADABLE:
            self.results[job_id] = JobOutcome.from_status(found)

    def time_out(self, timeout: float, elapsed: float | None) -> None:
        for job_id in self.waiting:
            last = self.last_state.get(job_id)
            self.results[job_id] = PollingTimeoutError(
                f"job {job_id} did not finish within {timeout:g} s (last state: {last})",
                last_state=last,
                elapsed=elapsed,
            )


# --- names, links and storage errors -----------------------------------------------------------


def output_name(job_id: str, name: str) -> str:
    """Saved as ``<job id>_<name>``: every job's output is called document.zip, so the job names it."""
    return f"{job_id}_{name}"


def link_expiry(url: str) -> datetime | None:
    """When an Azure SAS URL stops working (its ``se`` parameter), if it says."""
    values = parse_qs(urlsplit(url).query).get("se")
    if not values:
        return None
    try:
        when = datetime.fromisoformat(values[0])
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


_XML_FIELD = re.compile(r"<(Code|Message)>([^<]{0,500})</\1>")


def parse_storage_error(response: ResponseLike) -> ErrorDetails:
    """Azure Blob Storage answers errors in XML (``<Error><Code>..<Message>..``); anything else as usual."""
    try:
        text = response.content[:4096].decode("utf-8", "replace")
    except Exception:
        text = ""
    found = dict(_XML_FIELD.findall(text))
    if not found:
        return parse_error_body(response)
    request_id = response.headers.get("x-ms-request-id") or response.headers.get("x-request-id")
    return ErrorDetails(code=found.get("Code"), message=found.get("Message"), request_id=request_id)
