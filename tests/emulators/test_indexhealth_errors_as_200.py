"""Index Health with config.errors_as_200: every envelope error comes with HTTP 200, the status only in the
body, including a refused token and a failed direct download (a JSON envelope instead of the document)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator


@pytest.fixture(scope="module")
def ih() -> Iterator[RunningEmulator]:
    with run_emulator("indexhealth", errors_as_200=True, file_size=1024) as running:
        yield running


@pytest.fixture
def api(ih: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ih.base_url, headers=ih.auth_headers(), timeout=5.0) as client:
        yield client


def in_200(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def test_a_refused_token_is_a_403_envelope_in_a_200(ih: RunningEmulator, api: httpx.Client) -> None:
    for headers in ({"Authorization": "Bearer not-a-token"}, {"Authorization": ""}):
        refused = api.post("/download", json={"document_id": ih.ids[0]}, headers=headers)
        assert in_200(refused) == {"statusCode": 403, "data": {}, "message": "UNAUTHORIZED"}
        direct = api.get(f"/download/{ih.ids[0]}", headers=headers)
        assert in_200(direct)["statusCode"] == 403


def test_direct_download_errors_are_envelopes_instead_of_the_document(
    ih: RunningEmulator, api: httpx.Client
) -> None:
    unknown = in_200(api.get("/download/doc-does-not-exist"))
    assert unknown == {"statusCode": 437, "data": {}, "message": "Document not found"}
    url_based = next(doc for doc in ih.state.documents.values() if doc.stored is None)
    assert in_200(api.get(f"/download/{url_based.document_id}")) == {
        "statusCode": 435,
        "data": {},
        "message": "Document has no file path",
    }
    ih.state.break_document(ih.ids[0])
    try:
        assert in_200(api.get(f"/download/{ih.ids[0]}"))["statusCode"] == 500
        assert in_200(api.post("/download", json={"document_id": ih.ids[0]}))["statusCode"] == 500
    finally:
        ih.state.break_document(ih.ids[0], broken=False)
    document = api.get(f"/download/{ih.ids[0]}")  # a working download is still the document itself
    assert document.status_code == 200 and document.content == ih.state.documents[ih.ids[0]].stored.data


def test_other_envelope_errors_and_the_token_endpoint(ih: RunningEmulator, api: httpx.Client) -> None:
    assert in_200(api.post("/get-document-details", json={"document_id": "nope"}))["statusCode"] == 437
    assert in_200(api.post("/get-document-details", json={}))["statusCode"] == 435
    assert in_200(api.post("/get-documents", json={"collection_id": " "}))["statusCode"] == 435
    wrong = {**ih.credentials, "client_secret": "wrong"}
    assert in_200(api.post("/generate-client-auth-token", json=wrong)) == {
        "status": 401,
        "data": {},
        "message": "Invalid client credentials",
    }
    assert in_200(api.post("/generate-client-auth-token", json={}))["status"] == 400


def test_injected_faults_keep_their_http_status(ih: RunningEmulator, api: httpx.Client) -> None:
    ih.faults.fail_next(1, 503, retry_after=1)
    failed = api.post("/download", json={"document_id": ih.ids[0]})
    assert failed.status_code == 503 and failed.json()["statusCode"] == 503
