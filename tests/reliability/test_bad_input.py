"""Bad input from the user: malformed ids, empty lists, missing credentials, an unreachable host, a
destination that is a file or not writable. Each is a clear, typed error; the ones detectable before any
request send none, and the command line exits 2 for them (1 for an unreachable host, found by trying).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from docfetch.cli import main
from docfetch.cli.providers import PROVIDERS
from docfetch.cli.providers import environment_for
from docfetch.emulators import RunningEmulator
from docfetch.errors import ConnectError
from docfetch.errors import InvalidInputError
from docfetch.errors import MissingCredentialsError
from docfetch.errors import TransportError
from rel_kits import Kit
from rel_kits import assert_clean
from rel_kits import download
from rel_ledger import Ledger

pytestmark = pytest.mark.reliability("input")


class Cli:
    """The command line run in-process (``docfetch.cli.main``) with the emulator's environment."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.monkeypatch = monkeypatch
        self.capsys = capsys

    def use(
        self, emu: RunningEmulator, *, without: tuple[str, ...] = (), base_url: str | None = None
    ) -> None:
        for variable, value in environment_for(emu.info()).items():
            if variable not in without:
                self.monkeypatch.setenv(variable, value)
        if base_url is not None:
            self.monkeypatch.setenv(PROVIDERS[emu.provider].base_url_env, base_url)

    def run(self, *argv: str) -> tuple[int, str]:
        """(exit code, stderr); argparse's own usage errors exit through SystemExit."""
        try:
            code = main(list(argv))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        return code, self.capsys.readouterr().err


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cli_limits: None) -> Cli:
    return Cli(monkeypatch, capsys)


def closed_port_url() -> str:
    """http://127.0.0.1:<port> where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A directory this process cannot write into: mode 0500, or (as root, which ignores modes) a
    read-only kernel directory."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):
            yield locked / "out"
        elif Path("/proc/sys").is_dir() and not os.access("/proc/sys", os.W_OK):
            yield Path("/proc/sys/docfetch-reliability/out")
        else:
            pytest.skip("running as a user who may write everywhere")
    finally:
        locked.chmod(0o700)


def test_malformed_ids_are_refused_before_any_request(
    kit: Kit, emu: RunningEmulator, dest: Path, cli: Cli, ledger: Ledger
) -> None:
    before = len(emu.api_requests)
    cli.use(emu)
    for bad in kit.malformed_ids:
        with pytest.raises(InvalidInputError):
            kit.client_class().check_ids([bad])
        with kit.client(emu) as client, pytest.raises(InvalidInputError) as caught:
            client.download([bad], dest)
        assert repr(bad) in str(caught.value)  # the message names the id the user must fix
        code, err = cli.run(kit.name, "download", bad, "--out", str(dest), "--no-progress")
        assert code == 2, err
        assert err.startswith("docfetch: error:") and repr(bad) in err, err
        ledger.run("input", "malformed id: InvalidInputError, CLI exit 2")
    assert len(emu.api_requests) == before, "nothing was sent"
    assert not dest.exists()


def test_empty_id_lists_are_refused(
    kit: Kit, emu: RunningEmulator, dest: Path, cli: Cli, ledger: Ledger
) -> None:
    before = len(emu.api_requests)
    with kit.client(emu) as client:
        with pytest.raises(InvalidInputError, match=r"no .*given|at least one"):
            client.download([], dest)
        with pytest.raises(InvalidInputError, match=r"no .*given|at least one"):
            client.links([])
    cli.use(emu)
    code, err = cli.run(kit.name, "download", "--out", str(dest))
    assert code == 2 and "ID" in err
    assert len(emu.api_requests) == before
    ledger.run("input", "empty id list: InvalidInputError, CLI exit 2")


def test_missing_credentials_name_the_variable(
    kit: Kit, emu: RunningEmulator, dest: Path, cli: Cli, ledger: Ledger
) -> None:
    [item] = kit.fresh(emu, 1)
    before = len(emu.api_requests)
    for variable in PROVIDERS[kit.name].credentials.values():
        for set_before in PROVIDERS[kit.name].variables:  # only what this iteration gives
            cli.monkeypatch.delenv(set_before, raising=False)
        with pytest.raises(MissingCredentialsError) as caught:
            kit.client_class()(**{**_credentials_without(kit, emu, variable), "base_url": emu.base_url})
        assert caught.value.env_var == variable and variable in str(caught.value)
        cli.use(emu, without=(variable,))
        code, err = cli.run(kit.name, "download", item, "--out", str(dest))
        assert code == 2 and variable in err, err
        cli.monkeypatch.setenv(variable, "")  # set but empty counts as missing too
        code, err = cli.run(kit.name, "links", item)
        assert code == 2 and variable in err, err
        ledger.run("input", "missing credential: MissingCredentialsError naming it, CLI exit 2")
    assert len(emu.api_requests) == before
    assert not dest.exists()


def _credentials_without(kit: Kit, emu: RunningEmulator, variable: str) -> dict[str, object]:
    keys = {v: k for k, v in PROVIDERS[kit.name].credentials.items()}
    return {k: v for k, v in emu.credentials.items() if k != keys[variable]}


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_an_unreachable_host_is_a_connect_error(
    kit: Kit, emu: RunningEmulator, dest: Path, ledger: Ledger, asynchronous: bool
) -> None:
    [item] = kit.fresh(emu, 1)
    try:
        errors = [
            r.error
            for r in download(
                kit,
                emu,
                [item],
                dest,
                asynchronous=asynchronous,
                client_options={"base_url": closed_port_url()},
            )
        ]
    except TransportError as raised:
        errors = [raised]
    # Refused at once: a ConnectError, never a timeout (nothing listens, so there is nothing to wait for).
    assert errors and all(type(e) is ConnectError for e in errors), errors
    assert all("connect" in str(e).lower() for e in errors)
    assert_clean(dest, [])
    ledger.run("input", "unreachable host: ConnectError")


def test_an_unreachable_host_on_the_command_line_exits_1(
    kit: Kit, emu: RunningEmulator, dest: Path, cli: Cli, ledger: Ledger
) -> None:
    [item] = kit.fresh(emu, 1)
    cli.use(emu, base_url=closed_port_url())
    code, err = cli.run(kit.name, "download", item, "--out", str(dest), "--no-progress")
    assert code == 1 and "connect" in err.lower(), err
    assert_clean(dest, [])
    ledger.run("input", "unreachable host: CLI exit 1 with a connect error")


def test_a_destination_that_is_a_file_is_refused(
    kit: Kit, emu: RunningEmulator, tmp_path: Path, cli: Cli, ledger: Ledger
) -> None:
    [item] = kit.fresh(emu, 1)
    target = tmp_path / "not-a-dir"
    target.write_bytes(b"keep me")
    before = len(emu.api_requests)
    for where in (target, target / "below"):
        with (
            kit.client(emu) as client,
            pytest.raises(InvalidInputError, match=r"not a directory|not writable"),
        ):
            client.download([item], where)
        cli.use(emu)
        code, err = cli.run(kit.name, "download", item, "--out", str(where))
        assert code == 2, err
    assert target.read_bytes() == b"keep me"
    assert len(emu.api_requests) == before
    ledger.run("input", "destination is a file: InvalidInputError, CLI exit 2")


@pytest.mark.may_skip("a user whom neither file modes nor a read-only /proc/sys stop cannot test this")
def test_a_destination_that_is_not_writable_is_refused(
    kit: Kit, emu: RunningEmulator, unwritable: Path, cli: Cli, ledger: Ledger
) -> None:
    [item] = kit.fresh(emu, 1)
    before = len(emu.api_requests)
    with kit.client(emu) as client, pytest.raises(InvalidInputError, match="not writable"):
        client.download([item], unwritable)
    cli.use(emu)
    code, err = cli.run(kit.name, "download", item, "--out", str(unwritable))
    assert code == 2 and "not writable" in err, err
    assert len(emu.api_requests) == before
    ledger.run("input", "destination not writable: InvalidInputError, CLI exit 2")


@pytest.mark.kits("telnyx")
def test_the_installed_command_exits_2_for_bad_input(kit: Kit, tmp_path: Path, ledger: Ledger) -> None:
    """The real process exit status (not just main()'s return value), with no credentials at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELNYX_",))}
    env["TELNYX_API_KEY"] = "KEY0123456789"
    env["TELNYX_BASE_URL"] = closed_port_url()  # were anything sent, it would fail differently (exit 1)
    command = [
        sys.executable,
        "-m",
        "docfetch",
        "telnyx",
        "download",
        "not-a-uuid",
        "--out",
        str(tmp_path / "o"),
    ]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert finished.returncode == 2, finished.stderr
    assert "not-a-uuid" in finished.stderr
    ledger.run("input", "installed command: exit status 2")
