"""Importing a provider module and building a client load neither httpx nor asyncio nor the generated
endpoint modules (the import-time target of issue 7), nor logging (docfetch logs from its first request
on); the first call loads them and works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

HEAVY = ("httpx", "asyncio", "logging", "docfetch.downloads", "docfetch.auth")

CONSTRUCT = {
    "sarvam": "SarvamClient(api_key='k', base_url='http://127.0.0.1:9')",
    "telnyx": "TelnyxClient(api_key='k', base_url='http://127.0.0.1:9/v2')",
    "veridox": "VeridoxClient(api_key='k', base_url='http://127.0.0.1:9')",
    "api2convert": "Api2ConvertClient(api_key='k', base_url='http://127.0.0.1:9')",
    "indexhealth": (
        "IndexHealthClient(client_id='i', client_secret='s', fingerprint='f', base_url='http://127.0.0.1:9',"
        " user={'email': 'a@b.c', 'first_name': 'A', 'last_name': 'B'})"
    ),
}


def loaded_after(code: str, modules: tuple[str, ...] = HEAVY) -> dict[str, bool]:
    """Which of ``modules`` ``code`` leaves in sys.modules of a fresh interpreter."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps({{name: name in sys.modules for name in {modules!r}}}))
        """
    )
    env = {
        name: value for name, value in os.environ.items() if name != "DOCFETCH_LOG"
    }  # opting in loads logging
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True, env=env
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("provider", sorted(CONSTRUCT))
def test_import_and_construction_stay_light(provider: str) -> None:
    sync = CONSTRUCT[provider]
    endpoint = f"docfetch_{provider}_client.client"
    loaded = loaded_after(
        f"""
        from docfetch.{provider} import *
        from docfetch.{provider} import {sync.split("(")[0]}, Async{sync.split("(")[0]}
        {sync}.close()
        Async{sync}
        """,
        (*HEAVY, endpoint),
    )
    assert loaded == dict.fromkeys((*HEAVY, endpoint), False)


@pytest.mark.parametrize("provider", sorted(CONSTRUCT))
def test_each_client_loads_without_its_twin(provider: str) -> None:
    """The sync client's import leaves the async client and the async core unloaded, and the reverse."""
    sync = CONSTRUCT[provider].split("(")[0]
    twins = (f"docfetch.providers.{provider}._async", "docfetch.core._async.client")
    assert loaded_after(f"from docfetch.{provider} import {sync}", twins) == dict.fromkeys(twins, False)
    twins = (f"docfetch.providers.{provider}._sync", "docfetch.core._sync.client")
    assert loaded_after(f"from docfetch.{provider} import Async{sync}", twins) == dict.fromkeys(twins, False)


def test_generated_models_load_without_the_http_client() -> None:
    client = ("httpx", "docfetch_sarvam_client.client")
    loaded = loaded_after("import docfetch_sarvam_client.models", client)
    assert not loaded["httpx"] and not loaded["docfetch_sarvam_client.client"]
    loaded = loaded_after("from docfetch_sarvam_client import Client; Client(base_url='http://x')", client)
    assert loaded["httpx"] and loaded["docfetch_sarvam_client.client"]


def test_first_use_builds_the_client_once() -> None:
    from docfetch.sarvam import SarvamClient

    client = SarvamClient(api_key="k", base_url="http://127.0.0.1:9/")
    assert client.base_url == "http://127.0.0.1:9"  # builds the settings
    built = client._parts
    assert client._parts is built  # built once
    client.close()


def test_bad_base_url_is_refused_at_construction() -> None:
    from docfetch.errors import InvalidInputError
    from docfetch.sarvam import SarvamClient

    for url in ("ftp://x", "http://", "not a url", "http://exa mple.com", "http://[::1"):
        with pytest.raises(InvalidInputError, match="base URL"):
            SarvamClient(api_key="k", base_url=url)


def test_unknown_attributes_still_raise() -> None:
    from docfetch.sarvam import SarvamClient

    client = SarvamClient(api_key="k", base_url="http://127.0.0.1:9")
    with pytest.raises(AttributeError):
        client.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
