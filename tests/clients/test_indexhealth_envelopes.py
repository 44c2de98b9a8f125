"""docfetch.indexhealth against an emulator that answers every error with HTTP 200 and the status only in
its `{statusCode, data, message}` envelope (`errors_as_200=True`), sync and async: 437/435 are typed
errors, a token refused in an envelope is renewed once, and a direct download answered with an envelope
raises and leaves nothing on disk."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from typing import TypeVar

import pytest
from docfetch.core.retry import RetryPolicy
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.errors import NotFoundError
from docfetch.errors import ServerError
from docfetch.indexhealth import AsyncIndexHealthClient
from docfetch.indexhealth import DocumentNotFoundError
from docfetch.indexhealth import IndexHealthClient
from docfetch.indexhealth import MissingFieldsError

TOKEN_PATH = "/generate-client-auth-token"
FAST = RetryPolicy(max_attempts=2, initial_backoff=0.01, max_backoff=0.05, jitter=0.0)
UNKNOWN = "doc-does-not-exist"
T = TypeVar("T")


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with run_emulator("indexhealth", errors_as_200=True, file_size=4096) as running:
        yield running


@pytest.fixture(autouse=True)
def _reset(emu: RunningEmulator) -> Iterator[None]:
    yield
    emu.faults.reset()


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def done(value: T | Awaitable[T]) -> T:
    """A sync client's answer as is, an async client's awaited: one scenario drives both."""
    return await value if inspect.isawaitable(value) else value  # type: ignore[return-value]


def session(flavour: str, emu: RunningEmulator, scenario: Callable[[Any], Awaitable[T]]) -> T:
    """``scenario(client)`` with one client of the flavour, kept for the whole scenario."""
    options = {**emu.credentials, "base_url": emu.base_url, "retry": FAST, "timeout": 5.0}

    async def run() -> T:
        if flavour == "sync":
            with IndexHealthClient(**options) as client:
                return await scenario(client)
        async with AsyncIndexHealthClient(**options) as client:
            return await scenario(client)

    return asyncio.run(run())


def url_based(emu: RunningEmulator) -> str:
    """A document that has a URL instead of a file (Index Health: 435 "Document has no file path")."""
    return next(doc.document_id for doc in emu.state.documents.values() if doc.stored is None)


def tokens(emu: RunningEmulator, since: int = 0) -> int:
    return sum(1 for request in emu.api_requests[since:] if request.path == TOKEN_PATH)


def test_437_and_435_in_a_200_are_typed_errors(flavour: str, emu: RunningEmulator, tmp_path: Path) -> None:
    missing_file = url_based(emu)

    async def scenario(client: Any) -> None:
        with pytest.raises(DocumentNotFoundError) as not_found:
            await done(client.get_document_details(UNKNOWN))
        assert not_found.value.status_code == 437 and isinstance(not_found.value, NotFoundError)
        assert not_found.value.message == "Document not found"
        with pytest.raises(MissingFieldsError) as no_file:
            await done(client.request_download(missing_file))
        assert no_file.value.status_code == 435 and no_file.value.message == "Document has no file path"
        for method in ("direct", "signed_url"):
            results = await done(client.download([UNKNOWN, missing_file], tmp_path, method=method))
            assert [type(result.error) for result in results] == [DocumentNotFoundError, MissingFieldsError]

    session(flavour, emu, scenario)
    assert list(tmp_path.iterdir()) == []


def test_a_token_refused_in_an_envelope_is_renewed(
    flavour: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    document = emu.ids[0]

    async def scenario(client: Any) -> list[Any]:
        await done(client.get_document_details(document))  # the first token
        emu.state.revoke_tokens()  # refused from now on: 200 {"statusCode": 403, "message": "UNAUTHORIZED"}
        details = await done(client.get_document_details(document))
        emu.state.revoke_tokens()
        (link,) = await done(client.links([document]))  # POST /download, same rule
        emu.state.revoke_tokens()
        saved = await done(client.download([document], tmp_path))  # the direct download, same rule
        return [details, link, *saved]

    since = len(emu.api_requests)
    details, link, saved = session(flavour, emu, scenario)
    assert details.document_id == document and link.id == document
    assert saved.ok and saved.path.read_bytes() == emu.state.find(document).stored.data
    assert tokens(emu, since) == 4  # the first, and one renewal after each refusal


def test_a_direct_download_answered_with_an_envelope_saves_nothing(
    flavour: str, emu: RunningEmulator, tmp_path: Path
) -> None:
    document = emu.ids[0]
    emu.state.break_document(document)  # GET /download/{id}: 200 {"statusCode": 500, ...} instead of the file
    try:
        (result,) = session(flavour, emu, lambda client: done(client.download([document], tmp_path)))
    finally:
        emu.state.break_document(document, broken=False)
    assert isinstance(result.error, ServerError) and result.error.status_code == 500
    assert result.path is None and list(tmp_path.iterdir()) == []

    (unknown,) = session(flavour, emu, lambda client: done(client.download([UNKNOWN], tmp_path)))
    assert isinstance(unknown.error, DocumentNotFoundError)
    assert list(tmp_path.iterdir()) == []  # no part file, no envelope saved as a document
