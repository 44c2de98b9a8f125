"""API2Convert jobs: ids, statuses and what they mean, job requests, the typed job errors and the
error-body parser, shared by the sync and async clients (no I/O here). The outputs of a job are
planned in :mod:`docfetch.providers.api2convert.outputs`.

Decisions:

* Retries: ``create_job`` (POST) is not idempotent: only provably unsent requests, 429 and 503 with
  ``Retry-After`` are repeated, never a timeout or 500 (the job may exist). GETs are idempotent.
  ``start_job`` (PATCH ``{"process": true}``) is retried like a GET: starting a started job cannot
  start a second conversion; a 409 on a job that is already past ``created`` (e.g. our first
  attempt did start it) returns that job instead of failing.
* Waiting: ``completed`` / ``failed`` / ``canceled`` are terminal; ``failed`` raises
  :class:`ConversionFailedError` (a :class:`~docfetch.errors.JobFailedError` with the job's
  ``errors[]`` messages), ``canceled`` :class:`JobCanceledError`. A job waiting for its owner ends the
  wait at once with :class:`~docfetch.errors.JobNotStartedError` saying what is missing:
  ``incomplete`` (the docs: "Missing information to run the job": no input or no conversion), and
  ``created`` / ``ready`` with ``process: false`` (never started). Every other code, documented or
  new (``postprocessing``...), means "keep waiting" until the deadline. The interval grows from
  ``poll_interval`` (1 s) x1.5 up to 10 s and the deadline is never overslept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
from docfetch_api2convert_client.models import Conversion
from docfetch_api2convert_client.models import InputFile
from docfetch_api2convert_client.models import InputFileType
from docfetch_api2convert_client.models import Job
from docfetch_api2convert_client.models import JobRequest

from docfetch._registry import facts
from docfetch.core.lazy import lazy_module
from docfetch.core.settings import check_pattern_id
from docfetch.errors import ErrorDetails
from docfetch.errors import InvalidInputError
from docfetch.errors import JobFailedError
from docfetch.errors import JobNotStartedError
from docfetch.errors import NonStandardStatusError
from docfetch.errors import ResponseLike as _ResponseLike
from docfetch.errors import parse_error_body
from docfetch.providers.api2convert.outputs import parse_url

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_module("httpx")  # first used when a job's output is planned

FACTS = facts("api2convert")
API_KEY_ENV = FACTS.credentials["api_key"]
BASE_URL_ENV = FACTS.base_url_env
DEFAULT_BASE_URL = FACTS.default_base_url
KEY_HEADER = "X-Api2convert-Api-Key"
POLL_MULTIPLIER = 1.5
POLL_MAX_INTERVAL = 10.0
JOB_WINDOW = 16
"""Jobs watched at once by one download (each on its own polling schedule)."""

__all__ = [
    "NOT_STARTED",
    "TERMINAL",
    "ConversionFailedError",
    "JobCanceledError",
    "PaymentRequiredError",
    "check_job_id",
    "parse_error",
    "remote_job_request",
]

TERMINAL = frozenset({"completed", "failed", "canceled"})
"""The SDK contract's terminal codes."""
NOT_STARTED = frozenset({"created", "incomplete", "ready"})
"""Codes of a job that has not been started (``ready`` is the docs' name for ``created``)."""
OWNER_MISSING = "it is missing information to run: give it at least one input and one conversion"
NEVER_STARTED = "it was created with process=false and never started: start it (start_job)"


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


def not_started(job: Job) -> JobNotStartedError | None:
    """The error for a job that waits for its owner, or None. ``incomplete``: "Missing information to run
    the job" (docs); ``created`` (SDK) / ``ready`` (docs): "ready but not marked to be processed yet",
    i.e. ``process: false``; with ``process: true`` it is about to start, so it is waited for."""
    code = status_code(job)
    if code == "incomplete":
        return JobNotStartedError(job.id, code, OWNER_MISSING)
    if code in ("created", "ready") and job.process is False:
        return JobNotStartedError(job.id, code, NEVER_STARTED)
    return None


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
        url = parse_url(source)
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
