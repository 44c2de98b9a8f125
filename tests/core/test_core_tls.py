"""The TLS context docfetch's clients share (docfetch.core.tls): it trusts what httpx's default context
trusts, and loads no certificate until a TLS connection needs one."""

from __future__ import annotations

import httpx
import pytest
from docfetch.core.tls import OnDemandTrust
from docfetch.sarvam import SarvamClient

SETTINGS = ("protocol", "options", "verify_flags", "verify_mode", "check_hostname", "minimum_version",
            "maximum_version", "post_handshake_auth", "hostname_checks_common_name")  # fmt: skip


@pytest.mark.parametrize("cert_file", [True, False])
def test_it_trusts_what_httpx_trusts(cert_file: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import certifi

    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    if cert_file:
        monkeypatch.setenv("SSL_CERT_FILE", certifi.where())
    else:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    context, reference = OnDemandTrust(), httpx.create_ssl_context()
    assert {name: getattr(context, name) for name in SETTINGS} == {
        name: getattr(reference, name) for name in SETTINGS
    }
    assert context.cert_store_stats()["x509_ca"] == 0  # nothing loaded yet
    context._trust()  # what the first wrap_socket / wrap_bio does
    assert context.get_ca_certs() == reference.get_ca_certs() != []


def test_a_client_loads_no_certificate_for_http_urls() -> None:
    with SarvamClient(api_key="k", base_url="http://127.0.0.1:9") as client:
        tls = client._parts.tls
        storage = client._storage()
        assert client._http._transport._pool._ssl_context is tls  # type: ignore[attr-defined]
        assert storage._transport._pool._ssl_context is tls  # type: ignore[attr-defined]
        assert tls.cert_store_stats()["x509_ca"] == 0
