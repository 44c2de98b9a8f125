"""Emulator of Sarvam AI's Document Intelligence job API (legacy `/doc-digitization/job/v1`).

Lifecycle: create (Accepted) -> upload-files hands out a presigned PUT URL on the storage origin; the
client PUTs the bytes with `x-ms-blob-type: BlockBlob` (Pending) -> start validates the input (Running)
-> after RUN_STEPS * config.job_step the job is Completed, PartiallyCompleted or Failed -> download-files
returns a signed storage URL for the single `document.zip`. Errors use Sarvam's shape
`{"error": {"message", "code", "request_id"}}`; auth failures are 403 and body validation errors 400,
as on the live API. Jobs and their outcomes are driven by `SarvamState` (see sarvam_state.py).

Faults: `hostile_names` renames the reported output file; `wrong_checksum` has nothing to act on, since
Sarvam reports no checksum. Webhook callbacks are validated (HTTPS only) and stored, but never called.
Credits exhausted: `faults.fail_next(1, 429, body=insufficient_quota_body())` (code insufficient_quota_error).

Drift (`config.drift`, see drift.py): a started job reports `Finalizing` (not in the spec) for one
job_step after Running, before its outcome; storage_container_type `Azure_V1` is reported as `Azure_V2`;
total_files, successful_files_count, failed_files_count, pages_processed and file_metadata are left out;
created_at/updated_at carry +05:30.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Awaitable
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

from docfetch_emulator_models.sarvam import DocDigitizationCreateJobRequest
from docfetch_emulator_models.sarvam import DocDigitizationCreateJobResponse
from docfetch_emulator_models.sarvam import DocDigitizationDownloadFilesResponse
from docfetch_emulator_models.sarvam import DocDigitizationErrorCode
from docfetch_emulator_models.sarvam import DocDigitizationErrorDetails
from docfetch_emulator_models.sarvam import DocDigitizationErrorMessage
from docfetch_emulator_models.sarvam import DocDigitizationJobDetail
from docfetch_emulator_models.sarvam import DocDigitizationJobDetailState
from docfetch_emulator_models.sarvam import DocDigitizationJobParameters
from docfetch_emulator_models.sarvam import DocDigitizationJobState
from docfetch_emulator_models.sarvam import DocDigitizationJobStatusResponse
from docfetch_emulator_models.sarvam import DocDigitizationOutputFormat
from docfetch_emulator_models.sarvam import DocDigitizationPageError
from docfetch_emulator_models.sarvam import DocDigitizationSupportedLanguage
from docfetch_emulator_models.sarvam import DocDigitizationUploadFilesRequest
from docfetch_emulator_models.sarvam import DocDigitizationUploadFilesResponse
from docfetch_emulator_models.sarvam import FileSignedURLDetails
from docfetch_emulator_models.sarvam import StorageContainerType
from docfetch_emulator_models.sarvam import TaskFileDetails
from fastapi import FastAPI
from fastapi import Request
from fastapi import Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ._framework import EmulatorContext
from ._framework import ProviderApp
from .drift import DriftRules
from .sarvam_state import DOWNLOADABLE
from .sarvam_state import FINALIZING
from .sarvam_state import OUTPUT_NAME
from .sarvam_state import PAGE_ERROR_CODE
from .sarvam_state import InputRejected
from .sarvam_state import SarvamJob
from .sarvam_state import SarvamState
from .storage import UploadRejection

PREFIX = "/doc-digitization/job/v1"
API_KEY_HEADER = "api-subscription-key"
STORAGE_TYPE = StorageContainerType.azure_v1  # what the live API reports
INPUT_SUFFIXES = (".pdf", ".zip")
QUOTA_MESSAGE = "Insufficient credits: your quota is exhausted. Add credits to continue."  # our wording
DRIFT = DriftRules(
    new_values={"storage_container_type": {"Azure_V1": "Azure_V2"}},
    omit=frozenset(
        {"total_files", "successful_files_count", "failed_files_count", "pages_processed", "file_metadata"}
    ),
    timestamps=frozenset({"created_at", "updated_at"}),
    maps=frozenset({"download_urls", "upload_urls"}),
)

_CODE_BY_STATUS: dict[int, DocDigitizationErrorCode] = {
    400: DocDigitizationErrorCode.invalid_request_error,
    401: DocDigitizationErrorCode.invalid_api_key_error,
    403: DocDigitizationErrorCode.invalid_api_key_error,
    404: DocDigitizationErrorCode.not_found_error,
    422: DocDigitizationErrorCode.unprocessable_entity_error,
    429: DocDigitizationErrorCode.rate_limit_exceeded_error,
    503: DocDigitizationErrorCode.high_load_error,
}
_DETAIL_STATE: dict[str, DocDigitizationJobDetailState] = {
    "Accepted": DocDigitizationJobDetailState.pending,
    "Pending": DocDigitizationJobDetailState.pending,
    "Running": DocDigitizationJobDetailState.running,
    "Completed": DocDigitizationJobDetailState.success,
    "PartiallyCompleted": DocDigitizationJobDetailState.partial_success,
    "Failed": DocDigitizationJobDetailState.failed,
}


class SarvamError(Exception):
    """An API error answered in Sarvam's error shape."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    """Sarvam's error body; the code defaults to the one its errors page gives for `status`."""
    default = _CODE_BY_STATUS.get(
        status,
        DocDigitizationErrorCode.internal_server_error
        if status >= 500
        else DocDigitizationErrorCode.invalid_request_error,
    )
    request_id = f"{datetime.now(UTC):%Y%m%d}_{uuid.uuid4()}"
    details = DocDigitizationErrorDetails(
        message=message, code=DocDigitizationErrorCode(code) if code else default, request_id=request_id
    )
    return DocDigitizationErrorMessage(error=details).model_dump(mode="json")


def insufficient_quota_body(message: str = QUOTA_MESSAGE) -> dict[str, Any]:
    """Sarvam's 429 body when the account's credits are exhausted (code insufficient_quota_error)."""
    return error_body(429, message, DocDigitizationErrorCode.insufficient_quota_error.value)


def _error_response(status: int, message: str, code: str | None = None, headers: Any = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, code), status_code=status, headers=headers)


def build(ctx: EmulatorContext) -> ProviderApp:
    state = SarvamState(ctx)
    state.completed_ids = [
        state.add_job("Completed", pages=2, output_format="md", input_name="invoice.pdf"),
        state.add_job("Completed", pages=3, output_format="html", input_name="scans.zip"),
    ]
    state.partial_id = state.add_job(
        "PartiallyCompleted", pages=3, failed_pages=(2,), input_name="report.pdf"
    )
    state.failed_id = state.add_job("Failed", pages=1, input_name="blank.pdf")

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    _install_error_handlers(app, state)
    _add_routes(app, state, ctx)
    return ProviderApp(
        app=app,
        base_path="",
        credentials={"api_key": state.api_key},
        ids=list(state.completed_ids),
        error_body=error_body,
        auth_headers=lambda: {API_KEY_HEADER: state.api_key},
        state=state,
        drift_rules=DRIFT,
    )


def _install_error_handlers(app: FastAPI, state: SarvamState) -> None:
    @app.middleware("http")
    async def check_api_key(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        supplied = request.headers.get(API_KEY_HEADER)
        if not supplied:
            return _error_response(403, f"Missing {API_KEY_HEADER} header")
        if not hmac.compare_digest(supplied.encode(), state.api_key.encode()):
            return _error_response(403, "Invalid API subscription key")
        return await call_next(request)

    @app.exception_handler(SarvamError)
    async def sarvam_error(request: Request, exc: SarvamError) -> JSONResponse:
        return _error_response(exc.status, exc.message, exc.code)

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, exc: RequestValidationError) -> JSONResponse:
        # The live API reports pydantic errors as 400 "body.<path> : <message>".
        parts = [f"{'.'.join(str(p) for p in error['loc'])} : {error['msg']}" for error in exc.errors()]
        return _error_response(400, "; ".join(parts) or "Invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error_response(exc.status_code, str(exc.detail), headers=exc.headers)


def _add_routes(app: FastAPI, state: SarvamState, ctx: EmulatorContext) -> None:
    def job_or_404(job_id: str) -> SarvamJob:
        job = state.find(job_id)
        if job is None:
            raise SarvamError(404, f"Job {job_id} not found")
        return job

    @app.post(PREFIX, status_code=202)
    def create_job(body: DocDigitizationCreateJobRequest) -> DocDigitizationCreateJobResponse:
        language = body.job_parameters.language or DocDigitizationSupportedLanguage.hi_in
        output_format = body.job_parameters.output_format or DocDigitizationOutputFormat.md
        callback = body.callback
        if callback is not None and callback.url.scheme != "https":
            raise SarvamError(400, "body.callback.url : Callback URL must use HTTPS")
        job = state.create(language.value, output_format.value, str(callback.url) if callback else None)
        return DocDigitizationCreateJobResponse(
            job_id=job.job_id,
            storage_container_type=STORAGE_TYPE,
            job_parameters=DocDigitizationJobParameters(language=language, output_format=output_format),
            job_state=DocDigitizationJobState(job.phase),
        )

    @app.post(PREFIX + "/upload-files")
    def upload_files(body: DocDigitizationUploadFilesRequest) -> DocDigitizationUploadFilesResponse:
        job = job_or_404(body.job_id)
        name = body.files[0]
        if not name.lower().endswith(INPUT_SUFFIXES):
            raise SarvamError(400, f"Unsupported file '{name}': upload exactly one .pdf or .zip file")
        if job.phase not in ("Accepted", "Pending"):
            raise SarvamError(400, f"Files can only be uploaded before the job starts; job is {job.phase}")

        def receive(data: bytes, headers: dict[str, str]) -> UploadRejection | None:
            if headers.get("x-ms-blob-type") != "BlockBlob":
                return UploadRejection(
                    400,
                    "MissingRequiredHeader",
                    "An HTTP header that's mandatory for this request is not specified.",
                )
            if not state.receive_upload(job.job_id, name, data):
                return UploadRejection(
                    409, "JobAlreadyStarted", "The job has started; its input is read-only."
                )
            return None

        url = ctx.storage.signed_upload_url(name, receive)
        return DocDigitizationUploadFilesResponse(
            job_id=job.job_id,
            job_state=DocDigitizationJobState(job.phase),
            upload_urls={name: FileSignedURLDetails(file_url=url, file_metadata=None)},
            storage_container_type=STORAGE_TYPE,
        )

    @app.post(PREFIX + "/{job_id}/start", status_code=202)
    def start_job(job_id: str) -> DocDigitizationJobStatusResponse:
        job = job_or_404(job_id)
        if job.phase == "Accepted":
            raise SarvamError(400, "No file has been uploaded for this job; upload it before starting")
        if job.phase != "Pending":
            raise SarvamError(400, f"Job has already been started; it is {job.phase}")
        try:
            state.start(job)
        except InputRejected as rejected:
            status = 400 if rejected.code == "invalid_request_error" else 422
            raise SarvamError(status, rejected.message, rejected.code) from None
        return _status(state, job)

    @app.get(PREFIX + "/{job_id}/status")
    def get_job_status(job_id: str) -> Response:
        job = job_or_404(job_id)
        body = _status(state, job).model_dump(mode="json", by_alias=True)
        if state.finalizing(job):  # drift: a state the spec does not list, rendered past the model
            body["job_state"] = FINALIZING
        return JSONResponse(body)

    @app.post(PREFIX + "/{job_id}/download-files")
    def get_download_links(job_id: str) -> DocDigitizationDownloadFilesResponse:
        job = job_or_404(job_id)
        if job.phase not in DOWNLOADABLE or job.output_key is None:
            phase = FINALIZING if state.finalizing(job) else job.phase
            raise SarvamError(
                400,
                f"Job is {phase}: output is available only for Completed or PartiallyCompleted jobs",
            )
        url = ctx.storage.signed_url(job.output_key)
        return DocDigitizationDownloadFilesResponse(
            job_id=job.job_id,
            job_state=DocDigitizationJobState(job.phase),
            storage_container_type=STORAGE_TYPE,
            download_urls={ctx.faults.report_name(0, OUTPUT_NAME): FileSignedURLDetails(file_url=url)},
            error_code=None,
            error_message=None,
        )


def _status(state: SarvamState, job: SarvamJob) -> DocDigitizationJobStatusResponse:
    details: list[DocDigitizationJobDetail] = []
    if job.input_name is not None:
        failed = job.phase == "Failed"
        pages = range(1, job.total_pages + 1) if failed else job.failed_pages
        shown_errors = job.phase in ("PartiallyCompleted", "Failed")
        details.append(
            DocDigitizationJobDetail(
                inputs=[TaskFileDetails(file_name=job.input_name, file_id="0")],
                outputs=[TaskFileDetails(file_name=OUTPUT_NAME, file_id="0")] if job.output_key else [],
                state=_DETAIL_STATE[job.phase],
                total_pages=job.total_pages,
                pages_processed=state.pages_processed(job),
                pages_succeeded=job.total_pages - job.pages_failed if job.phase in DOWNLOADABLE else 0,
                pages_failed=job.pages_failed if shown_errors else 0,
                error_message=job.error_message if failed else "",
                error_code=PAGE_ERROR_CODE if failed else None,
                page_errors=[
                    DocDigitizationPageError(
                        page_number=n,
                        error_code=PAGE_ERROR_CODE,
                        error_message=f"Page {n} could not be processed",
                    )
                    for n in (pages if shown_errors else ())
                    if 1 <= n <= job.total_pages
                ],
            )
        )
    return DocDigitizationJobStatusResponse(
        job_id=job.job_id,
        job_state=DocDigitizationJobState(job.phase),
        created_at=datetime.fromtimestamp(job.created_at, UTC),
        updated_at=datetime.fromtimestamp(job.updated_at, UTC),
        storage_container_type=STORAGE_TYPE,
        total_files=1 if job.input_name is not None else 0,
        successful_files_count=1 if job.phase in DOWNLOADABLE else 0,
        failed_files_count=1 if job.phase == "Failed" else 0,
        error_message=job.error_message if job.phase == "Failed" else "",
        job_details=details,
    )
