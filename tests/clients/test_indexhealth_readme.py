"""The README example of docfetch.indexhealth, run against the emulator: the code between the markers is
pasted verbatim into README.md (via /work/main/.helpers/README-indexhealth.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator

# --- example start ---
from docfetch.errors import AuthFlowError
from docfetch.errors import MissingCredentialsError
from docfetch.indexhealth import AsyncIndexHealthClient
from docfetch.indexhealth import DocumentNotFoundError
from docfetch.indexhealth import IndexHealthClient
from docfetch.indexhealth import MissingFieldsError
from docfetch.indexhealth import UnauthorizedError


def save_documents(document_ids: list[str], dest: str) -> None:
    # Reads INDEXHEALTH_BASE_URL, INDEXHEALTH_CLIENT_ID, INDEXHEALTH_CLIENT_SECRET, INDEXHEALTH_FINGERPRINT
    # and INDEXHEALTH_USER='{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}'.
    with IndexHealthClient() as client:  # MissingCredentialsError here names the variable to set
        details = client.get_document_details(document_ids[0])  # DocumentNotFoundError (437) if unknown
        print(details.document_name, details.document_type)
        for result in client.download(document_ids, dest):  # or method="signed_url" (presigned link)
            if result.ok:
                print("saved", result.path, result.bytes)
            elif isinstance(result.error, MissingFieldsError):  # 435, e.g. a URL-based document
                print(result.id, "has no file:", result.error.message)
            elif isinstance(result.error, DocumentNotFoundError):  # 437
                print(result.id, "not found")
            else:  # AuthFlowError (credentials refused), UnauthorizedError (403), DownloadError...
                print(result.id, "failed:", result.error)


async def first_link(document_id: str) -> str | None:
    try:
        async with AsyncIndexHealthClient() as client:
            (link,) = await client.links([document_id])  # presigned, valid one hour, no credential needed
    except (DocumentNotFoundError, MissingFieldsError) as error:  # 437 / 435
        print(document_id, error.message)
        return None
    except (MissingCredentialsError, AuthFlowError, UnauthorizedError) as error:  # unset / refused / 403
        raise SystemExit(f"check your Index Health settings: {error}") from error
    return link.url


# --- example end ---


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with run_emulator("indexhealth", file_size=4096) as running:
        yield running


@pytest.mark.anyio
async def test_the_readme_example(
    emu: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("INDEXHEALTH_CLIENT_ID", raising=False)
    with pytest.raises(MissingCredentialsError, match="INDEXHEALTH_CLIENT_ID"):
        save_documents(emu.ids, str(tmp_path))
    with pytest.raises(SystemExit, match="INDEXHEALTH_CLIENT_ID"):
        await first_link(emu.ids[0])
    for name, value in {
        "INDEXHEALTH_BASE_URL": emu.base_url,
        "INDEXHEALTH_CLIENT_ID": emu.credentials["client_id"],
        "INDEXHEALTH_CLIENT_SECRET": emu.credentials["client_secret"],
        "INDEXHEALTH_FINGERPRINT": emu.credentials["fingerprint"],
        "INDEXHEALTH_USER": '{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}',
    }.items():
        monkeypatch.setenv(name, value)
    url_based = next(doc_id for doc_id, doc in emu.state.documents.items() if doc.stored is None)
    data = [emu.state.find(doc_id).stored.data for doc_id in emu.ids]

    save_documents([*emu.ids, url_based, "doc-missing"], str(tmp_path))

    assert capsys.readouterr().out.splitlines() == [
        "Summary of Benefits 2025.pdf PDF",
        f"saved {tmp_path / 'Summary of Benefits 2025.pdf'} {len(data[0])}",
        f"saved {tmp_path / 'Évidence de couverture – Überblick.pdf'} {len(data[1])}",
        f"{url_based} has no file: Document has no file path",
        "doc-missing not found",
    ]
    assert (tmp_path / "Summary of Benefits 2025.pdf").read_bytes() == data[0]
    url = await first_link(emu.ids[1])
    assert url is not None and httpx.get(url, timeout=5.0).content == data[1]
    assert await first_link("doc-missing") is None
    monkeypatch.setenv("INDEXHEALTH_CLIENT_SECRET", "wrong")
    with pytest.raises(SystemExit, match="Invalid client credentials"):
        await first_link(emu.ids[0])
