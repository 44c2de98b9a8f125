"""Every ```python block of README.md runs as it is written (tests/readme_blocks.py extracts them; a
block is left out only with ``<!-- not run: reason -->`` right before its fence).

For each block: the emulator of every provider it imports is started and the CLI's environment variables
point at it (credentials, base URL); the providers' public base URLs are routed to those emulators and
any other host is refused (the suite stays offline); the current directory is a scratch one holding
the input files the block names (``invoice.pdf``, ``scans.zip``...); the names its prose leaves to the
reader (``job_ids``, ``doc_id``, ``file_ids``...) are the emulator's seeded ids. A block that starts
emulators itself (``run_emulator``, the ``emulator`` fixture) gets no emulator and no environment.

A block passes when it raises nothing, none of its ``except`` handlers ran, it printed none of the
README's failure messages, and it sent requests to every emulator started for it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
import readme_blocks
from docfetch._registry import PROVIDERS as FACTS
from docfetch.cli.providers import PROVIDERS
from docfetch.cli.providers import environment_for
from docfetch.emulators import RunningEmulator
from docfetch.testing import EmulatorFactory
from http_hooks import on_every_request

PROVIDER_IMPORT = re.compile(rf"\bdocfetch(?:\.|_)({'|'.join(FACTS)})(?:_client)?\b")
SELF_HOSTED = re.compile(r"\brun_emulator\(|\bemulator\(")
INPUT_FILE = re.compile(r"""["']([\w.-]+\.(?:pdf|zip))["']""")
ID_LIST = re.compile(r"""["']([\w.-]+-ids\.txt)["']""")  # one id per line, e.g. "file-ids.txt"
# What the README's examples print when something went wrong.
FAILURE = re.compile(
    r"fail|fix the input|check |refused|not saved|not found|did not complete|has no file|later|no such",
    re.IGNORECASE,
)
VARIABLES = {variable for info in PROVIDERS.values() for variable in info.variables}
RUN = [block for block in readme_blocks.blocks() if block.not_run is None]


def providers_of(block: readme_blocks.Block) -> list[str]:
    if SELF_HOSTED.search(block.code):
        return []
    return sorted(set(PROVIDER_IMPORT.findall(block.code)))


def one_page_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Page >> endobj\ntrailer << >>\n%%EOF\n"


def zip_of_one_image() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page-1.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    return buffer.getvalue()


def write_inputs(block: readme_blocks.Block, directory: Path, ids: list[str]) -> None:
    """The input files the block names as plain file names (not URLs); id lists hold the seeded ids."""
    for name in INPUT_FILE.findall(block.code):
        if f"/{name}" not in block.code:
            (directory / name).write_bytes(one_page_pdf() if name.endswith(".pdf") else zip_of_one_image())
    for name in ID_LIST.findall(block.code):
        (directory / name).write_text("".join(f"{given}\n" for given in ids), encoding="utf-8")


def placeholders(emu: RunningEmulator | None, emulator: EmulatorFactory, tmp_path: Path) -> dict[str, Any]:
    """What a block may leave to the reader, by name (also the parameters of the functions it defines)."""
    ids = list(emu.ids) if emu is not None else []
    given: dict[str, Any] = {"emulator": emulator, "tmp_path": tmp_path / "fixture", "dest": "out"}
    if ids:
        given.update(doc_id=ids[0], document_id=ids[0], document_ids=ids, job_ids=ids, file_ids=ids)
    return given


@pytest.fixture
def routes(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Public base URL -> emulator base URL; requests to any other host than 127.0.0.1 are refused."""
    table: dict[str, str] = {}

    def route(request: httpx.Request) -> None:
        url = str(request.url)
        for public, local in table.items():
            if url.startswith(public):
                request.url = httpx.URL(local + url[len(public) :])
                request.headers["Host"] = request.url.netloc.decode()
                return
        if request.url.host not in ("127.0.0.1", "localhost"):
            raise httpx.ConnectError(f"the README tests run offline: {request.url.host}", request=request)

    on_every_request(monkeypatch, route)
    return table


def test_the_readme_has_python_blocks_and_each_runs_or_says_why_not() -> None:
    found = readme_blocks.blocks()
    assert len(found) >= 10
    assert all(block.not_run is None or block.not_run.strip() for block in found)
    assert [block.name for block in RUN] == [block.name for block in found if block.not_run is None]


def test_a_block_marked_not_run_is_left_out() -> None:
    text = "# T\n\n```python\nprint(1)\n```\n\n<!-- not run: needs a real account -->\n```python\nprint(2)\n```\n"
    first, second = readme_blocks.blocks(text)
    assert (first.not_run, first.line, first.code) == (None, 4, "print(1)\n")
    assert second.not_run == "needs a real account"


@pytest.mark.parametrize("block", RUN, ids=[block.name for block in RUN])
def test_readme_block_runs_as_written(
    block: readme_blocks.Block,
    emulator: EmulatorFactory,
    routes: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    started: dict[str, RunningEmulator] = {}
    for provider in providers_of(block):
        emu = started[provider] = emulator(provider, job_step=0.02)
        for variable, value in environment_for(emu.info()).items():
            monkeypatch.setenv(variable, value)
        public = FACTS[provider].default_base_url
        if public:
            routes[public] = emu.base_url
    only = next(iter(started.values())) if len(started) == 1 else None
    write_inputs(block, tmp_path, list(only.ids) if only is not None else [])

    ran = readme_blocks.run(block, placeholders(only, emulator, tmp_path))

    printed = capsys.readouterr().out
    assert ran.handlers_run(block) == set(), f"an except handler ran; printed:\n{printed}"
    assert FAILURE.search(printed) is None, printed
    for provider, emu in started.items():
        assert emu.api_requests, f"the block sent nothing to the {provider} emulator"
