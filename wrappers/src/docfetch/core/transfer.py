"""State shared by the sync and async download drivers: the part file and every decision.

The drivers in ``core/_async/engine.py`` (and its generated sync twin) only do I/O (open a response, iterate its raw bytes,
sleep); what a status means, when to resume, restart, refresh or give up, and how the file is
verified and placed is decided here, once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import httpx

from docfetch.core import logs
from docfetch.core.filenames import filename_from_content_disposition
from docfetch.core.filenames import filename_from_url
from docfetch.core.filenames import first_name
from docfetch.core.filenames import known_extension
from docfetch.core.filenames import with_extension
from docfetch.core.hints import retry_delay
from docfetch.core.partfile import PartFile
from docfetch.core.retry import RetryPolicy
from docfetch.core.retry import map_transport_error
from docfetch.core.retry import tls_verification_failure
from docfetch.core.storage import LINK_REFUSED_STATUSES
from docfetch.core.storage import ResponseHead
from docfetch.errors import DestinationExistsError
from docfetch.errors import DownloadError
from docfetch.errors import InvalidInputError
from docfetch.errors import LinkExpiredError
from docfetch.errors import SizeMismatchError
from docfetch.errors import TransportError
from docfetch.errors import UnsafeFileNameError
from docfetch.errors import status_error
from docfetch.types import Checksum
from docfetch.types import ProgressCallback
from docfetch.types import SavedFile
from docfetch.types import Verifier

MAX_REFRESHES = 3
MAX_REQUESTS = 200  # resumes that make progress reset the failure count; this bounds them anyway
MAX_REDIRECTS = 10
EXPIRED_STATUSES = LINK_REFUSED_STATUSES


class NameRegistry:
    """Names handed out in one batch, so two files never get the same one (case-insensitive).
    ``taken(name)``: names a previous run gave to other files (with an archive) count as used too."""

    def __init__(self, taken: Callable[[str], bool] | None = None) -> None:
        self._used: set[str] = set()
        self._taken = taken
        self._lock = threading.Lock()

    def reserve(self, name: str) -> str:
        from docfetch.core.filenames import claim_unique_name

        with self._lock:
            candidate = claim_unique_name(name, self._used)
            while self._taken is not None and self._taken(candidate):
                candidate = claim_unique_name(name, self._used)
            return candidate


class RetryAfterFailure(Exception):
    """Internal: this attempt failed in a way worth another one (after ``delay`` if given)."""

    def __init__(self, error: Exception, delay: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.delay = delay


class LinkRefused(Exception):
    """Internal: a storage host refused the signed URL (expired); a fresh URL may help."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _content_range(value: str | None) -> tuple[int, int | None] | None:
    """(start, total) from ``bytes start-end/total``; None when malformed."""
    if not value or not value.startswith("bytes "):
        return None
    span, _, total = value[6:].partition("/")
    start, _, _end = span.partition("-")
    try:
        return int(start), None if total.strip() == "*" else int(total)
    except ValueError:
        return None


def _content_length(response: ResponseHead) -> int | None:
    if response.headers.get("content-encoding", "identity").lower() not in ("identity", ""):
        return None
    try:
        value = int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None
    return value if value >= 0 else None


@attrs.frozen
class Partial:
    """A transfer a previous process started: where its bytes are, where they were going, and what
    proves the object unchanged (a strong ETag or Last-Modified, the total size, a published checksum)."""

    part: Path
    final: Path
    validator: str | None
    total: int | None
    checksum: str | None


@attrs.frozen
class Resumable:
    """What lets a transfer outlive its process (with an archive): its part file is named after the
    item (``token``), a killed run's ``previous`` part is continued, and ``record`` is told each time
    a response starts streaming into the part file."""

    token: str
    previous: Partial | None
    record: Callable[[Partial], None]


class Transfer:
    """One file's download state: bytes written, expected total, failures, names, verification."""

    def __init__(
        self,
        *,
        dest_dir: Path,
        name: str | None,
        fallback_name: str,
        file_id: str,
        expected_size: int | None,
        checksum: Checksum | None,
        overwrite: bool,
        progress: ProgressCallback | None,
        policy: RetryPolicy,
        names: NameRegistry | None,
        verify: Verifier | None = None,
        resumable: Resumable | None = None,
    ) -> None:
        if expected_size is not None and expected_size < 0:
            raise InvalidInputError("expected_size must be >= 0")
        self.dest_dir = dest_dir
        self.fallback_name = fallback_name
        self.file_id = file_id
        self.expected_size = expected_size
        self.checksum = checksum
        self.overwrite = overwrite
        self.progress = progress
        self.policy = policy
        self.names = names
        self.verify_file = verify
        self.final: Path | None = None
        self.part: PartFile | None = None
        self._saved: SavedFile | None = None  # set once verified
        self.written = 0
        self.total: int | None = None
        self.validator: str | None = None
        self.version: tuple[str | None, str | None] = (None, None)  # the object's ETag and Last-Modified
        self.failures = 0
        self.requests = 0
        self.refreshes = 0
        self._most_written = 0  # the furthest any attempt got: only bytes beyond it are progress
        self.resumable = resumable
        self.placed: SavedFile | None = None  # set once the file is in place
        self._unfinished_name: str | None = None  # a given name without extension, completed on arrival
        previous = resumable.previous if resumable is not None else None
        if previous is not None and self._continue(previous):
            return
        if name is not None and known_extension(name) is None:
            self._unfinished_name = name
        elif name is not None:
            self._choose_name(name)

    def _continue(self, previous: Partial) -> bool:
        """Adopt a killed run's part file when it can be proven to hold the start of the same object
        (a validator for If-Range, or the total size and a checksum to check at the end)."""
        provable = previous.validator is not None or (
            previous.total is not None and self.checksum is not None
        )
        if not provable or previous.final.parent != self.dest_dir or not previous.part.is_file():
            previous.part.unlink(missing_ok=True)
            return False
        self._choose_name(previous.final.name)
        if self.final != previous.final:  # the name is taken in this batch: start afresh
            previous.part.unlink(missing_ok=True)
            return True
        self.part = PartFile.reopen(previous.part, self._digests)
        self.written = self._most_written = self.part.size
        self.validator, self.total = previous.validator, previous.total
        return True

    # --- names and files ---------------------------------------------------------------------

    def _choose_name(self, raw: str | None, *candidates: str | None) -> None:
        name = first_name([raw, *candidates], fallback=self.fallback_name)
        if self.names is not None:
            name = self.names.reserve(name)
        final = self.dest_dir / name
        if final.parent != self.dest_dir:  # defence in depth: the sanitiser already ensures this
            raise UnsafeFileNameError(f"file name {name!r} escapes {self.dest_dir}", path=final)
        if not self.overwrite and os.path.lexists(final):  # one lstat: any entry, a dangling link too
            raise DestinationExistsError(f"{final} exists (pass overwrite=True to replace it)", path=final)
        self.final = final

    def _ensure_part(self, response: ResponseHead) -> PartFile:
        if self.final is None:
            disposition = filename_from_content_disposition(response.headers.get("content-disposition"))
            if self._unfinished_name is not None:  # e.g. a label "passport-scan": the response says ".pdf"
                content_type = response.headers.get("content-type")
                given = first_name([self._unfinished_name], fallback=self.fallback_name)  # made safe first
                self._choose_name(with_extension(given, disposition=disposition, content_type=content_type))
            else:
                self._choose_name(disposition, filename_from_url(str(response.url)))
        if self.part is None:
            assert self.final is not None
            token = self.resumable.token if self.resumable is not None else None
            self.part = PartFile(self.dest_dir, self.final.name, self._digests, token=token)
        return self.part

    @property
    def _digests(self) -> tuple[str, ...]:
        """The digests the part file computes besides sha256: the published checksum's."""
        return () if self.checksum is None else (self.checksum.algorithm,)

    def _journal(self) -> None:
        if self.resumable is not None and self.part is not None and self.final is not None:
            checksum = self.checksum.hexdigest if self.checksum is not None else None
            self.resumable.record(Partial(self.part.path, self.final, self.validator, self.total, checksum))

    # --- one attempt -------------------------------------------------------------------------

    def request_headers(self) -> dict[str, str]:
        """Headers for the next attempt: identity encoding, and a Range once bytes are on disk."""
        self.requests += 1
        if self.requests > MAX_REQUESTS:
            raise DownloadError(f"gave up after {MAX_REQUESTS} requests", path=self.final)
        headers = {"Accept-Encoding": "identity"}
        if self.written > 0:
            headers["Range"] = f"bytes={self.written}-"
            if self.validator:
                headers["If-Range"] = self.validator
        return headers

    def begin(
        self, response: ResponseHead, *, storage: bool, refused: frozenset[int] = EXPIRED_STATUSES
    ) -> bool:
        """Judge a response whose error body (if any) was read. True: stream its body; False: done.

        ``storage``: the response came from a signed URL, so a status in ``refused`` (401/403/410 unless
        the URL's source says otherwise) means "this link no longer works: ask for a fresh one".
        """
        status = response.status_code
        if status == 200:
            self._start(response, offset=0)
            return True
        if status == 206:
            parsed = _content_range(response.headers.get("content-range"))
            if parsed is None or parsed[0] != self.written:
                self._restart("the server answered the range request incoherently")
                raise RetryAfterFailure(DownloadError("server answered the range request incoherently"), 0.0)
            if _changed(self.version, _version(response)):  # a weak ETag cannot go in If-Range
                self._restart("the object changed behind a weak validator")
                raise RetryAfterFailure(DownloadError("the object changed during the download"), 0.0)
            self._start(response, offset=self.written, total=parsed[1])
            return True
        if status == 416 and self.written > 0:
            parsed = _content_range(response.headers.get("content-range"))
            if parsed is not None and parsed[1] == self.written:
                return False  # everything was already received
            self._restart("range not satisfiable")
            raise RetryAfterFailure(DownloadError("range not satisfiable; restarting"), 0.0)
        self._fail_status(response, storage, refused)
        raise AssertionError("unreachable")  # pragma: no cover

    def _fail_status(self, response: ResponseHead, storage: bool, refused: frozenset[int]) -> None:
        status = response.status_code
        if 300 <= status < 400:
            raise DownloadError(
                f"unexpected redirect status {status} without a usable Location", url=str(response.url)
            )
        if storage and (status in refused or (status == 400 and b"xpire" in response.content)):
            raise LinkRefused(status)
        error = status_error(response)
        if status in self.policy.retry_statuses:
            retry_after = retry_delay(status, response.headers)
            if retry_after is None or retry_after <= self.policy.retry_after_cap:
                raise RetryAfterFailure(error, retry_after)
        raise error

    def _start(self, response: ResponseHead, *, offset: int, total: int | None = None) -> None:
        part = self._ensure_part(response)
        if offset == 0 and self.written > 0:
            logs.transfer_restart(self.file_id, "the server ignored the range request")
            part.truncate()  # the server ignored our Range: start over from byte 0
            self.written = 0
            self._report()
        length = _content_length(response)
        if total is None and length is not None:
            total = offset + length
        if total is not None:
            if self.expected_size is not None and total != self.expected_size:
                raise SizeMismatchError(
                    f"server announces {total} bytes, expected {self.expected_size}",
                    expected=self.expected_size,
                    actual=total,
                    path=self.final,
                )
            self.total = total
        elif self.total is None:
            self.total = self.expected_size
        self.validator = _validator(response) or self.validator
        if offset == 0:
            self.version = _version(response)
        self._journal()

    def _restart(self, reason: str) -> None:
        logs.transfer_restart(self.file_id, reason)
        if self.part is not None:
            self.part.truncate()
        self.written = 0
        self.validator = None
        self.version = (None, None)
        self._report()

    def write(self, chunk: bytes) -> None:
        assert self.part is not None
        self.part.write(chunk)
        self.written += len(chunk)
        if self.total is not None and self.written > self.total:
            raise SizeMismatchError(
                f"received more than the {self.total} bytes announced",
                expected=self.total,
                actual=self.written,
                path=self.final,
            )
        if self.progress is not None:
            self.progress(self.file_id, self.written, self.total)

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.file_id, self.written, self.total)

    def end_of_body(self) -> None:
        """The body ended cleanly; a short one (no Content-Length framing) is resumed."""
        if self.total is not None and self.written < self.total:
            raise RetryAfterFailure(TransportError(f"body ended at {self.written} of {self.total} bytes"))

    # --- failures ----------------------------------------------------------------------------

    def after_failure(self, error: Exception, delay: float | None) -> float:
        """Count a failed attempt; return the delay before the next or raise the final error.

        Attempts that got further than any before reset the count: a flaky connection that keeps
        making progress is resumed until done (bounded by MAX_REQUESTS). Bytes received again after a
        restart are not progress, so a server that keeps lying about the length is given up on.
        """
        if isinstance(error, httpx.TransportError) and (tls := tls_verification_failure(error)) is not None:
            raise tls from error  # an untrusted certificate stays untrusted: never retried
        if self.written > self._most_written:
            self._most_written = self.written
            self.failures = 0
        self.failures += 1
        if self.failures >= self.policy.max_attempts:
            if isinstance(error, httpx.TransportError):
                raise map_transport_error(error) from error
            raise error
        wait = self.policy.backoff(self.failures) if delay is None else delay
        logs.transfer_retry(self.file_id, error, self.written, self.total, wait)
        return wait

    def after_refusal(self, refused: LinkRefused, can_refresh: bool) -> None:
        """A signed URL was refused: allow a refresh or raise :class:`LinkExpiredError`."""
        if not can_refresh or self.refreshes >= MAX_REFRESHES:
            hint = "" if can_refresh else " and no way to get a fresh one was given"
            raise LinkExpiredError(
                f"storage refused the signed link (HTTP {refused.status}){hint}",
                status_code=refused.status,
                path=self.final,
            )
        self.refreshes += 1
        logs.link_refused(self.file_id, refused.status, self.refreshes, MAX_REFRESHES)

    # --- completion --------------------------------------------------------------------------

    def verify(self, response: ResponseHead | None) -> None:
        """Check the complete part file: size, checksum, the item's own ``verify``. Raises on a mismatch
        (the caller discards the part file)."""
        if self.part is None:
            if response is None:
                raise DownloadError("nothing was downloaded", path=self.final)
            self._ensure_part(response)  # an empty body still makes an (empty) file
        part = self.part
        final = self.final
        assert part is not None and final is not None
        for expected in (self.total, self.expected_size):
            if expected is not None and expected != self.written:
                raise SizeMismatchError(
                    f"received {self.written} bytes, expected {expected}",
                    expected=expected,
                    actual=self.written,
                    path=final,
                )
        wanted = self.checksum
        if wanted is not None:
            wanted.check(part.hexdigest(wanted.algorithm), final, final.name)
        if self.verify_file is not None:
            part.settle()
            self.verify_file(part.path, final)
        self._saved = SavedFile(final, self.written, part.hexdigest("sha256"))

    def place(self) -> SavedFile:
        """Move the verified part file into place (fsync of file and directory) on this thread."""
        part, saved = self.hand_over()
        try:
            part.place(saved.path, self.overwrite)
        except BaseException:
            part.discard()
            raise
        self.placed = saved
        return saved

    def hand_over(self) -> tuple[PartFile, SavedFile]:
        """The verified part file and the file it becomes, for whoever places it: from now on it is
        theirs to place or discard, no longer this transfer's."""
        part, saved = self.part, self._saved
        assert part is not None and saved is not None, "verify() first"
        self.part = None
        return part, saved

    @contextmanager
    def cleaned_up(self) -> Iterator[None]:
        """Whatever fails inside leaves nothing behind: the part file is removed, and a file-system
        failure (disk full, permission denied...) is raised as a DownloadError."""
        try:
            yield
        except OSError as exc:
            self.discard()
            raise as_download_error(exc, self) from exc
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        if self.part is not None:
            part, self.part = self.part, None
            part.discard()


def _version(response: ResponseHead) -> tuple[str | None, str | None]:
    """What identifies the object's version: its ETag (weak or strong, compared without ``W/``) and
    its Last-Modified."""
    etag: str | None = response.headers.get("etag")
    return (etag.removeprefix("W/") if etag else None, response.headers.get("last-modified"))


def _changed(before: tuple[str | None, str | None], now: tuple[str | None, str | None]) -> bool:
    """A resumed response whose ETag or Last-Modified differs from the first: another version."""
    return any(
        old is not None and new is not None and old != new for old, new in zip(before, now, strict=True)
    )


def _validator(response: ResponseHead) -> str | None:
    """A strong ETag or Last-Modified for If-Range (weak ETags are not allowed there)."""
    etag: str | None = response.headers.get("etag")
    if etag and not etag.startswith("W/"):
        return etag
    modified: str | None = response.headers.get("last-modified")
    return modified


def as_download_error(exc: OSError, transfer: Transfer) -> DownloadError:
    """A file-system failure (disk full, permission denied...) as a DownloadError."""
    return DownloadError(f"could not write {transfer.final or transfer.dest_dir}: {exc}", path=transfer.final)
