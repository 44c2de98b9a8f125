"""How the command line turns results and exceptions into output and exit codes (in-process, with a
fake provider client standing in for the real ones: it records what the CLI passes it)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any
from typing import ClassVar

import httpx
import pytest
from docfetch import FileResult
from docfetch import Link
from docfetch import cli
from docfetch.cli import commands
from docfetch.errors import AuthenticationError
from docfetch.errors import InvalidInputError
from docfetch.errors import NotFoundError


class FakeStream(contextlib.closing[Iterator[FileResult]]):
    """What iter_download returns: results to iterate, closed at the end; nothing left unreported."""

    unreported: ClassVar[list[FileResult]] = []

    def __iter__(self) -> Iterator[FileResult]:
        return self.thing


class FakeClient:
    """The uniform client interface; class attributes choose its behaviour and record its calls."""

    download_does: ClassVar[Callable[[list[str], Path], list[FileResult]]]
    links_does: ClassVar[Callable[[list[str]], list[Link]]]
    calls: ClassVar[list[tuple[str, Any]]] = []

    def __init__(self, *, timeout: httpx.Timeout) -> None:
        self.calls.append(("init", timeout))

    def __enter__(self) -> FakeClient:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.calls.append(("close", None))

    @staticmethod
    def check_ids(ids: Sequence[str]) -> list[str]:
        if "bad" in ids:
            raise InvalidInputError("invalid id 'bad'")
        return list(ids)

    def iter_download(self, ids: Iterable[str], dest_dir: Path, **options: Any) -> FakeStream:
        self.calls.append(("download", options))

        def results() -> Iterator[FileResult]:  # the behaviour happens while the CLI iterates
            yield from type(self).download_does(list(ids), dest_dir)

        return FakeStream(results())

    def links(self, ids: list[str]) -> list[Link]:
        self.calls.append(("links", list(ids)))
        return type(self).links_does(ids)


@pytest.fixture(autouse=True)
def fake(monkeypatch: pytest.MonkeyPatch) -> type[FakeClient]:
    FakeClient.calls = []
    monkeypatch.setattr(commands, "load_client_class", lambda provider: FakeClient)
    return FakeClient


def saved(item: str, directory: Path, **extra: Any) -> FileResult:
    path = directory / f"{item}.pdf"
    path.write_bytes(b"%PDF")
    return FileResult(item, path, 4, "ab" * 32, **extra)


def test_options_reach_the_client(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    FakeClient.download_does = lambda ids, d: [saved(i, d) for i in ids]
    argv = ["telnyx", "download", "a", "b", "--out", str(tmp_path), "--concurrency", "7", "--timeout", "5"]

    assert cli.main([*argv, "--overwrite"]) == 0

    (_, timeout), (_, options), _ = FakeClient.calls
    assert (timeout.connect, timeout.read) == (5, 5)
    assert options["concurrency"] == 7
    assert options["overwrite"] is True
    assert options["wait_timeout"] == 5
    assert options["progress"] is None and options["on_status"] is None  # stdout is not a terminal
    assert capsys.readouterr().out == f"{tmp_path / 'a.pdf'}\t4\n{tmp_path / 'b.pdf'}\t4\n"


def test_default_timeouts(tmp_path: Path) -> None:
    FakeClient.download_does = lambda ids, d: [saved(i, d) for i in ids]
    assert cli.main(["telnyx", "download", "a", "--out", str(tmp_path)]) == 0
    (_, timeout), (_, options), _ = FakeClient.calls
    assert (timeout.connect, timeout.read) == (10, 30)
    assert options["wait_timeout"] == 600
    assert options["concurrency"] == 4


def test_a_warning_is_a_stderr_line_and_still_success(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    FakeClient.download_does = lambda ids, d: [saved("a", d, warning="2 pages failed")]
    assert cli.main(["sarvam", "download", "a", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().err == "docfetch: warning: a: 2 pages failed\n"


def test_a_failure_of_the_whole_batch_fails_every_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(ids: list[str], d: Path) -> list[FileResult]:
        raise AuthenticationError(401, message="bad key")

    FakeClient.download_does = refuse
    assert cli.main(["telnyx", "download", "a", "b", "a", "--out", str(tmp_path), "--json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "saved": [],
        "failed": [{"id": "a", "error": "HTTP 401 bad key"}, {"id": "b", "error": "HTTP 401 bad key"}],
    }
    assert err.splitlines() == ["docfetch: a: HTTP 401 bad key", "docfetch: b: HTTP 401 bad key"]
    assert FakeClient.calls[-1] == ("close", None)


def test_invalid_input_exits_2_before_the_client_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["telnyx", "download", "a", "bad", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "docfetch: error: invalid id 'bad'\n"
    assert FakeClient.calls == []


def test_an_unexpected_error_is_one_line_unless_debug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(ids: list[str], d: Path) -> list[FileResult]:
        raise RuntimeError("boom\nsecond line")

    FakeClient.download_does = crash
    assert cli.main(["telnyx", "download", "a", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert (
        err
        == "docfetch: unexpected RuntimeError: boom second line (run again with --debug for the traceback)\n"
    )

    assert cli.main(["telnyx", "download", "a", "--out", str(tmp_path), "--debug"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert err.endswith("docfetch: unexpected RuntimeError: boom second line\n")


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(ids: list[str], d: Path) -> list[FileResult]:
        raise KeyboardInterrupt

    FakeClient.download_does = interrupted
    assert cli.main(["telnyx", "download", "a", "--out", str(tmp_path)]) == 130
    assert capsys.readouterr().err == "docfetch: interrupted\n"
    assert FakeClient.calls[-1] == ("close", None)


def link(item: str) -> Link:
    return Link(item, f"{item}.pdf", f"https://storage.example/{item}?sig=x")


def test_links_isolate_the_failing_ids(capsys: pytest.CaptureFixture[str]) -> None:
    def links(ids: list[str]) -> list[Link]:
        if "gone" in ids:
            raise NotFoundError(404, message="no such document")
        return [link(i) for i in ids]

    FakeClient.links_does = links
    assert cli.main(["veridox", "links", "a", "gone", "b"]) == 1
    out, err = capsys.readouterr()
    assert [entry["id"] for entry in json.loads(out)] == ["a", "b"]
    assert err == "docfetch: gone: HTTP 404 no such document\n"
    assert [args for name, args in FakeClient.calls if name == "links"] == [
        ["a", "gone", "b"],
        ["a"],
        ["gone"],
        ["b"],
    ]


def test_an_id_without_a_link_is_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    FakeClient.links_does = lambda ids: [link(i) for i in ids if i != "pending"]
    assert cli.main(["api2convert", "links", "a", "pending"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out) == [link("a").to_json()]
    assert err == "docfetch: pending: no download link returned\n"
