"""The generated Sarvam client and the official sarvamai SDK against the Sarvam emulator (real sockets).

For every curated operation: the request the generated client sends (method, path, headers, body) and
how it parses the documented success and error responses. Emulator-only behaviour is in
test_sarvam_emulator.py.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx
import pytest
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.testing import FakeClock
from docfetch_sarvam_client import Client
from docfetch_sarvam_client.api.jobs import create_job
from docfetch_sarvam_client.api.jobs import get_download_links
from docfetch_sarvam_client.api.jobs import get_job_status
from docfetch_sarvam_client.api.jobs import start_job
from docfetch_sarvam_client.api.jobs import upload_files
from docfetch_sarvam_client.models import DocDigitizationCreateJobRequest
from docfetch_sarvam_client.models import DocDigitizationCreateJobResponse
from docfetch_sarvam_client.models import DocDigitizationDownloadFilesResponse
from docfetch_sarvam_client.models import DocDigitizationErrorCode
from docfetch_sarvam_client.models import DocDigitizationErrorMessage
from docfetch_sarvam_client.models import DocDigitizationJobDetail
from docfetch_sarvam_client.models import DocDigitizationJobDetailState
from docfetch_sarvam_client.models import DocDigitizationJobParameters
from docfetch_sarvam_client.models import DocDigitizationJobState
from docfetch_sarvam_client.models import DocDigitizationJobStatusResponse
from docfetch_sarvam_client.models import DocDigitizationOutputFormat
from docfetch_sarvam_client.models import DocDigitizationSupportedLanguage
from docfetch_sarvam_client.models import DocDigitizationUploadFilesRequest
from docfetch_sarvam_client.models import DocDigitizationUploadFilesResponse
from docfetch_sarvam_client.models import StorageContainerType

KEY_HEADER = "api-subscription-key"
START = 1_785_000_000.0  # 2026-07-25T17:20:00Z: job ids start with 20260725_
JOB_ID = re.compile(r"^\d{8}_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TWO_PAGE_PDF = b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>> endobj\n2 0 obj <</Type /Page>> endobj\n" + (
    b"3 0 obj <</Type/Page>> endobj\n%%EOF\n"
)


# One emulator for the module (starting and stopping servers dominates the run time). Tests only move
# the clock forward, seeded jobs are already finished and links live for an hour, so they stay independent.
@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture(scope="module")
def emu(clock: FakeClock) -> Iterator[RunningEmulator]:
    with run_emulator("sarvam", clock=clock, job_step=1.0, file_size=4096) as running:
        yield running


@pytest.fixture(autouse=True)
def _reset_faults(emu: RunningEmulator) -> Iterator[None]:
    yield
    emu.faults.reset()


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
def client(emu: RunningEmulator, sent: list[httpx.Request]) -> Iterator[Client]:
    with Client(
        base_url=emu.base_url,
        headers=emu.auth_headers(),
        timeout=httpx.Timeout(5.0),
        httpx_args={"event_hooks": {"request": [sent.append]}},
    ) as built:
        yield built


def bad_key_client(emu: RunningEmulator) -> Client:
    return Client(base_url=emu.base_url, headers={KEY_HEADER: "sk_wrong"}, timeout=httpx.Timeout(5.0))


def new_job(client: Client) -> str:
    body = DocDigitizationCreateJobRequest(job_parameters=DocDigitizationJobParameters())
    created = create_job.sync(client=client, body=body)
    assert isinstance(created, DocDigitizationCreateJobResponse)
    return created.job_id


def upload(client: Client, job_id: str, name: str = "in.pdf", data: bytes = TWO_PAGE_PDF) -> None:
    body = DocDigitizationUploadFilesRequest(job_id=job_id, files=[name])
    answer = upload_files.sync(client=client, body=body)
    assert isinstance(answer, DocDigitizationUploadFilesResponse)
    put = httpx.put(answer.upload_urls[name].file_url, content=data, headers={"x-ms-blob-type": "BlockBlob"})
    assert put.status_code == 201


def only_detail(status: DocDigitizationJobStatusResponse) -> DocDigitizationJobDetail:
    assert isinstance(status.job_details, list) and len(status.job_details) == 1
    return status.job_details[0]


def assert_error(parsed: Any, code: DocDigitizationErrorCode) -> DocDigitizationErrorMessage:
    assert isinstance(parsed, DocDigitizationErrorMessage)
    assert parsed.error.code is code
    assert re.match(r"^\d{8}_[0-9a-f-]{36}$", str(parsed.error.request_id))
    return parsed


# ---- requests the generated client sends, and the success responses it parses ----


def test_create_job_request_and_response(
    emu: RunningEmulator, client: Client, sent: list[httpx.Request]
) -> None:
    params = DocDigitizationJobParameters(
        language=DocDigitizationSupportedLanguage.EN_IN, output_format=DocDigitizationOutputFormat.HTML
    )
    response = create_job.sync_detailed(
        client=client, body=DocDigitizationCreateJobRequest(job_parameters=params)
    )

    request = sent[-1]
    assert (request.method, request.url.path) == ("POST", "/doc-digitization/job/v1")
    assert request.headers[KEY_HEADER] == emu.api_key
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"job_parameters": {"language": "en-IN", "output_format": "html"}}
    assert response.status_code == HTTPStatus.ACCEPTED
    parsed = response.parsed
    assert isinstance(parsed, DocDigitizationCreateJobResponse)
    assert JOB_ID.match(parsed.job_id)
    assert parsed.job_id.startswith("20260725_")  # the creation date, from the emulator's clock
    assert parsed.job_state is DocDigitizationJobState.ACCEPTED
    assert parsed.storage_container_type is StorageContainerType.AZURE_V1
    assert parsed.job_parameters.language is DocDigitizationSupportedLanguage.EN_IN
    assert parsed.job_parameters.output_format is DocDigitizationOutputFormat.HTML


def test_create_job_defaults_to_hindi_markdown(client: Client) -> None:
    body = DocDigitizationCreateJobRequest(job_parameters=DocDigitizationJobParameters())
    parsed = create_job.sync(client=client, body=body)
    assert isinstance(parsed, DocDigitizationCreateJobResponse)
    assert parsed.job_parameters.language is DocDigitizationSupportedLanguage.HI_IN
    assert parsed.job_parameters.output_format is DocDigitizationOutputFormat.MD


def test_upload_files_request_and_response(
    emu: RunningEmulator, client: Client, sent: list[httpx.Request]
) -> None:
    job_id = new_job(client)
    body = DocDigitizationUploadFilesRequest(job_id=job_id, files=["scan.pdf"])
    response = upload_files.sync_detailed(client=client, body=body)

    request = sent[-1]
    assert (request.method, request.url.path) == ("POST", "/doc-digitization/job/v1/upload-files")
    assert request.headers[KEY_HEADER] == emu.api_key
    assert json.loads(request.content) == {"job_id": job_id, "files": ["scan.pdf"]}
    assert response.status_code == HTTPStatus.OK
    parsed = response.parsed
    assert isinstance(parsed, DocDigitizationUploadFilesResponse)
    assert (parsed.job_id, parsed.job_state) == (job_id, DocDigitizationJobState.ACCEPTED)
    assert parsed.upload_urls.additional_keys == ["scan.pdf"]
    url = parsed.upload_urls["scan.pdf"].file_url
    assert url.startswith(emu.storage.base_url)
    assert httpx.put(url, content=TWO_PAGE_PDF, headers={"x-ms-blob-type": "BlockBlob"}).status_code == 201
    status = get_job_status.sync(job_id, client=client)
    assert isinstance(status, DocDigitizationJobStatusResponse)
    assert status.job_state is DocDigitizationJobState.PENDING


def test_start_job_request_and_response(
    emu: RunningEmulator, client: Client, sent: list[httpx.Request]
) -> None:
    job_id = new_job(client)
    upload(client, job_id)
    response = start_job.sync_detailed(job_id, client=client)

    request = sent[-1]
    assert (request.method, request.url.path) == ("POST", f"/doc-digitization/job/v1/{job_id}/start")
    assert request.headers[KEY_HEADER] == emu.api_key
    assert request.content == b""
    assert response.status_code == HTTPStatus.ACCEPTED
    parsed = response.parsed
    assert isinstance(parsed, DocDigitizationJobStatusResponse)
    assert parsed.job_state is DocDigitizationJobState.RUNNING
    assert only_detail(parsed).state is DocDigitizationJobDetailState.RUNNING
    assert only_detail(parsed).total_pages == 2


def test_get_job_status_request_and_response(
    emu: RunningEmulator, client: Client, sent: list[httpx.Request], clock: FakeClock
) -> None:
    job_id = new_job(client)
    upload(client, job_id, "pages.pdf")
    start_job.sync(job_id, client=client)
    clock.now += 2.0
    response = get_job_status.sync_detailed(job_id, client=client)

    request = sent[-1]
    assert (request.method, request.url.path) == ("GET", f"/doc-digitization/job/v1/{job_id}/status")
    assert request.headers[KEY_HEADER] == emu.api_key
    assert response.status_code == HTTPStatus.OK
    parsed = response.parsed
    assert isinstance(parsed, DocDigitizationJobStatusResponse)
    assert parsed.job_state is DocDigitizationJobState.COMPLETED
    assert (parsed.total_files, parsed.successful_files_count, parsed.failed_files_count) == (1, 1, 0)
    assert parsed.created_at.timestamp() == pytest.approx(clock.now - 2.0)
    assert parsed.updated_at >= parsed.created_at
    detail = only_detail(parsed)
    assert detail.state is DocDigitizationJobDetailState.SUCCESS
    assert [(f.file_name, f.file_id) for f in detail.inputs] == [("pages.pdf", "0")]
    assert [f.file_name for f in detail.outputs] == ["document.zip"]
    assert (detail.total_pages, detail.pages_processed, detail.pages_succeeded, detail.pages_failed) == (
        2,
        2,
        2,
        0,
    )
    assert detail.error_code is None


def test_get_job_status_partial_and_failed_seeds(emu: RunningEmulator, client: Client) -> None:
    partial = get_job_status.sync(emu.state.partial_id, client=client)
    assert isinstance(partial, DocDigitizationJobStatusResponse)
    assert partial.job_state is DocDigitizationJobState.PARTIALLY_COMPLETED
    detail = only_detail(partial)
    assert detail.state is DocDigitizationJobDetailState.PARTIAL_SUCCESS
    assert (detail.pages_succeeded, detail.pages_failed) == (2, 1)
    assert isinstance(detail.page_errors, list)
    assert [e.page_number for e in detail.page_errors] == [2]

    failed = get_job_status.sync(emu.state.failed_id, client=client)
    assert isinstance(failed, DocDigitizationJobStatusResponse)
    assert failed.job_state is DocDigitizationJobState.FAILED
    assert failed.error_message
    assert only_detail(failed).state is DocDigitizationJobDetailState.FAILED
    assert failed.failed_files_count == 1


def test_get_download_links_request_and_response(
    emu: RunningEmulator, client: Client, sent: list[httpx.Request]
) -> None:
    job_id = emu.ids[0]
    response = get_download_links.sync_detailed(job_id, client=client)

    request = sent[-1]
    assert (request.method, request.url.path) == ("POST", f"/doc-digitization/job/v1/{job_id}/download-files")
    assert request.headers[KEY_HEADER] == emu.api_key
    assert response.status_code == HTTPStatus.OK
    parsed = response.parsed
    assert isinstance(parsed, DocDigitizationDownloadFilesResponse)
    assert (parsed.job_id, parsed.job_state) == (job_id, DocDigitizationJobState.COMPLETED)
    assert parsed.error_code is None and parsed.error_message is None
    assert parsed.download_urls.additional_keys == ["document.zip"]
    link = parsed.download_urls["document.zip"]
    assert link.file_metadata is None
    fetched = httpx.get(link.file_url)
    assert fetched.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(fetched.content)).namelist()
    assert names == ["document.md", "metadata/page_001.json", "metadata/page_002.json"]


def test_job_ids_are_percent_encoded_in_paths(client: Client, sent: list[httpx.Request]) -> None:
    parsed = get_job_status.sync("x/../../nope", client=client)
    assert sent[-1].url.raw_path == b"/doc-digitization/job/v1/x%2F..%2F..%2Fnope/status"
    assert_error(parsed, DocDigitizationErrorCode.NOT_FOUND_ERROR)


# ---- documented error responses parse into DocDigitizationErrorMessage ----


def call_each_operation(client: Client, job_id: str) -> dict[str, Any]:
    """The parsed result of every operation (job_id names a job where the operation needs one)."""
    body = DocDigitizationCreateJobRequest(job_parameters=DocDigitizationJobParameters())
    files = DocDigitizationUploadFilesRequest(job_id=job_id, files=["a.pdf"])
    return {
        "create_job": create_job.sync_detailed(client=client, body=body),
        "upload_files": upload_files.sync_detailed(client=client, body=files),
        "start_job": start_job.sync_detailed(job_id, client=client),
        "get_job_status": get_job_status.sync_detailed(job_id, client=client),
        "get_download_links": get_download_links.sync_detailed(job_id, client=client),
    }


def test_every_operation_parses_403_invalid_key(emu: RunningEmulator) -> None:
    with bad_key_client(emu) as client:
        results = call_each_operation(client, emu.ids[0])
    for name, response in results.items():
        assert response.status_code == HTTPStatus.FORBIDDEN, name
        assert_error(response.parsed, DocDigitizationErrorCode.INVALID_API_KEY_ERROR)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (429, DocDigitizationErrorCode.RATE_LIMIT_EXCEEDED_ERROR),
        (500, DocDigitizationErrorCode.INTERNAL_SERVER_ERROR),
        (503, DocDigitizationErrorCode.HIGH_LOAD_ERROR),
    ],
)
def test_every_operation_parses_injected_server_errors(
    emu: RunningEmulator, client: Client, status: int, code: DocDigitizationErrorCode
) -> None:
    emu.faults.fail_next(5, status, retry_after=1)
    for name, response in call_each_operation(client, emu.ids[0]).items():
        assert response.status_code == status, name
        assert response.headers["retry-after"] == "1"
        assert_error(response.parsed, code)


def test_every_job_operation_parses_404_unknown_job(client: Client) -> None:
    results = call_each_operation(client, "20260725_00000000-0000-4000-8000-000000000000")
    del results["create_job"]
    for name, response in results.items():
        assert response.status_code == HTTPStatus.NOT_FOUND, name
        assert_error(response.parsed, DocDigitizationErrorCode.NOT_FOUND_ERROR)


def test_400_responses_parse(emu: RunningEmulator, client: Client) -> None:
    job_id = new_job(client)
    png = upload_files.sync_detailed(
        client=client, body=DocDigitizationUploadFilesRequest(job_id=job_id, files=["photo.png"])
    )
    assert png.status_code == HTTPStatus.BAD_REQUEST
    assert (
        "photo.png" in assert_error(png.parsed, DocDigitizationErrorCode.INVALID_REQUEST_ERROR).error.message
    )

    not_uploaded = start_job.sync_detailed(job_id, client=client)
    assert not_uploaded.status_code == HTTPStatus.BAD_REQUEST
    assert_error(not_uploaded.parsed, DocDigitizationErrorCode.INVALID_REQUEST_ERROR)

    failed = get_download_links.sync_detailed(emu.state.failed_id, client=client)
    assert failed.status_code == HTTPStatus.BAD_REQUEST
    assert (
        "Failed" in assert_error(failed.parsed, DocDigitizationErrorCode.INVALID_REQUEST_ERROR).error.message
    )


def test_422_responses_parse(client: Client) -> None:
    corrupt = new_job(client)
    upload(client, corrupt, data=b"not a pdf")
    response = start_job.sync_detailed(corrupt, client=client)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert_error(response.parsed, DocDigitizationErrorCode.UNPROCESSABLE_ENTITY_ERROR)

    too_long = new_job(client)
    upload(client, too_long, data=b"%PDF-1.7\n" + b"<</Type /Page>>\n" * 11)
    response = start_job.sync_detailed(too_long, client=client)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    parsed = assert_error(response.parsed, DocDigitizationErrorCode.MAX_PAGE_LIMIT_EXCEEDED)
    assert parsed.error.message == "PDF has 11 pages, maximum allowed is 10"


# ---- the official SDK (sarvamai) parses the emulator's answers ----


@pytest.fixture(scope="module")
def sdk(emu: RunningEmulator) -> Any:
    from sarvamai import SarvamAI
    from sarvamai.environment import SarvamAIEnvironment

    env = SarvamAIEnvironment(
        base=emu.base_url, creative=emu.base_url + "/dubbing", production="ws://127.0.0.1:9"
    )
    return SarvamAI(api_subscription_key=emu.api_key, environment=env, timeout=5)


def test_sdk_get_status_and_download_links(emu: RunningEmulator, sdk: Any) -> None:
    for job_id, state in [(emu.ids[0], "Completed"), (emu.state.partial_id, "PartiallyCompleted")]:
        status = sdk.document_intelligence.get_status(job_id=job_id)
        assert (status.job_id, status.job_state) == (job_id, state)
        links = sdk.document_intelligence.get_download_links(job_id=job_id)
        assert list(links.download_urls) == ["document.zip"]
        assert httpx.get(links.download_urls["document.zip"].file_url).status_code == 200
    failed = sdk.document_intelligence.get_status(job_id=emu.state.failed_id)
    assert failed.job_state == "Failed" and failed.job_details[0].page_errors


def test_sdk_whole_job_workflow(emu: RunningEmulator, sdk: Any, clock: FakeClock, tmp_path: Path) -> None:
    source = tmp_path / "letter.pdf"
    source.write_bytes(TWO_PAGE_PDF)
    job = sdk.document_intelligence.create_job(language="en-IN", output_format="md")
    assert JOB_ID.match(job.job_id)
    job.upload_file(str(source))  # PUT to the storage origin with x-ms-blob-type: BlockBlob
    assert job.start().job_state == "Running"
    clock.now += 2.0
    assert job.wait_until_complete(poll_interval=0.01, timeout=5).job_state == "Completed"
    assert job.get_page_metrics() == {
        "total_pages": 2,
        "pages_processed": 2,
        "pages_succeeded": 2,
        "pages_failed": 0,
    }
    saved = Path(job.download_output(str(tmp_path / "out.zip")))
    assert zipfile.ZipFile(saved).namelist()[0] == "document.md"
    upload_put = [r for r in emu.storage.requests if r.method == "PUT"][-1]
    assert upload_put.headers["x-ms-blob-type"] == "BlockBlob"
    assert KEY_HEADER not in upload_put.headers


def test_sdk_errors(emu: RunningEmulator, sdk: Any) -> None:
    from sarvamai.core.api_error import ApiError
    from sarvamai.errors import BadRequestError

    with pytest.raises(ApiError) as unknown:
        sdk.document_intelligence.get_status(job_id="20260725_00000000-0000-4000-8000-000000000000")
    assert unknown.value.status_code == 404
    with pytest.raises(BadRequestError) as failed:
        sdk.document_intelligence.get_download_links(job_id=emu.state.failed_id)
    assert failed.value.body["error"]["code"] == "invalid_request_error"
