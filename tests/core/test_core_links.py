"""Signed links renewed just in time, over real sockets: a link that expires within its margin is
renewed before it is used (its stale URL is never requested) and the renewal is logged; a link with
time left is used as signed."""

from __future__ import annotations

import logging
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from core_storage_server import StorageServer
from docfetch import DownloadItem
from docfetch import async_download_many
from docfetch import download_many
from docfetch.core._async.links import AsyncSignedLink
from docfetch.core._sync.links import LINK_MARGIN
from docfetch.core._sync.links import SignedLink

DATA = b"%PDF-1.7 signed " * 4096
LIFETIME = 60.0


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def expiring_in(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("aged", "renewed"),
    [(LIFETIME - LINK_MARGIN - 1.0, False), (LIFETIME - LINK_MARGIN + 1.0, True)],
)
def test_a_link_inside_its_margin_is_renewed_before_use(
    storage: StorageServer, tmp_path: Path, caplog: pytest.LogCaptureFixture, aged: float, renewed: bool
) -> None:
    signed = storage.put("signed.pdf", DATA)
    fresh = storage.put("fresh.pdf", DATA)
    clock = FakeClock()
    renewals: list[str] = []

    def renew() -> tuple[str, datetime]:
        renewals.append("renewed")
        return fresh, expiring_in(LIFETIME)

    link = SignedLink(signed, expiring_in(LIFETIME), renew, clock=clock, label="passport")
    clock.now += aged  # the link waited in the queue
    with caplog.at_level(logging.INFO, logger="docfetch.links"):
        (result,) = download_many([DownloadItem("passport", url=link, name="passport.pdf")], tmp_path)

    assert result.ok and result.path is not None and result.path.read_bytes() == DATA
    assert [seen.path for seen in storage.seen] == (["/o/fresh.pdf"] if renewed else ["/o/signed.pdf"])
    assert renewals == (["renewed"] if renewed else [])
    logged = [r.getMessage() for r in caplog.records if r.name == "docfetch.links"]
    assert logged == (
        [f"renewing the signed link of passport before use: it expires in {LIFETIME - aged:.1f} s"]
        if renewed
        else []
    )


def test_a_short_lived_link_has_a_tenth_of_its_lifetime_as_margin() -> None:
    clock = FakeClock()
    renewals: list[str] = []

    def renew() -> tuple[str, datetime]:
        renewals.append("renewed")
        return "https://storage.example/fresh", expiring_in(10.0)

    link = SignedLink("https://storage.example/signed", expiring_in(10.0), renew, clock=clock)
    clock.now += 8.5  # 1.5 s left: more than a tenth of 10 s, though less than LINK_MARGIN
    assert link() == "https://storage.example/signed"
    assert renewals == []


@pytest.mark.anyio
async def test_async_links_are_renewed_before_use_too(storage: StorageServer, tmp_path: Path) -> None:
    signed = storage.put("signed.pdf", DATA)
    fresh = storage.put("fresh.pdf", DATA)
    clock = FakeClock()

    async def renew() -> tuple[str, datetime]:
        return fresh, expiring_in(LIFETIME)

    link = AsyncSignedLink(signed, expiring_in(LIFETIME), renew, clock=clock)
    clock.now += LIFETIME - 1.0
    (result,) = await async_download_many([DownloadItem("x", url=link, name="x.pdf")], tmp_path)
    assert result.ok and result.path is not None and result.path.read_bytes() == DATA
    assert [seen.path for seen in storage.seen] == ["/o/fresh.pdf"]
