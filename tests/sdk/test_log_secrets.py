"""A whole batch through the CLI with DOCFETCH_LOG=debug, for every provider, with retries (injected
503s), resumed transfers (dropped connections), token renewal (Index Health, short token_ttl), link
renewal (short link_ttl) and job states: the log says all of that, and holds no credential, token,
signature or signed query string, whatever the level."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from docfetch.emulators import RunningEmulator
from docfetch.testing import EmulatorFactory
from sdk_servers import run_docfetch
from sdk_servers import secrets_of

FILE_SIZE = 200_000
SETTINGS: dict[str, dict[str, Any]] = {
    "sarvam": {"link_ttl": 1.0},
    "indexhealth": {"token_ttl": 0.5},
    "telnyx": {"link_ttl": 1.0},
    # Veridox signs all five links at once; the fifth transfer starts after two storage delays (0.6 s):
    # by then its link has been renewed, before use or after another's refusal (the emulator checks a
    # signature after its delay), whatever the machine's speed.
    "veridox": {"link_ttl": 0.6, "rate_limit_per_minute": 600},
    "api2convert": {},
}
EXPECTED: dict[str, list[str]] = {  # what each run must have logged, besides requests, retries and files
    "sarvam": [r" INFO docfetch\.jobs: job \S+: Completed"],
    "indexhealth": [r" INFO docfetch\.auth: new token \(valid [\d.]+ s; exchange 2\)"],
    "telnyx": [],
    "veridox": [
        r" INFO docfetch\.links: (?:renewing the signed link of \S+ before use"
        r"|storage refused the link of \S+ \(HTTP 403\): fresh link 1 of)"
    ],
    "api2convert": [r" INFO docfetch\.jobs: job \S+: completed"],
}
SIGNED_QUERY = re.compile(r"\b(?:signature|sig|se|sv|sp|expires|x-amz-[a-z-]+)=(?!\*\*\*)", re.IGNORECASE)
CREDENTIAL_HEADERS = re.compile(  # a header as it would be logged (a file may be named "letter-of-authorization")
    r"\b(?:authorization|x-api-key|api-subscription-key|x-api2convert-api-key)\b['\"]?\s*[:=]|\bbearer\s+\S",
    re.I,
)


def sabotage(emu: RunningEmulator) -> None:
    emu.faults.fail_next(2, 503)  # two API requests answered 503: retried after a backoff
    emu.faults.drop_next(1, after_bytes=50_000)  # one transfer cut: resumed with Range
    emu.faults.delay = 0.3  # every request waits: tokens and links age meanwhile


@pytest.mark.parametrize("provider", sorted(SETTINGS))
def test_a_debug_log_of_a_whole_batch_says_what_happened_and_holds_no_secret(
    provider: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator(provider, file_size=FILE_SIZE, **SETTINGS[provider])
    sabotage(emu)
    done = run_docfetch(
        emu,
        ["download", *emu.ids, "--out", str(tmp_path), "--jsonl", "--concurrency", "2"],
        DOCFETCH_LOG="debug",
    )
    log = done.stderr
    saved = done.stdout.count('"status": "saved"')
    assert saved >= 1, log

    lines = log.splitlines()
    assert any(" INFO docfetch.http: " in line and "(attempt 1)" in line for line in lines)
    assert any(
        " INFO docfetch.retry: retrying " in line and "after HTTP 503 (attempt 2 of 3)" in line
        for line in lines
    )
    assert any(
        " INFO docfetch.download: " in line and "; resuming at byte 50000 of " in line for line in lines
    )
    assert sum(" INFO docfetch.download: saved " in line for line in lines) == saved
    assert "[content-type=" in log  # debug detail: the allow-listed response headers
    for expected in EXPECTED[provider]:
        assert re.search(expected, log), expected

    secrets = secrets_of(emu)
    assert secrets, "the run used credentials and signed URLs"
    assert [secret for secret in secrets if secret in log] == []
    assert SIGNED_QUERY.findall(log) == []
    assert CREDENTIAL_HEADERS.findall(log) == []
