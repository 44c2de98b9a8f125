"""Sarvam AI Document Intelligence (the ``/doc-digitization/job/v1`` job API): create a job, upload its
PDF or ZIP, start it, wait for it and save its output; :class:`SarvamClient` and its async twin
:class:`AsyncSarvamClient` (same method names, awaited).

Credentials: ``api_key=`` or ``SARVAM_API_KEY`` (sent as ``api-subscription-key``); base URL: ``base_url=``
or ``SARVAM_BASE_URL`` (default ``https://api.sarvam.ai``).

Decisions:

* Retry safety (rules in :mod:`docfetch.retry`). ``create_job`` and ``start_job`` change state, so they
  are not idempotent: repeated only when the server provably did not act (no connection, 429, 503 with
  Retry-After); a timeout or 500 after them is raised, since the job may exist or be running.
  ``upload-files`` only hands out a presigned URL, ``status`` is a GET and ``download-files`` is a
  read-only POST: all three are retried. The storage PUT writes the same bytes to the same blob, so it is
  retried too (the file is reopened and streamed again).
* Sarvam answers a missing or wrong key with 403 ``invalid_api_key_error``: raised as
  :class:`InvalidApiKeyError`, both an ``AuthenticationError`` and a ``PermissionDeniedError``.
* Error bodies are never parsed with the spec's error model: a proxy's HTML 503 is a retried
  ``ServerError``, not a validation error.
* PartiallyCompleted: the output is saved (it is all Sarvam has) and ``FileResult.warning`` names the
  failed pages; ``wait_for_job``/``run_job`` return a :class:`JobOutcome` listing them. A command line
  exits 0 (the files are there) and prints the warning. Failed: :class:`~docfetch.errors.JobFailedError`
  with the job's own message (in ``download()``, a FileResult carrying it).
* A job still ``Accepted`` has no input and can never finish by itself: :class:`JobNotStartedError` at
  once instead of waiting. ``Pending`` is waited for (a started job may be queued).
* Output files are saved as ``<job id>_<name>`` (every job's output is called ``document.zip``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING

import attrs
from docfetch_sarvam_client.models import (
    DocDigitizationCreateJobRequest,
    DocDigitizationCreateJobResponse,
    DocDigitizationDownloadFilesResponse,
    DocDigitizationErrorCode,
    DocDigitizationErrorDetails,
    DocDigitizationErrorMessage,
    DocDigitizationJobDetail,
    DocDigitizationJobDetailState,
    DocDigitizationJobParameters,
    DocDigitizationJobState,
    DocDigitizationJobStatusResponse,
    DocDigitizationOutputFormat,
    DocDigitizationPageError,
    DocDigitizationSupportedLanguage,
    DocDigitizationUploadFilesRequest,
    DocDigitizationUploadFilesResponse,
    DocDigitizationWebhookCallback,
    DownloadUrls,
    FileSignedURLDetails,
    StorageContainerType,
    TaskFileDetails,
    UploadUrls,
)
from docfetch_sarvam_client.types import UNSET

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
    check_ids,
    setting,
)
from docfetch.download_types import DownloadItem, FileResult, ProgressCallback
from docfetch.errors import (
    AuthenticationError,
    BadRequestError,
    DocfetchError,
    InvalidInputError,
    LinkExpiredError,
    PermissionDeniedError,
    PollingTimeoutError,
    ResponseValidationError,
    parse_error_body,
    status_error,
)
from docfetch.polling import async_poll_until, poll_until
from docfetch.retry import RetryPolicy, async_call_with_retries, call_with_retries
from docfetch.sarvam_jobs import (
    INPUT_SUFFIXES,
    MAX_INPUT_BYTES,
    InputChangedError,
    InputFile,
    JobNotStartedError,
    JobOutcome,
    JobRun,
    JobWatch,
    check_input_file,
    check_language,
    check_output_format,
    check_timeout,
    failure_message,
    job_failed,
    link_expiry,
    output_name,
    parse_storage_error,
)
from docfetch.sarvam_jobs import TERMINAL as _TERMINAL

if TYPE_CHECKING:  # imported on first use (see docfetch._lazy)
    import asyncio

    import httpx
    from docfetch_sarvam_client.api.jobs import create_job as _create_job
    from docfetch_sarvam_client.api.jobs import get_download_links as _get_download_links
    from docfetch_sarvam_client.api.jobs import get_job_status as _get_job_status
    from docfetch_sarvam_client.api.jobs import start_job as _start_job
    from docfetch_sarvam_client.api.jobs import upload_files as _upload_files
else:
    asyncio = lazy_module("asyncio")
    httpx = lazy_module("httpx")
    _create_job = lazy_module("docfetch_sarvam_client.api.jobs.create_job")
    _get_download_links = lazy_module("docfetch_sarvam_client.api.jobs.get_download_links")
    _get_job_status = lazy_module("docfetch_sarvam_client.api.jobs.get_job_status")
    _start_job = lazy_module("docfetch_sarvam_client.api.jobs.start_job")
    _upload_files = lazy_module("docfetch_sarvam_client.api.jobs.upload_files")

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "DEFAULT_BASE_URL",
    "INPUT_SUFFIXES",
    "MAX_INPUT_BYTES",
    "AsyncSarvamClient",
    "DocDigitizationCreateJobResponse",
    "DocDigitizationDownloadFilesResponse",
    "DocDigitizationErrorCode",
    "DocDigitizationErrorDetails",
    "DocDigitizationErrorMessage",
    "DocDigitizationJobDetail",
    "DocDigitizationJobDetailState",
    "DocDigitizationJobParameters",
    "DocDigitizationJobState",
    "DocDigitizationJobStatusResponse",
    "DocDigitizationOutputFormat",
    "DocDigitizationPageError",
    "DocDigitizationSupportedLanguage",
    "DocDigitizationUploadFilesResponse",
    "DownloadUrls",
    "FileSignedURLDetails",
    "InputChangedError",
    "InvalidApiKeyError",
    "JobNotStartedError",
    "JobOutcome",
    "JobRun",
    "SarvamClient",
    "StorageContainerType",
    "TaskFileDetails",
    "UploadUrls",
]

PROVIDER = "sarvam"
API_KEY_ENV = "SARVAM_API_KEY"
BASE_URL_ENV = "SARVAM_BASE_URL"
DEFAULT_BASE_URL = "https://api.sarvam.ai"
API_KEY_HEADER = "api-subscription-key"
BLOB_TYPE_HEADERS = {"x-ms-blob-type": "BlockBlob"}  # Azure's Put Blob refuses a PUT without it
UPLOAD_CHUNK = 1024 * 1024
UPLOAD_URL_REFRESHES = 1  # a presigned PUT URL refused (expired) is replaced once

StatusCallback = Callable[[str, str], None]


class InvalidApiKeyError(AuthenticationError, PermissionDeniedError):
    """Sarvam's 403 ``invalid_api_key_error``: the key is missing or wrong (catch either parent)."""


def _create_body(
    language: DocDigitizationSupportedLanguage | str | None,
    output_format: DocDigitizationOutputFormat | str | None,
    callback_url: str | None,
    callback_token: str | None,
) -> DocDigitizationCreateJobRequest:
    checked_language = check_language(language)
    checked_format = check_output_format(output_format)
    callback: DocDigitizationWebhookCallback | None = None
    if callback_url is not None:
        if httpx.URL(callback_url).scheme != "https" or not httpx.URL(callback_url).host:
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


def _upload_url(answer: DocDigitizationUploadFilesResponse, name: str) -> str:
    urls = answer.upload_urls.additional_properties
    found = urls.get(name) or (next(iter(urls.values())) if len(urls) == 1 else None)
    if found is None:
        raise ResponseValidationError(f"{PROVIDER}: upload-files returned no URL for {name!r}")
    return found.file_url


def _output_files(links: DocDigitizationDownloadFilesResponse) -> list[tuple[str, str]]:
    files = [(name, details.file_url) for name, details in links.download_urls.additional_properties.items()]
    if not files:
        raise ResponseValidationError(
            f"{PROVIDER}: job {links.job_id} is {links.job_state} but lists no output"
        )
    return files


def _upload_headers(source: InputFile) -> dict[str, str]:
    # Content-Length makes httpx send the streamed body unchunked (Azure refuses chunked Put Blob).
    return {**BLOB_TYPE_HEADERS, "Content-Type": source.content_type, "Content-Length": str(source.size)}


def _read_chunks(handle: IO[bytes], source: InputFile) -> Iterator[bytes]:
    """The file in 1 MiB chunks, never more or less than the size announced in Content-Length."""
    sent = 0
    while chunk := handle.read(UPLOAD_CHUNK):
        sent += len(chunk)
        if sent > source.size:
            raise InputChangedError(source.path)
        yield chunk
    if sent != source.size:
        raise InputChangedError(source.path)


async def _aread_chunks(handle: IO[bytes], source: InputFile) -> AsyncIterator[bytes]:
    sent = 0
    while chunk := await asyncio.to_thread(handle.read, UPLOAD_CHUNK):
        sent += len(chunk)
        if sent > source.size:
            raise InputChangedError(source.path)
        yield chunk
    if sent != source.size:
        raise InputChangedError(source.path)


def _unique(ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _by_job(
    early: dict[str, FileResult], owners: Sequence[tuple[str, JobOutcome]], saved: Sequence[FileResult]
) -> dict[str, list[FileResult]]:
    """Each job's results: its files (id = the job id, warning when partial) or why it has none."""
    by_job = {job_id: [result] for job_id, result in early.items()}
    for (job_id, outcome), result in zip(owners, saved, strict=True):
        warning = outcome.warning if result.ok else None
        by_job.setdefault(job_id, []).append(attrs.evolve(result, id=job_id, warning=warning))
    return by_job


def _in_order(
    job_ids: Sequence[str], watch: JobWatch, saved: dict[str, list[FileResult]]
) -> list[FileResult]:
    results: list[FileResult] = []
    for job_id in job_ids:
        found = watch.results[job_id]
        results.extend(saved[job_id] if isinstance(found, JobOutcome) else [FileResult(job_id, error=found)])
    return results


def _raise_first_error(results: Sequence[FileResult]) -> None:
    for result in results:
        if result.error is not None:
            raise result.error


class _SarvamBase(ClientCore):
    """Settings and checks shared by the twins (no I/O)."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        poll_interval: float = 1.0,
        max_poll_interval: float = 20.0,
    ) -> None:
        key = setting(api_key, API_KEY_ENV, provider=PROVIDER)
        url = setting(base_url, BASE_URL_ENV, provider=PROVIDER, default=DEFAULT_BASE_URL)
        url = check_base_url(url, provider=PROVIDER, env_var=BASE_URL_ENV)
        if not 0 < poll_interval <= max_poll_interval:
            raise InvalidInputError("need 0 < poll_interval <= max_poll_interval")
        self._poll_interval = poll_interval
        self._max_poll_interval = max_poll_interval

        def build() -> None:
            from docfetch_sarvam_client import Client

            from docfetch.auth import HeaderKeyAuth

            self._settings = ApiSettings(
                provider=PROVIDER,
                base_url=url,
                auth=HeaderKeyAuth(API_KEY_HEADER, key),
                timeout=as_timeout(timeout),
                retry=retry or RetryPolicy(),
                parse_error=parse_error_body,
                status_overrides={403: InvalidApiKeyError},
            )
            self._connect(Client)

        self._defer(build)

    @staticmethod
    def check_ids(ids: Sequence[str]) -> list[str]:
        """Job ids that can be sent (any text; it is percent-encoded in paths); InvalidInputError otherwise."""
        return check_ids(ids, what="job id")

    def _one_id(self, job_id: str) -> str:
        return self.check_ids([job_id])[0]

    @staticmethod
    def _notify(
        job_id: str, on_status: StatusCallback | None
    ) -> Callable[[DocDigitizationJobStatusResponse], None]:
        last: list[DocDigitizationJobState] = []

        def on_state(status: DocDigitizationJobStatusResponse) -> None:
            if status.job_state is DocDigitizationJobState.ACCEPTED:
                raise JobNotStartedError(job_id)
            if on_status is not None and (not last or last[-1] is not status.job_state):
                on_status(job_id, status.job_state.value)
            last.append(status.job_state)

        return on_state

    def _check_download_args(
        self, dest_dir: str | os.PathLike[str], concurrency: int, wait_timeout: float
    ) -> None:
        check_dest_dir(dest_dir)
        if concurrency < 1:
            raise InvalidInputError("concurrency must be >= 1")
        check_timeout(wait_timeout, "wait_timeout")


class SarvamClient(_SarvamBase, SyncClientBase):
    """Sync client; see the module docstring for the decisions. Use it as a context manager."""

    # --- the job lifecycle, one call per endpoint ----------------------------------------------

    def create_job(
        self,
        *,
        language: DocDigitizationSupportedLanguage | str | None = None,
        output_format: DocDigitizationOutputFormat | str | None = None,
        callback_url: str | None = None,
        callback_token: str | None = None,
    ) -> DocDigitizationCreateJobResponse:
        """A new job (state Accepted). Sarvam defaults to ``hi-IN`` and ``md``. Not retried once sent."""
        body = _create_body(language, output_format, callback_url, callback_token)
        kwargs = _create_job.request_kwargs(body=body)
        return self._call(
            kwargs, _create_job.build_response, DocDigitizationCreateJobResponse, idempotent=False
        )

    def upload_file(self, job_id: str, path: str | os.PathLike[str]) -> None:
        """Upload the job's one input (.pdf or .zip, checked before any request), streamed from disk to
        the presigned storage URL without the API key; the job becomes Pending."""
        job_id = self._one_id(job_id)
        source = check_input_file(path)
        url = self._upload_url(job_id, source.name)
        for refresh in range(UPLOAD_URL_REFRESHES + 1):
            response = self._put(url, source)
            if response.is_success:
                return
            if response.status_code != 403 or refresh == UPLOAD_URL_REFRESHES:
                break
            url = self._upload_url(job_id, source.name)
        raise status_error(response, parse=parse_storage_error)

    def _upload_url(self, job_id: str, name: str) -> str:
        body = DocDigitizationUploadFilesRequest(job_id=job_id, files=[name])
        kwargs = _upload_files.request_kwargs(body=body)
        return _upload_url(
            self._call(kwargs, _upload_files.build_response, DocDigitizationUploadFilesResponse), name
        )

    def _put(self, url: str, source: InputFile) -> httpx.Response:
        def send() -> httpx.Response:
            with source.path.open("rb") as handle:
                return self._storage().put(
                    url,
                    content=_read_chunks(handle, source),
                    headers=_upload_headers(source),
                    follow_redirects=False,
                )

        return call_with_retries(send, idempotent=True, policy=self._settings.retry)

    def start_job(self, job_id: str) -> DocDigitizationJobStatusResponse:
        """Start processing the uploaded input (422 ``max_page_limit_exceeded`` over 10 pages). Not retried once sent."""
        job_id = self._one_id(job_id)
        kwargs = _start_job.request_kwargs(job_id)
        return self._call(
            kwargs, _start_job.build_response, DocDigitizationJobStatusResponse, idempotent=False
        )

    def get_job_status(self, job_id: str) -> DocDigitizationJobStatusResponse:
        job_id = self._one_id(job_id)
        kwargs = _get_job_status.request_kwargs(job_id)
        return self._call(kwargs, _get_job_status.build_response, DocDigitizationJobStatusResponse)

    def get_download_links(self, job_id: str) -> DocDigitizationDownloadFilesResponse:
        """Fresh presigned URLs of the output (Completed or PartiallyCompleted jobs only)."""
        job_id = self._one_id(job_id)
        kwargs = _get_download_links.request_kwargs(job_id)
        return self._call(kwargs, _get_download_links.build_response, DocDigitizationDownloadFilesResponse)

    # --- waiting and saving --------------------------------------------------------------------

    def wait_for_job(
        self, job_id: str, *, timeout: float = 600.0, on_status: StatusCallback | None = None
    ) -> JobOutcome:
        """Poll until the job ends. Returns its :class:`JobOutcome` (Completed or PartiallyCompleted);
        raises JobFailedError (Failed, with Sarvam's message), PollingTimeoutError (``last_state`` set)
        or JobNotStartedError (Accepted: nothing uploaded). ``on_status(job_id, state)`` on each change."""
        job_id = self._one_id(job_id)
        status = poll_until(
            lambda: self.get_job_status(job_id),
            is_done=lambda s: s.job_state in _TERMINAL,
            failure=failure_message,
            timeout=check_timeout(timeout),
            job_id=job_id,
            on_state=self._notify(job_id, on_status),
            initial=self._poll_interval,
            max_interval=self._max_poll_interval,
        )
        return JobOutcome.from_status(status)

    def run_job(
        self,
        path: str | os.PathLike[str],
        *,
        dest_dir: str | os.PathLike[str],
        language: DocDigitizationSupportedLanguage | str | None = None,
        output_format: DocDigitizationOutputFormat | str | None = None,
        overwrite: bool = False,
        timeout: float = 600.0,
        on_status: StatusCallback | None = None,
        progress: ProgressCallback | None = None,
    ) -> JobRun:
        """Create, upload, start, wait and save every output file into ``dest_dir``. Every argument is
        checked before the first request; any failure raises (JobFailedError, DownloadError...)."""
        source = check_input_file(path)
        _create_body(language, output_format, None, None)  # checked before the first request
        check_dest_dir(dest_dir)
        check_timeout(timeout)
        created = self.create_job(language=language, output_format=output_format)
        self.upload_file(created.job_id, source.path)
        self.start_job(created.job_id)
        outcome = self.wait_for_job(created.job_id, timeout=timeout, on_status=on_status)
        files = self._save([outcome], dest_dir, overwrite=overwrite, concurrency=4, progress=progress)[
            outcome.job_id
        ]
        _raise_first_error(files)
        return JobRun(created.job_id, outcome, tuple(files))

    def links(self, ids: Sequence[str]) -> list[Link]:
        """One :class:`Link` per output file of each job (URLs are presigned; no expiry unless the URL says)."""
        links: list[Link] = []
        for job_id in _unique(self.check_ids(ids)):
            for name, url in _output_files(self._links_or_failure(job_id)):
                links.append(Link(job_id, name, url, link_expiry(url)))
        return links

    def _links_or_failure(self, job_id: str) -> DocDigitizationDownloadFilesResponse:
        try:
            return self.get_download_links(job_id)
        except BadRequestError as refused:  # a Failed job: say why it failed rather than "no output"
            status = self.get_job_status(job_id)
            if status.job_state is DocDigitizationJobState.FAILED:
                raise job_failed(status) from refused
            raise

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
    ) -> list[FileResult]:
        """Wait for each job to end, then save every output file. One FileResult per file (id = job id;
        ``warning`` set for a PartiallyCompleted job) or per job that has none to give (JobFailedError,
        PollingTimeoutError, JobNotStartedError, API errors). Progress keys are ``<job_id>/<file name>``."""
        job_ids = _unique(self.check_ids(ids))
        self._check_download_args(dest_dir, concurrency, wait_timeout)
        watch = self._wait_all(job_ids, on_status, wait_timeout)
        outcomes = [r for r in watch.results.values() if isinstance(r, JobOutcome)]
        saved = self._save(
            outcomes, dest_dir, overwrite=overwrite, concurrency=concurrency, progress=progress
        )
        return _in_order(job_ids, watch, saved)

    def _wait_all(self, job_ids: list[str], on_status: StatusCallback | None, deadline: float) -> JobWatch:
        watch = JobWatch(job_ids, on_status)

        def fetch() -> JobWatch:
            for job_id in watch.waiting:
                try:
                    watch.record(job_id, self.get_job_status(job_id))
                except DocfetchError as exc:
                    watch.record(job_id, exc)
            return watch

        try:
            poll_until(
                fetch,
                is_done=lambda w: w.finished,
                timeout=deadline,
                initial=self._poll_interval,
                max_interval=self._max_poll_interval,
            )
        except PollingTimeoutError as exc:
            watch.time_out(deadline, exc.elapsed)
        return watch

    def _save(
        self,
        outcomes: Sequence[JobOutcome],
        dest_dir: str | os.PathLike[str],
        *,
        overwrite: bool,
        concurrency: int,
        progress: ProgressCallback | None,
    ) -> dict[str, list[FileResult]]:
        early: dict[str, FileResult] = {}
        items: list[DownloadItem] = []
        owners: list[tuple[str, JobOutcome]] = []
        for outcome in outcomes:
            job_id = outcome.job_id
            try:
                files = _output_files(self.get_download_links(job_id))
            except DocfetchError as exc:
                early[job_id] = FileResult(job_id, error=exc)
                continue
            for name, url in files:
                items.append(self._item(job_id, name, url))
                owners.append((job_id, outcome))
        if not items:  # nothing to save: leave the destination untouched
            return _by_job(early, owners, [])
        saved = self._download_items(
            items, dest_dir, concurrency=concurrency, overwrite=overwrite, progress=progress
        )
        return _by_job(early, owners, saved)

    def _item(self, job_id: str, name: str, first_url: str) -> DownloadItem:
        unused = [first_url]

        def fresh_url() -> str:  # first the URL just obtained, then a new one after each expiry
            if unused:
                return unused.pop()
            found = self.get_download_links(job_id).download_urls.additional_properties.get(name)
            if found is None:
                raise LinkExpiredError(f"job {job_id}: fresh links no longer include {name!r}")
            return found.file_url

        return DownloadItem(id=f"{job_id}/{name}", url=fresh_url, name=output_name(job_id, name))


class AsyncSarvamClient(_SarvamBase, AsyncClientBase):
    """Async twin of :class:`SarvamClient`: the same methods, awaited. Use it with ``async with``."""

    # --- the job lifecycle, one call per endpoint ----------------------------------------------

    async def create_job(
        self,
        *,
        language: DocDigitizationSupportedLanguage | str | None = None,
        output_format: DocDigitizationOutputFormat | str | None = None,
        callback_url: str | None = None,
        callback_token: str | None = None,
    ) -> DocDigitizationCreateJobResponse:
        """See :meth:`SarvamClient.create_job`."""
        body = _create_body(language, output_format, callback_url, callback_token)
        kwargs = _create_job.request_kwargs(body=body)
        return await self._call(
            kwargs, _create_job.build_response, DocDigitizationCreateJobResponse, idempotent=False
        )

    async def upload_file(self, job_id: str, path: str | os.PathLike[str]) -> None:
        """See :meth:`SarvamClient.upload_file` (file reads run in a worker thread)."""
        job_id = self._one_id(job_id)
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
        kwargs = _upload_files.request_kwargs(body=body)
        answer = await self._call(kwargs, _upload_files.build_response, DocDigitizationUploadFilesResponse)
        return _upload_url(answer, name)

    async def _put(self, url: str, source: InputFile) -> httpx.Response:
        async def send() -> httpx.Response:
            with source.path.open("rb") as handle:
                return await self._storage().put(
                    url,
                    content=_aread_chunks(handle, source),
                    headers=_upload_headers(source),
                    follow_redirects=False,
                )

        return await async_call_with_retries(send, idempotent=True, policy=self._settings.retry)

    async def start_job(self, job_id: str) -> DocDigitizationJobStatusResponse:
        """See :meth:`SarvamClient.start_job`."""
        job_id = self._one_id(job_id)
        kwargs = _start_job.request_kwargs(job_id)
        return await self._call(
            kwargs, _start_job.build_response, DocDigitizationJobStatusResponse, idempotent=False
        )

    async def get_job_status(self, job_id: str) -> DocDigitizationJobStatusResponse:
        job_id = self._one_id(job_id)
        kwargs = _get_job_status.request_kwargs(job_id)
        return await self._call(kwargs, _get_job_status.build_response, DocDigitizationJobStatusResponse)

    async def get_download_links(self, job_id: str) -> DocDigitizationDownloadFilesResponse:
        """See :meth:`SarvamClient.get_download_links`."""
        job_id = self._one_id(job_id)
        kwargs = _get_download_links.request_kwargs(job_id)
        return await self._call(
            kwargs, _get_download_links.build_response, DocDigitizationDownloadFilesResponse
        )

    # --- waiting and saving --------------------------------------------------------------------

    async def wait_for_job(
        self,
        job_id: str,
        *,
        timeout: float = 600.0,  # noqa: ASYNC109 - a polling deadline, not a per-call timeout
        on_status: StatusCallback | None = None,
    ) -> JobOutcome:
        """See :meth:`SarvamClient.wait_for_job`."""
        job_id = self._one_id(job_id)
        status = await async_poll_until(
            lambda: self.get_job_status(job_id),
            is_done=lambda s: s.job_state in _TERMINAL,
            failure=failure_message,
            timeout=check_timeout(timeout),
            job_id=job_id,
            on_state=self._notify(job_id, on_status),
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
        timeout: float = 600.0,  # noqa: ASYNC109 - a polling deadline, not a per-call timeout
        on_status: StatusCallback | None = None,
        progress: ProgressCallback | None = None,
    ) -> JobRun:
        """See :meth:`SarvamClient.run_job`."""
        source = check_input_file(path)
        _create_body(language, output_format, None, None)  # checked before the first request
        check_dest_dir(dest_dir)
        check_timeout(timeout)
        created = await self.create_job(language=language, output_format=output_format)
        await self.upload_file(created.job_id, source.path)
        await self.start_job(created.job_id)
        outcome = await self.wait_for_job(created.job_id, timeout=timeout, on_status=on_status)
        saved = await self._save([outcome], dest_dir, overwrite=overwrite, concurrency=4, progress=progress)
        files = saved[outcome.job_id]
        _raise_first_error(files)
        return JobRun(created.job_id, outcome, tuple(files))

    async def links(self, ids: Sequence[str]) -> list[Link]:
        """See :meth:`SarvamClient.links`."""
        links: list[Link] = []
        for job_id in _unique(self.check_ids(ids)):
            for name, url in _output_files(await self._links_or_failure(job_id)):
                links.append(Link(job_id, name, url, link_expiry(url)))
        return links

    async def _links_or_failure(self, job_id: str) -> DocDigitizationDownloadFilesResponse:
        try:
            return await self.get_download_links(job_id)
        except BadRequestError as refused:
            status = await self.get_job_status(job_id)
            if status.job_state is DocDigitizationJobState.FAILED:
                raise job_failed(status) from refused
            raise

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
    ) -> list[FileResult]:
        """See :meth:`SarvamClient.download` (the jobs' statuses are fetched concurrently)."""
        job_ids = _unique(self.check_ids(ids))
        self._check_download_args(dest_dir, concurrency, wait_timeout)
        watch = await self._wait_all(job_ids, on_status, wait_timeout)
        outcomes = [r for r in watch.results.values() if isinstance(r, JobOutcome)]
        saved = await self._save(
            outcomes, dest_dir, overwrite=overwrite, concurrency=concurrency, progress=progress
        )
        return _in_order(job_ids, watch, saved)

    async def _wait_all(
        self, job_ids: list[str], on_status: StatusCallback | None, deadline: float
    ) -> JobWatch:
        watch = JobWatch(job_ids, on_status)

        async def status_or_error(job_id: str) -> DocDigitizationJobStatusResponse | DocfetchError:
            try:
                return await self.get_job_status(job_id)
            except DocfetchError as exc:
                return exc

        async def fetch() -> JobWatch:
            waiting = watch.waiting
            for job_id, found in zip(
                waiting, await asyncio.gather(*map(status_or_error, waiting)), strict=True
            ):
                watch.record(job_id, found)
            return watch

        try:
            await async_poll_until(
                fetch,
                is_done=lambda w: w.finished,
                timeout=deadline,
                initial=self._poll_interval,
                max_interval=self._max_poll_interval,
            )
        except PollingTimeoutError as exc:
            watch.time_out(deadline, exc.elapsed)
        return watch

    async def _save(
        self,
        outcomes: Sequence[JobOutcome],
        dest_dir: str | os.PathLike[str],
        *,
        overwrite: bool,
        concurrency: int,
        progress: ProgressCallback | None,
    ) -> dict[str, list[FileResult]]:
        early: dict[str, FileResult] = {}
        items: list[DownloadItem] = []
        owners: list[tuple[str, JobOutcome]] = []
        for outcome in outcomes:
            job_id = outcome.job_id
            try:
                files = _output_files(await self.get_download_links(job_id))
            except DocfetchError as exc:
                early[job_id] = FileResult(job_id, error=exc)
                continue
            for name, url in files:
                items.append(self._item(job_id, name, url))
                owners.append((job_id, outcome))
        if not items:  # nothing to save: leave the destination untouched
            return _by_job(early, owners, [])
        saved = await self._download_items(
            items, dest_dir, concurrency=concurrency, overwrite=overwrite, progress=progress
        )
        return _by_job(early, owners, saved)

    def _item(self, job_id: str, name: str, first_url: str) -> DownloadItem:
        unused = [first_url]

        async def fresh_url() -> str:  # first the URL just obtained, then a new one after each expiry
            if unused:
                return unused.pop()
            links = await self.get_download_links(job_id)
            found = links.download_urls.additional_properties.get(name)
            if found is None:
                raise LinkExpiredError(f"job {job_id}: fresh links no longer include {name!r}")
            return found.file_url

        return DownloadItem(id=f"{job_id}/{name}", url=fresh_url, name=output_name(job_id, name))
