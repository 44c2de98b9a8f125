"""Header keys and the client-credentials token flow (cache, expiry, refresh, one exchange)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import httpx
import pytest
from docfetch import AsyncClientCredentialsAuth
from docfetch import ClientCredentialsAuth
from docfetch import HeaderKeyAuth
from docfetch import Token
from docfetch.errors import AuthenticationError
from docfetch.errors import AuthFlowError
from docfetch.errors import ConnectError


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def recorder(accept: set[str] | None = None) -> tuple[httpx.MockTransport, list[str | None]]:
    """A transport that records the Authorization it saw and refuses tokens not in ``accept``."""
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        value = request.headers.get("authorization")
        seen.append(value)
        if accept is not None and value not in accept:
            return httpx.Response(403, json={"message": "UNAUTHORIZED"})
        return httpx.Response(200, content=request.content)

    return httpx.MockTransport(handler), seen


def test_header_key_auth_sets_the_providers_header_and_hides_the_key() -> None:
    transport, _ = recorder()
    seen: list[str] = []
    handler = transport.handle_request

    def capture(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["api-subscription-key"])
        return handler(request)

    auth = HeaderKeyAuth("api-subscription-key", "k-123")
    with httpx.Client(transport=httpx.MockTransport(capture), auth=auth) as client:
        client.get("http://api.test/")
    assert seen == ["k-123"]
    assert "k-123" not in repr(auth)
    with pytest.raises(ValueError):
        HeaderKeyAuth("x-api-key", "")


def test_token_is_cached_and_renewed_before_expiry() -> None:
    clock = Clock()
    tokens = iter(["t1", "t2"])
    auth = ClientCredentialsAuth(lambda: Token(next(tokens), expires_in=100), clock=clock, refresh_skew=10)
    transport, seen = recorder()
    with httpx.Client(transport=transport, auth=auth) as client:
        client.get("http://api.test/")
        clock.now = 89
        client.get("http://api.test/")
        clock.now = 90  # within the skew: renew
        client.get("http://api.test/")
    assert seen == ["Bearer t1", "Bearer t1", "Bearer t2"]
    assert auth.exchanges == 2


def test_refused_token_is_refreshed_once_and_request_repeated_with_body() -> None:
    tokens = iter(["old", "new"])
    auth = ClientCredentialsAuth(lambda: Token(next(tokens)))
    transport, seen = recorder(accept={"Bearer new"})
    with httpx.Client(transport=transport, auth=auth) as client:
        response = client.post("http://api.test/", json={"document_id": "d1"})
    assert response.status_code == 200 and response.json() == {"document_id": "d1"}
    assert seen == ["Bearer old", "Bearer new"]


def test_a_second_refusal_is_returned_not_looped() -> None:
    auth = ClientCredentialsAuth(lambda: Token("never-valid"))
    transport, seen = recorder(accept=set())
    with httpx.Client(transport=transport, auth=auth) as client:
        assert client.get("http://api.test/").status_code == 403
    assert len(seen) == 2


class AskingAuth(ClientCredentialsAuth):
    """Counts the requests that have asked for a token so far."""

    def __init__(self, exchange: Callable[[], Token]) -> None:
        super().__init__(exchange)
        self.asking = 0
        self.changed = threading.Condition()

    def token(self, *, stale: str | None = None) -> str:
        with self.changed:
            self.asking += 1
            self.changed.notify_all()
        return super().token(stale=stale)


def test_concurrent_threads_share_one_exchange() -> None:
    """The exchange only returns once all 8 requests have asked for a token: they provably waited for it
    at the same time, and still only one exchange happened."""
    calls: list[int] = []

    def exchange() -> Token:
        calls.append(1)
        with auth.changed:
            assert auth.changed.wait_for(lambda: auth.asking == 8, timeout=30), auth.asking
        return Token("shared", expires_in=3600)

    auth = AskingAuth(exchange)
    transport, seen = recorder()
    with httpx.Client(transport=transport, auth=auth) as client:
        threads = [threading.Thread(target=client.get, args=("http://api.test/",)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert len(calls) == 1 and seen == ["Bearer shared"] * 8


def test_exchange_failures_become_auth_flow_errors_but_transport_stays() -> None:
    def refused() -> Token:
        raise AuthenticationError(401, message="bad client secret")

    with (
        httpx.Client(transport=recorder()[0], auth=ClientCredentialsAuth(refused)) as client,
        pytest.raises(AuthFlowError) as caught,
    ):
        client.get("http://api.test/")
    assert isinstance(caught.value.__cause__, AuthenticationError)

    def down() -> Token:
        raise ConnectError("no route")

    with (
        httpx.Client(transport=recorder()[0], auth=ClientCredentialsAuth(down)) as client,
        pytest.raises(ConnectError),
    ):
        client.get("http://api.test/")

    with (
        httpx.Client(transport=recorder()[0], auth=ClientCredentialsAuth(lambda: Token(""))) as client,
        pytest.raises(AuthFlowError),
    ):
        client.get("http://api.test/")


@pytest.mark.anyio
async def test_async_concurrent_requests_share_one_exchange_and_refresh() -> None:
    """The exchange only returns once all 10 requests have asked for a token (they wait together)."""
    calls: list[str] = []
    clock = Clock()
    asking: list[int] = []
    everyone = asyncio.Event()

    class Asking(AsyncClientCredentialsAuth):
        async def token(self, *, stale: str | None = None) -> str:
            asking.append(1)
            if len(asking) == 10:
                everyone.set()
            return await super().token(stale=stale)

    async def exchange() -> Token:
        calls.append("x")
        if len(calls) == 1:
            await asyncio.wait_for(everyone.wait(), timeout=30)
        return Token(f"t{len(calls)}", expires_in=60)

    auth = Asking(exchange, clock=clock)
    seen: list[str | None] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        return httpx.Response(
            200 if request.headers.get("authorization") != "Bearer t1" or clock.now < 5 else 401
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler), auth=auth) as client:
        await asyncio.gather(*(client.get("http://api.test/") for _ in range(10)))
        assert calls == ["x"] and seen == ["Bearer t1"] * 10
        clock.now = 10  # the server now rejects t1: one refresh, one repeat
        response = await client.get("http://api.test/")
    assert response.status_code == 200
    assert calls == ["x", "x"] and seen[-2:] == ["Bearer t1", "Bearer t2"]


def test_wrong_flavour_is_refused() -> None:
    async def exchange() -> Token:
        return Token("t")

    with (
        httpx.Client(transport=recorder()[0], auth=AsyncClientCredentialsAuth(exchange)) as client,
        pytest.raises(TypeError),
    ):
        client.get("http://api.test/")
