"""`http_client=`: the caller's own httpx client carries API calls and storage downloads; storage never
gets its headers, cookies or auth (also across redirects, also cookies a redirect sets); docfetch never
closes it. `verify=` / `proxy=` belong on that client when there is one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from docfetch.errors import InvalidInputError
from docfetch.testing import EmulatorFactory
from sdk_servers import Redirector
from sdk_servers import credential_headers
from sdk_servers import make_client

USER_HEADERS = {"X-Team": "team-header-value"}
USER_COOKIES = {"session": "client-jar-cookie-value"}
USER_AUTH = ("user", "basic-auth-password")
PROVIDERS = ["telnyx", "veridox", "sarvam", "api2convert"]  # those whose files come from storage URLs


def own_client(kind: str, seen: list[httpx.Request]) -> httpx.Client | httpx.AsyncClient:
    """A client with everything that must stay away from storage: default headers, cookies, auth."""

    def note(request: httpx.Request) -> None:
        seen.append(request)

    async def anote(request: httpx.Request) -> None:
        seen.append(request)

    options: dict[str, Any] = {"headers": USER_HEADERS, "cookies": USER_COOKIES, "auth": USER_AUTH}
    if kind == "sync":
        return httpx.Client(event_hooks={"request": [note]}, **options)
    return httpx.AsyncClient(event_hooks={"request": [anote]}, **options)


async def download_with(kind: str, client: Any, ids: list[str], dest: Path) -> list[Any]:
    if kind == "sync":
        with client:
            return list(client.download(ids, dest))
    async with client:
        return list(await client.download(ids, dest))


def leaked(headers: dict[str, str]) -> set[str]:
    """What of the user's client or a credential a request carried."""
    found = credential_headers(headers)
    found |= {name for name in ("x-team",) if name in headers}
    found |= {value for value in (*USER_COOKIES.values(), *USER_HEADERS.values()) if value in str(headers)}
    return found


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.anyio
async def test_your_client_carries_api_and_storage_requests_but_storage_gets_none_of_its_headers(
    provider: str, kind: str, emulator: EmulatorFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu = emulator(provider, file_size=4096)
    seen: list[httpx.Request] = []
    own = own_client(kind, seen)
    with Redirector() as front:
        genuine = emu.storage.signed_url
        # Every signed URL now starts at another origin: a same-origin redirect, then a cross-origin one,
        # each answer setting a cookie.
        monkeypatch.setattr(emu.storage, "signed_url", lambda key, ttl=None: front.url_to(genuine(key, ttl)))
        results = await download_with(
            kind, make_client(provider, emu, kind, http_client=own), emu.ids, tmp_path
        )

        assert results and all(result.ok for result in results), [str(r.error) for r in results]
        hosts = {request.url.port for request in seen}
        storage_port = int(emu.storage.base_url.rsplit(":", 1)[1])
        api_port = int(emu.base_url.split(":")[2].split("/")[0])
        assert api_port in hosts, "API calls went through the caller's client"
        if provider != "api2convert":  # its outputs are plain URLs: no signed_url, no redirector
            assert {hop.path for hop in front.seen} == {"/hop", "/last"}
            assert all(not leaked(hop.headers) for hop in front.seen), [hop.headers for hop in front.seen]
            assert front.origin.rsplit(":", 1)[1] in {str(port) for port in hosts}
        assert storage_port in hosts, "storage downloads went through the caller's client"
    assert emu.storage.requests
    assert all(not leaked(request.headers) for request in emu.storage.requests)
    api_sent = [request.headers for request in emu.api_requests]
    assert all(h.get("x-team") == "team-header-value" for h in api_sent), "the API gets the client's headers"
    assert all("basic-auth-password" not in str(h) for h in api_sent), (
        "docfetch's credential replaces its auth"
    )
    assert not own.is_closed, "docfetch never closes the caller's client"
    if isinstance(own, httpx.Client):
        own.close()
    else:
        await own.aclose()


@pytest.mark.parametrize("option", [{"verify": False}, {"proxy": "http://127.0.0.1:9"}])
def test_network_options_belong_on_your_client_when_you_give_one(option: dict[str, Any]) -> None:
    from docfetch.telnyx import TelnyxClient

    with httpx.Client() as own, pytest.raises(InvalidInputError, match="cannot be combined with http_client"):
        TelnyxClient(api_key="k", base_url="http://127.0.0.1:9/v2", http_client=own, **option)


def test_a_ca_file_that_cannot_be_read_is_refused_before_any_request(tmp_path: Path) -> None:
    from docfetch.telnyx import TelnyxClient

    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("not a certificate")
    for path in (tmp_path / "missing.pem", not_pem):
        with pytest.raises(InvalidInputError, match="verify="):
            TelnyxClient(api_key="k", base_url="http://127.0.0.1:9/v2", verify=str(path))
