"""Drift mode (config.drift): each emulator answers like a newer API version, and a tolerant flow written
with plain httpx (unknown values ignored, optional fields optional) still completes over real sockets."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit

import httpx
import pytest
from docfetch.emulators import DriftRules
from docfetch.emulators import run_emulator
from docfetch.emulators.drift import UNKNOWN_FIELD
from docfetch.emulators.drift import drift_json
from docfetch.emulators.drift import shifted_timestamp
from docfetch.emulators.drift import without_extension
from docfetch.testing import EmulatorFactory
from docfetch.testing import FakeClock

OFFSET_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+05:30$")
TERMINAL_SARVAM = {"Completed", "PartiallyCompleted", "Failed"}
TERMINAL_API2CONVERT = {"completed", "failed", "canceled"}


def objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in `value`, depth first (not the unknown field's own value)."""
    if isinstance(value, dict):
        yield value
        for key, item in value.items():
            if key != UNKNOWN_FIELD:
                yield from objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from objects(item)


def assert_drifted(body: Any, maps: tuple[str, ...] = ()) -> None:
    """Every object but the named maps has the unknown field; every timestamp has an offset."""
    for obj in objects(body):
        if UNKNOWN_FIELD in obj:
            continue
        assert any(obj is parent.get(name) for parent in objects(body) for name in maps), obj
    stamps = [
        value
        for obj in objects(body)
        for key, value in obj.items()
        if key in ("created_at", "updated_at", "modified_at", "expires_at", "uploaded_at")
        and value is not None
    ]
    assert stamps and all(OFFSET_STAMP.match(stamp) for stamp in stamps), stamps


def instant(text: str) -> datetime:
    """The moment an ISO 8601 timestamp names (no offset means UTC)."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---- the generic rewrite ----
def test_drift_json_rewrites_objects_values_and_timestamps() -> None:
    rules = DriftRules(
        new_values={"status": {"pending": "under_review"}},
        omit=frozenset({"note"}),
        timestamps=frozenset({"created_at"}),
        maps=frozenset({"links"}),
    )
    body = {
        "status": "pending",
        "note": "dropped",
        "created_at": "2026-12-07T04:41:12.345Z",
        "links": {"a.pdf": {"url": "u", "status": "pending"}, "note": {"url": "v"}},
        "items": [{"status": "verified"}, "pending"],
    }
    drifted = drift_json(body, rules)
    assert drifted["status"] == "under_review"
    assert "note" not in drifted
    assert drifted["created_at"] == "2026-12-07T10:11:12.345000+05:30"
    assert set(drifted["links"]) == {"a.pdf", "note"}  # a map keeps its keys: no field added, none left out
    assert drifted["links"]["a.pdf"] == {
        "url": "u",
        "status": "under_review",
        UNKNOWN_FIELD: drifted[UNKNOWN_FIELD],
    }
    assert drifted["items"] == [{"status": "verified", UNKNOWN_FIELD: drifted[UNKNOWN_FIELD]}, "pending"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-08-15T17:33:05", "2017-08-15T23:03:05.000000+05:30"),  # no offset means UTC
        ("2018-02-02T22:25:27.521Z", "2018-02-03T03:55:27.521000+05:30"),
        ("2026-01-01T00:00:00.123456+00:00", "2026-01-01T05:30:00.123456+05:30"),
        ("not a time", "not a time"),
    ],
)
def test_shifted_timestamps_keep_the_instant(text: str, expected: str) -> None:
    assert shifted_timestamp(text) == expected
    if expected != text:
        assert instant(expected) == instant(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("passport-scan.jpg", "passport-scan"), ("a.b.pdf", "a.b"), ("README", "README"), (".env", ".env")],
)
def test_without_extension(name: str, expected: str) -> None:
    assert without_extension(name) == expected


def test_middleware_leaves_other_bodies_alone(emulator: EmulatorFactory, tiny_builder: Any) -> None:
    emu = emulator("tiny", builder=tiny_builder, drift=True)
    auth = emu.auth_headers()
    link = httpx.get(f"{emu.base_url}/documents/{emu.ids[0]}/link", headers=auth)
    assert link.json()[UNKNOWN_FIELD] and int(link.headers["content-length"]) == len(link.content)
    assert httpx.get(link.json()["url"]).content == emu.storage.get(emu.ids[0]).data  # storage: as is
    emu.faults.fail_next(1, 503, retry_after=1)
    failed = httpx.get(f"{emu.base_url}/documents/{emu.ids[0]}/link", headers=auth)
    assert failed.status_code == 503 and UNKNOWN_FIELD in failed.json()  # injected errors drift too


# ---- telnyx ----
def test_telnyx_drift_and_a_tolerant_download(emulator: EmulatorFactory) -> None:
    emu = emulator("telnyx", drift=True)
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), timeout=5.0) as api:
        listing = api.get("/documents").json()
        assert_drifted(listing)
        documents = listing["data"]
        assert {doc["status"] for doc in documents} == {"verified", "under_review"}
        assert {doc["av_scan_status"] for doc in documents} == {"scanned", "scan_queued"}
        for doc in documents:
            assert not {"customer_reference", "content_type", "record_type", "updated_at"} & set(doc)
        for doc_id in emu.ids:
            document = api.get(f"/documents/{doc_id}").json()["data"]
            url = api.get(f"/documents/{doc_id}/download_link").json()["data"]["url"]
            data = httpx.get(url).content
            assert hashlib.sha256(data).hexdigest() == document["sha256"]
            assert len(data) == document["size"]["amount"]
        missing = api.get("/documents/00000000-0000-4000-8000-000000000000")
        assert missing.status_code == 404 and UNKNOWN_FIELD in missing.json()["errors"][0]


# ---- indexhealth ----
def test_indexhealth_drift_and_a_tolerant_download(emulator: EmulatorFactory) -> None:
    emu = emulator("indexhealth", drift=True)
    credentials = emu.credentials
    with httpx.Client(base_url=emu.base_url, timeout=5.0) as api:
        token = api.post("/generate-client-auth-token", json=credentials).json()
        assert UNKNOWN_FIELD in token and UNKNOWN_FIELD in token["data"]
        api.headers["Authorization"] = f"Bearer {token['data']['auth_token']}"
        collection = emu.state.collection_id
        listing = api.post("/get-documents", json={"collection_id": collection}).json()
        assert_drifted(listing)
        types = {doc["document_id"]: doc.get("document_type") for doc in listing["data"]}
        assert "IMAGE" in types.values()  # a type the spec does not list
        for doc in listing["data"]:
            assert not {"document_description", "document_tags", "collection_name"} & set(doc)
        for document_id in emu.ids:
            url = api.post("/download", json={"document_id": document_id}).json()["data"]["download_url"]
            stored = emu.state.documents[document_id].stored
            assert httpx.get(url).content == stored.data
        image = next(doc_id for doc_id, kind in types.items() if kind == "IMAGE")
        assert image in emu.ids
        direct = api.get(f"/download/{image}")
        assert direct.headers["content-type"] == "image/png"
        assert 'filename="Member ID card.png"' in direct.headers["content-disposition"]


def test_indexhealth_without_drift_has_no_image_document(emulator: EmulatorFactory) -> None:
    emu = emulator("indexhealth")
    assert len(emu.ids) == 2
    assert all(doc.document_type.value != "IMG" for doc in emu.state.documents.values())


# ---- sarvam ----
def pdf(pages: int) -> bytes:
    return b"%PDF-1.7\n<</Type /Pages>>\n" + b"<</Type /Page>>\n" * pages + b"%%EOF\n"


def test_sarvam_drift_finalizing_state_and_a_tolerant_flow(
    emulator: EmulatorFactory, clock: FakeClock
) -> None:
    emu = emulator("sarvam", drift=True, clock=clock, job_step=1.0, file_size=2048)
    jobs = "/doc-digitization/job/v1"
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), timeout=5.0) as api:
        created = api.post(jobs, json={"job_parameters": {"language": "en-IN"}}).json()
        assert created["storage_container_type"] == "Azure_V2" and UNKNOWN_FIELD in created
        job_id = created["job_id"]
        upload = api.post(f"{jobs}/upload-files", json={"job_id": job_id, "files": ["in.pdf"]}).json()
        assert set(upload["upload_urls"]) == {"in.pdf"}  # a map: no unknown key among the file names
        url = upload["upload_urls"]["in.pdf"]["file_url"]
        assert httpx.put(url, content=pdf(2), headers={"x-ms-blob-type": "BlockBlob"}).status_code == 201
        assert api.post(f"{jobs}/{job_id}/start").status_code == 202
        seen: list[str] = []
        while not seen or seen[-1] not in TERMINAL_SARVAM:  # unknown states are not terminal
            body = api.get(f"{jobs}/{job_id}/status").json()
            if not seen or seen[-1] != body["job_state"]:
                seen.append(body["job_state"])
            assert len(seen) < 10
            clock.advance(0.5)
        assert seen == ["Running", "Finalizing", "Completed"]
        assert_drifted(body)
        assert "total_files" not in body and "pages_processed" not in body["job_details"][0]
        links = api.post(f"{jobs}/{job_id}/download-files").json()
        assert set(links["download_urls"]) == {"document.zip"}
        fetched = httpx.get(links["download_urls"]["document.zip"]["file_url"])
        assert fetched.status_code == 200 and fetched.content.startswith(b"PK")
    assert emu.state.job(emu.ids[0]).phase == "Completed"  # seeded jobs are done at once in drift mode too


# ---- veridox ----
def test_veridox_drift_labels_without_extension(emulator: EmulatorFactory) -> None:
    emu = emulator("veridox", drift=True)
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), timeout=5.0) as api:
        links = api.post("/files/download", json={"file_ids": emu.ids}).json()
        assert_drifted(links)
        labels = [link["label"] for link in links["files"]]
        assert "passport-scan" in labels and not any("." in label for label in labels)
        for link in links["files"]:
            fetched = httpx.get(link["download_url"])
            assert fetched.status_code == 200
            name = emu.state.get(link["file_id"]).label
            assert name.startswith(link["label"] + ".")
            assert f'filename="{name}"' in fetched.headers["content-disposition"]
            assert fetched.headers["content-type"] == emu.state.get(link["file_id"]).mime_type
        listing = api.get("/files").json()
        assert_drifted(listing)
        for summary in listing["files"]:
            assert not {"mime_type", "thumbnail_url", "current_risk_score", "case_label"} & set(summary)
        processing = emu.state.add_file("late.pdf", settled=False)
        statuses = {f["file_id"]: f["analysis_status"] for f in api.get("/files").json()["files"]}
        assert statuses[processing] == "in_analysis"


# ---- api2convert ----
def test_api2convert_drift_and_a_tolerant_flow(emulator: EmulatorFactory, clock: FakeClock) -> None:
    emu = emulator("api2convert", drift=True, clock=clock, job_step=1.0, file_size=4096)
    job_request = {
        "conversion": [{"target": "png"}],
        "input": [{"type": "remote", "source": "https://example.com/files/scan.tiff"}],
    }
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), timeout=5.0) as api:
        created = api.post("/jobs", json=job_request).json()
        assert created["type"] == "conversion" and created["input"][0]["type"] == "url"
        assert created["input"][0]["status"] == "fetching"
        job_id, codes = created["id"], [created["status"]["code"]]
        while codes[-1] not in TERMINAL_API2CONVERT:  # unknown codes are not terminal
            clock.advance(0.5)
            job = api.get(f"/jobs/{job_id}").json()
            if job["status"]["code"] != codes[-1]:
                codes.append(job["status"]["code"])
            assert len(codes) < 10
        assert codes == ["queued", "processing", "postprocessing", "completed"]
        assert_drifted(job, maps=("errors",))
        assert "info" not in job["status"] and "server" not in job
        (output,) = job["output"]
        assert not {"filename", "content_type", "downloads_counter"} & set(output)
        name = unquote(urlsplit(output["uri"]).path.rsplit("/", 1)[-1])
        assert name == "scan.png"
        data = httpx.get(output["uri"]).content
        assert hashlib.md5(data, usedforsecurity=False).hexdigest() == output["checksum"]
        assert api.get(f"/jobs/{job_id}/output").json()[0]["uri"] == output["uri"]


def test_api2convert_seeded_jobs_are_complete_in_drift_mode(clock: FakeClock) -> None:
    with run_emulator("api2convert", drift=True, clock=clock, job_step=1.0) as emu:
        assert emu.state.status_of(emu.ids[0]) == "completed"
        assert emu.state.status_of(emu.state.failed_job_id) == "failed"


@pytest.mark.parametrize("provider", ["sarvam", "indexhealth", "telnyx", "veridox", "api2convert"])
def test_without_drift_no_unknown_field(emulator: EmulatorFactory, provider: str) -> None:
    emu = emulator(provider)
    emu.faults.fail_next(1, 500)
    response = httpx.get(f"{emu.base_url}/anything", headers=emu.auth_headers())
    assert response.status_code == 500 and UNKNOWN_FIELD not in response.text
