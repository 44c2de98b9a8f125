"""What the command line prints: results on stdout, one readable line per problem on stderr."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING
from typing import Any
from typing import Literal
from typing import TextIO

if TYPE_CHECKING:
    from docfetch.types import FileResult
    from docfetch.types import Link

PROG = "docfetch"
Format = Literal["plain", "json", "jsonl"]


def one_line(text: str) -> str:
    """Collapse whitespace so each message stays one line (provider messages may hold newlines)."""
    return " ".join(text.split())


def describe(error: BaseException) -> str:
    """A readable one-line description: the message, or the exception's class when it has none."""
    from docfetch.errors import DestinationExistsError
    from docfetch.errors import MissingCredentialsError
    from docfetch.errors import TLSVerificationError

    # Say it with the command line's words: its options and variables, not the library's keywords.
    if isinstance(error, DestinationExistsError) and error.path is not None:
        return f"{error.path} exists (pass --overwrite to replace it)"
    if isinstance(error, TLSVerificationError):
        where = f" for {error.origin}" if error.origin else ""
        return (
            f"TLS certificate verification failed{where}: {one_line(error.reason)} "
            "(set SSL_CERT_FILE to a PEM file of the CA that signed the server's certificate)"
        )
    if isinstance(error, MissingCredentialsError) and error.provider:
        return f"{error.provider}: set the environment variable {error.env_var} (see: docfetch {error.provider} --help)"
    message = one_line(str(error))
    return message or type(error).__name__


def error_line(message: str, *, stream: TextIO | None = None) -> None:
    print(f"{PROG}: {one_line(message)}", file=stream or sys.stderr, flush=True)


def saved_entry(result: FileResult) -> dict[str, Any]:
    return {"id": result.id, "path": str(result.path), "bytes": result.bytes, "sha256": result.sha256}


def failed_entry(result: FileResult) -> dict[str, Any]:
    assert result.error is not None
    return {"id": result.id, "error": describe(result.error)}


class Report:
    """Results as they come: stderr gets each failure and warning at once; stdout gets a
    ``PATH<TAB>BYTES`` line per saved file (plain) or one JSON object per result (``jsonl``), flushed
    as each result is final (held until the end while a live display draws), or one JSON document at
    the end (``json``)."""

    def __init__(self, form: Format, *, hold: bool = False, archive: bool = False) -> None:
        self.form = form
        self.hold = hold  # print the stdout lines at the end (a live display is drawing meanwhile)
        self.held: list[str] = []
        self.all_ok = True
        self.archive = archive  # the json document then lists the skipped files too
        self.saved: list[dict[str, Any]] = []  # kept for the json document only
        self.skipped: list[dict[str, Any]] = []
        self.failed: list[dict[str, Any]] = []

    def add(self, result: FileResult) -> None:
        if result.error is not None:
            self.all_ok = False
            entry = failed_entry(result)
            error_line(f"{result.id}: {entry['error']}")
            self._emit(self.failed, {"id": entry["id"], "status": "failed", "error": entry["error"]}, None)
            return
        if result.warning:
            error_line(f"warning: {result.id}: {result.warning}")
        entry = saved_entry(result)
        kept = self.skipped if result.skipped else self.saved
        self._emit(
            kept, {"id": entry["id"], "status": result.status, **entry}, f"{result.path}\t{result.bytes}"
        )

    def _emit(self, kept: list[dict[str, Any]], entry: dict[str, Any], plain: str | None) -> None:
        if self.form == "json":
            kept.append({key: value for key, value in entry.items() if key != "status"})
        elif self.form == "jsonl":
            self._print(json.dumps(entry))
        elif plain is not None:
            self._print(plain)

    def _print(self, line: str) -> None:
        if self.hold:
            self.held.append(line)
        else:
            print(line, flush=True)

    def finish(self) -> None:
        for line in self.held:
            print(line)
        if self.form == "json":
            document = {"saved": self.saved, "failed": self.failed}
            if self.archive:
                document = {"saved": self.saved, "skipped": self.skipped, "failed": self.failed}
            print(json.dumps(document, indent=2))
        sys.stdout.flush()


def print_links(links: Sequence[Link]) -> None:
    print(json.dumps([link.to_json() for link in links], indent=2))
    sys.stdout.flush()
