"""The Index Health emulator's own behaviour: tokens, validation, expiry, forced outcomes, faults, seeding."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from docfetch.emulators import HOSTILE_NAMES
from docfetch.emulators import EmulatorConfig
from docfetch.emulators import EmulatorContext
from docfetch.emulators import Faults
from docfetch.emulators import RunningEmulator
from docfetch.emulators import Storage
from docfetch.emulators import content_disposition
from docfetch.emulators import run_emulator
from docfetch.emulators.indexhealth import build
from docfetch_emulator_models.indexhealth import DocumentType

TIMEOUT = httpx.Timeout(10.0)
TOKEN_PATH = "/generate-client-auth-token"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_clock() -> Clock:
    return Clock()


@pytest.fixture
def ih(fake_clock: Clock) -> Iterator[RunningEmulator]:
    with run_emulator(
        "indexhealth", clock=fake_clock, token_ttl=30.0, link_ttl=10.0, job_step=1.0, file_size=512
    ) as em:
        yield em


@pytest.fixture(scope="module")
def shared() -> Iterator[RunningEmulator]:
    """For tests that change no state (starting an emulator per test costs ~0.5 s)."""
    with run_emulator("indexhealth", token_ttl=30.0, file_size=512) as em:
        yield em


@pytest.fixture
def api(ih: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=ih.base_url, timeout=TIMEOUT) as client:
        yield client


@pytest.fixture
def shared_api(shared: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=shared.base_url, timeout=TIMEOUT) as client:
        yield client


def exchange(api: httpx.Client, credentials: dict[str, Any]) -> str:
    response = api.post(TOKEN_PATH, json=credentials)
    assert response.status_code == 200, response.text
    token: str = response.json()["data"]["auth_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def envelope(status: int, message: str) -> dict[str, Any]:
    return {"statusCode": status, "data": {}, "message": message}


# ---- tokens ----


def test_token_answer_has_the_client_credentials_page_shape(
    shared: RunningEmulator, shared_api: httpx.Client
) -> None:
    body = shared_api.post(TOKEN_PATH, json=shared.credentials).json()
    assert set(body) == {"status", "data"}
    assert body["status"] == 200
    assert set(body["data"]) == {"auth_token"}
    header, payload, signature = body["data"]["auth_token"].split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "HS256", "typ": "JWT"}
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["domain"] == "demo-group"
    assert claims["user_first_name"] == "Ada"
    assert claims["exp"] - claims["iat"] == 30.0
    assert signature


def test_tokens_expire_after_token_ttl(ih: RunningEmulator, api: httpx.Client, fake_clock: Clock) -> None:
    token = exchange(api, ih.credentials)
    body = {"document_id": ih.ids[0]}
    assert api.post("/download", json=body, headers=bearer(token)).status_code == 200
    fake_clock.now += 29.9
    assert api.post("/download", json=body, headers=bearer(token)).status_code == 200
    fake_clock.now += 0.2
    expired = api.post("/download", json=body, headers=bearer(token))
    assert (expired.status_code, expired.json()) == (403, envelope(403, "UNAUTHORIZED"))
    assert api.post("/download", json=body, headers=bearer(exchange(api, ih.credentials))).status_code == 200


def test_revoked_tampered_and_foreign_tokens_are_403(
    ih: RunningEmulator, api: httpx.Client, shared: RunningEmulator
) -> None:
    token = exchange(api, ih.credentials)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["exp"] += 10_000
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    foreign = shared.auth_headers()["Authorization"]  # signed by another emulator's secret
    body = {"document_id": ih.ids[0]}
    for headers in (
        {},
        {"Authorization": token},
        {"Authorization": f"Basic {token}"},
        bearer(f"{header}.{forged}.{signature}"),
        {"Authorization": foreign},
    ):
        response = api.post("/download", json=body, headers=headers)
        assert (response.status_code, response.json()) == (403, envelope(403, "UNAUTHORIZED")), headers
    assert api.post("/download", json=body, headers={"authorization": f"bearer {token}"}).status_code == 200
    ih.state.revoke_tokens()
    assert api.post("/download", json=body, headers=bearer(token)).status_code == 403
    assert api.post("/download", json=body, headers=bearer(exchange(api, ih.credentials))).status_code == 200


def test_token_exchanges_are_counted(ih: RunningEmulator, api: httpx.Client) -> None:
    exchange(api, ih.credentials)
    api.post(TOKEN_PATH, json={**ih.credentials, "client_secret": "nope"})
    api.post(TOKEN_PATH, content=b"{not json", headers={"Content-Type": "application/json"})
    ih.auth_headers()  # minted directly, not an exchange
    assert (ih.state.token_requests, ih.state.token_exchanges) == (3, 1)


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (None, 400, "Missing required fields: client_id, client_secret, fingerprint, user"),
        ({"fingerprint": None}, 400, "Missing required fields: client_id, client_secret, fingerprint, user"),
        ({"user": "Ada"}, 400, "Missing required user fields: first_name, last_name"),
        ({"user": {"first_name": "Ada"}}, 400, "Missing required user fields: first_name, last_name"),
        (
            {"user": {"first_name": "Ada", "last_name": "L", "email": " "}},
            400,
            "Missing required user fields: date_of_birth or email or uid",
        ),
        ({"user": {"first_name": "Ada", "last_name": "L", "uid": "u-1"}}, 200, None),
        ({"user": {"first_name": "Ada", "last_name": "L", "date_of_birth": "1990-01-15"}}, 200, None),
        ({"client_id": "ih-client-unknown"}, 401, "Invalid client credentials"),
    ],
)
def test_token_request_validation(
    shared: RunningEmulator,
    shared_api: httpx.Client,
    body: dict[str, Any] | None,
    status: int,
    message: str | None,
) -> None:
    payload = {} if body is None else {**shared.credentials, **body}
    response = shared_api.post(TOKEN_PATH, json=payload)
    assert response.status_code == status
    if message is not None:
        assert response.json() == {"status": status, "data": {}, "message": message}


# ---- validation of the document endpoints: the provider's 435, never FastAPI's 422 ----


@pytest.mark.parametrize(
    ("path", "content", "message"),
    [
        ("/download", b"{}", "Document ID is required"),
        ("/download", b'{"document_id": "  "}', "Document ID is required"),
        ("/download", b'{"document_id": null}', "Document ID is required"),
        ("/download", b"not json", "Document ID is required"),
        ("/get-document-details", b"[]", "Document ID is required"),
        ("/get-documents", b'{"collection": "x"}', "Collection ID is required"),
    ],
)
def test_invalid_bodies_are_435(
    shared: RunningEmulator, shared_api: httpx.Client, path: str, content: bytes, message: str
) -> None:
    headers = {**shared.auth_headers(), "Content-Type": "application/json"}
    response = shared_api.post(path, content=content, headers=headers)
    assert (response.status_code, response.json()) == (435, envelope(435, message))


def test_authorization_is_checked_before_the_body(shared_api: httpx.Client) -> None:
    for content in (b"{}", b"not json"):
        response = shared_api.post("/download", content=content, headers={"Content-Type": "application/json"})
        assert (response.status_code, response.json()) == (403, envelope(403, "UNAUTHORIZED"))


def test_get_download_without_an_id_is_435(shared: RunningEmulator, shared_api: httpx.Client) -> None:
    response = shared_api.get("/download/", headers=shared.auth_headers())
    assert (response.status_code, response.json()) == (435, envelope(435, "Document ID is required"))


# ---- documents, links and forced outcomes ----


def test_presigned_links_expire_after_link_ttl(
    ih: RunningEmulator, api: httpx.Client, fake_clock: Clock
) -> None:
    response = api.post("/download", json={"document_id": ih.ids[0]}, headers=ih.auth_headers())
    url = response.json()["data"]["download_url"]
    assert httpx.get(url, timeout=TIMEOUT).status_code == 200
    fake_clock.now += 10.0
    expired = httpx.get(url, timeout=TIMEOUT)
    assert expired.status_code == 403
    assert b"Request has expired" in expired.content
    assert all("authorization" not in request.headers for request in ih.storage.requests)


def test_broken_documents_answer_the_documented_500s(ih: RunningEmulator, api: httpx.Client) -> None:
    ih.state.break_document(ih.ids[0])
    headers = ih.auth_headers()
    link = api.post("/download", json={"document_id": ih.ids[0]}, headers=headers)
    assert (link.status_code, link.json()) == (500, envelope(500, "Failed to generate download URL"))
    direct = api.get(f"/download/{ih.ids[0]}", headers=headers)
    assert (direct.status_code, direct.json()) == (500, envelope(500, "Failed to download document"))
    ih.state.break_document(ih.ids[0], broken=False)
    assert api.get(f"/download/{ih.ids[0]}", headers=headers).status_code == 200


def test_added_documents_are_processed_over_time(
    ih: RunningEmulator, api: httpx.Client, fake_clock: Clock
) -> None:
    document = ih.state.add_document(
        "Formulary.docx", b"PK\x03\x04 docx bytes", document_type=DocumentType.docx
    )
    headers = ih.auth_headers()

    def progress() -> float:
        listing = api.post("/get-documents", json={"collection_id": ih.state.collection_id}, headers=headers)
        by_id = {item["document_id"]: item for item in listing.json()["data"]}
        return float(by_id[document.document_id]["avg_progress"])

    assert progress() == 0.0
    fake_clock.now += 2.0  # half of PROCESSING_STEPS * job_step
    assert progress() == 50.0
    fake_clock.now += 5.0
    assert progress() == 100.0
    direct = api.get(f"/download/{document.document_id}", headers=headers)
    assert direct.content == b"PK\x03\x04 docx bytes"
    assert direct.headers["content-disposition"] == 'attachment; filename="Formulary.docx"'
    assert direct.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert ih.state.downloads[document.document_id] == 1


def test_removed_documents_are_not_found(ih: RunningEmulator, api: httpx.Client) -> None:
    headers = ih.auth_headers()
    ih.state.remove_document(ih.ids[1])
    response = api.post("/get-document-details", json={"document_id": ih.ids[1]}, headers=headers)
    assert (response.status_code, response.json()) == (437, envelope(437, "Document not found"))
    assert api.get(f"/download/{ih.ids[1]}", headers=headers).status_code == 437


def test_hostile_names_are_reported_when_switched_on(ih: RunningEmulator, api: httpx.Client) -> None:
    ih.faults.hostile_names = True
    headers = ih.auth_headers()
    listing = api.post(
        "/get-documents", json={"collection_id": ih.state.collection_id}, headers=headers
    ).json()
    names = [item["document_name"] for item in listing["data"]]
    assert names == HOSTILE_NAMES[: len(names)]
    direct = api.get(f"/download/{ih.ids[0]}", headers=headers)
    assert direct.headers["content-disposition"] == content_disposition("../x.pdf")
    assert direct.headers["content-disposition"].endswith("filename*=UTF-8''..%2Fx.pdf")


def test_injected_api_failures_use_the_envelope(ih: RunningEmulator, api: httpx.Client) -> None:
    ih.faults.fail_next(1, 503, retry_after=2)
    response = api.post("/get-documents", json={"collection_id": "x"}, headers=ih.auth_headers())
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json() == envelope(503, "Injected fault: Service Unavailable")


def test_seeding_is_deterministic_per_seed() -> None:
    def snapshot(seed: int) -> tuple[Any, ...]:
        # The app's state alone (no servers): what build() seeds for this seed.
        faults = Faults()
        storage = Storage(faults=faults, clock=Clock(), default_ttl=lambda: 60.0, seed=seed)
        config = EmulatorConfig(seed=seed, file_size=128)
        app = build(EmulatorContext(config=config, faults=faults, storage=storage, clock=Clock()))
        data = [doc.stored.data for doc in app.state.documents.values() if doc.stored is not None]
        return app.credentials["client_id"], app.credentials["client_secret"], tuple(app.ids), tuple(data)

    first = snapshot(1)
    assert snapshot(1) == first
    assert snapshot(2)[2] != first[2]
    assert len(first[2]) == 2  # two file-based seeded documents ready to download
