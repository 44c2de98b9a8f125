"""The emulator framework over real sockets: storage origin, faults, runner, CLI and pytest plugin."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

import docfetch
import httpx
import pytest
from docfetch import cli
from docfetch.emulators import HOSTILE_NAMES
from docfetch.emulators import PROVIDERS
from docfetch.emulators import EmulatorConfig
from docfetch.emulators import Faults
from docfetch.emulators import RunningEmulator
from docfetch.emulators import content_disposition
from docfetch.emulators import load_builder
from docfetch.emulators import run_emulator
from docfetch.emulators.storage import UploadRejection
from docfetch.testing import EmulatorFactory
from docfetch.testing import FakeClock

if TYPE_CHECKING:
    from docfetch.emulators import ProviderBuilder

TINY_KEY = "tiny-secret-key"  # conftest.build_tiny's key
AUTH = {"Authorization": f"Bearer {TINY_KEY}"}


def signed_url(emu: RunningEmulator) -> str:
    response = httpx.get(f"{emu.base_url}/documents/{emu.ids[0]}/link", headers=AUTH)
    assert response.status_code == 200, response.text
    url: str = response.json()["url"]
    return url


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


# ---- storage: signed URLs ----
def test_signed_url_serves_the_object_with_download_headers(tiny: RunningEmulator) -> None:
    obj = tiny.storage.get(tiny.ids[0])
    response = httpx.get(signed_url(tiny))
    assert response.status_code == 200
    assert response.content == obj.data
    assert hashlib.sha256(response.content).hexdigest() == obj.sha256
    assert response.headers["content-length"] == str(len(obj.data)) == "4096"
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["etag"] == f'"{obj.md5}"'
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-disposition"] == 'attachment; filename="report.pdf"'
    assert obj.downloads == 1


def test_signed_url_expires_with_the_clock(tiny: RunningEmulator, clock: FakeClock) -> None:
    url = signed_url(tiny)
    clock.advance(59.0)
    assert httpx.get(url).status_code == 200
    clock.advance(1.0)
    response = httpx.get(url)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/xml"
    assert "<Code>AccessDenied</Code>" in response.text
    assert "Request has expired" in response.text


def test_signed_url_ttl_argument_and_config_default(tiny: RunningEmulator, clock: FakeClock) -> None:
    short = tiny.storage.signed_url(tiny.ids[0], ttl=5.0)
    default = tiny.storage.signed_url(tiny.ids[0])
    assert float(dict(parse_qsl(urlsplit(short).query))["expires"]) == pytest.approx(clock.now + 5.0)
    assert float(dict(parse_qsl(urlsplit(default).query))["expires"]) == pytest.approx(clock.now + 60.0)
    tiny.config.link_ttl = 7.0  # config stays live while the emulator runs
    changed = tiny.storage.signed_url(tiny.ids[0])
    assert float(dict(parse_qsl(urlsplit(changed).query))["expires"]) == pytest.approx(clock.now + 7.0)


def test_signed_url_in_real_time(tiny_builder: ProviderBuilder) -> None:
    with run_emulator("tiny", builder=tiny_builder, link_ttl=2.0) as emu:
        url = signed_url(emu)
        assert httpx.get(url).status_code == 200
        expires = float(dict(parse_qsl(urlsplit(url).query))["expires"])
        time.sleep(max(0.0, expires - time.time()) + 0.05)  # until just after the URL's own expiry
        assert httpx.get(url).status_code == 403


@pytest.mark.parametrize(
    "change",
    [
        {"signature": "0" * 64},
        {"expires": "9999999999.000"},  # extending the lifetime breaks the signature
    ],
)
def test_tampered_signed_url_is_refused(tiny: RunningEmulator, change: dict[str, str]) -> None:
    response = httpx.get(with_query(signed_url(tiny), **change))
    assert response.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in response.text


def test_signed_url_for_another_key_is_refused(tiny: RunningEmulator) -> None:
    other = tiny.storage.put(b"other", name="other.bin")
    url = signed_url(tiny).replace(tiny.ids[0], other.key)
    assert httpx.get(url).status_code == 403


def test_unsigned_access_to_signed_path_is_refused(tiny: RunningEmulator) -> None:
    url = signed_url(tiny).split("?")[0]
    response = httpx.get(url)
    assert response.status_code == 403
    assert "<Code>AccessDenied</Code>" in response.text


def test_storage_needs_no_provider_credential_and_is_a_separate_origin(tiny: RunningEmulator) -> None:
    url = signed_url(tiny)
    assert urlsplit(url).netloc != urlsplit(tiny.base_url).netloc
    httpx.get(url)
    assert "authorization" not in tiny.storage.requests[-1].headers


def test_unknown_key_and_path_are_404_and_other_methods_405(tiny: RunningEmulator) -> None:
    assert httpx.get(f"{tiny.storage.base_url}/p/nope").status_code == 404
    assert httpx.get(f"{tiny.storage.base_url}/elsewhere").status_code == 404
    response = httpx.put(tiny.storage.plain_url(tiny.ids[0]), content=b"x")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    with pytest.raises(KeyError):
        tiny.storage.signed_url("nope")


# ---- storage: ranges and HEAD ----
@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=10-19", 10, 20),
        ("bytes=4000-", 4000, 4096),
        ("bytes=-6", 4090, 4096),
        ("bytes=4090-99999", 4090, 4096),
    ],
)
def test_range_requests_get_206(tiny: RunningEmulator, header: str, start: int, end: int) -> None:
    obj = tiny.storage.get(tiny.ids[0])
    response = httpx.get(signed_url(tiny), headers={"Range": header})
    assert response.status_code == 206
    assert response.content == obj.data[start:end]
    assert response.headers["content-range"] == f"bytes {start}-{end - 1}/4096"
    assert response.headers["content-length"] == str(end - start)
    assert obj.downloads == 0  # partial transfers are not counted as downloads


@pytest.mark.parametrize("header", ["bytes=4096-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_range_gets_416(tiny: RunningEmulator, header: str) -> None:
    response = httpx.get(signed_url(tiny), headers={"Range": header})
    assert response.status_code == 416
    assert response.headers["content-range"] == "bytes */4096"
    assert "<Code>InvalidRange</Code>" in response.text


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-3", "bytes=-"])
def test_unsupported_or_malformed_range_serves_everything(tiny: RunningEmulator, header: str) -> None:
    response = httpx.get(signed_url(tiny), headers={"Range": header})
    assert response.status_code == 200
    assert len(response.content) == 4096


def test_if_range_with_a_stale_etag_serves_everything(tiny: RunningEmulator) -> None:
    url = signed_url(tiny)
    etag = httpx.head(url).headers["etag"]
    fresh = httpx.get(url, headers={"Range": "bytes=0-9", "If-Range": etag})
    stale = httpx.get(url, headers={"Range": "bytes=0-9", "If-Range": '"other"'})
    assert (fresh.status_code, len(fresh.content)) == (206, 10)
    assert (stale.status_code, len(stale.content)) == (200, 4096)


def test_head_sends_headers_without_body(tiny: RunningEmulator) -> None:
    response = httpx.head(signed_url(tiny))
    assert response.status_code == 200
    assert response.headers["content-length"] == "4096"
    assert response.headers["content-type"] == "application/pdf"
    assert response.content == b""
    assert tiny.storage.get(tiny.ids[0]).downloads == 0


def test_large_bodies_stream_in_chunks(tiny: RunningEmulator) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    obj = tiny.storage.put(data, name="big.bin")
    digest = hashlib.sha256()
    chunks = 0
    with httpx.stream("GET", tiny.storage.signed_url(obj.key)) as response:
        for chunk in response.iter_raw():
            digest.update(chunk)
            chunks += 1
    assert digest.hexdigest() == obj.sha256
    assert chunks > 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.pdf", 'attachment; filename="report.pdf"'),
        ("résumé.pdf", "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"),
        ("a\x00b.pdf", "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%00b.pdf"),
        ('q"uote\\.pdf', "attachment; filename=\"q_uote_.pdf\"; filename*=UTF-8''q%22uote%5C.pdf"),
    ],
)
def test_content_disposition_follows_rfc_6266(name: str, expected: str) -> None:
    assert content_disposition(name) == expected


def test_every_hostile_name_can_be_served(tiny: RunningEmulator) -> None:
    for name in HOSTILE_NAMES:
        obj = tiny.storage.put(b"x", name=name)
        response = httpx.get(tiny.storage.signed_url(obj.key))
        assert response.status_code == 200, name
        assert response.headers["content-disposition"].startswith("attachment; filename=")


def test_request_log_records_every_storage_request(tiny: RunningEmulator, clock: FakeClock) -> None:
    url = signed_url(tiny)
    httpx.get(url, headers={"X-Probe": "1", "Range": "bytes=0-0"})
    httpx.head(url)
    get, head = tiny.storage.requests[-2:]
    assert (get.method, head.method) == ("GET", "HEAD")
    assert get.path == f"/o/{tiny.ids[0]}"
    assert set(get.query) == {"expires", "signature"}
    assert get.headers["x-probe"] == "1"
    assert get.headers["range"] == "bytes=0-0"
    assert get.time == clock.now
    assert [r.path for r in tiny.api_requests] == [f"/v9/documents/{tiny.ids[0]}/link"]


# ---- storage: plain URLs ----
def test_plain_url_enforces_the_download_cap(tiny: RunningEmulator) -> None:
    obj = tiny.storage.put(b"capped", name="capped.txt", max_downloads=2)
    url = tiny.storage.plain_url(obj.key)
    assert "?" not in url
    assert httpx.head(url).status_code == 200  # HEAD and ranges do not use up the cap
    assert httpx.get(url, headers={"Range": "bytes=0-1"}).status_code == 206
    assert [httpx.get(url).status_code for _ in range(3)] == [200, 200, 410]
    assert "<Code>DownloadLimitExceeded</Code>" in httpx.get(url).text
    assert obj.downloads == 2


def test_plain_url_enforces_expiry(tiny: RunningEmulator, clock: FakeClock) -> None:
    obj = tiny.storage.put(b"soon gone", name="x.txt", expires_at=clock.now + 10)
    url = tiny.storage.plain_url(obj.key)
    assert httpx.get(url).content == b"soon gone"
    clock.advance(10)
    response = httpx.get(url)
    assert response.status_code == 410
    assert "<Code>ObjectExpired</Code>" in response.text


def test_plain_url_through_the_provider(tiny: RunningEmulator) -> None:
    response = httpx.get(f"{tiny.base_url}/documents/{tiny.ids[0]}/plain", headers=AUTH)
    download = httpx.get(response.json()["url"])
    assert download.content == tiny.storage.get(tiny.ids[0]).data


def test_plain_url_can_serve_base64(tiny: RunningEmulator) -> None:
    obj = tiny.storage.put(b"\x00\xffdata", name="b.bin", max_downloads=1)
    response = httpx.get(tiny.storage.plain_url(obj.key), params={"encoding": "base64"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain"
    assert base64.b64decode(response.content) == obj.data
    assert httpx.get(tiny.storage.plain_url(obj.key)).status_code == 410  # the base64 GET used the cap


# ---- storage: signed uploads ----
def test_signed_upload_url_hands_the_body_to_the_callback(tiny: RunningEmulator, clock: FakeClock) -> None:
    received: list[tuple[bytes, dict[str, str]]] = []

    def accept(data: bytes, headers: dict[str, str]) -> UploadRejection | None:
        received.append((data, headers))
        return None if data else UploadRejection(400, "EmptyBody", "empty upload")

    url = tiny.storage.signed_upload_url("in.pdf", accept)
    response = httpx.put(url, content=b"pdf bytes", headers={"Content-Type": "application/pdf"})
    assert response.status_code == 201
    assert received[0][0] == b"pdf bytes"
    assert received[0][1]["content-type"] == "application/pdf"
    rejected = httpx.put(url, content=b"")
    assert rejected.status_code == 400
    assert "<Code>EmptyBody</Code>" in rejected.text
    assert httpx.get(url).status_code == 405
    assert httpx.put(with_query(url, signature="0" * 64), content=b"x").status_code == 403
    download_signature = dict(parse_qsl(urlsplit(tiny.storage.signed_url(tiny.ids[0])).query))
    assert httpx.put(with_query(url, **download_signature), content=b"x").status_code == 403
    clock.advance(61)
    assert httpx.put(url, content=b"late").status_code == 403
    assert len(received) == 2


# ---- faults ----
def test_fail_next_on_the_api_uses_the_provider_error_shape(tiny: RunningEmulator) -> None:
    tiny.faults.fail_next(2, 503, retry_after=1.5)
    url = f"{tiny.base_url}/documents/{tiny.ids[0]}/link"
    first, second, third = (httpx.get(url, headers=AUTH) for _ in range(3))
    for failed in (first, second):
        assert failed.status_code == 503
        assert failed.headers["retry-after"] == "1.5"
        assert failed.headers["content-type"] == "application/json"
        assert failed.json() == {"errors": [{"code": "503", "detail": "Injected fault: Service Unavailable"}]}
    assert third.status_code == 200
    assert "retry-after" not in third.headers


def test_fail_next_retry_after_forms(tiny: RunningEmulator) -> None:
    tiny.faults.fail_next(1, 429, retry_after=2)
    tiny.faults.fail_next(1, 429, retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    tiny.faults.fail_next(1, 500)
    url = f"{tiny.base_url}/documents/{tiny.ids[0]}/link"
    headers = [httpx.get(url, headers=AUTH).headers.get("retry-after") for _ in range(3)]
    assert headers == ["2", "Wed, 21 Oct 2015 07:28:00 GMT", None]


def test_fail_next_on_storage_leaves_the_api_alone(tiny: RunningEmulator) -> None:
    url = signed_url(tiny)
    tiny.faults.fail_next(1, 503, retry_after=3, where="storage")
    assert httpx.get(f"{tiny.base_url}/documents/{tiny.ids[0]}/link", headers=AUTH).status_code == 200
    failed = httpx.get(url)
    assert failed.status_code == 503
    assert failed.headers["retry-after"] == "3"
    assert "<Code>SlowDown</Code>" in failed.text
    assert httpx.get(url).status_code == 200


def test_drop_next_aborts_the_body_after_some_bytes(tiny: RunningEmulator) -> None:
    url = signed_url(tiny)
    tiny.faults.drop_next(2, after_bytes=1000)
    for _ in range(2):
        received = bytearray()
        with pytest.raises(httpx.RemoteProtocolError), httpx.stream("GET", url) as response:
            assert response.headers["content-length"] == "4096"
            for chunk in response.iter_raw():
                received += chunk
        assert len(received) == 1000
    assert httpx.get(url).content == tiny.storage.get(tiny.ids[0]).data
    assert tiny.storage.get(tiny.ids[0]).downloads == 1


def test_drop_next_applies_to_ranges_and_never_to_head(tiny: RunningEmulator) -> None:
    url = signed_url(tiny)
    tiny.faults.drop_next(1, after_bytes=5)
    assert httpx.head(url).status_code == 200
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url, headers={"Range": "bytes=100-199"})


def test_drop_after_more_bytes_than_the_body_still_truncates(tiny: RunningEmulator) -> None:
    tiny.faults.drop_next(1, after_bytes=10**9)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(signed_url(tiny))


def test_short_next_declares_more_than_it_sends(tiny: RunningEmulator) -> None:
    url = signed_url(tiny)
    tiny.faults.short_next(1)
    received = bytearray()
    with pytest.raises(httpx.RemoteProtocolError), httpx.stream("GET", url) as response:
        declared = int(response.headers["content-length"])
        for chunk in response.iter_raw():
            received += chunk
    assert declared > len(received) == 4096
    assert httpx.get(url).status_code == 200


@pytest.mark.anyio
async def test_transfer_faults_seen_by_the_async_client(tiny: RunningEmulator) -> None:
    url = signed_url(tiny)
    tiny.faults.drop_next(1, after_bytes=100)
    tiny.faults.short_next(1)
    async with httpx.AsyncClient() as client:
        for _ in range(2):
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(url)
        assert (await client.get(url)).status_code == 200


def test_delay_applies_to_api_and_storage(tiny: RunningEmulator) -> None:
    url = signed_url(tiny)
    tiny.faults.delay = 0.3
    for target, headers in ((f"{tiny.base_url}/documents/{tiny.ids[0]}/link", AUTH), (url, {})):
        started = time.monotonic()
        assert httpx.get(target, headers=headers).status_code == 200
        assert time.monotonic() - started >= 0.3
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(url, timeout=0.1)


def test_faults_validate_and_reset() -> None:
    faults = Faults()
    with pytest.raises(ValueError):
        faults.fail_next(1, 42)
    with pytest.raises(ValueError):
        faults.fail_next(-1, 500)
    with pytest.raises(ValueError):
        faults.fail_next(1, 500, where="elsewhere")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        faults.drop_next(1, after_bytes=-1)
    faults.fail_next(2, 500)
    faults.fail_next(1, 502, where="storage")
    faults.drop_next(1, 10)
    faults.short_next(2)
    faults.delay = 1.0
    assert faults.pending() == {"api": 2, "storage": 1, "transfer": 3}
    faults.reset()
    assert faults.pending() == {"api": 0, "storage": 0, "transfer": 0}
    assert faults.delay == 0.0


def test_fault_queues_are_safe_across_threads() -> None:
    faults = Faults()
    faults.fail_next(1000, 500)
    taken: list[int] = []
    lock = threading.Lock()

    def take() -> None:
        while (failure := faults.take_failure("api")) is not None:
            with lock:
                taken.append(failure.status)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(taken) == 1000


def test_reported_checksums_and_names_follow_the_switches() -> None:
    faults = Faults()
    real = hashlib.sha256(b"x").hexdigest()
    md5 = hashlib.md5(b"x", usedforsecurity=False).hexdigest()
    assert faults.report_checksum(real) == real
    assert faults.report_name(3, "a.pdf") == "a.pdf"
    faults.wrong_checksum = True
    faults.hostile_names = True
    assert faults.report_checksum(real) != real
    assert len(faults.report_checksum(real)) == 64
    assert len(faults.report_checksum(md5)) == 32
    assert [faults.report_name(i, "a.pdf") for i in range(len(HOSTILE_NAMES))] == HOSTILE_NAMES
    assert faults.report_name(len(HOSTILE_NAMES), "a.pdf") == HOSTILE_NAMES[0]


def test_hostile_names_cover_the_contract() -> None:
    for name in ("../x.pdf", "/etc/passwd", "a\x00b.pdf", "CON", "..", "sub/dir/..\\..\\x"):
        assert name in HOSTILE_NAMES
    assert HOSTILE_NAMES.count("same.pdf") == 2
    assert any(len(name) >= 300 for name in HOSTILE_NAMES)


# ---- runner ----
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def refuses_connections(url: str) -> bool:
    try:
        httpx.get(url, timeout=2)
    except httpx.ConnectError:
        return True
    return False


def test_runner_binds_free_ports_and_stops_cleanly(tiny_builder: ProviderBuilder) -> None:
    with run_emulator("tiny", builder=tiny_builder) as emu:
        api_port = urlsplit(emu.base_url).port
        storage_port = urlsplit(emu.storage.base_url).port
        assert api_port and storage_port and api_port != storage_port
        assert emu.base_url == f"http://127.0.0.1:{api_port}/v9"
        assert httpx.get(f"{emu.base_url}/documents/{emu.ids[0]}/link", headers=AUTH).status_code == 200
    assert refuses_connections(f"http://127.0.0.1:{api_port}/")
    assert refuses_connections(f"http://127.0.0.1:{storage_port}/")


def test_runner_uses_requested_ports(tiny_builder: ProviderBuilder) -> None:
    api_port, storage_port = free_port(), free_port()
    with run_emulator("tiny", builder=tiny_builder, port=api_port, storage_port=storage_port) as emu:
        assert emu.base_url == f"http://127.0.0.1:{api_port}/v9"
        assert emu.storage.base_url == f"http://127.0.0.1:{storage_port}"


def test_runner_reports_a_port_in_use(tiny_builder: ProviderBuilder) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(OSError), run_emulator("tiny", builder=tiny_builder, port=busy.getsockname()[1]):
            pass


def test_runner_stops_servers_when_the_block_raises(tiny_builder: ProviderBuilder) -> None:
    with pytest.raises(RuntimeError, match="boom"), run_emulator("tiny", builder=tiny_builder) as emu:
        url = emu.base_url
        raise RuntimeError("boom")
    assert refuses_connections(url)


def test_runner_applies_config_and_overrides(tiny_builder: ProviderBuilder) -> None:
    base = EmulatorConfig(token_ttl=5.0, seed=7)
    with run_emulator("tiny", builder=tiny_builder, config=base, link_ttl=2.0, file_size=100) as emu:
        assert (emu.config.token_ttl, emu.config.link_ttl, emu.config.seed) == (5.0, 2.0, 7)
        assert len(emu.storage.get(emu.ids[0]).data) == 100
    assert base.link_ttl == 3600.0  # the caller's config is not mutated


def test_seeded_content_and_ids_are_deterministic(tiny_builder: ProviderBuilder) -> None:
    def seeded(seed: int) -> tuple[list[str], bytes]:
        with run_emulator("tiny", builder=tiny_builder, seed=seed) as emu:
            return emu.ids, emu.storage.get(emu.ids[0]).data

    assert seeded(1) == seeded(1)
    assert seeded(1) != seeded(2)


def test_running_emulator_proxies_the_provider_app(tiny: RunningEmulator) -> None:
    assert tiny.api_key == TINY_KEY
    assert tiny.credentials == {"api_key": TINY_KEY}
    assert tiny.auth_headers() == AUTH
    assert tiny.state is tiny.app.state
    info = tiny.info()
    assert json.loads(json.dumps(info)) == info
    assert info["provider"] == "tiny"
    assert info["base_url"] == tiny.base_url
    assert info["api_key"] == TINY_KEY
    assert info["ids"] == tiny.ids
    assert info["storage_url"] == tiny.storage.base_url


def test_unknown_provider_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown provider"):
        load_builder("nope")
    with pytest.raises(ValueError), run_emulator("nope"):
        pass


def test_emulator_fixture_is_a_factory(emulator: EmulatorFactory, tiny_builder: ProviderBuilder) -> None:
    first = emulator("tiny", builder=tiny_builder, link_ttl=1.0)
    second = emulator("tiny", builder=tiny_builder)
    assert first.config.link_ttl == 1.0
    assert first.base_url != second.base_url
    assert httpx.get(signed_url(first)).status_code == 200


def test_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, docfetch.testing; "
        "heavy = [m for m in ('fastapi', 'uvicorn', 'starlette', 'pydantic', 'httpx') if m in sys.modules]; "
        "print(heavy)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env(), capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr


# ---- CLI ----
def subprocess_env() -> dict[str, str]:
    """Environment for child processes that import docfetch from wherever this run imports it."""
    src = str(Path(docfetch.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return env


def read_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The first stdout line of `process`, or fail after `timeout` seconds."""
    lines: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: lines.append(stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not lines or not lines[0]:
        process.kill()
        _, stderr = process.communicate(timeout=5)
        pytest.fail(f"no JSON line within {timeout} s; exit {process.returncode}; stderr:\n{stderr}")
    return lines[0]


def test_docfetch_emulate_prints_info_and_stops_on_sigterm(emulated_provider: str) -> None:
    run_cli_until(emulated_provider, signal.SIGTERM)


def test_docfetch_emulate_stops_on_sigint() -> None:
    run_cli_until(PROVIDERS[0], signal.SIGINT)


def run_cli_until(provider: str, stop_signal: int) -> None:
    """`python -m docfetch emulate PROVIDER --port 0`: one JSON line, a live port, exit 0 on `stop_signal`."""
    process = subprocess.Popen(
        [sys.executable, "-X", "faulthandler", "-m", "docfetch", "emulate", provider, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    try:
        info: dict[str, Any] = json.loads(read_line(process, timeout=30))
        assert info["provider"] == provider
        assert info["ids"]
        api = urlsplit(info["base_url"])
        assert api.hostname == "127.0.0.1" and api.port
        with socket.create_connection((api.hostname, api.port), timeout=5):
            pass
        process.send_signal(stop_signal)
        try:
            assert process.wait(timeout=15) == 0
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
            _, stderr = process.communicate(timeout=10)
            pytest.fail(f"still running 15 s after {signal.Signals(stop_signal).name}; stacks:\n{stderr}")
        assert process.stdout is not None and process.stdout.read() == ""  # exactly one line
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)


def test_docfetch_emulate_rejects_an_unknown_provider(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["emulate", "nope"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_docfetch_requires_a_command() -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([])
    assert exit_info.value.code == 2


def test_docfetch_emulate_without_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "uvicorn" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    assert cli.main(["emulate", "telnyx"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'docfetch[emulators]'" in err
    assert len(err.strip().splitlines()) == 1
