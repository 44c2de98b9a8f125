"""Veridox emulator: POST /files/download, GET /files, GET /files/asset-url (see specs/veridox).

Behaves like the real API where the docs say how: `x-api-key` checked first (401), body and query
validated with Veridox's error shape (400, never FastAPI's 422), partial success for the bulk download,
20 requests a minute per key on POST /files/download (429 + Retry-After), signed URLs on the storage
origin. Choices the docs leave open are listed in specs/veridox/PROVENANCE.md.

Drift (`config.drift`, see drift.py): labels come without their file extension ("passport-scan"); the
storage origin still names the file (Content-Disposition "passport-scan.jpg") and types it (Content-Type
image/jpeg). analysis_status `processing` is reported as `in_analysis`; case_label, mime_type,
thumbnail_url, current_risk_score and current_analysis_phase are left out; timestamps carry +05:30.
"""

from __future__ import annotations

from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Annotated
from typing import Any
from uuid import UUID

from docfetch_emulator_models.veridox import ApiError
from docfetch_emulator_models.veridox import ApiErrorDetails
from docfetch_emulator_models.veridox import AssetType
from docfetch_emulator_models.veridox import AssetUrl
from docfetch_emulator_models.veridox import DownloadFilesRequest
from docfetch_emulator_models.veridox import DownloadFilesResponse
from docfetch_emulator_models.veridox import FileDownloadError
from docfetch_emulator_models.veridox import FileDownloadLink
from docfetch_emulator_models.veridox import FileList
from docfetch_emulator_models.veridox import FilesAssetUrlGetParametersQuery
from docfetch_emulator_models.veridox import FilesGetParametersQuery
from docfetch_emulator_models.veridox import FileSortBy
from docfetch_emulator_models.veridox import FileSummary
from docfetch_emulator_models.veridox import SortOrder
from fastapi import FastAPI
from fastapi import Query
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.responses import Response
from pydantic import AnyUrl
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from ._framework import EmulatorContext
from ._framework import ProviderApp
from .drift import DriftRules
from .drift import without_extension
from .veridox_state import ERROR_NOT_FOUND
from .veridox_state import ERROR_NOT_OWNED
from .veridox_state import ERROR_NOT_UPLOADED
from .veridox_state import MAIN_ORG
from .veridox_state import VeridoxFile
from .veridox_state import VeridoxState
from .veridox_state import retry_after_seconds

API_KEY_HEADER = "x-api-key"
ASSET_TTL_RATIO = 0.5  # asset URLs live 30 min where download URLs live 60 (V4 vs V1)

# Default error code per status, for errors without a more specific code (injected faults included).
ERROR_CODES: dict[int, str] = {
    400: "request.validation",
    401: "request.authentication.api-key.invalid",
    403: "request.forbidden",
    404: "request.not-found",
    405: "request.method-not-allowed",
    409: "request.conflict",
    429: "request.rate-limit",
    500: "server.internal-error",
    503: "server.unavailable",
}
INVALID_KEY_MESSAGE = "The provided API key is invalid."
EXPIRED_KEY_MESSAGE = "The provided API key has expired."
RATE_LIMIT_MESSAGE = "Too many requests. Please try again later."
ASSET_NOT_FOUND = "request.cases.case-file.asset-not-found"

DRIFT = DriftRules(
    new_values={"analysis_status": {"processing": "in_analysis"}},
    omit=frozenset(
        {"case_label", "mime_type", "thumbnail_url", "current_risk_score", "current_analysis_phase"}
    ),
    timestamps=frozenset({"expires_at", "uploaded_at", "created_at"}),
)

# Labels of the seeded files that are ready to download (one case, "KYC onboarding").
SEEDED_READY = (
    "bank-statement-2024-03.pdf",
    "passport-scan.jpg",
    "payslip-february.pdf",
    "utility-bill.pdf",
    "drivers-licence.png",
)


def error_body(
    status: int, message: str, code: str | None = None, details: dict[str, Any] | None = None
) -> Any:
    """Veridox's error body: {error_code, error_message, error_details?}."""
    error = ApiError(
        error_code=code or ERROR_CODES.get(status, f"request.http-{status}"),
        error_message=message,
        error_details=None if details is None else ApiErrorDetails(**details),
    )
    return error.model_dump(mode="json", exclude_none=True)


def error_response(
    status: int,
    message: str,
    code: str | None = None,
    *,
    details: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(status, message, code, details), status_code=status, headers=headers)


def _json(model: BaseModel) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"))


def _timestamp(seconds: float) -> datetime:
    # Whole seconds, rounded down, so a reported expiry is never later than the real one.
    return datetime.fromtimestamp(int(seconds), tz=UTC)


def build(ctx: EmulatorContext) -> ProviderApp:
    state = VeridoxState(ctx)
    ready = state.add_files(len(SEEDED_READY), labels=list(SEEDED_READY), case_label="KYC onboarding")
    waiting = state.add_file("proof-of-address.pdf", case_label="KYC onboarding", uploaded=False)
    foreign = state.add_file("other-org-contract.pdf", case_label="Other organisation", owned=False)
    state.seeded = {"ready": ready, "waiting_for_upload": [waiting], "not_owned": [foreign]}
    app = _make_app(ctx, state)
    return ProviderApp(
        app=app,
        base_path="",
        credentials={"api_key": state.api_key},
        ids=list(ready),
        error_body=lambda status, message: error_body(status, message),
        auth_headers=lambda: {API_KEY_HEADER: state.api_key},
        state=state,
        drift_rules=DRIFT,
    )


def _make_app(ctx: EmulatorContext, state: VeridoxState) -> FastAPI:
    app = FastAPI(title="Veridox emulator", openapi_url=None, docs_url=None, redoc_url=None)

    @app.exception_handler(RequestValidationError)
    async def validation_failed(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": [str(part) for part in error["loc"]], "message": error["msg"]}
            for error in exc.errors()
        ]
        first = errors[0] if errors else {"location": [], "message": "Invalid request"}
        message = f"Invalid request: {'.'.join(first['location'])}: {first['message']}"
        return error_response(400, message, details={"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=exc.headers)

    @app.middleware("http")
    async def authenticate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # Authentication and the per-key rate limit come before routing and validation (API gateway order).
        key = request.headers.get(API_KEY_HEADER)
        status, org = state.key_status(key)
        if status == "expired":
            return error_response(401, EXPIRED_KEY_MESSAGE, "request.authentication.api-key.expired")
        if org is None or key is None:
            return error_response(401, INVALID_KEY_MESSAGE)
        if request.method == "POST" and request.url.path == "/files/download":
            wait = state.take_rate_slot(key)
            if wait is not None:
                return error_response(
                    429, RATE_LIMIT_MESSAGE, headers={"Retry-After": str(retry_after_seconds(wait))}
                )
        request.state.org = org
        return await call_next(request)

    @app.post("/files/download")
    async def download_files(request: Request, body: DownloadFilesRequest) -> JSONResponse:
        org: str = request.state.org
        links: list[FileDownloadLink] = []
        failures: list[FileDownloadError] = []
        for file_id in dict.fromkeys(item.root.lower() for item in body.file_ids):  # repeated ids count once
            ownership, file = state.lookup(file_id, org)
            if file is None:
                reason = ERROR_NOT_FOUND if ownership == "missing" else ERROR_NOT_OWNED
                failures.append(FileDownloadError(file_id=UUID(file_id), error=reason))
            elif not state.has_asset(file, AssetType.file_download):
                failures.append(FileDownloadError(file_id=UUID(file_id), error=ERROR_NOT_UPLOADED))
            else:
                url, expires_at = _signed(ctx, state, file, AssetType.file_download, ctx.config.link_ttl)
                label = reported_label(ctx, len(links), file)
                links.append(
                    FileDownloadLink(
                        file_id=UUID(file.file_id), download_url=url, expires_at=expires_at, label=label
                    )
                )
        return _json(DownloadFilesResponse(files=links, errors=failures))

    @app.get("/files")
    async def list_files(
        request: Request, query: Annotated[FilesGetParametersQuery, Query()]
    ) -> JSONResponse:
        files = _sorted(state, state.owned_files(request.state.org), query.sort_by, query.sort_order)
        offset, limit = query.offset or 0, query.limit or 50
        page = files[offset : offset + limit]
        summaries = [_summary(state, ctx, file, position) for position, file in enumerate(page)]
        return _json(FileList(files=summaries, total=len(files)))

    @app.get("/files/asset-url")
    async def get_asset_url(
        request: Request, query: Annotated[FilesAssetUrlGetParametersQuery, Query()]
    ) -> JSONResponse:
        _, file = state.lookup(query.file_id, request.state.org)
        if file is None or not state.has_asset(file, query.asset):
            # Another organisation's file looks exactly like a missing asset: nothing leaks.
            message = f"The {query.asset.value} asset is not available for this file."
            return error_response(404, message, ASSET_NOT_FOUND)
        url, expires_at = _signed(ctx, state, file, query.asset, ctx.config.link_ttl * ASSET_TTL_RATIO)
        return _json(AssetUrl(url=AnyUrl(url), expires_at=expires_at))

    return app


def reported_label(ctx: EmulatorContext, position: int, file: VeridoxFile) -> str:
    """The label the API shows: hostile under that fault; without its extension in drift mode."""
    label = ctx.faults.report_name(position, file.label)
    return without_extension(label) if ctx.config.drift else label


def _signed(
    ctx: EmulatorContext, state: VeridoxState, file: VeridoxFile, asset: AssetType, ttl: float
) -> tuple[str, datetime]:
    storage_key = state.object_key(file.file_id, asset)
    issued = ctx.clock()
    return ctx.storage.signed_url(storage_key, ttl=ttl), _timestamp(issued + ttl)


def _sorted(
    state: VeridoxState, files: list[VeridoxFile], sort_by: FileSortBy | None, order: SortOrder | None
) -> list[VeridoxFile]:
    if sort_by is FileSortBy.risk_score:

        def key(file: VeridoxFile) -> tuple[float, int]:
            score = state.analysis(file).risk_score
            return (-1.0 if score is None else float(score), file.sequence)  # unscored files rank lowest
    else:

        def key(file: VeridoxFile) -> tuple[float, int]:
            return (file.created_at, file.sequence)

    return sorted(files, key=key, reverse=order is not SortOrder.asc)


def _summary(state: VeridoxState, ctx: EmulatorContext, file: VeridoxFile, position: int) -> FileSummary:
    view = state.analysis(file)
    thumbnail = None
    if state.has_asset(file, AssetType.thumbnail):
        thumbnail = _signed(ctx, state, file, AssetType.thumbnail, ctx.config.link_ttl * ASSET_TTL_RATIO)[0]
    return FileSummary(
        file_id=UUID(file.file_id),
        case_id=UUID(file.case_id),
        case_label=file.case_label,
        label=reported_label(ctx, position, file),
        mime_type=file.mime_type,
        thumbnail_url=thumbnail,
        current_risk_score=view.risk_score,
        analysis_status=view.status,
        analysis_outcome=view.outcome,
        current_analysis_phase=view.phase,
        uploaded_at=None if file.uploaded_at is None else datetime.fromtimestamp(file.uploaded_at, tz=UTC),
        created_at=datetime.fromtimestamp(file.created_at, tz=UTC),
    )


__all__ = ["API_KEY_HEADER", "MAIN_ORG", "build", "error_body"]
