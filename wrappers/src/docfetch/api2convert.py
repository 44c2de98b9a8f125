"""API2Convert clients: run conversion jobs and save their outputs safely.

Usage::

    with Api2ConvertClient() as client:  # API2CONVERT_API_KEY, API2CONVERT_BASE_URL
        job = client.create_job(["https://example.com/report.docx"], ["pdf"])
        results = client.download([job.id], "out")  # waits, then saves every downloadable output

Decisions (see also :mod:`docfetch.api2convert_jobs`):

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
* Outputs are fetched by a plain GET of their ``uri`` through the credential-free storage path
  of :mod:`docfetch.downloads`: the API key never goes to the output host. Each is verified
  against ``size`` and the MD5 ``checksum``; names come from ``filename``, made safe and unique.
  ``expired`` / ``overuse`` / ``disabled`` outputs become results carrying
  :class:`OutputExpiredError` / :class:`OutputOveruseError` / :class:`OutputDisabledError`; a 410/404
  from the output host is re-checked against the output's status to report the same types.
* ``encoding="base64"`` asks ``?encoding=base64``: the saved file holds the base64 text; ``size``
  and the MD5 describe the decoded bytes, so they are checked by decoding the complete part file (in
  constant memory) before it is placed: a file that does not match never reaches the destination,
  and with ``overwrite=True`` a previous file of that name is kept.
* ``links`` does not wait: a job still running has no links yet; a failed/canceled one raises.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from docfetch_api2convert_client.models import (
    Conversion,
    InputFile,
    InputFileType,
    Job,
    JobRequest,
    OutputFile,
    OutputFileStatus,
    Status,
    UserError,
)
from docfetch_api2convert_client.types import UNSET

from docfetch._lazy import lazy_module
from docfetch._provider import (
    ApiSettings,
    AsyncClientBase,
    ClientCore,
    Link,
    SyncClientBase,
    as_timeout,
    check_base_url,
    check_dest_dir,
    setting,
)
from docfetch.api2convert_jobs import (
    NOT_STARTED,
    ConversionFailedError,
    DownloadPlan,
    Encoding,
    JobCanceledError,
    OutputDisabledError,
    OutputExpiredError,
    OutputOveruseError,
    OutputUnavailableError,
    PaymentRequiredError,
    assemble,
    check_job_ids,
    is_terminal,
    links_for,
    needs_recheck,
    parse_error,
    plan_downloads,
    raise_if_unsuccessful,
    reclassify,
    remote_job_request,
    status_code,
    unique_ids,
)
from docfetch.download_types import FileResult, ProgressCallback
from docfetch.errors import ConflictError, DocfetchError, InvalidInputError, ResponseValidationError
from docfetch.polling import async_poll_until, poll_until
from docfetch.retry import RetryPolicy

if TYPE_CHECKING:  # imported on first use (see docfetch._lazy)
    import asyncio

    import httpx
    from docfetch_api2convert_client.api.jobs import (
        create_job,
        get_job,
        list_job_outputs,
        list_jobs,
        update_job,
    )
else:
    asyncio = lazy_module("asyncio")
    httpx = lazy_module("httpx")
    create_job = lazy_module("docfetch_api2convert_client.api.jobs.create_job")
    get_job = lazy_module("docfetch_api2convert_client.api.jobs.get_job")
    list_job_outputs = lazy_module("docfetch_api2convert_client.api.jobs.list_job_outputs")
    list_jobs = lazy_module("docfetch_api2convert_client.api.jobs.list_jobs")
    update_job = lazy_module("docfetch_api2convert_client.api.jobs.update_job")

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "Api2ConvertClient",
    "AsyncApi2ConvertClient",
    "Conversion",
    "ConversionFailedError",
    "FileResult",
    "InputFile",
    "InputFileType",
    "Job",
    "JobCanceledError",
    "JobRequest",
    "Link",
    "OutputDisabledError",
    "OutputExpiredError",
    "OutputFile",
    "OutputFileStatus",
    "OutputOveruseError",
    "OutputUnavailableError",
    "PaymentRequiredError",
    "Status",
    "UserError",
]

PROVIDER = "api2convert"
API_KEY_ENV = "API2CONVERT_API_KEY"
BASE_URL_ENV = "API2CONVERT_BASE_URL"
DEFAULT_BASE_URL = "https://api.api2convert.com/v2"
KEY_HEADER = "X-Api2convert-Api-Key"
POLL_MULTIPLIER = 1.5
POLL_MAX_INTERVAL = 10.0

StatusCallback = Callable[[str, str], None]


def _expect_list(parsed: list[Any], kind: type[Any]) -> list[Any]:
    if not all(isinstance(item, kind) for item in parsed):
        raise ResponseValidationError(f"{PROVIDER}: expected a list of {kind.__name__}")
    return parsed


class _StatusReporter:
    """Calls ``on_status(job_id, code)`` when a polled job's status code changes."""

    def __init__(self, job_id: str, on_status: StatusCallback | None) -> None:
        self.job_id = job_id
        self.on_status = on_status
        self.last: str | None = None

    def __call__(self, job: Job) -> None:
        code = status_code(job)
        if code != self.last:
            self.last = code
            if self.on_status is not None:
                self.on_status(self.job_id, code)


class _Api2ConvertBase(ClientCore):
    """Settings, validation and polling parameters shared by the sync and async clients."""

    check_ids = staticmethod(check_job_ids)

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        poll_interval: float = 1.0,
    ) -> None:
        key = setting(api_key, API_KEY_ENV, provider=PROVIDER)
        url = setting(base_url, BASE_URL_ENV, provider=PROVIDER, default=DEFAULT_BASE_URL)
        url = check_base_url(url, provider=PROVIDER, env_var=BASE_URL_ENV)
        if not poll_interval > 0:
            raise InvalidInputError("poll_interval must be > 0 seconds")
        self.poll_interval = poll_interval

        def build() -> None:
            from docfetch_api2convert_client import Client

            from docfetch.auth import HeaderKeyAuth

            self._settings = ApiSettings(
                provider=PROVIDER,
                base_url=url,
                auth=HeaderKeyAuth(KEY_HEADER, key),
                timeout=as_timeout(timeout),
                retry=retry or RetryPolicy(),
                parse_error=parse_error,
                status_overrides={402: PaymentRequiredError},
            )
            self._connect(Client)

        self._defer(build)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _poll_options(
        self, job_id: str, timeout: float, on_status: StatusCallback | None, interval: float | None
    ) -> dict[str, Any]:
        if timeout < 0:
            raise InvalidInputError("timeout must be >= 0 seconds")
        return {
            "is_done": lambda job: is_terminal(status_code(job)),
            "timeout": timeout,
            "initial": self.poll_interval if interval is None else interval,
            "multiplier": POLL_MULTIPLIER,
            "max_interval": POLL_MAX_INTERVAL,
            "job_id": job_id,
            "on_state": _StatusReporter(job_id, on_status),
        }

    @staticmethod
    def _job_request(
        sources: Sequence[str], targets: Sequence[str], process: bool, request: JobRequest | None
    ) -> JobRequest:
        if request is None:
            return remote_job_request(sources, targets, process=process)
        if sources or targets:
            raise InvalidInputError("give either request or sources and targets, not both")
        if not request.to_dict():
            raise InvalidInputError("an empty job request: give inputs and conversions")
        return request

    @staticmethod
    def _download_options(concurrency: int, encoding: Encoding | None, wait_timeout: float) -> None:
        if concurrency < 1:
            raise InvalidInputError("concurrency must be >= 1")
        if encoding not in (None, "base64"):
            raise InvalidInputError(f"encoding must be None or 'base64', not {encoding!r}")
        if wait_timeout < 0:
            raise InvalidInputError("wait_timeout must be >= 0 seconds")

    @staticmethod
    def _start_conflict(job: Job, error: ConflictError) -> Job:
        """A 409 on start: fine when the job has already been started (a repeated start), else raise."""
        if status_code(job) in NOT_STARTED:
            raise error
        return job


class Api2ConvertClient(_Api2ConvertBase, SyncClientBase):
    """Synchronous API2Convert client (see the module docstring); close it or use it as a context manager."""

    # --- jobs ----------------------------------------------------------------------------------

    def create_job(
        self,
        sources: Sequence[str] = (),
        targets: Sequence[str] = (),
        *,
        process: bool = True,
        request: JobRequest | None = None,
    ) -> Job:
        """Create a job converting each remote URL in ``sources`` to each of ``targets`` (or send ``request``).

        With ``process=False`` the job waits for :meth:`start_job`. Not retried after a timeout or 5xx.
        """
        body = self._job_request(sources, targets, process, request)
        return self._call(
            create_job.request_kwargs(body=body), create_job.build_response, Job, idempotent=False
        )

    def start_job(self, job_id: str) -> Job:
        """Start a job created with ``process=False`` (PATCH ``{"process": true}``)."""
        (job_id,) = self.check_ids([job_id])
        body = JobRequest(process=True)
        try:
            return self._call(update_job.request_kwargs(job_id, body=body), update_job.build_response, Job)
        except ConflictError as error:
            return self._start_conflict(self.get_job(job_id), error)

    def get_job(self, job_id: str) -> Job:
        (job_id,) = self.check_ids([job_id])
        return self._call(get_job.request_kwargs(job_id), get_job.build_response, Job)

    def list_jobs(self, *, status: str | None = None, page: int = 1) -> list[Job]:
        """One page (50 jobs, newest first) of the account's jobs, optionally only those with ``status``."""
        if page < 1:
            raise InvalidInputError("page must be >= 1")
        response = self._send(list_jobs.request_kwargs(status=status or UNSET, page=page))
        if response.status_code == 204:  # the API's "no jobs on this page"
            return []
        return _expect_list(self._settings.parse(list_jobs.build_response, self._api, response, list), Job)

    def list_outputs(self, job_id: str) -> list[OutputFile]:
        (job_id,) = self.check_ids([job_id])
        outputs = self._call(list_job_outputs.request_kwargs(job_id), list_job_outputs.build_response, list)
        return _expect_list(outputs, OutputFile)

    def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float = 600.0,
        on_status: StatusCallback | None = None,
        interval: float | None = None,
    ) -> Job:
        """Poll until the job is terminal; return it when completed.

        Raises ConversionFailedError / JobCanceledError, or PollingTimeoutError (``last_state`` = the last Job).
        """
        (job_id,) = self.check_ids([job_id])
        options = self._poll_options(job_id, timeout, on_status, interval)
        job: Job = poll_until(lambda: self.get_job(job_id), **options)
        raise_if_unsuccessful(job)
        return job

    def _outputs_of(self, job: Job) -> list[OutputFile]:
        if isinstance(job.output, list) and job.output:
            return job.output
        return self.list_outputs(job.id)

    # --- uniform interface ---------------------------------------------------------------------

    def links(self, ids: Sequence[str]) -> list[Link]:
        """One Link per enabled output of each job, without waiting (a job still running has none yet).

        A failed or canceled job raises ConversionFailedError / JobCanceledError.
        """
        links: list[Link] = []
        for job_id in unique_ids(ids):
            job = self.get_job(job_id)
            raise_if_unsuccessful(job)
            if status_code(job) == "completed":
                links.extend(links_for(job_id, self._outputs_of(job)))
        return links

    def download(
        self,
        ids: Sequence[str],
        dest_dir: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        concurrency: int = 4,
        progress: ProgressCallback | None = None,
        on_status: StatusCallback | None = None,
        wait_timeout: float = 600.0,
        encoding: Encoding | None = None,
    ) -> list[FileResult]:
        """Wait for each job, then save every downloadable output into ``dest_dir``.

        One FileResult per output (id = the job id) or per job that could not be waited for;
        per-item failures are results. ``wait_timeout`` bounds the waiting for all jobs together.
        """
        job_ids = unique_ids(ids)
        dest = check_dest_dir(dest_dir)
        self._download_options(concurrency, encoding, wait_timeout)
        deadline = time.monotonic() + wait_timeout
        jobs = [(job_id, self._completed_outputs(job_id, deadline, on_status)) for job_id in job_ids]
        plan = plan_downloads(jobs, encoding)
        downloaded = self._download_items(
            plan.items, dest, concurrency=concurrency, overwrite=overwrite, progress=progress
        )
        return self._finish(plan, downloaded)

    def _completed_outputs(
        self, job_id: str, deadline: float, on_status: StatusCallback | None
    ) -> list[OutputFile] | FileResult:
        try:
            remaining = max(0.0, deadline - time.monotonic())
            return self._outputs_of(self.wait_for_job(job_id, timeout=remaining, on_status=on_status))
        except InvalidInputError:
            raise
        except DocfetchError as exc:
            return FileResult(job_id, error=exc)

    def _finish(self, plan: DownloadPlan, downloaded: Sequence[FileResult]) -> list[FileResult]:
        fresh: dict[str, dict[str, OutputFile]] = {}
        results: list[FileResult] = []
        for entry, result in assemble(plan, downloaded):
            if entry.output is not None and needs_recheck(result):
                if entry.job_id not in fresh:
                    fresh[entry.job_id] = self._current_outputs(entry.job_id)
                result = reclassify(result, entry.job_id, fresh[entry.job_id].get(entry.output.id))
            results.append(result)
        return results

    def _current_outputs(self, job_id: str) -> dict[str, OutputFile]:
        try:
            return {output.id: output for output in self.list_outputs(job_id)}
        except DocfetchError:  # the original refusal stays the reported error
            return {}


class AsyncApi2ConvertClient(_Api2ConvertBase, AsyncClientBase):
    """Async twin of :class:`Api2ConvertClient` (same methods, awaited)."""

    # --- jobs ----------------------------------------------------------------------------------

    async def create_job(
        self,
        sources: Sequence[str] = (),
        targets: Sequence[str] = (),
        *,
        process: bool = True,
        request: JobRequest | None = None,
    ) -> Job:
        body = self._job_request(sources, targets, process, request)
        kwargs = create_job.request_kwargs(body=body)
        return await self._call(kwargs, create_job.build_response, Job, idempotent=False)

    async def start_job(self, job_id: str) -> Job:
        (job_id,) = self.check_ids([job_id])
        body = JobRequest(process=True)
        try:
            return await self._call(
                update_job.request_kwargs(job_id, body=body), update_job.build_response, Job
            )
        except ConflictError as error:
            return self._start_conflict(await self.get_job(job_id), error)

    async def get_job(self, job_id: str) -> Job:
        (job_id,) = self.check_ids([job_id])
        return await self._call(get_job.request_kwargs(job_id), get_job.build_response, Job)

    async def list_jobs(self, *, status: str | None = None, page: int = 1) -> list[Job]:
        if page < 1:
            raise InvalidInputError("page must be >= 1")
        response = await self._send(list_jobs.request_kwargs(status=status or UNSET, page=page))
        if response.status_code == 204:
            return []
        return _expect_list(self._settings.parse(list_jobs.build_response, self._api, response, list), Job)

    async def list_outputs(self, job_id: str) -> list[OutputFile]:
        (job_id,) = self.check_ids([job_id])
        kwargs = list_job_outputs.request_kwargs(job_id)
        return _expect_list(await self._call(kwargs, list_job_outputs.build_response, list), OutputFile)

    async def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float = 600.0,  # noqa: ASYNC109 - a polling deadline, not a per-call timeout
        on_status: StatusCallback | None = None,
        interval: float | None = None,
    ) -> Job:
        (job_id,) = self.check_ids([job_id])
        options = self._poll_options(job_id, timeout, on_status, interval)
        job: Job = await async_poll_until(lambda: self.get_job(job_id), **options)
        raise_if_unsuccessful(job)
        return job

    async def _outputs_of(self, job: Job) -> list[OutputFile]:
        if isinstance(job.output, list) and job.output:
            return job.output
        return await self.list_outputs(job.id)

    # --- uniform interface ---------------------------------------------------------------------

    async def links(self, ids: Sequence[str]) -> list[Link]:
        links: list[Link] = []
        for job_id in unique_ids(ids):
            job = await self.get_job(job_id)
            raise_if_unsuccessful(job)
            if status_code(job) == "completed":
                links.extend(links_for(job_id, await self._outputs_of(job)))
        return links

    async def download(
        self,
        ids: Sequence[str],
        dest_dir: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        concurrency: int = 4,
        progress: ProgressCallback | None = None,
        on_status: StatusCallback | None = None,
        wait_timeout: float = 600.0,
        encoding: Encoding | None = None,
    ) -> list[FileResult]:
        """Async twin of :meth:`Api2ConvertClient.download`; the jobs are waited for concurrently."""
        job_ids = unique_ids(ids)
        dest = check_dest_dir(dest_dir)
        self._download_options(concurrency, encoding, wait_timeout)
        outputs = await asyncio.gather(
            *(self._completed_outputs(job_id, wait_timeout, on_status) for job_id in job_ids)
        )
        plan = plan_downloads(list(zip(job_ids, outputs, strict=True)), encoding)
        downloaded = await self._download_items(
            plan.items, dest, concurrency=concurrency, overwrite=overwrite, progress=progress
        )
        return await self._finish(plan, downloaded)

    async def _completed_outputs(
        self, job_id: str, wait_timeout: float, on_status: StatusCallback | None
    ) -> list[OutputFile] | FileResult:
        try:
            job = await self.wait_for_job(job_id, timeout=wait_timeout, on_status=on_status)
            return await self._outputs_of(job)
        except InvalidInputError:
            raise
        except DocfetchError as exc:
            return FileResult(job_id, error=exc)

    async def _finish(self, plan: DownloadPlan, downloaded: Sequence[FileResult]) -> list[FileResult]:
        fresh: dict[str, dict[str, OutputFile]] = {}
        results: list[FileResult] = []
        for entry, result in assemble(plan, downloaded):
            if entry.output is not None and needs_recheck(result):
                if entry.job_id not in fresh:
                    fresh[entry.job_id] = await self._current_outputs(entry.job_id)
                result = reclassify(result, entry.job_id, fresh[entry.job_id].get(entry.output.id))
            results.append(result)
        return results

    async def _current_outputs(self, job_id: str) -> dict[str, OutputFile]:
        try:
            return {output.id: output for output in await self.list_outputs(job_id)}
        except DocfetchError:
            return {}
