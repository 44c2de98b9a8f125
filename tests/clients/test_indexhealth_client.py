"""docfetch.indexhealth (IndexHealthClient / AsyncIndexHealthClient): documents, links and downloads against
the Index Health emulator over real sockets. The token flow is in test_indexhealth_auth.py.

(Named test_indexhealth_client.py: tests/emulators/test_indexhealth.py already uses the shorter basename.)
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from collections.abc import Callable
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.errors import DestinationExistsError
from docfetch.errors import DocfetchError
from docfetch.errors import InvalidInputError
from docfetch.errors import NonStandardStatusError
from docfetch.errors import NotFoundError
from docfetch.errors import ServerError
from docfetch.indexhealth import AsyncIndexHealthClient
from docfetch.indexhealth import DocumentDetails
from docfetch.indexhealth import DocumentNotFoundError
from docfetch.indexhealth import DocumentSummary
from docfetch.indexhealth import DocumentType
from docfetch.indexhealth import DownloadUrl
from docfetch.indexhealth import IndexHealthClient
from docfetch.indexhealth import MissingFieldsError
from docfetch.types import FileResult
from docfetch.types import Link

FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, jitter=0.0)
NON_ASCII_NAME = "Évidence de couverture – Überblick.pdf"
METHODS = ["direct", "signed_url"]


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with run_emulator("indexhealth", file_size=96 * 1024) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(emu: RunningEmulator) -> Iterator[None]:
    yield
    emu.faults.reset()


def make(emu: RunningEmulator, cls: type[Any] = IndexHealthClient, **overrides: Any) -> Any:
    return cls(**{**emu.credentials, "base_url": emu.base_url, "retry": FAST, "timeout": 5.0, **overrides})


@pytest.fixture
def client(emu: RunningEmulator) -> Iterator[IndexHealthClient]:
    with make(emu) as opened:
        yield opened


@pytest.fixture
async def aclient(emu: RunningEmulator) -> AsyncIterator[AsyncIndexHealthClient]:
    async with make(emu, AsyncIndexHealthClient) as opened:
        yield opened


def url_based_id(emu: RunningEmulator) -> str:
    return str(next(doc_id for doc_id, doc in emu.state.documents.items() if doc.stored is None))


def stored(emu: RunningEmulator, document_id: str) -> bytes:
    data: bytes = emu.state.find(document_id).stored.data
    return data


def assert_saved(emu: RunningEmulator, result: FileResult, document_id: str, dest: Path) -> None:
    assert result.ok, result.error
    assert result.id == document_id
    assert result.path is not None and result.path.parent == dest
    assert result.path.read_bytes() == stored(emu, document_id)
    assert result.sha256 == emu.state.find(document_id).stored.sha256
    assert result.bytes == len(stored(emu, document_id))


def assert_no_credential_reached_storage(emu: RunningEmulator) -> None:
    secrets = [emu.credentials["client_secret"], emu.credentials["client_id"]]
    for request in emu.storage.requests:
        assert "authorization" not in request.headers
        seen = " ".join([*request.headers.values(), request.raw_query, request.path])
        assert not any(secret in seen for secret in secrets)
        assert "Bearer" not in seen and "eyJ" not in seen  # no token either


def no_temp_files(dest: Path) -> bool:
    return not [p for p in dest.rglob("*") if p.name.endswith(".docfetch-part")]


# ---- ids, before any request -----------------------------------------------------------------------


BAD_IDS: list[Any] = [[], [""], ["  "], ["doc\x00x"], ["doc\n1"], ["a/b"], ["/etc"], [".."], ["."], "doc-1"]


@pytest.mark.parametrize("ids", BAD_IDS)
def test_check_ids_refuses_what_cannot_be_a_path_segment(ids: Any) -> None:
    for cls in (IndexHealthClient, AsyncIndexHealthClient):
        with pytest.raises(InvalidInputError):
            cls.check_ids(ids)


def test_check_ids_accepts_free_form_ids() -> None:
    ids = ["doc-123", "550e8400-e29b-41d4-a716-446655440000", "a b?c#d%2F", "ü-1"]
    assert IndexHealthClient.check_ids(ids) == ids


@pytest.mark.parametrize("bad", [["a/b"], [".."], ["x\x7f"]])
@pytest.mark.anyio
async def test_bad_ids_fail_before_any_request(
    emu: RunningEmulator, bad: list[str], tmp_path: Path, aclient: AsyncIndexHealthClient
) -> None:
    before = len(emu.api_requests)
    with make(emu) as client:
        calls: list[Callable[[], object]] = [
            lambda: client.links(bad),
            lambda: client.download(bad, tmp_path),
            lambda: client.get_document_details(bad[0]),
            lambda: client.request_download(bad[0]),
        ]
        for call in calls:
            with pytest.raises(InvalidInputError):
                call()
    with pytest.raises(InvalidInputError):
        await aclient.download(bad, tmp_path, method="signed_url")
    with pytest.raises(InvalidInputError):
        await aclient.links(bad)
    assert len(emu.api_requests) == before


def test_other_bad_arguments_fail_before_any_request(
    emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path
) -> None:
    before = len(emu.api_requests)
    with pytest.raises(InvalidInputError, match="method"):
        client.download(emu.ids, tmp_path, method="ftp")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="concurrency"):
        client.download(emu.ids, tmp_path, concurrency=0)
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(InvalidInputError, match="not a directory"):
        client.download(emu.ids, tmp_path / "file")
    with pytest.raises(InvalidInputError, match="collection"):
        client.get_documents(" ")
    assert len(emu.api_requests) == before


# ---- typed listing and details ------------------------------------------------------------------------


def test_get_documents_returns_typed_summaries(emu: RunningEmulator, client: IndexHealthClient) -> None:
    documents = client.get_documents(emu.state.collection_id)
    assert all(isinstance(doc, DocumentSummary) for doc in documents)
    by_id = {doc.document_id: doc for doc in documents}
    assert set(by_id) == set(emu.state.documents)
    names = {doc.document_name for doc in documents}
    assert NON_ASCII_NAME in names
    first = by_id[emu.ids[0]]
    assert first.document_type is DocumentType.PDF
    assert first.avg_progress == 100.0
    assert isinstance(first.created_at, datetime)
    url_based = by_id[url_based_id(emu)]
    assert url_based.document_url and not url_based.document_file_path
    assert client.get_documents("col-unknown") == []


@pytest.mark.anyio
async def test_get_document_details_returns_typed_details(
    emu: RunningEmulator, aclient: AsyncIndexHealthClient
) -> None:
    details = await aclient.get_document_details(emu.ids[0])
    assert isinstance(details, DocumentDetails)
    assert details.document_id == emu.ids[0]
    assert details.associated_plans and details.associated_plans[0].plan_name == "Gold PPO"
    listed = await aclient.get_documents(emu.state.collection_id)
    assert len(listed) == len(emu.state.documents)


@pytest.mark.anyio
async def test_unknown_document_is_document_not_found_error(
    client: IndexHealthClient, aclient: AsyncIndexHealthClient
) -> None:
    with pytest.raises(DocumentNotFoundError) as caught:
        client.get_document_details("doc-missing")
    error = caught.value
    assert isinstance(error, NotFoundError) and isinstance(error, NonStandardStatusError)
    assert error.status_code == 437 and error.message == "Document not found"
    assert str(error) == "HTTP 437 Document not found"
    with pytest.raises(DocumentNotFoundError):
        await aclient.request_download("doc-missing")


def test_ids_are_percent_encoded(emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path) -> None:
    odd = "doc ü?#%"
    emu.state.add_document("odd.pdf", b"%PDF odd", document_id=odd)
    try:
        assert client.get_document_details(odd).document_id == odd
        (result,) = client.download([odd], tmp_path)
        assert result.ok and result.path is not None and result.path.read_bytes() == b"%PDF odd"
        assert emu.api_requests[-1].path == f"/download/{odd}"  # decoded by the server: sent encoded
    finally:
        emu.state.remove_document(odd)


# ---- links ----------------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_links_are_presigned_urls_that_need_no_credential(
    emu: RunningEmulator, client: IndexHealthClient, aclient: AsyncIndexHealthClient
) -> None:
    before = datetime.now(UTC)
    links = client.links([*emu.ids, emu.ids[0]])  # duplicates are asked for once
    async_links = await aclient.links(emu.ids)
    assert [link.id for link in links] == emu.ids == [link.id for link in async_links]
    for link in [*links, *async_links]:
        assert isinstance(link, Link) and link.expires_at is not None
        assert before + timedelta(hours=1) <= link.expires_at <= datetime.now(UTC) + timedelta(hours=1)
        body = httpx.get(link.url, timeout=5.0)  # a bare request: no credential at all
        assert body.content == stored(emu, link.id)
        assert link.to_json()["url"] == link.url
    assert isinstance(client.request_download(emu.ids[0]), DownloadUrl)
    assert_no_credential_reached_storage(emu)


def test_a_url_based_document_has_no_link(emu: RunningEmulator, client: IndexHealthClient) -> None:
    with pytest.raises(MissingFieldsError, match="Document has no file path") as caught:
        client.links([url_based_id(emu)])
    assert caught.value.status_code == 435 and isinstance(caught.value, NonStandardStatusError)


def test_documented_500_is_server_error_after_retries(
    emu: RunningEmulator, client: IndexHealthClient
) -> None:
    emu.state.break_document(emu.ids[0])
    since = len(emu.api_requests)
    try:
        with pytest.raises(ServerError, match="Failed to generate download URL"):
            client.links([emu.ids[0]])
    finally:
        emu.state.break_document(emu.ids[0], broken=False)
    assert sum(r.path == "/download" for r in emu.api_requests[since:]) == FAST.max_attempts


# ---- downloads ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_download_saves_byte_identical_files_named_by_the_server(
    emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path, method: Any
) -> None:
    storage_before = len(emu.storage.requests)
    seen: dict[str, tuple[int, int | None]] = {}
    results = client.download(
        emu.ids, tmp_path, method=method, progress=lambda key, done, total: seen.update({key: (done, total)})
    )
    for result, document_id in zip(results, emu.ids, strict=True):
        assert_saved(emu, result, document_id, tmp_path)
        size = len(stored(emu, document_id))
        assert seen[document_id] == (size, size)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["Summary of Benefits 2025.pdf", NON_ASCII_NAME])  # filename* wins
    if method == "direct":
        assert len(emu.storage.requests) == storage_before  # the API streamed the file itself
    else:
        assert len(emu.storage.requests) > storage_before
    assert_no_credential_reached_storage(emu)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.anyio
async def test_async_download_saves_byte_identical_files(
    emu: RunningEmulator, aclient: AsyncIndexHealthClient, tmp_path: Path, method: Any
) -> None:
    results = await aclient.download(emu.ids, tmp_path, method=method, concurrency=2)
    for result, document_id in zip(results, emu.ids, strict=True):
        assert_saved(emu, result, document_id, tmp_path)
    assert (tmp_path / NON_ASCII_NAME).exists()
    assert_no_credential_reached_storage(emu)


def test_direct_is_the_default_and_counted_by_the_service(
    emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path
) -> None:
    before = emu.state.downloads.get(emu.ids[1], 0)
    result = client.download_document(emu.ids[1], tmp_path)
    assert_saved(emu, result, emu.ids[1], tmp_path)
    assert emu.state.downloads[emu.ids[1]] == before + 1


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.anyio
async def test_per_item_failures_are_typed_results(
    emu: RunningEmulator, aclient: AsyncIndexHealthClient, tmp_path: Path, method: Any
) -> None:
    ids = [emu.ids[0], url_based_id(emu), "doc-missing", emu.ids[0]]
    with make(emu) as client:
        sync_results = client.download(ids, tmp_path / "sync", method=method)
    async_results = await aclient.download(ids, tmp_path / "async", method=method)
    for results, dest in ((sync_results, tmp_path / "sync"), (async_results, tmp_path / "async")):
        assert [r.id for r in results] == ids[:3]  # duplicates saved once, order kept
        assert_saved(emu, results[0], emu.ids[0], dest)
        assert isinstance(results[1].error, MissingFieldsError)
        assert results[1].error.message == "Document has no file path"
        assert isinstance(results[2].error, DocumentNotFoundError)
        assert no_temp_files(dest) and len(list(dest.iterdir())) == 1


@pytest.mark.anyio
async def test_download_document_raises_its_error(
    emu: RunningEmulator, client: IndexHealthClient, aclient: AsyncIndexHealthClient, tmp_path: Path
) -> None:
    with pytest.raises(DocumentNotFoundError):
        client.download_document("doc-missing", tmp_path)
    with pytest.raises(MissingFieldsError):
        await aclient.download_document(url_based_id(emu), tmp_path, method="signed_url")
    result = await aclient.download_document(emu.ids[0], tmp_path, method="signed_url")
    assert_saved(emu, result, emu.ids[0], tmp_path)


def test_existing_files_are_kept_unless_overwrite(
    emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path
) -> None:
    target = tmp_path / "Summary of Benefits 2025.pdf"
    target.write_bytes(b"mine")
    (result,) = client.download([emu.ids[0]], tmp_path)
    assert isinstance(result.error, DestinationExistsError)
    assert target.read_bytes() == b"mine"
    (result,) = client.download([emu.ids[0]], tmp_path, overwrite=True)
    assert_saved(emu, result, emu.ids[0], tmp_path)


@pytest.mark.parametrize("method", METHODS)
def test_hostile_names_are_made_safe(
    emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path, method: Any
) -> None:
    emu.faults.hostile_names = True
    results = client.download(emu.ids, tmp_path, method=method)
    for result, document_id in zip(results, emu.ids, strict=True):
        assert_saved(emu, result, document_id, tmp_path)
    if method == "direct":  # the API's Content-Disposition said "../x.pdf" and "/etc/passwd"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["passwd", "x.pdf"]
    assert not (tmp_path.parent / "x.pdf").exists()


@pytest.mark.anyio
async def test_a_transient_api_failure_is_retried(
    emu: RunningEmulator, client: IndexHealthClient, aclient: AsyncIndexHealthClient, tmp_path: Path
) -> None:
    emu.faults.fail_next(1, 503)
    (result,) = client.download([emu.ids[0]], tmp_path / "sync")
    assert_saved(emu, result, emu.ids[0], tmp_path / "sync")
    emu.faults.fail_next(1, 502)
    (result,) = await aclient.download([emu.ids[0]], tmp_path / "async")
    assert_saved(emu, result, emu.ids[0], tmp_path / "async")
    assert emu.faults.pending()["api"] == 0


@pytest.mark.anyio
async def test_a_dropped_signed_download_resumes_with_range(
    emu: RunningEmulator, client: IndexHealthClient, aclient: AsyncIndexHealthClient, tmp_path: Path
) -> None:
    for run, dest in ((0, tmp_path / "sync"), (1, tmp_path / "async")):
        since = len(emu.storage.requests)
        emu.faults.drop_next(1, after_bytes=10_000)
        if run == 0:
            (result,) = client.download([emu.ids[1]], dest, method="signed_url")
        else:
            (result,) = await aclient.download([emu.ids[1]], dest, method="signed_url")
        assert_saved(emu, result, emu.ids[1], dest)
        ranges = [r.headers.get("range") for r in emu.storage.requests[since:]]
        assert ranges[0] is None and ranges[-1] is not None and ranges[-1].startswith("bytes=")
    assert_no_credential_reached_storage(emu)


@pytest.mark.anyio
async def test_an_expired_signed_url_is_asked_for_again(
    emu: RunningEmulator, client: IndexHealthClient, aclient: AsyncIndexHealthClient, tmp_path: Path
) -> None:
    for run, dest in ((0, tmp_path / "sync"), (1, tmp_path / "async")):
        since = len(emu.api_requests)
        emu.faults.fail_next(1, 403, where="storage")  # how S3 refuses an expired presigned URL
        if run == 0:
            (result,) = client.download([emu.ids[0]], dest, method="signed_url")
        else:
            (result,) = await aclient.download([emu.ids[0]], dest, method="signed_url")
        assert_saved(emu, result, emu.ids[0], dest)
        assert sum(r.path == "/download" for r in emu.api_requests[since:]) == 2


def test_the_direct_opener_sends_the_engines_range_headers(
    emu: RunningEmulator, client: IndexHealthClient
) -> None:
    # The engine resumes a direct download by reopening it with Range/If-Range; the opener must send them.
    opener = client._item(emu.ids[0], "direct").open
    assert opener is not None
    with opener({"Range": "bytes=100-", "Accept-Encoding": "identity"}) as response:
        assert response.status_code == 200  # the emulator's endpoint ignores ranges: the engine restarts
        body = response.read()
    sent = emu.api_requests[-1].headers
    assert sent["range"] == "bytes=100-" and sent["accept-encoding"] == "identity"
    assert sent["authorization"].startswith("Bearer ")
    assert hashlib.sha256(body).hexdigest() == emu.state.find(emu.ids[0]).stored.sha256


def test_many_documents_concurrently(emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path) -> None:
    added = [emu.state.add_document(f"batch {n}.pdf", bytes([n]) * (20_000 + n)) for n in range(8)]
    try:
        ids = [doc.document_id for doc in added]
        exchanges = emu.state.token_exchanges
        results = client.download(ids, tmp_path, concurrency=4)
        for result, document_id in zip(results, ids, strict=True):
            assert_saved(emu, result, document_id, tmp_path)
        assert emu.state.token_exchanges - exchanges <= 1
    finally:
        for doc in added:
            emu.state.remove_document(doc.document_id)


# ---- faults on the direct download (the API streams the file itself) --------------------------------


@pytest.mark.parametrize("fault", ["drop", "short"])
def test_direct_download_survives_a_cut_transfer(
    emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path, fault: str
) -> None:
    if fault == "drop":
        emu.faults.drop_next(1, after_bytes=10_000)
    else:
        emu.faults.short_next(1)
    before = emu.state.downloads.get(emu.ids[0], 0)
    result = client.download_document(emu.ids[0], tmp_path)
    assert_saved(emu, result, emu.ids[0], tmp_path)
    assert emu.state.downloads[emu.ids[0]] == before + 2  # cut once, then fetched again whole
    assert no_temp_files(tmp_path)


@pytest.mark.anyio
async def test_async_direct_download_survives_a_dropped_connection(
    emu: RunningEmulator, aclient: AsyncIndexHealthClient, tmp_path: Path
) -> None:
    emu.faults.drop_next(1, after_bytes=5_000)
    (result,) = await aclient.download([emu.ids[1]], tmp_path)
    assert_saved(emu, result, emu.ids[1], tmp_path)
    assert no_temp_files(tmp_path)


def test_direct_download_that_keeps_failing_leaves_nothing(
    emu: RunningEmulator, client: IndexHealthClient, tmp_path: Path
) -> None:
    emu.faults.drop_next(50, after_bytes=1_000)
    (result,) = client.download([emu.ids[0]], tmp_path)
    assert not result.ok and isinstance(result.error, DocfetchError)
    assert list(tmp_path.iterdir()) == []
