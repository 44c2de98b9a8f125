"""docfetch's logging: its loggers, the one redaction rule, and the opt-in stderr handler.

Every logger is a child of ``docfetch`` (``logging.getLogger("docfetch")``):

===================  =========  ===============================================================
logger               level      what
===================  =========  ===============================================================
docfetch.http        INFO       each API request: method, URL, status, seconds taken, attempt
                     DEBUG      also the allow-listed response headers (type, size, request id...)
docfetch.retry       INFO       each retry of an API request: why, the wait, attempt n of m
docfetch.auth        INFO       each token exchange: why (first use, expiring, refused), lifetime
docfetch.links       INFO       each signed link renewed: before use (expiring) or after a refusal
docfetch.download    INFO       resumed and restarted transfers; one line per saved file
                     WARNING    one line per failed file
                     DEBUG      each storage request (origin only) and its status
docfetch.jobs        INFO       each job state change
===================  =========  ===============================================================

Redaction, everywhere and at every level: URLs are logged by :func:`redact_url` (no user info, query
values masked; storage URLs, which may be capabilities themselves, as their origin only), free text
(error messages) by :func:`redact_text`, headers only from :data:`LOGGED_HEADERS`; request headers,
bodies, credentials and tokens never. Each helper checks ``isEnabledFor`` first: a disabled logger
costs one comparison, no formatting.

docfetch installs no handler of its own, only a ``NullHandler`` (so Python's last-resort handler
never prints its warnings), unless ``DOCFETCH_LOG=info|debug`` is set when ``docfetch`` is imported
(or the CLI gets ``-v`` / ``-vv``): then :func:`log_to_stderr` adds one handler writing to stderr.

This module imports ``logging``; modules loaded by a client's import or construction import it only
when they first log (tests/core/test_core_lazy_imports.py).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from docfetch.types import FileResult

__all__ = [
    "AUTH",
    "DOWNLOAD",
    "HTTP",
    "JOBS",
    "LINKS",
    "LOGGED_HEADERS",
    "RETRY",
    "ROOT",
    "configure_from_env",
    "log_to_stderr",
    "logging_to_stderr",
    "origin_of",
    "redact_text",
    "redact_url",
    "request_of",
]

ROOT = logging.getLogger("docfetch")
HTTP = logging.getLogger("docfetch.http")
RETRY = logging.getLogger("docfetch.retry")
AUTH = logging.getLogger("docfetch.auth")
LINKS = logging.getLogger("docfetch.links")
DOWNLOAD = logging.getLogger("docfetch.download")
JOBS = logging.getLogger("docfetch.jobs")

if not ROOT.handlers:
    ROOT.addHandler(logging.NullHandler())

ENV_VAR = "DOCFETCH_LOG"
LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_NAME = "docfetch-stderr"

LOGGED_HEADERS = (
    "content-type",
    "content-length",
    "content-range",
    "retry-after",
    "retry-after-ms",
    "ratelimit-remaining",
    "ratelimit-reset",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-request-id",
    "request-id",
)
"""The only headers ever logged (response headers, at DEBUG): none can carry a credential."""

MASK = "***"
_URL_IN_TEXT = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>]+")
_TRAILING = ".,:;!?)]}"


# --- redaction -----------------------------------------------------------------------------------


def redact_url(url: object, *, path: bool = True) -> str:
    """``scheme://host:port/path?name=***``: never user info, query values or a fragment. With
    ``path=False`` only the origin (``scheme://host:port/...``): for storage URLs, whose path may be
    the capability itself."""
    try:
        parts = urlsplit(str(url))
        host, port = parts.hostname, parts.port
    except ValueError:
        return "<url>"
    if not parts.scheme or not host:
        return "<url>"
    origin = f"{parts.scheme}://{f'[{host}]' if ':' in host else host}{'' if port is None else f':{port}'}"
    if not path:
        return origin + ("/..." if parts.path.strip("/") or parts.query else "")
    shown = origin + (parts.path or "/")
    if parts.query:
        names = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
        shown += "?" + "&".join(f"{name}={MASK}" for name in names)
    return shown


def origin_of(url: object) -> str:
    """``scheme://host:port`` of a URL, nothing else."""
    return redact_url(url, path=False).removesuffix("/...")


def redact_text(text: object) -> str:
    """Free text (an error message) with every URL in it reduced to its origin."""

    def origin(found: re.Match[str]) -> str:
        url = found.group(0).rstrip(_TRAILING)  # punctuation after a URL is the sentence's
        return redact_url(url, path=False) + found.group(0)[len(url) :]

    return _URL_IN_TEXT.sub(origin, str(text))


def _headers(headers: Mapping[str, str]) -> str:
    shown = [f"{name}={headers[name]!r}" for name in LOGGED_HEADERS if name in headers]
    return f" [{', '.join(shown)}]" if shown else ""


def request_of(found: object) -> Any:
    """The request an httpx response or exception belongs to, if it knows (httpx raises otherwise)."""
    try:
        return found.request  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):
        return None


def _describe(failure: object) -> str:
    """A response as its status; an exception as its type and (redacted) message."""
    if not isinstance(failure, BaseException):
        return f"HTTP {getattr(failure, 'status_code', '?')}"
    message = redact_text(failure)
    return f"{type(failure).__name__}: {message}" if message else type(failure).__name__


# --- the lines -----------------------------------------------------------------------------------


def api_response(method: str, url: object, response: Any, seconds: float, attempt: int) -> None:
    """docfetch.http: an API request answered (INFO; the allow-listed headers at DEBUG)."""
    if HTTP.isEnabledFor(logging.INFO):
        extra = _headers(response.headers) if HTTP.isEnabledFor(logging.DEBUG) else ""
        HTTP.info(
            "%s %s -> %s in %.3f s (attempt %d)%s",
            method.upper(),
            redact_url(url),
            response.status_code,
            seconds,
            attempt,
            extra,
        )


def api_failure(method: str, url: object, error: BaseException, seconds: float, attempt: int) -> None:
    """docfetch.http: an API request that got no response."""
    if HTTP.isEnabledFor(logging.INFO):
        HTTP.info(
            "%s %s -> %s after %.3f s (attempt %d)",
            method.upper(),
            redact_url(url),
            _describe(error),
            seconds,
            attempt,
        )


def retrying(failure: object, delay: float, attempt: int, attempts: int) -> None:
    """docfetch.retry: an API request is sent again after ``delay`` seconds."""
    if RETRY.isEnabledFor(logging.INFO):
        request = request_of(failure)
        target = f"{request.method} {redact_url(request.url)}" if request is not None else "request"
        RETRY.info(
            "retrying %s in %.2f s after %s (attempt %d of %d)",
            target,
            delay,
            _describe(failure),
            attempt + 1,
            attempts,
        )


def token_wanted(*, first: bool, refused: bool, left: float | None) -> None:
    """docfetch.auth: a token exchange starts, and why (no token yet, refused, or about to expire)."""
    if AUTH.isEnabledFor(logging.INFO):
        if first:
            why = "no token yet"
        elif refused:
            why = "the server refused the token"
        elif left is not None:
            why = f"the token expires in {max(0.0, left):.1f} s"
        else:
            why = "the token is no longer usable"
        AUTH.info("exchanging credentials for a token: %s", why)


def token_obtained(expires_in: float | None, exchanges: int) -> None:
    """docfetch.auth: a token arrived (never its value)."""
    if AUTH.isEnabledFor(logging.INFO):
        lifetime = "unknown lifetime" if expires_in is None else f"valid {expires_in:.1f} s"
        AUTH.info("new token (%s; exchange %d)", lifetime, exchanges)


def link_expiring(label: str, seconds_left: float | None) -> None:
    """docfetch.links: a signed link about to expire is renewed before it is used."""
    if LINKS.isEnabledFor(logging.INFO):
        left = "soon" if seconds_left is None else f"in {max(0.0, seconds_left):.1f} s"
        LINKS.info("renewing the signed link of %s before use: it expires %s", label, left)


def link_refused(file_id: str, status: int, refreshes: int, allowed: int) -> None:
    """docfetch.links: storage refused a signed link (expired): a fresh one is asked for."""
    LINKS.info(
        "storage refused the link of %s (HTTP %d): fresh link %d of %d", file_id, status, refreshes, allowed
    )


def download_response(
    file_id: str, response: Any, *, storage: bool, offset: int, seconds: float, attempt: int
) -> None:
    """One request of a transfer: from a storage URL on docfetch.download (DEBUG, origin only), or
    from a provider endpoint that streams the file itself on docfetch.http (INFO, as any API request)."""
    logger, level = (DOWNLOAD, logging.DEBUG) if storage else (HTTP, logging.INFO)
    if logger.isEnabledFor(level):
        request = request_of(response)  # the direct path's responses have none: a storage GET
        method = request.method if request is not None else "GET"
        where = redact_url(request.url if request is not None else response.url, path=not storage)
        extra = _headers(response.headers) if logger.isEnabledFor(logging.DEBUG) else ""
        logger.log(
            level,
            "%s %s -> %s in %.3f s (attempt %d; %s from byte %d)%s",
            method,
            where,
            response.status_code,
            seconds,
            attempt,
            file_id,
            offset,
            extra,
        )


def transfer_retry(file_id: str, error: BaseException, written: int, total: int | None, delay: float) -> None:
    """docfetch.download: a transfer failed midway and goes on (resumed from ``written``)."""
    if DOWNLOAD.isEnabledFor(logging.INFO):
        of = "" if total is None else f" of {total}"
        how = f"resuming at byte {written}{of}" if written else "retrying from the start"
        DOWNLOAD.info("%s: %s; %s in %.2f s", file_id, _describe(error), how, delay)


def transfer_restart(file_id: str, reason: str) -> None:
    """docfetch.download: the bytes so far are dropped (the server ignored or botched the range)."""
    DOWNLOAD.info("%s: %s; starting again from byte 0", file_id, reason)


def saved(file_id: str, path: object, size: int, sha256: str | None, warning: str | None = None) -> None:
    """docfetch.download: one line per saved file."""
    if DOWNLOAD.isEnabledFor(logging.INFO):
        note = f" (warning: {redact_text(warning)})" if warning else ""
        DOWNLOAD.info("saved %s: %s (%d bytes, sha256 %s)%s", file_id, path, size, sha256, note)


def failed(file_id: str, error: BaseException) -> None:
    """docfetch.download: one line per failed file."""
    if DOWNLOAD.isEnabledFor(logging.WARNING):
        DOWNLOAD.warning("failed %s: %s", file_id, _describe(error))


def result(found: FileResult) -> None:
    """docfetch.download: a download's final result, saved or failed."""
    if found.error is not None:
        failed(found.id, found.error)
    else:
        saved(found.id, found.path, found.bytes, found.sha256, found.warning)


def job_state(job_id: str, state: str) -> None:
    """docfetch.jobs: a job's state changed."""
    JOBS.info("job %s: %s", job_id, state)


# --- the opt-in handler --------------------------------------------------------------------------


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (a live display may redirect it meanwhile),
    as Python's own last-resort handler does."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> Any:
        return sys.stderr


def logging_to_stderr() -> bool:
    """Whether :func:`log_to_stderr` added its handler (the CLI then draws no live display over it)."""
    return any(handler.get_name() == _HANDLER_NAME for handler in ROOT.handlers)


def log_to_stderr(level: str | int) -> None:
    """Show docfetch's records from ``level`` ("info", "debug" or a number) on stderr: one handler,
    added once however often this is called; the level only ever becomes more verbose."""
    numeric = LEVELS[level.lower()] if isinstance(level, str) else int(level)
    if not logging_to_stderr():
        handler = _StderrHandler()
        handler.set_name(_HANDLER_NAME)
        handler.setFormatter(logging.Formatter(FORMAT))
        ROOT.addHandler(handler)
    if ROOT.level == logging.NOTSET or ROOT.level > numeric:
        ROOT.setLevel(numeric)


def configure_from_env() -> None:
    """``DOCFETCH_LOG=info|debug``: :func:`log_to_stderr` at that level; unset or empty: nothing."""
    value = os.environ.get(ENV_VAR, "").strip().lower()
    if not value:
        return
    if value not in LEVELS:
        warnings.warn(f"{ENV_VAR}={value!r} is not one of {', '.join(LEVELS)}: ignored", stacklevel=2)
        return
    log_to_stderr(value)
