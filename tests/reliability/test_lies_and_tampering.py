"""Lies and tampering: a body shorter than its Content-Length, a wrong published checksum, a signed URL
that expires mid-download, is expired from the start, or was tampered with. Each ends in a typed error
or a refreshed link, and never leaves a file (or a part file) behind.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import pytest
from docfetch.emulators import RunningEmulator
from docfetch.errors import ChecksumMismatchError
from docfetch.errors import DocfetchError
from docfetch.errors import DownloadError
from docfetch.errors import LinkExpiredError
from docfetch.errors import SizeMismatchError
from docfetch.errors import TransportError
from docfetch.testing import FakeClock
from rel_emulators import StartEmulator
from rel_kits import Kit
from rel_kits import assert_clean
from rel_kits import check_saved
from rel_kits import download
from rel_ledger import Ledger

pytestmark = pytest.mark.reliability("tampering")

SIGNED = ("sarvam", "indexhealth", "telnyx", "veridox")  # providers whose links are signed, expiring URLs


def record(ledger: Ledger, what: str, error: BaseException | None, faults: int = 1) -> None:
    outcome = "completed" if error is None else f"typed error: {type(error).__name__}"
    ledger.run("tampering", f"{what}: {outcome}", faults=faults)


def test_a_body_shorter_than_its_content_length_is_never_kept(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    """Storage declares 1.5x the real size, sends the real bytes and closes. A client that knows the size
    refuses at once (SizeMismatchError); one that does not resumes, learns the true size (416) and
    restarts: either way the destination ends byte-identical or empty."""
    [item] = kit.fresh(emu, 1)
    emu.faults.short_next(1)

    [result] = download(kit, emu, [item], dest, **kit.via_storage)

    assert emu.faults.pending()["transfer"] == 0
    if result.error is None:
        check_saved(kit, emu, result, dest)
    else:
        assert isinstance(result.error, SizeMismatchError), repr(result.error)
        assert result.error.actual != result.error.expected
    assert_clean(dest, [result])
    record(ledger, "short body", result.error)


def test_a_server_that_always_sends_short_bodies_is_given_up_on_quickly(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    """Every response lies about its length. Re-downloading bytes already received is not progress, so
    the retry policy's attempts bound the download (not the engine's 200-request backstop)."""
    [item] = kit.fresh(emu, 1)
    emu.faults.short_next(1000)

    [result] = download(kit, emu, [item], dest, **kit.via_storage)

    sent = 1000 - emu.faults.pending()["transfer"]
    assert isinstance(result.error, DownloadError | TransportError), repr(result.error)
    assert sent <= 5, f"{sent} lying responses were accepted before giving up"  # the attempts bound it
    assert_clean(dest, [result])
    record(ledger, "always-short body", result.error, faults=sent)


@pytest.mark.kits("telnyx")  # the emulators that can under-deliver an API-streamed body
def test_a_short_body_streamed_by_the_api_is_never_kept(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    assert kit.api_stream is not None
    [item] = kit.fresh(emu, 1)
    emu.faults.short_next(1)

    [result] = download(kit, emu, [item], dest, **kit.api_stream)

    assert isinstance(result.error, SizeMismatchError | TransportError), repr(result.error)
    assert_clean(dest, [result])
    record(ledger, "short body (API stream)", result.error)


@pytest.mark.kits("telnyx", "api2convert")  # the providers that publish a checksum (sha256, md5)
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_wrong_published_checksum_is_a_typed_error(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger, asynchronous: bool
) -> None:
    assert kit.publishes_checksum
    items = kit.fresh(emu, 2)
    emu.faults.wrong_checksum = True

    results = download(kit, emu, items, dest, asynchronous=asynchronous)

    assert len(results) == 2
    for result in results:
        assert isinstance(result.error, ChecksumMismatchError), repr(result.error)
        assert result.error.expected != result.error.actual
        record(ledger, "wrong checksum", result.error)
    assert_clean(dest, results)


@pytest.mark.kits(*SIGNED)
def test_a_link_expiring_mid_download_is_refreshed_and_resumed(
    kit: Kit, start_emulator: StartEmulator, clock: FakeClock, dest: Path, ledger: Ledger
) -> None:
    """The connection drops half-way; meanwhile the signed URL expires (the emulator's clock jumps past
    its lifetime). The resumed request is refused (403), a fresh link is asked for, and the download
    goes on from where it stopped."""
    emu = start_emulator(clock=clock, link_ttl=60.0)
    [item] = kit.fresh(emu, 1)
    size = len(kit.contents(emu, item)[0])
    emu.faults.drop_next(1, after_bytes=size // 2)
    jumped: list[bool] = []

    def expire_on_first_bytes(key: str, done: int, total: int | None) -> None:
        if done and not jumped:
            jumped.append(True)
            clock.advance(120.0)

    [result] = download(kit, emu, [item], dest, progress=expire_on_first_bytes, **kit.via_storage)

    assert result.error is None, repr(result.error)
    check_saved(kit, emu, result, dest)
    queries = [dict(parse_qsl(r.raw_query)) for r in emu.storage.requests]
    assert len({q.get("expires") for q in queries}) >= 2, "a fresh link was used after the expiry"
    assert any("range" in r.headers for r in emu.storage.requests[1:]), "the download resumed"
    assert any(int(r.headers.get("range", "bytes=0-")[6:].split("-")[0]) > 0 for r in emu.storage.requests)
    ledger.run("tampering", "link expired mid-download: refreshed and resumed", faults=2)


@pytest.mark.kits(*SIGNED)
def test_links_that_are_always_expired_end_in_link_expired_error(
    kit: Kit, start_emulator: StartEmulator, dest: Path, ledger: Ledger
) -> None:
    emu = start_emulator(link_ttl=0.0)  # every signed URL is expired when issued
    [item] = kit.fresh(emu, 1)

    [result] = download(kit, emu, [item], dest, **kit.via_storage)

    assert isinstance(result.error, LinkExpiredError), repr(result.error)
    assert 2 <= len(emu.storage.requests) <= 5, "a few refreshes, then give up"
    assert_clean(dest, [result])
    record(ledger, "always-expired link", result.error, faults=len(emu.storage.requests))


def tamper(url: str) -> str:
    """The same URL with its signature altered (storage answers 403 SignatureDoesNotMatch)."""
    query = urlsplit(url).query
    signature = dict(parse_qsl(query))["signature"]
    forged = ("0" if signature[0] != "0" else "1") + signature[1:]
    return url.replace(f"signature={signature}", f"signature={forged}")


@pytest.mark.kits(*SIGNED)
@pytest.mark.parametrize("tampered", [1, 100], ids=["first-link", "every-link"])
def test_a_tampered_signed_url_is_refreshed_or_refused(
    kit: Kit,
    emu: RunningEmulator,
    dest: Path,
    ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
    tampered: int,
) -> None:
    [item] = kit.fresh(emu, 1)
    genuine = emu.storage.signed_url
    forged: list[str] = []

    def signed_url(key: str, ttl: float | None = None) -> str:
        url = genuine(key, ttl)
        if len(forged) < tampered:
            forged.append(url := tamper(url))
        return url

    monkeypatch.setattr(emu.storage, "signed_url", signed_url)

    [result] = download(kit, emu, [item], dest, **kit.via_storage)

    assert forged, "the provider handed out a tampered link"
    if tampered == 1:
        assert result.error is None, repr(result.error)
        check_saved(kit, emu, result, dest)
    else:
        assert isinstance(result.error, LinkExpiredError), repr(result.error)
        assert isinstance(result.error, DownloadError)
    assert_clean(dest, [result])
    record(ledger, f"tampered signature ({'first link' if tampered == 1 else 'every link'})", result.error)


@pytest.mark.kits("api2convert")  # plain output URLs that expire with the output
def test_an_expired_output_is_a_typed_error(
    kit: Kit, start_emulator: StartEmulator, clock: FakeClock, dest: Path, ledger: Ledger
) -> None:
    emu = start_emulator(clock=clock, output_lifetime=60.0)
    [item] = kit.fresh(emu, 1)
    clock.advance(120.0)

    [result] = download(kit, emu, [item], dest)

    assert isinstance(result.error, DocfetchError), repr(result.error)
    assert "expired" in str(result.error).lower(), repr(result.error)
    assert_clean(dest, [result])
    record(ledger, "expired output", result.error)
