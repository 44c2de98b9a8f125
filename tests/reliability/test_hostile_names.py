"""Hostile names from the server: traversal, absolute paths, NUL, reserved device names, 300 characters,
duplicates in one job. Every file lands directly inside the destination (or is refused), nothing is
written beside or above it, and names stay unique and usable.

The emulators report :data:`docfetch.emulators.HOSTILE_NAMES` (by position) when ``hostile_names`` is on.
The hypothesis properties push arbitrary names through a provider's real path (metadata name and
Content-Disposition ``filename*``), complementing tests/core, which checks the sanitiser on its own.
"""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docfetch.core.filenames import MAX_NAME_BYTES
from docfetch.core.filenames import PART_SUFFIX
from docfetch.emulators import HOSTILE_NAMES
from docfetch.emulators import RunningEmulator
from docfetch.errors import DownloadError
from hypothesis import HealthCheck
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from rel_kits import Kit
from rel_kits import assert_clean
from rel_kits import check_saved
from rel_kits import download
from rel_ledger import Ledger

pytestmark = pytest.mark.reliability("names")

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10))}
PASSWD = Path("/etc/passwd")  # the suite may run as root: a traversal bug would really write there


def assert_usable_name(name: str) -> None:
    assert name and name not in (".", "..")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not any(unicodedata.category(c) == "Cc" for c in name)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES + len(b" (99)")
    assert name.split(".")[0].strip().upper() not in RESERVED
    assert not name.startswith(".") and not name.endswith(PART_SUFFIX)


def hostile_batch(kit: Kit, emu: RunningEmulator) -> list[str]:
    count = len(HOSTILE_NAMES)
    return kit.many_names(emu, count) if kit.many_names else kit.fresh(emu, count)


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_hostile_names_never_leave_the_destination(
    kit: Kit, emu: RunningEmulator, tmp_path: Path, dest: Path, ledger: Ledger, asynchronous: bool
) -> None:
    passwd_before = PASSWD.stat().st_mtime_ns if PASSWD.exists() else None
    items = hostile_batch(kit, emu)
    emu.faults.hostile_names = True  # default download path: names come from the provider API

    results = download(kit, emu, items, dest, asynchronous=asynchronous)

    assert results
    saved = [r for r in results if r.error is None]
    for result in results:
        if result.error is None:
            check_saved(kit, emu, result, dest)
            assert result.path is not None
            assert_usable_name(result.path.name)
            ledger.run("names", "saved inside the destination", faults=1)
        else:  # refusing a name is allowed; it must be typed and leave nothing
            assert isinstance(result.error, DownloadError), repr(result.error)
            ledger.run("names", f"refused: {type(result.error).__name__}", faults=1)
    names = [r.path.name.casefold() for r in saved if r.path is not None]
    assert len(set(names)) == len(names), f"two files got one name: {names}"
    assert_clean(dest, results)
    assert [p.name for p in tmp_path.iterdir()] == ["sandbox"], "nothing beside the sandbox"
    if passwd_before is not None:
        assert PASSWD.stat().st_mtime_ns == passwd_before
    assert any(name.endswith(("x.pdf", "passwd")) for name in names), "the hostile names were served"


def test_duplicate_names_in_one_batch_are_all_kept(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file of the batch is reported as "same.pdf" (and, for jobs, every output of one job)."""
    items = kit.many_names(emu, 3) if kit.many_names else kit.fresh(emu, 3)
    monkeypatch.setattr(emu.faults, "report_name", lambda index, real: "same.pdf")
    emu.faults.hostile_names = True

    results = download(kit, emu, items, dest)

    assert all(r.error is None for r in results), [r.error for r in results]
    names = sorted(r.path.name for r in results if r.path is not None)
    assert len(set(names)) == len(names) >= 3, names
    for result in results:
        check_saved(kit, emu, result, dest)
    assert_clean(dest, results)
    ledger.run("names", f"{len(results)} duplicates kept under distinct names", faults=len(results))


# --- properties: arbitrary names through a provider's real naming path ------------------------------

NamedItem = Callable[[RunningEmulator, str], str]


def _telnyx_named(emu: RunningEmulator, name: str) -> str:
    from docfetch_emulator_models.telnyx import DocServiceDocumentAvScanStatus

    document = emu.state.add_document(
        emu.context.seeded_bytes(name, 512),
        filename=name,
        av_scan_status=DocServiceDocumentAvScanStatus.scanned,
    )
    return str(document.id)


def _indexhealth_named(emu: RunningEmulator, name: str) -> str:
    return str(emu.state.add_document(name, emu.context.seeded_bytes(name, 512), processed=True).document_id)


def _veridox_named(emu: RunningEmulator, name: str) -> str:
    return str(emu.state.add_file(name, size=512))


# Which path the name takes: telnyx's metadata ``filename``, Index Health's Content-Disposition
# (``filename*`` percent-encoded UTF-8, streamed by the API), Veridox's ``label``.
NAMED: dict[str, NamedItem] = {
    "telnyx": _telnyx_named,
    "indexhealth": _indexhealth_named,
    "veridox": _veridox_named,
}

hostile_parts = st.sampled_from(
    ["..", "/", "\\", "\x00", "C:", "CON", "nul.txt", "\u202e", "\n", " ", ".", "%2e"]
)
names = st.one_of(
    st.text(min_size=1, max_size=300),
    st.lists(st.one_of(hostile_parts, st.text(max_size=8)), min_size=1, max_size=10).map("".join),
)


@pytest.fixture
def client(kit: Kit, emu: RunningEmulator) -> Iterator[Any]:
    """One client for every hypothesis example of a test (an example is one download)."""
    with kit.client(emu) as opened:
        yield opened


@pytest.mark.kits(*NAMED)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=names)
@example(name="../../../../etc/passwd")
@example(name="/etc/passwd")
@example(name="a\x00b.pdf")
@example(name="LPT1.txt")
@example(name="é" * 300)
@example(name="..")
@example(name=". .pdf")
def test_any_server_name_lands_inside_the_destination(
    kit: Kit, emu: RunningEmulator, client: Any, tmp_path: Path, ledger: Ledger, name: str
) -> None:
    item = NAMED[kit.name](emu, name)
    sandbox = Path(tempfile.mkdtemp(dir=tmp_path))
    dest = sandbox / "out"

    [result] = client.download([item], dest)

    assert result.error is None, repr(result.error)
    assert result.path is not None and result.path.parent == dest
    assert_usable_name(result.path.name)
    assert [p for p in sandbox.rglob("*") if p.is_file()] == [result.path]
    assert result.path.read_bytes() == kit.contents(emu, item)[0]
    ledger.run("names", "property: arbitrary name saved inside the destination", faults=1)
