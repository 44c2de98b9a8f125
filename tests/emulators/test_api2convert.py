"""API2Convert: the generated client against the emulator, and the emulator's behaviour, over real sockets."""

from __future__ import annotations

import base64
import hashlib
import json
import ssl
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import httpx
import pytest
from docfetch import HeaderKeyAuth
from docfetch.emulators import HOSTILE_NAMES
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.api2convert_state import Api2ConvertState
from docfetch.testing import FakeClock
from docfetch_api2convert_client import Client
from docfetch_api2convert_client.api.jobs import create_job
from docfetch_api2convert_client.api.jobs import get_job
from docfetch_api2convert_client.api.jobs import list_job_outputs
from docfetch_api2convert_client.api.jobs import list_jobs
from docfetch_api2convert_client.api.jobs import update_job
from docfetch_api2convert_client.models import Error
from docfetch_api2convert_client.models import ErrorErrors
from docfetch_api2convert_client.models import Job
from docfetch_api2convert_client.models import JobRequest
from docfetch_api2convert_client.models import OutputFile
from docfetch_api2convert_client.models import OutputFileStatus

TLS = ssl.create_default_context()  # shared: loading the CA bundle per client costs ~30 ms
KEY_HEADER = "X-Api2convert-Api-Key"
UNAUTHORIZED = "No API key or invalid API key given."
STEP = 5.0  # config.job_step of the clocked emulators
REMOTE_JOB = {
    "conversion": [{"target": "png"}],
    "input": [{"type": "remote", "source": "https://example.com/files/scan.tiff"}],
}


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for tests that only add jobs of their own (real clock; jobs run in 0.2 s)."""
    with run_emulator("api2convert", file_size=4096) as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """A plain client without any credential (building one per request costs an SSL context each)."""
    with httpx.Client(timeout=5.0, verify=TLS) as client:
        yield client


@pytest.fixture(autouse=True)
def _reset_faults(emu: RunningEmulator) -> Iterator[None]:
    yield
    emu.faults.reset()


@pytest.fixture
def clocked(clock: FakeClock) -> Iterator[RunningEmulator]:
    """An emulator whose time moves only when the test advances it."""
    with run_emulator(
        "api2convert",
        clock=clock,
        job_step=STEP,
        download_cap=3,
        output_lifetime=600.0,
        file_size=4096,
    ) as running:
        yield running


class Recorder:
    """httpx event hook keeping every request the generated client sends."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> None:
        self.requests.append(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def generated_client(emu: RunningEmulator, recorder: Recorder, key: str | None = None) -> Client:
    return Client(
        base_url=emu.base_url,
        timeout=httpx.Timeout(5.0),
        httpx_args={
            "auth": HeaderKeyAuth(KEY_HEADER, key or str(emu.api_key)),
            "event_hooks": {"request": [recorder]},
        },
    )


def state_of(emu: RunningEmulator) -> Api2ConvertState:
    state = emu.state
    assert isinstance(state, Api2ConvertState)
    return state


def plain(emu: RunningEmulator, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=emu.base_url, headers=headers, timeout=5.0, verify=TLS)


def sent_json(request: httpx.Request) -> Any:
    return json.loads(request.content)


# ---- the generated client, operation by operation ----


def test_list_jobs_sends_key_and_page_and_parses_jobs(emu: RunningEmulator) -> None:
    recorder = Recorder()
    with generated_client(emu, recorder) as client:
        response = list_jobs.sync_detailed(client=client, page=1)
    request = recorder.last
    assert (request.method, request.url.path) == ("GET", "/v2/jobs")
    assert request.url.params["page"] == "1"
    assert request.headers[KEY_HEADER] == emu.api_key
    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, list)
    assert all(isinstance(job, Job) for job in response.parsed)
    ids = [job.id for job in response.parsed]
    assert emu.ids[0] in ids
    assert int(response.headers["X-Count"]) >= len(ids)


def test_list_jobs_no_match_is_204_and_bad_page_is_400(emu: RunningEmulator) -> None:
    recorder = Recorder()
    with generated_client(emu, recorder) as client:
        empty = list_jobs.sync_detailed(client=client, status="no-such-status")
        bad = list_jobs.sync_detailed(client=client, page=0)
    assert recorder.requests[0].url.params["status"] == "no-such-status"
    assert empty.status_code == HTTPStatus.NO_CONTENT
    assert empty.parsed is None
    assert bad.status_code == HTTPStatus.BAD_REQUEST
    assert isinstance(bad.parsed, Error)
    assert bad.parsed.message == "Invalid input."
    assert isinstance(bad.parsed.errors, ErrorErrors)
    assert "page" in bad.parsed.errors.additional_properties


def test_list_jobs_wrong_key_is_401_error(emu: RunningEmulator) -> None:
    with generated_client(emu, Recorder(), key="not-the-key") as client:
        response = list_jobs.sync_detailed(client=client)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert isinstance(response.parsed, Error)
    assert response.parsed.message == UNAUTHORIZED


def test_create_job_posts_the_body_and_parses_201(emu: RunningEmulator) -> None:
    recorder = Recorder()
    with generated_client(emu, recorder) as client:
        response = create_job.sync_detailed(client=client, body=JobRequest.from_dict(REMOTE_JOB))
    request = recorder.last
    assert (request.method, request.url.path) == ("POST", "/v2/jobs")
    assert request.headers["content-type"] == "application/json"
    assert request.headers[KEY_HEADER] == emu.api_key
    assert sent_json(request) == REMOTE_JOB
    assert response.status_code == HTTPStatus.CREATED
    job = response.parsed
    assert isinstance(job, Job)
    assert job.status.code == "queued"  # process defaults to true
    assert job.conversion and job.conversion[0].target == "png"
    assert job.input_ and job.input_[0].filename == "scan.tiff"
    assert job.token and job.server == emu.storage.base_url


def test_create_job_invalid_input_is_400_in_the_provider_shape(emu: RunningEmulator) -> None:
    body = JobRequest.from_dict({**REMOTE_JOB, "input": [{"type": "remote", "source": ""}]})  # minLength 1
    with generated_client(emu, Recorder()) as client:
        response = create_job.sync_detailed(client=client, body=body)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert isinstance(response.parsed, Error)
    assert isinstance(response.parsed.errors, ErrorErrors)
    assert list(response.parsed.errors.additional_properties) == ["input.0.source"]


def test_create_job_empty_body_is_204(emu: RunningEmulator) -> None:
    recorder = Recorder()
    with generated_client(emu, recorder) as client:
        response = create_job.sync_detailed(client=client, body=JobRequest())
    assert sent_json(recorder.last) == {}
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert response.parsed is None


@pytest.mark.parametrize("status", [402, 429, 500])
def test_create_job_documented_failures_parse_as_error(emu: RunningEmulator, status: int) -> None:
    emu.faults.fail_next(1, status)
    with generated_client(emu, Recorder()) as client:
        response = create_job.sync_detailed(client=client, body=JobRequest.from_dict(REMOTE_JOB))
    assert response.status_code == status
    assert isinstance(response.parsed, Error)
    assert response.parsed.message.startswith("Injected fault")


def test_get_job_parses_the_seeded_completed_job(emu: RunningEmulator) -> None:
    recorder = Recorder()
    with generated_client(emu, recorder) as client:
        response = get_job.sync_detailed(emu.ids[0], client=client)
    assert (recorder.last.method, recorder.last.url.path) == ("GET", f"/v2/jobs/{emu.ids[0]}")
    assert recorder.last.headers[KEY_HEADER] == emu.api_key
    job = response.parsed
    assert isinstance(job, Job)
    assert job.status.code == "completed"
    assert job.output and len(job.output) == 2
    assert {output.status for output in job.output} == {OutputFileStatus.ENABLED}
    assert [output.filename for output in job.output] == ["example_small.png", "example_small.jpg"]


def test_get_job_unknown_is_404_error(emu: RunningEmulator) -> None:
    with generated_client(emu, Recorder()) as client:
        response = get_job.sync_detailed("00000000-0000-0000-0000-000000000000", client=client)
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert isinstance(response.parsed, Error)
    assert response.parsed.message == "The specified job does not exists."


def test_update_job_starts_a_staged_job(emu: RunningEmulator) -> None:
    recorder = Recorder()
    with generated_client(emu, recorder) as client:
        staged = create_job.sync(client=client, body=JobRequest.from_dict({**REMOTE_JOB, "process": False}))
        assert isinstance(staged, Job)
        assert staged.status.code == "created"
        response = update_job.sync_detailed(staged.id, client=client, body=JobRequest(process=True))
    request = recorder.last
    assert (request.method, request.url.path) == ("PATCH", f"/v2/jobs/{staged.id}")
    assert request.headers[KEY_HEADER] == emu.api_key
    assert sent_json(request) == {"process": True}
    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, Job)
    assert response.parsed.status.code == "queued"


def test_update_job_errors_parse(emu: RunningEmulator) -> None:
    with generated_client(emu, Recorder()) as client:
        finished = update_job.sync_detailed(emu.ids[0], client=client, body=JobRequest(process=True))
        unknown = update_job.sync_detailed("nope", client=client, body=JobRequest(process=True))
        empty = update_job.sync_detailed(emu.ids[0], client=client, body=JobRequest())
    assert finished.status_code == HTTPStatus.CONFLICT
    assert isinstance(finished.parsed, Error)
    assert unknown.status_code == HTTPStatus.NOT_FOUND
    assert isinstance(unknown.parsed, Error)
    assert empty.status_code == HTTPStatus.BAD_REQUEST
    assert isinstance(empty.parsed, Error)
    assert (empty.parsed.code, empty.parsed.message) == (8, "The JSON body is empty")


def test_list_job_outputs_parses_and_filters(emu: RunningEmulator) -> None:
    recorder = Recorder()
    with generated_client(emu, recorder) as client:
        everything = list_job_outputs.sync(emu.ids[0], client=client)
        assert isinstance(everything, list) and len(everything) == 2
        first = everything[0]
        assert isinstance(first, OutputFile) and first.source
        only = list_job_outputs.sync(emu.ids[0], client=client, conversion_id=str(first.source.conversion))
        missing = list_job_outputs.sync_detailed("nope", client=client)
    assert recorder.requests[0].url.path == f"/v2/jobs/{emu.ids[0]}/output"
    assert recorder.requests[1].url.params["conversion_id"] == first.source.conversion
    assert isinstance(only, list) and [output.id for output in only] == [first.id]
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert isinstance(missing.parsed, Error)


def test_list_job_outputs_wrong_key_is_401(emu: RunningEmulator) -> None:
    with generated_client(emu, Recorder(), key="wrong") as client:
        response = list_job_outputs.sync_detailed(emu.ids[0], client=client)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert isinstance(response.parsed, Error)


# ---- credentials ----


def test_missing_key_and_legacy_alias(emu: RunningEmulator) -> None:
    with plain(emu) as anonymous, plain(emu, **{"X-Oc-Api-Key": str(emu.api_key)}) as legacy:
        refused = anonymous.get(f"/jobs/{emu.ids[0]}")
        accepted = legacy.get(f"/jobs/{emu.ids[0]}")
    assert refused.status_code == 401
    assert refused.json() == {"message": UNAUTHORIZED}
    assert accepted.status_code == 200


def test_job_token_grants_that_job_only(emu: RunningEmulator) -> None:
    state = state_of(emu)
    with plain(emu, **emu.auth_headers()) as account:
        token = account.get(f"/jobs/{emu.ids[0]}").json()["token"]
    with plain(emu, **{"X-Api2convert-Token": token}) as holder:
        own = holder.get(f"/jobs/{emu.ids[0]}")
        listed = holder.get("/jobs")
        other = holder.get(f"/jobs/{state.failed_job_id}")
        create = holder.post("/jobs", json=REMOTE_JOB)
    assert own.status_code == 200
    assert [job["id"] for job in listed.json()] == [emu.ids[0]]
    assert other.status_code == 401
    assert create.status_code == 401


# ---- validation ----


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"{not json", "body"),
        (
            b'{"input": [{"type": "carrier-pigeon", "source": "x"}], "conversion": [{"target": "pdf"}]}',
            "input.0.type",
        ),
        (b'{"input": [{"type": "remote"}]}', "input.0.source"),
        (b'{"conversion": [{"category": "image"}]}', "conversion.0.target"),
        (b'{"process": "maybe"}', "process"),
        (b"[1, 2]", "body"),
    ],
)
def test_invalid_bodies_are_400_in_the_provider_shape(
    emu: RunningEmulator, content: bytes, field: str
) -> None:
    with plain(emu, **emu.auth_headers()) as client:
        response = client.post("/jobs", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Invalid input."
    assert field in body["errors"]


def test_bad_query_and_unknown_route_use_the_provider_shape(emu: RunningEmulator) -> None:
    with plain(emu, **emu.auth_headers()) as client:
        bad_page = client.get("/jobs", params={"page": "two"})
        unknown = client.get("/nothing-here")
    assert bad_page.status_code == 400
    assert "page" in bad_page.json()["errors"]
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"message"}


# ---- the job state machine (fake clock) ----


def test_job_moves_created_queued_processing_completed(clocked: RunningEmulator, clock: FakeClock) -> None:
    with plain(clocked, **clocked.auth_headers()) as client:
        job = client.post("/jobs", json={**REMOTE_JOB, "process": False}).json()
        path = f"/jobs/{job['id']}"
        seen = [job["status"]["code"]]
        seen.append(client.patch(path, json={"process": True}).json()["status"]["code"])
        for _ in range(2):
            clock.advance(STEP)
            seen.append(client.get(path).json()["status"]["code"])
        done = client.get(path).json()
    assert seen == ["created", "queued", "processing", "completed"]
    assert len(done["output"]) == 1 and done["output"][0]["status"] == "enabled"
    assert done["input"][0]["status"] == "ready"
    assert done["spent"] == 1


def test_incomplete_job_starts_once_its_input_arrives(clocked: RunningEmulator) -> None:
    with plain(clocked, **clocked.auth_headers()) as client:
        job = client.post("/jobs", json={"conversion": [{"target": "pdf"}]}).json()
        assert job["status"]["code"] == "incomplete"
        patched = client.patch(f"/jobs/{job['id']}", json={"input": REMOTE_JOB["input"]})
    assert patched.json()["status"]["code"] == "queued"


def test_running_job_refuses_to_be_unstarted(clocked: RunningEmulator) -> None:
    with plain(clocked, **clocked.auth_headers()) as client:
        job = client.post("/jobs", json=REMOTE_JOB).json()
        refused = client.patch(f"/jobs/{job['id']}", json={"process": False})
    assert refused.status_code == 409
    assert refused.json()["message"].startswith("The status of the job could not be changed")


def test_forced_outcomes(clocked: RunningEmulator, clock: FakeClock) -> None:
    state = state_of(clocked)
    state.fail_next_jobs(1)
    with plain(clocked, **clocked.auth_headers()) as client:
        failing = client.post("/jobs", json=REMOTE_JOB).json()["id"]
        canceled = client.post("/jobs", json=REMOTE_JOB).json()["id"]
        forced = client.post("/jobs", json=REMOTE_JOB).json()["id"]
        state.cancel(canceled)
        state.force_outcome(forced, "failed")
        clock.advance(2 * STEP)
        jobs = {job_id: client.get(f"/jobs/{job_id}").json() for job_id in (failing, canceled, forced)}
        seeded_failed = client.get(f"/jobs/{state.failed_job_id}").json()
    assert jobs[failing]["status"]["code"] == "failed"
    assert jobs[failing]["errors"][0]["code"] == 404
    assert jobs[failing]["output"] == []
    assert jobs[canceled]["status"]["code"] == "canceled"
    assert jobs[forced]["status"]["code"] == "failed"
    assert seeded_failed["status"] == {
        "code": "failed",
        "info": "The file has not been converted due to errors.",
    }


def test_list_jobs_pages_of_50_with_status_filter(clocked: RunningEmulator) -> None:
    state = state_of(clocked)
    for _ in range(53):
        state.add_job()
    with plain(clocked, **clocked.auth_headers()) as client:
        first = client.get("/jobs")
        second = client.get("/jobs", params={"page": 2})
        third = client.get("/jobs", params={"page": 3})
        failed = client.get("/jobs", params={"status": "failed"})
    assert (len(first.json()), len(second.json())) == (50, 5)  # 53 + the 2 seeded
    assert first.headers["X-Count"] == "55"
    assert third.status_code == 204 and third.content == b""
    assert [job["id"] for job in failed.json()] == [state.failed_job_id]


# ---- outputs and the storage origin ----


def seeded_outputs(emu: RunningEmulator) -> list[dict[str, Any]]:
    with plain(emu, **emu.auth_headers()) as client:
        outputs: list[dict[str, Any]] = client.get(f"/jobs/{emu.ids[0]}/output").json()
    return outputs


def test_download_is_plain_and_matches_the_reported_md5(clocked: RunningEmulator, http: httpx.Client) -> None:
    output = seeded_outputs(clocked)[0]
    response = http.get(output["uri"])
    assert response.status_code == 200
    assert hashlib.md5(response.content, usedforsecurity=False).hexdigest() == output["checksum"]
    assert len(response.content) == output["size"] == 4096
    assert response.headers["content-type"] == output["content_type"] == "image/png"
    assert seeded_outputs(clocked)[0]["downloads_counter"] == 1
    assert clocked.storage.requests
    for request in clocked.storage.requests:
        assert not any(name.startswith(("x-api2convert", "x-oc-")) for name in request.headers)


def test_base64_encoding_of_an_output(clocked: RunningEmulator, http: httpx.Client) -> None:
    output = seeded_outputs(clocked)[1]
    raw = http.get(output["uri"]).content
    encoded = http.get(output["uri"], params={"encoding": "base64"})
    assert encoded.status_code == 200
    assert encoded.headers["content-type"] == "text/plain"
    assert base64.b64decode(encoded.content) == raw
    assert seeded_outputs(clocked)[1]["downloads_counter"] == 2


def test_partial_download_is_not_counted_and_the_cap_gives_overuse(
    clocked: RunningEmulator, http: httpx.Client
) -> None:
    output = seeded_outputs(clocked)[0]
    partial = http.get(output["uri"], headers={"Range": "bytes=0-9"})
    assert partial.status_code == 206
    assert seeded_outputs(clocked)[0]["downloads_counter"] == 0
    for _ in range(3):  # download_cap
        assert http.get(output["uri"]).status_code == 200
    after = seeded_outputs(clocked)[0]
    assert (after["status"], after["downloads_counter"]) == ("overuse", 3)
    assert http.get(output["uri"]).status_code == 410


def test_outputs_expire_after_their_lifetime(
    clocked: RunningEmulator, http: httpx.Client, clock: FakeClock
) -> None:
    uri = seeded_outputs(clocked)[0]["uri"]
    clock.advance(599.0)
    assert seeded_outputs(clocked)[0]["status"] == "enabled"
    clock.advance(1.0)
    assert seeded_outputs(clocked)[0]["status"] == "expired"
    assert http.get(uri).status_code == 410


def test_disabled_output_is_gone(clocked: RunningEmulator, http: httpx.Client) -> None:
    output = seeded_outputs(clocked)[0]
    state_of(clocked).disable_output(output["id"])
    after = seeded_outputs(clocked)[0]
    assert after["status"] == "disabled"
    assert http.get(output["uri"]).status_code == 404


def test_faults_lie_about_checksum_and_names(clocked: RunningEmulator) -> None:
    honest = seeded_outputs(clocked)
    clocked.faults.wrong_checksum = True
    clocked.faults.hostile_names = True
    lying = seeded_outputs(clocked)
    assert [o["filename"] for o in lying] == HOSTILE_NAMES[:2]
    for before, after in zip(honest, lying, strict=True):
        assert after["checksum"] != before["checksum"]
        assert len(after["checksum"]) == 32
    stored = clocked.storage.get(state_of(clocked).output_key(honest[0]["id"]))
    assert stored.name == honest[0]["filename"]  # the storage keeps the real name


def test_seed_is_deterministic(http: httpx.Client) -> None:
    def snapshot(seed: int) -> tuple[list[str], bytes]:
        with run_emulator("api2convert", seed=seed, file_size=256) as running:
            uri = seeded_outputs(running)[0]["uri"]
            return list(running.ids), http.get(uri).content

    first, again, other = snapshot(1), snapshot(1), snapshot(2)
    assert first == again
    assert first[0] != other[0] and first[1] != other[1]
