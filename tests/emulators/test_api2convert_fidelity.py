"""API2Convert emulator options over real sockets: checksum forms, download passwords, refused links with a
fresh uri, the per-output download counter, and unknown conversion targets."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.api2convert_catalog import KNOWN_TARGETS
from docfetch.emulators.api2convert_catalog import TARGETS_BY_CATEGORY
from docfetch.emulators.api2convert_state import PASSWORD_HEADER
from docfetch.emulators.api2convert_state import Api2ConvertState
from docfetch.testing import EmulatorFactory
from docfetch.testing import FakeClock

STEP = 1.0
PNG_JOB: dict[str, Any] = {
    "conversion": [{"target": "png"}],
    "input": [{"type": "remote", "source": "https://example.com/files/scan.tiff"}],
}


@pytest.fixture
def emu(clock: FakeClock) -> Iterator[RunningEmulator]:
    with run_emulator("api2convert", clock=clock, job_step=STEP, file_size=4096) as running:
        yield running


@pytest.fixture
def api(emu: RunningEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), timeout=5.0) as client:
        yield client


def state_of(emu: RunningEmulator) -> Api2ConvertState:
    assert isinstance(emu.state, Api2ConvertState)
    return emu.state


def finished_job(api: httpx.Client, clock: FakeClock, body: dict[str, Any]) -> dict[str, Any]:
    created = api.post("/jobs", json=body)
    assert created.status_code == 201, created.text
    clock.advance(2 * STEP)
    job: dict[str, Any] = api.get(f"/jobs/{created.json()['id']}").json()
    assert job["status"]["code"] == "completed"
    return job


# ---- checksum forms ----
@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("md5", lambda d: hashlib.md5(d, usedforsecurity=False).hexdigest()),
        ("sha1", lambda d: hashlib.sha1(d, usedforsecurity=False).hexdigest()),
        ("sha256", lambda d: hashlib.sha256(d).hexdigest()),
        ("sha512", lambda d: hashlib.sha512(d).hexdigest()),
        ("md5-upper", lambda d: hashlib.md5(d, usedforsecurity=False).hexdigest().upper()),
        ("md5-base64", lambda d: base64.b64encode(hashlib.md5(d, usedforsecurity=False).digest()).decode()),
        ("sha256-prefixed", lambda d: "sha256:" + hashlib.sha256(d).hexdigest()),
    ],
)
def test_output_checksum_forms(emulator: EmulatorFactory, form: str, expected: Any) -> None:
    emu = emulator("api2convert", output_checksum=form, file_size=1024)
    output = httpx.get(f"{emu.base_url}/jobs/{emu.ids[0]}", headers=emu.auth_headers()).json()["output"][0]
    data = httpx.get(output["uri"]).content
    assert output["checksum"] == expected(data)
    emu.faults.wrong_checksum = True
    lying = httpx.get(f"{emu.base_url}/jobs/{emu.ids[0]}/output", headers=emu.auth_headers()).json()[0]
    assert lying["checksum"] != output["checksum"] and len(lying["checksum"]) == len(output["checksum"])


def test_unknown_checksum_form_is_refused(emulator: EmulatorFactory) -> None:
    with pytest.raises(ValueError, match="output_checksum"):
        emulator("api2convert", output_checksum="crc32")


# ---- download passwords ----
def test_outputs_of_a_password_job_need_the_password(
    emu: RunningEmulator, api: httpx.Client, clock: FakeClock
) -> None:
    job = finished_job(api, clock, {**PNG_JOB, "download_passwords": ["first", "second"]})
    assert job["download_passwords"] == ["first", "second"]
    uri = job["output"][0]["uri"]
    missing = httpx.get(uri)
    assert missing.status_code == 401 and "<Code>DownloadPasswordRequired</Code>" in missing.text
    wrong = httpx.get(uri, headers={PASSWORD_HEADER: "third"})
    assert wrong.status_code == 403 and "<Code>InvalidDownloadPassword</Code>" in wrong.text
    assert httpx.get(uri, headers={PASSWORD_HEADER: "second"}).status_code == 200
    assert httpx.get(uri, params={"encoding": "base64"}).status_code == 401
    # A PATCH sends the full list, also once the job is done: rotation applies to stored outputs at once.
    rotated = api.patch(f"/jobs/{job['id']}", json={"download_passwords": ["rotated"]})
    assert rotated.status_code == 200 and rotated.json()["download_passwords"] == ["rotated"]
    assert httpx.get(uri, headers={PASSWORD_HEADER: "second"}).status_code == 403
    assert httpx.get(uri, headers={PASSWORD_HEADER: "rotated"}).status_code == 200
    assert api.patch(f"/jobs/{job['id']}", json={"process": True}).status_code == 409  # other changes: no
    assert api.patch(f"/jobs/{job['id']}", json={"download_passwords": []}).status_code == 200
    assert httpx.get(uri).status_code == 200
    assert state_of(emu).downloads(job["output"][0]["id"]) == 3  # refused requests never count


def test_a_password_set_by_patch_before_start(
    emu: RunningEmulator, api: httpx.Client, clock: FakeClock
) -> None:
    staged = api.post("/jobs", json={**PNG_JOB, "process": False, "download_passwords": ["old"]}).json()
    started = api.patch(f"/jobs/{staged['id']}", json={"process": True, "download_passwords": ["new"]})
    assert started.status_code == 200 and started.json()["download_passwords"] == ["new"]
    clock.advance(2 * STEP)
    uri = api.get(f"/jobs/{staged['id']}").json()["output"][0]["uri"]
    assert httpx.get(uri, headers={PASSWORD_HEADER: "old"}).status_code == 403
    assert httpx.get(uri, headers={PASSWORD_HEADER: "new"}).status_code == 200


def test_jobs_without_passwords_need_none(emu: RunningEmulator, api: httpx.Client) -> None:
    job = api.get(f"/jobs/{emu.ids[0]}").json()
    assert "download_passwords" not in job
    assert httpx.get(job["output"][0]["uri"]).status_code == 200


# ---- refused links, fresh uri, download counter ----
@pytest.mark.parametrize("status", [403, 404, 410])
def test_a_refused_link_and_the_fresh_uri(emu: RunningEmulator, api: httpx.Client, status: int) -> None:
    before = api.get(f"/jobs/{emu.ids[0]}").json()["output"][0]
    assert httpx.get(before["uri"]).status_code == 200
    fresh = state_of(emu).refuse_output_link(before["id"], status)
    assert httpx.get(before["uri"]).status_code == status
    after_job = api.get(f"/jobs/{emu.ids[0]}").json()["output"][0]
    after_list = api.get(f"/jobs/{emu.ids[0]}/output").json()[0]
    assert after_job["uri"] == after_list["uri"] == fresh != before["uri"]
    assert after_job["status"] == "enabled"
    data = httpx.get(fresh).content
    assert hashlib.md5(data, usedforsecurity=False).hexdigest() == before["checksum"]
    assert api.get(f"/jobs/{emu.ids[0]}").json()["output"][0]["downloads_counter"] == 2


def test_the_default_cap_of_ten_downloads_is_observable(emu: RunningEmulator, api: httpx.Client) -> None:
    output = api.get(f"/jobs/{emu.ids[0]}").json()["output"][0]
    state = state_of(emu)
    requests_before = len(emu.storage.requests)
    for count in range(1, 11):
        assert httpx.get(output["uri"]).status_code == 200
        assert state.downloads(output["id"]) == count
    assert api.get(f"/jobs/{emu.ids[0]}").json()["output"][0]["status"] == "overuse"
    refused = httpx.get(output["uri"])
    assert refused.status_code == 410 and "<Code>DownloadLimitExceeded</Code>" in refused.text
    assert state.downloads(output["id"]) == 10
    assert len(emu.storage.requests) - requests_before == 11
    state.disable_output(output["id"])
    assert state.downloads(output["id"]) == 10  # still readable once the file is deleted


# ---- unknown conversion targets ----
@pytest.mark.parametrize(
    ("conversion", "field"),
    [
        ({"target": "this-is-not-a-real-target"}, "conversion.0.target"),
        ({"target": "png", "category": "no-such-category"}, "conversion.0.category"),
        ({"target": "mp3", "category": "image"}, "conversion.0.target"),
    ],
)
def test_unknown_targets_are_400_at_create(api: httpx.Client, conversion: dict[str, str], field: str) -> None:
    response = api.post("/jobs", json={**PNG_JOB, "conversion": [{"target": "png"}, conversion]})
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Invalid input."
    assert set(body["errors"]) == {field.replace(".0.", ".1.")}


def test_unknown_targets_are_400_at_patch(api: httpx.Client) -> None:
    staged = api.post("/jobs", json={"process": False, "input": PNG_JOB["input"]}).json()
    response = api.patch(f"/jobs/{staged['id']}", json={"conversion": [{"target": "nope"}]})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"conversion.0.target"}
    assert api.get(f"/jobs/{staged['id']}").json()["conversion"] == []


def test_known_targets_cover_the_sdk_examples_and_ignore_case(api: httpx.Client) -> None:
    for target, category in [("PNG", None), ("mp3", "audio"), ("thumbnail", "operation"), ("sha256", "hash")]:
        conversion = {"target": target} | ({"category": category} if category else {})
        response = api.post("/jobs", json={"process": False, "conversion": [conversion]})
        assert response.status_code == 201, response.text
    assert "png" in KNOWN_TARGETS and "mp3" in TARGETS_BY_CATEGORY["audio"]
