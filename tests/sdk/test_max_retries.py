"""`max_retries=` beside `retry=`: retries after the first attempt, on every client (sync and async); it
changes only the attempts of the policy it is given."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from docfetch import RetryPolicy
from docfetch.errors import InvalidInputError
from docfetch.errors import ServerError
from docfetch.testing import EmulatorFactory
from sdk_servers import make_client


async def retrieve(client: Any, document_id: str) -> Any:
    found = client.retrieve_document(document_id)
    return await found if inspect.isawaitable(found) else found


def sent(emu: Any) -> int:
    return len(emu.api_requests)


@pytest.mark.parametrize("kind", ["sync", "async"])
@pytest.mark.parametrize(
    ("max_retries", "failures", "succeeds"), [(0, 1, False), (1, 1, True), (1, 2, False), (4, 4, True)]
)
@pytest.mark.anyio
async def test_max_retries_is_the_number_of_retries_after_the_first_attempt(
    kind: str, max_retries: int, failures: int, succeeds: bool, emulator: EmulatorFactory
) -> None:
    emu = emulator("telnyx")
    emu.faults.fail_next(failures, 503, retry_after=0)
    client = make_client("telnyx", emu, kind, max_retries=max_retries)
    if succeeds:
        assert (await retrieve(client, emu.ids[0])).id is not None
        assert sent(emu) == failures + 1
    else:
        with pytest.raises(ServerError):
            await retrieve(client, emu.ids[0])
        assert sent(emu) == max_retries + 1
    closing = client.close()
    if inspect.isawaitable(closing):
        await closing


def test_max_retries_keeps_the_rest_of_the_policy(emulator: EmulatorFactory) -> None:
    emu = emulator("telnyx")
    only_500 = RetryPolicy(retry_statuses={500}, initial_backoff=0.0)
    with make_client("telnyx", emu, retry=only_500, max_retries=3) as client:
        emu.faults.fail_next(3, 500)
        assert client.retrieve_document(emu.ids[0]).id is not None
        assert sent(emu) == 4
        emu.faults.fail_next(1, 503)  # not in this policy's statuses: not retried
        with pytest.raises(ServerError):
            client.retrieve_document(emu.ids[0])
        assert sent(emu) == 5


@pytest.mark.parametrize("bad", [-1, True, 1.5, "2"])
def test_max_retries_must_be_a_whole_number(bad: Any) -> None:
    from docfetch.telnyx import AsyncTelnyxClient
    from docfetch.telnyx import TelnyxClient

    for client_class in (TelnyxClient, AsyncTelnyxClient):
        with pytest.raises(InvalidInputError, match="max_retries"):
            client_class(api_key="k", base_url="http://127.0.0.1:9/v2", max_retries=bad)
