"""What the command line prints: results on stdout, one readable line per problem on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from docfetch._provider import Link
    from docfetch.downloads import FileResult

PROG = "docfetch"


def one_line(text: str) -> str:
    """Collapse whitespace so each message stays one line (provider messages may hold newlines)."""
    return " ".join(text.split())


def describe(error: BaseException) -> str:
    """A readable one-line description: the message, or the exception's class when it has none."""
    from docfetch.errors import DestinationExistsError, MissingCredentialsError

    # Say it with the command line's words: its options and variables, not the library's keywords.
    if isinstance(error, DestinationExistsError) and error.path is not None:
        return f"{error.path} exists (pass --overwrite to replace it)"
    if isinstance(error, MissingCredentialsError) and error.provider:
        return f"{error.provider}: set the environment variable {error.env_var} (see: docfetch {error.provider} --help)"
    message = one_line(str(error))
    return message or type(error).__name__


def error_line(message: str, *, stream: TextIO | None = None) -> None:
    print(f"{PROG}: {one_line(message)}", file=stream or sys.stderr, flush=True)


def download_report(results: Sequence[FileResult]) -> dict[str, list[dict[str, Any]]]:
    """The `--json` document: {"saved": [{id, path, bytes, sha256}], "failed": [{id, error}]}."""
    saved = [
        {"id": r.id, "path": str(r.path), "bytes": r.bytes, "sha256": r.sha256}
        for r in results
        if r.error is None
    ]
    failed = [{"id": r.id, "error": describe(r.error)} for r in results if r.error is not None]
    return {"saved": saved, "failed": failed}


def print_download_results(results: Sequence[FileResult], *, as_json: bool) -> None:
    """Stdout: the JSON report, or one `PATH<TAB>BYTES` line per saved file. Stderr: failures, warnings."""
    for result in results:
        if result.error is not None:
            error_line(f"{result.id}: {describe(result.error)}")
        elif result.warning:
            error_line(f"warning: {result.id}: {result.warning}")
    if as_json:
        print(json.dumps(download_report(results), indent=2))
    else:
        for result in results:
            if result.error is None:
                print(f"{result.path}\t{result.bytes}")
    sys.stdout.flush()


def print_links(links: Sequence[Link]) -> None:
    print(json.dumps([link.to_json() for link in links], indent=2))
    sys.stdout.flush()
