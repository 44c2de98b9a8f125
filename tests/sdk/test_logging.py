"""Logging: the `docfetch.*` loggers, the redaction rule, nothing printed unless asked (DOCFETCH_LOG, the
CLI's -v / -vv, or the caller's own logging set-up), one stderr handler installed once, and nothing
formatted while a logger is disabled."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from docfetch import TokenBucket
from docfetch.cli.providers import environment_for
from docfetch.core import logs
from docfetch.emulators import RunningEmulator
from docfetch.testing import EmulatorFactory
from sdk_servers import clean_environment
from sdk_servers import make_client
from sdk_servers import run_docfetch

UNKNOWN = "00000000-0000-4000-8000-000000000000"


# --- the redaction rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "path", "shown"),
    [
        (
            "https://api.example/v2/documents/1?page%5Bsize%5D=5",
            True,
            "https://api.example/v2/documents/1?page[size]=***",
        ),
        ("https://user:secret@api.example:8443/x?key=abc#frag", True, "https://api.example:8443/x?key=***"),
        (
            "https://acct.blob.example/c/out.zip?sv=1&se=2026&sig=SIGNATURE",
            True,
            "https://acct.blob.example/c/out.zip?sv=***&se=***&sig=***",
        ),
        (
            "https://acct.blob.example/c/out.zip?sv=1&se=2026&sig=SIGNATURE",
            False,
            "https://acct.blob.example/...",
        ),
        ("https://dl.example/plain/capability-key/file.pdf", False, "https://dl.example/..."),
        ("http://[::1]:8080/", False, "http://[::1]:8080"),
        ("not a url", True, "<url>"),
        ("http://[::1", True, "<url>"),
    ],
)
def test_urls_are_logged_without_user_info_query_values_or_storage_paths(
    url: str, path: bool, shown: str
) -> None:
    assert logs.redact_url(url, path=path) == shown


def test_urls_inside_free_text_keep_only_their_origin() -> None:
    text = "refused https://s.example/o/k?signature=abc&expires=1: try again (see http://u:p@h.example/a)."
    assert logs.redact_text(text) == "refused https://s.example/...: try again (see http://h.example/...)."


# --- nothing unless asked ------------------------------------------------------------------------


def run_script(
    code: str, emu: RunningEmulator, tmp_path: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=clean_environment(**environment_for(emu.info()), **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


DOWNLOAD_ONE_AND_ONE_UNKNOWN = f"""
    import logging
    from docfetch.core import logs
    from docfetch.telnyx import TelnyxClient

    with TelnyxClient() as telnyx:
        results = telnyx.download(["{{known}}", "{UNKNOWN}"], "out")
    print([result.ok for result in results])
    ours = [h for h in logging.getLogger("docfetch").handlers if h.get_name() == "docfetch-stderr"]
    logs.configure_from_env()  # again: still one handler
    logs.log_to_stderr("info")  # as the CLI's -v does: never a second one, never less verbose
    again = [h for h in logging.getLogger("docfetch").handlers if h.get_name() == "docfetch-stderr"]
    print(len(ours), len(again), logging.getLogger("docfetch").level)
"""


def test_without_configuration_nothing_is_printed(emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator("telnyx", file_size=4096)
    done = run_script(DOWNLOAD_ONE_AND_ONE_UNKNOWN.replace("{known}", emu.ids[0]), emu, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # not even the failed file's WARNING (no last-resort output)
    assert done.stdout.splitlines()[0] == "[True, False]"


@pytest.mark.parametrize("level", ["info", "debug", "DEBUG"])
def test_docfetch_log_adds_one_stderr_handler_once(
    level: str, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("telnyx", file_size=4096)
    done = run_script(
        DOWNLOAD_ONE_AND_ONE_UNKNOWN.replace("{known}", emu.ids[0]), emu, tmp_path, DOCFETCH_LOG=level
    )
    assert done.returncode == 0, done.stderr
    numeric = logging.DEBUG if level.lower() == "debug" else logging.INFO
    assert done.stdout.splitlines() == ["[True, False]", f"1 1 {numeric}"]
    lines = done.stderr.splitlines()
    assert any(" INFO docfetch.http: GET http://127.0.0.1:" in line for line in lines)
    assert any(f" INFO docfetch.download: saved {emu.ids[0]}: " in line for line in lines)
    assert any(f" WARNING docfetch.download: failed {UNKNOWN}: NotFoundError: " in line for line in lines)
    assert any(" DEBUG docfetch.download: GET http://127.0.0.1:" in line for line in lines) == (
        numeric == logging.DEBUG
    )


def test_an_unknown_docfetch_log_value_is_ignored_with_a_warning(
    emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("telnyx", file_size=4096)
    done = run_script("import docfetch.telnyx\n", emu, tmp_path, DOCFETCH_LOG="verbose")
    assert done.returncode == 0
    assert "DOCFETCH_LOG='verbose' is not one of info, debug: ignored" in done.stderr
    assert "docfetch.http" not in done.stderr


# --- the hot path: nothing formatted while disabled ----------------------------------------------


@pytest.mark.parametrize("enabled", [False, True])
@pytest.mark.anyio
async def test_a_disabled_logger_formats_nothing(
    enabled: bool,
    emulator: EmulatorFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[str] = []
    for name in ("redact_url", "redact_text", "_headers", "_describe"):
        real = getattr(logs, name)

        def counted(*args: Any, real: Any = real, name: str = name, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(logs, name, counted)
    caplog.set_level(logging.DEBUG if enabled else logging.ERROR, logger="docfetch")
    emu = emulator("veridox", file_size=100_000, link_ttl=0.5, rate_limit_per_minute=6000)
    emu.faults.fail_next(1, 503, retry_after=0)  # a retry
    emu.faults.drop_next(1, after_bytes=10_000)  # a resumed transfer
    emu.faults.delay = 0.3  # links expire in the queue: renewed
    async with make_client("veridox", emu, "async", rate_limiter=TokenBucket(1, 1000.0)) as client:
        results = await client.download(
            [*emu.ids[:3], "01941f29-7cff-7000-8000-000000000000"], tmp_path, concurrency=1
        )
    assert [result.ok for result in results] == [True, True, True, False]
    if enabled:
        assert calls and caplog.records
    else:
        assert calls == [] and caplog.records == []


# --- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(("flag", "debug"), [("-v", False), ("--verbose", False), ("-vv", True)])
def test_cli_verbose_logs_on_stderr_and_never_into_stdout(
    flag: str, debug: bool, emulator: EmulatorFactory, tmp_path: Path
) -> None:
    emu = emulator("telnyx", file_size=4096)
    done = run_docfetch(emu, ["download", *emu.ids, UNKNOWN, "--out", str(tmp_path), "--jsonl", flag])
    assert done.returncode == 1
    entries = [json.loads(line) for line in done.stdout.splitlines()]  # stdout: only the results
    assert sorted(entry["status"] for entry in entries) == ["failed"] + ["saved"] * len(emu.ids)
    lines = done.stderr.splitlines()
    assert any(" INFO docfetch.http: GET " in line for line in lines)
    assert sum(" INFO docfetch.download: saved " in line for line in lines) == len(emu.ids)
    assert f"docfetch: {UNKNOWN}: " in done.stderr  # the failure line as without -v
    assert any(" DEBUG docfetch." in line for line in lines) == debug


def test_cli_without_verbose_prints_no_log(emulator: EmulatorFactory, tmp_path: Path) -> None:
    emu = emulator("telnyx", file_size=4096)
    done = run_docfetch(emu, ["download", *emu.ids, "--out", str(tmp_path)])
    assert done.returncode == 0 and done.stderr == ""
