"""The Telnyx Documents emulator over real sockets: the generated client for every curated operation,
the emulator's own behaviour (auth, validation, pagination, filters, clock-driven scan state, faults),
and the official `telnyx` SDK against it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from http import HTTPStatus
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar
from uuid import UUID

import httpx
import pytest
from docfetch.emulators import HOSTILE_NAMES
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.telnyx_state import TelnyxState
from docfetch.emulators.telnyx_state import iso8601
from docfetch_emulator_models.telnyx import DocServiceDocumentAvScanStatus as AvScanStatus
from docfetch_emulator_models.telnyx import DocServiceDocumentStatus as ReviewStatus
from docfetch_telnyx_client import Client
from docfetch_telnyx_client.api.documents import download_document
from docfetch_telnyx_client.api.documents import get_document_download_link
from docfetch_telnyx_client.api.documents import list_documents
from docfetch_telnyx_client.api.documents import retrieve_document
from docfetch_telnyx_client.models import DocServiceDocument
from docfetch_telnyx_client.models import DocServiceDocumentAvScanStatus
from docfetch_telnyx_client.models import DocServiceDocumentStatus
from docfetch_telnyx_client.models import DocumentDownloadLinkResponse
from docfetch_telnyx_client.models import DocumentListResponse
from docfetch_telnyx_client.models import DocumentResponse
from docfetch_telnyx_client.models import DocumentSortField
from docfetch_telnyx_client.models import ErrorResponse
from docfetch_telnyx_client.types import File
from docfetch_telnyx_client.types import Unset

if TYPE_CHECKING:
    from .conftest import FakeClock

UNKNOWN_ID = UUID("6a09cdc3-8948-47f0-aa62-74ac943d6c58")
FILE_SIZE = 4096
T = TypeVar("T")


@pytest.fixture(scope="module")
def shared() -> Iterator[RunningEmulator]:
    """One emulator for the tests that only read; faults are reset after each test (see `emu`)."""
    with run_emulator("telnyx", file_size=FILE_SIZE, link_ttl=30.0) as running:
        yield running


@pytest.fixture
def emu(shared: RunningEmulator) -> Iterator[RunningEmulator]:
    yield shared
    shared.faults.reset()


@pytest.fixture
def clocked(clock: FakeClock) -> Iterator[RunningEmulator]:
    """A private emulator on a fake clock, for tests that change state or time."""
    with run_emulator("telnyx", clock=clock, file_size=FILE_SIZE, link_ttl=60.0, job_step=5.0) as running:
        yield running


class Recorder:
    """A generated client whose requests are captured by an httpx event hook."""

    def __init__(self, emu: RunningEmulator, headers: dict[str, str] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.client = Client(
            base_url=emu.base_url,
            headers=emu.auth_headers() if headers is None else headers,
            timeout=httpx.Timeout(10.0),
            httpx_args={"event_hooks": {"request": [self.requests.append]}},
        )

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def state_of(emu: RunningEmulator) -> TelnyxState:
    state = emu.state
    assert isinstance(state, TelnyxState)
    return state


def present(value: T | Unset) -> T:
    """A field the emulator always sends (the spec keeps it optional, as upstream does)."""
    assert not isinstance(value, Unset)
    return value


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_telnyx_error(parsed: Any, code: str) -> None:
    assert isinstance(parsed, ErrorResponse)
    assert [error.code for error in parsed.errors] == [code]
    assert parsed.errors[0].title


# ---- generated client: every curated operation, request shape and parsed success ----


def test_list_documents_request_and_page(emu: RunningEmulator) -> None:
    rec = Recorder(emu)
    response = list_documents.sync_detailed(
        client=rec.client,
        pagenumber=1,
        pagesize=2,
        sort=[DocumentSortField.FILENAME],
        filterfilenamecontains=".pdf",
    )
    request = rec.last
    assert request.method == "GET"
    assert request.url.path == "/v2/documents"
    assert request.headers["authorization"] == f"Bearer {emu.api_key}"
    assert dict(request.url.params) == {
        "page[number]": "1",
        "page[size]": "2",
        "sort": "filename",
        "filter[filename][contains]": ".pdf",
    }
    assert response.status_code == HTTPStatus.OK
    page = response.parsed
    assert isinstance(page, DocumentListResponse)
    assert [doc.filename for doc in page.data] == ["letter-of-authorization.pdf", "service-agreement.pdf"]
    assert all(isinstance(doc, DocServiceDocument) for doc in page.data)
    meta = page.meta
    assert (meta.page_number, meta.page_size, meta.total_results, meta.total_pages) == (1, 2, 2, 1)


def test_retrieve_document_parses_all_fields(emu: RunningEmulator) -> None:
    rec = Recorder(emu)
    doc_id = emu.ids[0]
    response = retrieve_document.sync_detailed(UUID(doc_id), client=rec.client)
    assert (rec.last.method, rec.last.url.path) == ("GET", f"/v2/documents/{doc_id}")
    assert rec.last.headers["authorization"] == f"Bearer {emu.api_key}"
    parsed = response.parsed
    assert isinstance(parsed, DocumentResponse)
    doc = parsed.data
    data = state_of(emu).data(doc_id)
    assert doc.id == UUID(doc_id)
    assert doc.record_type == "document"
    assert doc.filename == "service-agreement.pdf"
    assert doc.content_type == "application/pdf"
    assert doc.sha256 == sha256(data)
    size = present(doc.size)
    assert (size.amount, size.unit) == (len(data), "bytes") == (FILE_SIZE, "bytes")
    assert doc.status is DocServiceDocumentStatus.VERIFIED
    assert doc.av_scan_status is DocServiceDocumentAvScanStatus.SCANNED
    assert doc.created_at == iso8601(state_of(emu).documents()[0].created_at)
    assert doc.customer_reference == "MY REF 001"


def test_download_document_bytes_and_headers(emu: RunningEmulator) -> None:
    rec = Recorder(emu)
    doc_id = emu.ids[0]
    response = download_document.sync_detailed(UUID(doc_id), client=rec.client)
    assert rec.last.url.path == f"/v2/documents/{doc_id}/download"
    assert isinstance(response.parsed, File)
    body = response.parsed.payload.read()
    assert body == state_of(emu).data(doc_id)
    assert body.startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="service-agreement.pdf"'
    with download_document.stream(UUID(doc_id), client=rec.client) as streamed:
        assert streamed.status_code == 200
        assert b"".join(streamed.iter_bytes()) == body


def test_download_link_works_without_credentials(emu: RunningEmulator) -> None:
    rec = Recorder(emu)
    doc_id = emu.ids[1]
    response = get_document_download_link.sync_detailed(UUID(doc_id), client=rec.client)
    assert rec.last.url.path == f"/v2/documents/{doc_id}/download_link"
    parsed = response.parsed
    assert isinstance(parsed, DocumentDownloadLinkResponse)
    url = parsed.data.url
    assert url.startswith(emu.storage.base_url)
    before = len(emu.storage.requests)
    fetched = httpx.get(url, timeout=10.0)
    assert fetched.status_code == 200
    assert fetched.content == state_of(emu).data(doc_id)
    assert fetched.headers["content-type"] == "application/pdf"
    storage_request = emu.storage.requests[before]
    assert "authorization" not in storage_request.headers
    assert str(emu.api_key) not in str(storage_request)


# ---- generated client: documented error responses parse into ErrorResponse ----


@pytest.mark.parametrize("module", [retrieve_document, download_document, get_document_download_link])
def test_unknown_id_is_404_resource_not_found(emu: RunningEmulator, module: Any) -> None:
    response = module.sync_detailed(UNKNOWN_ID, client=Recorder(emu).client)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert_telnyx_error(response.parsed, "10005")


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer KEYwrong"}, {"Authorization": "Basic abc"}],
    ids=["missing", "wrong-key", "wrong-scheme"],
)
def test_bad_credentials_are_401(emu: RunningEmulator, headers: dict[str, str]) -> None:
    rec = Recorder(emu, headers=headers)
    listed = list_documents.sync_detailed(client=rec.client)
    assert listed.status_code == HTTPStatus.UNAUTHORIZED
    assert_telnyx_error(listed.parsed, "10009")
    downloaded = download_document.sync_detailed(UUID(emu.ids[0]), client=rec.client)
    assert downloaded.status_code == HTTPStatus.UNAUTHORIZED
    assert_telnyx_error(downloaded.parsed, "10009")


def test_invalid_page_size_is_422_with_parameter(emu: RunningEmulator) -> None:
    response = list_documents.sync_detailed(client=Recorder(emu).client, pagesize=251)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    parsed = response.parsed
    assert_telnyx_error(parsed, "10015")
    assert isinstance(parsed, ErrorResponse)
    assert present(parsed.errors[0].source).parameter == "page[size]"


def test_injected_429_and_500_parse(emu: RunningEmulator) -> None:
    client = Recorder(emu).client
    emu.faults.fail_next(1, 429)
    limited = get_document_download_link.sync_detailed(UUID(emu.ids[0]), client=client)
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert_telnyx_error(limited.parsed, "10011")
    emu.faults.fail_next(1, 503)
    unavailable = retrieve_document.sync_detailed(UUID(emu.ids[0]), client=client)
    assert unavailable.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert_telnyx_error(unavailable.parsed, "10007")  # parsed through `default`


# ---- emulator behaviour (plain httpx) ----


def get(emu: RunningEmulator, path: str, **kwargs: Any) -> httpx.Response:
    headers = kwargs.pop("headers", emu.auth_headers())
    return httpx.get(emu.base_url + path, headers=headers, timeout=10.0, **kwargs)


def test_malformed_id_is_422_invalid_id(emu: RunningEmulator) -> None:
    for suffix in ("", "/download", "/download_link"):
        response = get(emu, f"/documents/not-a-uuid{suffix}")
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {
                "code": "10006",
                "title": "Invalid ID",
                "detail": "The resource ID provided was invalid.",
                "source": {"parameter": "id"},
                "meta": {"url": "https://developers.telnyx.com/docs/overview/errors/10006"},
            }
        ]


def test_auth_is_checked_before_anything_else(emu: RunningEmulator) -> None:
    for path in ("/documents/not-a-uuid", "/documents?page[size]=0", "/no-such-route"):
        response = get(emu, path, headers={})
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "10009"


def test_unknown_route_is_404_in_telnyx_shape(emu: RunningEmulator) -> None:
    response = get(emu, "/no-such-route")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "10005"


@pytest.mark.parametrize(
    "params",
    [{"page[number]": "0"}, {"page[number]": "x"}, {"sort": "size"}, {"filter[created_at][gt]": "yesterday"}],
)
def test_invalid_list_parameters_are_422(emu: RunningEmulator, params: dict[str, str]) -> None:
    response = get(emu, "/documents", params=params)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["code"], error["source"]) == ("10015", {"parameter": next(iter(params))})


def test_pagination_meta_and_default_order(emu: RunningEmulator) -> None:
    names = []
    for number in (1, 2, 3, 4):
        body = get(emu, "/documents", params={"page[number]": number, "page[size]": 1}).json()
        assert body["meta"] == {"page_number": number, "page_size": 1, "total_pages": 3, "total_results": 3}
        names += [doc["filename"] for doc in body["data"]]
    # created_at descending by default; page 4 is past the end and empty
    assert names == ["utility-bill.png", "letter-of-authorization.pdf", "service-agreement.pdf"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sort": "filename"}, ["letter-of-authorization.pdf", "service-agreement.pdf", "utility-bill.png"]),
        ({"sort": "-filename"}, ["utility-bill.png", "service-agreement.pdf", "letter-of-authorization.pdf"]),
        (
            {"sort[]": "created_at"},
            ["service-agreement.pdf", "letter-of-authorization.pdf", "utility-bill.png"],
        ),
        ({"filter[customer_reference][eq]": "MY REF 001"}, ["service-agreement.pdf"]),
        ({"filter[customer_reference][in]": "MY REF 001,nope"}, ["service-agreement.pdf"]),
        (
            {"filter[customer_reference][in][]": ["PORT-1001"]},
            ["utility-bill.png", "letter-of-authorization.pdf"],
        ),
        ({"filter[filename][contains]": "BILL"}, ["utility-bill.png"]),
    ],
)
def test_sort_and_filters(emu: RunningEmulator, params: dict[str, Any], expected: list[str]) -> None:
    response = get(emu, "/documents", params=params)
    assert response.status_code == 200, response.text
    assert [doc["filename"] for doc in response.json()["data"]] == expected


def test_created_at_filters(emu: RunningEmulator) -> None:
    first, second, _ = state_of(emu).documents()  # seeded an hour apart, oldest first
    middle = iso8601((first.created_at + second.created_at) / 2)
    newer = get(emu, "/documents", params={"filter[created_at][gt]": middle}).json()["data"]
    older = get(emu, "/documents", params={"filter[created_at][lt]": middle}).json()["data"]
    assert [doc["filename"] for doc in newer] == ["utility-bill.png", "letter-of-authorization.pdf"]
    assert [doc["filename"] for doc in older] == ["service-agreement.pdf"]


def test_seeded_content_is_deterministic() -> None:
    with run_emulator("telnyx", file_size=FILE_SIZE, seed=7) as first:
        ids = first.ids
        digests = [doc.sha256 for doc in state_of(first).documents()]
        key = first.api_key
    with run_emulator("telnyx", file_size=FILE_SIZE, seed=7) as second:
        assert second.ids == ids
        assert [doc.sha256 for doc in state_of(second).documents()] == digests
        assert second.api_key == key
    with run_emulator("telnyx", file_size=FILE_SIZE, seed=8) as third:
        assert third.ids != ids


def test_wrong_checksum_fault_misreports_sha256(emu: RunningEmulator) -> None:
    doc_id = emu.ids[0]
    real = sha256(state_of(emu).data(doc_id))
    emu.faults.wrong_checksum = True
    reported = get(emu, f"/documents/{doc_id}").json()["data"]["sha256"]
    assert reported != real
    assert len(reported) == 64
    listed = get(emu, "/documents").json()["data"]
    assert all(doc["sha256"] != sha256(state_of(emu).data(doc["id"])) for doc in listed)
    assert get(emu, f"/documents/{doc_id}/download").content == state_of(emu).data(doc_id)  # bytes unchanged


def test_hostile_names_fault_reaches_metadata_and_header(emu: RunningEmulator) -> None:
    emu.faults.hostile_names = True
    doc_id = emu.ids[0]  # insertion index 0
    assert get(emu, f"/documents/{doc_id}").json()["data"]["filename"] == HOSTILE_NAMES[0]
    disposition = get(emu, f"/documents/{doc_id}/download").headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''..%2Fx.pdf" in disposition


def test_dropped_direct_download_is_incomplete(emu: RunningEmulator) -> None:
    emu.faults.drop_next(1, after_bytes=1000)
    with pytest.raises(httpx.HTTPError):
        get(emu, f"/documents/{emu.ids[0]}/download")
    assert get(emu, f"/documents/{emu.ids[0]}/download").content == state_of(emu).data(emu.ids[0])


def test_av_scan_advances_with_the_clock(clocked: RunningEmulator, clock: FakeClock) -> None:
    state = state_of(clocked)
    pending = next(doc for doc in state.documents() if doc.id not in clocked.ids)
    assert get(clocked, f"/documents/{pending.id}").json()["data"]["av_scan_status"] == "pending_scan"
    clock.advance(5.0)
    data = get(clocked, f"/documents/{pending.id}").json()["data"]
    assert data["av_scan_status"] == "scanned"
    assert data["updated_at"] > data["created_at"]


def test_state_handles_add_force_and_remove(clocked: RunningEmulator, clock: FakeClock) -> None:
    state = state_of(clocked)
    added = state.add_document(
        b"hello", filename="note.txt", content_type="text/plain", customer_reference="X"
    )
    body = get(clocked, f"/documents/{added.id}").json()["data"]
    assert (body["filename"], body["size"], body["status"]) == (
        "note.txt",
        {"amount": 5, "unit": "bytes"},
        "pending",
    )
    assert (
        get(clocked, "/documents", params={"page[size]": 1}).json()["data"][0]["id"] == added.id
    )  # newest first
    state.set_status(added.id, ReviewStatus.denied)
    state.set_av_scan_status(added.id, AvScanStatus.infected)
    clock.advance(60.0)
    body = get(clocked, f"/documents/{added.id}").json()["data"]
    assert (body["status"], body["av_scan_status"]) == (
        "denied",
        "infected",
    )  # forced: the clock does not move it
    link = get(clocked, f"/documents/{added.id}/download_link").json()["data"]["url"]
    state.remove(added.id)
    assert get(clocked, f"/documents/{added.id}").status_code == 404
    assert httpx.get(link, timeout=10.0).status_code == 404


def test_download_link_expires_with_link_ttl(clocked: RunningEmulator, clock: FakeClock) -> None:
    url = get(clocked, f"/documents/{clocked.ids[0]}/download_link").json()["data"]["url"]
    assert httpx.get(url, timeout=10.0).status_code == 200
    clock.advance(61.0)
    expired = httpx.get(url, timeout=10.0)
    assert expired.status_code == 403
    assert b"Request has expired" in expired.content


# ---- the official SDK against the emulator ----


def test_official_sdk_status_link_and_download(emu: RunningEmulator) -> None:
    import telnyx  # the official SDK: a test dependency (noxfile TEST_DEPS)

    client = telnyx.Telnyx(api_key=emu.api_key, base_url=emu.base_url, max_retries=0, timeout=10.0)
    doc_id = emu.ids[0]
    data = state_of(emu).data(doc_id)
    retrieved = client.documents.retrieve(doc_id).data
    assert (retrieved.sha256, retrieved.size.amount, retrieved.status) == (
        sha256(data),
        len(data),
        "verified",
    )
    url = client.documents.generate_download_link(doc_id).data.url
    assert httpx.get(url, timeout=10.0).content == data
    assert client.documents.download(doc_id).read() == data
    assert [doc.filename for doc in client.documents.list(page_size=1)] == [
        "utility-bill.png",
        "letter-of-authorization.pdf",
        "service-agreement.pdf",
    ]
    with pytest.raises(telnyx.NotFoundError):
        client.documents.retrieve(str(UNKNOWN_ID))
    bad = telnyx.Telnyx(api_key="KEYwrong", base_url=emu.base_url, max_retries=0, timeout=10.0)
    with pytest.raises(telnyx.AuthenticationError):
        bad.documents.generate_download_link(doc_id)
