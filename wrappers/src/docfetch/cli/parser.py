"""The argument parser and every --help text (argparse: fast to import)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import TypeVar

from docfetch import __version__

from .commands import DEFAULT_CONCURRENCY
from .commands import DEFAULT_TIMEOUT
from .commands import MAX_CONNECT_TIMEOUT
from .commands import MAX_READ_TIMEOUT
from .commands import run_download
from .commands import run_links
from .emulate import add_emulate
from .providers import PROVIDERS
from .providers import ProviderFacts

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

N = TypeVar("N", int, float)
FORMATTER = argparse.RawDescriptionHelpFormatter
DESCRIPTION = "Download documents from Sarvam, Index Health, Telnyx, Veridox and API2Convert."
TOP_EPILOG = """\
examples:
  $ export TELNYX_API_KEY=KEY...
  $ docfetch telnyx download 6a09cdc3-8948-47f0-aa62-74ac943d6c58 --out docs
  docs/contract.pdf\t65536
  $ docfetch veridox links 01941f29-7c00-70ce-a7da-bb2f2de2619c
  $ docfetch telnyx download --help      # options, output, exit status, environment
"""
DOWNLOAD_EXIT_STATUS = """\
exit status:
  0    every file saved (or, with --archive, skipped as saved before)
  1    something failed: each failure is one line on stderr; what could be saved is saved
  2    usage error or bad input (malformed id, missing credentials, unusable --out): nothing was sent
  130  interrupted (SIGINT), 143 terminated (SIGTERM): stopped within 2 s, what was saved so far is
       reported, and no partial file is left
"""
LINKS_EXIT_STATUS = """\
exit status:
  0  a link for every ID
  1  some IDs failed: one line each on stderr ("docfetch: ID: reason"); stdout still holds the list
  2  usage error or bad input (malformed id, missing credentials): nothing was sent
"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``command`` naming a provider, only that provider's part (what parsing a
    command line starting with it needs: building all five takes longer than the parse)."""
    parser = argparse.ArgumentParser(
        prog="docfetch", description=DESCRIPTION, epilog=TOP_EPILOG, formatter_class=FORMATTER
    )
    parser.add_argument("--version", action="version", version=f"docfetch {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    if command is not None and command in PROVIDERS:
        _add_provider(commands, PROVIDERS[command])
        return parser
    for info in PROVIDERS.values():
        _add_provider(commands, info)
    add_emulate(commands)
    return parser


# --- argument types ------------------------------------------------------------------------------


def _number(
    convert: Callable[[str], N], what: str, fits: Callable[[N], bool], needs: str
) -> Callable[[str], N]:
    """An argparse type: ``convert`` the text, and keep only values that ``fit``."""

    def parse(text: str) -> N:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None
        if not fits(value):
            raise argparse.ArgumentTypeError(f"must be {needs}, not {text}")
        return value

    return parse


_positive_int = _number(int, "a whole number", lambda value: value >= 1, "at least 1")
_positive_seconds = _number(  # 0 < value < inf also rejects NaN
    float, "a number of seconds", lambda value: 0 < value < float("inf"), "a positive number of seconds"
)


# --- help texts ----------------------------------------------------------------------------------


def _environment(info: ProviderFacts) -> str:
    lines = [f"  {name:<26} required" for name in info.credentials.values()]
    if "user" in info.credentials:
        lines[-1] += ": a JSON object, e.g."
        lines.append(" " * 29 + '{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}')
    default = f"default {info.default_base_url}" if info.default_base_url else "required (no public default)"
    lines.append(f"  {info.base_url_env:<26} {default}")
    return "environment:\n" + "\n".join(lines) + "\n"


def _timeout_help(*, waits_for_jobs: bool, transfers: bool) -> str:
    caps = (
        f"caps the network timeouts: connect min({MAX_CONNECT_TIMEOUT:g}, S), "
        f"each read min({MAX_READ_TIMEOUT:g}, S)"
    )
    what = f"seconds to wait for the jobs to end; also {caps}" if waits_for_jobs else f"seconds: {caps}"
    never_cut = " A transfer that keeps receiving data is never cut." if transfers else ""
    return f"{what}.{never_cut} (default {DEFAULT_TIMEOUT:g})"


def _example(info: ProviderFacts, action: str, suffix: str = "") -> str:
    return f"  $ docfetch {info.name} {action} {' '.join(info.example_ids)}{suffix}\n"


# --- commands ------------------------------------------------------------------------------------


def _add_provider(commands: Commands, info: ProviderFacts) -> None:
    provider = commands.add_parser(
        info.name,
        help=f"{info.title}: download, links",
        description=f"{info.title}. ID: {info.id_help}.",
        epilog=f"{_environment(info)}\nexamples:\n{_example(info, 'download', ' --out docs')}"
        f"{_example(info, 'links')}",
        formatter_class=FORMATTER,
    )
    actions = provider.add_subparsers(dest="action", required=True, metavar="ACTION")
    _add_download(actions, info)
    _add_links(actions, info)


def _action(
    actions: Commands, name: str, summary: str, description: str, epilog: str
) -> argparse.ArgumentParser:
    return actions.add_parser(
        name, help=summary, description=description, epilog=epilog, formatter_class=FORMATTER
    )


def _add_download(actions: Commands, info: ProviderFacts) -> None:
    waiting = "job states while waiting, then " if info.waits_for_jobs else ""
    epilog = (
        "output:\n"
        "  stdout: one line per saved file, PATH<TAB>BYTES, as each is saved\n"
        "  (with --jsonl, one JSON object per result as it is final; with --json, one report at the end)\n"
        '  stderr: one line per failure, "docfetch: ID: reason"\n'
        "  display: on a terminal only (not with --no-progress), erased at the end:\n"
        f"  {waiting}per-file and total bytes, rate and time left\n"
        f"\n{DOWNLOAD_EXIT_STATUS}\n{_environment(info)}\n"
        f"example:\n{_example(info, 'download', ' --out docs')}  docs/<file name>\t<bytes>\n"
    )
    waits = "\nWaits for each job to reach a terminal state first." if info.waits_for_jobs else ""
    download = _action(
        actions, "download", "save the files into a directory", f"Save {info.files} into DIR.{waits}", epilog
    )
    download.add_argument("ids", nargs="*", metavar="ID", help=f"{info.id_help} (any number)")
    download.add_argument(
        "--ids-from",
        metavar="FILE",
        help="read more ids from FILE, one per line ('-': stdin; blank lines and # comments ignored)",
    )
    download.add_argument(
        "--out", required=True, metavar="DIR", help="directory to save into (created if missing)"
    )
    form = download.add_mutually_exclusive_group()
    form.add_argument(
        "--json",
        action="store_true",
        help='print one report on stdout at the end: {"saved": [{"id", "path", "bytes", "sha256"}], '
        '"failed": [{"id", "error"}]} (with --archive also "skipped", as "saved")',
    )
    form.add_argument(
        "--jsonl",
        action="store_true",
        help='print one JSON object per line as each result is final: {"id", "status": "saved", "path", '
        '"bytes", "sha256"} ("skipped" with --archive) or {"id", "status": "failed", "error"}',
    )
    download.add_argument(
        "--overwrite",
        action="store_true",
        help="replace files that exist (default: an existing file is left as it is and reported as a failure)",
    )
    download.add_argument(
        "--concurrency",
        type=_positive_int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"files downloaded at once (default {DEFAULT_CONCURRENCY})",
    )
    download.add_argument(
        "--archive",
        metavar="FILE",
        help="a download archive (SQLite): files it records as saved and still present are skipped "
        "(reported as skipped, no request sent), a killed run's transfers resume, and runs sharing it "
        "never fetch the same file at once",
    )
    download.add_argument(
        "--verify-existing",
        action="store_true",
        help="with --archive: also hash each skipped file and fetch again any that differs",
    )
    _add_timeout(download, waits_for_jobs=info.waits_for_jobs, transfers=True)
    download.add_argument("--no-progress", dest="progress", action="store_false", help="no live display")
    _add_debug(download)
    download.set_defaults(handler=run_download, provider=info.name)


def _add_links(actions: Commands, info: ProviderFacts) -> None:
    epilog = (
        "output:\n"
        '  stdout: a JSON list, one entry per file: [{"id", "name", "url", "expires_at"}]\n'
        "  (expires_at: ISO 8601, or null when unknown). The URLs are signed: treat them as secrets.\n"
        f"\n{LINKS_EXIT_STATUS}\n{_environment(info)}\nexample:\n{_example(info, 'links')}"
    )
    links = _action(
        actions,
        "links",
        "print download links as JSON",
        f"Print signed download links for {info.files}.",
        epilog,
    )
    links.add_argument("ids", nargs="+", metavar="ID", help=info.id_help)
    links.set_defaults(ids_from=None)
    _add_timeout(links, waits_for_jobs=False, transfers=False)
    _add_debug(links)
    links.set_defaults(handler=run_links, provider=info.name)


def _add_timeout(parser: argparse.ArgumentParser, *, waits_for_jobs: bool, transfers: bool) -> None:
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=_timeout_help(waits_for_jobs=waits_for_jobs, transfers=transfers),
    )


def _add_debug(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log what happens on stderr (API requests, retries, renewals, one line per file; no live "
        "display); -vv: debug detail. Never credentials, tokens or signed URLs. Also DOCFETCH_LOG=info|debug",
    )
