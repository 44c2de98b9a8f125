"""Backoff, Retry-After and the idempotency rules, with injected sleep/rng/clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from email.utils import format_datetime

import httpx
import pytest
from docfetch import RetryPolicy
from docfetch import async_call_with_retries
from docfetch import call_with_retries
from docfetch.core.retry import parse_retry_after
from docfetch.errors import ConnectError
from docfetch.errors import RequestTimeoutError
from docfetch.errors import TransportError

NOW = 1_700_000_000.0


def scripted(*outcomes: int | Exception | httpx.Response) -> tuple[Callable[[], httpx.Response], list[int]]:
    calls: list[int] = []
    queue = list(outcomes)

    def send() -> httpx.Response:
        calls.append(1)
        item = queue.pop(0)
        if isinstance(item, Exception):
            raise item
        return item if isinstance(item, httpx.Response) else httpx.Response(item)

    return send, calls


def run(
    send: Callable[[], httpx.Response], *, idempotent: bool = True, policy: RetryPolicy | None = None
) -> tuple[httpx.Response, list[float]]:
    waits: list[float] = []
    response = call_with_retries(
        send, idempotent=idempotent, policy=policy, sleep=waits.append, rng=lambda: 0.0, now=lambda: NOW
    )
    return response, waits


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(initial_backoff=1, multiplier=2, max_backoff=5, jitter=0)
    assert [policy.backoff(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]


def test_jitter_only_shortens() -> None:
    policy = RetryPolicy(initial_backoff=4, jitter=0.5)
    assert policy.backoff(1, rng=lambda: 0.0) == 4
    assert policy.backoff(1, rng=lambda: 1.0) == 2


def test_retries_5xx_then_succeeds() -> None:
    send, calls = scripted(500, 502, 200)
    response, waits = run(send, policy=RetryPolicy(initial_backoff=1, jitter=0))
    assert response.status_code == 200 and len(calls) == 3 and waits == [1, 2]


def test_gives_back_last_response_when_attempts_spent() -> None:
    send, calls = scripted(503, 503, 503)
    response, _ = run(send)
    assert response.status_code == 503 and len(calls) == 3


def test_non_retryable_status_returns_at_once() -> None:
    send, calls = scripted(404)
    assert run(send)[0].status_code == 404 and len(calls) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        ("0", 0.0),
        ("-4", 0.0),
        ("1.5", 1.5),
        (format_datetime(datetime.fromtimestamp(NOW + 30, UTC), usegmt=True), 30.0),
        (format_datetime(datetime.fromtimestamp(NOW - 30, UTC), usegmt=True), 0.0),
        ("soon", None),
        ("nan", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=lambda: NOW) == expected


def test_retry_after_replaces_backoff() -> None:
    send, _ = scripted(httpx.Response(429, headers={"Retry-After": "12"}), 200)
    assert run(send)[1] == [12.0]


def test_retry_after_http_date() -> None:
    date = format_datetime(datetime.fromtimestamp(NOW + 5, UTC), usegmt=True)
    send, _ = scripted(httpx.Response(503, headers={"Retry-After": date}), 200)
    assert run(send)[1] == [5.0]


def test_retry_after_above_cap_is_not_waited_for() -> None:
    send, calls = scripted(httpx.Response(429, headers={"Retry-After": "3600"}), 200)
    response, waits = run(send, policy=RetryPolicy(retry_after_cap=60))
    assert response.status_code == 429 and waits == [] and len(calls) == 1


def test_non_idempotent_is_not_repeated_after_a_500_or_read_error() -> None:
    send, calls = scripted(500, 200)
    assert run(send, idempotent=False)[0].status_code == 500 and len(calls) == 1
    send, calls = scripted(httpx.ReadError("reset"), 200)
    with pytest.raises(TransportError):
        run(send, idempotent=False)
    assert len(calls) == 1


def test_non_idempotent_is_repeated_when_provably_not_processed() -> None:
    send, calls = scripted(
        httpx.ConnectError("refused"),
        httpx.Response(429),
        httpx.Response(503, headers={"Retry-After": "1"}),
        201,
    )
    response, _ = run(send, idempotent=False, policy=RetryPolicy(max_attempts=4))
    assert response.status_code == 201 and len(calls) == 4
    send, calls = scripted(503, 200)
    assert run(send, idempotent=False)[0].status_code == 503  # 503 without Retry-After: may have run


def test_transport_errors_are_mapped_after_last_attempt() -> None:
    send, calls = scripted(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"))
    with pytest.raises(RequestTimeoutError) as caught:
        run(send)
    assert isinstance(caught.value, TimeoutError) and len(calls) == 3
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    send, _ = scripted(httpx.ConnectError("refused"))
    with pytest.raises(ConnectError):
        run(send, policy=RetryPolicy(max_attempts=1))


def test_custom_retry_statuses_and_on_retry() -> None:
    send, _ = scripted(409, 200)
    seen: list[tuple[int, float]] = []
    response = call_with_retries(
        send,
        idempotent=True,
        policy=RetryPolicy(retry_statuses={409}, jitter=0, initial_backoff=0.1),
        sleep=lambda _: None,
        on_retry=lambda attempt, delay, _f: seen.append((attempt, delay)),
    )
    assert response.status_code == 200 and seen == [(1, 0.1)]


def test_policy_validation() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    assert RetryPolicy().with_(max_attempts=7).max_attempts == 7


@pytest.mark.anyio
async def test_async_twin() -> None:
    outcomes: list[int | Exception] = [httpx.ConnectError("x"), 502, 200]
    waits: list[float] = []

    async def send() -> httpx.Response:
        item = outcomes.pop(0)
        if isinstance(item, Exception):
            raise item
        return httpx.Response(item)

    async def sleep(delay: float) -> None:
        waits.append(delay)

    response = await async_call_with_retries(
        send, idempotent=True, policy=RetryPolicy(jitter=0, initial_backoff=1), sleep=sleep
    )
    assert response.status_code == 200 and waits == [1, 2]


def test_works_over_a_real_client() -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        return httpx.Response(503 if len(attempts) < 2 else 200, json={"ok": True})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        response = call_with_retries(
            lambda: client.get("http://api.test/x"), idempotent=True, sleep=lambda _: None
        )
    assert response.json() == {"ok": True} and len(attempts) == 2
