"""Index Health (IndexSDK) emulator: client-credentials tokens, document listing/details and downloads.

Follows specs/indexhealth/openapi.yaml: every answer uses the `{statusCode, data, message}` envelope with
the HTTP status equal to `statusCode` (literal 435/437 on the wire); the token endpoint answers in the
client-credentials page's form `{status, data: {auth_token}}` (see specs/indexhealth/PROVENANCE.md, D2/D3).
Request bodies are the generated pydantic models; FastAPI's 422 is replaced by the provider's 400/435.
Faults: `hostile_names` changes the names reported (document_name, Content-Disposition); Index Health
reports no checksum, so `wrong_checksum` has nothing to falsify here. State: `indexhealth_state.py`.

`config.errors_as_200`: every envelope error is answered with HTTP 200 and the status only in the body
(`statusCode` 435/437/403/500, or `status` on the token endpoint), as services that always answer 200 do:
a refused token is a 200 carrying `{"statusCode": 403, "message": "UNAUTHORIZED"}`, and a failed direct
download (`GET /download/{id}`) is a 200 JSON envelope instead of the document.

Drift (`config.drift`, see drift.py): document_type `IMG` is reported as `IMAGE` and an image document
("Member ID card.png", downloadable, in `ids`) is seeded; document_description, document_priority,
document_tags, collection_name and plan colors are left out; created_at/updated_at carry +05:30.
"""

# No `from __future__ import annotations`: FastAPI must evaluate the route annotations, and `Authorized`
# is local to build().
from typing import Annotated
from typing import Any

from docfetch_emulator_models import indexhealth as models
from fastapi import Depends
from fastapi import FastAPI
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.responses import Response
from pydantic import BaseModel

from ._asgi import content_disposition
from ._framework import EmulatorContext
from ._framework import ProviderApp
from ._framework import StoredObject
from .drift import DriftRules
from .file_body import FaultyBody
from .indexhealth_state import Document
from .indexhealth_state import IndexHealthState
from .indexhealth_state import TokenClaims

__all__ = ["build", "envelope_error"]

AUTH_PATH = "/generate-client-auth-token"
OKAY = "OKAY"
# Exact messages from the docs (client-credentials and download pages).
MISSING_ROOT_FIELDS = "Missing required fields: client_id, client_secret, fingerprint, user"
MISSING_USER_NAMES = "Missing required user fields: first_name, last_name"
MISSING_USER_IDENTIFIER = "Missing required user fields: date_of_birth or email or uid"
INVALID_CLIENT = "Invalid client credentials"
UNAUTHORIZED = "UNAUTHORIZED"
DOCUMENT_ID_REQUIRED = "Document ID is required"
NO_FILE_PATH = "Document has no file path"
NOT_FOUND = "Document not found"
URL_FAILED = "Failed to generate download URL"
DOWNLOAD_FAILED = "Failed to download document"
# Not visible in the docs (get-documents' error table was not readable): our wording, same 435 convention.
COLLECTION_ID_REQUIRED = "Collection ID is required"

USER_IDENTIFIERS = ("date_of_birth", "email", "uid", "eid")

DRIFT = DriftRules(
    new_values={"document_type": {"IMG": "IMAGE"}},
    omit=frozenset(
        {"document_description", "document_priority", "document_tags", "collection_name", "color"}
    ),
    timestamps=frozenset({"created_at", "updated_at"}),
)


class ProviderError(Exception):
    """An error answered in the provider's shape (`auth_shape`: the token endpoint's `status` key)."""

    def __init__(self, status: int, message: str, *, auth_shape: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.auth_shape = auth_shape

    def response(self, *, http_200: bool = False) -> JSONResponse:
        """The error body; with `http_200` it is sent with HTTP 200 (config.errors_as_200)."""
        body = (
            auth_error(self.status, self.message)
            if self.auth_shape
            else envelope_error(self.status, self.message)
        )
        return JSONResponse(body, status_code=200 if http_200 else self.status)


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def envelope_error(status: int, message: str) -> dict[str, Any]:
    return _dump(models.ErrorEnvelope.model_validate({"statusCode": status, "data": {}, "message": message}))


def auth_error(status: int, message: str) -> dict[str, Any]:
    return _dump(models.AuthErrorResponse.model_validate({"status": status, "data": {}, "message": message}))


def _filled(value: Any) -> bool:
    """Present the way the service's `!field` checks see it: not missing, null or blank."""
    return (isinstance(value, str) and value.strip() != "") or isinstance(value, dict)


def token_request_problem(raw: Any) -> str | None:
    """The documented 400 message for a token request body, checked in the docs' order; None when complete."""
    if not isinstance(raw, dict) or not all(
        _filled(raw.get(key)) for key in ("client_id", "client_secret", "fingerprint", "user")
    ):
        return MISSING_ROOT_FIELDS
    user = raw["user"]
    if not isinstance(user, dict) or not (_filled(user.get("first_name")) and _filled(user.get("last_name"))):
        return MISSING_USER_NAMES
    if not any(_filled(user.get(key)) for key in USER_IDENTIFIERS):
        return MISSING_USER_IDENTIFIER
    return None


def build(ctx: EmulatorContext) -> ProviderApp:
    state = IndexHealthState(ctx)
    app = FastAPI(title="Index Health emulator", openapi_url=None, docs_url=None, redoc_url=None)

    def authorize(request: Request) -> TokenClaims:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        claims = state.verify_token(token.strip()) if scheme.lower() == "bearer" else None
        if claims is None:
            raise ProviderError(403, UNAUTHORIZED)
        return claims

    Authorized = Annotated[TokenClaims, Depends(authorize)]

    def answer(error: ProviderError) -> JSONResponse:
        return error.response(http_200=ctx.config.errors_as_200)

    @app.exception_handler(ProviderError)
    async def provider_error(_request: Request, exc: ProviderError) -> JSONResponse:
        return answer(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's 422 would never come from the real service: answer as it does.
        if request.url.path == AUTH_PATH:
            state.record_token_request(issued=False)
            message = token_request_problem(exc.body) or MISSING_ROOT_FIELDS
            return answer(ProviderError(400, message, auth_shape=True))
        try:
            authorize(request)
        except ProviderError as denied:
            return answer(denied)
        message = COLLECTION_ID_REQUIRED if request.url.path == "/get-documents" else DOCUMENT_ID_REQUIRED
        return answer(ProviderError(435, message))

    @app.post(AUTH_PATH)
    def generate_client_auth_token(body: models.ClientAuthTokenRequest) -> JSONResponse:
        raw = body.model_dump(exclude_none=True)
        problem = token_request_problem(raw)
        if problem is not None:
            state.record_token_request(issued=False)
            raise ProviderError(400, problem, auth_shape=True)
        if not state.credentials_match(body.client_id, body.client_secret):
            state.record_token_request(issued=False)
            raise ProviderError(401, INVALID_CLIENT, auth_shape=True)
        token = state.issue_token(raw["user"], fingerprint=body.fingerprint)
        state.record_token_request(issued=True)
        payload = models.ClientAuthTokenResponse.model_validate(
            {"status": 200, "data": {"auth_token": token}}
        )
        return JSONResponse(_dump(payload))

    def report_name(document: Document, name: str) -> str:
        return ctx.faults.report_name(state.index_of(document.document_id), name)

    def fields(document: Document) -> dict[str, Any]:
        return {
            "document_id": document.document_id,
            "document_name": report_name(document, document.document_name),
            "document_description": document.description,
            "document_type": document.document_type,
            "document_priority": document.priority,
            "collection_id": document.collection_id,
            "collection_name": document.collection_name,
            "document_file_path": document.file_path,
            "document_url": document.document_url,
            "document_tags": document.tags,
            "created_at": document.created_at,
            "updated_at": document.updated_at,
        }

    def existing(document_id: str) -> Document:
        if not document_id.strip():
            raise ProviderError(435, DOCUMENT_ID_REQUIRED)
        document = state.find(document_id)
        if document is None:
            raise ProviderError(437, NOT_FOUND)
        return document

    def downloadable(document_id: str, failure: str) -> tuple[Document, StoredObject]:
        document = existing(document_id)
        if document.stored is None:
            raise ProviderError(435, NO_FILE_PATH)
        if document.broken:
            raise ProviderError(500, failure)
        return document, document.stored

    @app.post("/get-documents")
    def get_documents(body: models.GetDocumentsRequest, _claims: Authorized) -> JSONResponse:
        if not body.collection_id.strip():
            raise ProviderError(435, COLLECTION_ID_REQUIRED)
        now = ctx.clock()
        items = [
            models.DocumentSummary.model_validate({**fields(doc), "avg_progress": doc.progress(now)})
            for doc in state.in_collection(body.collection_id)
        ]
        payload = models.DocumentListResponse.model_validate(
            {"statusCode": 200, "data": items, "message": OKAY}
        )
        return JSONResponse(_dump(payload))

    @app.post("/get-document-details")
    def get_document_details(body: models.DocumentIdRequest, _claims: Authorized) -> JSONResponse:
        document = existing(body.document_id)
        plans = [{"plan_id": p.plan_id, "plan_name": p.plan_name, "color": p.color} for p in document.plans]
        details = models.DocumentDetails.model_validate({**fields(document), "associated_plans": plans})
        payload = models.DocumentDetailsResponse.model_validate(
            {"statusCode": 200, "data": details, "message": OKAY}
        )
        return JSONResponse(_dump(payload))

    @app.post("/download")
    def request_download(body: models.DocumentIdRequest, _claims: Authorized) -> JSONResponse:
        _document, stored = downloadable(body.document_id, URL_FAILED)
        url = ctx.storage.signed_url(stored.key)
        payload = models.DownloadUrlResponse.model_validate(
            {"statusCode": 200, "data": {"download_url": url}, "message": OKAY}
        )
        return JSONResponse(_dump(payload))

    @app.get("/download/")
    def download_without_id(_claims: Authorized) -> JSONResponse:
        raise ProviderError(435, DOCUMENT_ID_REQUIRED)

    @app.get("/download/{document_id}")
    def download_document(document_id: str, _claims: Authorized) -> Response:
        document, stored = downloadable(document_id, DOWNLOAD_FAILED)
        state.count_download(document.document_id)
        headers = {
            "Content-Disposition": content_disposition(report_name(document, document.filename)),
            "Cache-Control": "no-cache",
        }
        return FaultyBody(
            stored.data,
            content_type=document.content_type,
            headers=headers,
            fault=ctx.faults.take_transfer_fault(),
        )

    return ProviderApp(
        app=app,
        base_path="",
        credentials=state.credentials,
        ids=state.downloadable_ids(),
        error_body=envelope_error,
        auth_headers=lambda: {"Authorization": f"Bearer {state.issue_token()}"},
        state=state,
        drift_rules=DRIFT,
    )
