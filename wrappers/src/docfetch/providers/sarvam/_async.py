"""Sarvam AI Document Intelligence (the ``/doc-digitization/job/v1`` job API): create a job, upload its
PDF or ZIP, start it, wait for it and save its output.

Credentials: ``api_key=`` or ``SARVAM_API_KEY`` (sent as ``api-subscription-key``); base URL: ``base_url=``
or ``SARVAM_BASE_URL`` (default ``https://api.sarvam.ai``).

Decisions:

* Retry safety. ``create_job`` and ``start_job`` change state, so they are not idempotent: repeated
  only when the server provably did not act (no connection, 429, 503 with Retry-After); a timeout or
  500 after them is raised, since the job may exist or be running. ``upload-files`` only hands out a
  presigned URL, ``status`` is a GET and ``download-files`` is a read-only POST: all three are
  retried. The storage PUT writes the same bytes to the same blob, so it is retried too (the file is
  reopened and streamed again). A 429 ``insufficient_quota_error`` is never retried: the credits are gone.
* Sarvam answers a missing or wrong key with 403 ``invalid_api_key_error``: raised as
  :class:`InvalidApiKeyError`, both an ``AuthenticationError`` and a ``PermissionDeniedError``.
* Error bodies are never parsed with the spec's error model: a proxy's HTML 503 is a retried
  ``ServerError``, not a validation error.
* PartiallyCompleted: the output is saved (it is all Sarvam has) and ``FileResult.warning`` names the
  failed pages; ``wait_for_job``/``run_job`` return a :class:`JobOutcome` listing them. A command line
  exits 0 (the files are there) and prints the warning. Failed: :class:`~docfetch.errors.JobFailedError`
  with the job's own message (in ``download()``, a FileResult carrying it).
* A job still ``Accepted`` has no input and can never finish by itself: :class:`JobNotStartedError` at
  once instead of waiting. ``Pending`` and states the spec does not list are waited for.
* ``download`` watches up to 16 jobs at once, each on its own polling schedule, and saves a job's
  output as soon as that job ends. Output files are saved as ``<job id>_<name>`` (every job's output
  is called ``document.zip``); a presigned link about to expire is asked for again.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from collections.abc import Sequence
from typing import IO
from typing import TYPE_CHECKING
from typing import Unpack

from docfetch_sarvam_client.api import jobs as api
from docfetch_sarvam_client.models import DocDigitizationCreateJobResponse
from docfetch_sarvam_client.models import DocDigitizationDownloadFilesResponse
from docfetch_sarvam_client.models import DocDigitizationJobState
from docfetch_sarvam_client.models import DocDigitizationJobStatusResponse
from docfetch_sarvam_client.models import DocDigitizationOutputFormat
from docfetch_sarvam_client.models import DocDigitizationSupportedLanguage
from docfetch_sarvam_client.models import DocDigitizationUploadFilesRequest
from docfetch_sarvam_client.models import DocDigitizationUploadFilesResponse

from docfetch.core._async.client import AsyncClientBase
from docfetch.core._async.client import AsyncClientOptions
from docfetch.core._async.client import AsyncDownloadOptions
from docfetch.core._async.client import async_collected
from docfetch.core._async.links import AsyncSignedLink
from docfetch.core._async.polling import async_poll_until
from docfetch.core._async.resolver import AsyncResolver
from docfetch.core._async.retry import async_call_with_retries
from docfetch.core._backends.aio import run_blocking
from docfetch.core.plan import DEFAULT_WAIT
from docfetch.core.settings import check_dest_dir
from docfetch.core.settings import setting
from docfetch.core.storage import bare_request
from docfetch.errors import BadRequestError
from docfetch.errors import DocfetchError
from docfetch.errors import InvalidInputError
from docfetch.errors import LinkExpiredError
from docfetch.errors import parse_error_body
from docfetch.errors import status_error
from docfetch.providers.sarvam.rules import API_KEY_HEADER
from docfetch.providers.sarvam.rules import FACTS
from docfetch.providers.sarvam.rules import JOB_WINDOW
from docfetch.providers.sarvam.rules import TERMINAL
from docfetch.providers.sarvam.rules import UPLOAD_CHUNK
from docfetch.providers.sarvam.rules import UPLOAD_URL_REFRESHES
from docfetch.providers.sarvam.rules import InputChangedError
from docfetch.providers.sarvam.rules import InputFile
from docfetch.providers.sarvam.rules import InvalidApiKeyError
from docfetch.providers.sarvam.rules import JobOutcome
from docfetch.providers.sarvam.rules import JobRun
from docfetch.providers.sarvam.rules import check_input_file
from docfetch.providers.sarvam.rules import check_job_id
from docfetch.providers.sarvam.rules import check_timeout
from docfetch.providers.sarvam.rules import create_body
from docfetch.providers.sarvam.rules import failure_message
from docfetch.providers.sarvam.rules import job_failed
from docfetch.providers.sarvam.rules import link_expiry
from docfetch.providers.sarvam.rules import output_files
from docfetch.providers.sarvam.rules import output_name
from docfetch.providers.sarvam.rules import parse_storage_error
from docfetch.providers.sarvam.rules import quota_used_up
from docfetch.providers.sarvam.rules import upload_headers
from docfetch.providers.sarvam.rules import upload_url
from docfetch.providers.sarvam.rules import watch_states
from docfetch.types import DownloadItem
from docfetch.types import FileResult
from docfetch.types import Link
from docfetch.types import Planned
from docfetch.types import ProgressCallback
from docfetch.types import StatusCallback

if TYPE_CHECKING:
    from datetime import datetime

    import httpx

__all__ = ["AsyncSarvamClient"]


async def async_read_chunks(handle: IO[bytes], source: InputFile) -> AsyncIterator[bytes]:
    """The file in 1 MiB chunks, never more or less than the size announced in Content-Length."""
    sent = 0
    while chunk := await run_blocking(handle.read, UPLOAD_CHUNK):
        sent += len(chunk)
        if sent > source.size:
            raise InputChangedError(source.path)
        yield chunk
    if sent != source.size:
        raise InputChangedError(source.path)


class AsyncSarvamClient(AsyncClientBase):
    """Sarvam Document Intelligence jobs (see the module docstring). Use it as a context manager."""

    facts = FACTS
    check_id = staticmethod(check_job_id)

    def __init__(
        self,
        *,
        api_key: str | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 20.0,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        key = setting(api_key, FACTS.credentials["api_key"], provider=FACTS.name)
        if not 0 < poll_interval <= max_poll_interval:
            raise InvalidInputError("need 0 < poll_interval <= max_poll_interval")
        self._poll_interval = poll_interval
        self._max_poll_interval = max_poll_interval
        super().__init__(
            key_header=(API_KEY_HEADER, key),
            parse_error=parse_error_body,
            status_overrides={403: InvalidApiKeyError},
            **options,
        )

    def _refused_for_good(self, response: httpx.Response) -> bool:
        return quota_used_up(response)

    # --- the job lifecycle, one call per endpoint ----------------------------------------------

    async def create_job(
        self,
        *,
        language: DocDigitizationSupportedLanguage | str | None = None,
        output_format: DocDigitizationOutputFormat | str | None = None,
        callback_url: str | None = None,
        callback_token: str | None = None,
    ) -> DocDigitizationCreateJobResponse:
        """A new job (state Accepted). Sarvam defaults to ``hi-IN`` and ``md``. Not retried once sent."""
        body = create_body(language, output_format, callback_url, callback_token)
        kwargs = api.create_job.request_kwargs(body=body)
        build = api.create_job.build_response
        return await self._call(kwargs, build, DocDigitizationCreateJobResponse, idempotent=False)

    async def upload_file(self, job_id: str, path: str | os.PathLike[str]) -> None:
        """Upload the job's one input (.pdf or .zip, checked before any request), streamed from disk to
        the presigned storage URL without the API key; the job becomes Pending."""
        job_id = check_job_id(job_id)
        source = check_input_file(path)
        url = await self._upload_url(job_id, source.name)
        for refresh in range(UPLOAD_URL_REFRESHES + 1):
            response = await self._put(url, source)
            if response.is_success:
                return
            if response.status_code != 403 or refresh == UPLOAD_URL_REFRESHES:
                break
            url = await self._upload_url(job_id, source.name)
        raise status_error(response, parse=parse_storage_error)

    async def _upload_url(self, job_id: str, name: str) -> str:
        body = DocDigitizationUploadFilesRequest(job_id=job_id, files=[name])
        kwargs = api.upload_files.request_kwargs(body=body)
        answer = await self._call(kwargs, api.upload_files.build_response, DocDigitizationUploadFilesResponse)
        return upload_url(answer, name)

    async def _put(self, url: str, source: InputFile) -> httpx.Response:
        storage = self._storage()

        async def send() -> httpx.Response:
            with source.path.open("rb") as handle:
                chunks = async_read_chunks(handle, source)
                request = bare_request(storage, url, upload_headers(source), method="PUT", content=chunks)
                response = await storage.send(request, auth=None, follow_redirects=False)
                await response.aread()
                return response

        return await async_call_with_retries(send, idempotent=True, policy=self._settings.retry)

    async def start_job(self, job_id: str) -> DocDigitizationJobStatusResponse:
        """Start processing the uploaded input (422 ``max_page_limit_exceeded`` over 10 pages). Not retried once sent."""
        kwargs = api.start_job.request_kwargs(check_job_id(job_id))
        build = api.start_job.build_response
        return await self._call(kwargs, build, DocDigitizationJobStatusResponse, idempotent=False)

    async def get_job_status(self, job_id: str) -> DocDigitizationJobStatusResponse:
        kwargs = api.get_job_status.request_kwargs(check_job_id(job_id))
        return await self._call(kwargs, api.get_job_status.build_response, DocDigitizationJobStatusResponse)

    async def get_download_links(self, job_id: str) -> DocDigitizationDownloadFilesResponse:
        """Fresh presigned URLs of the output (Completed or PartiallyCompleted jobs only)."""
        kwargs = api.get_download_links.request_kwargs(check_job_id(job_id))
        build = api.get_download_links.build_response
        return await self._call(kwargs, build, DocDigitizationDownloadFilesResponse)

    # --- waiting and saving --------------------------------------------------------------------

    async def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float = DEFAULT_WAIT,  # noqa: ASYNC109 - a polling deadline, not a per-call timeout
        on_status: StatusCallback | None = None,
    ) -> JobOutcome:
        """Poll until the job ends. Returns its :class:`JobOutcome` (Completed or PartiallyCompleted);
        raises JobFailedError (Failed, with Sarvam's message), PollingTimeoutError (``last_state`` set)
        or JobNotStartedError (Accepted: nothing uploaded). ``on_status(job_id, state)`` on each change."""
        job_id = check_job_id(job_id)
        status = await async_poll_until(
            lambda: self.get_job_status(job_id),
            is_done=lambda s: s.job_state in TERMINAL,
            failure=failure_message,
            timeout=check_timeout(timeout),
            job_id=job_id,
            on_state=watch_states(job_id, on_status),
            initial=self._poll_interval,
            max_interval=self._max_poll_interval,
        )
        return JobOutcome.from_status(status)

    async def run_job(
        self,
        path: str | os.PathLike[str],
        *,
        dest_dir: str | os.PathLike[str],
        language: DocDigitizationSupportedLanguage | str | None = None,
        output_format: DocDigitizationOutputFormat | str | None = None,
        overwrite: bool = False,
        timeout: float = DEFAULT_WAIT,  # noqa: ASYNC109 - a polling deadline, not a per-call timeout
        on_status: StatusCallback | None = None,
        progress: ProgressCallback | None = None,
    ) -> JobRun:
        """Create, upload, start, wait and save every output file into ``dest_dir``. Every argument is
        checked before the first request; any failure raises (JobFailedError, DownloadError...)."""
        source = check_input_file(path)
        create_body(language, output_format, None, None)  # checked before the first request
        check_dest_dir(dest_dir)
        check_timeout(timeout)
        created = await self.create_job(language=language, output_format=output_format)
        await self.upload_file(created.job_id, source.path)
        await self.start_job(created.job_id)
        outcome = await self.wait_for_job(created.job_id, timeout=timeout, on_status=on_status)
        jobs = _Jobs(self, wait_timeout=timeout, on_status=None, known={outcome.job_id: outcome})
        stream = self._stream(
            jobs, [outcome.job_id], dest_dir, {"overwrite": overwrite, "progress": progress}
        )
        files = await stream.collect()
        for file in files:
            file.saved_file()  # raises the first error
        return JobRun(created.job_id, outcome, tuple(files))

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """One :class:`Link` per output file of each job (URLs are presigned; no expiry unless the URL says)."""
        links: list[Link] = []
        for job_id in dict.fromkeys(self.check_ids(ids)):
            for name, url in output_files(await self._links_or_failure(job_id)):
                links.append(Link(job_id, name, url, link_expiry(url)))
        return links

    async def _links_or_failure(self, job_id: str) -> DocDigitizationDownloadFilesResponse:
        try:
            return await self.get_download_links(job_id)
        except BadRequestError as refused:  # a Failed job: say why it failed rather than "no output"
            status = await self.get_job_status(job_id)
            if status.job_state is DocDigitizationJobState.FAILED:
                raise job_failed(status) from refused
            raise

    download = async_collected(AsyncClientBase.iter_download)

    def _resolver(self, options: AsyncDownloadOptions) -> AsyncResolver:
        return _Jobs(
            self, wait_timeout=options.get("wait_timeout", DEFAULT_WAIT), on_status=options.get("on_status")
        )

    def _item(self, job_id: str, name: str, first_url: str) -> DownloadItem:
        async def renew() -> tuple[str, datetime | None]:
            links = await self.get_download_links(job_id)
            found = links.download_urls.additional_properties.get(name)
            if found is None:
                raise LinkExpiredError(f"job {job_id}: fresh links no longer include {name!r}")
            return found.file_url, link_expiry(found.file_url)

        link = AsyncSignedLink(first_url, link_expiry(first_url), renew, label=f"{job_id}/{name}")
        return DownloadItem(id=f"{job_id}/{name}", url=link, name=output_name(job_id, name))


class _Jobs(AsyncResolver):
    """One job per batch, up to 16 watched at once: each job's output is saved as soon as it ends."""

    planners = JOB_WINDOW
    check = staticmethod(check_job_id)

    def __init__(
        self,
        client: AsyncSarvamClient,
        *,
        wait_timeout: float,
        on_status: StatusCallback | None,
        known: dict[str, JobOutcome] | None = None,
    ) -> None:
        self._client = client
        self._wait = check_timeout(wait_timeout, "wait_timeout")
        self._on_status = on_status
        self._known = known or {}

    async def resolve(self, batch: list[str]) -> AsyncIterator[Planned | FileResult]:
        (job_id,) = batch
        try:
            outcome = self._known.get(job_id) or await self._client.wait_for_job(
                job_id, timeout=self._wait, on_status=self._on_status
            )
            files = output_files(await self._client.get_download_links(job_id))
        except DocfetchError as exc:
            yield FileResult(job_id, error=exc)
            return
        for name, url in files:
            yield Planned(
                self._client._item(job_id, name, url), owner=job_id, warning=outcome.warning, key=name
            )
