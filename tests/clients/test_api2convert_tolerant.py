"""docfetch.api2convert against the emulator's fidelity options, sync and async: checksums in every form,
refused output links looked up again, download passwords, names without `filename`, and jobs that wait
for their owner."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from docfetch.api2convert import Api2ConvertClient
from docfetch.api2convert import Conversion
from docfetch.api2convert import DownloadPasswordError
from docfetch.api2convert import JobNotStartedError
from docfetch.api2convert import JobRequest
from docfetch.api2convert import OutputLinkRefusedError
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.api2convert_state import PASSWORD_HEADER
from docfetch.errors import ChecksumMismatchError
from docfetch.errors import InvalidInputError
from docfetch.errors import PollingTimeoutError
from docfetch.testing import EmulatorFactory
from test_api2convert_client import AsyncDriver
from test_api2convert_client import client_options
from test_api2convert_client import state_of

PASSWORD = "s3cret pass"


@pytest.fixture
def emu(emulator: EmulatorFactory) -> RunningEmulator:
    """A fresh emulator per test (faults, monkeypatched state and passwords never leak between tests)."""
    return emulator("api2convert", file_size=4096, job_step=0.05)


@contextmanager
def client_for(flavour: str, emu: RunningEmulator) -> Iterator[Any]:
    """A sync client, or a driver running the async one, for ``emu``."""
    if flavour == "async":
        yield AsyncDriver(**client_options(emu))
        return
    with Api2ConvertClient(**client_options(emu)) as client:
        yield client


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def api(flavour: str, emu: RunningEmulator) -> Iterator[Any]:
    with client_for(flavour, emu) as client:
        yield client


def finished_job(emu: RunningEmulator, targets: tuple[str, ...] = ("png",)) -> tuple[str, list[Any]]:
    state = state_of(emu)
    job_id = state.add_job(targets=targets)
    state.status_of(job_id)  # a finished job stores its outputs when its status is first computed
    job = state.find(job_id)
    assert job is not None
    return job_id, job.outputs


# ---- checksums: the algorithm follows the form ----


@pytest.mark.parametrize("form", ["md5", "sha1", "sha256", "sha512", "md5-upper"])
def test_every_hex_form_is_verified_with_its_algorithm(form: str, flavour: str, tmp_path: Path) -> None:
    algorithm = form.removesuffix("-upper")
    with (
        run_emulator("api2convert", file_size=3000, output_checksum=form) as emu,
        client_for(flavour, emu) as api,
    ):
        job_id, (output,) = finished_job(emu)
        (saved,) = api.download([job_id], tmp_path / "ok")
        assert saved.ok and saved.warning is None, saved.error
        assert saved.path is not None and saved.path.read_bytes() == output.stored.data
        emu.faults.wrong_checksum = True  # the API now reports another digest, in the same form
        (refused,) = api.download([job_id], tmp_path / "wrong")
        assert isinstance(refused.error, ChecksumMismatchError)
        assert refused.error.algorithm == algorithm
        assert refused.error.actual == hashlib.new(algorithm, output.stored.data).hexdigest()
        (encoded,) = api.download([job_id], tmp_path / "b64", encoding="base64")
        assert isinstance(encoded.error, ChecksumMismatchError)  # the decoded bytes, same algorithm
        assert encoded.error.algorithm == algorithm
    assert [list((tmp_path / name).iterdir()) for name in ("wrong", "b64")] == [[], []]  # nothing placed


@pytest.mark.parametrize("form", ["md5-base64", "sha256-prefixed"])
def test_other_forms_save_the_file_with_a_warning(form: str, flavour: str, tmp_path: Path) -> None:
    with (
        run_emulator("api2convert", file_size=3000, output_checksum=form) as emu,
        client_for(flavour, emu) as api,
    ):
        job_id, (output,) = finished_job(emu)
        (result,) = api.download([job_id], tmp_path)
    assert result.ok and result.path is not None and result.path.read_bytes() == output.stored.data
    assert result.warning is not None and result.warning.startswith("not verified: ")


# ---- refused links ----


@pytest.mark.parametrize("status", [403, 404, 410])
def test_a_refused_link_is_replaced_by_the_fresh_uri_without_probing(
    api: Any, emu: RunningEmulator, tmp_path: Path, status: int
) -> None:
    state = state_of(emu)
    job_id, (output,) = finished_job(emu)
    first_uri = output.uri
    fresh: list[str] = []

    def meanwhile(job: str, code: str) -> None:  # after the job (and its uri) was read: refuse that uri
        if code == "completed" and not fresh:
            fresh.append(state.refuse_output_link(output.id, status))

    storage_before, api_before = len(emu.storage.requests), len(emu.api_requests)
    (result,) = api.download([job_id], tmp_path, on_status=meanwhile)
    assert result.ok, result.error
    assert result.path is not None and result.path.read_bytes() == output.stored.data
    paths = [r.path for r in emu.storage.requests[storage_before:]]
    assert paths == [httpx.URL(first_uri).path, httpx.URL(fresh[0]).path]  # refused, then the fresh one
    assert [r.path for r in emu.api_requests[api_before:]].count(f"/v2/jobs/{job_id}/output") == 1
    assert state.downloads(output.id) == 1  # one complete download counted against the cap


def test_a_link_refused_again_ends_with_a_typed_error(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    state = state_of(emu)
    job_id, (output,) = finished_job(emu)
    renders = state.render_outputs

    def refuse_the_fresh_one_too(job: Any) -> Any:  # the renewal's listing: its uri is refused as well
        emu.faults.fail_next(1, 403, where="storage")
        return renders(job)

    def meanwhile(job: str, code: str) -> None:
        if code == "completed":
            state.refuse_output_link(output.id, 403)
            state.render_outputs = refuse_the_fresh_one_too  # type: ignore[method-assign]

    before = len(emu.storage.requests)
    try:
        (result,) = api.download([job_id], tmp_path, on_status=meanwhile)
    finally:
        state.render_outputs = renders  # type: ignore[method-assign]
    assert isinstance(result.error, OutputLinkRefusedError)
    assert "the API lists no other link" in str(result.error)
    assert len(emu.storage.requests) - before == 2  # the planned uri, then the fresh one once
    assert state.downloads(output.id) == 0 and list(tmp_path.iterdir()) == []


def test_a_refused_link_the_api_still_lists_is_not_asked_again(
    api: Any, emu: RunningEmulator, tmp_path: Path
) -> None:
    job_id, _ = finished_job(emu)
    before = len(emu.storage.requests)
    emu.faults.fail_next(1, 403, where="storage")
    (result,) = api.download([job_id], tmp_path)
    assert isinstance(result.error, OutputLinkRefusedError)
    assert len(emu.storage.requests) - before == 1


# ---- download passwords ----


def protect(emu: RunningEmulator, job_id: str, passwords: list[str]) -> None:
    answer = httpx.patch(
        f"{emu.base_url}/jobs/{job_id}",
        json={"download_passwords": passwords},
        headers=emu.auth_headers(),
        timeout=5.0,
    )
    answer.raise_for_status()


def test_a_password_goes_to_the_output_host_only(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    state = state_of(emu)
    job_id, (output,) = finished_job(emu)
    protect(emu, job_id, ["another", PASSWORD])
    storage_before, api_before = len(emu.storage.requests), len(emu.api_requests)
    (result,) = api.download([job_id], tmp_path, download_password=PASSWORD)
    assert result.ok and result.path is not None and result.path.read_bytes() == output.stored.data
    (sent,) = emu.storage.requests[storage_before:]
    assert sent.headers[PASSWORD_HEADER.lower()] == PASSWORD
    assert all(PASSWORD not in str(r.headers) for r in emu.api_requests[api_before:])
    assert state.downloads(output.id) == 1


def test_a_missing_or_wrong_password_is_a_typed_error(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    job_id, _ = finished_job(emu)
    protect(emu, job_id, [PASSWORD])
    (missing,) = api.download([job_id], tmp_path)
    assert isinstance(missing.error, DownloadPasswordError)
    assert "pass download_password=" in str(missing.error)
    (wrong,) = api.download([job_id], tmp_path, download_password="guess")
    assert isinstance(wrong.error, OutputLinkRefusedError)  # 403: looked up again, same uri
    assert "check the download password" in str(wrong.error)
    assert list(tmp_path.iterdir()) == []


def test_a_password_is_checked_before_any_request(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    job_id, _ = finished_job(emu)
    before = len(emu.api_requests)
    for bad in ("", "line\nbreak", "naïve"):
        with pytest.raises(InvalidInputError, match="printable ASCII"):
            api.download([job_id], tmp_path, download_password=bad)
    assert len(emu.api_requests) == before


# ---- names ----


def test_an_output_without_filename_is_named_by_the_output_host(
    api: Any, emu: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No `filename` and a uri without a name in it: the output host's Content-Disposition names it."""
    state = state_of(emu)
    render = state._render_output

    def without_filename(index: int, output: Any) -> Any:
        return render(index, output).model_copy(update={"filename": None})

    monkeypatch.setattr(state, "_render_output", without_filename)
    job_id, outputs = finished_job(emu, ("png", "jpg"))
    results = api.download([job_id], tmp_path)
    assert [r.path.name for r in results if r.path] == ["report.png", "report.jpg"]
    assert [r.path.read_bytes() for r in results if r.path] == [o.stored.data for o in outputs]


def test_drift_names_come_from_the_uri_path(flavour: str, tmp_path: Path) -> None:
    with run_emulator("api2convert", file_size=2048, drift=True) as emu, client_for(flavour, emu) as api:
        job_id, outputs = finished_job(emu, ("png", "gif"))
        results = api.download([job_id], tmp_path)
        links = api.links([job_id])
    assert [r.path.name for r in results if r.path] == ["report.png", "report.gif"]
    assert [r.path.read_bytes() for r in results if r.path] == [o.stored.data for o in outputs]
    assert [link.name for link in links] == ["report.png", "report.gif"]


# ---- jobs that wait for their owner ----


def test_a_job_never_started_ends_the_wait_at_once(api: Any, emu: RunningEmulator) -> None:
    staged = state_of(emu).add_job(process=False)
    started = time.monotonic()
    with pytest.raises(JobNotStartedError, match="process=false and never started") as caught:
        api.wait_for_job(staged, timeout=30)
    assert time.monotonic() - started < 5 and caught.value.state == "created"


def test_an_incomplete_job_says_what_is_missing(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    job = api.create_job(request=JobRequest(process=True, conversion=[Conversion(target="png")]))
    assert job.status.code == "incomplete"
    with pytest.raises(JobNotStartedError, match="at least one input and one conversion"):
        api.wait_for_job(job.id, timeout=30)
    (result,) = api.download([job.id], tmp_path, wait_timeout=30)
    assert isinstance(result.error, JobNotStartedError) and result.error.state == "incomplete"


def test_created_with_process_true_is_waited_for(
    api: Any, emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """About to start (process: true): not the owner's business, so the deadline decides."""
    state = state_of(emu)
    job_id = state.add_job(finished=False)
    real = state._timeline
    monkeypatch.setattr(
        state, "_timeline", lambda job: ("created", real(job)[1]) if job.id == job_id else real(job)
    )
    with pytest.raises(PollingTimeoutError):
        api.wait_for_job(job_id, timeout=0.4, interval=0.05)
