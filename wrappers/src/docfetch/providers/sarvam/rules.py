"""Sarvam Document Intelligence rules, shared by both clients (no I/O): the checks made before any
request, what a job status means (typed outcomes, failed pages), request bodies, output names and
links, and error bodies (the API's JSON, Azure storage's XML).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from collections.abc import Iterable
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import attrs
from docfetch_sarvam_client.models import DocDigitizationCreateJobRequest
from docfetch_sarvam_client.models import DocDigitizationDownloadFilesResponse
from docfetch_sarvam_client.models import DocDigitizationJobDetail
from docfetch_sarvam_client.models import DocDigitizationJobParameters
from docfetch_sarvam_client.models import DocDigitizationJobState
from docfetch_sarvam_client.models import DocDigitizationJobStatusResponse
from docfetch_sarvam_client.models import DocDigitizationOutputFormat
from docfetch_sarvam_client.models import DocDigitizationPageError
from docfetch_sarvam_client.models import DocDigitizationSupportedLanguage
from docfetch_sarvam_client.models import DocDigitizationUploadFilesResponse
from docfetch_sarvam_client.models import DocDigitizationWebhookCallback
from docfetch_sarvam_client.types import UNSET
from docfetch_sarvam_client.types import Unset

from docfetch._registry import facts
from docfetch.core.polling import StateReporter
from docfetch.core.settings import check_id as check_text_id
from docfetch.errors import AuthenticationError
from docfetch.errors import DocfetchError
from docfetch.errors import ErrorDetails
from docfetch.errors import InvalidInputError
from docfetch.errors import JobFailedError
from docfetch.errors import JobNotStartedError
from docfetch.errors import PermissionDeniedError
from docfetch.errors import ResponseLike
from docfetch.errors import ResponseValidationError
from docfetch.errors import parse_error_body
from docfetch.types import FileResult

__all__ = [
    "DOWNLOADABLE",
    "FACTS",
    "INPUT_SUFFIXES",
    "MAX_INPUT_BYTES",
    "TERMINAL",
    "InputChangedError",
    "InputFile",
    "JobNotStartedError",
    "JobOutcome",
    "JobRun",
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

FACTS = facts("sarvam")
API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url
API_KEY_HEADER = "api-subscription-key"
BLOB_TYPE_HEADERS = {"x-ms-blob-type": "BlockBlob"}  # Azure's Put Blob refuses a PUT without it
UPLOAD_CHUNK = 1024 * 1024
UPLOAD_URL_REFRESHES = 1  # a presigned PUT URL refused (expired) is replaced once
JOB_WINDOW = 16
"""Jobs watched at once by one download: each is polled on its own schedule, and its output is
saved as soon as it ends, while the others still run."""

State = DocDigitizationJobState
Status = DocDigitizationJobStatusResponse
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


def not_started(job_id: str) -> JobNotStartedError:
    """The job is still ``Accepted``: no input was uploaded, so it can never finish by itself."""
    return JobNotStartedError(job_id, "Accepted", "it has no input yet: upload a file and start it first")


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


E = TypeVar("E", DocDigitizationSupportedLanguage, DocDigitizationOutputFormat)


def _checked_choice(value: E | str | None, kind: str, enum: type[E]) -> E | None:
    if value is None or isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        raise _choice(value, kind, enum) from None


def check_language(
    value: DocDigitizationSupportedLanguage | str | None,
) -> DocDigitizationSupportedLanguage | None:
    return _checked_choice(value, "language", DocDigitizationSupportedLanguage)


def check_output_format(
    value: DocDigitizationOutputFormat | str | None,
) -> DocDigitizationOutputFormat | None:
    return _checked_choice(value, "output format", DocDigitizationOutputFormat)


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


# --- requests and answers ----------------------------------------------------------------------


class InvalidApiKeyError(AuthenticationError, PermissionDeniedError):
    """Sarvam's 403 ``invalid_api_key_error``: the key is missing or wrong (catch either parent)."""


def create_body(
    language: DocDigitizationSupportedLanguage | str | None,
    output_format: DocDigitizationOutputFormat | str | None,
    callback_url: str | None,
    callback_token: str | None,
) -> DocDigitizationCreateJobRequest:
    checked_language = check_language(language)
    checked_format = check_output_format(output_format)
    callback: DocDigitizationWebhookCallback | None = None
    if callback_url is not None:
        parts = urlsplit(callback_url)
        if parts.scheme != "https" or not parts.hostname:
            raise InvalidInputError(
                f"callback_url must be an https URL (Sarvam refuses http): {callback_url!r}"
            )
        callback = DocDigitizationWebhookCallback(url=callback_url, auth_token=callback_token or "")
    elif callback_token is not None:
        raise InvalidInputError("callback_token needs a callback_url")
    return DocDigitizationCreateJobRequest(
        job_parameters=DocDigitizationJobParameters(
            language=UNSET if checked_language is None else checked_language,
            output_format=UNSET if checked_format is None else checked_format,
        ),
        callback=UNSET if callback is None else callback,
    )


def upload_url(answer: DocDigitizationUploadFilesResponse, name: str) -> str:
    urls = answer.upload_urls.additional_properties
    found = urls.get(name) or (next(iter(urls.values())) if len(urls) == 1 else None)
    if found is None:
        raise ResponseValidationError(f"{FACTS.name}: upload-files returned no URL for {name!r}")
    return found.file_url


def output_files(links: DocDigitizationDownloadFilesResponse) -> list[tuple[str, str]]:
    files = [(name, details.file_url) for name, details in links.download_urls.additional_properties.items()]
    if not files:
        raise ResponseValidationError(
            f"{FACTS.name}: job {links.job_id} is {links.job_state} but lists no output"
        )
    return files


def upload_headers(source: InputFile) -> dict[str, str]:
    # Content-Length makes httpx send the streamed body unchunked (Azure refuses chunked Put Blob).
    return {**BLOB_TYPE_HEADERS, "Content-Type": source.content_type, "Content-Length": str(source.size)}


def watch_states(job_id: str, on_status: Callable[[str, str], None] | None) -> Callable[[Status], None]:
    """For polling: reports each state change, and ends the wait at once for a job still ``Accepted``
    (nothing was uploaded: it can never finish by itself)."""
    report = StateReporter(job_id, on_status)

    def on_state(status: Status) -> None:
        report(str(status.job_state.value))
        if status.job_state is State.ACCEPTED:
            raise not_started(job_id)

    return on_state


def check_job_id(given: str) -> str:
    """Job ids are any text (percent-encoded in paths); only blanks and control characters are refused."""
    return check_text_id(given, what=FACTS.id_what)


def quota_used_up(response: ResponseLike) -> bool:
    """Sarvam's 429 ``insufficient_quota_error``: the plan's credits are gone; waiting will not help."""
    return response.status_code == 429 and parse_error_body(response).code == "insufficient_quota_error"


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
