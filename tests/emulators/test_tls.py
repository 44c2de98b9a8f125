"""HTTPS (run_emulator(tls=True)): API and storage of every emulator over TLS with a local test CA."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import httpx
import pytest
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.testing import EmulatorFactory


def seeded_download_url(emu: RunningEmulator, api: httpx.Client) -> tuple[str, bytes]:
    """A download URL for the first seeded file, got through the provider's API, and the bytes expected."""
    provider, first = emu.provider, emu.ids[0]
    if provider == "telnyx":
        url = api.get(f"/documents/{first}/download_link").json()["data"]["url"]
        return url, emu.state.data(first)
    if provider == "indexhealth":
        url = api.post("/download", json={"document_id": first}).json()["data"]["download_url"]
        return url, emu.state.documents[first].stored.data
    if provider == "sarvam":
        links = api.post(f"/doc-digitization/job/v1/{first}/download-files").json()["download_urls"]
        url = links["document.zip"]["file_url"]
        return url, emu.storage.get(emu.state.job(first).output_key).data
    if provider == "veridox":
        url = api.post("/files/download", json={"file_ids": [first]}).json()["files"][0]["download_url"]
        return url, emu.state.content(first)
    output = api.get(f"/jobs/{first}").json()["output"][0]
    return output["uri"], emu.storage.get(emu.state.output_key(output["id"])).data


def test_every_emulator_serves_https_with_its_ca(emulated_provider: str, emulator: EmulatorFactory) -> None:
    emu = emulator(emulated_provider, tls=True)
    assert emu.ca_cert is not None and Path(emu.ca_cert).read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert emu.base_url.startswith("https://127.0.0.1:") and emu.storage.base_url.startswith("https://")
    assert emu.info()["ca_cert"] == emu.ca_cert
    trust = ssl.create_default_context(cafile=emu.ca_cert)  # httpx's verify=<path>, without its deprecation
    with httpx.Client(base_url=emu.base_url, headers=emu.auth_headers(), verify=trust, timeout=10) as api:
        url, expected = seeded_download_url(emu, api)
        assert url.startswith("https://")
        with httpx.Client(verify=trust, timeout=10) as storage:
            response = storage.get(url)
    assert response.status_code == 200 and response.content == expected
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(url, timeout=10)  # the system's trust store does not know the test CA
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(emu.base_url, headers=emu.auth_headers(), timeout=10)


def test_the_certificate_names_localhost_too(tiny_builder: Any) -> None:
    with run_emulator("tiny", builder=tiny_builder, tls=True) as emu:
        assert emu.ca_cert is not None
        localhost = emu.storage.signed_url(emu.ids[0]).replace("127.0.0.1", "localhost")
        context = ssl.create_default_context(cafile=emu.ca_cert)
        assert httpx.get(localhost, verify=context, timeout=10).status_code == 200
        ca_path = Path(emu.ca_cert)
    assert not ca_path.exists()  # the CA file lives as long as the emulator


def test_plain_http_is_the_default(tiny_builder: Any) -> None:
    with run_emulator("tiny", builder=tiny_builder) as emu:
        assert emu.ca_cert is None and "ca_cert" not in emu.info()
        assert emu.base_url.startswith("http://") and emu.storage.base_url.startswith("http://")
