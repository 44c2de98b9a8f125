"""The download engine over real sockets against the fault-capable storage server."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from pathlib import Path

import httpx
import pytest
from core_storage_server import Fault
from core_storage_server import StorageServer
from core_storage_server import running
from docfetch import Checksum
from docfetch import DownloadItem
from docfetch import async_download_file
from docfetch import async_download_many
from docfetch import async_storage_client
from docfetch import download_file
from docfetch import download_many
from docfetch import storage_client
from docfetch.core._async.engine import async_client_opener
from docfetch.core._sync.engine import client_opener
from docfetch.core.retry import DOWNLOAD_RETRY
from docfetch.errors import ChecksumMismatchError
from docfetch.errors import DestinationExistsError
from docfetch.errors import DocfetchError
from docfetch.errors import LinkExpiredError
from docfetch.errors import NotFoundError
from docfetch.errors import ServerError
from docfetch.errors import SizeMismatchError
from docfetch.errors import TransportError
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

FAST = DOWNLOAD_RETRY.with_(initial_backoff=0.0, max_backoff=0.0)
DATA = os.urandom(3 * 1024 * 1024 + 12345)  # several chunks, not a multiple of the chunk size
SECRET = "sk-live-secret"


def no_sleep(_: float) -> None:
    return None


async def ano_sleep(_: float) -> None:
    return None


def listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def assert_clean_failure(directory: Path) -> None:
    """No file at the destination and no part file left behind."""
    assert listing(directory) == []


def test_plain_download_is_verified_and_placed(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)
    seen: list[tuple[str, int, int | None]] = []
    saved = download_file(
        None,
        url,
        tmp_path,
        "report.pdf",
        checksum=Checksum("sha256", hashlib.sha256(DATA).hexdigest()),
        expected_size=len(DATA),
        progress=lambda *p: seen.append(p),
    )
    assert saved.path == tmp_path / "report.pdf"
    assert saved.path.read_bytes() == DATA
    assert saved.bytes == len(DATA)
    assert saved.sha256 == hashlib.sha256(DATA).hexdigest()
    assert listing(tmp_path) == ["report.pdf"]
    assert seen[-1] == ("report.pdf", len(DATA), len(DATA))
    assert all(done <= len(DATA) for _, done, _ in seen)


def test_md5_checksum_is_checked(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)
    good = Checksum("md5", hashlib.md5(DATA, usedforsecurity=False).hexdigest().upper())
    assert download_file(None, url, tmp_path, "ok.bin", checksum=good).bytes == len(DATA)
    with pytest.raises(ChecksumMismatchError) as caught:
        download_file(None, url, tmp_path, "bad.bin", checksum=Checksum("md5", "0" * 32))
    assert caught.value.actual == good.hexdigest
    assert listing(tmp_path) == ["ok.bin"]


@pytest.mark.parametrize("drop_after", [0, 1, 65535, 1024 * 1024, 1024 * 1024 + 1, len(DATA) - 1])
def test_dropped_connection_resumes_byte_identical(
    storage: StorageServer, tmp_path: Path, drop_after: int
) -> None:
    url = storage.put("a.bin", DATA)
    storage.fault("a.bin", Fault(drop_after=drop_after), Fault(drop_after=drop_after // 2 + 1))
    saved = download_file(
        None,
        url,
        tmp_path,
        "a.bin",
        policy=FAST,
        checksum=Checksum("sha256", hashlib.sha256(DATA).hexdigest()),
    )
    assert saved.path.read_bytes() == DATA
    ranges = [s.headers.get("range") for s in storage.seen]
    assert ranges[0] is None
    if drop_after > 0:
        assert ranges[1] == f"bytes={drop_after}-"  # resumed, not restarted
        assert storage.seen[1].headers.get("if-range", "").startswith('"')


@pytest.mark.parametrize("drop_after", [0, 10, 2 * 1024 * 1024])
def test_drop_without_retries_raises_typed_error_and_leaves_nothing(
    storage: StorageServer, tmp_path: Path, drop_after: int
) -> None:
    url = storage.put("a.bin", DATA)
    storage.fault("a.bin", Fault(drop_after=drop_after))
    with pytest.raises(TransportError):
        download_file(None, url, tmp_path, "a.bin", policy=FAST.with_(max_attempts=1))
    assert_clean_failure(tmp_path)


def test_flaky_server_exhausts_retries_cleanly(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)
    storage.fault("a.bin", *[Fault(status=503)] * 10)
    with pytest.raises(ServerError):
        download_file(None, url, tmp_path, "a.bin", policy=FAST.with_(max_attempts=3))
    assert len(storage.seen) == 3
    assert_clean_failure(tmp_path)


def test_retry_after_is_honoured(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)
    storage.fault("a.bin", Fault(status=429, retry_after="2"))
    waits: list[float] = []
    download_file(None, url, tmp_path, "a.bin", policy=FAST, sleep=waits.append)
    assert waits == [2.0]


def test_server_ignoring_range_restarts_cleanly(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)
    storage.fault("a.bin", Fault(drop_after=1_500_000), Fault(ignore_range=True))
    progress: list[int] = []
    saved = download_file(
        None, url, tmp_path, "a.bin", policy=FAST, progress=lambda _i, d, _t: progress.append(d)
    )
    assert saved.path.read_bytes() == DATA
    assert 0 in progress[1:]  # the restart was reported
    assert storage.seen[1].headers["range"] == "bytes=1500000-"


@pytest.mark.parametrize("weak", [True, False], ids=["weak-etag", "strong-etag"])
def test_an_object_changed_during_the_download_is_saved_whole_never_spliced(
    storage: StorageServer, tmp_path: Path, weak: bool
) -> None:
    """The connection drops and the object is replaced by a new version of the same size: what is saved
    is the new version from its first byte, not the old one's start joined to the new one's end."""
    url = storage.put("a.bin", DATA)
    newer = hashlib.sha256(b"v2").digest() * (len(DATA) // 32) + DATA[: len(DATA) % 32]
    storage.fault("a.bin", Fault(drop_after=1000, weak_etag=weak, replace_with=newer), Fault(weak_etag=weak))
    saved = download_file(None, url, tmp_path, "a.bin", policy=FAST)
    assert saved.path.read_bytes() == newer
    assert saved.sha256 == hashlib.sha256(newer).hexdigest()
    assert listing(tmp_path) == ["a.bin"]
    if weak:  # weak validators are not allowed in If-Range
        assert all("if-range" not in seen.headers for seen in storage.seen)


def test_short_body_against_expected_size_is_rejected(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)
    storage.fault("a.bin", Fault(content_length=100))
    with pytest.raises(SizeMismatchError) as caught:
        download_file(None, url, tmp_path, "a.bin", expected_size=len(DATA), policy=FAST)
    assert (caught.value.expected, caught.value.actual) == (len(DATA), 100)
    assert_clean_failure(tmp_path)


def test_expired_link_is_refreshed_and_download_goes_on(storage: StorageServer, tmp_path: Path) -> None:
    storage.put("a.bin", DATA)
    storage.fault("a.bin", Fault(drop_after=700_000))
    storage.expired.add("old")
    urls = iter([storage.url("a.bin", "old"), storage.url("a.bin", "new")])

    def fresh_url() -> str:
        return next(urls)

    saved = download_file(None, fresh_url, tmp_path, "a.bin", policy=FAST)
    assert saved.path.read_bytes() == DATA
    sigs = [s.query.get("sig") for s in storage.seen]
    assert sigs == [["old"], ["new"], ["new"]]  # refused, then dropped at 700000, then resumed
    assert storage.seen[2].headers["range"] == "bytes=700000-"


def test_refresh_url_continues_with_range_after_expiry(storage: StorageServer, tmp_path: Path) -> None:
    storage.put("a.bin", DATA)
    storage.fault("a.bin", Fault(drop_after=700_000))
    first = storage.url("a.bin", "s1")

    def expire_then_refresh() -> str:
        return storage.url("a.bin", "s2")

    # the first URL dies after the drop: the resume is refused, then refreshed, then resumed
    storage.faults["a.bin"].append(Fault(status=403))
    saved = download_file(None, first, tmp_path, "a.bin", refresh_url=expire_then_refresh, policy=FAST)
    assert saved.path.read_bytes() == DATA
    assert storage.seen[-1].query["sig"] == ["s2"]
    assert storage.seen[-1].headers["range"] == "bytes=700000-"


def test_expired_link_without_refresh_raises(storage: StorageServer, tmp_path: Path) -> None:
    storage.put("a.bin", DATA)
    storage.expired.add("old")
    with pytest.raises(LinkExpiredError) as caught:
        download_file(None, storage.url("a.bin", "old"), tmp_path, "a.bin", policy=FAST)
    assert caught.value.status_code == 403
    assert_clean_failure(tmp_path)


def test_missing_object_is_not_found(storage: StorageServer, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        download_file(None, storage.url("nope"), tmp_path, "x", policy=FAST)
    assert_clean_failure(tmp_path)


def test_existing_file_is_kept_unless_overwrite(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)
    (tmp_path / "a.bin").write_bytes(b"mine")
    with pytest.raises(DestinationExistsError):
        download_file(None, url, tmp_path, "a.bin")
    assert (tmp_path / "a.bin").read_bytes() == b"mine"
    assert storage.seen == []  # refused before downloading anything
    download_file(None, url, tmp_path, "a.bin", overwrite=True)
    assert (tmp_path / "a.bin").read_bytes() == DATA
    assert listing(tmp_path) == ["a.bin"]


def test_file_appearing_during_download_is_not_clobbered(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)

    def sneak_in(_id: str, done: int, _total: int | None) -> None:
        if done == len(DATA):
            (tmp_path / "a.bin").write_bytes(b"racer")

    with pytest.raises(DestinationExistsError):
        download_file(None, url, tmp_path, "a.bin", progress=sneak_in)
    assert listing(tmp_path) == ["a.bin"]
    assert (tmp_path / "a.bin").read_bytes() == b"racer"


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ('attachment; filename="../../../etc/passwd"', "passwd"),
        ("attachment; filename*=UTF-8''%2E%2E%2F%2E%2E%2Fevil%00.pdf", "evil_.pdf"),
        ('attachment; filename="CON.pdf"', "_CON.pdf"),
        ('attachment; filename=".."', "x"),  # falls back to the URL's last segment
    ],
)
def test_hostile_server_names_stay_inside(
    storage: StorageServer, tmp_path: Path, disposition: str, expected: str
) -> None:
    url = storage.put("x", b"hello", disposition=disposition)
    dest = tmp_path / "out"
    saved = download_file(None, url, dest, file_id="doc-7")
    assert saved.path == dest / expected
    assert listing(tmp_path) == ["out"]


def test_name_from_url_when_no_disposition(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("invoice%20may.pdf", b"%PDF")
    assert download_file(None, url, tmp_path).path.name == "invoice may.pdf"


# --- credentials never reach storage ----------------------------------------------------------


def test_cross_origin_redirect_drops_extra_headers(
    storage: StorageServer, other_storage: StorageServer, tmp_path: Path
) -> None:
    target = other_storage.put("a.bin", DATA)
    storage.fault("start", Fault(redirect_to=target))
    headers = {"X-Api-Key": SECRET, "Authorization": f"Bearer {SECRET}"}
    download_file(None, storage.url("start"), tmp_path, "a.bin", headers=headers)
    assert storage.seen[0].headers["x-api-key"] == SECRET  # its own origin: sent
    assert all(SECRET not in str(s.headers) for s in other_storage.seen)
    assert (tmp_path / "a.bin").read_bytes() == DATA


def test_authenticated_client_never_leaks_to_storage(
    storage: StorageServer, other_storage: StorageServer, tmp_path: Path
) -> None:
    target = other_storage.put("a.bin", DATA)
    storage.fault("start", Fault(redirect_to=target))
    with httpx.Client(
        headers={"X-Api-Key": SECRET}, auth=("user", SECRET), cookies={"s": SECRET}
    ) as provider:
        download_file(provider, storage.url("start"), tmp_path, "a.bin")
    assert storage.seen[0].headers.get("x-api-key") is None  # bare requests: no client defaults at all
    assert all(SECRET not in str(s.headers) for s in [*storage.seen, *other_storage.seen])


def test_opener_redirect_to_storage_drops_provider_auth(
    storage: StorageServer, other_storage: StorageServer, tmp_path: Path
) -> None:
    target = other_storage.put("a.bin", DATA)
    storage.fault("doc", Fault(redirect_to=target))
    with httpx.Client(headers={"X-Api-Key": SECRET}) as provider:
        opener = client_opener(provider, storage.url("doc"))
        saved = download_file(None, opener, tmp_path, "a.bin", opener=True)
    assert saved.path.read_bytes() == DATA
    assert storage.seen[0].headers["x-api-key"] == SECRET
    assert all(SECRET not in str(s.headers) for s in other_storage.seen)


def test_storage_client_strips_custom_headers_on_cross_origin_redirect(
    storage: StorageServer, other_storage: StorageServer
) -> None:
    target = other_storage.put("a.bin", b"x")
    storage.fault("start", Fault(redirect_to=target))
    with storage_client() as client:
        response = client.get(storage.url("start"), headers={"X-Api-Key": SECRET})
    assert response.content == b"x"
    assert storage.seen[0].headers["x-api-key"] == SECRET
    assert "x-api-key" not in other_storage.seen[0].headers


def test_storage_client_reads_more_than_64_kib_at_a_time(storage: StorageServer) -> None:
    # httpcore's default is 64 KiB per read; the storage clients read up to 1 MiB (docfetch.bulkread).
    url = storage.put("big", DATA)
    with storage_client() as client, client.stream("GET", url) as response:
        time.sleep(0.2)  # let the body pile up in the socket buffer
        sizes = [len(chunk) for chunk in response.iter_raw()]
    assert sum(sizes) == len(DATA)
    assert max(sizes) > 64 * 1024


@pytest.mark.anyio
async def test_async_storage_client_reads_more_than_64_kib_at_a_time(storage: StorageServer) -> None:
    url = storage.put("big", DATA)
    async with async_storage_client() as client, client.stream("GET", url) as response:
        await asyncio.sleep(0.2)
        sizes = [len(chunk) async for chunk in response.aiter_raw()]
    assert sum(sizes) == len(DATA)
    assert max(sizes) > 64 * 1024


def test_storage_client_refuses_auth() -> None:
    with pytest.raises(ValueError):
        storage_client(auth=("a", "b"))


def test_opener_resumes_through_provider_endpoint(storage: StorageServer, tmp_path: Path) -> None:
    storage.put("doc", DATA)
    storage.fault("doc", Fault(drop_after=123_456))
    with httpx.Client(headers={"Authorization": f"Bearer {SECRET}"}) as provider:
        saved = download_file(
            None, client_opener(provider, storage.url("doc")), tmp_path, "d", opener=True, policy=FAST
        )
    assert saved.path.read_bytes() == DATA
    assert storage.seen[1].headers["range"] == "bytes=123456-"
    assert storage.seen[1].headers["authorization"] == f"Bearer {SECRET}"  # the provider's own endpoint


def test_already_open_response(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("doc", DATA, disposition='attachment; filename="document-name.pdf"')
    with httpx.Client() as client:
        response = client.send(client.build_request("GET", url), stream=True)
        saved = download_file(None, response, tmp_path)
    assert saved.path == tmp_path / "document-name.pdf"
    assert saved.path.read_bytes() == DATA


# --- many files --------------------------------------------------------------------------------


def test_download_many_keeps_going_after_failures(storage: StorageServer, tmp_path: Path) -> None:
    blobs = {f"f{i}": os.urandom(200_000 + i) for i in range(6)}
    for key, blob in blobs.items():
        storage.put(key, blob)
    storage.fault("f1", Fault(drop_after=5000))  # recovers
    items = [
        DownloadItem(
            key,
            url=storage.url(key),
            name="same.bin",
            checksum=Checksum("sha256", hashlib.sha256(b).hexdigest()),
        )
        for key, b in blobs.items()
    ]
    items[3] = DownloadItem(
        "f3", url=storage.url("f3"), name="same.bin", checksum=Checksum("sha256", "0" * 64)
    )
    items.append(DownloadItem("gone", url=storage.url("gone"), name="gone.bin"))
    done: dict[str, int] = {}
    results = download_many(
        items,
        tmp_path,
        concurrency=3,
        policy=FAST,
        sleep=no_sleep,
        progress=lambda i, d, _t: done.__setitem__(i, d),
    )
    assert [r.id for r in results] == [i.id for i in items]
    assert [r.ok for r in results] == [True, True, True, False, True, True, False]
    assert isinstance(results[3].error, ChecksumMismatchError)
    assert isinstance(results[6].error, NotFoundError)
    names = [r.path.name for r in results if r.path]
    # Each transfer reserves its name when it starts (in whatever order the workers take them): six
    # reservations, five saved files, all distinct.
    candidates = {"same.bin", *(f"same ({n}).bin" for n in range(1, 6))}
    assert len(set(names)) == 5 and set(names) <= candidates
    for result in results:
        if result.ok:
            assert result.path is not None
            assert result.path.read_bytes() == blobs[result.id]
            assert result.sha256 == hashlib.sha256(blobs[result.id]).hexdigest()
            assert done[result.id] == result.bytes
    assert sorted(listing(tmp_path)) == sorted(names)


def test_download_many_reports_existing_destination(storage: StorageServer, tmp_path: Path) -> None:
    storage.put("a", b"1")
    (tmp_path / "a.txt").write_bytes(b"old")
    results = download_many([DownloadItem("a", url=storage.url("a"), name="a.txt")], tmp_path)
    assert isinstance(results[0].error, DestinationExistsError)
    assert isinstance(results[0].error, DocfetchError)


def test_item_verifier_sees_the_whole_file_and_a_rejection_leaves_the_destination_alone(
    storage: StorageServer, tmp_path: Path
) -> None:
    url = storage.put("a.bin", DATA)
    (tmp_path / "a.bin").write_bytes(b"previous")
    seen: list[tuple[bytes, str]] = []

    def reject(part: Path, destination: Path) -> None:
        seen.append((part.read_bytes(), destination.name))
        raise ChecksumMismatchError("differs", algorithm="md5", expected="a", actual="b", path=destination)

    def accept(part: Path, destination: Path) -> None:
        seen.append((part.read_bytes(), destination.name))

    (result,) = download_many(
        [DownloadItem("x", url=url, name="a.bin", verify=reject)], tmp_path, overwrite=True
    )
    assert isinstance(result.error, ChecksumMismatchError)
    assert listing(tmp_path) == ["a.bin"] and (tmp_path / "a.bin").read_bytes() == b"previous"
    (result,) = download_many(
        [DownloadItem("x", url=url, name="a.bin", verify=accept)], tmp_path, overwrite=True
    )
    assert result.ok and (tmp_path / "a.bin").read_bytes() == DATA
    assert seen == [(DATA, "a.bin"), (DATA, "a.bin")]


def test_item_needs_exactly_one_source() -> None:
    with pytest.raises(ValueError):
        DownloadItem("x")


# --- async twins -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_download_resumes_and_refreshes(storage: StorageServer, tmp_path: Path) -> None:
    storage.put("a.bin", DATA)
    storage.expired.add("old")
    storage.fault("a.bin", Fault(drop_after=999_999))
    saved = await async_download_file(
        None,
        storage.url("a.bin", "old"),
        tmp_path,
        "a.bin",
        policy=FAST,
        refresh_url=lambda: storage.url("a.bin", "new"),
    )
    assert saved.path.read_bytes() == DATA
    assert [s.query["sig"] for s in storage.seen] == [["old"], ["new"], ["new"]]
    assert storage.seen[2].headers["range"] == "bytes=999999-"


@pytest.mark.anyio
async def test_async_drop_without_retries_leaves_nothing(storage: StorageServer, tmp_path: Path) -> None:
    url = storage.put("a.bin", DATA)
    storage.fault("a.bin", Fault(drop_after=4096))
    with pytest.raises(TransportError):
        await async_download_file(None, url, tmp_path, "a.bin", policy=FAST.with_(max_attempts=1))
    assert_clean_failure(tmp_path)


@pytest.mark.anyio
async def test_async_many_with_opener_and_urls(
    storage: StorageServer, other_storage: StorageServer, tmp_path: Path
) -> None:
    storage.put("a", b"A" * 10)
    other = other_storage.put("b", b"B" * 20)
    storage.fault("doc", Fault(redirect_to=other))
    async with httpx.AsyncClient(headers={"X-Api-Key": SECRET}) as provider:
        items = [
            DownloadItem("a", url=storage.url("a"), name="x.txt"),
            DownloadItem("b", open=async_client_opener(provider, storage.url("doc")), name="x.txt"),
            DownloadItem("c", url=storage.url("missing"), name="c.txt"),
        ]
        results = await async_download_many(items, tmp_path, concurrency=2, policy=FAST, sleep=ano_sleep)
    assert [r.ok for r in results] == [True, True, False]
    assert (tmp_path / "x.txt").read_bytes() == b"A" * 10
    assert (tmp_path / "x (1).txt").read_bytes() == b"B" * 20
    assert all(SECRET not in str(s.headers) for s in other_storage.seen)


# --- any interruption: byte-identical or a typed error and nothing left -------------------------

SMALL = os.urandom(300_000)
fault_strategy = st.one_of(
    st.builds(Fault, drop_after=st.integers(0, len(SMALL))),
    st.builds(Fault, ignore_range=st.just(True), drop_after=st.none() | st.integers(0, len(SMALL))),
    st.builds(Fault, status=st.sampled_from([500, 503, 408, 429])),
    st.builds(Fault, content_length=st.integers(0, len(SMALL) - 1)),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(faults=st.lists(fault_strategy, max_size=4), attempts=st.integers(1, 4))
def test_any_interruption_is_all_or_nothing(
    tmp_path_factory: pytest.TempPathFactory, faults: list[Fault], attempts: int
) -> None:
    dest = tmp_path_factory.mktemp("dl")
    with running() as server:
        url = server.put("s.bin", SMALL)
        server.fault("s.bin", *faults)
        try:
            saved = download_file(
                None,
                url,
                dest,
                "s.bin",
                expected_size=len(SMALL),
                checksum=Checksum("sha256", hashlib.sha256(SMALL).hexdigest()),
                policy=FAST.with_(max_attempts=attempts),
                sleep=no_sleep,
            )
        except DocfetchError:
            assert listing(dest) == []
        else:
            assert saved.path.read_bytes() == SMALL
            assert listing(dest) == ["s.bin"]


@pytest.mark.anyio
async def test_async_fsync_does_not_stall_the_event_loop(
    storage: StorageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow fsync (a busy disk) runs on a worker thread: other tasks keep running meanwhile."""
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        time.sleep(0.3)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", slow_fsync)
    url = storage.put("slow.bin", DATA)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    running = asyncio.ensure_future(ticker())
    try:
        saved = await async_download_file(None, url, tmp_path, "slow.bin")
    finally:
        running.cancel()
    assert saved.path.read_bytes() == DATA
    assert ticks >= 20  # the loop ticked through the 0.6 s of fsyncs (file and directory)
