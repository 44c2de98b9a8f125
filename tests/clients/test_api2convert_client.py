"""docfetch.api2convert clients against the emulator over real sockets: jobs, waiting, errors, the uniform interface.

Most flows run twice, through the sync client and through the async one (``api`` fixture); outputs,
statuses and base64 are in test_api2convert_outputs.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from docfetch.api2convert import API_KEY_ENV
from docfetch.api2convert import BASE_URL_ENV
from docfetch.api2convert import DEFAULT_BASE_URL
from docfetch.api2convert import Api2ConvertClient
from docfetch.api2convert import AsyncApi2ConvertClient
from docfetch.api2convert import Conversion
from docfetch.api2convert import ConversionFailedError
from docfetch.api2convert import JobCanceledError
from docfetch.api2convert import JobRequest
from docfetch.api2convert import PaymentRequiredError
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.api2convert_state import Api2ConvertState
from docfetch.errors import AuthenticationError
from docfetch.errors import BadRequestError
from docfetch.errors import ConflictError
from docfetch.errors import InvalidInputError
from docfetch.errors import JobFailedError
from docfetch.errors import MissingCredentialsError
from docfetch.errors import NotFoundError
from docfetch.errors import PollingTimeoutError
from docfetch.errors import RateLimitError
from docfetch.errors import ServerError
from docfetch.providers.api2convert.outputs import parse_timestamp
from docfetch.testing import FakeClock
from fake_polling import fake_time_polling

KEY_HEADER = "x-api2convert-api-key"
FAST_RETRY = RetryPolicy(max_attempts=3, initial_backoff=0.01, max_backoff=0.05)
SOURCE = "https://example.com/files/scan.pdf"
UNKNOWN_JOB = "00000000-0000-4000-8000-000000000000"
Client = Api2ConvertClient | AsyncApi2ConvertClient


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """Real clock; a started job is queued 0.05 s, processing 0.05 s, then done."""
    with run_emulator("api2convert", file_size=4096, job_step=0.05) as running:
        yield running


@pytest.fixture(autouse=True)
def _reset_faults(emu: RunningEmulator) -> Iterator[None]:
    yield
    emu.faults.reset()


def state_of(emu: RunningEmulator) -> Api2ConvertState:
    state = emu.state
    assert isinstance(state, Api2ConvertState)
    return state


def client_options(emu: RunningEmulator, **overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "api_key": emu.api_key,
        "base_url": emu.base_url,
        "timeout": 5.0,
        "retry": FAST_RETRY,
        "poll_interval": 0.05,
    }
    return {**options, **overrides}


class AsyncDriver:
    """Calls the async client's methods from a sync test: a fresh client and event loop per call."""

    def __init__(self, **options: Any) -> None:
        self.options = options

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def invoke(*args: Any, **kwargs: Any) -> Any:
            async def run() -> Any:
                async with AsyncApi2ConvertClient(**self.options) as client:
                    return await getattr(client, name)(*args, **kwargs)

            return asyncio.run(run())

        return invoke


@pytest.fixture(params=["sync", "async"])
def make_api(request: pytest.FixtureRequest, emu: RunningEmulator) -> Iterator[Callable[..., Any]]:
    """A factory of clients (keywords override the options) of the parametrised flavour."""
    made: list[Api2ConvertClient] = []

    def make(**overrides: Any) -> Any:
        options = client_options(emu, **overrides)
        if request.param == "async":
            return AsyncDriver(**options)
        client = Api2ConvertClient(**options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def api(make_api: Callable[..., Any]) -> Any:
    return make_api()


def job_gets(emu: RunningEmulator, job_id: str) -> list[float]:
    return [r.time for r in emu.api_requests if r.method == "GET" and r.path == f"/v2/jobs/{job_id}"]


# ---- construction and credentials ----


@pytest.mark.parametrize("cls", [Api2ConvertClient, AsyncApi2ConvertClient])
def test_missing_key_fails_at_construction_naming_the_variable(
    cls: type[Client], monkeypatch: pytest.MonkeyPatch, emu: RunningEmulator
) -> None:
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    before = len(emu.api_requests)
    with pytest.raises(MissingCredentialsError, match=API_KEY_ENV) as caught:
        cls(base_url=emu.base_url)
    assert caught.value.env_var == API_KEY_ENV
    with pytest.raises(MissingCredentialsError):
        cls(api_key="", base_url=emu.base_url)
    for bad_url in ("ftp://example.com/v2", "http://[::1"):
        with pytest.raises(InvalidInputError, match="base URL"):
            cls(api_key="k", base_url=bad_url)
    assert len(emu.api_requests) == before


def test_credentials_and_base_url_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, emu: RunningEmulator
) -> None:
    monkeypatch.setenv(API_KEY_ENV, str(emu.api_key))
    monkeypatch.setenv(BASE_URL_ENV, emu.base_url)
    with Api2ConvertClient() as client:
        assert client.get_job(emu.ids[0]).status.code == "completed"
    sent = emu.api_requests[-1]
    assert sent.headers[KEY_HEADER] == emu.api_key
    monkeypatch.delenv(BASE_URL_ENV)
    with Api2ConvertClient() as client:
        assert client.base_url == DEFAULT_BASE_URL
        assert str(emu.api_key) not in repr(client)


# ---- ids ----


@pytest.mark.parametrize(
    "bad",
    [
        [],
        [""],
        ["not-a-uuid"],
        ["../jobs"],
        ["29370f20-9090-fb05-0c12-3d1ca05314ca/output"],
        ["29370f20909 0fb050c123d1ca05314ca"],
        ["29370f20-9090-fb05-0c12-3d1ca05314c\n"],
    ],
)
def test_bad_ids_fail_before_any_request(
    api: Any, emu: RunningEmulator, bad: list[str], tmp_path: Path
) -> None:
    before = len(emu.api_requests)
    with pytest.raises(InvalidInputError):
        Api2ConvertClient.check_ids(bad)
    with pytest.raises(InvalidInputError):
        api.download(bad, tmp_path)
    with pytest.raises(InvalidInputError):
        api.links(bad)
    if bad:
        with pytest.raises(InvalidInputError):
            api.get_job(bad[0])
    assert len(emu.api_requests) == before


def test_check_ids_accepts_the_ids_the_emulator_issues(emu: RunningEmulator) -> None:
    created = state_of(emu).add_job()
    ids = [*emu.ids, created, created.upper()]
    assert Api2ConvertClient.check_ids(ids) == ids
    assert AsyncApi2ConvertClient.check_ids(ids) == ids
    with pytest.raises(InvalidInputError, match="list"):
        Api2ConvertClient.check_ids(created)  # a bare string is not a list of ids


# ---- jobs ----


def test_create_job_wait_and_download_end_to_end(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    job = api.create_job([SOURCE], ["png", "jpg"])
    assert job.status.code == "queued"
    posted = next(r for r in reversed(emu.api_requests) if r.method == "POST")
    assert posted.headers[KEY_HEADER] == emu.api_key
    statuses: list[tuple[str, str]] = []
    progress: dict[str, int] = {}
    results = api.download(
        [job.id],
        tmp_path,
        on_status=lambda job_id, code: statuses.append((job_id, code)),
        progress=lambda key, done, total: progress.__setitem__(key, done),
    )
    assert [(r.id, r.ok) for r in results] == [(job.id, True), (job.id, True)]
    assert statuses[-1] == (job.id, "completed")
    codes = [code for job_id, code in statuses if job_id == job.id]
    assert len(codes) == len(statuses) == len(set(codes))  # changes only
    assert set(codes) <= {"queued", "processing", "completed"}
    done = api.get_job(job.id)
    for result, output in zip(results, done.output, strict=True):
        stored = emu.storage.get(state_of(emu).output_key(output.id))
        assert result.path == tmp_path / output.filename
        assert result.path.read_bytes() == stored.data
        assert result.sha256 == stored.sha256
    assert set(progress) == {f"{job.id}/scan.png", f"{job.id}/scan.jpg"}
    assert all(KEY_HEADER not in r.headers for r in emu.storage.requests)
    assert all(str(emu.api_key) not in str(r.headers) for r in emu.storage.requests)


def test_create_job_validates_before_sending(api: Any, emu: RunningEmulator) -> None:
    before = len(emu.api_requests)
    for sources, targets in [
        ([], ["png"]),
        ([SOURCE], []),
        (["ftp://example.com/a.pdf"], ["png"]),
        (["not a url"], ["png"]),
        ([SOURCE], ["p/ng"]),
        (SOURCE, ["png"]),
    ]:
        with pytest.raises(InvalidInputError):
            api.create_job(sources, targets)
    with pytest.raises(InvalidInputError):
        api.create_job(request=JobRequest())
    with pytest.raises(InvalidInputError):
        api.create_job([SOURCE], ["png"], request=JobRequest(process=True))
    assert len(emu.api_requests) == before


def test_create_job_400_is_a_typed_error_with_the_field_details(api: Any) -> None:
    request = JobRequest(conversion=[Conversion(target="png")])
    request.additional_properties["input"] = [{"type": "carrier-pigeon", "source": SOURCE}]
    with pytest.raises(BadRequestError) as caught:
        api.create_job(request=request)
    assert caught.value.message is not None
    assert caught.value.message.startswith("Invalid input.")
    assert "input.0.type" in caught.value.message


def test_start_job_starts_a_staged_job_and_tolerates_a_repeat(api: Any, emu: RunningEmulator) -> None:
    staged = api.create_job([SOURCE], ["png"], process=False)
    assert staged.status.code == "created"
    started = api.start_job(staged.id)
    assert started.status.code == "queued"
    patched = [r for r in emu.api_requests if r.method == "PATCH" and r.path == f"/v2/jobs/{staged.id}"]
    assert len(patched) == 1
    api.wait_for_job(staged.id, timeout=5.0)
    # Starting a finished job is a 409 upstream; the job has been started, so that is not an error.
    assert api.start_job(staged.id).status.code == "completed"


def test_start_job_conflict_on_an_unstarted_job_raises(api: Any, emu: RunningEmulator) -> None:
    staged = api.create_job([SOURCE], ["png"], process=False)
    emu.faults.fail_next(1, 409)
    with pytest.raises(ConflictError):
        api.start_job(staged.id)


def test_create_job_is_not_retried_after_a_500_but_get_job_is(api: Any, emu: RunningEmulator) -> None:
    posts_before = sum(r.method == "POST" for r in emu.api_requests)
    emu.faults.fail_next(1, 500)
    with pytest.raises(ServerError):
        api.create_job([SOURCE], ["png"])
    assert sum(r.method == "POST" for r in emu.api_requests) == posts_before + 1
    emu.faults.fail_next(1, 429, retry_after=0)
    job = api.create_job([SOURCE], ["png"])  # a 429 is a refusal: safe to repeat
    assert sum(r.method == "POST" for r in emu.api_requests) == posts_before + 3
    emu.faults.fail_next(2, 503)
    assert api.get_job(job.id).id == job.id
    assert emu.faults.pending()["api"] == 0


def test_typed_status_errors(make_api: Callable[..., Any], emu: RunningEmulator) -> None:
    api = make_api()
    with pytest.raises(NotFoundError) as missing:
        api.get_job(UNKNOWN_JOB)
    assert missing.value.message == "The specified job does not exists."
    with pytest.raises(AuthenticationError) as refused:
        make_api(api_key="wrong-key").list_jobs()
    assert refused.value.status_code == 401
    assert refused.value.message == "No API key or invalid API key given."
    emu.faults.fail_next(1, 402)
    with pytest.raises(PaymentRequiredError):
        api.create_job([SOURCE], ["png"])
    emu.faults.fail_next(3, 429, retry_after=0)
    with pytest.raises(RateLimitError):
        api.list_jobs()


def test_list_jobs_pages_and_filters(api: Any, emu: RunningEmulator) -> None:
    jobs = api.list_jobs()
    assert emu.ids[0] in {job.id for job in jobs}
    failed = api.list_jobs(status="failed")
    assert state_of(emu).failed_job_id in {job.id for job in failed}
    assert all(job.status.code == "failed" for job in failed)
    assert api.list_jobs(status="no-such-status") == []  # the API's 204
    assert api.list_jobs(page=999) == []
    with pytest.raises(InvalidInputError):
        api.list_jobs(page=0)


# ---- waiting ----


def test_wait_for_a_failed_job_raises_with_its_errors(api: Any, emu: RunningEmulator) -> None:
    with pytest.raises(ConversionFailedError) as caught:
        api.wait_for_job(state_of(emu).failed_job_id, timeout=5.0)
    assert isinstance(caught.value, JobFailedError)
    assert caught.value.job_id == state_of(emu).failed_job_id
    assert caught.value.errors == [
        "input: The file could not be downloaded by our servers. Please verify the link you have provided. (code 404)"
    ]
    assert "could not be downloaded" in str(caught.value)


def test_wait_for_a_canceled_job_raises(api: Any, emu: RunningEmulator) -> None:
    state = state_of(emu)
    job_id = state.add_job(finished=False)
    state.cancel(job_id)
    with pytest.raises(JobCanceledError, match="canceled"):
        api.wait_for_job(job_id, timeout=5.0)


def stuck_job(emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch, code: str = "processing") -> str:
    """A started job that keeps reporting ``code`` (never terminal)."""
    state = state_of(emu)
    job_id: str = state.add_job(finished=False)
    real = state._timeline

    def timeline(job: Any) -> tuple[str, float]:
        found, when = real(job)
        return (code, when) if job.id == job_id else (found, when)

    monkeypatch.setattr(state, "_timeline", timeline)
    return job_id


def test_wait_deadline_and_growing_interval(
    api: Any, emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a fake clock: waits of 0.05 s growing x1.5, the last one shortened to end at the deadline,
    one final look at the job there, then PollingTimeoutError after exactly 1.2 s."""
    waits = fake_time_polling("api2convert", monkeypatch)
    staged = stuck_job(emu, monkeypatch)  # stays "processing": never terminal
    with pytest.raises(PollingTimeoutError) as caught:
        api.wait_for_job(staged, timeout=1.2, interval=0.05)
    last: Any = caught.value.last_state
    assert last.status.code == "processing"
    assert caught.value.elapsed == pytest.approx(1.2)
    growing = [0.05 * 1.5**n for n in range(6)]  # 0.05 ... 0.38 s: 1.04 s in all
    assert waits == pytest.approx([*growing, 1.2 - sum(growing)])
    assert len(job_gets(emu, staged)) == len(waits) + 1


def test_unknown_status_codes_are_not_terminal(
    api: Any, emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A code the client does not know ("pending" here, or any new one) means: keep waiting."""
    from docfetch.emulators import api2convert_state

    state = state_of(emu)
    job_id = state.add_job()
    real = state._timeline
    answers = iter(["pending", "mystery-code"])

    def timeline(job: Any) -> tuple[str, float]:
        code, when = real(job)
        return (next(answers, code), when) if job.id == job_id else (code, when)

    monkeypatch.setattr(state, "_timeline", timeline)
    monkeypatch.setitem(api2convert_state.STATUS_INFO, "pending", "Waiting to be downloaded.")
    monkeypatch.setitem(api2convert_state.STATUS_INFO, "mystery-code", "Something new.")
    seen: list[str] = []
    job = api.wait_for_job(job_id, timeout=5.0, on_status=lambda _, code: seen.append(code))
    assert seen == ["pending", "mystery-code", "completed"]
    assert job.status.code == "completed"


@pytest.mark.anyio
async def test_async_download_waits_for_jobs_concurrently(tmp_path: Path) -> None:
    """The emulator's clock stands still, so neither job ends until both are being waited for: only
    then does a watcher let them finish. Waiting one job after the other would never get there."""
    clock = FakeClock()
    both_polled = threading.Event()
    with run_emulator("api2convert", clock=clock, file_size=4096, job_step=0.05) as emu:

        def finish_once_both_are_polled(first: str, second: str) -> None:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not both_polled.is_set():
                if job_gets(emu, first) and job_gets(emu, second):
                    both_polled.set()
                time.sleep(0.01)
            clock.advance(60)  # both jobs end now (after 30 s anyway, so a failing run ends too)

        async with AsyncApi2ConvertClient(**client_options(emu, poll_interval=0.05)) as client:
            first = await client.create_job([SOURCE], ["png"])
            second = await client.create_job(["https://example.com/b.docx"], ["pdf"])
            watcher = threading.Thread(target=finish_once_both_are_polled, args=(first.id, second.id))
            watcher.start()
            try:
                results = await client.download([first.id, second.id], tmp_path)
            finally:
                watcher.join(60)
    assert both_polled.is_set()
    assert [(r.id, r.ok) for r in results] == [(first.id, True), (second.id, True)]
    assert [r.path.name for r in results if r.path] == ["scan.png", "b.pdf"]
    for result in results:
        assert result.path is not None
        assert hashlib.sha256(result.path.read_bytes()).hexdigest() == result.sha256


# ---- the uniform interface ----


def test_links_one_per_enabled_output(api: Any, emu: RunningEmulator) -> None:
    state = state_of(emu)
    job_id = state.add_job(targets=("png", "jpg", "gif"))
    job = api.get_job(job_id)
    state.disable_output(job.output[2].id)
    links = api.links([job_id, job_id])  # duplicates count once
    assert [(link.id, link.name, link.url) for link in links] == [
        (job_id, output.filename, output.uri) for output in job.output[:2]
    ]
    created = parse_timestamp(job.output[0].created_at)
    assert created is not None
    assert links[0].expires_at == created + timedelta(hours=24)
    assert links[0].to_json()["expires_at"] == (created + timedelta(hours=24)).isoformat()
    with pytest.raises(ConversionFailedError):
        api.links([state.failed_job_id])
    staged = state.add_job(process=False)
    assert api.links([staged]) == []  # not finished: no outputs to link yet


def test_download_reports_job_failures_as_results(
    api: Any, emu: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = state_of(emu)
    staged = state.add_job(process=False)
    stuck = stuck_job(emu, monkeypatch)
    ids = [state.failed_job_id, UNKNOWN_JOB, staged, stuck, emu.ids[0]]
    results = api.download(ids, tmp_path, wait_timeout=0.3)
    by_kind = [(r.id, type(r.error).__name__ if r.error else None) for r in results]
    assert by_kind == [
        (state.failed_job_id, "ConversionFailedError"),
        (UNKNOWN_JOB, "NotFoundError"),
        (staged, "JobNotStartedError"),
        (stuck, "PollingTimeoutError"),
        (emu.ids[0], None),
        (emu.ids[0], None),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example_small.jpg", "example_small.png"]


def test_download_checks_its_options_before_any_request(
    api: Any, emu: RunningEmulator, tmp_path: Path
) -> None:
    before = len(emu.api_requests)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for kwargs in ({"concurrency": 0}, {"encoding": "base32"}, {"wait_timeout": -1}):
        with pytest.raises(InvalidInputError):
            api.download(emu.ids, tmp_path, **kwargs)
    with pytest.raises(InvalidInputError):
        api.download(emu.ids, blocker)
    assert len(emu.api_requests) == before
