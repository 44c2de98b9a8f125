"""The engine's tolerant-reader duties over real sockets: a given name without a file extension is
completed from the response, a URL source may name the storage statuses that count as a refused link,
and an item's extra headers reach its URL's own origin only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from core_storage_server import Fault
from core_storage_server import StorageServer
from docfetch import DownloadItem
from docfetch import async_download_many
from docfetch import download_many
from docfetch.core._async.links import AsyncSignedLink
from docfetch.core._sync.links import SignedLink
from docfetch.core.filenames import extension_for
from docfetch.core.filenames import known_extension
from docfetch.core.filenames import with_extension
from docfetch.core.retry import DOWNLOAD_RETRY
from docfetch.errors import LinkExpiredError
from docfetch.errors import NotFoundError

FAST = DOWNLOAD_RETRY.with_(initial_backoff=0.0, max_backoff=0.0)
DATA = os.urandom(200_000)
PASSWORD = "correct horse battery staple"


def no_sleep(_: float) -> None:
    return None


# --- names without an extension ------------------------------------------------------------------


def test_extension_rules() -> None:
    assert known_extension("scan.PDF") == ".PDF"
    assert known_extension("passport-scan") is None
    assert known_extension("statement-2024.03") is None  # ".03" is no file type
    assert extension_for("application/pdf; charset=binary") == ".pdf"
    assert extension_for("application/octet-stream") is None  # says nothing about the file
    assert extension_for("application/x-made-up") is None
    assert with_extension("a.png", disposition="b.pdf", content_type="application/pdf") == "a.png"
    assert with_extension("scan", disposition="other.pdf", content_type="image/png") == "scan.pdf"
    assert with_extension("scan", disposition="other", content_type="image/png") == "scan.png"
    assert with_extension("scan", disposition=None, content_type=None) == "scan"


@pytest.mark.parametrize(
    ("name", "disposition", "content_type", "saved"),
    [
        ("passport-scan", 'attachment; filename="passport-scan.pdf"', "application/pdf", "passport-scan.pdf"),
        ("statement-2024.03", None, "image/png", "statement-2024.03.png"),
        ("report.txt", 'attachment; filename="report.pdf"', "application/pdf", "report.txt"),
        ("raw-dump", None, "application/octet-stream", "raw-dump"),
        ("../../etc/passwd", None, "text/plain", "passwd.txt"),
    ],
)
def test_a_given_name_without_extension_is_completed_from_the_response(
    storage: StorageServer,
    tmp_path: Path,
    name: str,
    disposition: str | None,
    content_type: str,
    saved: str,
) -> None:
    url = storage.put("k", DATA, disposition=disposition, content_type=content_type)
    (result,) = download_many([DownloadItem("k", url=url, name=name)], tmp_path / "out")
    assert result.ok, result.error
    assert result.path == tmp_path / "out" / saved
    assert result.path.read_bytes() == DATA
    assert sorted(os.listdir(tmp_path / "out")) == [saved]


@pytest.mark.anyio
async def test_completed_names_stay_unique_and_keep_existing_files(
    storage: StorageServer, tmp_path: Path
) -> None:
    (tmp_path / "label.pdf").write_bytes(b"mine")
    urls = [storage.put(f"k{n}", DATA, content_type="application/pdf") for n in range(3)]
    items = [DownloadItem(f"k{n}", url=url, name="label") for n, url in enumerate(urls)]
    results = await async_download_many(items, tmp_path, concurrency=1)
    assert [type(r.error).__name__ if r.error else r.path.name for r in results if r.path or r.error] == [
        "DestinationExistsError",  # completed to label.pdf, which is the caller's: kept
        "label (1).pdf",
        "label (2).pdf",
    ]
    assert (tmp_path / "label.pdf").read_bytes() == b"mine"


# --- which statuses count as a refused link -----------------------------------------------------


def sync_link(urls: list[str], refused: frozenset[int] | None = None) -> SignedLink:
    fresh = iter(urls[1:])

    def renew() -> tuple[str, None]:
        return next(fresh), None

    if refused is None:
        return SignedLink(urls[0], None, renew)
    return SignedLink(urls[0], None, renew, refused_statuses=refused)


def test_a_source_may_count_404_as_a_refused_link(storage: StorageServer, tmp_path: Path) -> None:
    gone = storage.url("gone")  # 404: no such object
    fresh = storage.put("fresh.bin", DATA)
    link = sync_link([gone, fresh], frozenset({403, 404, 410}))
    (result,) = download_many([DownloadItem("x", url=link, name="x.bin")], tmp_path, policy=FAST)
    assert result.ok and result.path is not None and result.path.read_bytes() == DATA
    assert [seen.path for seen in storage.seen] == ["/o/gone", "/o/fresh.bin"]


def test_by_default_a_404_is_not_a_refused_link(storage: StorageServer, tmp_path: Path) -> None:
    fresh = storage.put("fresh.bin", DATA)
    link = sync_link([storage.url("gone"), fresh])
    (result,) = download_many([DownloadItem("x", url=link, name="x.bin")], tmp_path, policy=FAST)
    assert isinstance(result.error, NotFoundError)
    assert [seen.path for seen in storage.seen] == ["/o/gone"]  # no fresh link asked for


@pytest.mark.anyio
async def test_a_renewal_that_raises_gives_the_item_its_error(storage: StorageServer, tmp_path: Path) -> None:
    storage.put("x.bin", DATA)
    storage.fault("x.bin", Fault(status=410))

    async def renew() -> tuple[str, None]:
        raise LinkExpiredError("the provider has no other link")

    link = AsyncSignedLink(storage.url("x.bin"), None, renew)
    (result,) = await async_download_many([DownloadItem("x", url=link, name="x.bin")], tmp_path)
    assert isinstance(result.error, LinkExpiredError) and "no other link" in str(result.error)
    assert os.listdir(tmp_path) == []


# --- an item's headers ---------------------------------------------------------------------------


def test_item_headers_reach_its_own_origin_only(
    storage: StorageServer, other_storage: StorageServer, tmp_path: Path
) -> None:
    target = other_storage.put("out.bin", DATA)
    storage.fault("out.bin", Fault(redirect_to=target))
    item = DownloadItem(
        "out", url=storage.url("out.bin"), name="out.bin", headers={"X-Download-Password": PASSWORD}
    )
    (result,) = download_many([item], tmp_path)
    assert result.ok and result.path is not None and result.path.read_bytes() == DATA
    assert storage.seen[0].headers["x-download-password"] == PASSWORD
    assert other_storage.seen and all(PASSWORD not in str(seen.headers) for seen in other_storage.seen)
