"""`docfetch PROVIDER download` and `docfetch PROVIDER links`: the handlers.

They use only the uniform part of the provider clients (DEVELOPING.md, "Provider clients"):
``check_ids``, the constructor, ``download`` and ``links``.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .providers import load_client_class
from .report import describe, error_line, print_download_results, print_links

if TYPE_CHECKING:
    import httpx

    from docfetch._provider import Link
    from docfetch.progress import LiveProgress

DEFAULT_CONCURRENCY = 4
DEFAULT_TIMEOUT = 600.0
MAX_READ_TIMEOUT = 30.0
MAX_CONNECT_TIMEOUT = 10.0


def http_timeout(seconds: float) -> httpx.Timeout:
    """`--timeout S` caps every network timeout: connect min(10, S), read/write/pool min(30, S)."""
    import httpx

    return httpx.Timeout(min(MAX_READ_TIMEOUT, seconds), connect=min(MAX_CONNECT_TIMEOUT, seconds))


def open_client(args: argparse.Namespace) -> tuple[Any, list[str]]:
    """The checked ids and a client: bad ids, a bad --out or missing credentials raise
    InvalidInputError here, before any request."""
    from docfetch._provider import check_dest_dir

    client_class = load_client_class(args.provider)
    ids: list[str] = client_class.check_ids(args.ids)
    if getattr(args, "out", None) is not None:
        check_dest_dir(args.out)
    return client_class(timeout=http_timeout(args.timeout)), ids


def _display(args: argparse.Namespace) -> AbstractContextManager[LiveProgress | None]:
    if not args.progress or not sys.stdout.isatty():
        return nullcontext()
    from rich.console import Console

    from docfetch.progress import LiveProgress

    return LiveProgress(Console(file=sys.stdout))


def run_download(args: argparse.Namespace) -> int:
    from docfetch.downloads import FileResult
    from docfetch.errors import DocfetchError, InvalidInputError

    client, ids = open_client(args)
    with client, _display(args) as display:
        try:
            results: list[FileResult] = client.download(
                ids,
                Path(args.out),
                overwrite=args.overwrite,
                concurrency=args.concurrency,
                progress=display.file_progress if display else None,
                on_status=display.job_state if display else None,
                wait_timeout=args.timeout,
            )
        except InvalidInputError:
            raise
        except DocfetchError as exc:  # the whole batch failed (e.g. refused credentials)
            results = [FileResult(item, error=exc) for item in dict.fromkeys(ids)]
    print_download_results(results, as_json=args.json)
    return 0 if all(result.ok for result in results) else 1


def run_links(args: argparse.Namespace) -> int:
    client, ids = open_client(args)
    with client:
        links, failures = _collect_links(client, ids)
    print_links(links)
    for item, reason in failures:
        error_line(f"{item}: {reason}")
    return 1 if failures else 0


def _collect_links(client: Any, ids: list[str]) -> tuple[list[Link], list[tuple[str, str]]]:
    """All links in one call; when that call fails, one call per id so the others still get theirs.
    An id the answer has no link for is a failure too."""
    from docfetch.errors import DocfetchError, InvalidInputError

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
