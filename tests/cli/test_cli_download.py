"""`docfetch PROVIDER download`, run as the installed console script against each emulator."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cli_helpers import CASES
from cli_helpers import Served
from cli_helpers import report
from cli_helpers import stderr_lines
from docfetch.cli.providers import PROVIDERS


def files_in(directory: Path) -> set[Path]:
    return {path for path in directory.rglob("*") if path.is_file()}


def test_download_saves_every_seeded_file(served: Served, tmp_path: Path) -> None:
    result = served.run("download", *served.ids, "--out", str(tmp_path), "--json")

    assert result.returncode == 0, result.stderr
    data = report(result)
    assert data["failed"] == []
    assert {entry["id"] for entry in data["saved"]} == set(served.ids)
    for entry in data["saved"]:
        path = Path(entry["path"])
        content = path.read_bytes()
        assert path.parent == tmp_path
        assert len(content) == entry["bytes"] > 0
        assert hashlib.sha256(content).hexdigest() == entry["sha256"]
    assert files_in(tmp_path) == {Path(entry["path"]) for entry in data["saved"]}  # no part files left


def test_plain_output_is_one_line_per_saved_file(served: Served, tmp_path: Path) -> None:
    result = served.run("download", *served.ids, "--out", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "\x1b" not in result.stdout  # stdout is not a terminal: no display
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(lines) >= len(served.ids)  # at least one file per id
    assert sorted(Path(path) for path, _ in lines) == sorted(files_in(tmp_path))
    for path, size in lines:
        assert Path(path).parent == tmp_path
        assert Path(path).stat().st_size == int(size) > 0


def test_a_failure_does_not_stop_the_others(served: Served, tmp_path: Path) -> None:
    unknown = CASES[served.running.provider].unknown_id
    result = served.run("download", served.ids[0], unknown, "--out", str(tmp_path), "--json")

    assert result.returncode == 1
    data = report(result)
    assert [entry["id"] for entry in data["failed"]] == [unknown]
    assert {entry["id"] for entry in data["saved"]} == {served.ids[0]}
    assert all(Path(entry["path"]).is_file() for entry in data["saved"])
    (line,) = stderr_lines(result)  # one readable line per failure, no traceback
    assert line.startswith(f"docfetch: {unknown}: ")
    assert data["failed"][0]["error"] in line


def test_existing_files_are_kept_unless_overwrite(served: Served, tmp_path: Path) -> None:
    first = served.run("download", served.ids[0], "--out", str(tmp_path), "--json")
    assert first.returncode == 0, first.stderr
    saved = report(first)["saved"]
    assert saved
    original = {entry["path"]: Path(entry["path"]).read_bytes() for entry in saved}
    for entry in saved:
        Path(entry["path"]).write_bytes(b"mine")

    again = served.run("download", served.ids[0], "--out", str(tmp_path), "--json")
    assert again.returncode == 1
    assert {entry["id"] for entry in report(again)["failed"]} == {served.ids[0]}
    assert "--overwrite" in again.stderr
    assert all(Path(entry["path"]).read_bytes() == b"mine" for entry in saved)

    forced = served.run("download", served.ids[0], "--out", str(tmp_path), "--json", "--overwrite")
    assert forced.returncode == 0, forced.stderr
    assert {entry["path"] for entry in report(forced)["saved"]} == set(original)
    for path, data in original.items():
        assert Path(path).read_bytes() == data  # the provider's bytes are back


def test_a_malformed_id_is_a_usage_error_before_any_request(served: Served, tmp_path: Path) -> None:
    malformed = CASES[served.running.provider].malformed_id
    result = served.run("download", served.ids[0], malformed, "--out", str(tmp_path / "out"), "--json")

    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = stderr_lines(result)
    assert line.startswith("docfetch: error: ")
    assert served.running.api_requests == []
    assert not (tmp_path / "out").exists()


def test_missing_credentials_name_the_variable(served: Served, tmp_path: Path) -> None:
    info = PROVIDERS[served.running.provider]
    required = [*info.credentials.values()] + ([info.base_url_env] if info.default_base_url is None else [])
    for variable in required:
        env = {k: v for k, v in served.env.items() if k != variable}
        result = served.run("download", *served.ids, "--out", str(tmp_path), env=env)

        assert result.returncode == 2, variable
        (line,) = stderr_lines(result)
        assert variable in line
    assert served.running.api_requests == []
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_destination_is_a_usage_error(served: Served, tmp_path: Path) -> None:
    occupied = tmp_path / "a-file"
    occupied.write_text("not a directory")
    result = served.run("download", *served.ids, "--out", str(occupied))

    assert result.returncode == 2
    assert "not a directory" in result.stderr
    assert served.running.api_requests == []


def test_refused_credentials_fail_every_id(served: Served, tmp_path: Path) -> None:
    info = PROVIDERS[served.running.provider]
    variable = next(iter(info.credentials.values()))
    wrong = '{"first_name": "Eve", "last_name": "Mallory", "email": "eve@example.com"}'
    env = {**served.env, variable: wrong if variable.endswith("_USER") else "wrong-credential"}
    result = served.run("download", *served.ids, "--out", str(tmp_path), "--json", env=env)

    assert result.returncode == 1
    data = report(result)
    assert data["saved"] == []
    assert {entry["id"] for entry in data["failed"]} == set(served.ids)
    assert len(stderr_lines(result)) == len(data["failed"])
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
