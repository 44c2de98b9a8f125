"""Fault and storage options over real sockets: rate-limit header forms, custom error bodies, object guards,
aliases and refused links (the tiny provider of conftest.py)."""

from __future__ import annotations

import httpx
import pytest
from docfetch.emulators import Faults
from docfetch.emulators import RunningEmulator
from docfetch.emulators.storage import Rejection

AUTH = {"Authorization": "Bearer tiny-secret-key"}  # conftest.build_tiny's key


def link_url(emu: RunningEmulator) -> str:
    return f"{emu.base_url}/documents/{emu.ids[0]}/link"


@pytest.mark.parametrize(
    ("form", "retry_after", "expected"),
    [
        ("retry-after", 2.5, {"retry-after": "2.5"}),
        ("retry-after-ms", 2.5, {"retry-after-ms": "2500"}),
        ("ratelimit-reset", 2.5, {"ratelimit-reset": "3", "ratelimit-remaining": "0"}),
        ("x-ratelimit-reset", 2.5, {"x-ratelimit-reset": "3", "x-ratelimit-remaining": "0"}),
    ],
)
def test_retry_header_forms(
    tiny: RunningEmulator, form: str, retry_after: float, expected: dict[str, str]
) -> None:
    rate_headers = {"retry-after", "retry-after-ms", "ratelimit-reset", "ratelimit-remaining"}
    rate_headers |= {"x-ratelimit-reset", "x-ratelimit-remaining"}
    for where in ("api", "storage"):
        url = link_url(tiny) if where == "api" else tiny.storage.signed_url(tiny.ids[0])
        tiny.faults.fail_next(1, 429, retry_after=retry_after, where=where, retry_header=form)  # type: ignore[arg-type]
        response = httpx.get(url, headers=AUTH)
        assert response.status_code == 429
        sent = {name: value for name, value in response.headers.items() if name in rate_headers}
        assert sent == expected, where
        assert httpx.get(url, headers=AUTH).status_code == 200


def test_a_custom_body_replaces_the_provider_error_shape(tiny: RunningEmulator) -> None:
    tiny.faults.fail_next(
        1, 429, body={"error": {"code": "insufficient_quota_error", "message": "no credits"}}
    )
    response = httpx.get(link_url(tiny), headers=AUTH)
    assert response.status_code == 429
    assert response.json() == {"error": {"code": "insufficient_quota_error", "message": "no credits"}}
    assert "retry-after" not in response.headers


def test_fault_options_are_validated() -> None:
    faults = Faults()
    with pytest.raises(ValueError, match="retry_header"):
        faults.fail_next(1, 429, retry_after=1, retry_header="x-retry")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="takes seconds"):
        faults.fail_next(1, 429, retry_after="Wed, 21 Oct 2015 07:28:00 GMT", retry_header="retry-after-ms")
    with pytest.raises(ValueError, match="api-side"):
        faults.fail_next(1, 500, where="storage", body={"x": 1})
    assert faults.pending() == {"api": 0, "storage": 0, "transfer": 0}


# ---- storage: guards, aliases, refused links, names in plain URLs ----
def test_a_guard_checks_headers_before_serving(tiny: RunningEmulator) -> None:
    def needs_ticket(headers: dict[str, str]) -> Rejection | None:
        return None if headers.get("x-ticket") == "ok" else Rejection(401, "TicketRequired", "Show a ticket.")

    obj = tiny.storage.put(b"guarded", name="g.txt", guard=needs_ticket, max_downloads=1)
    url = tiny.storage.plain_url(obj.key)
    refused = httpx.get(url)
    assert refused.status_code == 401 and "<Code>TicketRequired</Code>" in refused.text
    assert httpx.head(url).status_code == 401
    assert httpx.get(url, headers={"X-Ticket": "ok"}).content == b"guarded"
    assert obj.downloads == 1  # refused requests are not downloads


@pytest.mark.parametrize(("status", "code"), [(403, "AccessDenied"), (404, "NoSuchKey"), (410, "Gone")])
def test_refused_key_and_its_alias(tiny: RunningEmulator, status: int, code: str) -> None:
    obj = tiny.storage.put(b"moving", name="m.txt", max_downloads=3)
    old_plain, old_signed = tiny.storage.plain_url(obj.key), tiny.storage.signed_url(obj.key)
    assert httpx.get(old_plain).status_code == 200
    alias = tiny.storage.alias(obj.key)
    tiny.storage.refuse(obj.key, status)
    for url in (old_plain, old_signed):
        response = httpx.get(url)
        assert response.status_code == status and f"<Code>{code}</Code>" in response.text
    assert httpx.get(tiny.storage.plain_url(alias)).content == b"moving"
    assert tiny.storage.get(alias) is obj and obj.downloads == 2  # one counter for every key
    with pytest.raises(ValueError, match="status"):
        tiny.storage.refuse(alias, 500)


def test_plain_url_with_a_name_in_its_path(tiny: RunningEmulator) -> None:
    obj = tiny.storage.put(b"named", name="x.bin")
    url = tiny.storage.plain_url(obj.key, name="résumé final.pdf")
    assert url.endswith("/r%C3%A9sum%C3%A9%20final.pdf")
    assert httpx.get(url).content == b"named"
    assert httpx.get(url, params={"encoding": "base64"}).text == "bmFtZWQ="
