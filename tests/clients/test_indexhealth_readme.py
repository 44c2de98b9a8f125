"""The README's Index Health example, taken from README.md and run against the emulator: what its two
functions do with documents that have no file or do not exist, and with settings missing or refused
(its success path also runs with every other block in tests/docs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import readme_blocks
from docfetch.emulators import RunningEmulator
from docfetch.emulators import run_emulator
from docfetch.errors import MissingCredentialsError


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    with run_emulator("indexhealth", file_size=4096) as running:
        yield running


EXAMPLE = readme_blocks.run(readme_blocks.find("Index Health"), {}, call=False).namespace
save_documents = EXAMPLE["save_documents"]
first_link = EXAMPLE["first_link"]


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
