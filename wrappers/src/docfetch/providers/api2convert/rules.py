"""API2Convert rules shared by the sync and async clients (no I/O here).

Decisions:

* Retries: ``create_job`` (POST) is not idempotent: only provably unsent requests, 429 and 503 with
  ``Retry-After`` are repeated, never a timeout or 500 (the job may exist). GETs are idempotent.
  ``start_job`` (PATCH ``{"process": true}``) is retried like a GET: starting a started job cannot
  start a second conversion; a 409 on a job that is already past ``created`` (e.g. our first
  attempt did start it) returns that job instead of failing.
* Waiting: ``completed`` / ``failed`` / ``canceled`` are terminal, any other code (documented or
  new) means "keep waiting"; ``failed`` raises :class:`ConversionFailedError` (a
  :class:`~docfetch.errors.JobFailedError` with the job's ``errors[]`` messages), ``canceled``
  :class:`JobCanceledError`. The interval grows from ``poll_interval`` (1 s) x1.5 up to 10 s and
  the deadline is never overslept.
* Outputs are fetched by a plain GET of their ``uri`` through the credential-free storage path: the
  API key never goes to the output host. Each is verified against ``size`` and the MD5 ``checksum``;
  names come from ``filename``, made safe and unique. ``expired`` / ``overuse`` / ``disabled``
  outputs become results carrying :class:`OutputExpiredError` / :class:`OutputOveruseError` /
  :class:`OutputDisabledError`; a 410/404 from the output host is re-checked against the output's
  status to report the same types.
* ``encoding="base64"`` asks ``?encoding=base64``: the saved file holds the base64 text; ``size``
  and the MD5 describe the decoded bytes, so they are checked by decoding the complete part file (in
  constant memory) before it is placed: a file that does not match never reaches the destination,
  and with ``overwrite=True`` a previous file of that name is kept.
* ``links`` does not wait: a job still running has no links yet; a failed/canceled one raises.

Job ids, job statuses and what they mean, building job requests, planning the download of a
job's outputs (which ones can be fetched, under which safe name, with which checks), the typed
errors for outputs that cannot be fetched, base64 verification, and the error-body parser.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterator
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal

import attrs
from docfetch_api2convert_client.models import Conversion
from docfetch_api2convert_client.models import InputFile
from docfetch_api2convert_client.models import InputFileType
from docfetch_api2convert_client.models import Job
from docfetch_api2convert_client.models import JobRequest
from docfetch_api2convert_client.models import OutputFile
from docfetch_api2convert_client.models import OutputFileStatus
from docfetch_api2convert_client.types import Unset

from docfetch._registry import facts
from docfetch.core.filenames import safe_filename
from docfetch.core.lazy import lazy_module
from docfetch.core.settings import check_pattern_id
from docfetch.core.storage import PLAIN_URL
from docfetch.errors import ChecksumMismatchError
from docfetch.errors import DownloadError
from docfetch.errors import ErrorDetails
from docfetch.errors import InvalidInputError
from docfetch.errors import JobFailedError
from docfetch.errors import LinkExpiredError
from docfetch.errors import NonStandardStatusError
from docfetch.errors import NotFoundError
from docfetch.errors import ResponseLike as _ResponseLike
from docfetch.errors import SizeMismatchError
from docfetch.errors import parse_error_body
from docfetch.types import Checksum
from docfetch.types import DownloadItem
from docfetch.types import FileResult
from docfetch.types import Link
from docfetch.types import Planned
from docfetch.types import Verifier

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_module("httpx")  # first used when a job's output is planned

FACTS = facts("api2convert")
KEY_HEADER = "X-Api2convert-Api-Key"
POLL_MULTIPLIER = 1.5
POLL_MAX_INTERVAL = 10.0
JOB_WINDOW = 16
"""Jobs watched at once by one download (each on its own polling schedule)."""

__all__ = [
    "NOT_STARTED",
    "OUTPUT_LIFETIME",
    "TERMINAL",
    "ConversionFailedError",
    "Encoding",
    "JobCanceledError",
    "OutputDisabledError",
    "OutputExpiredError",
    "OutputOveruseError",
    "OutputUnavailableError",
    "PaymentRequiredError",
    "check_job_id",
    "parse_error",
    "remote_job_request",
]

TERMINAL = frozenset({"completed", "failed", "canceled"})
"""The SDK contract's terminal codes; every other code (documented or new) means "keep waiting"."""
NOT_STARTED = frozenset({"created", "incomplete", "ready"})
"""Codes of a job that has not been started (``ready`` is the docs' name for ``created``)."""
OUTPUT_LIFETIME = timedelta(hours=24)
"""The docs: "Files are available for 24h"."""

Encoding = Literal["base64"]
_MD5 = re.compile(r"[0-9a-fA-F]{32}")


# --- errors ------------------------------------------------------------------------------------


class PaymentRequiredError(NonStandardStatusError):
    """402: the contract's credits or limits are used up (the free tier has 30 credits per 24 h)."""


class ConversionFailedError(JobFailedError):
    """The job ended ``failed``; ``errors`` holds the messages of the job's ``errors[]``."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.errors = job_error_messages(job)
        info = job.status.info if isinstance(job.status.info, str) else None
        super().__init__(job.id, job, "; ".join(self.errors) or info or None)


class JobCanceledError(JobFailedError):
    """The job ended ``canceled``: it has no outputs and never will."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.errors = job_error_messages(job)
        super().__init__(job.id, job, "the job was canceled")
        self.args = (f"job {job.id} was canceled",)


class OutputUnavailableError(DownloadError):
    """An output the API lists but will not serve; ``status`` is its status, ``meaning`` what it means."""

    meaning = "not downloadable"

    def __init__(self, job_id: str, output: OutputFile, status: str | None = None) -> None:
        self.job_id = job_id
        self.output_id = output.id
        self.filename = output.filename if isinstance(output.filename, str) else None
        self.status = status or _status_text(output) or "unknown"
        uri = output.uri if isinstance(output.uri, str) else None
        what = f"{self.filename!r} ({self.output_id})" if self.filename else self.output_id
        super().__init__(f"job {job_id}: output {what} is {self.status}: {self.meaning}", url=uri)


class OutputExpiredError(OutputUnavailableError):
    """``expired``: the file is no longer on the servers."""

    meaning = "outputs are kept 24 h"


class OutputOveruseError(OutputUnavailableError):
    """``overuse``: the output reached its download cap."""

    meaning = "downloaded too often (cap typically 10)"


class OutputDisabledError(OutputUnavailableError):
    """``disabled``: the file was deleted."""

    meaning = "deleted"


_UNAVAILABLE: dict[str, type[OutputUnavailableError]] = {
    OutputFileStatus.EXPIRED: OutputExpiredError,
    OutputFileStatus.OVERUSE: OutputOveruseError,
    OutputFileStatus.DISABLED: OutputDisabledError,
}


def parse_error(response: _ResponseLike) -> ErrorDetails:
    """API2Convert's ``{"message", "code"?, "errors"?: {field: text}}``: the field details join the message."""
    details = parse_error_body(response)
    try:
        data = json.loads(response.content or b"null")
    except Exception:  # never raise from a parser: the default details stand
        return details
    fields = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(fields, dict) or not fields:
        return details
    listed = "; ".join(f"{key}: {value}" for key, value in fields.items())
    message = f"{details.message} ({listed})" if details.message else listed
    return attrs.evolve(details, message=message)


# --- ids, statuses, requests -------------------------------------------------------------------


def check_job_id(given: str) -> str:
    """Job ids are UUIDs (``8daae6d1-26e0-11e5-b2a1-0800273b325b``); anything else fails before any request."""
    return check_pattern_id(given, FACTS)


def status_code(job: Job) -> str:
    return job.status.code


def is_terminal(code: str) -> bool:
    return code in TERMINAL


def raise_if_unsuccessful(job: Job) -> None:
    """A terminal job that did not complete raises its typed error."""
    code = status_code(job)
    if code == "failed":
        raise ConversionFailedError(job)
    if code == "canceled":
        raise JobCanceledError(job)


def job_error_messages(job: Job) -> list[str]:
    messages: list[str] = []
    for error in job.errors if isinstance(job.errors, list) else []:
        text = error.message if isinstance(error.message, str) and error.message else "unknown error"
        if isinstance(error.code, int):
            text += f" (code {error.code})"
        if isinstance(error.source, str) and error.source:
            text = f"{error.source}: {text}"
        messages.append(text)
    return messages


def remote_job_request(sources: Sequence[str], targets: Sequence[str], *, process: bool = True) -> JobRequest:
    """A job converting each remote URL in ``sources`` to each target format (``"pdf"``, ``"png"``...)."""
    for name, values in (("sources", sources), ("targets", targets)):
        if isinstance(values, str):
            raise InvalidInputError(f"{name} must be a list, got the string {values!r}")
        if not values:
            raise InvalidInputError(f"give at least one of {name}")
    for source in sources:
        url = _parse_url(source)
        if url is None or url.scheme not in ("http", "https") or not url.host:
            raise InvalidInputError(f"invalid source {source!r}: remote inputs are http(s) URLs")
    for target in targets:
        if not isinstance(target, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._+-]*", target):
            raise InvalidInputError(f"invalid target {target!r}: a format name such as 'pdf' or 'png'")
    return JobRequest(
        process=process,
        input_=[InputFile(type_=InputFileType.REMOTE, source=source) for source in sources],
        conversion=[Conversion(target=target) for target in targets],
    )


def _parse_url(value: object) -> httpx.URL | None:
    if not isinstance(value, str) or any(ord(ch) < 33 or ord(ch) == 127 for ch in value):
        return None
    try:
        return httpx.URL(value)
    except (httpx.InvalidURL, ValueError):
        return None


# --- outputs -----------------------------------------------------------------------------------


def _status_text(output: OutputFile) -> str | None:
    return str(output.status) if isinstance(output.status, OutputFileStatus) else None


def parse_timestamp(value: str | Unset | None) -> datetime | None:
    """The API's ISO 8601 times, usually without a zone (UTC): ``2017-08-15T17:33:05``."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def output_url(output: OutputFile, encoding: Encoding | None) -> str | None:
    """The output's download URL (``?encoding=base64`` added on request); None if unusable. A plain
    http(s) URL is taken as it is (parsing one costs ~30 us, and a job can have thousands of outputs)."""
    uri = output.uri
    if not encoding and isinstance(uri, str) and PLAIN_URL.fullmatch(uri):
        return uri
    url = _parse_url(uri)
    if url is None or url.scheme not in ("http", "https") or not url.host:
        return None
    return str(url.copy_merge_params({"encoding": encoding}) if encoding else url)


def unavailable(job_id: str, output: OutputFile) -> DownloadError | None:
    """Why an output cannot be fetched (expired, over its cap, deleted, no usable uri); None if it can.

    An output without a status is tried (the output host decides).
    """
    status = _status_text(output)
    if status is not None and status in _UNAVAILABLE:
        return _UNAVAILABLE[status](job_id, output)
    if output_url(output, None) is None:
        return DownloadError(f"job {job_id}: output {output.id} has no usable http(s) uri ({output.uri!r})")
    return None


def links_for(job_id: str, outputs: Sequence[OutputFile]) -> list[Link]:
    """One Link per enabled output; expiry = created_at + 24 h when the API gives created_at."""
    links: list[Link] = []
    for output in outputs:
        if unavailable(job_id, output) is not None:
            continue
        created = parse_timestamp(output.created_at)
        links.append(
            Link(
                id=job_id,
                name=output.filename if isinstance(output.filename, str) else None,
                url=str(output.uri),
                expires_at=created + OUTPUT_LIFETIME if created else None,
            )
        )
    return links


def plan_outputs(
    job_id: str, outputs: Sequence[OutputFile], encoding: Encoding | None
) -> list[Planned | FileResult]:
    """Each output of a completed job as a download, or the result that says why it cannot be one.
    Item ids are ``<job_id>/<file name>`` (the progress key); results carry the job id."""
    return list(iter_plan(job_id, outputs, encoding))


def iter_plan(
    job_id: str, outputs: Sequence[OutputFile], encoding: Encoding | None
) -> Iterator[Planned | FileResult]:
    """:func:`plan_outputs` one output at a time (the first transfer need not wait for the last plan)."""
    if not outputs:
        yield FileResult(job_id, error=DownloadError(f"job {job_id} completed without any output"))
        return
    for output in outputs:
        refused = unavailable(job_id, output)
        if refused is not None:
            yield FileResult(job_id, error=refused)
            continue
        name = safe_filename(
            output.filename if isinstance(output.filename, str) else None, fallback=output.id
        )
        yield Planned(_item(job_id, output, name, encoding), owner=job_id, key=output.id)


def _item(job_id: str, output: OutputFile, name: str, encoding: Encoding | None) -> DownloadItem:
    url = output_url(output, encoding)
    assert url is not None  # unavailable() let it through
    size = output.size if isinstance(output.size, int) and output.size >= 0 else None
    checksum = md5_of(output)
    if encoding:  # the body is base64 text: size and md5 describe the decoded file
        return DownloadItem(id=f"{job_id}/{name}", url=url, name=name, verify=check_base64(output))
    return DownloadItem(id=f"{job_id}/{name}", url=url, name=name, expected_size=size, checksum=checksum)


def md5_of(output: OutputFile) -> Checksum | None:
    """The published MD5, when it has MD5's form (the docs never name the algorithm; other forms are not checked)."""
    if isinstance(output.checksum, str) and _MD5.fullmatch(output.checksum):
        return Checksum("md5", output.checksum)
    return None


def needs_recheck(result: FileResult) -> bool:
    """A refusal from the output host that the output's status may explain (410 expired/overuse, 404 deleted)."""
    return isinstance(result.error, LinkExpiredError | NotFoundError)


def reclassify(result: FileResult, job_id: str, current: OutputFile | None) -> FileResult:
    """Replace a storage refusal by the typed error of the output's current status, when it explains it."""
    if current is None:
        return result
    refused = unavailable(job_id, current)
    if not isinstance(refused, OutputUnavailableError):
        return result
    refused.__cause__ = result.error
    return attrs.evolve(result, error=refused)


# --- base64 ------------------------------------------------------------------------------------

_DECODE_BLOCK = 1024 * 1024  # a multiple of 4 base64 characters


def check_base64(output: OutputFile) -> Verifier:
    """A :data:`~docfetch.downloads.Verifier` for a base64 download: the decoded bytes must match the
    output's size and MD5 (which describe the decoded file), checked before the file is placed, so a
    mismatch never replaces an existing file (SizeMismatchError / ChecksumMismatchError / DownloadError).
    """

    def verify(part: Path, destination: Path) -> None:
        size, md5 = _decoded_md5(part, destination)
        expected_size = output.size if isinstance(output.size, int) else None
        if expected_size is not None and size != expected_size:
            raise SizeMismatchError(
                f"{destination.name} decodes to {size} bytes, expected {expected_size}",
                expected=expected_size,
                actual=size,
                path=destination,
            )
        wanted = md5_of(output)
        if wanted is not None and md5 != wanted.hexdigest:
            raise ChecksumMismatchError(
                f"md5 of the decoded {destination.name} is {md5}, expected {wanted.hexdigest}",
                algorithm="md5",
                expected=wanted.hexdigest,
                actual=md5,
                path=destination,
            )

    return verify


def _decoded_md5(path: Path, named: Path) -> tuple[int, str]:
    """(decoded length, md5 hex) of a base64 file, in constant memory; whitespace is ignored.
    Errors name ``named`` (the destination the part file was meant for)."""
    digest = hashlib.md5(usedforsecurity=False)
    size = 0
    carry = b""
    with path.open("rb") as handle:
        while block := handle.read(_DECODE_BLOCK):
            data = carry + b"".join(block.split())
            cut = len(data) - len(data) % 4
            carry = data[cut:]
            decoded = _decode(data[:cut], named)
            digest.update(decoded)
            size += len(decoded)
    if carry:
        raise DownloadError(f"{named.name} is not valid base64 (truncated)", path=named)
    return size, digest.hexdigest()


def _decode(chunk: bytes, path: Path) -> bytes:
    try:
        return base64.b64decode(chunk, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DownloadError(f"{path.name} is not valid base64: {exc}", path=path) from exc
