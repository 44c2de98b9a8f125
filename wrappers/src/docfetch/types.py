"""The public types of downloads: what a download is given (items, checksums) and gives back (saved
files, per-item results, links).

Plain attrs classes without I/O, so a provider module can use them without loading the download
engine (httpx, asyncio).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal

import attrs

from docfetch.errors import ChecksumMismatchError
from docfetch.errors import DocfetchError
from docfetch.errors import InvalidInputError

if TYPE_CHECKING:
    from docfetch.core._async.engine import AsyncOpener
    from docfetch.core._async.engine import AsyncUrlSource
    from docfetch.core._sync.engine import Opener
    from docfetch.core._sync.engine import UrlSource

Dest = str | os.PathLike[str]
"""A destination directory."""

StatusCallback = Callable[[str, str], None]
"""``on_status(job_id, state)``: a job's state changed while docfetch waits for it."""

ProgressCallback = Callable[[str, int, "int | None"], None]
"""``progress(file_id, bytes_done, bytes_total_or_None)``; called per chunk and on restarts."""

Verifier = Callable[[Path, Path], None]
"""``verify(part_file, destination)``: a last check of the complete part file before it is placed;
raising (a :class:`~docfetch.errors.DownloadError`) rejects it, and the destination is left untouched."""

ChecksumAlgorithm = Literal["md5", "sha1", "sha256", "sha512"]
HEX_LENGTHS: dict[ChecksumAlgorithm, int] = {"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}
"""The checksum algorithms docfetch verifies, with the length of their hex digests."""
ALGORITHM_OF_LENGTH: dict[int, ChecksumAlgorithm] = {length: name for name, length in HEX_LENGTHS.items()}
"""The algorithm a hex digest of that many characters comes from."""
_HEX = frozenset("0123456789abcdef")


def _normalise_hex(value: str) -> str:
    return str(value).strip().lower()


@attrs.frozen
class Checksum:
    """A published digest to verify: ``Checksum("sha256", "ab12...")`` (hex, any case; md5, sha1, sha256
    or sha512). A download computes sha256 (for :class:`SavedFile`) and only the one other it needs."""

    algorithm: ChecksumAlgorithm
    hexdigest: str = attrs.field(converter=_normalise_hex)

    def __attrs_post_init__(self) -> None:
        length = HEX_LENGTHS.get(self.algorithm)
        if length is None:
            known = ", ".join(HEX_LENGTHS)
            raise InvalidInputError(f"unsupported checksum algorithm {self.algorithm!r} ({known})")
        if len(self.hexdigest) != length or not _HEX.issuperset(self.hexdigest):
            raise InvalidInputError(
                f"{self.algorithm} checksum must be {length} hex digits: {self.hexdigest!r}"
            )

    def check(self, actual: str, path: Path, what: str) -> None:
        """Raise :class:`~docfetch.errors.ChecksumMismatchError` unless ``actual`` (hex, of ``what``, e.g.
        the file's name) is this digest."""
        if actual != self.hexdigest:
            raise ChecksumMismatchError(
                f"{self.algorithm} of {what} is {actual}, expected {self.hexdigest}",
                algorithm=self.algorithm,
                expected=self.hexdigest,
                actual=actual,
                path=path,
            )


@attrs.frozen
class SavedFile:
    """A verified file in place: where, how many bytes, and its sha256 (hex)."""

    path: Path
    bytes: int
    sha256: str


@attrs.frozen
class DownloadItem:
    """One file of a batch. Give exactly one of ``url`` and ``open``.

    ``url`` may be a callable returning a fresh signed URL (called first and again on expiry);
    in an async batch it may also be a coroutine function.
    ``open`` is an :data:`Opener` (sync batch) or :data:`AsyncOpener` (async batch).
    ``headers`` are sent to the URL's own origin only (never across a redirect to another host).
    ``verify`` (a :data:`Verifier`) checks what size and checksum cannot (e.g. a digest of decoded bytes).
    """

    id: str
    url: UrlSource | AsyncUrlSource | None = None
    open: Opener | AsyncOpener | None = None
    name: str | None = None
    expected_size: int | None = None
    checksum: Checksum | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    verify: Verifier | None = None

    def __attrs_post_init__(self) -> None:
        if (self.url is None) == (self.open is None):
            raise InvalidInputError(f"download item {self.id!r}: give exactly one of url and open")


@attrs.frozen
class FileResult:
    """The outcome of one item of a batch: a saved file, or the error that stopped it.

    ``warning`` flags a saved file that is complete but whose content the provider reports as
    partial (e.g. a Sarvam job whose output lacks failed pages); it never accompanies ``error``.
    ``skipped``: the file was not fetched because a download archive says an earlier run saved it
    (and it is still there); ``path``, ``bytes`` and ``sha256`` are the recorded ones.
    """

    id: str
    path: Path | None = None
    bytes: int = 0
    sha256: str | None = None
    error: DocfetchError | None = None
    warning: str | None = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> Literal["saved", "skipped", "failed"]:
        return "failed" if self.error is not None else "skipped" if self.skipped else "saved"

    @classmethod
    def saved(cls, item_id: str, saved: SavedFile) -> FileResult:
        return cls(item_id, saved.path, saved.bytes, saved.sha256)

    def saved_file(self) -> SavedFile:
        """The saved file, or this result's error raised (for calls that save exactly one file)."""
        if self.error is not None:
            raise self.error
        assert self.path is not None and self.sha256 is not None
        return SavedFile(self.path, self.bytes, self.sha256)


@attrs.frozen
class Planned:
    """A provider's plan for one file of a batch: the ``item`` to download for ``owner`` (the id the
    caller gave, which becomes ``FileResult.id``), with a ``warning`` to attach once it is saved.
    ``key`` names the file among its owner's files (a job's output id or name); None for an owner
    that has one file."""

    item: DownloadItem
    owner: str
    warning: str | None = None
    key: str | None = None


@attrs.frozen
class Link:
    """A download link for one file: what `docfetch PROVIDER links` prints."""

    id: str
    name: str | None
    url: str
    expires_at: datetime | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }
