"""Veridox: the generated client against the emulator, and the emulator's own behaviour, over real sockets."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from http import HTTPStatus
from typing import TYPE_CHECKING
from typing import Any

import httpx
import pytest
from docfetch import HeaderKeyAuth
from docfetch.emulators import HOSTILE_NAMES
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.veridox_state import ERROR_NOT_FOUND
from docfetch.emulators.veridox_state import ERROR_NOT_OWNED
from docfetch.emulators.veridox_state import ERROR_NOT_UPLOADED
from docfetch.emulators.veridox_state import MAIN_ORG
from docfetch.emulators.veridox_state import VeridoxState
from docfetch.emulators.veridox_state import uuid7
from docfetch_veridox_client import Client
from docfetch_veridox_client.api.files import download_files
from docfetch_veridox_client.api.files import get_asset_url
from docfetch_veridox_client.api.files import list_files
from docfetch_veridox_client.models import AnalysisOutcome
from docfetch_veridox_client.models import AnalysisStatus
from docfetch_veridox_client.models import ApiError
from docfetch_veridox_client.models import ApiErrorDetails
from docfetch_veridox_client.models import AssetType
from docfetch_veridox_client.models import AssetUrl
from docfetch_veridox_client.models import DownloadFilesRequest
from docfetch_veridox_client.models import DownloadFilesResponse
from docfetch_veridox_client.models import FileList
from docfetch_veridox_client.models import FileSortBy
from docfetch_veridox_client.models import SortOrder

if TYPE_CHECKING:
    from .conftest import FakeClock

UNKNOWN_V7 = "01939f4e-6c2a-7b3d-9e41-5a6b7c8d9e0f"
DOCS_EXAMPLE_V4 = "3c90c3cc-0d44-4b50-8888-8dd25736052a"  # the docs' own example id: version 4


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the read-mostly tests; tests that count requests use a fresh key of their own."""
    with run_emulator("veridox", file_size=4096) as running:
        yield running


@pytest.fixture
def clocked(clock: FakeClock) -> Iterator[RunningEmulator]:
    with run_emulator(
        "veridox", clock=clock, link_ttl=100.0, rate_limit_per_minute=3, job_step=1.0, file_size=4096
    ) as running:
        yield running


def state_of(emu: RunningEmulator) -> VeridoxState:
    state = emu.state
    assert isinstance(state, VeridoxState)
    return state


def fresh_key(emu: RunningEmulator) -> str:
    return state_of(emu).new_api_key(MAIN_ORG)


class Captured:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def generated_client(emu: RunningEmulator, captured: Captured, key: str | None = None) -> Client:
    """The generated client as the wrappers build it: an httpx.Auth carries the key."""
    return Client(
        base_url=emu.base_url,
        timeout=httpx.Timeout(5.0),
        httpx_args={
            "auth": HeaderKeyAuth("x-api-key", key or fresh_key(emu)),
            "event_hooks": {"request": [captured]},
        },
    )


def api(emu: RunningEmulator, key: str | None = None) -> httpx.Client:
    headers = {} if key is None else {"x-api-key": key}
    return httpx.Client(base_url=emu.base_url, headers=headers, timeout=5.0)


def post_download(emu: RunningEmulator, key: str, body: Any) -> httpx.Response:
    with api(emu, key) as client:
        return client.post("/files/download", json=body)


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["error_code"] == code
    assert isinstance(body["error_message"], str)
    assert body["error_message"]
    return body


# ---- the generated client, operation by operation ----


def test_download_files_request_and_partial_success(emu: RunningEmulator) -> None:
    captured = Captured()
    key = fresh_key(emu)
    foreign = state_of(emu).seeded["not_owned"][0]
    ids = [*emu.ids[:2], foreign, UNKNOWN_V7]
    with generated_client(emu, captured, key) as client:
        response = download_files.sync_detailed(client=client, body=DownloadFilesRequest(file_ids=ids))

    sent = captured.last
    assert sent.method == "POST"
    assert sent.url.path == "/files/download"
    assert sent.headers["x-api-key"] == key
    assert sent.headers["content-type"] == "application/json"
    assert json.loads(sent.content) == {"file_ids": ids}

    assert response.status_code == HTTPStatus.OK
    parsed = response.parsed
    assert isinstance(parsed, DownloadFilesResponse)
    assert [link.file_id for link in parsed.files] == [uuid.UUID(i) for i in emu.ids[:2]]
    assert [link.label for link in parsed.files] == ["bank-statement-2024-03.pdf", "passport-scan.jpg"]
    assert all(isinstance(link.expires_at, datetime) for link in parsed.files)
    assert all(link.download_url.startswith(emu.storage.base_url) for link in parsed.files)
    errors = {str(error.file_id): error.error for error in parsed.errors or []}
    assert errors == {foreign: ERROR_NOT_OWNED, UNKNOWN_V7: ERROR_NOT_FOUND}


@pytest.mark.parametrize(
    ("body_ids", "status", "code"),
    [([DOCS_EXAMPLE_V4], 400, "request.validation"), ([], 400, "request.validation")],
)
def test_download_files_errors_parse_as_api_error(
    emu: RunningEmulator, body_ids: list[str], status: int, code: str
) -> None:
    with generated_client(emu, Captured()) as client:
        response = download_files.sync_detailed(client=client, body=DownloadFilesRequest(file_ids=body_ids))
    assert response.status_code == status
    assert isinstance(response.parsed, ApiError)
    assert response.parsed.error_code == code
    details = response.parsed.error_details
    assert isinstance(details, ApiErrorDetails)
    assert details["errors"][0]["location"][:2] == ["body", "file_ids"]


def test_generated_client_parses_401_and_429(clocked: RunningEmulator) -> None:
    body = DownloadFilesRequest(file_ids=clocked.ids[:1])
    with generated_client(clocked, Captured(), "vdx_wrong") as client:
        response = download_files.sync_detailed(client=client, body=body)
    assert response.status_code == 401
    assert isinstance(response.parsed, ApiError)
    assert response.parsed.error_code == "request.authentication.api-key.invalid"

    with generated_client(clocked, Captured()) as client:
        for _ in range(3):
            assert download_files.sync_detailed(client=client, body=body).status_code == 200
        limited = download_files.sync_detailed(client=client, body=body)
    assert limited.status_code == 429
    assert isinstance(limited.parsed, ApiError)
    assert limited.parsed.error_code == "request.rate-limit"
    assert limited.headers["retry-after"] == "60"


@pytest.mark.parametrize("status", [403, 409, 500, 503])
def test_generated_client_parses_injected_errors(emu: RunningEmulator, status: int) -> None:
    emu.faults.fail_next(1, status)
    with generated_client(emu, Captured()) as client:
        response = list_files.sync_detailed(client=client)
    assert response.status_code == status
    assert isinstance(response.parsed, ApiError)
    assert response.parsed.error_message.startswith("Injected fault")


def test_list_files_request_and_models(emu: RunningEmulator) -> None:
    captured = Captured()
    with generated_client(emu, captured) as client:
        response = list_files.sync_detailed(
            client=client, limit=2, offset=1, sort_by=FileSortBy.RISK_SCORE, sort_order=SortOrder.ASC
        )
    sent = captured.last
    assert (sent.method, sent.url.path) == ("GET", "/files")
    assert dict(sent.url.params) == {
        "limit": "2",
        "offset": "1",
        "sort_by": "risk_score",
        "sort_order": "asc",
    }
    assert "x-api-key" in sent.headers

    parsed = response.parsed
    assert isinstance(parsed, FileList)
    assert parsed.total >= 6  # five ready files and one waiting for upload; the foreign one is not listed
    assert len(parsed.files) == 2
    first = parsed.files[0]
    assert isinstance(first.file_id, uuid.UUID)
    assert isinstance(first.analysis_status, AnalysisStatus)


def test_list_files_invalid_query_is_400(emu: RunningEmulator) -> None:
    with generated_client(emu, Captured()) as client:
        response = list_files.sync_detailed(client=client, limit=101)
    assert response.status_code == 400
    assert isinstance(response.parsed, ApiError)
    assert response.parsed.error_code == "request.validation"


def test_get_asset_url_request_and_models(emu: RunningEmulator) -> None:
    captured = Captured()
    file_id = emu.ids[0]
    with generated_client(emu, captured) as client:
        response = get_asset_url.sync_detailed(client=client, file_id=file_id, asset=AssetType.PDF_REPORT)
        waiting = state_of(emu).seeded["waiting_for_upload"][0]
        missing = get_asset_url.sync_detailed(client=client, file_id=waiting, asset=AssetType.THUMBNAIL)
    sent = captured.requests[0]
    assert (sent.method, sent.url.path) == ("GET", "/files/asset-url")
    assert dict(sent.url.params) == {"file_id": file_id, "asset": "pdf_report"}

    parsed = response.parsed
    assert isinstance(parsed, AssetUrl)
    assert parsed.url.startswith(emu.storage.base_url)
    assert httpx.get(parsed.url).content == state_of(emu).content(file_id, AssetType.PDF_REPORT)

    assert missing.status_code == 404
    assert isinstance(missing.parsed, ApiError)
    assert missing.parsed.error_code == "request.cases.case-file.asset-not-found"


# ---- authentication and validation ----


def test_missing_wrong_and_expired_keys(emu: RunningEmulator) -> None:
    with api(emu) as anonymous:
        assert_error(anonymous.get("/files"), 401, "request.authentication.api-key.invalid")
    with api(emu, "vdx_not-a-key") as wrong:
        body = assert_error(wrong.get("/files"), 401, "request.authentication.api-key.invalid")
        assert body["error_message"] == "The provided API key is invalid."
    key = fresh_key(emu)
    state_of(emu).expire_api_key(key)
    with api(emu, key) as expired:
        assert_error(expired.get("/files"), 401, "request.authentication.api-key.expired")


def test_authentication_comes_before_validation(emu: RunningEmulator) -> None:
    with api(emu) as anonymous:
        response = anonymous.post("/files/download", json={"file_ids": "not a list"})
    assert_error(response, 401, "request.authentication.api-key.invalid")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"file_ids": [DOCS_EXAMPLE_V4]}, id="uuid-v4"),
        pytest.param({"file_ids": ["not-a-uuid"]}, id="not-uuid"),
        pytest.param({"file_ids": []}, id="empty"),
        pytest.param({"file_ids": [UNKNOWN_V7] * 26}, id="26-ids"),
        pytest.param({}, id="missing-field"),
        pytest.param({"fileIds": [UNKNOWN_V7]}, id="wrong-field-name"),
        pytest.param({"file_ids": UNKNOWN_V7}, id="string-not-list"),
        pytest.param({"file_ids": [1, 2]}, id="ints"),
        pytest.param([UNKNOWN_V7], id="list-not-object"),
    ],
)
def test_download_body_validation(emu: RunningEmulator, body: Any) -> None:
    response = post_download(emu, fresh_key(emu), body)
    error = assert_error(response, 400, "request.validation")
    assert error["error_details"]["errors"]


def test_malformed_json_is_400(emu: RunningEmulator) -> None:
    with api(emu, fresh_key(emu)) as client:
        response = client.post(
            "/files/download", content=b'{"file_ids": [', headers={"content-type": "application/json"}
        )
    assert_error(response, 400, "request.validation")


def test_twenty_five_ids_are_accepted(emu: RunningEmulator) -> None:
    ids = state_of(emu).add_files(25, size=16)
    response = post_download(emu, fresh_key(emu), {"file_ids": ids})
    assert response.status_code == 200
    assert [entry["file_id"] for entry in response.json()["files"]] == ids


# ---- per-file outcomes ----


def test_per_file_errors_and_ownership_changes(emu: RunningEmulator) -> None:
    state = state_of(emu)
    mine, theirs = state.add_files(2, labels=["mine.pdf", "theirs.pdf"])
    waiting = state.seeded["waiting_for_upload"][0]
    key = fresh_key(emu)
    state.set_owned([theirs], owned=False)

    # Upper-case hex is allowed by the pattern; a repeated id is reported once.
    body = {"file_ids": [mine.upper(), mine, theirs, waiting, UNKNOWN_V7]}
    result = post_download(emu, key, body).json()
    assert [entry["file_id"] for entry in result["files"]] == [mine]
    assert result["errors"] == [
        {"file_id": theirs, "error": ERROR_NOT_OWNED},
        {"file_id": waiting, "error": ERROR_NOT_UPLOADED},
        {"file_id": UNKNOWN_V7, "error": ERROR_NOT_FOUND},
    ]

    # The other organisation's key sees the file; the caller loses it from its listing.
    other_key = state.new_api_key()
    assert [
        entry["file_id"] for entry in post_download(emu, other_key, {"file_ids": [theirs]}).json()["files"]
    ] == [theirs]
    with api(emu, key) as client:
        listed = {entry["file_id"] for entry in client.get("/files", params={"limit": 100}).json()["files"]}
    assert mine in listed
    assert theirs not in listed

    state.remove([mine])
    assert post_download(emu, key, {"file_ids": [mine]}).json()["errors"] == [
        {"file_id": mine, "error": ERROR_NOT_FOUND}
    ]


def test_hostile_names_replace_labels(clocked: RunningEmulator) -> None:
    clocked.faults.hostile_names = True
    result = post_download(clocked, clocked.api_key or "", {"file_ids": clocked.ids}).json()
    assert [entry["label"] for entry in result["files"]] == HOSTILE_NAMES[: len(clocked.ids)]
    with api(clocked, clocked.api_key) as client:
        labels = [entry["label"] for entry in client.get("/files").json()["files"]]
    assert labels == HOSTILE_NAMES[: len(labels)]


# ---- storage links ----


def test_links_download_without_credentials(emu: RunningEmulator) -> None:
    key = fresh_key(emu)
    links = post_download(emu, key, {"file_ids": emu.ids}).json()["files"]
    before = len(emu.storage.requests)
    for link in links:
        response = httpx.get(link["download_url"], timeout=5.0)
        assert response.status_code == 200
        assert response.content == state_of(emu).content(link["file_id"])
        assert link["label"] in response.headers["content-disposition"]
    recorded = emu.storage.requests[before:]
    assert len(recorded) == len(links)
    assert all("x-api-key" not in request.headers for request in recorded)
    assert all(key not in json.dumps(request.headers) for request in recorded)


def test_links_expire_after_link_ttl(clocked: RunningEmulator, clock: FakeClock) -> None:
    file_id = clocked.ids[0]
    link = post_download(clocked, clocked.api_key or "", {"file_ids": [file_id]}).json()["files"][0]
    assert datetime.fromisoformat(link["expires_at"]) == datetime.fromtimestamp(clock.now + 100.0, tz=UTC)
    with api(clocked, clocked.api_key) as client:
        asset = client.get("/files/asset-url", params={"file_id": file_id, "asset": "file_download"}).json()
    assert datetime.fromisoformat(asset["expires_at"]) == datetime.fromtimestamp(clock.now + 50.0, tz=UTC)

    clock.advance(60.0)
    assert httpx.get(link["download_url"]).status_code == 200
    assert httpx.get(asset["url"]).status_code == 403  # asset URLs live half as long
    clock.advance(40.0)
    expired = httpx.get(link["download_url"])
    assert expired.status_code == 403
    assert b"Request has expired" in expired.content


# ---- rate limit ----


def test_rate_limit_sliding_window_per_key(clocked: RunningEmulator, clock: FakeClock) -> None:
    key = clocked.api_key or ""
    body = {"file_ids": clocked.ids[:1]}
    assert post_download(clocked, key, body).status_code == 200
    clock.advance(20.0)
    assert post_download(clocked, key, {"file_ids": []}).status_code == 400  # rejected requests count too
    assert post_download(clocked, key, body).status_code == 200

    limited = post_download(clocked, key, body)
    error = assert_error(limited, 429, "request.rate-limit")
    assert error["error_message"] == "Too many requests. Please try again later."
    assert limited.headers["retry-after"] == "40"  # the first request leaves the window 40 s from now

    # Another key has its own window, and other endpoints are not limited by this one.
    assert post_download(clocked, state_of(clocked).new_api_key(MAIN_ORG), body).status_code == 200
    with api(clocked, key) as client:
        assert client.get("/files").status_code == 200

    clock.advance(39.5)
    assert post_download(clocked, key, body).headers["retry-after"] == "1"  # rounded up, never 0
    clock.advance(0.5)
    assert post_download(clocked, key, body).status_code == 200
    assert post_download(clocked, key, body).status_code == 429


def test_rate_limit_zero_disables_it() -> None:
    with run_emulator("veridox", rate_limit_per_minute=0, file_size=64) as running:
        for _ in range(25):
            assert (
                post_download(running, running.api_key or "", {"file_ids": running.ids[:1]}).status_code
                == 200
            )


# ---- analysis timeline, listing, seeding ----


def test_analysis_advances_with_the_clock(clocked: RunningEmulator, clock: FakeClock) -> None:
    state = state_of(clocked)
    key = clocked.api_key
    processing = state.add_file("fresh.pdf", settled=False)
    waiting = state.seeded["waiting_for_upload"][0]

    def summary(file_id: str) -> dict[str, Any]:
        with api(clocked, key) as client:
            files = client.get("/files", params={"limit": 100}).json()["files"]
        return next(entry for entry in files if entry["file_id"] == file_id)

    def asset_status(file_id: str, asset: str) -> int:
        with api(clocked, key) as client:
            return client.get("/files/asset-url", params={"file_id": file_id, "asset": asset}).status_code

    first = summary(processing)
    assert (first["analysis_status"], first["analysis_outcome"], first["current_risk_score"]) == (
        "processing",
        None,
        None,
    )
    assert asset_status(processing, "file_download") == 200
    assert asset_status(processing, "pdf_report") == 404
    clock.advance(3.0)  # ANALYSIS_STEPS * job_step
    settled = summary(processing)
    assert (settled["analysis_status"], settled["analysis_outcome"]) == ("settled", "success")
    assert settled["current_risk_score"] is not None
    assert asset_status(processing, "pdf_report") == 200

    assert summary(waiting)["analysis_status"] == "waiting_for_upload"
    assert summary(waiting)["thumbnail_url"] is None
    state.upload(waiting)
    assert summary(waiting)["analysis_status"] == "processing"
    state.force_settle(waiting, AnalysisOutcome.FAILED)
    assert summary(waiting)["analysis_outcome"] == "failed"
    assert asset_status(waiting, "log_output") == 200
    assert asset_status(waiting, "ela_overlay") == 404  # no forensic assets for a failed analysis


def test_list_pagination_and_sorting(emu: RunningEmulator) -> None:
    with api(emu, fresh_key(emu)) as client:
        everything = client.get("/files", params={"limit": 100}).json()
        total = everything["total"]
        page = client.get("/files", params={"limit": 2, "offset": 1}).json()
        oldest = client.get("/files", params={"sort_order": "asc", "limit": 1}).json()
        by_risk = client.get("/files", params={"sort_by": "risk_score", "limit": 100}).json()
        bad_sort = client.get("/files", params={"sort_by": "name"})
    ids = [entry["file_id"] for entry in everything["files"]]
    assert [entry["file_id"] for entry in page["files"]] == ids[1:3]
    assert page["total"] == total
    assert oldest["files"][0]["file_id"] == ids[-1]
    assert state_of(emu).seeded["not_owned"][0] not in ids
    scores = [
        -1 if e["current_risk_score"] is None else int(e["current_risk_score"]) for e in by_risk["files"]
    ]
    assert scores == sorted(scores, reverse=True)
    assert_error(bad_sort, 400, "request.validation")


def test_seeded_ids_are_deterministic_uuid7() -> None:
    with (
        run_emulator("veridox", seed=7, file_size=64) as one,
        run_emulator("veridox", seed=7, file_size=64) as two,
    ):
        assert one.ids == two.ids
        assert one.api_key == two.api_key
        assert state_of(one).content(one.ids[0]) == state_of(two).content(two.ids[0])
    with run_emulator("veridox", seed=8, file_size=64) as other:
        assert set(other.ids).isdisjoint(one.ids)
    for file_id in one.ids:
        parsed = uuid.UUID(file_id)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122


def test_uuid7_layout() -> None:
    value = uuid.UUID(uuid7(seed=1, namespace="file", sequence=5))
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert value.int >> 80 == 1_735_689_600_000 + 5  # 48-bit unix-ms timestamp
    assert uuid7(1, "file", 5) != uuid7(2, "file", 5) != uuid7(1, "case", 5)


def test_bulk_added_files_are_listed_in_creation_order(emu: RunningEmulator) -> None:
    key = fresh_key(emu)
    with api(emu, key) as client:
        before = client.get("/files", params={"limit": 1}).json()["total"]
        ids = state_of(emu).add_files(1000, size=32)
        after = client.get("/files", params={"limit": 1}).json()
    assert after["total"] == before + 1000
    assert after["files"][0]["file_id"] == ids[-1]  # newest first
    assert len(set(ids)) == 1000
    assert ids == sorted(ids)  # UUIDv7 sort in creation order
    last_batch = post_download(emu, key, {"file_ids": ids[-25:]}).json()
    assert len(last_batch["files"]) == 25
