"""Every provider's Python flows against its emulator in drift mode (a newer API version: unknown fields
and enum values, optional fields left out, offset timestamps, new job states), sync and async; and a
field a flow cannot do without, when missing, fails naming the provider, the model and the field."""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections import Counter
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docfetch import RetryPolicy
from docfetch import TokenBucket
from docfetch._registry import PROVIDERS as REGISTRY
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.sarvam_state import RUN_STEPS
from docfetch.errors import DocfetchError
from docfetch.errors import ResponseValidationError
from docfetch.testing import FakeClock
from docfetch_api2convert_client.types import Unset

FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, jitter=0.0)
PROVIDERS = tuple(REGISTRY)
PDF = b"%PDF-1.4\n" + b"".join(b"%d 0 obj <</Type /Page>> endobj\n" % n for n in range(2)) + b"%%EOF\n"


def client_classes(provider: str) -> tuple[type[Any], type[Any]]:
    facts = REGISTRY[provider]
    module = importlib.import_module(facts.module)
    return getattr(module, facts.client_class), getattr(module, f"Async{facts.client_class}")


def options(emu: RunningEmulator) -> dict[str, Any]:
    found: dict[str, Any] = {"base_url": emu.base_url, "retry": FAST, **emu.credentials}
    if emu.provider in ("sarvam", "api2convert"):
        found["poll_interval"] = 0.05
    if emu.provider == "veridox":
        found["rate_limiter"] = TokenBucket.per_minute(600)
    return found


class Driver:
    """One client of ``provider`` (sync, or async run on a fresh event loop per call), same method names."""

    def __init__(self, flavour: str, emu: RunningEmulator) -> None:
        self.flavour, self.emu = flavour, emu
        self.sync_class, self.async_class = client_classes(emu.provider)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def invoke(*args: Any, **kwargs: Any) -> Any:
            if self.flavour == "sync":
                with self.sync_class(**options(self.emu)) as client:
                    return getattr(client, name)(*args, **kwargs)

            async def run() -> Any:
                async with self.async_class(**options(self.emu)) as client:
                    found = getattr(client, name)(*args, **kwargs)
                    return await found if inspect.isawaitable(found) else found

            return asyncio.run(run())

        return invoke


@pytest.fixture(scope="module", params=PROVIDERS)
def drifted(request: pytest.FixtureRequest) -> Iterator[RunningEmulator]:
    with run_emulator(request.param, drift=True, job_step=0.05, file_size=8192) as emu:
        yield emu


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, drifted: RunningEmulator) -> Driver:
    return Driver(request.param, drifted)


DOWNLOAD_OPTIONS: dict[str, list[dict[str, Any]]] = {
    "indexhealth": [{"method": "direct"}, {"method": "signed_url"}],
    "telnyx": [{"method": "link"}, {"method": "direct"}],
}


def test_download_saves_every_file_byte_for_byte(
    client: Driver, drifted: RunningEmulator, tmp_path: Path, stored_files: Callable[..., list[bytes]]
) -> None:
    for number, extra in enumerate(DOWNLOAD_OPTIONS.get(drifted.provider, [{}])):
        results = client.download(drifted.ids, tmp_path / str(number), **extra)
        assert all(result.ok for result in results), [result.error for result in results]
        saved: dict[str, list[bytes]] = {}
        for result in results:
            saved.setdefault(result.id, []).append(result.path.read_bytes())
        assert {given: Counter(files) for given, files in saved.items()} == {
            given: Counter(stored_files(drifted, given)) for given in drifted.ids
        }


def test_links_parse_and_point_at_the_files(client: Driver, drifted: RunningEmulator) -> None:
    links = client.links(drifted.ids)
    assert {link.id for link in links} == set(drifted.ids)
    assert all(link.url.startswith(drifted.storage.base_url) for link in links)
    expiring = [link.expires_at for link in links if link.expires_at is not None]
    assert all(moment.utcoffset() is not None for moment in expiring)  # offset timestamps parsed


STEP = 1.0
ADVANCE = {"Running": RUN_STEPS * STEP, "queued": STEP, "processing": STEP}
"""Seconds the fake clock moves when a state is reported: into the next state, drift's new one included."""


@pytest.mark.parametrize("provider", ["sarvam", "api2convert"])
@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_job_waits_see_the_new_states_and_end(provider: str, flavour: str, tmp_path: Path) -> None:
    clock = FakeClock()
    states: list[str] = []

    def on_status(_job: str, state: str) -> None:  # each report moves time on, so every state is seen
        states.append(state)
        clock.advance(ADVANCE.get(state, STEP))

    with run_emulator(provider, drift=True, job_step=STEP, clock=clock, file_size=4096) as emu:
        client = Driver(flavour, emu)
        if provider == "sarvam":
            source = tmp_path / "scan.pdf"
            source.write_bytes(PDF)
            run = client.run_job(source, dest_dir=tmp_path / "out", on_status=on_status, timeout=30)
            assert str(run.outcome.state) == "Completed" and run.files[0].ok
            assert states == ["Running", "Finalizing", "Completed"]  # Finalizing: not in the spec
            assert str(client.wait_for_job(emu.ids[0], timeout=30).state) == "Completed"
            return
        job = client.create_job(["https://example.com/files/scan.pdf"], ["png"])
        assert job.type_.is_unknown and job.type_.value == "conversion"
        done = client.wait_for_job(job.id, timeout=30, on_status=on_status)
        assert done.status.code == "completed"
        assert states == ["queued", "processing", "postprocessing", "completed"]  # postprocessing: new
        (result,) = client.download([job.id], tmp_path / "out")
        assert result.ok and result.path.name == "scan.png"


def test_typed_reads_keep_unknown_values(client: Driver, drifted: RunningEmulator) -> None:
    provider = drifted.provider
    if provider == "telnyx":
        documents = [client.retrieve_document(given) for given in drifted.ids]
        assert all(document.additional_properties for document in documents)  # the new field is kept
    elif provider == "indexhealth":
        details = [client.get_document_details(given) for given in drifted.ids]
        unknown = [d.document_type for d in details if d.document_type.is_unknown]
        assert [str(kind) for kind in unknown] == ["IMAGE"]
    elif provider == "veridox":
        (analysing,) = drifted.state.add_files(1, settled=False)  # "processing", sent as "in_analysis"
        listed = client.list_files()
        found = {str(summary.file_id): summary.analysis_status for summary in listed.files}
        assert found[analysing].is_unknown and found[analysing].value == "in_analysis"
        assert len(client.signed_urls(drifted.ids)) == len(drifted.ids)
    elif provider == "sarvam":
        status = client.get_job_status(drifted.ids[0])
        assert status.additional_properties and str(status.job_state) == "Completed"
    else:
        job = client.get_job(drifted.ids[0])
        assert job.type_.is_unknown and job.status.code == "completed"
        outputs = client.list_outputs(drifted.ids[0])
        assert outputs and all(isinstance(output.filename, Unset) for output in outputs)  # left out


# ---- a field a flow needs ----

MISSING: dict[str, tuple[dict[str, Any], str]] = {
    "sarvam": ({"job_id": "j", "job_state": "Completed"}, "required field 'download_urls' is missing"),
    # the token exchange is the first call: its answer lacks the token's envelope
    "indexhealth": ({"status": 200, "message": "ok"}, "required field 'data' is missing"),
    "telnyx": ({"data": {"expires_at": "2027-01-01T00:00:00Z"}}, "required field 'url' is missing"),
    "veridox": (
        {"files": [{"file_id": "01941f29-7c00-70ce-a7da-bb2f2de2619c"}]},
        "'download_url' is missing",
    ),
    "api2convert": ({"id": "j", "type": "job"}, "Job: required field 'status' is missing"),
}


def test_a_missing_field_a_flow_needs_names_provider_and_field(
    client: Driver, drifted: RunningEmulator
) -> None:
    body, said = MISSING[drifted.provider]
    drifted.faults.fail_next(1, 200, body=body)
    with pytest.raises(DocfetchError) as caught:
        client.links(drifted.ids[:1])
    error: BaseException | None = caught.value
    while error is not None and not isinstance(error, ResponseValidationError):
        error = error.__cause__  # indexhealth: an AuthFlowError caused by it
    assert error is not None, caught.value
    assert str(error).startswith(f"{drifted.provider}: ") and said in str(error)
    assert said in str(caught.value)
