"""docfetch.telnyx (TelnyxClient / AsyncTelnyxClient) against the Telnyx emulator over real sockets.

Every flow runs for the sync and the async client (``kind``). (Named test_telnyx_client.py:
tests/emulators/test_telnyx.py already uses the shorter basename.)
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import AsyncIterator
from collections.abc import Iterator
from contextlib import asynccontextmanager
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import readme_blocks
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import EmulatorContext
from docfetch.emulators import ProviderApp
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.emulators.telnyx_state import TelnyxState
from docfetch.errors import AuthenticationError
from docfetch.errors import ChecksumMismatchError
from docfetch.errors import DestinationExistsError
from docfetch.errors import InvalidInputError
from docfetch.errors import LinkExpiredError
from docfetch.errors import MissingCredentialsError
from docfetch.errors import NotFoundError
from docfetch.errors import RateLimitError
from docfetch.errors import ResponseValidationError
from docfetch.errors import ServerError
from docfetch.telnyx import DEFAULT_BASE_URL
from docfetch.telnyx import AsyncTelnyxClient
from docfetch.telnyx import DocServiceDocument
from docfetch.telnyx import DocServiceDocumentAvScanStatus
from docfetch.telnyx import DocumentDownloadLink
from docfetch.telnyx import DocumentListResponse
from docfetch.telnyx import DocumentSortField
from docfetch.telnyx import Link
from docfetch.telnyx import TelnyxClient
from docfetch.types import FileResult
from docfetch.types import SavedFile

FILE_SIZE = 96 * 1024
FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, jitter=0.0)
KINDS = ["sync", "async"]
UNKNOWN = "6a09cdc3-8948-47f0-aa62-74ac943d6c58"
AnyClient = TelnyxClient | AsyncTelnyxClient

pytestmark = pytest.mark.anyio


# --- fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared() -> Iterator[RunningEmulator]:
    with run_emulator("telnyx", file_size=FILE_SIZE) as running:
        yield running


@pytest.fixture
def emu(shared: RunningEmulator) -> Iterator[RunningEmulator]:
    """The shared emulator with empty request logs; faults are reset afterwards."""
    shared.api_requests.clear()
    shared.storage.requests.clear()
    yield shared
    shared.faults.reset()


@pytest.fixture(autouse=True)
def no_telnyx_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELNYX_API_KEY", raising=False)
    monkeypatch.delenv("TELNYX_BASE_URL", raising=False)


@asynccontextmanager
async def opened(kind: str, emu: RunningEmulator, **kwargs: Any) -> AsyncIterator[AnyClient]:
    options: dict[str, Any] = {"api_key": emu.api_key, "base_url": emu.base_url, "retry": FAST, **kwargs}
    if kind == "sync":
        with TelnyxClient(**options) as client:
            yield client
    else:
        async with AsyncTelnyxClient(**options) as client:
            yield client


async def run(value: Any) -> Any:
    """The result of a sync call, or of an awaited async one."""
    return await value if inspect.isawaitable(value) else value


async def collect(documents: Any) -> list[DocServiceDocument]:
    if hasattr(documents, "__aiter__"):
        return [document async for document in documents]
    return list(documents)


def state(emu: RunningEmulator) -> TelnyxState:
    result: TelnyxState = emu.state
    return result


def api_paths(emu: RunningEmulator) -> list[str]:
    return [request.path for request in emu.api_requests]


def files_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def new_document(emu: RunningEmulator, name: str, **kwargs: Any) -> str:
    data = emu.context.seeded_bytes(f"test:{name}:{uuid.uuid4()}", 20_000)
    kwargs.setdefault("av_scan_status", DocServiceDocumentAvScanStatus.SCANNED.value)
    return state(emu).add_document(data, filename=name, **kwargs).id


# --- construction ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [TelnyxClient, AsyncTelnyxClient])
def test_missing_key_fails_at_construction_naming_the_variable(cls: type[AnyClient]) -> None:
    with pytest.raises(MissingCredentialsError, match="TELNYX_API_KEY") as caught:
        cls()
    assert caught.value.env_var == "TELNYX_API_KEY"


@pytest.mark.parametrize("cls", [TelnyxClient, AsyncTelnyxClient])
def test_default_base_urls_to_v2_and_rejects_non_http(cls: type[AnyClient]) -> None:
    assert cls(api_key="k").base_url == DEFAULT_BASE_URL == "https://api.telnyx.com/v2"
    with pytest.raises(InvalidInputError, match="base URL"):
        cls(api_key="k", base_url="ftp://example.com/v2")


@pytest.mark.parametrize("kind", KINDS)
async def test_credentials_and_base_url_from_the_environment(
    kind: str, emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELNYX_API_KEY", str(emu.api_key))
    monkeypatch.setenv("TELNYX_BASE_URL", emu.base_url)
    client: AnyClient = TelnyxClient() if kind == "sync" else AsyncTelnyxClient()
    try:
        document = await run(client.retrieve_document(emu.ids[0]))
    finally:
        await run(client.close())
    assert document.filename == "service-agreement.pdf"
    assert emu.api_requests[0].headers["authorization"] == f"Bearer {emu.api_key}"


# --- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["not-a-uuid", "../../documents", "6a09cdc3-8948-47f0-aa62-74ac943d6c5", f"{UNKNOWN}\n", " "]
)
def test_check_ids_requires_uuids(bad: str) -> None:
    with pytest.raises(InvalidInputError, match="document id"):
        TelnyxClient.check_ids([UNKNOWN, bad])
    with pytest.raises(InvalidInputError):
        AsyncTelnyxClient.check_ids([bad])


def test_check_ids_keeps_the_ids_as_given() -> None:
    upper = UNKNOWN.upper()
    assert TelnyxClient.check_ids([UNKNOWN, upper]) == [UNKNOWN, upper]
    with pytest.raises(InvalidInputError):
        TelnyxClient.check_ids([])
    with pytest.raises(InvalidInputError):
        TelnyxClient.check_ids(UNKNOWN)


@pytest.mark.parametrize("kind", KINDS)
async def test_bad_ids_fail_before_any_request(kind: str, emu: RunningEmulator, tmp_path: Path) -> None:
    async with opened(kind, emu) as client:
        for call in (
            lambda: client.links(["nope"]),
            lambda: client.download([emu.ids[0], "nope"], tmp_path),
            lambda: client.retrieve_document("nope"),
            lambda: client.get_download_link("../x"),
            lambda: client.download_document("nope", tmp_path),
        ):
            with pytest.raises(InvalidInputError, match=r"nope|\.\./x"):
                await run(call())
    assert emu.api_requests == []
    assert files_in(tmp_path) == []


# --- typed operations --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_retrieve_document_is_typed(kind: str, emu: RunningEmulator) -> None:
    doc_id = emu.ids[0]
    async with opened(kind, emu) as client:
        document = await run(client.retrieve_document(doc_id.upper()))
    assert isinstance(document, DocServiceDocument)
    assert str(document.id) == doc_id
    assert document.sha256 == state(emu).get(doc_id).sha256  # type: ignore[union-attr]
    assert document.size.amount == FILE_SIZE  # type: ignore[union-attr]
    assert emu.api_requests[0].path == f"/v2/documents/{doc_id}"  # canonical lower-case UUID


@pytest.mark.parametrize("kind", KINDS)
async def test_list_documents_maps_friendly_names_to_the_wire(kind: str, emu: RunningEmulator) -> None:
    async with opened(kind, emu) as client:
        page = await run(
            client.list_documents(
                page_number=1,
                page_size=5,
                filename_contains="AGREEMENT",
                customer_reference="MY REF 001",
                created_before=datetime.now(UTC),
                sort=["-filename", DocumentSortField.CREATED_AT],
            )
        )
    assert isinstance(page, DocumentListResponse)
    assert [d.filename for d in page.data] == ["service-agreement.pdf"]
    assert page.meta.total_results == 1
    sent = httpx.QueryParams(emu.api_requests[0].raw_query)
    assert sent["page[number]"] == "1" and sent["page[size]"] == "5"
    assert sent["filter[filename][contains]"] == "AGREEMENT"
    assert sent["filter[customer_reference][eq]"] == "MY REF 001"
    assert "filter[created_at][lt]" in sent
    assert sent.get_list("sort") == ["-filename", "created_at"]


@pytest.mark.parametrize("kind", KINDS)
async def test_list_documents_validates_before_any_request(kind: str, emu: RunningEmulator) -> None:
    async with opened(kind, emu) as client:
        for bad in ({"page_size": 0}, {"page_size": 251}, {"page_number": 0}, {"sort": ["name"]}):
            with pytest.raises(InvalidInputError):
                await run(client.list_documents(**bad))
    assert emu.api_requests == []


@pytest.mark.parametrize("kind", KINDS)
async def test_iter_documents_walks_every_page(kind: str, emu: RunningEmulator) -> None:
    expected = sorted(doc.id for doc in state(emu).documents())
    async with opened(kind, emu) as client:
        documents = await collect(client.iter_documents(page_size=2))
    assert sorted(str(d.id) for d in documents) == expected
    pages = -(-len(expected) // 2)
    assert api_paths(emu) == ["/v2/documents"] * pages


@pytest.mark.parametrize("kind", KINDS)
async def test_get_download_link_and_links(kind: str, emu: RunningEmulator) -> None:
    async with opened(kind, emu) as client:
        link = await run(client.get_download_link(emu.ids[0]))
        links = await run(client.links(emu.ids))
    assert isinstance(link, DocumentDownloadLink)
    assert link.url.startswith(emu.storage.base_url)
    assert [(x.id, x.name, x.expires_at) for x in links] == [(i, None, None) for i in emu.ids]
    assert all(isinstance(x, Link) for x in links)
    for item in links:  # a link needs no credential
        assert httpx.get(item.url).content == state(emu).data(item.id)


# --- downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_download_through_links_is_byte_identical(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    seen: list[tuple[str, int]] = []
    async with opened(kind, emu) as client:
        results = await run(
            client.download(emu.ids, tmp_path, concurrency=2, progress=lambda k, d, t: seen.append((k, d)))
        )
    assert [r.id for r in results] == emu.ids
    for result in results:
        assert result.ok and result.warning is None, result.error
        assert result.path is not None and result.path.parent == tmp_path
        assert result.path.read_bytes() == state(emu).data(result.id)
        assert result.sha256 == state(emu).get(result.id).sha256  # type: ignore[union-attr]
    assert files_in(tmp_path) == ["letter-of-authorization.pdf", "service-agreement.pdf"]
    assert {key for key, _ in seen} == set(emu.ids)
    paths = api_paths(emu)
    assert sum(p.endswith("/download_link") for p in paths) == 2
    assert not any(p.endswith("/download") for p in paths)


@pytest.mark.parametrize("kind", KINDS)
async def test_direct_download_streams_the_api_endpoint(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    doc_id = emu.ids[1]
    before = state(emu).get(doc_id).direct_downloads  # type: ignore[union-attr]
    async with opened(kind, emu) as client:
        (result,) = await run(client.download([doc_id], tmp_path, method="direct"))
    assert result.ok, result.error
    assert result.path.read_bytes() == state(emu).data(doc_id)
    assert state(emu).get(doc_id).direct_downloads == before + 1  # type: ignore[union-attr]
    assert api_paths(emu) == [f"/v2/documents/{doc_id}", f"/v2/documents/{doc_id}/download"]
    assert emu.storage.requests == []
    assert emu.api_requests[1].headers["authorization"] == f"Bearer {emu.api_key}"


@pytest.mark.parametrize("kind", KINDS)
async def test_direct_download_restarts_after_a_dropped_connection(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    doc_id = emu.ids[0]
    emu.faults.drop_next(1, after_bytes=30_000)
    async with opened(kind, emu) as client:
        saved = await run(client.download_document(doc_id, tmp_path, method="direct"))
    assert isinstance(saved, SavedFile)
    assert saved.path.read_bytes() == state(emu).data(doc_id)
    assert api_paths(emu).count(f"/v2/documents/{doc_id}/download") == 2
    assert "range" in emu.api_requests[-1].headers  # the engine asked to resume


@pytest.mark.parametrize("kind", KINDS)
async def test_link_download_resumes_with_range(kind: str, emu: RunningEmulator, tmp_path: Path) -> None:
    doc_id = emu.ids[0]
    emu.faults.drop_next(1, after_bytes=30_000)
    async with opened(kind, emu) as client:
        saved = await run(client.download_document(doc_id, tmp_path, name="renamed.pdf"))
    assert saved.path == tmp_path / "renamed.pdf"
    assert saved.path.read_bytes() == state(emu).data(doc_id)
    ranges = [r.headers.get("range") for r in emu.storage.requests]
    assert ranges[0] is None and ranges[1] is not None and ranges[1].startswith("bytes=")


@pytest.mark.parametrize("kind", KINDS)
async def test_refused_link_is_refreshed(kind: str, emu: RunningEmulator, tmp_path: Path) -> None:
    doc_id = emu.ids[0]
    emu.faults.fail_next(1, 403, where="storage")  # what an expired pre-signed URL answers
    async with opened(kind, emu) as client:
        (result,) = await run(client.download([doc_id], tmp_path))
    assert result.ok, result.error
    assert result.path.read_bytes() == state(emu).data(doc_id)
    assert api_paths(emu).count(f"/v2/documents/{doc_id}/download_link") == 2


@pytest.mark.parametrize("kind", KINDS)
async def test_link_that_stays_refused_is_a_link_expired_result(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    emu.faults.fail_next(10, 403, where="storage")
    async with opened(kind, emu) as client:
        (result,) = await run(client.download([emu.ids[0]], tmp_path))
    assert isinstance(result.error, LinkExpiredError)
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("kind", KINDS)
async def test_wrong_checksum_is_a_failed_result_and_nothing_is_left(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    emu.faults.wrong_checksum = True
    async with opened(kind, emu) as client:
        results = await run(client.download(emu.ids, tmp_path))
        with pytest.raises(ChecksumMismatchError):
            await run(client.download_document(emu.ids[0], tmp_path, method="direct"))
    assert all(isinstance(r.error, ChecksumMismatchError) for r in results)
    assert files_in(tmp_path) == []  # no file, no part file


@pytest.mark.parametrize("kind", KINDS)
async def test_hostile_names_stay_inside_the_destination(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    emu.faults.hostile_names = True
    async with opened(kind, emu) as client:
        results = await run(client.download(emu.ids, tmp_path))
    assert all(r.ok for r in results), [r.error for r in results]
    assert all(r.path is not None and r.path.parent == tmp_path for r in results)
    assert len(files_in(tmp_path)) == len(emu.ids)


@pytest.mark.parametrize("kind", KINDS)
async def test_infected_document_is_saved_with_a_warning(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    doc_id = new_document(emu, f"infected-{kind}.pdf")
    state(emu).set_av_scan_status(doc_id, DocServiceDocumentAvScanStatus.INFECTED)  # type: ignore[arg-type]
    async with opened(kind, emu) as client:
        (result,) = await run(client.download([doc_id], tmp_path))
    assert result.ok and result.warning is not None and "infected" in result.warning


@pytest.mark.parametrize("kind", KINDS)
async def test_existing_file_is_kept_unless_overwrite(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    (tmp_path / "service-agreement.pdf").write_bytes(b"mine")
    async with opened(kind, emu) as client:
        (kept,) = await run(client.download([emu.ids[0]], tmp_path))
        (replaced,) = await run(client.download([emu.ids[0]], tmp_path, overwrite=True))
    assert isinstance(kept.error, DestinationExistsError)
    assert replaced.ok and replaced.path.read_bytes() == state(emu).data(emu.ids[0])


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_unknown_document_is_not_found_with_telnyx_code(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    async with opened(kind, emu) as client:
        for call in (lambda: client.retrieve_document(UNKNOWN), lambda: client.links([UNKNOWN])):
            with pytest.raises(NotFoundError) as caught:
                await run(call())
            assert caught.value.code == "10005" and caught.value.status_code == 404
            assert caught.value.message
        results = await run(client.download([UNKNOWN, emu.ids[0]], tmp_path, method="direct"))
    assert isinstance(results[0], FileResult) and isinstance(results[0].error, NotFoundError)
    assert results[0].error.code == "10005"
    assert results[1].ok  # one failure never stops the others
    assert files_in(tmp_path) == ["service-agreement.pdf"]


@pytest.mark.parametrize("kind", KINDS)
async def test_wrong_key_is_an_authentication_error(kind: str, emu: RunningEmulator, tmp_path: Path) -> None:
    async with opened(kind, emu, api_key="KEYwrong") as client:
        with pytest.raises(AuthenticationError) as caught:
            await run(client.get_download_link(emu.ids[0]))
        (result,) = await run(client.download([emu.ids[0]], tmp_path))
    assert caught.value.code == "10009"
    assert isinstance(result.error, AuthenticationError)
    assert len(emu.api_requests) == 2  # a 401 is never retried


@pytest.mark.parametrize("kind", KINDS)
async def test_rate_limit_and_server_errors(kind: str, emu: RunningEmulator) -> None:
    doc_id = emu.ids[0]
    emu.faults.fail_next(2, 429)
    async with opened(kind, emu) as client:
        assert (await run(client.get_download_link(doc_id))).url  # retried through
        emu.faults.fail_next(3, 500)
        with pytest.raises(ServerError) as server:
            await run(client.get_download_link(doc_id))
    async with opened(kind, emu, retry=RetryPolicy(max_attempts=1)) as client:
        emu.faults.fail_next(1, 429, retry_after=7)
        with pytest.raises(RateLimitError) as limited:
            await run(client.retrieve_document(doc_id))
    assert server.value.code == "10007"
    assert limited.value.retry_after == 7 and limited.value.code == "10011"
    assert len(emu.api_requests) == 3 + 3 + 1


@pytest.mark.parametrize("kind", KINDS)
async def test_non_json_error_bodies_are_retried_and_typed(kind: str, emu: RunningEmulator) -> None:
    """An HTML/XML error from a proxy must not become a parse failure (the storage origin answers XML)."""
    emu.faults.fail_next(1, 502, where="storage")
    async with opened(kind, emu, base_url=emu.storage.base_url + "/v2") as client:
        with pytest.raises(NotFoundError):
            await run(client.retrieve_document(emu.ids[0]))
    assert len(emu.storage.requests) == 2


def build_broken(ctx: EmulatorContext) -> ProviderApp:
    """A server answering 200 with bodies that do not match the spec."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/v2/documents/{doc_id}")
    def retrieve(doc_id: str) -> dict[str, Any]:
        return {"data": {"id": "not-a-uuid"}}

    @app.get("/v2/documents/{doc_id}/download_link")
    def link(doc_id: str) -> dict[str, Any]:
        return {"nothing": True}

    return ProviderApp(app, "/v2", {"api_key": "k"}, [], lambda s, m: {}, dict)


@pytest.mark.parametrize("kind", KINDS)
async def test_malformed_success_bodies_are_response_validation_errors(kind: str) -> None:
    with run_emulator("broken", builder=build_broken) as broken:
        async with opened(kind, broken) as client:
            for call in (
                lambda: client.retrieve_document(UNKNOWN),
                lambda: client.get_download_link(UNKNOWN),
            ):
                with pytest.raises(ResponseValidationError):
                    await run(call())


@pytest.mark.parametrize("kind", KINDS)
async def test_no_credential_reaches_storage(kind: str, emu: RunningEmulator, tmp_path: Path) -> None:
    async with opened(kind, emu) as client:
        await run(client.download(emu.ids, tmp_path))
    assert emu.storage.requests
    for request in emu.storage.requests:
        assert "authorization" not in request.headers
        assert all(str(emu.api_key) not in value for value in request.headers.values())
    assert all(r.headers.get("authorization") == f"Bearer {emu.api_key}" for r in emu.api_requests)


@pytest.mark.parametrize("kind", KINDS)
async def test_download_checks_arguments_before_any_request(
    kind: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    async with opened(kind, emu) as client:
        for kwargs in ({"method": "ftp"}, {"concurrency": 0}):
            with pytest.raises(InvalidInputError):
                await run(client.download(emu.ids, tmp_path, **kwargs))
        with pytest.raises(InvalidInputError):
            await run(client.download(emu.ids, blocker))
    assert emu.api_requests == []


# --- the README's Telnyx examples, taken from README.md: its failure paths ----------------------------


def test_readme_examples_succeed_and_fail_as_they_say(
    emu: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The success path of every README block runs in tests/docs; here, what the Telnyx ones do when
    the document is unknown, the id is no UUID or the key is missing."""
    monkeypatch.setenv("TELNYX_API_KEY", str(emu.api_key))
    monkeypatch.setenv("TELNYX_BASE_URL", emu.base_url)
    monkeypatch.chdir(tmp_path)
    script, snippet = readme_blocks.find("Telnyx", 0), readme_blocks.find("Telnyx", 1)
    doc_id = emu.ids[0]
    readme_blocks.run(script, {"doc_id": doc_id})
    readme_blocks.run(snippet, {"doc_id": doc_id})
    assert (tmp_path / "downloads" / "service-agreement.pdf").read_bytes() == state(emu).data(doc_id)
    with pytest.raises(SystemExit, match="no such document"):
        readme_blocks.run(script, {"doc_id": UNKNOWN})
    with pytest.raises(InvalidInputError, match="nope"):  # not a UUID: refused before any request
        readme_blocks.run(script, {"doc_id": "nope"})
    monkeypatch.delenv("TELNYX_API_KEY")
    with pytest.raises(MissingCredentialsError, match="TELNYX_API_KEY"):
        readme_blocks.run(script, {"doc_id": doc_id})
