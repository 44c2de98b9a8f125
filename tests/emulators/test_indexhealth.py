"""The generated Index Health client against the emulator, over real sockets.

For every curated operation: the request the client sends (method, path, headers, body) and how it
parses the documented success and error answers, including the non-standard 435/437 statuses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from collections.abc import Iterator
from datetime import datetime
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch_indexhealth_client import Client
from docfetch_indexhealth_client.api.auth import generate_client_auth_token
from docfetch_indexhealth_client.api.documents import download_document
from docfetch_indexhealth_client.api.documents import get_document_details
from docfetch_indexhealth_client.api.documents import get_documents
from docfetch_indexhealth_client.api.documents import request_download
from docfetch_indexhealth_client.models import AuthErrorResponse
from docfetch_indexhealth_client.models import AuthUser
from docfetch_indexhealth_client.models import ClientAuthTokenRequest
from docfetch_indexhealth_client.models import ClientAuthTokenResponse
from docfetch_indexhealth_client.models import DocumentDetailsResponse
from docfetch_indexhealth_client.models import DocumentIdRequest
from docfetch_indexhealth_client.models import DocumentListResponse
from docfetch_indexhealth_client.models import DocumentType
from docfetch_indexhealth_client.models import DownloadUrlResponse
from docfetch_indexhealth_client.models import ErrorEnvelope
from docfetch_indexhealth_client.models import GetDocumentsRequest
from docfetch_indexhealth_client.types import UNSET
from docfetch_indexhealth_client.types import File

TIMEOUT = httpx.Timeout(10.0)


@pytest.fixture(scope="module")
def ih() -> Iterator[RunningEmulator]:
    """One emulator for the read-only tests of this module (tests that change state start their own)."""
    with run_emulator("indexhealth", file_size=2048) as running:
        yield running


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


def make_client(ih: RunningEmulator, sent: list[httpx.Request], token: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(
        base_url=ih.base_url,
        headers=headers,
        timeout=TIMEOUT,
        httpx_args={"event_hooks": {"request": [sent.append]}},
    )


def make_async_client(ih: RunningEmulator, sent: list[httpx.Request], token: str | None = None) -> Client:
    async def record(request: httpx.Request) -> None:
        sent.append(request)

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(
        base_url=ih.base_url,
        headers=headers,
        timeout=TIMEOUT,
        httpx_args={"event_hooks": {"request": [record]}},
    )


def token_of(ih: RunningEmulator) -> str:
    return ih.auth_headers()["Authorization"].removeprefix("Bearer ")


def token_request(credentials: dict[str, Any], **changes: Any) -> ClientAuthTokenRequest:
    body = {**credentials, **changes}
    return ClientAuthTokenRequest.from_dict(body)


def only_request(sent: list[httpx.Request]) -> httpx.Request:
    assert len(sent) == 1, sent
    return sent[0]


def url_document_id(ih: RunningEmulator) -> str:
    return str(next(doc.document_id for doc in ih.state.documents.values() if doc.stored is None))


# ---- auth: generate_client_auth_token ----


def test_token_exchange_sends_credentials_and_parses_the_token(
    ih: RunningEmulator, sent: list[httpx.Request]
) -> None:
    with make_client(ih, sent) as client:
        response = generate_client_auth_token.sync_detailed(client=client, body=token_request(ih.credentials))

    request = only_request(sent)
    assert (request.method, request.url.path) == ("POST", "/generate-client-auth-token")
    assert request.headers["content-type"] == "application/json"
    assert "authorization" not in request.headers
    assert json.loads(request.content) == ih.credentials
    assert response.status_code == HTTPStatus.OK
    parsed = response.parsed
    assert isinstance(parsed, ClientAuthTokenResponse)
    assert parsed.status == 200
    assert parsed.status_code is UNSET  # the client-credentials page's form (PROVENANCE D3)
    assert isinstance(parsed.data.auth_token, str)
    assert parsed.data.access_token is UNSET
    claims = ih.state.verify_token(parsed.data.auth_token)
    assert claims is not None
    assert claims.domain == ih.credentials["user"]["group_name"]


def test_token_response_in_the_download_page_form_also_parses() -> None:
    # The other documented shape (download page example); the emulator never sends it.
    body = {"statusCode": 200, "data": {"access_token": "eyJ.x.y"}, "message": "OKAY"}
    response = generate_client_auth_token.build_response(
        client=Client(base_url="http://127.0.0.1:9"), response=httpx.Response(200, json=body)
    )
    assert isinstance(response.parsed, ClientAuthTokenResponse)
    assert response.parsed.status_code == 200
    assert response.parsed.data.access_token == "eyJ.x.y"
    assert response.parsed.data.auth_token is UNSET


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"client_id": ""}, 400, "Missing required fields: client_id, client_secret, fingerprint, user"),
        (
            {"user": {"first_name": "Ada", "last_name": "", "email": "a@example.com"}},
            400,
            "Missing required user fields: first_name, last_name",
        ),
        (
            {"user": {"first_name": "Ada", "last_name": "Lovelace", "phone": "+1 555 0100"}},
            400,
            "Missing required user fields: date_of_birth or email or uid",
        ),
        ({"client_secret": "wrong-secret"}, 401, "Invalid client credentials"),
    ],
)
def test_token_errors_parse_into_auth_error_response(
    ih: RunningEmulator, sent: list[httpx.Request], changes: dict[str, Any], status: int, message: str
) -> None:
    with make_client(ih, sent) as client:
        response = generate_client_auth_token.sync_detailed(
            client=client, body=token_request(ih.credentials, **changes)
        )
    assert response.status_code == status
    assert isinstance(response.parsed, AuthErrorResponse)
    assert (response.parsed.status, response.parsed.message) == (status, message)


def test_eid_alone_identifies_the_user(ih: RunningEmulator, sent: list[httpx.Request]) -> None:
    user = AuthUser(first_name="Ada", last_name="Lovelace", eid="E-1815")
    body = ClientAuthTokenRequest(
        client_id=ih.credentials["client_id"],
        client_secret=ih.credentials["client_secret"],
        fingerprint="device-fingerprint-123",
        user=user,
    )
    with make_client(ih, sent) as client:
        parsed = generate_client_auth_token.sync(client=client, body=body)
    assert isinstance(parsed, ClientAuthTokenResponse)
    assert isinstance(parsed.data.auth_token, str)


# ---- documents: get_documents ----


def test_get_documents_lists_the_collection(ih: RunningEmulator, sent: list[httpx.Request]) -> None:
    token = token_of(ih)
    with make_client(ih, sent, token) as client:
        response = get_documents.sync_detailed(
            client=client, body=GetDocumentsRequest(collection_id=ih.state.collection_id)
        )

    request = only_request(sent)
    assert (request.method, request.url.path) == ("POST", "/get-documents")
    assert request.headers["authorization"] == f"Bearer {token}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"collection_id": ih.state.collection_id}
    assert response.status_code == HTTPStatus.OK
    parsed = response.parsed
    assert isinstance(parsed, DocumentListResponse)
    assert (parsed.status_code, parsed.message) == (200, "OKAY")
    by_id = {doc.document_id: doc for doc in parsed.data}
    assert set(ih.ids) < set(by_id)
    first = by_id[ih.ids[0]]
    assert first.document_type == DocumentType.PDF
    assert isinstance(first.created_at, datetime)
    assert first.created_at.tzinfo is not None
    assert first.avg_progress == 100.0
    assert isinstance(first.document_file_path, str)
    assert "Évidence de couverture – Überblick.pdf" in {doc.document_name for doc in parsed.data}
    url_doc = by_id[url_document_id(ih)]
    assert url_doc.document_file_path is UNSET
    assert isinstance(url_doc.document_url, str)


def test_get_documents_unknown_collection_is_empty(ih: RunningEmulator, sent: list[httpx.Request]) -> None:
    with make_client(ih, sent, token_of(ih)) as client:
        parsed = get_documents.sync(client=client, body=GetDocumentsRequest(collection_id="col-none"))
    assert isinstance(parsed, DocumentListResponse)
    assert parsed.data == []


def test_get_documents_without_collection_id_is_435(ih: RunningEmulator, sent: list[httpx.Request]) -> None:
    with make_client(ih, sent, token_of(ih)) as client:
        response = get_documents.sync_detailed(client=client, body=GetDocumentsRequest(collection_id=""))
    assert response.status_code == 435
    assert isinstance(response.parsed, ErrorEnvelope)
    assert response.parsed.message == "Collection ID is required"


# ---- documents: get_document_details ----


def test_get_document_details_includes_plans(ih: RunningEmulator, sent: list[httpx.Request]) -> None:
    token = token_of(ih)
    with make_client(ih, sent, token) as client:
        response = get_document_details.sync_detailed(
            client=client, body=DocumentIdRequest(document_id=ih.ids[0])
        )

    request = only_request(sent)
    assert (request.method, request.url.path) == ("POST", "/get-document-details")
    assert request.headers["authorization"] == f"Bearer {token}"
    assert json.loads(request.content) == {"document_id": ih.ids[0]}
    parsed = response.parsed
    assert isinstance(parsed, DocumentDetailsResponse)
    assert parsed.data.document_id == ih.ids[0]
    assert parsed.data.document_name == "Summary of Benefits 2025.pdf"
    assert isinstance(parsed.data.associated_plans, list)
    assert [plan.plan_name for plan in parsed.data.associated_plans] == ["Gold PPO"]
    assert "avg_progress" not in parsed.data.additional_properties


def test_get_document_details_unknown_is_437(ih: RunningEmulator, sent: list[httpx.Request]) -> None:
    with make_client(ih, sent, token_of(ih)) as client:
        response = get_document_details.sync_detailed(
            client=client, body=DocumentIdRequest(document_id="doc-404")
        )
    assert response.status_code == 437
    assert isinstance(response.parsed, ErrorEnvelope)
    assert (response.parsed.status_code, response.parsed.message) == (437, "Document not found")


@pytest.mark.parametrize("token", [None, "not.a.token"])
def test_documents_without_a_valid_token_are_403(
    ih: RunningEmulator, sent: list[httpx.Request], token: str | None
) -> None:
    with make_client(ih, sent, token) as client:
        response = get_document_details.sync_detailed(
            client=client, body=DocumentIdRequest(document_id=ih.ids[0])
        )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert isinstance(response.parsed, ErrorEnvelope)
    assert (response.parsed.status_code, response.parsed.message) == (403, "UNAUTHORIZED")


# ---- documents: request_download / download_document ----


def test_request_download_returns_a_working_presigned_url(
    ih: RunningEmulator, sent: list[httpx.Request]
) -> None:
    token = token_of(ih)
    with make_client(ih, sent, token) as client:
        response = request_download.sync_detailed(
            client=client, body=DocumentIdRequest(document_id=ih.ids[1])
        )

    request = only_request(sent)
    assert (request.method, request.url.path) == ("POST", "/download")
    assert request.headers["authorization"] == f"Bearer {token}"
    assert json.loads(request.content) == {"document_id": ih.ids[1]}
    parsed = response.parsed
    assert isinstance(parsed, DownloadUrlResponse)
    assert (parsed.status_code, parsed.message) == (200, "OKAY")
    url = parsed.data.download_url
    assert url.startswith(ih.storage.base_url)
    assert not url.startswith(ih.base_url)

    before = len(ih.storage.requests)
    blob = httpx.get(url, timeout=TIMEOUT)  # no credential: the link itself is the authorisation
    assert blob.status_code == 200
    stored = ih.state.documents[ih.ids[1]].stored
    assert blob.content == stored.data
    assert blob.content.startswith(b"%PDF-")
    assert blob.headers["content-type"] == "application/pdf"
    assert "%C3%89vidence" in blob.headers["content-disposition"]
    for recorded in ih.storage.requests[before:]:
        assert "authorization" not in recorded.headers
        assert token not in json.dumps(recorded.headers)


def test_download_document_returns_the_bytes_and_headers(
    ih: RunningEmulator, sent: list[httpx.Request]
) -> None:
    token = token_of(ih)
    with make_client(ih, sent, token) as client:
        response = download_document.sync_detailed(ih.ids[0], client=client)

    request = only_request(sent)
    assert (request.method, request.url.path) == ("GET", f"/download/{ih.ids[0]}")
    assert request.headers["authorization"] == f"Bearer {token}"
    assert request.content == b""
    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, File)
    assert response.parsed.payload.read() == ih.state.documents[ih.ids[0]].stored.data
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="Summary of Benefits 2025.pdf"'
    assert response.headers["cache-control"] == "no-cache"


def test_download_document_stream_yields_the_unread_body(
    ih: RunningEmulator, sent: list[httpx.Request]
) -> None:
    with (
        make_client(ih, sent, token_of(ih)) as client,
        download_document.stream(ih.ids[0], client=client) as response,
    ):
        assert response.status_code == 200
        body = b"".join(response.iter_bytes(512))
    assert body == ih.state.documents[ih.ids[0]].stored.data


def test_download_document_quotes_odd_ids() -> None:
    with run_emulator("indexhealth", file_size=256) as ih:
        document = ih.state.add_document(
            "Odd id.txt", b"hello", document_id="doc 7 é?#", document_type=DocumentType.TXT
        )
        sent: list[httpx.Request] = []
        with make_client(ih, sent, token_of(ih)) as client:
            response = download_document.sync_detailed(document.document_id, client=client)
    assert only_request(sent).url.raw_path == b"/download/doc%207%20%C3%A9%3F%23"
    assert response.status_code == 200
    assert isinstance(response.parsed, File)
    assert response.parsed.payload.read() == b"hello"
    assert response.headers["content-type"].startswith("text/plain")


# ---- 435/437 reach the caller as parsed envelopes, through sync_detailed and asyncio_detailed ----

Call = Callable[[Client, RunningEmulator, str], Any]


def _request_download_sync(client: Client, ih: RunningEmulator, document_id: str) -> Any:
    return request_download.sync_detailed(client=client, body=DocumentIdRequest(document_id=document_id))


async def _request_download_async(client: Client, ih: RunningEmulator, document_id: str) -> Any:
    return await request_download.asyncio_detailed(
        client=client, body=DocumentIdRequest(document_id=document_id)
    )


def _download_sync(client: Client, ih: RunningEmulator, document_id: str) -> Any:
    return download_document.sync_detailed(document_id, client=client)


async def _download_async(client: Client, ih: RunningEmulator, document_id: str) -> Any:
    return await download_document.asyncio_detailed(document_id, client=client)


NONSTANDARD = [
    pytest.param(435, "url-document", "Document has no file path", id="435-no-file-path"),
    pytest.param(437, "doc-does-not-exist", "Document not found", id="437-not-found"),
]


@pytest.mark.parametrize(("status", "target", "message"), NONSTANDARD)
@pytest.mark.parametrize("call", [_request_download_sync, _download_sync])
def test_nonstandard_statuses_sync(
    ih: RunningEmulator, sent: list[httpx.Request], call: Call, status: int, target: str, message: str
) -> None:
    document_id = url_document_id(ih) if target == "url-document" else target
    with make_client(ih, sent, token_of(ih)) as client:
        response = call(client, ih, document_id)
    assert response.status_code == status
    assert type(response.status_code) is int  # not an HTTPStatus member, and no ValueError on the way
    assert isinstance(response.parsed, ErrorEnvelope)
    assert (response.parsed.status_code, response.parsed.message) == (status, message)
    assert response.parsed.data is not UNSET


@pytest.mark.anyio
@pytest.mark.parametrize(("status", "target", "message"), NONSTANDARD)
@pytest.mark.parametrize("call", [_request_download_async, _download_async])
async def test_nonstandard_statuses_async(
    ih: RunningEmulator, sent: list[httpx.Request], call: Any, status: int, target: str, message: str
) -> None:
    document_id = url_document_id(ih) if target == "url-document" else target
    async with make_async_client(ih, sent, token_of(ih)) as client:
        response = await call(client, ih, document_id)
    assert len(sent) == 1
    assert response.status_code == status
    assert isinstance(response.parsed, ErrorEnvelope)
    assert (response.parsed.status_code, response.parsed.message) == (status, message)


@pytest.mark.anyio
async def test_missing_document_id_is_435_async(ih: RunningEmulator, sent: list[httpx.Request]) -> None:
    async with make_async_client(ih, sent, token_of(ih)) as client:
        response = await request_download.asyncio_detailed(
            client=client, body=DocumentIdRequest(document_id="")
        )
    assert response.status_code == 435
    assert isinstance(response.parsed, ErrorEnvelope)
    assert response.parsed.message == "Document ID is required"
