"""HTTPS for the emulators: a throw-away local CA (trustme) and one server certificate for loopback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class TlsFiles:
    ca_cert: str  # the CA certificate (PEM): what clients trust (httpx verify=..., SSL_CERT_FILE)
    server_pem: str  # the servers' private key and certificate chain (PEM)


def write_tls_files(directory: Path, host: str) -> TlsFiles:
    """A new CA and a server certificate for loopback (and `host`, unless a wildcard), written to `directory`."""
    import trustme  # deferred: only TLS runs need it (emulators extra)

    names = list(LOOPBACK_NAMES)
    if host not in WILDCARD_HOSTS and host not in names:
        names.append(host)
    ca = trustme.CA(organization_name="docfetch emulator test CA")
    server = ca.issue_cert(*names)
    ca_cert, server_pem = directory / "ca.pem", directory / "server.pem"
    ca.cert_pem.write_to_path(str(ca_cert))
    server.private_key_and_cert_chain_pem.write_to_path(str(server_pem))
    return TlsFiles(ca_cert=str(ca_cert), server_pem=str(server_pem))
