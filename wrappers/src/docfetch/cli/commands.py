"""`docfetch PROVIDER download` and `docfetch PROVIDER links`: the handlers.

They use only the interface every provider client shares (``DocumentClient``): ``check_ids``, the
constructor, ``iter_download`` and ``links``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from collections.abc import Iterator
from contextlib import AbstractContextManager
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from .ids import IdSource
from .providers import load_client_class
from .report import Format
from .report import Report
from .report import describe
from .report import error_line
from .report import print_links

if TYPE_CHECKING:
    import httpx

    from docfetch.cli.progress import LiveProgress
    from docfetch.core._sync.client import DocumentClient
    from docfetch.types import Link

DEFAULT_CONCURRENCY = 4
DEFAULT_TIMEOUT = 600.0
MAX_READ_TIMEOUT = 30.0
MAX_CONNECT_TIMEOUT = 10.0
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(BaseException):
    """SIGTERM arrived (raised in the main thread by the handler :func:`docfetch.cli.main` installs)."""


def http_timeout(seconds: float) -> httpx.Timeout:
    """`--timeout S` caps every network timeout: connect min(10, S), read/write/pool min(30, S)."""
    import httpx

    return httpx.Timeout(min(MAX_READ_TIMEOUT, seconds), connect=min(MAX_CONNECT_TIMEOUT, seconds))


def open_client(args: argparse.Namespace) -> tuple[DocumentClient, Iterable[str]]:
    """A client and the ids: bad ids, a bad --out or missing credentials raise InvalidInputError here,
    before any request."""
    from docfetch.core.settings import check_dest_dir

    client_class = load_client_class(args.provider)
    ids = IdSource(args.ids, getattr(args, "ids_from", None), client_class).checked()
    if getattr(args, "out", None) is not None:
        check_dest_dir(args.out)
    return client_class(timeout=http_timeout(args.timeout)), ids


def _display(args: argparse.Namespace) -> AbstractContextManager[LiveProgress | None]:
    if not args.progress or not sys.stdout.isatty() or _logging_to_stderr():
        return nullcontext()
    from rich.console import Console

    from docfetch.cli.progress import LiveProgress

    return LiveProgress(Console(file=sys.stdout))


def run_download(args: argparse.Namespace) -> int:
    from docfetch.errors import DocfetchError
    from docfetch.errors import InvalidInputError
    from docfetch.types import FileResult

    client, ids = open_client(args)
    code = 0
    with client, _display(args) as display:
        # Under the live display, stdout lines wait for its end (it redraws over anything printed).
        form: Format = "json" if args.json else "jsonl" if args.jsonl else "plain"
        report = Report(form, hold=display is not None, archive=args.archive is not None)
        pending = _Pending(ids)
        stream = client.iter_download(
            pending,
            Path(args.out),
            overwrite=args.overwrite,
            concurrency=args.concurrency,
            progress=display.file_progress if display else None,
            on_status=display.job_state if display else None,
            wait_timeout=args.timeout,
            archive=args.archive,
            verify_existing=args.verify_existing,
        )
        try:
            with stream:
                for result in stream:
                    pending.done(result.id)
                    report.add(result)
        except InvalidInputError:
            raise
        except DocfetchError as exc:  # the whole run failed (e.g. refused credentials)
            for item in pending.unreported():
                report.add(FileResult(item, error=exc))
        except KeyboardInterrupt:
            code = EXIT_INTERRUPTED
        except Terminated:
            code = EXIT_TERMINATED
        for result in stream.unreported:  # files put in place while the run was being stopped
            report.add(result)
    report.finish()
    if code:
        error_line("interrupted" if code == EXIT_INTERRUPTED else "terminated")
        return code
    return 0 if report.all_ok else EXIT_FAILED


def _logging_to_stderr() -> bool:
    """-v or DOCFETCH_LOG: log lines on stderr, which a live display would redraw over (or redirect)."""
    logs = sys.modules.get("docfetch.core.logs")  # never imported: nothing is logged to stderr
    return logs is not None and bool(logs.logging_to_stderr())


class _Pending:
    """The ids handed to the run, and which of them have a result: after a failure of the whole run,
    the ids given as arguments that got none are reported as failed (a stream of ids is not kept)."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._ids = ids
        self._listed = list(dict.fromkeys(ids)) if isinstance(ids, list) else []
        self._reported: set[str] = set()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def done(self, item: str) -> None:
        if self._listed:
            self._reported.add(item)

    def unreported(self) -> list[str]:
        return [item for item in self._listed if item not in self._reported]


def run_links(args: argparse.Namespace) -> int:
    client, ids = open_client(args)
    with client:
        links, failures = _collect_links(client, list(ids))
    print_links(links)
    for item, reason in failures:
        error_line(f"{item}: {reason}")
    return EXIT_FAILED if failures else 0


def _collect_links(client: DocumentClient, ids: list[str]) -> tuple[list[Link], list[tuple[str, str]]]:
    """All links in one call; when that call fails, one call per id so the others still get theirs.
    An id the answer has no link for is a failure too."""
    from docfetch.errors import DocfetchError
    from docfetch.errors import InvalidInputError

    unique = list(dict.fromkeys(ids))
    links: list[Link] = []
    failures: list[tuple[str, str]] = []
    try:
        links = list(client.links(unique))
    except InvalidInputError:
        raise
    except DocfetchError as exc:
        if len(unique) == 1:
            return [], [(unique[0], describe(exc))]
        for item in unique:
            try:
                links.extend(client.links([item]))
            except InvalidInputError:
                raise
            except DocfetchError as one:
                failures.append((item, describe(one)))
    answered = {link.id for link in links} | {item for item, _ in failures}
    failures += [(item, "no download link returned") for item in unique if item not in answered]
    return links, failures
