"""Where the ids of a command come from: arguments, and ``--ids-from FILE`` (``-`` for stdin).

One id per line; blank lines and comments (``#`` at the start of a line, or after whitespace) are
ignored. Ids given as arguments, and every line of a regular file, are checked before any request
(exit 2 naming the file and line); the file is then read again as the run goes, so millions of
lines never sit in memory. Lines from stdin cannot be read twice: each is checked as it is read,
and a bad one is reported as that id's failure.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from typing import TextIO

if TYPE_CHECKING:
    from docfetch.core._sync.client import DocumentClient

STDIN = "-"
_TRAILING_COMMENT = re.compile(r"\s+#.*$")


def ids_in(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(line number, id) for each line that holds one."""
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text[0] == "#":
            continue
        if "#" in text:  # a comment after the id
            text = _TRAILING_COMMENT.sub("", text)
        yield number, text


class IdSource:
    """The ids of one command (see the module docstring)."""

    def __init__(
        self, given: Sequence[str], ids_from: str | None, client_class: type[DocumentClient]
    ) -> None:
        self._given = list(given)
        self._from = ids_from
        self._client_class = client_class

    def checked(self) -> Iterable[str]:
        """The ids, checked as far as they can be before any request."""
        from docfetch.errors import InvalidInputError

        given = self._client_class.check_ids(self._given) if self._given else []
        if self._from is None:
            if not given:
                raise InvalidInputError("no id given: pass ids as arguments or --ids-from FILE")
            return given
        if self._from == STDIN:
            return self._chain(given, (text for _, text in ids_in(sys.stdin)))
        path = Path(self._from)
        with _open(path) as handle:
            found = 0
            check = self._client_class.check_id
            for number, text in ids_in(handle):
                try:
                    check(text)
                except InvalidInputError as exc:
                    raise InvalidInputError(f"{path}, line {number}: {exc}") from None
                found += 1
        if not found and not given:
            raise InvalidInputError(
                f"{path} holds no id (one per line; blank lines and # comments are ignored)"
            )
        return self._chain(given, self._reread(path))

    @staticmethod
    def _chain(given: list[str], more: Iterable[str]) -> Iterator[str]:
        yield from given
        yield from more

    @staticmethod
    def _reread(path: Path) -> Iterator[str]:
        with _open(path) as handle:
            for _, text in ids_in(handle):
                yield text


def _open(path: Path) -> TextIO:
    from docfetch.errors import InvalidInputError

    try:
        return path.open(encoding="utf-8")
    except OSError as exc:
        raise InvalidInputError(f"--ids-from {str(path)!r}: {exc.strerror or exc}") from None
