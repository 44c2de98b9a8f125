"""docfetch.indexhealth: settings checked at construction and the client-credentials token flow, against
the Index Health emulator over real sockets (token counters come from the emulator's state)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.errors import AuthenticationError
from docfetch.errors import AuthFlowError
from docfetch.errors import BadRequestError
from docfetch.errors import InvalidInputError
from docfetch.errors import MissingCredentialsError
from docfetch.errors import PermissionDeniedError
from docfetch.errors import RequestTimeoutError
from docfetch.indexhealth import AsyncIndexHealthClient
from docfetch.indexhealth import AuthUser
from docfetch.indexhealth import IndexHealthClient
from docfetch.indexhealth import MissingBaseUrlError
from docfetch.indexhealth import UnauthorizedError
from docfetch.providers.indexhealth.rules import REFRESH_MARGIN
from docfetch.providers.indexhealth.rules import parse_user
from docfetch.providers.indexhealth.rules import token_from
from docfetch.providers.indexhealth.rules import token_lifetime
from docfetch_indexhealth_client.models import ClientAuthTokenResponse

TOKEN_PATH = "/generate-client-auth-token"
DETAILS_PATH = "/get-document-details"
FAST = RetryPolicy(initial_backoff=0.01, max_backoff=0.05, jitter=0.0)
ENV_VARS = (
    "INDEXHEALTH_CLIENT_ID",
    "INDEXHEALTH_CLIENT_SECRET",
    "INDEXHEALTH_FINGERPRINT",
    "INDEXHEALTH_USER",
    "INDEXHEALTH_BASE_URL",
)
CLIENTS = [IndexHealthClient, AsyncIndexHealthClient]


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with run_emulator("indexhealth", file_size=4096) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    yield
    emu.faults.reset()


def settings(emu: RunningEmulator, **overrides: Any) -> dict[str, Any]:
    return {**emu.credentials, "base_url": emu.base_url, "retry": FAST, "timeout": 5.0, **overrides}


def set_env(emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = emu.credentials
    monkeypatch.setenv("INDEXHEALTH_CLIENT_ID", credentials["client_id"])
    monkeypatch.setenv("INDEXHEALTH_CLIENT_SECRET", credentials["client_secret"])
    monkeypatch.setenv("INDEXHEALTH_FINGERPRINT", credentials["fingerprint"])
    monkeypatch.setenv("INDEXHEALTH_USER", json.dumps(credentials["user"]))
    monkeypatch.setenv("INDEXHEALTH_BASE_URL", emu.base_url)


def count(emu: RunningEmulator, path: str, since: int = 0) -> int:
    return sum(1 for request in emu.api_requests[since:] if request.path == path)


# ---- construction: credentials and base URL, before any request ---------------------------------


@pytest.mark.parametrize("cls", CLIENTS)
def test_credentials_and_base_url_come_from_the_environment(
    emu: RunningEmulator, cls: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(emu, monkeypatch)
    client = cls()
    assert client.base_url == emu.base_url
    secret = emu.credentials["client_secret"]
    assert secret not in repr(client) and secret not in repr(client._parts.auth)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("missing", ENV_VARS)
def test_each_missing_setting_fails_at_construction_naming_its_variable(
    emu: RunningEmulator, cls: type[Any], missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(emu, monkeypatch)
    monkeypatch.delenv(missing)
    before = len(emu.api_requests)
    with pytest.raises(MissingCredentialsError, match=missing) as caught:
        cls()
    assert caught.value.env_var == missing
    assert len(emu.api_requests) == before


def test_missing_base_url_says_there_is_no_public_default(emu: RunningEmulator) -> None:
    with pytest.raises(MissingBaseUrlError, match="no public default") as caught:
        IndexHealthClient(**emu.credentials)
    assert "INDEXHEALTH_BASE_URL" in str(caught.value)
    with pytest.raises(InvalidInputError, match="http"):
        IndexHealthClient(**settings(emu, base_url="ftp://files.example.com"))


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('["Ada", "Lovelace"]', "must be a JSON object"),
        ('{"first_name": "Ada", "email": "a@example.com"}', "missing last_name"),
        ('{"first_name": "Ada", "last_name": " ", "uid": "u1"}', "missing last_name"),
        ('{"first_name": "Ada", "last_name": "Lovelace"}', "needs one of email"),
        ('{"first_name": "Ada", "last_name": "Lovelace", "email": ""}', "needs one of email"),
        ('{"first_name": "Ada", "last_name": "Lovelace", "uid": 7}', "must be strings"),
        ('{"first_name": "Ada", "last_name": "Lovelace", "uid": "7", "role": "x"}', "unknown field"),
    ],
)
def test_a_bad_user_fails_at_construction_naming_the_variable(
    emu: RunningEmulator, value: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_env(emu, monkeypatch)
    monkeypatch.setenv("INDEXHEALTH_USER", value)
    before = len(emu.api_requests)
    with pytest.raises(InvalidInputError, match="INDEXHEALTH_USER") as caught:
        IndexHealthClient()
    assert problem in str(caught.value)
    with pytest.raises(InvalidInputError, match=r"^user"):  # given as an argument: named as such
        AsyncIndexHealthClient(**settings(emu, user=value))
    assert len(emu.api_requests) == before


@pytest.mark.parametrize(
    "identifier", [{"email": "a@example.com"}, {"date_of_birth": "1990-01-15"}, {"uid": "u-1"}, {"eid": "E7"}]
)
def test_each_documented_identifier_is_enough(emu: RunningEmulator, identifier: dict[str, str]) -> None:
    user = {"first_name": "Ada", "last_name": "Lovelace", "group_name": "g", **identifier}
    for given in (json.dumps(user), AuthUser.from_dict(user)):
        assert parse_user(given).to_dict() == user
    with IndexHealthClient(**settings(emu, user=user)) as client:  # the service accepts it too
        assert client.get_document_details(emu.ids[0]).document_id == emu.ids[0]


# ---- reading the token endpoint's answer ----------------------------------------------------------


def test_the_token_is_read_from_auth_token_then_access_token(emu: RunningEmulator) -> None:
    jwt = emu.state.issue_token()
    both = ClientAuthTokenResponse.from_dict(
        {"status": 200, "data": {"auth_token": jwt, "access_token": "x"}}
    )
    assert token_from(both).value == jwt
    download_page = ClientAuthTokenResponse.from_dict(
        {"statusCode": 200, "data": {"access_token": jwt}, "message": "OKAY"}
    )
    assert token_from(download_page).value == jwt
    with pytest.raises(AuthFlowError, match="without auth_token or access_token"):
        token_from(ClientAuthTokenResponse.from_dict({"status": 200, "data": {}}))


def test_the_lifetime_comes_from_the_jwt_whatever_the_local_clock(
    emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emu.config, "token_ttl", 7200.0)
    token = emu.state.issue_token()
    assert token_lifetime(token) == pytest.approx(7200.0)
    answer = ClientAuthTokenResponse.from_dict({"status": 200, "data": {"auth_token": token}})
    assert token_from(answer).expires_in == pytest.approx(7200.0 - REFRESH_MARGIN)
    monkeypatch.setattr(emu.config, "token_ttl", 2.0)  # short-lived: renewed a tenth of its life early
    answer = ClientAuthTokenResponse.from_dict(
        {"status": 200, "data": {"auth_token": emu.state.issue_token()}}
    )
    assert token_from(answer).expires_in == pytest.approx(1.8)
    assert token_lifetime("opaque-token") is None
    assert token_lifetime("a.bm90IGpzb24.c") is None


# ---- the exchange -------------------------------------------------------------------------------


def test_one_exchange_serves_many_requests(emu: RunningEmulator) -> None:
    exchanges = emu.state.token_exchanges
    with IndexHealthClient(**settings(emu)) as client:
        for _ in range(5):
            client.get_document_details(emu.ids[0])
        client.get_documents(emu.state.collection_id)
    assert emu.state.token_exchanges == exchanges + 1


def test_concurrent_threads_share_a_single_exchange(emu: RunningEmulator) -> None:
    emu.faults.delay = 0.05  # every request, the exchange included, is slow: the threads pile up
    exchanges = emu.state.token_exchanges
    results: list[str] = []
    with IndexHealthClient(**settings(emu)) as client:
        start = threading.Barrier(12)

        def fetch() -> None:
            start.wait(timeout=5)
            results.append(client.get_document_details(emu.ids[0]).document_id)

        threads = [threading.Thread(target=fetch) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert results == [emu.ids[0]] * 12
    assert emu.state.token_exchanges == exchanges + 1


@pytest.mark.anyio
async def test_concurrent_tasks_share_a_single_exchange(emu: RunningEmulator) -> None:
    emu.faults.delay = 0.05
    exchanges = emu.state.token_exchanges
    async with AsyncIndexHealthClient(**settings(emu)) as client:
        found = await asyncio.gather(*(client.get_document_details(emu.ids[1]) for _ in range(12)))
    assert {details.document_id for details in found} == {emu.ids[1]}
    assert emu.state.token_exchanges == exchanges + 1


def test_a_refused_token_is_renewed_once_for_all_threads(emu: RunningEmulator) -> None:
    with IndexHealthClient(**settings(emu)) as client:
        client.get_document_details(emu.ids[0])
        exchanges = emu.state.token_exchanges
        emu.state.revoke_tokens()  # every request now gets 403 UNAUTHORIZED with the old token
        emu.faults.delay = 0.05
        errors: list[BaseException] = []

        def fetch() -> None:
            try:
                client.get_document_details(emu.ids[0])
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=fetch) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert errors == []
    assert emu.state.token_exchanges == exchanges + 1


@pytest.mark.anyio
async def test_a_refused_token_is_renewed_once_for_all_tasks(emu: RunningEmulator) -> None:
    async with AsyncIndexHealthClient(**settings(emu)) as client:
        await client.get_document_details(emu.ids[0])
        exchanges = emu.state.token_exchanges
        emu.state.revoke_tokens()
        emu.faults.delay = 0.05
        await asyncio.gather(*(client.get_document_details(emu.ids[0]) for _ in range(8)))
    assert emu.state.token_exchanges == exchanges + 1


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.anyio
async def test_an_expiring_token_is_renewed_before_the_server_refuses_it(
    emu: RunningEmulator, cls: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emu.config, "token_ttl", 0.4)  # renewed 0.04 s early
    client = cls(**settings(emu))
    since, exchanges = len(emu.api_requests), emu.state.token_exchanges
    for pause in (0.0, 0.5):
        await asyncio.sleep(pause)
        found = client.get_document_details(emu.ids[0])
        if isinstance(client, AsyncIndexHealthClient):
            found = await found
    assert emu.state.token_exchanges == exchanges + 2
    assert count(emu, DETAILS_PATH, since) == 2  # no request was sent with the expired token
    close = client.close()
    if close is not None:
        await close


def test_a_403_after_a_fresh_token_is_unauthorized_error(
    emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emu.config, "token_ttl", 0.0)  # every token is born expired
    since, exchanges = len(emu.api_requests), emu.state.token_exchanges
    with IndexHealthClient(**settings(emu)) as client, pytest.raises(UnauthorizedError) as caught:
        client.get_document_details(emu.ids[0])
    error = caught.value
    assert isinstance(error, PermissionDeniedError) and isinstance(error, AuthenticationError)
    assert error.status_code == 403 and error.message == "UNAUTHORIZED"
    assert emu.state.token_exchanges == exchanges + 2  # the first token and exactly one renewal
    assert count(emu, DETAILS_PATH, since) == 2


@pytest.mark.anyio
async def test_a_403_after_a_fresh_token_is_unauthorized_error_async(
    emu: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(emu.config, "token_ttl", 0.0)
    exchanges = emu.state.token_exchanges
    async with AsyncIndexHealthClient(**settings(emu)) as client:
        with pytest.raises(UnauthorizedError, match="UNAUTHORIZED"):
            await client.get_documents(emu.state.collection_id)
    assert emu.state.token_exchanges == exchanges + 2


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.anyio
async def test_wrong_client_secret_is_auth_flow_error_with_the_providers_message(
    emu: RunningEmulator, cls: type[Any]
) -> None:
    since = len(emu.api_requests)
    client = cls(**settings(emu, client_secret="not-the-secret"))
    with pytest.raises(AuthFlowError, match="Invalid client credentials") as caught:
        found = client.get_document_details(emu.ids[0])
        if isinstance(client, AsyncIndexHealthClient):
            await found
    assert "INDEXHEALTH_CLIENT_SECRET" in str(caught.value)
    cause = caught.value.__cause__
    assert isinstance(cause, AuthenticationError) and cause.status_code == 401
    assert [r.path for r in emu.api_requests[since:]] == [TOKEN_PATH]  # refused: never sent, never retried
    close = client.close()
    if close is not None:
        await close


def test_fields_the_service_finds_missing_are_auth_flow_error(emu: RunningEmulator) -> None:
    with (
        IndexHealthClient(**settings(emu, client_id="   ")) as client,
        pytest.raises(AuthFlowError) as caught,
    ):
        client.get_documents(emu.state.collection_id)
    assert "Missing required fields: client_id" in str(caught.value)
    assert isinstance(caught.value.__cause__, BadRequestError)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.anyio
async def test_download_with_refused_credentials_reports_each_id_after_one_exchange(
    emu: RunningEmulator, cls: type[Any], tmp_path: Path
) -> None:
    requests = emu.state.token_requests
    client = cls(**settings(emu, client_secret="wrong"))
    results = client.download(emu.ids, tmp_path)
    if isinstance(client, AsyncIndexHealthClient):
        results = await results
    assert [r.id for r in results] == emu.ids
    assert all(isinstance(r.error, AuthFlowError) for r in results)
    assert emu.state.token_requests == requests + 1
    assert list(tmp_path.iterdir()) == []
    close = client.close()
    if close is not None:
        await close


def test_a_slow_token_endpoint_is_bounded_by_the_timeout(emu: RunningEmulator) -> None:
    """Every answer comes after 2 s: only the 0.1 s timeout can end the exchange with this error (without
    it, the token would arrive and the call succeed)."""
    emu.faults.delay = 2.0
    with (
        IndexHealthClient(**settings(emu, timeout=0.1, retry=RetryPolicy(max_attempts=1))) as client,
        pytest.raises(RequestTimeoutError),  # a transport failure stays one, not an AuthFlowError
    ):
        client.get_document_details(emu.ids[0])
