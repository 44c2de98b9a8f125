"""Emulator of the API2Convert API v2 job endpoints (specs/api2convert/openapi.yaml).

Auth: `X-Api2convert-Api-Key` (alias `X-Oc-Api-Key`) for the account, or a job's `X-Api2convert-Token`
(alias `X-Oc-Token`) for that one job. Errors are `{"message", "code"?, "errors"?}`. Output URIs are plain
storage URLs that need no credential (a job's download password aside); they accept `?encoding=base64`.
Jobs, passwords, refused links: see api2convert_state. A conversion target or category not in
api2convert_catalog is refused with 400 "Invalid input." at POST /jobs and PATCH, as the real API does.
`config.output_checksum` picks the algorithm and spelling of OutputFile.checksum (md5 hex by default).

Drift (`config.drift`, see drift.py): jobs pass through `postprocessing` before their outcome; job type
`job` is reported as `conversion`, input type `remote` as `url`, input status `downloading` / `ready` as
`fetching` / `processed`; outputs have no `filename` (the name is only in the `uri` path, as recorded
real job responses have) and no content_type or downloads_counter; warnings, limits, server, spent,
callback and status.info are left out; created_at/modified_at carry +05:30.
"""

# No `from __future__ import annotations`: FastAPI must resolve the route-local `Caller` alias at runtime.
import hmac
import json
from dataclasses import dataclass
from typing import Annotated
from typing import Any

from docfetch_emulator_models.api2convert import Error
from docfetch_emulator_models.api2convert import JobRequest
from fastapi import APIRouter
from fastapi import Depends
from fastapi import FastAPI
from fastapi import Query
from fastapi import Request
from fastapi import Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ._framework import EmulatorContext
from ._framework import ProviderApp
from .api2convert_catalog import conversion_problems
from .api2convert_state import Api2ConvertState
from .api2convert_state import EmulatedJob
from .api2convert_state import JobConflict
from .drift import DriftRules

BASE_PATH = "/v2"
PAGE_SIZE = 50
KEY_HEADERS = ("x-api2convert-api-key", "x-oc-api-key")
TOKEN_HEADERS = ("x-api2convert-token", "x-oc-token")
UNAUTHORIZED = "No API key or invalid API key given."
NOT_FOUND = "The specified job does not exists."
CONFLICT = "The status of the job could not be changed since it is in a invalid status."
EMPTY_BODY = "The JSON body is empty"
EMPTY_BODY_CODE = 8  # the upstream Error example: {"code": 8, "message": "The JSON body is empty"}
INVALID_INPUT = "Invalid input."
DRIFT = DriftRules(
    new_values={
        "type": {"job": "conversion", "remote": "url"},
        "status": {"downloading": "fetching", "ready": "processed"},
    },
    omit=frozenset(
        {"filename", "content_type", "downloads_counter", "warnings", "limits", "server", "spent"}
        | {"callback", "info"}
    ),
    timestamps=frozenset({"created_at", "modified_at"}),
    maps=frozenset({"options", "metadata", "parameters", "credentials", "errors"}),
)


class ApiFailure(Exception):
    """An error response in the provider's shape."""

    def __init__(
        self, status: int, message: str, code: int | None = None, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = Error(code=code, message=message, errors=errors)


@dataclass(frozen=True)
class Access:
    """Who is calling: the account (API key) or the holder of one job's token."""

    account: bool
    job_id: str | None = None


def error_body(status: int, message: str) -> dict[str, Any]:
    return Error(message=message).model_dump(mode="json", exclude_none=True)


def build(ctx: EmulatorContext) -> ProviderApp:
    api_key = ctx.seeded_id("api-key", 32)
    state = Api2ConvertState(ctx, api_key)
    state.seed()
    app = FastAPI(title="API2Convert emulator", openapi_url=None, docs_url=None, redoc_url=None)
    install_error_handlers(app)
    app.include_router(routes(state))
    return ProviderApp(
        app=app,
        base_path=BASE_PATH,
        credentials={"api_key": api_key},
        ids=[state.completed_job_id],
        error_body=error_body,
        auth_headers=lambda: {"X-Api2convert-Api-Key": api_key},
        state=state,
        drift_rules=DRIFT,
    )


def install_error_handlers(app: FastAPI) -> None:
    async def api_failure(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiFailure)
        return json_response(exc.body, exc.status)

    async def invalid_request(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        failure = invalid_input(exc.errors())
        return json_response(failure.body, failure.status)

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return json_response(Error(message=str(exc.detail)), exc.status_code)

    app.add_exception_handler(ApiFailure, api_failure)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)


def routes(state: Api2ConvertState) -> APIRouter:
    router = APIRouter(prefix=BASE_PATH)

    def authenticate(request: Request) -> Access:
        key = first_header(request, KEY_HEADERS)
        if key is not None:
            if hmac.compare_digest(key.encode("latin-1"), state.api_key.encode()):
                return Access(account=True)
            raise ApiFailure(401, UNAUTHORIZED)
        token = first_header(request, TOKEN_HEADERS)
        job = state.find_by_token(token) if token else None
        if job is None:
            raise ApiFailure(401, UNAUTHORIZED)
        return Access(account=False, job_id=job.id)

    Caller = Annotated[Access, Depends(authenticate)]

    def job_for(access: Access, job_id: str) -> EmulatedJob:
        if not access.account and access.job_id != job_id:
            raise ApiFailure(401, UNAUTHORIZED)
        job = state.find(job_id)
        if job is None:
            raise ApiFailure(404, NOT_FOUND)
        return job

    @router.get("/jobs")
    async def list_jobs(
        access: Caller,
        status: Annotated[str | None, Query()] = None,
        page: Annotated[int, Query(ge=1)] = 1,
    ) -> Response:
        jobs = state.jobs() if access.account else [job_for(access, access.job_id or "")]
        if status is not None:
            jobs = [job for job in jobs if state.status_code(job) == status]
        chunk = jobs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        if not chunk:
            return Response(status_code=204, headers={"X-Count": str(len(jobs))})
        body = [state.render(job).model_dump(mode="json", exclude_none=True) for job in chunk]
        return JSONResponse(body, headers={"X-Count": str(len(jobs))})

    @router.post("/jobs")
    async def create_job(access: Caller, request: Request) -> Response:
        if not access.account:
            raise ApiFailure(401, UNAUTHORIZED)  # a job token cannot create jobs
        payload = await read_json(request)
        if not payload:
            return Response(status_code=204)  # upstream: 204 "The JSON body is empty."
        job = state.create(parse_job_request(payload))
        return json_response(state.render(job), 201)

    @router.get("/jobs/{job_id}")
    async def get_job(access: Caller, job_id: str) -> Response:
        return json_response(state.render(job_for(access, job_id)))

    @router.patch("/jobs/{job_id}")
    async def update_job(access: Caller, job_id: str, request: Request) -> Response:
        job = job_for(access, job_id)
        payload = await read_json(request)
        if not payload:
            raise ApiFailure(400, EMPTY_BODY, code=EMPTY_BODY_CODE)
        try:
            state.update(job, parse_job_request(payload))
        except JobConflict as exc:
            raise ApiFailure(409, CONFLICT, errors={"status": str(exc)}) from exc
        return json_response(state.render(job))

    @router.get("/jobs/{job_id}/output")
    async def list_job_outputs(
        access: Caller,
        job_id: str,
        conversion_id: Annotated[str | None, Query()] = None,
        input_id: Annotated[str | None, Query()] = None,
    ) -> Response:
        outputs = state.render_outputs(job_for(access, job_id))
        if conversion_id is not None:
            outputs = [o for o in outputs if o.source is not None and o.source.conversion == conversion_id]
        if input_id is not None:
            outputs = [o for o in outputs if o.source is not None and input_id in (o.source.input or [])]
        return JSONResponse([output.model_dump(mode="json", exclude_none=True) for output in outputs])

    return router


def first_header(request: Request, names: tuple[str, ...]) -> str | None:
    return next((request.headers[name] for name in names if name in request.headers), None)


async def read_json(request: Request) -> Any:
    """The decoded body; None when there is none. Malformed JSON is a 400."""
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ApiFailure(400, INVALID_INPUT, errors={"body": f"Invalid JSON: {exc}"}) from exc


def parse_job_request(payload: Any) -> JobRequest:
    """The validated request; unknown conversion targets or categories are a 400 like schema errors."""
    try:
        request = JobRequest.model_validate(payload)
    except ValidationError as exc:
        raise invalid_input(exc.errors()) from exc
    problems = conversion_problems(request.conversion or [])
    if problems:
        raise ApiFailure(400, INVALID_INPUT, errors=problems)
    return request


def invalid_input(errors: Any) -> ApiFailure:
    """400 with one message per invalid field ("conversion.0.target": "Field required")."""
    fields: dict[str, str] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        fields[".".join(location) or "body"] = str(error.get("msg", "Invalid value"))
    return ApiFailure(400, INVALID_INPUT, errors=fields)


def json_response(model: BaseModel, status: int = 200) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json", exclude_none=True), status_code=status)
