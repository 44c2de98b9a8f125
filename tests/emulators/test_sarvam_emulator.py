"""Behaviour of the Sarvam emulator itself over real sockets, with plain httpx: auth, validation, the
job state machine on a fake clock, input checks, forced outcomes, output ZIPs, signed storage URLs."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.testing import FakeClock

JOBS = "/doc-digitization/job/v1"
KEY_HEADER = "api-subscription-key"
START = 1_785_000_000.0  # 2026-07-25T17:20:00Z: job ids start with 20260725_
UNKNOWN_JOB = "20260725_00000000-0000-4000-8000-000000000000"


def pdf(pages: int) -> bytes:
    return b"%PDF-1.7\n<</Type /Pages>>\n" + b"<</Type /Page>>\n" * pages + b"%%EOF\n"


def zip_of(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"\x89PNG fake image")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture(scope="module")
def emu(clock: FakeClock) -> Iterator[RunningEmulator]:
    with run_emulator("sarvam", clock=clock, job_step=1.0, file_size=2048) as running:
        yield running


@pytest.fixture
def api(emu: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), timeout=5.0) as client:
        yield client
    emu.faults.reset()
    emu.state.default_outcome = "Completed"


def error_of(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"message", "code", "request_id"}
    assert body["error"]["code"] == code
    message: str = body["error"]["message"]
    return message


def create(api: httpx.Client, **params: Any) -> str:
    response = api.post(JOBS, json={"job_parameters": params})
    assert response.status_code == 202, response.text
    job_id: str = response.json()["job_id"]
    return job_id


def upload_url(api: httpx.Client, job_id: str, name: str = "in.pdf") -> str:
    response = api.post(f"{JOBS}/upload-files", json={"job_id": job_id, "files": [name]})
    assert response.status_code == 200, response.text
    url: str = response.json()["upload_urls"][name]["file_url"]
    return url


def put(url: str, data: bytes, blob_type: str | None = "BlockBlob") -> httpx.Response:
    headers = {"x-ms-blob-type": blob_type} if blob_type else {}
    return httpx.put(url, content=data, headers=headers, timeout=5.0)


def started_job(api: httpx.Client, data: bytes, name: str = "in.pdf", **params: Any) -> str:
    job_id = create(api, **params)
    assert put(upload_url(api, job_id, name), data).status_code == 201
    assert api.post(f"{JOBS}/{job_id}/start").status_code == 202
    return job_id


def status(api: httpx.Client, job_id: str) -> dict[str, Any]:
    response = api.get(f"{JOBS}/{job_id}/status")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def output_zip(api: httpx.Client, job_id: str) -> zipfile.ZipFile:
    links = api.post(f"{JOBS}/{job_id}/download-files")
    assert links.status_code == 200, links.text
    fetched = httpx.get(links.json()["download_urls"]["document.zip"]["file_url"], timeout=5.0)
    assert fetched.status_code == 200
    assert fetched.headers["content-type"] == "application/octet-stream"
    return zipfile.ZipFile(io.BytesIO(fetched.content))


# ---- credentials ----

ROUTES = [
    ("POST", JOBS),
    ("POST", f"{JOBS}/upload-files"),
    ("POST", f"{JOBS}/{UNKNOWN_JOB}/start"),
    ("GET", f"{JOBS}/{UNKNOWN_JOB}/status"),
    ("POST", f"{JOBS}/{UNKNOWN_JOB}/download-files"),
    ("GET", "/no/such/route"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("headers", [{}, {KEY_HEADER: "sk_wrong"}, {"authorization": "Bearer x"}])
def test_every_route_needs_the_subscription_key(
    emu: RunningEmulator, method: str, path: str, headers: dict[str, str]
) -> None:
    response = httpx.request(method, emu.base_url + path, headers=headers, json={}, timeout=5.0)
    assert "key" in error_of(response, 403, "invalid_api_key_error").lower()


# ---- validation, unknown resources, methods ----


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (JOBS, {}, "body.job_parameters : Field required"),
        (
            JOBS,
            {"job_parameters": {"output_format": "json"}},
            "body.job_parameters.output_format : Input should be 'html' or 'md'",
        ),
        (JOBS, {"job_parameters": {"output_format": "markdown"}}, "body.job_parameters.output_format"),
        (JOBS, {"job_parameters": {"language": "or-IN"}}, "body.job_parameters.language"),
        (JOBS, {"job_parameters": {}, "callback": {"url": "http://hook.example/x"}}, "HTTPS"),
        (f"{JOBS}/upload-files", {"job_id": UNKNOWN_JOB, "files": []}, "body.files"),
        (f"{JOBS}/upload-files", {"job_id": UNKNOWN_JOB, "files": ["a.pdf", "b.pdf"]}, "body.files"),
        (f"{JOBS}/upload-files", {"files": ["a.pdf"]}, "body.job_id : Field required"),
    ],
)
def test_invalid_bodies_are_400_in_sarvams_shape(
    api: httpx.Client, path: str, body: dict[str, Any], message: str
) -> None:
    assert message in error_of(api.post(path, json=body), 400, "invalid_request_error")


def test_malformed_json_is_400(api: httpx.Client) -> None:
    response = api.post(JOBS, content=b"{not json", headers={"content-type": "application/json"})
    error_of(response, 400, "invalid_request_error")


def test_https_callback_is_accepted(api: httpx.Client) -> None:
    body = {"job_parameters": {}, "callback": {"url": "https://hook.example/done", "auth_token": "t"}}
    assert api.post(JOBS, json=body).status_code == 202


def test_unknown_job_is_404_everywhere(api: httpx.Client) -> None:
    for response in (
        api.post(f"{JOBS}/upload-files", json={"job_id": UNKNOWN_JOB, "files": ["a.pdf"]}),
        api.post(f"{JOBS}/{UNKNOWN_JOB}/start"),
        api.get(f"{JOBS}/{UNKNOWN_JOB}/status"),
        api.post(f"{JOBS}/{UNKNOWN_JOB}/download-files"),
    ):
        assert UNKNOWN_JOB in error_of(response, 404, "not_found_error")
    error_of(api.get("/no/such/route"), 404, "not_found_error")


def test_get_on_download_files_is_405(emu: RunningEmulator, api: httpx.Client) -> None:
    response = api.get(f"{JOBS}/{emu.ids[0]}/download-files")
    error_of(response, 405, "invalid_request_error")
    assert "POST" in response.headers["allow"]


# ---- the job state machine (fake clock, job_step = 1 s, Running for 2 steps) ----


def test_job_moves_through_its_states(api: httpx.Client, clock: FakeClock) -> None:
    job_id = create(api, language="ta-IN", output_format="html")
    accepted = status(api, job_id)
    assert (accepted["job_state"], accepted["total_files"], accepted["job_details"]) == ("Accepted", 0, [])
    assert "upload" in error_of(api.post(f"{JOBS}/{job_id}/start"), 400, "invalid_request_error")

    url = upload_url(api, job_id, "three.pdf")
    assert status(api, job_id)["job_state"] == "Accepted"  # a URL alone changes nothing
    missing_header = put(url, pdf(3), blob_type=None)
    assert missing_header.status_code == 400 and b"MissingRequiredHeader" in missing_header.content
    assert status(api, job_id)["job_state"] == "Accepted"
    assert put(url, pdf(3)).status_code == 201
    assert status(api, job_id)["job_state"] == "Pending"

    started = api.post(f"{JOBS}/{job_id}/start")
    assert started.status_code == 202
    assert started.json()["job_state"] == "Running"
    assert started.json()["job_details"][0]["pages_processed"] == 0
    clock.now += 1.0
    halfway = status(api, job_id)
    assert halfway["job_state"] == "Running" and halfway["job_details"][0]["pages_processed"] == 1
    assert "Running" in error_of(api.post(f"{JOBS}/{job_id}/download-files"), 400, "invalid_request_error")
    assert "Running" in error_of(api.post(f"{JOBS}/{job_id}/start"), 400, "invalid_request_error")
    refused = api.post(f"{JOBS}/upload-files", json={"job_id": job_id, "files": ["again.pdf"]})
    error_of(refused, 400, "invalid_request_error")
    assert put(url, pdf(1)).status_code == 409  # the earlier upload URL no longer replaces the input

    clock.now += 1.0
    done = status(api, job_id)
    assert done["job_state"] == "Completed"
    assert done["updated_at"] > done["created_at"]
    assert done["job_details"][0]["pages_succeeded"] == 3
    assert output_zip(api, job_id).namelist()[0] == "document.html"


def test_reupload_before_start_replaces_the_input(api: httpx.Client) -> None:
    job_id = create(api)
    assert put(upload_url(api, job_id, "one.pdf"), pdf(1)).status_code == 201
    assert put(upload_url(api, job_id, "four.pdf"), pdf(4)).status_code == 201
    started = api.post(f"{JOBS}/{job_id}/start").json()
    assert started["job_details"][0]["inputs"][0]["file_name"] == "four.pdf"
    assert started["job_details"][0]["total_pages"] == 4


def test_default_and_forced_outcomes(emu: RunningEmulator, api: httpx.Client, clock: FakeClock) -> None:
    emu.state.default_outcome = "PartiallyCompleted"
    partial = started_job(api, pdf(3))
    failed = started_job(api, pdf(2))
    emu.state.force_outcome(failed, "Failed", error_message="OCR engine crashed")
    forced_partial = started_job(api, pdf(4))
    emu.state.force_outcome(forced_partial, "PartiallyCompleted", failed_pages=(1, 3))
    clock.now += 2.0

    body = status(api, partial)
    assert body["job_state"] == "PartiallyCompleted"
    assert [e["page_number"] for e in body["job_details"][0]["page_errors"]] == [3]
    assert output_zip(api, partial).namelist() == [
        "document.md",
        "metadata/page_001.json",
        "metadata/page_002.json",
    ]

    body = status(api, failed)
    assert (body["job_state"], body["error_message"]) == ("Failed", "OCR engine crashed")
    assert body["job_details"][0]["pages_failed"] == 2
    assert "Failed" in error_of(api.post(f"{JOBS}/{failed}/download-files"), 400, "invalid_request_error")

    body = status(api, forced_partial)
    assert [e["page_number"] for e in body["job_details"][0]["page_errors"]] == [1, 3]
    assert body["job_details"][0]["pages_succeeded"] == 2
    with pytest.raises(ValueError, match="already ended"):
        emu.state.force_outcome(forced_partial, "Completed")
    with pytest.raises(KeyError):
        emu.state.force_outcome(UNKNOWN_JOB, "Completed")


def test_add_job_output_matches_the_live_layout(emu: RunningEmulator, api: httpx.Client) -> None:
    job_id = emu.state.add_job("PartiallyCompleted", pages=4, failed_pages=(2, 3), output_format="html")
    archive = output_zip(api, job_id)
    assert archive.namelist() == ["document.html", "metadata/page_001.json", "metadata/page_004.json"]
    assert archive.read("document.html").startswith(b"<!DOCTYPE html>")
    page = json.loads(archive.read("metadata/page_004.json"))
    assert page["page_num"] == 4 and {"image_width", "image_height"} <= set(page)
    block = page["blocks"][0]
    assert set(block) == {"block_id", "coordinates", "layout_tag", "confidence", "reading_order", "text"}
    assert set(block["coordinates"]) == {"x1", "y1", "x2", "y2"}


# ---- start's input validation ----


@pytest.mark.parametrize(
    ("name", "data", "status_code", "code", "message"),
    [
        ("in.pdf", b"GIF89a", 422, "unprocessable_entity_error", "PDF"),
        ("in.pdf", pdf(11), 422, "max_page_limit_exceeded", "PDF has 11 pages, maximum allowed is 10"),
        ("in.zip", b"PK broken", 422, "unprocessable_entity_error", "ZIP"),
        ("in.zip", zip_of(["a.png", "notes.txt"]), 422, "unprocessable_entity_error", "JPEG or PNG"),
        ("in.zip", zip_of(["a/b/c.png"]), 422, "unprocessable_entity_error", "nested"),
        ("in.zip", zip_of([]), 422, "unprocessable_entity_error", "JPEG or PNG"),
        ("in.zip", zip_of([f"{n:02}.jpg" for n in range(11)]), 422, "max_page_limit_exceeded", "ZIP has 11"),
    ],
)
def test_start_rejects_bad_inputs(
    api: httpx.Client, name: str, data: bytes, status_code: int, code: str, message: str
) -> None:
    job_id = create(api)
    assert put(upload_url(api, job_id, name), data).status_code == 201
    assert message in error_of(api.post(f"{JOBS}/{job_id}/start"), status_code, code)
    assert status(api, job_id)["job_state"] == "Pending"  # the caller may upload a fixed file


def test_zip_of_images_counts_pages(api: httpx.Client) -> None:
    job_id = create(api)
    assert (
        put(upload_url(api, job_id, "photos.zip"), zip_of(["p/1.png", "p/2.JPG", "p/3.jpeg"])).status_code
        == 201
    )
    assert api.post(f"{JOBS}/{job_id}/start").json()["job_details"][0]["total_pages"] == 3


def test_limits_come_from_the_state(emu: RunningEmulator, api: httpx.Client) -> None:
    job_id = create(api)
    assert put(upload_url(api, job_id), pdf(3)).status_code == 201
    emu.state.max_input_bytes = 16
    try:
        assert "exceeds" in error_of(api.post(f"{JOBS}/{job_id}/start"), 400, "invalid_request_error")
        emu.state.max_input_bytes, emu.state.max_pages = 10**6, 2
        error_of(api.post(f"{JOBS}/{job_id}/start"), 422, "max_page_limit_exceeded")
    finally:
        emu.state.max_input_bytes, emu.state.max_pages = 200 * 1024 * 1024, 10


def test_upload_only_accepts_pdf_or_zip(api: httpx.Client) -> None:
    job_id = create(api)
    response = api.post(f"{JOBS}/upload-files", json={"job_id": job_id, "files": ["photo.png"]})
    assert "photo.png" in error_of(response, 400, "invalid_request_error")


# ---- storage: signed URLs, no credentials, expiry, faults ----


def test_storage_urls_need_no_credential_and_never_see_one(emu: RunningEmulator, api: httpx.Client) -> None:
    job_id = started_job(api, pdf(1))
    output_zip(api, emu.ids[1])
    assert emu.storage.requests, "the storage origin saw no request"
    for request in emu.storage.requests:
        assert KEY_HEADER not in request.headers
        assert str(emu.api_key) not in json.dumps(request.headers)
    assert status(api, job_id)["job_state"] in {"Running", "Completed"}


def test_upload_urls_are_signed_and_put_only(api: httpx.Client) -> None:
    url = upload_url(api, create(api))
    assert httpx.get(url, timeout=5.0).status_code == 405
    tampered = url.replace("signature=", "signature=0")
    assert put(tampered, pdf(1)).status_code == 403
    download_style = url.replace("/u/", "/o/")
    assert httpx.get(download_style, timeout=5.0).status_code in (403, 404)


def test_links_expire_and_download_files_issues_fresh_ones() -> None:
    clock = FakeClock(START)
    with (
        run_emulator("sarvam", clock=clock, link_ttl=5.0, file_size=512) as emu,
        httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), timeout=5.0) as api,
    ):
        first = api.post(f"{JOBS}/{emu.ids[0]}/download-files").json()["download_urls"]["document.zip"][
            "file_url"
        ]
        upload = upload_url(api, create(api))
        clock.now += 6.0
        assert httpx.get(first, timeout=5.0).status_code == 403
        assert put(upload, pdf(1)).status_code == 403
        second = api.post(f"{JOBS}/{emu.ids[0]}/download-files").json()["download_urls"]["document.zip"][
            "file_url"
        ]
        assert second != first and httpx.get(second, timeout=5.0).status_code == 200


def test_hostile_names_change_the_reported_file_name(emu: RunningEmulator, api: httpx.Client) -> None:
    emu.faults.hostile_names = True
    urls = api.post(f"{JOBS}/{emu.ids[0]}/download-files").json()["download_urls"]
    assert list(urls) == ["../x.pdf"]


def test_injected_api_failures_use_sarvams_shape(emu: RunningEmulator, api: httpx.Client) -> None:
    emu.faults.fail_next(1, 429, retry_after=2)
    response = api.get(f"{JOBS}/{emu.ids[0]}/status")
    error_of(response, 429, "rate_limit_exceeded_error")
    assert response.headers["retry-after"] == "2"
    assert api.get(f"{JOBS}/{emu.ids[0]}/status").status_code == 200


# ---- seeds ----


def test_seeds_cover_every_terminal_state(emu: RunningEmulator, api: httpx.Client) -> None:
    assert len(emu.ids) >= 1 and emu.ids == emu.state.completed_ids
    states = {job_id: status(api, job_id)["job_state"] for job_id in [*emu.ids, emu.state.partial_id]}
    assert set(states.values()) == {"Completed", "PartiallyCompleted"}
    assert status(api, emu.state.failed_id)["job_state"] == "Failed"


def test_seeded_ids_and_content_are_deterministic() -> None:
    def snapshot(seed: int) -> tuple[list[str], list[bytes]]:
        with run_emulator("sarvam", seed=seed, clock=FakeClock(START), file_size=1024) as emu:
            jobs = [emu.state.job(job_id) for job_id in emu.ids]
            return list(emu.ids), [emu.storage.get(str(job.output_key)).data for job in jobs]

    first, again, other = snapshot(7), snapshot(7), snapshot(8)
    assert first == again
    assert first[0] != other[0] and first[1] != other[1]
    assert all(job_id.startswith("20260725_") for job_id in first[0])
