"""Proxies and TLS, over real sockets on 127.0.0.1: a real HTTP proxy (pproxy) started by the test carries
API and storage requests (from the environment, `proxy=`, or the caller's own client); the emulators serve
HTTPS with a test CA given by SSL_CERT_FILE, `verify=` or the caller's client; a CA that does not match is
one clear TLSVerificationError, never retried (the CLI prints one line). What reached storage through the
proxy is read from the emulator's request log: never a credential."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
from docfetch import TLSVerificationError
from docfetch import download_file
from docfetch.emulators import RunningEmulator
from docfetch.testing import EmulatorFactory
from sdk_servers import Proxy
from sdk_servers import credential_headers
from sdk_servers import http_proxy
from sdk_servers import make_client
from sdk_servers import run_docfetch

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
FILE_SIZE = 256 * 1024


@pytest.fixture(autouse=True)
def no_inherited_network_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what a test sets: no proxy or CA from the machine running the suite."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    with http_proxy() as running:
        yield running


@pytest.fixture
def other_ca(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A CA that signed nothing the emulators serve."""
    path = tmp_path_factory.mktemp("ca") / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return str(path)


def ports(emu: RunningEmulator) -> tuple[int, int]:
    """(API port, storage port)."""
    return httpx.URL(emu.base_url).port or 0, httpx.URL(emu.storage.base_url).port or 0


def assert_carried(proxy: Proxy, emu: RunningEmulator, results: list[Any]) -> None:
    """Everything was saved, through the proxy, and storage never saw a credential."""
    assert results and all(result.ok for result in results), [str(result.error) for result in results]
    api, storage = ports(emu)
    assert api in proxy.ports(), "the API requests went through the proxy"
    if emu.storage.requests:
        assert storage in proxy.ports(), "the storage requests went through the proxy"
    assert proxy.relayed >= sum(result.bytes for result in results), "every file's bytes came through it"
    assert all(not credential_headers(request.headers) for request in emu.storage.requests)


def use_proxy_from_env(monkeypatch: pytest.MonkeyPatch, proxy: Proxy) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)


# --- plain HTTP through a proxy from the environment ---------------------------------------------


@pytest.mark.parametrize("provider", ["sarvam", "indexhealth", "telnyx", "veridox", "api2convert"])
def test_the_proxy_in_the_environment_carries_api_and_storage_requests(
    provider: str, proxy: Proxy, emulator: EmulatorFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_proxy_from_env(monkeypatch, proxy)
    emu = emulator(provider, file_size=FILE_SIZE)
    with make_client(provider, emu) as client:
        results = client.download(emu.ids, tmp_path)
    assert_carried(proxy, emu, results)


@pytest.mark.anyio
async def test_no_proxy_sends_the_named_hosts_directly(
    proxy: Proxy, emulator: EmulatorFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_proxy_from_env(monkeypatch, proxy)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    emu = emulator("telnyx", file_size=FILE_SIZE)
    async with make_client("telnyx", emu, "async") as client:
        results = await client.download(emu.ids, tmp_path)
    assert all(result.ok for result in results) and emu.storage.requests
    assert proxy.connections == []


# --- HTTPS: the test CA from SSL_CERT_FILE, verify= or your own client, through the proxy ---------


def tls_client(
    how: str, kind: str, emu: RunningEmulator, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> Any:
    assert emu.ca_cert is not None
    if how == "environment":
        use_proxy_from_env(monkeypatch, proxy)
        monkeypatch.setenv("SSL_CERT_FILE", emu.ca_cert)
        return make_client("telnyx", emu, kind)
    if how == "verify-path":
        return make_client("telnyx", emu, kind, proxy=proxy.url, verify=emu.ca_cert)
    trust = ssl.create_default_context(cafile=emu.ca_cert)
    if how == "verify-context":
        return make_client("telnyx", emu, kind, proxy=proxy.url, verify=trust)
    own_class = httpx.Client if kind == "sync" else httpx.AsyncClient
    return make_client("telnyx", emu, kind, http_client=own_class(proxy=proxy.url, verify=trust))


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("how", ["environment", "verify-path", "verify-context", "own-client"])
@pytest.mark.anyio
async def test_https_through_the_proxy_with_the_test_ca(
    how: str,
    kind: str,
    proxy: Proxy,
    emulator: EmulatorFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu = emulator("telnyx", tls=True, file_size=FILE_SIZE)
    client = tls_client(how, kind, emu, proxy, monkeypatch)
    if kind == "sync":
        with client:
            results = client.download(emu.ids, tmp_path)
    else:
        async with client:
            results = await client.download(emu.ids, tmp_path)
    assert emu.base_url.startswith("https://") and emu.storage.base_url.startswith("https://")
    assert_carried(proxy, emu, results)


# --- a CA that does not match: one clear error, never retried ------------------------------------


def wrong_ca_client(
    how: str, kind: str, emu: RunningEmulator, other_ca: str, monkeypatch: pytest.MonkeyPatch
) -> Any:
    if how == "environment":
        monkeypatch.setenv("SSL_CERT_FILE", other_ca)
        return make_client("telnyx", emu, kind)
    if how == "verify":
        return make_client("telnyx", emu, kind, verify=other_ca)
    own_class = httpx.Client if kind == "sync" else httpx.AsyncClient
    return make_client(
        "telnyx", emu, kind, http_client=own_class(verify=ssl.create_default_context(cafile=other_ca))
    )


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("how", ["environment", "verify", "own-client"])
@pytest.mark.anyio
async def test_the_wrong_ca_is_one_clear_error_and_is_not_retried(
    how: str,
    kind: str,
    other_ca: str,
    emulator: EmulatorFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    emu = emulator("telnyx", tls=True, file_size=4096)
    client = wrong_ca_client(how, kind, emu, other_ca, monkeypatch)
    caplog.set_level(logging.INFO, logger="docfetch")
    if kind == "sync":
        with client:
            results = client.download(emu.ids[:1], tmp_path)
    else:
        async with client:
            results = await client.download(emu.ids[:1], tmp_path)
    (result,) = results
    error = result.error
    assert isinstance(error, TLSVerificationError), repr(error)
    assert error.reason == "unable to get local issuer certificate"
    assert error.origin == emu.base_url.removesuffix("/v2")
    assert str(error).startswith(
        f"TLS certificate verification failed for {error.origin}: unable to get local"
    )
    attempts = [record for record in caplog.records if record.name == "docfetch.http"]
    assert len(attempts) == 1 and not [r for r in caplog.records if r.name == "docfetch.retry"]
    assert emu.api_requests == [] and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.anyio
async def test_a_storage_host_with_an_untrusted_certificate_is_not_retried(
    kind: str, other_ca: str, emulator: EmulatorFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emu = emulator("telnyx", tls=True, file_size=4096)
    assert emu.ca_cert is not None
    trusted = ssl.create_default_context(cafile=emu.ca_cert)
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), verify=trusted) as api:
        url = api.get(f"/documents/{emu.ids[0]}/download_link").json()["data"]["url"]
    untrusting = ssl.create_default_context(cafile=other_ca)
    caplog.set_level(logging.INFO, logger="docfetch")
    with pytest.raises(TLSVerificationError, match="unable to get local issuer certificate") as caught:
        if kind == "sync":
            with httpx.Client(verify=untrusting) as storage:
                download_file(storage, url, tmp_path)
        else:
            from docfetch import async_download_file

            async with httpx.AsyncClient(verify=untrusting) as astorage:
                await async_download_file(astorage, url, tmp_path)
    assert caught.value.origin == emu.storage.base_url
    assert not [r for r in caplog.records if "resuming" in r.getMessage() or "retrying" in r.getMessage()]
    assert emu.storage.requests == [] and list(tmp_path.iterdir()) == []


# --- the command line: the environment is the way ------------------------------------------------


def test_the_cli_downloads_over_https_through_the_proxy_from_the_environment(
    proxy: Proxy, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("veridox", tls=True, file_size=FILE_SIZE)
    assert emu.ca_cert is not None
    result = run_docfetch(
        emu,
        ["download", *emu.ids, "--out", str(tmp_path), "--jsonl"],
        HTTPS_PROXY=proxy.url,
        SSL_CERT_FILE=emu.ca_cert,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(emu.ids) and result.stderr == ""
    api, storage = ports(emu)
    assert {api, storage} <= proxy.ports()
    assert all(not credential_headers(request.headers) for request in emu.storage.requests)


@pytest.mark.parametrize("action", ["download", "links"])
def test_the_cli_prints_one_line_for_an_untrusted_certificate(
    action: str, other_ca: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("telnyx", tls=True)
    args = [action, emu.ids[0], *(["--out", str(tmp_path)] if action == "download" else [])]
    result = run_docfetch(emu, args, SSL_CERT_FILE=other_ca)
    assert result.returncode == 1
    origin = emu.base_url.removesuffix("/v2")
    assert result.stderr.splitlines() == [
        f"docfetch: {emu.ids[0]}: TLS certificate verification failed for {origin}: unable to get local issuer"
        " certificate (set SSL_CERT_FILE to a PEM file of the CA that signed the server's certificate)"
    ]
