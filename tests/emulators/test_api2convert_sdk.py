"""The official SDK (api2convert 10.3.1) against the emulator: its calls must parse and download."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from api2convert import Api2Convert
from api2convert.errors import AuthenticationError
from api2convert.errors import ConversionFailedError
from api2convert.errors import NotFoundError
from api2convert.errors import ValidationError
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.api2convert_state import Api2ConvertState
from docfetch.testing import FakeClock

STEP = 5.0


@pytest.fixture
def clocked(clock: FakeClock) -> Iterator[RunningEmulator]:
    with run_emulator("api2convert", clock=clock, job_step=STEP, file_size=200_000) as running:
        yield running


@pytest.fixture
def sdk(clocked: RunningEmulator, clock: FakeClock) -> Iterator[Api2Convert]:
    """The SDK pointed at the emulator; its poll sleeps advance the fake clock instead of waiting."""
    client = Api2Convert(
        str(clocked.api_key),
        base_url=clocked.base_url,
        timeout=10,
        max_retries=0,
        sleeper=clock.advance,
    )
    with client:
        yield client


def state_of(emu: RunningEmulator) -> Api2ConvertState:
    assert isinstance(emu.state, Api2ConvertState)
    return emu.state


def test_get_job_and_save_every_output(clocked: RunningEmulator, sdk: Api2Convert, tmp_path: Path) -> None:
    job = sdk.jobs.get(clocked.ids[0])
    assert job.is_completed() and job.is_terminal()
    assert job.status.info == "The file has been successfully converted."
    assert [output.filename for output in job.output] == ["example_small.png", "example_small.jpg"]
    for output in job.output:
        saved = sdk.download(output).save(tmp_path)  # a directory: the SDK uses output.filename
        assert saved == tmp_path / str(output.filename)
        data = saved.read_bytes()
        assert len(data) == output.size == 200_000  # several 64 KiB chunks
        assert hashlib.md5(data, usedforsecurity=False).hexdigest() == output.checksum
    assert [o.status for o in sdk.jobs.outputs(clocked.ids[0])] == ["enabled", "enabled"]
    storage_headers = [request.headers for request in clocked.storage.requests]
    assert storage_headers and not any("x-api2convert-api-key" in headers for headers in storage_headers)


def test_list_jobs(clocked: RunningEmulator, sdk: Api2Convert) -> None:
    jobs = sdk.jobs.list()
    assert {job.id for job in jobs} == {clocked.ids[0], state_of(clocked).failed_job_id}
    assert [job.id for job in sdk.jobs.list(status="failed")] == [state_of(clocked).failed_job_id]


def test_convert_a_remote_file_end_to_end(sdk: Api2Convert, tmp_path: Path) -> None:
    result = sdk.convert("https://example.com/files/invoice.docx", "pdf", timeout=60)
    assert result.job.is_completed()
    saved = result.save(tmp_path / "invoice.pdf")
    assert saved.stat().st_size == result.output().size
    assert result.contents() == saved.read_bytes()


def test_staged_job_started_with_process_true(sdk: Api2Convert) -> None:
    staged = sdk.jobs.create(
        {
            "process": False,
            "conversion": [{"target": "png"}],
            "input": [{"type": "remote", "source": "https://example.com/a.gif"}],
        }
    )
    assert staged.status.code == "created"
    started = sdk.jobs.start(staged.id)
    assert started.status.code == "queued"
    assert sdk.jobs.wait(staged.id).is_completed()


def test_sdk_errors_map_from_the_emulator_bodies(clocked: RunningEmulator, sdk: Api2Convert) -> None:
    with pytest.raises(NotFoundError, match="The specified job does not exists"):
        sdk.jobs.get("00000000-0000-0000-0000-000000000000")
    with pytest.raises(ConversionFailedError, match="could not be downloaded"):
        sdk.jobs.wait(state_of(clocked).failed_job_id)
    with pytest.raises(ValidationError, match="Invalid input"):
        sdk.jobs.create({"conversion": [{"category": "image"}]})
    with (
        Api2Convert("wrong-key", base_url=clocked.base_url, timeout=10, max_retries=0) as wrong,
        pytest.raises(AuthenticationError, match="No API key or invalid API key given"),
    ):
        wrong.jobs.get(clocked.ids[0])


# ---- the SDK's live conformance scenario "invalid target", and download passwords ----
REMOTE_JPG = "https://example.com/files/example_small.jpg"


def test_invalid_target_is_a_typed_error(sdk: Api2Convert) -> None:
    """QaamGo/api2convert-python tests/live/test_conformance.py, against the emulator: an unknown target is
    rejected at create time (ValidationError) or as a failed job (ConversionFailedError)."""
    with pytest.raises((ValidationError, ConversionFailedError)):
        sdk.convert(REMOTE_JPG, "this-is-not-a-real-target")


def test_download_password_set_and_sent_by_the_sdk(
    clocked: RunningEmulator, sdk: Api2Convert, tmp_path: Path
) -> None:
    result = sdk.convert(REMOTE_JPG, "png", download_password="s3cret pass")
    assert result.job.is_completed()
    saved = result.save(tmp_path)  # the SDK sends X-Api2convert-Download-Password itself
    assert saved.read_bytes() == clocked.storage.get(state_of(clocked).output_key(result.output().id)).data
    assert clocked.storage.requests[-1].headers["x-api2convert-download-password"] == "s3cret pass"
    with pytest.raises(AuthenticationError):
        sdk.download(result.output(), download_password="wrong").contents()
