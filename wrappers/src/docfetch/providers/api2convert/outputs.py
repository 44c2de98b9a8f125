"""API2Convert job outputs: which can be fetched, under which safe name, with which checks; the typed
errors for outputs that cannot be fetched; download passwords; base64 verification (no I/O here).

Decisions:

* Outputs are fetched by a plain GET of their ``uri`` through the credential-free storage path: the
  API key never goes to the output host, and nothing is probed first (every GET may count against the
  output's 10-download cap). Each is verified against ``size`` and ``checksum``, whose algorithm
  follows its form (32 hex digits md5, 40 sha1, 64 sha256, 128 sha512; the docs name none); any other
  form saves the file with a ``warning`` that it was not verified. Names: ``filename``, else the uri's
  last path segment when it names a file (the documented ``.../download-file/{job_id}/{filename}``),
  else the output host's Content-Disposition, else the output id; made safe and unique, and a name
  without an extension is completed from the response.
* ``expired`` / ``overuse`` / ``disabled`` outputs become results carrying
  :class:`OutputExpiredError` / :class:`OutputOveruseError` / :class:`OutputDisabledError`. An output
  whose link the host refuses (403/404/410) is looked up again (``GET /jobs/{id}/output``): its typed
  error if its status now explains the refusal, else one try of a fresh ``uri``, else
  :class:`OutputLinkRefusedError`. A 401 is :class:`DownloadPasswordError`.
* ``download_password=`` is sent as ``X-Api2convert-Download-Password`` (the header of the official
  SDK) to the output host only: never to the API, never across a redirect to another origin.
* ``encoding="base64"`` asks ``?encoding=base64``: the saved file holds the base64 text; ``size``
  and the checksum describe the decoded bytes, so they are checked by decoding the complete part file (in
  constant memory) before it is placed: a file that does not match never reaches the destination,
  and with ``overwrite=True`` a previous file of that name is kept.
* ``links`` does not wait: a job still running has no links yet; a failed/canceled one raises.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any
from typing import Literal

import attrs
from docfetch_api2convert_client.models import OutputFile
from docfetch_api2convert_client.models import OutputFileStatus
from docfetch_api2convert_client.types import Unset

from docfetch.core.filenames import filename_from_url
from docfetch.core.filenames import first_name
from docfetch.core.filenames import known_extension
from docfetch.core.lazy import lazy_module
from docfetch.core.storage import PLAIN_URL
from docfetch.errors import APIStatusError
from docfetch.errors import DownloadError
from docfetch.errors import InvalidInputError
from docfetch.errors import LinkExpiredError
from docfetch.errors import SizeMismatchError
from docfetch.types import ALGORITHM_OF_LENGTH
from docfetch.types import Checksum
from docfetch.types import DownloadItem
from docfetch.types import FileResult
from docfetch.types import Link
from docfetch.types import Planned
from docfetch.types import Verifier

if TYPE_CHECKING:
    import httpx
else:
    httpx = lazy_module("httpx")  # first used when a job's output is planned

__all__ = [
    "OUTPUT_LIFETIME",
    "PASSWORD_HEADER",
    "DownloadPasswordError",
    "Encoding",
    "OutputDisabledError",
    "OutputExpiredError",
    "OutputLinkRefusedError",
    "OutputOveruseError",
    "OutputUnavailableError",
    "check_password",
    "iter_plan",
    "plan_outputs",
]

OUTPUT_LIFETIME = timedelta(hours=24)
"""The docs: "Files are available for 24h"."""
PASSWORD_HEADER = "X-Api2convert-Download-Password"  # noqa: S105 - a header name (the official SDK's)
OUTPUT_REFUSED_STATUSES = frozenset({403, 404, 410})
"""Output-host answers that send docfetch back to the job's outputs for the output's status and a fresh uri."""

Encoding = Literal["base64"]
_HEX = re.compile(r"[0-9a-fA-F]+")
_PRINTABLE = re.compile(r"[ -~]{1,65000}")  # the spec's download_passwords items (non-empty)


# --- errors ------------------------------------------------------------------------------------


class OutputUnavailableError(DownloadError):
    """An output the API lists but will not serve; ``status`` is its status, ``meaning`` what it means."""

    meaning = "not downloadable"

    def __init__(self, job_id: str, output: OutputFile, status: str | None = None) -> None:
        self.job_id = job_id
        self.output_id = output.id
        self.filename = output.filename if isinstance(output.filename, str) else None
        self.status = status or _status_text(output) or "unknown"
        uri = output.uri if isinstance(output.uri, str) else None
        super().__init__(
            f"job {job_id}: output {_describe(output)} is {self.status}: {self.meaning}", url=uri
        )


class OutputExpiredError(OutputUnavailableError):
    """``expired``: the file is no longer on the servers."""

    meaning = "outputs are kept 24 h"


class OutputOveruseError(OutputUnavailableError):
    """``overuse``: the output reached its download cap."""

    meaning = "downloaded too often (cap typically 10)"


class OutputDisabledError(OutputUnavailableError):
    """``disabled``: the file was deleted."""

    meaning = "deleted"


class OutputLinkRefusedError(LinkExpiredError):
    """The output host refused the output's link, and the job's outputs, read again, give no other
    (a fresh ``uri`` was tried at most once) while its status says nothing against downloading it."""

    def __init__(self, job_id: str, output: OutputFile, *, password_given: bool) -> None:
        self.job_id = job_id
        self.output_id = output.id
        hint = "; check the download password" if password_given else ""
        super().__init__(
            f"job {job_id}: the output host refused output {_describe(output)} and the API lists no"
            f" other link{hint}",
            url=output.uri if isinstance(output.uri, str) else None,
        )


class DownloadPasswordError(DownloadError):
    """The output host asks for the job's download password (HTTP 401)."""

    def __init__(self, job_id: str, output_id: str | None, *, password_given: bool) -> None:
        self.job_id = job_id
        self.output_id = output_id
        what = f"output {output_id}" if output_id else "the output"
        said = "refused the download password given" if password_given else "asks for a download password"
        advice = "" if password_given else ": pass download_password="
        super().__init__(f"job {job_id}: the output host {said} for {what}{advice}")


def _describe(output: OutputFile) -> str:
    name = output.filename if isinstance(output.filename, str) and output.filename else None
    return f"{name!r} ({output.id})" if name else output.id


_UNAVAILABLE: dict[str, type[OutputUnavailableError]] = {
    OutputFileStatus.EXPIRED: OutputExpiredError,
    OutputFileStatus.OVERUSE: OutputOveruseError,
    OutputFileStatus.DISABLED: OutputDisabledError,
}


def parse_url(value: object) -> httpx.URL | None:
    if not isinstance(value, str) or any(ord(ch) < 33 or ord(ch) == 127 for ch in value):
        return None
    try:
        return httpx.URL(value)
    except (httpx.InvalidURL, ValueError):
        return None


# --- outputs -----------------------------------------------------------------------------------


def _status_text(output: OutputFile) -> str | None:
    return str(output.status) if isinstance(output.status, OutputFileStatus) else None


def parse_timestamp(value: str | Unset | None) -> datetime | None:
    """The API's ISO 8601 times, usually without a zone (UTC): ``2017-08-15T17:33:05``."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def output_url(output: OutputFile, encoding: Encoding | None) -> str | None:
    """The output's download URL (``?encoding=base64`` added on request); None if unusable. A plain
    http(s) URL is taken as it is (parsing one costs ~30 us, and a job can have thousands of outputs)."""
    uri = output.uri
    if not encoding and isinstance(uri, str) and PLAIN_URL.fullmatch(uri):
        return uri
    url = parse_url(uri)
    if url is None or url.scheme not in ("http", "https") or not url.host:
        return None
    return str(url.copy_merge_params({"encoding": encoding}) if encoding else url)


def unavailable(job_id: str, output: OutputFile) -> DownloadError | None:
    """Why an output cannot be fetched (expired, over its cap, deleted, no usable uri); None if it can.

    An output without a status is tried (the output host decides).
    """
    status = _status_text(output)
    if status is not None and status in _UNAVAILABLE:
        return _UNAVAILABLE[status](job_id, output)
    if output_url(output, None) is None:
        return DownloadError(f"job {job_id}: output {output.id} has no usable http(s) uri ({output.uri!r})")
    return None


def output_name(output: OutputFile) -> str | None:
    """The output's name: ``filename``, else its uri's last path segment when that names a file (the
    documented ``.../download-file/{job_id}/{filename}``); None leaves it to the output host's
    Content-Disposition, then the output id. Made safe (a hostile name never leaves the destination)."""
    filename = output.filename if isinstance(output.filename, str) else None
    segment = filename_from_url(output.uri) if isinstance(output.uri, str) else None
    usable = [
        name
        for name in (filename, segment if known_extension(segment) else None)
        if name and name.strip(" ./\\")
    ]
    return first_name(usable, fallback=output.id) if usable else None


def checksum_of(output: OutputFile) -> tuple[Checksum | None, str | None]:
    """The output's ``checksum`` to verify, its algorithm told by its form (32 hex digits md5, 40 sha1,
    64 sha256, 128 sha512: the docs show an md5 and name none); or, for any other form, a warning that
    the file is saved unverified. No checksum: neither."""
    text = output.checksum.strip() if isinstance(output.checksum, str) else ""
    if not text:
        return None, None
    algorithm = ALGORITHM_OF_LENGTH.get(len(text)) if _HEX.fullmatch(text) else None
    if algorithm is None:
        shown = text if len(text) <= 80 else text[:77] + "..."
        return None, (
            f"not verified: API2Convert's checksum {shown!r} is not an md5, sha1, sha256 or sha512 hex digest"
        )
    return Checksum(algorithm, text), None


def links_for(job_id: str, outputs: Sequence[OutputFile]) -> list[Link]:
    """One Link per enabled output; expiry = created_at + 24 h when the API gives created_at."""
    links: list[Link] = []
    for output in outputs:
        if unavailable(job_id, output) is not None:
            continue
        created = parse_timestamp(output.created_at)
        links.append(
            Link(
                id=job_id,
                name=output_name(output),
                url=str(output.uri),
                expires_at=created + OUTPUT_LIFETIME if created else None,
            )
        )
    return links


UrlSourceFor = Callable[[OutputFile, str], Any]
"""``(output, url) -> the item's URL source``: a link that looks the output up again when refused."""


def plan_outputs(
    job_id: str,
    outputs: Sequence[OutputFile],
    encoding: Encoding | None,
    *,
    source: UrlSourceFor | None = None,
    password: str | None = None,
) -> list[Planned | FileResult]:
    """Each output of a completed job as a download, or the result that says why it cannot be one.
    Item ids are ``<job_id>/<file name or output id>`` (the progress key); results carry the job id.
    ``source`` makes each item's URL source (default: the plain uri); ``password`` goes to the output
    host in :data:`PASSWORD_HEADER`."""
    return list(iter_plan(job_id, outputs, encoding, source=source, password=password))


def iter_plan(
    job_id: str,
    outputs: Sequence[OutputFile],
    encoding: Encoding | None,
    *,
    source: UrlSourceFor | None = None,
    password: str | None = None,
) -> Iterator[Planned | FileResult]:
    """:func:`plan_outputs` one output at a time (the first transfer need not wait for the last plan)."""
    if not outputs:
        yield FileResult(job_id, error=DownloadError(f"job {job_id} completed without any output"))
        return
    for output in outputs:
        refused = unavailable(job_id, output)
        if refused is not None:
            yield FileResult(job_id, error=refused)
            continue
        url = str(output_url(output, encoding))  # unavailable() let it through: usable
        checksum, warning = checksum_of(output)
        name = output_name(output)
        item = DownloadItem(
            id=f"{job_id}/{name or output.id}",
            url=url if source is None else source(output, url),
            name=name,
            headers={} if password is None else {PASSWORD_HEADER: password},
            **_checks(output, checksum, encoding),
        )
        yield Planned(item, owner=job_id, warning=warning, key=output.id)


def _checks(output: OutputFile, checksum: Checksum | None, encoding: Encoding | None) -> dict[str, Any]:
    if encoding:  # the body is base64 text: size and checksum describe the decoded file
        return {"verify": check_base64(output, checksum)}
    size = output.size if isinstance(output.size, int) and output.size >= 0 else None
    return {"expected_size": size, "checksum": checksum}


def check_password(password: str | None) -> str | None:
    """A download password as the spec allows one (printable ASCII), checked before any request."""
    if password is None:
        return None
    if not isinstance(password, str) or not _PRINTABLE.fullmatch(password):
        raise InvalidInputError("download_password must be 1 to 65000 printable ASCII characters")
    return password


def fresh_output_url(
    job_id: str,
    output_id: str,
    current: OutputFile | None,
    tried: Sequence[str],
    encoding: Encoding | None,
    *,
    password_given: bool,
) -> str:
    """After the output host refused the last of ``tried``, with ``current`` the output as the API now
    lists it: the uri to try next (a fresh one, once), or the error that ends this download (the
    typed error of its new status, or :class:`OutputLinkRefusedError`)."""
    if current is None:
        raise DownloadError(f"job {job_id}: output {output_id} is refused and no longer listed")
    refused = unavailable(job_id, current)
    if refused is not None:
        raise refused
    url = str(output_url(current, encoding))
    if len(tried) > 1 or url in tried:
        raise OutputLinkRefusedError(job_id, current, password_given=password_given)
    return url


def explain_refusal(result: FileResult, planned: Planned, *, password_given: bool) -> FileResult:
    """A 401 from the output host means a download password is missing (or wrong)."""
    error = result.error
    if not isinstance(error, APIStatusError) or error.status_code != 401:
        return result
    explained = DownloadPasswordError(planned.owner, planned.key, password_given=password_given)
    explained.__cause__ = error
    return attrs.evolve(result, error=explained)


# --- base64 ------------------------------------------------------------------------------------

_DECODE_BLOCK = 1024 * 1024  # a multiple of 4 base64 characters


def check_base64(output: OutputFile, checksum: Checksum | None = None) -> Verifier:
    """A :data:`~docfetch.types.Verifier` for a base64 download: the decoded bytes must match the
    output's size and ``checksum`` (which describe the decoded file; default: the output's own, see
    :func:`checksum_of`), checked before the file is placed, so a mismatch never replaces an existing
    file (SizeMismatchError / ChecksumMismatchError / DownloadError).
    """
    wanted = checksum if checksum is not None else checksum_of(output)[0]

    def verify(part: Path, destination: Path) -> None:
        size, digest = _decoded_digest(part, destination, wanted.algorithm if wanted else "md5")
        expected_size = output.size if isinstance(output.size, int) else None
        if expected_size is not None and size != expected_size:
            raise SizeMismatchError(
                f"{destination.name} decodes to {size} bytes, expected {expected_size}",
                expected=expected_size,
                actual=size,
                path=destination,
            )
        if wanted is not None:
            wanted.check(digest, destination, f"the decoded {destination.name}")

    return verify


def _decoded_digest(path: Path, named: Path, algorithm: str) -> tuple[int, str]:
    """(decoded length, hex digest) of a base64 file, in constant memory; whitespace is ignored.
    Errors name ``named`` (the destination the part file was meant for)."""
    digest = hashlib.new(algorithm, usedforsecurity=False)
    size = 0
    carry = b""
    with path.open("rb") as handle:
        while block := handle.read(_DECODE_BLOCK):
            data = carry + b"".join(block.split())
            cut = len(data) - len(data) % 4
            carry = data[cut:]
            decoded = _decode(data[:cut], named)
            digest.update(decoded)
            size += len(decoded)
    if carry:
        raise DownloadError(f"{named.name} is not valid base64 (truncated)", path=named)
    return size, digest.hexdigest()


def _decode(chunk: bytes, path: Path) -> bytes:
    try:
        return base64.b64decode(chunk, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DownloadError(f"{path.name} is not valid base64: {exc}", path=path) from exc
