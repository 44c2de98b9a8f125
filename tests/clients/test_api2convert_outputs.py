"""docfetch.api2convert: saving outputs (checksums, names, statuses, base64) against the emulator, sync and async."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from docfetch.api2convert import OutputDisabledError
from docfetch.api2convert import OutputExpiredError
from docfetch.api2convert import OutputFile
from docfetch.api2convert import OutputFileStatus
from docfetch.api2convert import OutputOveruseError
from docfetch.api2convert import OutputUnavailableError
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.errors import ChecksumMismatchError
from docfetch.errors import DownloadError
from docfetch.errors import InvalidInputError
from docfetch.errors import SizeMismatchError
from docfetch.providers.api2convert.outputs import check_base64
from docfetch.providers.api2convert.outputs import output_url
from docfetch.providers.api2convert.outputs import plan_outputs
from docfetch.providers.api2convert.outputs import unavailable
from docfetch.providers.api2convert.rules import check_job_id
from docfetch.providers.api2convert.rules import parse_error
from docfetch.testing import FakeClock
from docfetch.types import FileResult
from docfetch.types import Planned
from test_api2convert_client import AsyncDriver
from test_api2convert_client import client_options
from test_api2convert_client import state_of

LIFETIME = 600.0
CAP = 2


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def emu(clock: FakeClock) -> Iterator[RunningEmulator]:
    """Time moves when a test says so; outputs expire after 600 s and serve 2 downloads.

    Shared by the module: each test uses jobs it adds, so moving the clock only ages older tests' jobs.
    """
    with run_emulator(
        "api2convert", clock=clock, file_size=4096, output_lifetime=LIFETIME, download_cap=CAP
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def _reset_faults(emu: RunningEmulator) -> Iterator[None]:
    yield
    emu.faults.reset()


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest, emu: RunningEmulator) -> Iterator[Any]:
    from docfetch.api2convert import Api2ConvertClient

    if request.param == "async":
        yield AsyncDriver(**client_options(emu))
        return
    with Api2ConvertClient(**client_options(emu)) as client:
        yield client


def stored_bytes(emu: RunningEmulator, output_id: str) -> bytes:
    return emu.storage.get(state_of(emu).output_key(output_id)).data


def outputs_of(emu: RunningEmulator, job_id: str) -> list[Any]:
    state = state_of(emu)
    state.status_of(job_id)  # a finished job stores its outputs when its status is first computed
    job = state.find(job_id)
    assert job is not None
    return job.outputs


# ---- statuses ----


def test_unavailable_outputs_are_typed_results_and_the_rest_is_saved(
    api: Any, emu: RunningEmulator, clock: FakeClock, tmp_path: Path
) -> None:
    state = state_of(emu)
    expired_job = state.add_job(targets=("png",))
    clock.advance(LIFETIME + 1)
    job_id = state.add_job(targets=("png", "jpg", "gif", "webp"))
    png, jpg, gif, _webp = outputs_of(emu, job_id)
    state.disable_output(jpg.id)
    for _ in range(CAP):
        httpx.get(gif.uri, timeout=5.0).raise_for_status()
    results = api.download([expired_job, job_id], tmp_path)
    errors = [(r.id, type(r.error) if r.error else None) for r in results]
    assert errors == [
        (expired_job, OutputExpiredError),
        (job_id, None),
        (job_id, OutputDisabledError),
        (job_id, OutputOveruseError),
        (job_id, None),
    ]
    messages = [str(r.error) for r in results if r.error]
    assert "is expired: outputs are kept 24 h" in messages[0]
    assert "is disabled: deleted" in messages[1]
    assert "is overuse: downloaded too often (cap typically 10)" in messages[2]
    for result in results:
        if isinstance(result.error, OutputUnavailableError):
            assert result.error.job_id == result.id and result.path is None
    assert results[1].path is not None and results[1].path.read_bytes() == stored_bytes(emu, png.id)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.png", "report.webp"]


@pytest.mark.parametrize("change", ["expire", "disable", "use_up"])
def test_output_host_refusal_is_reported_with_the_outputs_new_status(
    api: Any, emu: RunningEmulator, clock: FakeClock, tmp_path: Path, change: str
) -> None:
    """The job listed the output as enabled; by the time it is fetched it is not (410 / 404)."""
    state = state_of(emu)
    job_id = state.add_job(targets=("png",))
    (only,) = outputs_of(emu, job_id)

    def meanwhile(job: str, code: str) -> None:  # runs after the job (enabled outputs) was fetched
        if change == "expire":
            clock.advance(LIFETIME + 1)
        elif change == "disable":
            state.disable_output(only.id)
        else:
            for _attempt in range(CAP):
                httpx.get(only.uri, timeout=5.0).raise_for_status()

    before = len(emu.storage.requests)
    (result,) = api.download([job_id], tmp_path, on_status=meanwhile)
    expected = {"expire": OutputExpiredError, "disable": OutputDisabledError, "use_up": OutputOveruseError}
    assert type(result.error) is expected[change]
    assert isinstance(result.error, DownloadError)
    assert list(tmp_path.iterdir()) == []
    ours = emu.storage.requests[before + (CAP if change == "use_up" else 0) :]
    assert len(ours) == 1  # the refused GET; then the job's outputs were read again, nothing probed


# ---- verification and names ----


def test_checksum_mismatch_leaves_nothing(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    emu.faults.wrong_checksum = True
    (result,) = api.download([state_of(emu).add_job()], tmp_path)
    assert isinstance(result.error, ChecksumMismatchError)
    assert result.error.algorithm == "md5"
    assert list(tmp_path.iterdir()) == []


def test_dropped_transfer_resumes_to_identical_bytes(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    job_id = state_of(emu).add_job()
    emu.faults.drop_next(1, after_bytes=1000)
    (result,) = api.download([job_id], tmp_path)
    assert result.ok and result.path is not None
    assert result.path.read_bytes() == stored_bytes(emu, outputs_of(emu, job_id)[0].id)
    assert any("range" in r.headers for r in emu.storage.requests)


def test_hostile_names_stay_inside_the_destination(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    job_id = state_of(emu).add_job(targets=("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"))
    emu.faults.hostile_names = True
    dest = tmp_path / "dest"
    results = api.download([job_id], dest)
    assert all(r.ok for r in results), [r.error for r in results]
    paths = [r.path for r in results if r.path is not None]
    assert len({p.name.casefold() for p in paths}) == len(paths) == 11
    assert all(p.parent == dest for p in paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dest"]


def test_existing_files_are_kept_unless_overwrite(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    job_id = state_of(emu).add_job()
    (tmp_path / "report.png").write_bytes(b"mine")
    (result,) = api.download([job_id], tmp_path)
    assert type(result.error).__name__ == "DestinationExistsError"
    assert (tmp_path / "report.png").read_bytes() == b"mine"
    (result,) = api.download([job_id], tmp_path, overwrite=True)
    assert result.ok and (tmp_path / "report.png").read_bytes() == stored_bytes(
        emu, outputs_of(emu, job_id)[0].id
    )


# ---- base64 ----


def test_base64_download_holds_the_encoded_text_verified_against_the_decoded_md5(
    api: Any, emu: RunningEmulator, tmp_path: Path
) -> None:
    job_id = state_of(emu).add_job(targets=("png", "jpg"))
    results = api.download([job_id], tmp_path, encoding="base64")
    assert all(r.ok for r in results)
    for result, output in zip(results, outputs_of(emu, job_id), strict=True):
        assert result.path is not None
        assert result.path.read_bytes() == base64.b64encode(stored_bytes(emu, output.id))
    paths = {f"/p/{state_of(emu).output_key(o.id)}" for o in outputs_of(emu, job_id)}
    sent = [r for r in emu.storage.requests if r.path in paths]
    assert len(sent) == 2 and all(r.query == {"encoding": "base64"} for r in sent)


def test_base64_download_with_a_wrong_md5_is_removed(api: Any, emu: RunningEmulator, tmp_path: Path) -> None:
    emu.faults.wrong_checksum = True
    (result,) = api.download([state_of(emu).add_job()], tmp_path, encoding="base64")
    assert isinstance(result.error, ChecksumMismatchError)
    assert list(tmp_path.iterdir()) == []


def output(**fields: Any) -> OutputFile:
    return OutputFile.from_dict({"id": "o1", "uri": "https://files.example/p/1", **fields})


def saved(path: Path, data: bytes) -> FileResult:
    path.write_bytes(data)
    return FileResult("job", path, len(data), hashlib.sha256(data).hexdigest())


def test_check_base64_checks_size_md5_and_form(tmp_path: Path) -> None:
    original = bytes(range(256)) * 5000  # > 1 MiB of text: decoded across blocks
    md5 = hashlib.md5(original, usedforsecurity=False).hexdigest()
    wrapped = base64.encodebytes(original)  # a line break every 76 characters
    dest = tmp_path / "out.png"

    def check(data: bytes, out: OutputFile) -> None:
        part = tmp_path / ".part"
        part.write_bytes(data)
        check_base64(out)(part, dest)

    check(wrapped, output(size=len(original), checksum=md5))
    with pytest.raises(SizeMismatchError):
        check(wrapped, output(size=len(original) + 1, checksum=md5))
    with pytest.raises(ChecksumMismatchError, match=r"out\.png"):
        check(wrapped, output(size=len(original), checksum="0" * 32))
    with pytest.raises(DownloadError, match="not valid base64") as broken:
        check(b"QUJD*", output(size=3))
    assert type(broken.value) is DownloadError and broken.value.path == dest
    with pytest.raises(DownloadError, match="truncated"):
        check(b"QUJDR", output())


def test_base64_mismatch_keeps_the_existing_file_even_with_overwrite(
    api: Any, emu: RunningEmulator, tmp_path: Path
) -> None:
    job_id = state_of(emu).add_job()
    (tmp_path / "report.png").write_bytes(b"mine")
    emu.faults.wrong_checksum = True
    (result,) = api.download([job_id], tmp_path, encoding="base64", overwrite=True)
    assert isinstance(result.error, ChecksumMismatchError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.png"]
    assert (tmp_path / "report.png").read_bytes() == b"mine"


# ---- planning (pure) ----


def test_plan_names_are_safe_and_keyed_by_job() -> None:
    outputs = [
        output(id="o1", filename="../x.png", checksum="A" * 32, size=3),
        output(id="o2", filename="x.png"),
        output(id="o3", filename="", status="enabled", checksum="not-md5"),
        output(id="o4", filename="y.png", status="expired"),
    ]
    plan = plan_outputs("j1", outputs, None)  # names are made unique when saved (the pipeline's names)
    items = [entry.item for entry in plan if isinstance(entry, Planned)]
    assert [item.name for item in items] == ["x.png", "x.png", None]  # o3: named by the output host
    assert [item.id for item in items] == ["j1/x.png", "j1/x.png", "j1/o3"]
    assert [entry.key for entry in plan if isinstance(entry, Planned)] == ["o1", "o2", "o3"]
    assert items[0].checksum is not None and items[0].checksum.hexdigest == "a" * 32
    assert items[0].expected_size == 3
    assert items[2].checksum is None  # no known form: not verifiable (saved with a warning)
    assert [entry.warning for entry in plan if isinstance(entry, Planned)][2] == (
        "not verified: API2Convert's checksum 'not-md5' is not an md5, sha1, sha256 or sha512 hex digest"
    )
    refused = plan[3]
    assert isinstance(refused, FileResult) and isinstance(refused.error, OutputExpiredError)
    (base64_entry,) = plan_outputs("j1", outputs[:1], "base64")
    assert isinstance(base64_entry, Planned)
    assert base64_entry.item.url == "https://files.example/p/1?encoding=base64"
    assert base64_entry.item.checksum is None and base64_entry.item.expected_size is None


def test_outputs_without_a_usable_uri_are_not_fetched() -> None:
    for uri in ("", "file:///etc/passwd", "javascript:alert(1)", "https://"):
        assert isinstance(unavailable("j", output(uri=uri)), DownloadError)
    assert unavailable("j", output(status=str(OutputFileStatus.ENABLED))) is None
    merged = output_url(output(uri="https://h.example/dl?x=1"), "base64")
    assert str(merged) == "https://h.example/dl?x=1&encoding=base64"


def test_error_parser_joins_field_details() -> None:
    response = httpx.Response(
        400, json={"message": "Invalid input.", "code": 8, "errors": {"input.0.type": "bad"}}
    )
    details = parse_error(response)
    assert (details.code, details.message) == ("8", "Invalid input. (input.0.type: bad)")
    assert parse_error(httpx.Response(500, content=b"<html>oops")).message == "<html>oops"


def test_check_job_id_rejects_non_uuid() -> None:
    assert check_job_id("8daae6d1-26e0-11e5-b2a1-0800273b325b") == "8daae6d1-26e0-11e5-b2a1-0800273b325b"
    with pytest.raises(InvalidInputError, match="UUID"):
        check_job_id("8daae6d1-26e0-11e5-b2a1")
