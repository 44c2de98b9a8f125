"""Provider-specific fault forms over real sockets: Telnyx's x-ratelimit-reset 429 and Sarvam's
insufficient_quota_error 429, each read by the provider's official SDK too."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from docfetch.emulators.sarvam import insufficient_quota_body
from docfetch.testing import EmulatorFactory


def test_telnyx_429_with_x_ratelimit_reset(emulator: EmulatorFactory) -> None:
    emu = emulator("telnyx")
    emu.faults.fail_next(1, 429, retry_after=7, retry_header="x-ratelimit-reset")
    response = httpx.get(f"{emu.base_url}/documents/{emu.ids[0]}", headers=emu.auth_headers())
    assert response.status_code == 429
    assert response.headers["x-ratelimit-reset"] == "7" and response.headers["x-ratelimit-remaining"] == "0"
    assert "retry-after" not in response.headers
    assert response.json()["errors"][0]["code"] == "10011"  # still Telnyx's error body


def test_telnyx_sdk_sees_the_rate_limit(emulator: EmulatorFactory) -> None:
    import telnyx  # the official SDKs are test dependencies (noxfile TEST_DEPS)

    emu = emulator("telnyx")
    emu.faults.fail_next(1, 429, retry_after=30, retry_header="x-ratelimit-reset")
    with (
        telnyx.Telnyx(api_key=emu.api_key, base_url=emu.base_url, max_retries=0) as client,
        pytest.raises(telnyx.RateLimitError) as caught,
    ):
        client.documents.retrieve(emu.ids[0])
    assert caught.value.response.headers["x-ratelimit-reset"] == "30"


def test_sarvam_insufficient_quota(emulator: EmulatorFactory) -> None:
    emu = emulator("sarvam")
    emu.faults.fail_next(1, 429, body=insufficient_quota_body())
    url = f"{emu.base_url}/doc-digitization/job/v1/{emu.ids[0]}/status"
    response = httpx.get(url, headers=emu.auth_headers())
    assert response.status_code == 429
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "insufficient_quota_error"
    assert error["message"] and error["request_id"]
    assert httpx.get(url, headers=emu.auth_headers()).status_code == 200


def test_sarvam_sdk_reads_the_quota_error(emulator: EmulatorFactory) -> None:
    import sarvamai
    from sarvamai.environment import SarvamAIEnvironment
    from sarvamai.errors import TooManyRequestsError

    emu = emulator("sarvam")
    emu.faults.fail_next(1, 429, body=insufficient_quota_body("credits exhausted"))
    environment = SarvamAIEnvironment(base=emu.base_url, creative=emu.base_url, production="ws://127.0.0.1:1")
    client = sarvamai.SarvamAI(api_subscription_key=emu.api_key, environment=environment, timeout=10)
    with pytest.raises(TooManyRequestsError) as caught:
        client.document_intelligence.get_status(job_id=emu.ids[0], request_options={"max_retries": 0})
    assert caught.value.status_code == 429
    assert caught.value.body["error"]["code"] == "insufficient_quota_error"
    assert caught.value.body["error"]["message"] == "credits exhausted"
