"""Credentials: in every flow, redirects included, no storage host receives a provider credential.

Every test of the suite already ends with a check of its emulator's storage request log (conftest's
``emu`` / ``start_emulator`` fixtures); the tests here add the flows that involve other hosts: signed
URLs that redirect to a second storage origin, API downloads that redirect to storage, API calls
redirected to a foreign host, and the command line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from docfetch.cli import main
from docfetch.cli.providers import environment_for
from docfetch.emulators import RecordedRequest
from docfetch.emulators import RunningEmulator
from docfetch.errors import DocfetchError
from rel_emulators import assert_storage_saw_no_credential
from rel_kits import Kit
from rel_kits import assert_clean
from rel_kits import check_saved
from rel_kits import download
from rel_ledger import Ledger
from rel_servers import ApiFront
from rel_servers import Redirector
from rel_servers import RedirectRule
from rel_servers import serving

pytestmark = pytest.mark.reliability("credentials")


def assert_clean_requests(
    kit: Kit, emu: RunningEmulator, requests: list[RecordedRequest], where: str
) -> None:
    secrets = kit.secrets(emu)
    assert secrets, "the test must know the credentials it looks for"
    for request in requests:
        assert not any(name in request.headers for name in kit.auth_headers), f"{where}: {request.headers}"
        seen = " ".join([*request.headers.values(), request.raw_query, request.path])
        assert not any(secret in seen for secret in secrets), f"a credential reached {where}"


def origin(url: str) -> str:
    parsed = httpx.URL(url)
    return f"{parsed.scheme}://{parsed.host}:{parsed.port}"


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_signed_urls_redirected_to_another_storage_host(
    kit: Kit,
    emu: RunningEmulator,
    dest: Path,
    ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
    asynchronous: bool,
) -> None:
    """The provider's links point at a second origin that redirects (307) to the real storage."""
    redirector = Redirector(emu.storage.base_url)
    with serving(redirector) as other_host:
        monkeypatch.setattr(emu.storage, "base_url", other_host)  # links now name the redirecting host
        items = kit.fresh(emu, 2)
        results = download(kit, emu, items, dest, asynchronous=asynchronous, **kit.via_storage)

    for result in results:
        check_saved(kit, emu, result, dest)
    assert_clean(dest, results)
    assert len(redirector.requests) >= len(items), "the downloads went through the redirect"
    assert_clean_requests(kit, emu, redirector.requests, "the redirecting storage host")
    ledger.run(
        "credentials", "storage redirect: no credential on either host", faults=len(redirector.requests)
    )


def _api_redirect_rule(kit: Kit, emu: RunningEmulator) -> RedirectRule:
    """The provider's API-streamed download answered with a 302 to a signed storage URL instead."""
    if kit.name == "telnyx":
        pattern = re.compile(r"/v2/documents/([^/]+)/download")

        def key_of(found: str) -> str:
            return str(emu.state.get(found).storage_key)
    else:
        pattern = re.compile(r"/download/([^/]+)")

        def key_of(found: str) -> str:
            return str(emu.state.find(found).stored.key)

    def rule(method: str, path: str) -> str | None:
        match = pattern.fullmatch(path)
        if method != "GET" or match is None:
            return None
        return emu.storage.signed_url(key_of(match.group(1)))

    return rule


@pytest.mark.kits("telnyx", "indexhealth")  # the providers with a download streamed by their API
def test_an_api_download_redirected_to_storage_leaves_the_credential_behind(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger
) -> None:
    items = kit.fresh(emu, 2)
    since = len(emu.storage.requests)
    front = ApiFront(origin(emu.base_url), _api_redirect_rule(kit, emu))
    with serving(front) as front_url:
        base_url = front_url + emu.app.base_path
        results = download(
            kit, emu, items, dest, client_options={"base_url": base_url}, **(kit.api_stream or {})
        )

    assert front.redirected == len(items), "the API answered each download with a redirect"
    for result in results:
        check_saved(kit, emu, result, dest)
    assert len(emu.storage.requests) - since >= len(items)
    assert_storage_saw_no_credential(kit, emu, since)
    ledger.run(
        "credentials", "API download redirected to storage: credential not forwarded", faults=len(items)
    )


def test_an_api_call_redirected_to_a_foreign_host_is_not_followed(
    kit: Kit, emu: RunningEmulator, ledger: Ledger
) -> None:
    """An API that redirects a call elsewhere gets a typed error; the credential never leaves."""
    [item] = kit.fresh(emu, 1)
    foreign = Redirector(emu.storage.base_url)  # records anything that arrives there
    with serving(foreign) as foreign_url:
        front = ApiFront(origin(emu.base_url), lambda method, path: f"{foreign_url}/collect{path}")
        with serving(front) as front_url:
            client = kit.client(emu, base_url=front_url + emu.app.base_path)
            with client, pytest.raises(DocfetchError) as caught:
                client.links([item])

    assert front.redirected >= 1
    assert foreign.requests == [], "the redirect to a foreign host was followed"
    ledger.run("credentials", f"API redirect not followed: {type(caught.value).__name__}", faults=1)


def test_the_command_line_sends_no_credential_to_storage(
    kit: Kit,
    emu: RunningEmulator,
    dest: Path,
    ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cli_limits: None,
) -> None:
    items = kit.fresh(emu, 2)
    for variable, value in environment_for(emu.info()).items():
        monkeypatch.setenv(variable, value)
    since = len(emu.storage.requests)

    code = main(
        [kit.name, "download", *items, "--out", str(dest), "--json", "--no-progress", "--timeout", "30"]
    )
    report = json.loads(capsys.readouterr().out)
    links_code = main([kit.name, "links", *items, "--timeout", "30"])
    links_out = capsys.readouterr().out

    assert code == 0 and links_code == 0, report
    assert len(report["saved"]) >= len(items) and report["failed"] == []
    saved = sorted(Path(entry["path"]) for entry in report["saved"])
    assert saved == sorted(p for p in dest.iterdir())
    assert_storage_saw_no_credential(kit, emu, since)
    assert not any(secret in links_out for secret in kit.secrets(emu)), "a credential in the printed links"
    ledger.run("credentials", "CLI download and links: no credential on storage or in links")
