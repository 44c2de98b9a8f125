"""The README's examples on logging, your own HTTP client, proxies and TLS, and max_retries, run as
written (each code block after an ``<!-- example: NAME -->`` comment, as a script, in a fresh
interpreter) against the Telnyx emulator, through a real proxy; only the placeholders (the proxy's
address, the CA files) are replaced by the test's own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest
import readme_blocks
import trustme
from docfetch.cli.providers import environment_for
from docfetch.emulators import RunningEmulator
from docfetch.testing import EmulatorFactory
from sdk_servers import Proxy
from sdk_servers import clean_environment
from sdk_servers import credential_headers
from sdk_servers import http_proxy
from sdk_servers import secrets_of

PROXY_PLACEHOLDER = "http://proxy.example:3128"


def example(name: str) -> str:
    return readme_blocks.named(name).code


def run_example(
    name: str,
    emu: RunningEmulator,
    cwd: Path,
    *,
    replace: Mapping[str, str] | None = None,
    **names: object,
) -> subprocess.CompletedProcess[str]:
    """Run the README example ``name`` as a script in ``cwd``, with ``names`` defined first (the ids the
    prose calls ``document_ids``...) and TELNYX_API_KEY / TELNYX_BASE_URL pointing at ``emu``."""
    code = example(name)
    for placeholder, value in (replace or {}).items():
        assert placeholder in code, placeholder
        code = code.replace(placeholder, value)
    script = cwd / f"readme_{name.replace('-', '_')}.py"  # never a module name (logging.py)
    script.write_text("".join(f"{key} = {value!r}\n" for key, value in names.items()) + code)
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=cwd,
        env=clean_environment(**environment_for(emu.info())),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    with http_proxy() as running:
        yield running


def port(url: str) -> int:
    return httpx.URL(url).port or 0


def test_the_logging_example(emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator("telnyx", file_size=100_000)
    emu.faults.fail_next(1, 503, retry_after=0)
    done = run_example("logging", emu, tmp_path, document_ids=emu.ids)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").iterdir())) == len(emu.ids)
    lines = done.stderr.splitlines()
    assert any(" INFO docfetch.http: GET http://127.0.0.1:" in line for line in lines)
    assert any(" INFO docfetch.retry: retrying GET " in line for line in lines)
    assert any(" DEBUG docfetch.download: GET http://127.0.0.1:" in line for line in lines)
    assert sum(" INFO docfetch.download: saved " in line for line in lines) == len(emu.ids)
    assert [secret for secret in secrets_of(emu) if secret in done.stderr] == []


def test_the_own_client_example(proxy: Proxy, emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator("telnyx", file_size=100_000)
    done = run_example(
        "own-client", emu, tmp_path, replace={PROXY_PLACEHOLDER: proxy.url}, document_ids=emu.ids
    )
    assert done.returncode == 0, done.stderr
    for out in ("out", "out-async"):
        assert len(list((tmp_path / out).iterdir())) == len(emu.ids)
    assert {port(emu.base_url), port(emu.storage.base_url)} <= proxy.ports()
    assert all(request.headers.get("x-team") == "docs" for request in emu.api_requests[: len(emu.ids)])
    assert all("x-team" not in r.headers and not credential_headers(r.headers) for r in emu.storage.requests)


def test_the_proxy_and_tls_example(
    proxy: Proxy, emulator: EmulatorFactory, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    emu = emulator("telnyx", tls=True, file_size=100_000)
    assert emu.ca_cert is not None
    other = tmp_path_factory.mktemp("ca") / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    replace = {PROXY_PLACEHOLDER: proxy.url, "company-ca.pem": emu.ca_cert, "some-other-ca.pem": str(other)}
    done = run_example("proxy-tls", emu, tmp_path, replace=replace, document_ids=emu.ids)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert sum(line.startswith("saved ") for line in lines) == len(emu.ids)
    origin = emu.base_url.removesuffix("/v2")
    assert lines[-1] == (
        f"untrusted certificate: True TLS certificate verification failed for {origin}: unable to get local issuer"
        " certificate (trust the server's CA with SSL_CERT_FILE, verify= or your own http_client)"
    )
    assert {port(emu.base_url), port(emu.storage.base_url)} <= proxy.ports()
    assert all(not credential_headers(request.headers) for request in emu.storage.requests)


def test_the_max_retries_example(emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator("telnyx")
    emu.faults.fail_next(6, 503, retry_after=0)  # impatient: 1 attempt; patient: 5 failures, then success
    done = run_example("max-retries", emu, tmp_path, document_id=emu.ids[0])
    assert done.returncode == 0, done.stderr
    name = emu.state.get(emu.ids[0]).filename
    assert done.stdout.splitlines() == [
        "gave up after one attempt: 503",
        f"retrieved {name}",
        f"retrieved {name}",
    ]
    assert len(emu.api_requests) == 1 + 6 + 1
