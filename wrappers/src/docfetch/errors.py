"""The one error tree of docfetch: catch :class:`DocfetchError` for "anything docfetch raised".

Tree::

    DocfetchError
    ├── InvalidInputError (also ValueError)      bad user input, found before any request (CLI exit 2)
    │   └── MissingCredentialsError              names the environment variable to set
    ├── TransportError                           no usable HTTP response
    │   ├── ConnectError                         the request was never sent
    │   │   └── TLSVerificationError             the server's certificate is not trusted (never retried)
    │   └── RequestTimeoutError (also TimeoutError)
    ├── APIStatusError                           an HTTP status outside 2xx; code / message / request_id
    │   ├── BadRequestError 400, AuthenticationError 401, PermissionDeniedError 403,
    │   │   NotFoundError 404, ConflictError 409, UnprocessableEntityError 422,
    │   │   RateLimitError 429 (retry_after), ServerError 5xx
    │   └── NonStandardStatusError               any other code (Index Health's 435/437, 402, 418...)
    ├── ResponseValidationError                  a 2xx body that does not match the documented shape
    ├── AuthFlowError                            the token exchange failed or returned no token
    ├── JobFailedError                           the provider reports the job failed (its message kept)
    ├── JobNotStartedError                       the job waits for its owner (no input, never started)
    ├── PollingTimeoutError (also TimeoutError)  the polling deadline passed; carries the last state
    └── DownloadError                            a download could not be completed; nothing left behind
        ├── SizeMismatchError, ChecksumMismatchError, UnsafeFileNameError,
        └── LinkExpiredError, DestinationExistsError

Status errors are built in one place, :func:`status_error`, from a response and a provider's
error-body parser (:data:`ErrorParser`); a provider maps its own non-standard codes to its own
subclasses with ``overrides``. This module imports nothing heavy so ``import docfetch`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from typing import Protocol

import attrs

__all__ = [
    "APIStatusError",
    "AuthFlowError",
    "AuthenticationError",
    "BadRequestError",
    "ChecksumMismatchError",
    "ConflictError",
    "ConnectError",
    "DestinationExistsError",
    "DocfetchError",
    "DownloadError",
    "ErrorDetails",
    "ErrorParser",
    "InvalidInputError",
    "JobFailedError",
    "JobNotStartedError",
    "LinkExpiredError",
    "MissingCredentialsError",
    "NonStandardStatusError",
    "NotFoundError",
    "PermissionDeniedError",
    "PollingTimeoutError",
    "RateLimitError",
    "RequestTimeoutError",
    "ResponseValidationError",
    "ServerError",
    "SizeMismatchError",
    "TLSVerificationError",
    "TransportError",
    "UnprocessableEntityError",
    "UnsafeFileNameError",
    "parse_error_body",
    "raise_for_status",
    "status_error",
]


class DocfetchError(Exception):
    """Base class of every exception docfetch raises on purpose."""


class InvalidInputError(DocfetchError, ValueError):
    """Bad input from the user, detected before any request was sent."""


class MissingCredentialsError(InvalidInputError):
    """A credential is needed and was neither passed nor found in the environment."""

    def __init__(self, env_var: str, provider: str | None = None) -> None:
        who = f"{provider}: " if provider else ""
        super().__init__(f"{who}no API credential given; pass one or set the environment variable {env_var}")
        self.env_var = env_var
        self.provider = provider


# --- transport ---------------------------------------------------------------------------------


class TransportError(DocfetchError):
    """No usable HTTP response: the connection failed, dropped or the peer broke the protocol."""


class ConnectError(TransportError):
    """The connection could not be opened, so the request was provably never sent."""


class TLSVerificationError(ConnectError):
    """The server's TLS certificate could not be verified (unknown CA, wrong host name, expired):
    waiting cannot cure it, so it is never retried. ``reason`` is OpenSSL's, e.g. "unable to get local
    issuer certificate"; ``origin`` the server (``https://host:port``) when known."""

    def __init__(self, reason: str, origin: str | None = None) -> None:
        where = f" for {origin}" if origin else ""
        super().__init__(
            f"TLS certificate verification failed{where}: {reason} (trust the server's CA with "
            "SSL_CERT_FILE, verify= or your own http_client)"
        )
        self.reason = reason
        self.origin = origin


class RequestTimeoutError(TransportError, TimeoutError):
    """A connect, read, write or pool timeout expired."""


# --- HTTP status -------------------------------------------------------------------------------


@attrs.frozen
class ErrorDetails:
    """What a provider's error body says, normalised: every field may be missing."""

    code: str | None = None
    message: str | None = None
    request_id: str | None = None


class ResponseLike(Protocol):
    """The part of ``httpx.Response`` (or a generated ``Response``) that error mapping reads."""

    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def content(self) -> bytes: ...


ErrorParser = Callable[[ResponseLike], ErrorDetails]
"""A provider hook turning an error response into :class:`ErrorDetails`; it must not raise."""


class APIStatusError(DocfetchError):
    """The server answered with a status outside 2xx.

    ``code``, ``message`` and ``request_id`` come from the provider's error body (or headers);
    ``body`` is the raw body (possibly truncated, never parsed twice) and ``headers`` the response headers.
    """

    def __init__(
        self,
        status_code: int,
        *,
        code: str | None = None,
        message: str | None = None,
        request_id: str | None = None,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status_code = int(status_code)
        self.code = code
        self.message = message
        self.request_id = request_id
        self.body = body
        self.headers: Mapping[str, str] = dict(headers or {})
        super().__init__(self._describe())

    def _describe(self) -> str:
        parts = [f"HTTP {self.status_code}"]
        if self.code:
            parts.append(f"[{self.code}]")
        if self.message:
            parts.append(self.message)
        if self.request_id:
            parts.append(f"(request id {self.request_id})")
        return " ".join(parts)


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the credential is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class UnprocessableEntityError(APIStatusError):
    """422."""


class RateLimitError(APIStatusError):
    """429. ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent a usable one."""

    def __init__(self, status_code: int = 429, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(status_code, **kwargs)


class ServerError(APIStatusError):
    """Any 5xx."""


class NonStandardStatusError(APIStatusError):
    """A status without its own class (e.g. Index Health's 435/437); providers may subclass it."""


_STATUS_CLASSES: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid", "x-trace-id")
_MAX_KEPT_BODY = 64 * 1024


def _text(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _first(mapping: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        found = _text(mapping.get(key))
        if found:
            return found
    return None


def parse_error_body(response: ResponseLike) -> ErrorDetails:
    """Default :data:`ErrorParser`: understands the common JSON error shapes of the five providers.

    ``{"error": {"code", "message", "request_id"}}`` (Sarvam), ``{"errors": [{"code", "title",
    "detail"}]}`` (Telnyx), ``{"statusCode", "message"}`` (Index Health), ``{"error_code",
    "message"}`` (Veridox) and flat ``{"code", "message"}``. A non-JSON body becomes the message
    (first 200 characters). Never raises.
    """
    headers = response.headers
    header_request_id = next((headers[h] for h in _REQUEST_ID_HEADERS if h in headers), None)
    try:
        raw = response.content
    except Exception:  # a streamed body that was never read: headers are all we have
        raw = b""
    import json  # here: a client's import stays light (only a failed call parses a body)

    try:
        data: Any = json.loads(raw) if raw else None
    except ValueError:
        text = raw[:200].decode("utf-8", "replace").strip()
        return ErrorDetails(message=text or None, request_id=header_request_id)
    if not isinstance(data, dict):
        return ErrorDetails(request_id=header_request_id)
    node: Mapping[str, Any] = data
    if isinstance(data.get("error"), dict):
        node = data["error"]
    elif isinstance(data.get("errors"), list) and data["errors"] and isinstance(data["errors"][0], dict):
        node = data["errors"][0]
    code = _first(node, "code", "error_code", "errorCode", "type")
    message = _first(node, "message", "detail", "title", "error_description", "msg")
    if message is None and node is not data:
        message = _first(data, "message", "detail")
    if message is None:
        message = _text(data.get("error"))
    request_id = _first(node, "request_id", "requestId") or _first(data, "request_id", "requestId")
    return ErrorDetails(code=code, message=message, request_id=request_id or header_request_id)


def status_error(
    response: ResponseLike,
    *,
    parse: ErrorParser | None = None,
    overrides: Mapping[int, type[APIStatusError]] | None = None,
    retry_after: float | None = None,
    status: int | None = None,
) -> APIStatusError:
    """Build (not raise) the exception for an error response (``status``: the code to report when the
    body says otherwise than the HTTP status, as Index Health's envelopes can).

    The class comes from ``overrides`` first (a provider's own 435/437 classes), then the standard
    table, then :class:`ServerError` for 5xx and :class:`NonStandardStatusError` for the rest.
    ``retry_after`` defaults to the parsed ``Retry-After`` header and is set on every class that
    derives from :class:`RateLimitError`.
    """
    from docfetch.core.hints import retry_delay

    status = int(response.status_code) if status is None else status
    details = (parse or parse_error_body)(response)
    try:
        body = response.content[:_MAX_KEPT_BODY]
    except Exception:
        body = b""
    cls = (overrides or {}).get(status) or _STATUS_CLASSES.get(status)
    if cls is None:
        cls = ServerError if 500 <= status <= 599 else NonStandardStatusError
    kwargs: dict[str, Any] = {
        "code": details.code,
        "message": details.message,
        "request_id": details.request_id,
        "body": body,
        "headers": response.headers,
    }
    if issubclass(cls, RateLimitError):
        if retry_after is None:
            retry_after = retry_delay(int(response.status_code), response.headers)
        return cls(status, retry_after=retry_after, **kwargs)
    return cls(status, **kwargs)


def raise_for_status(
    response: ResponseLike,
    *,
    parse: ErrorParser | None = None,
    overrides: Mapping[int, type[APIStatusError]] | None = None,
) -> None:
    """Raise :func:`status_error` for a status outside 200-299; do nothing otherwise."""
    if not 200 <= int(response.status_code) <= 299:
        raise status_error(response, parse=parse, overrides=overrides)


# --- other failures ----------------------------------------------------------------------------


class ResponseValidationError(DocfetchError):
    """A successful response whose body does not have the documented shape."""

    def __init__(self, message: str, *, body: bytes = b"") -> None:
        super().__init__(message)
        self.body = body[:_MAX_KEPT_BODY]


class AuthFlowError(DocfetchError):
    """Obtaining a credential failed: the token exchange was refused, broken or returned no token."""


class JobFailedError(DocfetchError):
    """The provider reports that a job failed; ``message`` is the provider's own explanation."""

    def __init__(self, job_id: str | None, state: object, message: str | None = None) -> None:
        self.job_id = job_id
        self.state = state
        self.message = message
        what = f"job {job_id}" if job_id else "job"
        super().__init__(f"{what} failed" + (f": {message}" if message else ""))


class JobNotStartedError(DocfetchError):
    """The job is in a state its provider documents as waiting for its owner (no input yet, never
    started): it cannot finish by itself, so waiting for it stops at once. ``state`` is the provider's
    state, and the message says what is missing."""

    def __init__(self, job_id: str, state: str, missing: str) -> None:
        super().__init__(f"job {job_id} is {state}: {missing}")
        self.job_id = job_id
        self.state = state


class PollingTimeoutError(DocfetchError, TimeoutError):
    """The polling deadline passed before a terminal state; ``last_state`` is the last one seen."""

    def __init__(self, message: str, *, last_state: object = None, elapsed: float | None = None) -> None:
        super().__init__(message)
        self.last_state = last_state
        self.elapsed = elapsed


class DownloadError(DocfetchError):
    """A download failed; no file was left at the destination (the temporary file is removed)."""

    def __init__(self, message: str, *, path: Path | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.url = url


class SizeMismatchError(DownloadError):
    """The number of bytes received differs from Content-Length or the expected size."""

    def __init__(self, message: str, *, expected: int, actual: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.expected = expected
        self.actual = actual


class ChecksumMismatchError(DownloadError):
    """The received bytes do not hash to the checksum the provider published."""

    def __init__(self, message: str, *, algorithm: str, expected: str, actual: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.algorithm = algorithm
        self.expected = expected
        self.actual = actual


class UnsafeFileNameError(DownloadError):
    """A file name would escape the destination directory or is unusable (strict mode only)."""


class LinkExpiredError(DownloadError):
    """A signed URL was refused (expired) and no fresh URL could be obtained."""

    def __init__(self, message: str, *, status_code: int | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status_code = status_code


class DestinationExistsError(DownloadError):
    """The destination file exists and overwriting was not requested."""
