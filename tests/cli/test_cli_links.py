"""`docfetch PROVIDER links`, run as the installed console script against each emulator."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx
from cli_helpers import CASES
from cli_helpers import Served
from cli_helpers import stderr_lines


def links_of(stdout: str) -> list[dict[str, Any]]:
    data = json.loads(stdout)
    assert isinstance(data, list)
    for entry in data:
        assert set(entry) == {"id", "name", "url", "expires_at"}
        assert entry["expires_at"] is None or datetime.fromisoformat(entry["expires_at"]).tzinfo is not None
    return data


def test_links_cover_every_id_and_work_without_credentials(served: Served) -> None:
    result = served.run("links", *served.ids)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    links = links_of(result.stdout)
    assert {entry["id"] for entry in links} == set(served.ids)
    first = httpx.get(links[0]["url"], timeout=10)  # a bare request: the link alone is enough
    assert first.status_code == 200
    assert first.content


def test_links_report_failures_and_still_print_the_others(served: Served) -> None:
    unknown = CASES[served.running.provider].unknown_id
    result = served.run("links", served.ids[0], unknown)

    assert result.returncode == 1
    assert {entry["id"] for entry in links_of(result.stdout)} == {served.ids[0]}
    (line,) = stderr_lines(result)
    assert line.startswith(f"docfetch: {unknown}: ")


def test_links_reject_a_malformed_id_before_any_request(served: Served) -> None:
    result = served.run("links", CASES[served.running.provider].malformed_id)

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(stderr_lines(result)) == 1
    assert served.running.api_requests == []
