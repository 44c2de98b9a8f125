"""API2Convert clients: run conversion jobs and save their outputs safely.

Usage::

    with Api2ConvertClient() as client:  # API2CONVERT_API_KEY, API2CONVERT_BASE_URL
        job = client.create_job(["https://example.com/report.docx"], ["pdf"])
        results = client.download([job.id], "out")  # waits, then saves every downloadable output

The decisions are in :mod:`docfetch.providers.api2convert.rules` (jobs) and
:mod:`docfetch.providers.api2convert.outputs` (outputs). ``download`` watches up to 16 jobs
at once, each on its own polling schedule, and saves a job's outputs as soon as that job completes.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from collections.abc import Iterable
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any
from typing import Unpack

from docfetch_api2convert_client.api import jobs as api
from docfetch_api2convert_client.models import Job
from docfetch_api2convert_client.models import JobRequest
from docfetch_api2convert_client.models import OutputFile
from docfetch_api2convert_client.types import UNSET

from docfetch.core._async.client import AsyncClientBase
from docfetch.core._async.client import AsyncClientOptions
from docfetch.core._async.client import AsyncDownloadOptions
from docfetch.core._async.client import async_collected
from docfetch.core._async.links import AsyncSignedLink
from docfetch.core._async.polling import async_poll_until
from docfetch.core._async.resolver import AsyncResolver
from docfetch.core.plan import DEFAULT_WAIT
from docfetch.core.plan import check_wait_timeout
from docfetch.core.polling import StateReporter
from docfetch.core.settings import setting
from docfetch.errors import ConflictError
from docfetch.errors import DocfetchError
from docfetch.errors import InvalidInputError
from docfetch.errors import ResponseValidationError
from docfetch.providers.api2convert.outputs import OUTPUT_REFUSED_STATUSES
from docfetch.providers.api2convert.outputs import Encoding
from docfetch.providers.api2convert.outputs import check_password
from docfetch.providers.api2convert.outputs import explain_refusal
from docfetch.providers.api2convert.outputs import fresh_output_url
from docfetch.providers.api2convert.outputs import iter_plan
from docfetch.providers.api2convert.outputs import links_for
from docfetch.providers.api2convert.rules import FACTS
from docfetch.providers.api2convert.rules import JOB_WINDOW
from docfetch.providers.api2convert.rules import KEY_HEADER
from docfetch.providers.api2convert.rules import NOT_STARTED
from docfetch.providers.api2convert.rules import POLL_MAX_INTERVAL
from docfetch.providers.api2convert.rules import POLL_MULTIPLIER
from docfetch.providers.api2convert.rules import PaymentRequiredError
from docfetch.providers.api2convert.rules import check_job_id
from docfetch.providers.api2convert.rules import is_terminal
from docfetch.providers.api2convert.rules import not_started
from docfetch.providers.api2convert.rules import parse_error
from docfetch.providers.api2convert.rules import raise_if_unsuccessful
from docfetch.providers.api2convert.rules import remote_job_request
from docfetch.providers.api2convert.rules import status_code
from docfetch.types import FileResult
from docfetch.types import Link
from docfetch.types import Planned
from docfetch.types import StatusCallback

if TYPE_CHECKING:
    from docfetch.core._async.pipeline import AsyncDownloadStream

__all__ = ["AsyncApi2ConvertClient"]


def _expect_list(parsed: list[Any], kind: type[Any]) -> list[Any]:
    if not all(isinstance(item, kind) for item in parsed):
        raise ResponseValidationError(f"{FACTS.name}: expected a list of {kind.__name__}")
    return parsed


class AsyncApi2ConvertClient(AsyncClientBase):
    """API2Convert (the decisions: :mod:`~docfetch.providers.api2convert.rules` and
    :mod:`~docfetch.providers.api2convert.outputs`); close it or use it as a context manager."""

    facts = FACTS
    check_id = staticmethod(check_job_id)

    def __init__(
        self, *, api_key: str | None = None, poll_interval: float = 1.0, **options: Unpack[AsyncClientOptions]
    ) -> None:
        key = setting(api_key, FACTS.credentials["api_key"], provider=FACTS.name)
        if not poll_interval > 0:
            raise InvalidInputError("poll_interval must be > 0 seconds")
        self.poll_interval = poll_interval
        super().__init__(
            key_header=(KEY_HEADER, key),
            parse_error=parse_error,
            status_overrides={402: PaymentRequiredError},
            **options,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # --- jobs ----------------------------------------------------------------------------------

    async def create_job(
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
        if request is None:
            body = remote_job_request(sources, targets, process=process)
        elif sources or targets:
            raise InvalidInputError("give either request or sources and targets, not both")
        elif not request.to_dict():
            raise InvalidInputError("an empty job request: give inputs and conversions")
        else:
            body = request
        kwargs = api.create_job.request_kwargs(body=body)
        return await self._call(kwargs, api.create_job.build_response, Job, idempotent=False)

    async def start_job(self, job_id: str) -> Job:
        """Start a job created with ``process=False`` (PATCH ``{"process": true}``)."""
        kwargs = api.update_job.request_kwargs(check_job_id(job_id), body=JobRequest(process=True))
        try:
            return await self._call(kwargs, api.update_job.build_response, Job)
        except ConflictError:  # fine when the job was already started (a repeated start)
            job = await self.get_job(job_id)
            if status_code(job) in NOT_STARTED:
                raise
            return job

    async def get_job(self, job_id: str) -> Job:
        return await self._call(
            api.get_job.request_kwargs(check_job_id(job_id)), api.get_job.build_response, Job
        )

    async def list_jobs(self, *, status: str | None = None, page: int = 1) -> list[Job]:
        """One page (50 jobs, newest first) of the account's jobs, optionally only those with ``status``."""
        if page < 1:
            raise InvalidInputError("page must be >= 1")
        response = await self._send(api.list_jobs.request_kwargs(status=status or UNSET, page=page))
        if response.status_code == 204:  # the API's "no jobs on this page"
            return []
        return _expect_list(
            self._settings.parse(api.list_jobs.build_response, self._parts.api, response, list), Job
        )

    async def list_outputs(self, job_id: str) -> list[OutputFile]:
        kwargs = api.list_job_outputs.request_kwargs(check_job_id(job_id))
        return _expect_list(await self._call(kwargs, api.list_job_outputs.build_response, list), OutputFile)

    async def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float = DEFAULT_WAIT,  # noqa: ASYNC109 - a polling deadline, not a per-call timeout
        on_status: StatusCallback | None = None,
        interval: float | None = None,
    ) -> Job:
        """Poll until the job is terminal; return it when completed.

        Raises ConversionFailedError / JobCanceledError, JobNotStartedError at once for a job waiting for
        its owner (``incomplete``; ``created`` / ``ready`` with ``process: false``), or
        PollingTimeoutError (``last_state`` = the last Job). Unknown codes are waited for.
        """
        job_id = check_job_id(job_id)
        if timeout < 0:
            raise InvalidInputError("timeout must be >= 0 seconds")
        report = StateReporter(job_id, on_status)

        def on_state(found: Job) -> None:
            report(status_code(found))
            waiting_for_owner = not_started(found)
            if waiting_for_owner is not None:
                raise waiting_for_owner

        job: Job = await async_poll_until(
            lambda: self.get_job(job_id),
            is_done=lambda found: is_terminal(status_code(found)),
            timeout=timeout,
            initial=self.poll_interval if interval is None else interval,
            multiplier=POLL_MULTIPLIER,
            max_interval=POLL_MAX_INTERVAL,
            job_id=job_id,
            on_state=on_state,
        )
        raise_if_unsuccessful(job)
        return job

    async def _outputs_of(self, job: Job) -> list[OutputFile]:
        if isinstance(job.output, list) and job.output:
            return job.output
        return await self.list_outputs(job.id)

    # --- uniform interface ---------------------------------------------------------------------

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """One Link per enabled output of each job, without waiting (a job still running has none yet).

        A failed or canceled job raises ConversionFailedError / JobCanceledError.
        """
        links: list[Link] = []
        for job_id in dict.fromkeys(self.check_ids(ids)):
            job = await self.get_job(job_id)
            raise_if_unsuccessful(job)
            if status_code(job) == "completed":
                links.extend(links_for(job_id, await self._outputs_of(job)))
        return links

    def iter_download(
        self,
        ids: Iterable[str],
        dest_dir: str | os.PathLike[str],
        *,
        encoding: Encoding | None = None,
        download_password: str | None = None,
        **options: Unpack[AsyncDownloadOptions],
    ) -> AsyncDownloadStream:
        """Save every downloadable output of each job into ``dest_dir`` as soon as that job completes,
        yielding each result when final: one per output (id = the job id) or per job that could not be
        waited for. ``wait_timeout`` bounds the wait for each job. ``download_password``: for jobs
        created with ``download_passwords``, sent to the output host only."""
        resolver = _Jobs(self, options, encoding, check_password(download_password))
        return self._stream(resolver, ids, dest_dir, options)

    download = async_collected(iter_download)

    def _resolver(self, options: AsyncDownloadOptions) -> AsyncResolver:
        return _Jobs(self, options, None, None)

    def _output_link(
        self, job_id: str, output: OutputFile, url: str, encoding: Encoding | None, password_given: bool
    ) -> AsyncSignedLink:
        """The output's URL source: its uri; once the output host refuses it, the job's outputs are read
        again for the output's status (its typed error) or a fresh uri, tried once."""
        tried = [url]

        async def renew() -> tuple[str, None]:
            listed = await self.list_outputs(job_id)
            current = next((found for found in listed if found.id == output.id), None)
            fresh = fresh_output_url(
                job_id, output.id, current, tried, encoding, password_given=password_given
            )
            tried.append(fresh)
            return fresh, None

        return AsyncSignedLink(url, None, renew, refused_statuses=OUTPUT_REFUSED_STATUSES)


class _Jobs(AsyncResolver):
    """One job per batch, up to 16 watched at once: each job's outputs are saved as soon as it completes."""

    planners = JOB_WINDOW
    check = staticmethod(check_job_id)

    def __init__(
        self,
        client: AsyncApi2ConvertClient,
        options: AsyncDownloadOptions,
        encoding: Encoding | None,
        password: str | None,
    ) -> None:
        if encoding not in (None, "base64"):
            raise InvalidInputError(f"encoding must be None or 'base64', not {encoding!r}")
        self._client = client
        self._wait = check_wait_timeout(options.get("wait_timeout", DEFAULT_WAIT))
        self._on_status = options.get("on_status")
        self._encoding = encoding
        self._password = password

    async def resolve(self, batch: list[str]) -> AsyncIterator[Planned | FileResult]:
        (job_id,) = batch
        try:
            job = await self._client.wait_for_job(job_id, timeout=self._wait, on_status=self._on_status)
            outputs = await self._client._outputs_of(job)
        except InvalidInputError:
            raise
        except DocfetchError as exc:
            yield FileResult(job_id, error=exc)
            return
        given = self._password is not None

        def source(output: OutputFile, url: str) -> AsyncSignedLink:
            return self._client._output_link(job_id, output, url, self._encoding, given)

        for entry in iter_plan(job_id, outputs, self._encoding, source=source, password=self._password):
            yield entry

    async def settle(self, planned: Planned, result: FileResult) -> FileResult:
        return explain_refusal(result, planned, password_given=self._password is not None)
