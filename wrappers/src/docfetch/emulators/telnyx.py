"""Telnyx Documents emulator: GET /v2/documents, /documents/{id}, /documents/{id}/download and
/documents/{id}/download_link (see specs/telnyx).

Behaves like the real API where the docs say how: `Authorization: Bearer <API key>` checked first (401,
code 10009), every error in the `{errors: [...]}` wrapper (never FastAPI's default 422 body), unknown
document ids 404 (10005), page[number]/page[size] pagination with PaginationMeta, documents ordered by
created_at descending, temporary pre-signed links on the separate storage origin. Choices the docs leave
open (malformed ids, filters, the antivirus scan timing) are listed in specs/telnyx/PROVENANCE.md.

Rate limits: `faults.fail_next(n, 429, retry_after=s, retry_header="x-ratelimit-reset")` answers as the
Telnyx docs describe (x-ratelimit-reset: seconds until the window resets), without Retry-After.

Drift (`config.drift`, see drift.py): review status `pending` is reported as `under_review`, antivirus
`pending_scan` / `not_scanned` as `scan_queued` / `scan_skipped` (scanned and infected keep their names);
customer_reference, content_type, record_type and updated_at are left out; created_at carries +05:30.
"""

from __future__ import annotations

import hmac
import math
from collections.abc import Iterable
from collections.abc import Mapping
from operator import attrgetter
from typing import Any
from uuid import UUID

from docfetch_emulator_models.telnyx import DocServiceDocument
from docfetch_emulator_models.telnyx import DocServiceDocumentSize
from docfetch_emulator_models.telnyx import DocumentDownloadLink
from docfetch_emulator_models.telnyx import DocumentDownloadLinkResponse
from docfetch_emulator_models.telnyx import DocumentListResponse
from docfetch_emulator_models.telnyx import DocumentResponse
from docfetch_emulator_models.telnyx import DocumentsGetParametersQuery
from docfetch_emulator_models.telnyx import DocumentSortField
from docfetch_emulator_models.telnyx import Error
from docfetch_emulator_models.telnyx import ErrorResponse
from docfetch_emulator_models.telnyx import ErrorSource
from docfetch_emulator_models.telnyx import PaginationMeta
from fastapi import APIRouter
from fastapi import FastAPI
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.responses import Response
from pydantic import AnyUrl
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ._asgi import ASGIApp
from ._asgi import Receive
from ._asgi import Scope
from ._asgi import Send
from ._asgi import content_disposition
from ._asgi import header_dict
from ._asgi import send_json
from ._framework import EmulatorContext
from ._framework import ProviderApp
from .drift import DriftRules
from .file_body import FaultyBody
from .telnyx_state import TelnyxDocument
from .telnyx_state import TelnyxState
from .telnyx_state import iso8601

BASE_PATH = "/v2"
ERROR_DOCS_URL = "https://developers.telnyx.com/docs/overview/errors/{code}"

# Telnyx error codes (T4): (code, title, documented detail), by HTTP status.
ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("10015", "Bad Request", "The request failed because it was not well-formed."),
    401: (
        "10009",
        "Authentication failed",
        "The required authentication headers were either invalid or not included in the request.",
    ),
    403: (
        "10010",
        "Authorization failed",
        "You do not have permission to perform the requested action on the specified resource or resources.",
    ),
    404: ("10005", "Resource not found", "The requested resource or URL could not be found."),
    408: ("10008", "Request timeout", "The request timed out."),
    422: ("10015", "Bad Request", "The request failed because it was not well-formed."),
    429: ("10011", "Too many requests", "You have exceeded the maximum number of allowed requests."),
}
DRIFT = DriftRules(
    new_values={
        "status": {"pending": "under_review"},
        "av_scan_status": {"pending_scan": "scan_queued", "not_scanned": "scan_skipped"},
    },
    omit=frozenset({"customer_reference", "content_type", "record_type", "updated_at"}),
    timestamps=frozenset({"created_at", "updated_at"}),
)
UNEXPECTED = ("10007", "Unexpected error", "An unexpected error occured.")
INVALID_ID = ("10006", "Invalid ID", "The resource ID provided was invalid.")

# Query parameters of GET /documents that take one value (the last one wins, as in most frameworks).
SCALAR_QUERY = (
    "page[number]",
    "page[size]",
    "filter[filename][contains]",
    "filter[customer_reference][eq]",
    "filter[created_at][gt]",
    "filter[created_at][lt]",
)


def telnyx_error(
    code: str, title: str, detail: str, *, parameter: str | None = None, with_url: bool = True
) -> Error:
    return Error(
        code=code,
        title=title,
        detail=detail,
        source=ErrorSource(parameter=parameter) if parameter is not None else None,
        # T5's 429 example carries no meta; every other documented body links the error page.
        meta={"url": ERROR_DOCS_URL.format(code=code)} if with_url else None,
    )


def dump(model: Any) -> Any:
    return model.model_dump(mode="json", exclude_none=True, by_alias=True)


def error_body(status: int, message: str | None = None) -> Any:
    """Telnyx's error body for `status`: {errors: [{code, title, detail, meta: {url}}]}."""
    code, title, detail = ERRORS.get(status, UNEXPECTED if status >= 500 else ERRORS[400])
    error = telnyx_error(code, title, message or detail, with_url=status != 429)
    return dump(ErrorResponse(errors=[error]))


def error_response(status: int, errors: list[Error]) -> JSONResponse:
    return JSONResponse(dump(ErrorResponse(errors=errors)), status_code=status)


def not_found() -> JSONResponse:
    return JSONResponse(error_body(404), status_code=404)


class BearerAuth:
    """Checks `Authorization: Bearer <key>` before routing, so a bad key wins over any other error."""

    def __init__(self, app: ASGIApp, api_key: str) -> None:
        self.app = app
        self.api_key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._authorised(header_dict(scope).get("authorization")):
            await send_json(send, 401, error_body(401))
            return
        await self.app(scope, receive, send)

    def _authorised(self, header: str | None) -> bool:
        scheme, _, token = (header or "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode(), self.api_key.encode()
        )


def validation_errors(problems: Iterable[Mapping[str, Any]]) -> list[Error]:
    """pydantic/FastAPI validation problems as Telnyx errors, naming the offending parameter."""
    errors: list[Error] = []
    for problem in problems:
        location = [str(part) for part in problem.get("loc", ())]
        if location[:1] in (["path"], ["query"]):
            location = location[1:]
        parameter = location[0] if location else None
        if parameter == "id":
            errors.append(telnyx_error(*INVALID_ID, parameter="id"))
            continue
        code, title, _ = ERRORS[422]
        errors.append(
            telnyx_error(code, title, str(problem.get("msg", "Invalid value.")), parameter=parameter)
        )
    return errors


def list_query(request: Request) -> tuple[DocumentsGetParametersQuery, list[str] | None]:
    """The list parameters, accepting both array spellings: `sort=a,b` (the SDK) and `sort[]=a&sort[]=b`
    (the API's original names); likewise filter[customer_reference][in]."""
    params = request.query_params
    raw: dict[str, Any] = {name: params.getlist(name)[-1] for name in SCALAR_QUERY if name in params}
    sort = split_list(params.getlist("sort") + params.getlist("sort[]"))
    if sort:
        raw["sort"] = sort
    references = split_list(
        params.getlist("filter[customer_reference][in]") + params.getlist("filter[customer_reference][in][]")
    )
    return DocumentsGetParametersQuery.model_validate(raw), references or None


def split_list(values: list[str]) -> list[str]:
    return [item for value in values for item in value.split(",") if item]


def matches(
    document: TelnyxDocument, query: DocumentsGetParametersQuery, references: list[str] | None
) -> bool:
    """The list filters; filename matching ignores case."""
    contains = query.filter_filename__contains_
    if contains and contains.lower() not in document.filename.lower():
        return False
    if query.filter_customer_reference__eq_ is not None and (
        document.customer_reference != query.filter_customer_reference__eq_
    ):
        return False
    if references is not None and document.customer_reference not in references:
        return False
    created = document.created_at
    if query.filter_created_at__gt_ is not None and not created > query.filter_created_at__gt_.timestamp():
        return False
    return query.filter_created_at__lt_ is None or created < query.filter_created_at__lt_.timestamp()


def ordered(documents: list[TelnyxDocument], sort: list[DocumentSortField] | None) -> list[TelnyxDocument]:
    """created_at descending unless `sort` says otherwise (a leading `-` sorts descending)."""
    keys = [field.value for field in sort] if sort else ["-created_at"]
    result = sorted(documents, key=lambda doc: doc.index, reverse=True)  # ties: newest insert first
    for key in reversed(keys):  # stable sorts, last key first, give a multi-key order
        result.sort(key=attrgetter(key.lstrip("-")), reverse=key.startswith("-"))
    return result


class TelnyxApi:
    """Route handlers over one TelnyxState, reporting through the context's faults."""

    def __init__(self, ctx: EmulatorContext, state: TelnyxState) -> None:
        self.ctx = ctx
        self.state = state

    def document(self, document: TelnyxDocument) -> DocServiceDocument:
        faults = self.ctx.faults
        return DocServiceDocument(
            id=UUID(document.id),
            record_type="document",
            created_at=iso8601(document.created_at),
            updated_at=iso8601(document.updated_at),
            filename=faults.report_name(document.index, document.filename),
            customer_reference=document.customer_reference,
            content_type=document.content_type,
            sha256=faults.report_checksum(document.sha256),
            size=DocServiceDocumentSize(amount=document.size, unit="bytes"),
            status=document.status,
            av_scan_status=document.av_scan_status,
        )

    def list_documents(self, request: Request) -> Response:
        try:
            query, references = list_query(request)
        except ValidationError as exc:
            return error_response(422, validation_errors(exc.errors(include_url=False)))
        documents = ordered(
            [doc for doc in self.state.documents() if matches(doc, query, references)], query.sort
        )
        number, size = query.page_number_ or 1, query.page_size_ or 20
        page = documents[(number - 1) * size : number * size]
        meta = PaginationMeta(
            page_number=number,
            page_size=size,
            total_pages=math.ceil(len(documents) / size),
            total_results=len(documents),
        )
        body = DocumentListResponse(data=[self.document(doc) for doc in page], meta=meta)
        return JSONResponse(dump(body))

    def retrieve_document(self, id: UUID) -> Response:
        document = self.state.get(str(id))
        if document is None:
            return not_found()
        return JSONResponse(dump(DocumentResponse(data=self.document(document))))

    def get_document_download_link(self, id: UUID) -> Response:
        document = self.state.get(str(id))
        if document is None:
            return not_found()
        url = self.ctx.storage.signed_url(document.storage_key)
        return JSONResponse(dump(DocumentDownloadLinkResponse(data=DocumentDownloadLink(url=AnyUrl(url)))))

    def download_document(self, id: UUID) -> Response:
        document = self.state.get(str(id))
        if document is None:
            return not_found()
        self.state.count_direct_download(document.id)
        name = self.ctx.faults.report_name(document.index, document.filename)
        return FaultyBody(
            self.state.data(document.id),
            content_type=document.content_type,
            headers={"Content-Disposition": content_disposition(name)},
            fault=self.ctx.faults.take_transfer_fault(),
        )


def build(ctx: EmulatorContext) -> ProviderApp:
    state = TelnyxState(ctx)
    ready = state.seed()
    api = TelnyxApi(ctx, state)
    app = FastAPI(title="Telnyx Documents emulator", openapi_url=None, docs_url=None, redoc_url=None)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, validation_errors(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(exc.status_code), status_code=exc.status_code)

    router = APIRouter(prefix=BASE_PATH)
    router.add_api_route("/documents", api.list_documents, methods=["GET"])
    router.add_api_route("/documents/{id}", api.retrieve_document, methods=["GET"])
    router.add_api_route("/documents/{id}/download", api.download_document, methods=["GET"])
    router.add_api_route("/documents/{id}/download_link", api.get_document_download_link, methods=["GET"])
    app.include_router(router)

    return ProviderApp(
        app=BearerAuth(app, state.api_key),
        base_path=BASE_PATH,
        credentials={"api_key": state.api_key},
        ids=ready,
        error_body=error_body,
        auth_headers=lambda: {"Authorization": f"Bearer {state.api_key}"},
        state=state,
        drift_rules=DRIFT,
    )


__all__ = ["TelnyxApi", "TelnyxState", "build", "error_body"]
