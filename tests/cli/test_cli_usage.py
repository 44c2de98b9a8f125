"""Usage: --help on every command, --version, argument errors, and a fast start-up."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
from cli_helpers import clean_environment
from cli_helpers import run_cli
from docfetch import __version__
from docfetch import cli
from docfetch.cli.providers import PROVIDERS

COMMANDS = [
    [],
    ["emulate"],
    *([name] for name in PROVIDERS),
    *([name, action] for name in PROVIDERS for action in ("download", "links")),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "docfetch")
def test_every_command_has_help_with_an_example(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: docfetch {' '.join(command)}".rstrip())
    assert "example" in text
    assert f"$ docfetch {' '.join(command)}".rstrip() in text


@pytest.mark.parametrize("name", list(PROVIDERS))
def test_download_help_documents_the_decisions(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main([name, "download", "--help"])
    text = capsys.readouterr().out
    for needed in ("--timeout S", "(default 4)", "PATH<TAB>BYTES", "exit status", *PROVIDERS[name].variables):
        assert needed in text


def test_version_from_the_console_script_and_python_m() -> None:
    script = run_cli(["--version"], env=clean_environment())
    module = subprocess.run(
        [sys.executable, "-m", "docfetch", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert script.returncode == module.returncode == 0
    assert script.stdout == module.stdout == f"docfetch {__version__}\n"


@pytest.mark.parametrize(
    "args",
    [
        ["telnyx", "download", "6a09cdc3-8948-47f0-aa62-74ac943d6c58"],  # no --out
        ["telnyx", "download", "--out", "d"],  # no id
        ["telnyx", "download", "x", "--out", "d", "--concurrency", "0"],
        ["telnyx", "download", "x", "--out", "d", "--timeout", "-1"],
        ["telnyx", "download", "x", "--out", "d", "--timeout", "nan"],
        ["telnyx", "links"],
        ["nope", "download", "x"],
        ["telnyx"],
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(args)
    assert exit_info.value.code == 2
    assert "usage: docfetch" in capsys.readouterr().err


def test_start_up_imports_neither_rich_nor_http_nor_providers() -> None:
    probe = (
        "import sys, docfetch.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'rich', 'httpx', 'attrs'} "
        "or m.startswith('docfetch_') or m in {'docfetch.telnyx', 'docfetch.sarvam'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_help_tells_what_the_clients_do(provider: str) -> None:
    """The registry behind the help texts agrees with the client module."""
    info = PROVIDERS[provider]
    module = importlib.import_module(info.module)
    assert isinstance(getattr(module, info.client_class), type)
    assert getattr(module, "DEFAULT_BASE_URL", None) == info.default_base_url
