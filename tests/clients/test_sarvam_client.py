"""docfetch.sarvam (SarvamClient / AsyncSarvamClient) against the Sarvam emulator over real sockets.

(Named test_sarvam_client.py: tests/emulators/test_sarvam.py already uses the shorter basename.)
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import readme_blocks
from docfetch import download_many
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.errors import AuthenticationError
from docfetch.errors import BadRequestError
from docfetch.errors import DestinationExistsError
from docfetch.errors import InvalidInputError
from docfetch.errors import JobFailedError
from docfetch.errors import MissingCredentialsError
from docfetch.errors import NotFoundError
from docfetch.errors import PermissionDeniedError
from docfetch.errors import PollingTimeoutError
from docfetch.errors import RateLimitError
from docfetch.errors import ServerError
from docfetch.errors import UnprocessableEntityError
from docfetch.providers.sarvam import _async as async_sarvam_module
from docfetch.providers.sarvam import _sync as sync_sarvam_module
from docfetch.providers.sarvam import rules as sarvam_jobs
from docfetch.providers.sarvam.rules import API_KEY_HEADER
from docfetch.providers.sarvam.rules import UPLOAD_CHUNK
from docfetch.providers.sarvam.rules import InputChangedError
from docfetch.providers.sarvam.rules import InputFile
from docfetch.providers.sarvam.rules import link_expiry
from docfetch.sarvam import DEFAULT_BASE_URL
from docfetch.sarvam import AsyncSarvamClient
from docfetch.sarvam import DocDigitizationCreateJobResponse
from docfetch.sarvam import DocDigitizationJobState
from docfetch.sarvam import DocDigitizationJobStatusResponse
from docfetch.sarvam import DocDigitizationOutputFormat
from docfetch.sarvam import DocDigitizationSupportedLanguage
from docfetch.sarvam import InvalidApiKeyError
from docfetch.sarvam import JobNotStartedError
from docfetch.sarvam import SarvamClient
from docfetch.types import DownloadItem
from docfetch.types import FileResult

JOB_PATH = "/doc-digitization/job/v1"
FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, jitter=0.0)
Client = SarvamClient | AsyncSarvamClient


def pdf(pages: int, padding: int = 0) -> bytes:
    objects = b"".join(b"%d 0 obj <</Type /Page>> endobj\n" % n for n in range(pages))
    return b"%PDF-1.4\n" + objects + b"%" + b"x" * padding + b"\n%%EOF\n"


def zip_of_images(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(count):
            archive.writestr(zipfile.ZipInfo(f"page_{n}.png", (2026, 1, 1, 0, 0, 0)), b"\x89PNG %d" % n)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with run_emulator("sarvam", job_step=0.05, file_size=4096) as running:
        yield running


@pytest.fixture(autouse=True)
def _reset(emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SARVAM_API_KEY", raising=False)
    monkeypatch.delenv("SARVAM_BASE_URL", raising=False)
    yield
    emu.faults.reset()
    emu.state.default_outcome = "Completed"


def make(emu: RunningEmulator, cls: type[Any] = SarvamClient, **overrides: Any) -> Any:
    settings: dict[str, Any] = {
        "api_key": emu.api_key,
        "base_url": emu.base_url,
        "retry": FAST,
        "timeout": 5.0,
        "poll_interval": 0.01,
        "max_poll_interval": 0.05,
    }
    return cls(**{**settings, **overrides})


@pytest.fixture
def sarvam(emu: RunningEmulator) -> Iterator[SarvamClient]:
    with make(emu) as client:
        yield client


def output_of(emu: RunningEmulator, job_id: str) -> bytes:
    key = emu.state.job(job_id).output_key
    assert key is not None
    data: bytes = emu.storage.get(key).data
    return data


def calls(emu: RunningEmulator, since: int) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in emu.api_requests[since:]]


def assert_storage_never_saw_the_key(emu: RunningEmulator) -> None:
    assert emu.storage.requests, "the test should have used the storage origin"
    key = str(emu.api_key)
    for request in emu.storage.requests:
        assert API_KEY_HEADER not in request.headers
        assert key not in " ".join([*request.headers.values(), request.raw_query, request.path])


def assert_saved(emu: RunningEmulator, result: FileResult, job_id: str) -> None:
    assert result.ok, result.error
    assert result.id == job_id
    assert result.path is not None and result.path.name == f"{job_id}_document.zip"
    assert result.path.read_bytes() == output_of(emu, job_id)
    assert result.bytes == len(output_of(emu, job_id))
    assert result.sha256 == emu.storage.get(emu.state.job(job_id).output_key).sha256


# ---- construction: credentials, base URL, before any request -----------------------------------


@pytest.mark.parametrize("cls", [SarvamClient, AsyncSarvamClient])
def test_missing_key_fails_at_construction_naming_the_variable(cls: type[Any]) -> None:
    with pytest.raises(MissingCredentialsError, match="SARVAM_API_KEY") as caught:
        cls()
    assert caught.value.env_var == "SARVAM_API_KEY"
    with pytest.raises(MissingCredentialsError):
        cls(api_key="")


def test_key_and_base_url_come_from_the_environment(
    emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SARVAM_API_KEY", str(emu.api_key))
    assert SarvamClient().base_url == DEFAULT_BASE_URL  # no request is made by construction
    monkeypatch.setenv("SARVAM_BASE_URL", emu.base_url + "/")
    with SarvamClient(retry=FAST) as client:
        assert client.base_url == emu.base_url
        assert client.get_job_status(emu.ids[0]).job_state is DocDigitizationJobState.COMPLETED


@pytest.mark.parametrize("base_url", ["ftp://example.com", "example.com", "http://"])
def test_bad_base_url_is_invalid_input(base_url: str) -> None:
    with pytest.raises(InvalidInputError, match="SARVAM_BASE_URL"):
        SarvamClient(api_key="k", base_url=base_url)


def test_check_ids_rejects_what_can_never_be_a_job_id() -> None:
    assert SarvamClient.check_ids(["a", "x/../y"]) == ["a", "x/../y"]
    for bad in ([], [""], ["  "], ["a\x00b"], "20260726_abc"):
        with pytest.raises(InvalidInputError):
            SarvamClient.check_ids(bad)


# ---- the job lifecycle ------------------------------------------------------------------------


def test_run_job_end_to_end(emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path) -> None:
    source = tmp_path / "invoice.pdf"
    source.write_bytes(pdf(2))
    states: list[tuple[str, str]] = []
    progress: list[str] = []
    before, storage_before = len(emu.api_requests), len(emu.storage.requests)

    run = sarvam.run_job(
        source,
        dest_dir=tmp_path / "out",
        language="en-IN",
        output_format="html",
        on_status=lambda job, state: states.append((job, state)),
        progress=lambda key, done, total: progress.append(key),
    )

    job = emu.state.job(run.job_id)
    assert (job.language, job.output_format, job.input_name) == ("en-IN", "html", "invoice.pdf")
    assert job.input_data == pdf(2)  # the upload arrived byte for byte
    assert run.outcome.state is DocDigitizationJobState.COMPLETED and run.outcome.warning is None
    assert run.outcome.total_pages == 2
    assert [state for _, state in states] == ["Running", "Completed"]
    assert len(run.files) == 1
    assert_saved(emu, run.files[0], run.job_id)
    assert set(progress) == {f"{run.job_id}/document.zip"}
    sent = calls(emu, before)
    assert sent[:3] == [
        ("POST", JOB_PATH),
        ("POST", f"{JOB_PATH}/upload-files"),
        ("POST", f"{JOB_PATH}/{run.job_id}/start"),
    ]
    assert set(sent[3:-1]) == {("GET", f"{JOB_PATH}/{run.job_id}/status")}
    assert sent[-1] == ("POST", f"{JOB_PATH}/{run.job_id}/download-files")
    put = emu.storage.requests[storage_before]
    assert put.method == "PUT"
    assert put.headers["x-ms-blob-type"] == "BlockBlob"
    assert put.headers["content-type"] == "application/pdf"
    assert put.headers["content-length"] == str(len(pdf(2)))  # sized, not chunked: Azure needs it
    assert "transfer-encoding" not in put.headers
    assert_storage_never_saw_the_key(emu)


@pytest.mark.anyio
async def test_async_run_job_with_a_zip(emu: RunningEmulator, tmp_path: Path) -> None:
    source = tmp_path / "scans.ZIP"
    source.write_bytes(zip_of_images(3))
    states: list[str] = []
    async with make(emu, AsyncSarvamClient) as sarvam:
        run = await sarvam.run_job(
            source,
            dest_dir=tmp_path,
            language=DocDigitizationSupportedLanguage.TA_IN,
            on_status=lambda job, state: states.append(state),
        )
    job = emu.state.job(run.job_id)
    assert (job.language, job.output_format, job.total_pages) == ("ta-IN", "md", 3)
    assert job.input_data == zip_of_images(3)
    assert states == ["Running", "Completed"]
    assert_saved(emu, run.files[0], run.job_id)
    assert_storage_never_saw_the_key(emu)


def test_each_step_returns_the_generated_models(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path
) -> None:
    created = sarvam.create_job(output_format=DocDigitizationOutputFormat.MD)
    assert isinstance(created, DocDigitizationCreateJobResponse)
    assert created.job_state is DocDigitizationJobState.ACCEPTED
    assert re.fullmatch(r"\d{8}_[0-9a-f-]{36}", created.job_id)
    source = tmp_path / "a.pdf"
    source.write_bytes(pdf(3))
    sarvam.upload_file(created.job_id, source)
    assert sarvam.get_job_status(created.job_id).job_state is DocDigitizationJobState.PENDING
    started = sarvam.start_job(created.job_id)
    assert started.job_state is DocDigitizationJobState.RUNNING
    outcome = sarvam.wait_for_job(created.job_id, timeout=10)
    assert (outcome.job_id, outcome.state, outcome.total_pages) == (created.job_id, "Completed", 3)
    links = sarvam.get_download_links(created.job_id)
    assert links.download_urls.additional_keys == ["document.zip"]
    (link,) = sarvam.links([created.job_id])
    assert (link.id, link.name) == (created.job_id, "document.zip")
    assert link.url.startswith(emu.storage.base_url)
    assert httpx.get(link.url, timeout=5).content == output_of(emu, created.job_id)


@pytest.mark.anyio
async def test_async_steps(emu: RunningEmulator, tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(pdf(1))
    async with make(emu, AsyncSarvamClient) as sarvam:
        created = await sarvam.create_job(language="hi-IN")
        await sarvam.upload_file(created.job_id, source)
        assert (await sarvam.start_job(created.job_id)).job_state is DocDigitizationJobState.RUNNING
        outcome = await sarvam.wait_for_job(created.job_id, timeout=10)
        links = await sarvam.links([created.job_id, created.job_id])  # duplicates asked once
    assert outcome.state is DocDigitizationJobState.COMPLETED
    assert [(link.id, link.name) for link in links] == [(created.job_id, "document.zip")]


def test_upload_streams_a_large_file_in_chunks(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = pdf(2, padding=2 * UPLOAD_CHUNK + 12345)
    source = tmp_path / "big.pdf"
    source.write_bytes(data)
    reads: list[int] = []
    real_open = Path.open

    def spying_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        handle = real_open(self, *args, **kwargs)
        if self == source:
            read = handle.read

            def counted_read(size: int = -1) -> bytes:
                reads.append(size)
                chunk: bytes = read(size)
                return chunk

            handle.read = counted_read
        return handle

    monkeypatch.setattr(Path, "open", spying_open)
    job_id = sarvam.create_job().job_id
    sarvam.upload_file(job_id, source)
    assert emu.state.job(job_id).input_data == data
    assert reads and all(0 < size <= UPLOAD_CHUNK for size in reads)  # never read(-1): never whole
    assert len(reads) >= 3


@pytest.mark.parametrize("delta", [1, -1])
@pytest.mark.anyio
async def test_a_file_that_changes_size_during_upload_is_abandoned(
    emu: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delta: int
) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(pdf(1, padding=UPLOAD_CHUNK))
    real = sarvam_jobs.check_input_file

    def stale_size(path: Any) -> InputFile:  # as if the file grew or shrank after it was checked
        checked = real(path)
        return InputFile(checked.path, checked.name, checked.size + delta, checked.content_type)

    monkeypatch.setattr(sync_sarvam_module, "check_input_file", stale_size)
    monkeypatch.setattr(async_sarvam_module, "check_input_file", stale_size)
    with make(emu) as sarvam:
        job_id = sarvam.create_job().job_id
        with pytest.raises(InputChangedError, match="changed size"):
            sarvam.upload_file(job_id, source)
    async with make(emu, AsyncSarvamClient) as asarvam:
        other = (await asarvam.create_job()).job_id
        with pytest.raises(InputChangedError):
            await asarvam.upload_file(other, source)
    assert emu.state.job(job_id).input_data is None and emu.state.job(other).input_data is None


@pytest.mark.parametrize("name", ["photo.png", "notes.txt", "archive.tar.gz", "pdf"])
def test_input_extension_is_checked_before_any_request(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    source.write_bytes(pdf(1))
    before = len(emu.api_requests)
    with pytest.raises(InvalidInputError, match=r"\.pdf or \.zip"):
        sarvam.upload_file("any-job", source)
    with pytest.raises(InvalidInputError, match=r"\.pdf or \.zip"):
        sarvam.run_job(source, dest_dir=tmp_path)
    assert len(emu.api_requests) == before


def test_other_bad_inputs_are_refused_before_any_request(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path
) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "folder.zip").mkdir()
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf(1))
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    before = len(emu.api_requests)
    bad_calls: list[tuple[Any, str]] = [
        (lambda: sarvam.upload_file("j", tmp_path / "missing.pdf"), "no such file"),
        (lambda: sarvam.upload_file("j", tmp_path / "empty.pdf"), "empty"),
        (lambda: sarvam.upload_file("j", tmp_path / "folder.zip"), "not a regular file"),
        (lambda: sarvam.upload_file("", good), "job id"),
        (lambda: sarvam.create_job(language="xx-XX"), "unknown language"),
        (lambda: sarvam.create_job(output_format="json"), "unknown output format"),
        (lambda: sarvam.create_job(callback_url="http://hook.example"), "https"),
        (lambda: sarvam.run_job(good, dest_dir=a_file), "not a directory"),
        (lambda: sarvam.run_job(good, dest_dir=tmp_path, timeout=-1), "timeout"),
        (lambda: sarvam.download(["j"], a_file), "not a directory"),
        (lambda: sarvam.download(["j"], tmp_path, concurrency=0), "concurrency"),
        (lambda: sarvam.download(["j"], tmp_path, wait_timeout=-1), "wait_timeout"),
        (lambda: sarvam.links([]), "no job id"),
    ]
    for bad_call, message in bad_calls:
        with pytest.raises(InvalidInputError, match=message):
            bad_call()
    assert len(emu.api_requests) == before


def test_job_ids_are_percent_encoded_in_paths(emu: RunningEmulator, sarvam: SarvamClient) -> None:
    before = len(emu.api_requests)
    with pytest.raises(NotFoundError):
        sarvam.get_job_status("x/../../nope")
    with pytest.raises(NotFoundError):
        sarvam.start_job("a?b#c")
    raw = [r.raw_path for r in emu.api_requests[before:]]
    assert raw == [f"{JOB_PATH}/x%2F..%2F..%2Fnope/status", f"{JOB_PATH}/a%3Fb%23c/start"]


# ---- typed errors -----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_wrong_key_is_a_typed_auth_error(emu: RunningEmulator, tmp_path: Path) -> None:
    with make(emu, api_key="sk_wrong") as sarvam, pytest.raises(InvalidApiKeyError) as caught:
        sarvam.get_job_status(emu.ids[0])
    error = caught.value
    assert isinstance(error, AuthenticationError) and isinstance(error, PermissionDeniedError)
    assert (error.status_code, error.code) == (403, "invalid_api_key_error")
    assert error.message == "Invalid API subscription key"
    assert error.request_id and re.fullmatch(r"\d{8}_[0-9a-f-]{36}", error.request_id)
    async with make(emu, AsyncSarvamClient, api_key="sk_wrong") as asarvam:
        with pytest.raises(AuthenticationError, match="Invalid API subscription key"):
            await asarvam.create_job()
        results = await asarvam.download([emu.ids[0]], tmp_path / "out")
    assert isinstance(results[0].error, InvalidApiKeyError)
    assert not (tmp_path / "out").exists()  # nothing to save: the destination is left alone


def test_api_errors_keep_sarvams_code_and_message(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError) as missing:
        sarvam.get_download_links("20260101_00000000-0000-4000-8000-000000000000")
    assert missing.value.code == "not_found_error"
    job_id = sarvam.create_job().job_id
    with pytest.raises(BadRequestError, match="upload it before starting") as early:
        sarvam.start_job(job_id)
    assert early.value.code == "invalid_request_error"
    source = tmp_path / "long.pdf"
    source.write_bytes(pdf(11))
    sarvam.upload_file(job_id, source)
    with pytest.raises(UnprocessableEntityError, match="PDF has 11 pages, maximum allowed is 10") as over:
        sarvam.start_job(job_id)
    assert over.value.code == "max_page_limit_exceeded"


def test_failed_job_raises_with_its_message(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path
) -> None:
    failed = emu.state.failed_id
    with pytest.raises(JobFailedError, match="no page could be processed") as waited:
        sarvam.wait_for_job(failed, timeout=5)
    assert waited.value.job_id == failed
    with pytest.raises(JobFailedError, match="no page could be processed"):
        sarvam.links([failed])
    (result,) = sarvam.download([failed], tmp_path)
    assert result.id == failed and isinstance(result.error, JobFailedError)
    assert result.error.message == "Document processing failed: no page could be processed"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.anyio
async def test_run_job_that_fails_raises(emu: RunningEmulator, tmp_path: Path) -> None:
    emu.state.default_outcome = "Failed"
    source = tmp_path / "blank.pdf"
    source.write_bytes(pdf(1))
    async with make(emu, AsyncSarvamClient) as sarvam:
        with pytest.raises(JobFailedError, match="no page could be processed"):
            await sarvam.run_job(source, dest_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_partially_completed_saves_the_output_and_names_the_failed_pages(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path
) -> None:
    partial = emu.state.partial_id
    outcome = sarvam.wait_for_job(partial, timeout=5)
    assert outcome.partial and outcome.state is DocDigitizationJobState.PARTIALLY_COMPLETED
    assert [page.page_number for page in outcome.failed_pages] == [2]
    assert (outcome.pages_failed, outcome.total_pages) == (1, 3)
    (result,) = sarvam.download([partial], tmp_path)
    assert_saved(emu, result, partial)
    assert result.warning == outcome.warning
    assert result.warning is not None and "1 of 3 pages failed" in result.warning
    assert "page 2: page_processing_failed" in result.warning


@pytest.mark.anyio
async def test_async_partially_completed(emu: RunningEmulator, tmp_path: Path) -> None:
    async with make(emu, AsyncSarvamClient) as sarvam:
        (result,) = await sarvam.download([emu.state.partial_id], tmp_path)
    assert_saved(emu, result, emu.state.partial_id)
    assert result.warning and "page 2" in result.warning


def test_waiting_times_out_with_the_last_state(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path
) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(pdf(1))
    pending = sarvam.create_job().job_id
    sarvam.upload_file(pending, source)  # uploaded but never started: stays Pending
    with pytest.raises(PollingTimeoutError) as caught:
        sarvam.wait_for_job(pending, timeout=0.1)
    last = caught.value.last_state
    assert isinstance(last, DocDigitizationJobStatusResponse)
    assert last.job_state is DocDigitizationJobState.PENDING
    (result,) = sarvam.download([pending], tmp_path, wait_timeout=0.1)
    assert isinstance(result.error, PollingTimeoutError) and "Pending" in str(result.error)


@pytest.mark.anyio
async def test_a_job_with_no_input_is_reported_at_once(emu: RunningEmulator, tmp_path: Path) -> None:
    async with make(emu, AsyncSarvamClient) as sarvam:
        accepted = (await sarvam.create_job()).job_id
        with pytest.raises(JobNotStartedError, match="upload a file"):
            await sarvam.wait_for_job(accepted, timeout=30)
        (result,) = await sarvam.download([accepted], tmp_path, wait_timeout=30)
    assert isinstance(result.error, JobNotStartedError)


# ---- retries ----------------------------------------------------------------------------------


def test_read_only_calls_are_retried(emu: RunningEmulator, sarvam: SarvamClient) -> None:
    job_id = emu.ids[0]
    before = len(emu.api_requests)
    emu.faults.fail_next(2, 503)
    assert sarvam.get_job_status(job_id).job_state is DocDigitizationJobState.COMPLETED
    emu.faults.fail_next(2, 500)
    assert sarvam.get_download_links(job_id).job_id == job_id  # a POST, but read-only
    assert (
        calls(emu, before)
        == [("GET", f"{JOB_PATH}/{job_id}/status")] * 3
        + [("POST", f"{JOB_PATH}/{job_id}/download-files")] * 3
    )


@pytest.mark.anyio
async def test_state_changing_posts_are_retried_only_when_refused(emu: RunningEmulator) -> None:
    async with make(emu, AsyncSarvamClient) as sarvam:
        before = len(emu.api_requests)
        emu.faults.fail_next(1, 500)
        with pytest.raises(ServerError):
            await sarvam.create_job()  # the job may exist: never repeated
        assert calls(emu, before) == [("POST", JOB_PATH)]
        emu.faults.fail_next(1, 429, retry_after=0)
        created = await sarvam.create_job()  # a 429 was refused, so repeating it is safe
        assert calls(emu, before)[1:] == [("POST", JOB_PATH)] * 2
        emu.faults.fail_next(1, 502)
        with pytest.raises(ServerError):
            await sarvam.start_job(created.job_id)
        assert calls(emu, before)[-1] == ("POST", f"{JOB_PATH}/{created.job_id}/start")
        emu.faults.fail_next(5, 429, retry_after=0)
        with pytest.raises(RateLimitError):
            await sarvam.get_job_status(created.job_id)  # attempts are bounded


def test_a_non_json_5xx_is_a_retried_server_error() -> None:
    """A proxy's HTML 503 must not become a validation error (the spec's error model is never used)."""
    seen: list[int] = []

    def proxy(request: httpx.Request) -> httpx.Response:
        seen.append(1)
        return httpx.Response(503, text="<html>Service Unavailable</html>", headers={"x-request-id": "r1"})

    through = httpx.Client(transport=httpx.MockTransport(proxy))
    with (
        SarvamClient(api_key="k", base_url="http://proxy.test", retry=FAST, http_client=through) as sarvam,
        pytest.raises(ServerError) as caught,
    ):
        sarvam.get_job_status("job")
    assert len(seen) == FAST.max_attempts
    assert caught.value.message == "<html>Service Unavailable</html>" and caught.value.request_id == "r1"


def test_expired_links_and_upload_urls_are_refreshed(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path
) -> None:
    job_id = emu.ids[1]
    before = len(emu.api_requests)
    emu.faults.fail_next(1, 403, where="storage")  # the storage host refuses the first signed URL
    (result,) = sarvam.download([job_id], tmp_path)
    assert_saved(emu, result, job_id)
    assert calls(emu, before).count(("POST", f"{JOB_PATH}/{job_id}/download-files")) == 2

    source = tmp_path / "in.pdf"
    source.write_bytes(pdf(1))
    created = sarvam.create_job().job_id
    before = len(emu.api_requests)
    emu.faults.fail_next(1, 403, where="storage")
    sarvam.upload_file(created, source)
    assert calls(emu, before) == [("POST", f"{JOB_PATH}/upload-files")] * 2
    assert emu.state.job(created).input_data == pdf(1)
    emu.faults.fail_next(2, 403, where="storage")
    with pytest.raises(PermissionDeniedError) as refused:
        sarvam.upload_file(created, source)
    assert (refused.value.code, refused.value.message) == ("InternalError", "Injected fault: Forbidden")
    assert_storage_never_saw_the_key(emu)


@pytest.mark.anyio
async def test_async_link_refresh(emu: RunningEmulator, tmp_path: Path) -> None:
    job_id = emu.ids[0]
    before = len(emu.api_requests)
    emu.faults.fail_next(1, 403, where="storage")
    async with make(emu, AsyncSarvamClient) as sarvam:
        (result,) = await sarvam.download([job_id], tmp_path)
    assert_saved(emu, result, job_id)
    assert calls(emu, before).count(("POST", f"{JOB_PATH}/{job_id}/download-files")) == 2


# ---- the uniform interface --------------------------------------------------------------------


def test_download_many_jobs_in_order_with_per_job_failures(
    emu: RunningEmulator, sarvam: SarvamClient, tmp_path: Path
) -> None:
    first, second = emu.ids
    unknown = "20260101_11111111-1111-4111-8111-111111111111"
    states: list[tuple[str, str]] = []
    progress: set[str] = set()
    results = sarvam.download(
        [second, unknown, emu.state.failed_id, first, second],
        tmp_path,
        on_status=lambda job, state: states.append((job, state)),
        progress=lambda key, done, total: progress.add(key),
    )
    assert [r.id for r in results] == [second, unknown, emu.state.failed_id, first]
    assert_saved(emu, results[0], second)
    assert isinstance(results[1].error, NotFoundError)
    assert isinstance(results[2].error, JobFailedError)
    assert_saved(emu, results[3], first)
    assert set(states) == {(second, "Completed"), (first, "Completed"), (emu.state.failed_id, "Failed")}
    assert progress == {f"{first}/document.zip", f"{second}/document.zip"}
    again = sarvam.download([first], tmp_path)
    assert isinstance(again[0].error, DestinationExistsError)
    assert sarvam.download([first], tmp_path, overwrite=True)[0].ok
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"{first}_document.zip", f"{second}_document.zip"]
    )
    assert_storage_never_saw_the_key(emu)


@pytest.mark.anyio
async def test_async_download_waits_for_running_jobs(emu: RunningEmulator, tmp_path: Path) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(pdf(2))
    states: list[tuple[str, str]] = []
    async with make(emu, AsyncSarvamClient) as sarvam:
        started = []
        for _ in range(2):
            job_id = (await sarvam.create_job()).job_id
            await sarvam.upload_file(job_id, source)
            await sarvam.start_job(job_id)
            started.append(job_id)
        results = await sarvam.download(
            started, tmp_path / "out", on_status=lambda job, state: states.append((job, state))
        )
    for job_id, result in zip(started, results, strict=True):
        assert_saved(emu, result, job_id)
        assert (job_id, "Completed") in states


def test_an_async_url_factory_is_refused_by_a_sync_batch(tmp_path: Path) -> None:
    """The core addition this client relies on: async batches accept coroutine URL factories."""

    async def fresh_url() -> str:
        return "http://127.0.0.1:9/never-requested"

    (result,) = download_many([DownloadItem(id="a", url=fresh_url)], tmp_path)
    assert isinstance(result.error, InvalidInputError) and "async" in str(result.error)


def test_link_expiry_reads_azure_sas() -> None:
    url = "https://x.blob.core.windows.net/c/document.zip?sv=2023-01-03&se=2026-07-26T11%3A00%3A00Z&sig=abc"
    assert link_expiry(url) == datetime(2026, 7, 26, 11, 0, tzinfo=UTC)
    assert link_expiry("https://x/y?se=2026-07-26T11:00:00") == datetime(2026, 7, 26, 11, 0, tzinfo=UTC)
    assert link_expiry("https://x/y?se=tomorrow") is None
    assert link_expiry("https://x/y") is None


# ---- the README's Sarvam examples, taken from README.md: outcomes other than success ----------


def test_readme_examples(
    emu: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The success path of every README block runs in tests/docs; here, the Sarvam ones with a partly
    and a wholly failed job, and with a key Sarvam refuses."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SARVAM_API_KEY", str(emu.api_key))
    monkeypatch.setenv("SARVAM_BASE_URL", emu.base_url)
    (tmp_path / "invoice.pdf").write_bytes(pdf(2))
    (tmp_path / "scans.zip").write_bytes(zip_of_images(2))
    script, digitise = (
        readme_blocks.find("Sarvam (Document Intelligence jobs)", 0),
        readme_blocks.find("Sarvam (Document Intelligence jobs)", 1),
    )

    readme_blocks.run(script, {"job_ids": [emu.state.partial_id, emu.state.failed_id]})
    readme_blocks.run(digitise, {})

    printed = capsys.readouterr().out
    assert printed.count("saved") == 3
    assert f"{emu.state.failed_id} failed: job {emu.state.failed_id} failed: Document processing" in printed
    assert "1 of 3 pages failed" in printed
    assert "Running" in printed and "Completed 2 pages" in printed
    assert len(list((tmp_path / "out").iterdir())) == 3
    monkeypatch.setenv("SARVAM_API_KEY", "sk_wrong")
    readme_blocks.run(script, {"job_ids": [emu.ids[0]]})
    printed = capsys.readouterr().out
    assert "check SARVAM_API_KEY: Invalid API subscription key" in printed
    assert f"{emu.ids[0]} failed: HTTP 403 [invalid_api_key_error]" in printed
