"""The error tree, the default error-body parser and the status factory."""

from __future__ import annotations

import json

import httpx
import pytest
from docfetch import errors as e


def resp(status: int, body: object = None, headers: dict[str, str] | None = None) -> httpx.Response:
    content = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else b"")
    return httpx.Response(status, content=content, headers=headers)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, e.BadRequestError),
        (401, e.AuthenticationError),
        (403, e.PermissionDeniedError),
        (404, e.NotFoundError),
        (409, e.ConflictError),
        (422, e.UnprocessableEntityError),
        (429, e.RateLimitError),
        (500, e.ServerError),
        (503, e.ServerError),
        (599, e.ServerError),
        (435, e.NonStandardStatusError),
        (437, e.NonStandardStatusError),
        (402, e.NonStandardStatusError),
    ],
)
def test_status_classes(status: int, cls: type[e.APIStatusError]) -> None:
    error = e.status_error(resp(status, {"message": "m"}))
    assert type(error) is cls
    assert isinstance(error, e.DocfetchError)
    assert error.status_code == status
    with pytest.raises(cls):
        e.raise_for_status(resp(status))


def test_success_does_not_raise() -> None:
    e.raise_for_status(resp(204))


def test_provider_overrides_and_parser() -> None:
    class MissingFields(e.NonStandardStatusError):
        pass

    def parse(response: e.ResponseLike) -> e.ErrorDetails:
        return e.ErrorDetails(code="435", message=json.loads(response.content)["message"], request_id="r1")

    error = e.status_error(
        resp(435, {"message": "Document ID is required"}), parse=parse, overrides={435: MissingFields}
    )
    assert isinstance(error, MissingFields)
    assert (error.code, error.message, error.request_id) == ("435", "Document ID is required", "r1")
    assert "Document ID is required" in str(error)


def test_rate_limit_carries_retry_after() -> None:
    error = e.status_error(resp(429, {}, {"Retry-After": "7"}))
    assert isinstance(error, e.RateLimitError)
    assert error.retry_after == 7.0
    assert e.status_error(resp(429)).retry_after is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"error": {"code": "invalid_api_key_error", "message": "bad key", "request_id": "rq"}},
            ("invalid_api_key_error", "bad key", "rq"),
        ),
        (
            {"errors": [{"code": "10009", "title": "Authentication failed", "detail": "invalid"}]},
            ("10009", "invalid", None),
        ),
        (
            {"statusCode": 435, "data": {}, "message": "Document ID is required"},
            (None, "Document ID is required", None),
        ),
        (
            {
                "error_code": "request.authentication.api-key.invalid",
                "message": "The provided API key is invalid.",
            },
            ("request.authentication.api-key.invalid", "The provided API key is invalid.", None),
        ),
        (b"<html>Bad Gateway</html>", (None, "<html>Bad Gateway</html>", None)),
        (b"", (None, None, None)),
        ([1, 2], (None, None, None)),
        ({"error": "unauthorized"}, (None, "unauthorized", None)),
    ],
)
def test_default_parser_shapes(body: object, expected: tuple[str | None, str | None, str | None]) -> None:
    details = e.parse_error_body(resp(400, body))
    assert (details.code, details.message, details.request_id) == expected


def test_request_id_from_headers() -> None:
    assert e.parse_error_body(resp(500, {}, {"x-request-id": "abc"})).request_id == "abc"


def test_unread_streamed_body_does_not_crash() -> None:
    response = httpx.Response(500, stream=httpx.ByteStream(b"x"))
    error = e.status_error(response)
    assert error.body == b""


def test_tree_shape() -> None:
    assert issubclass(e.RequestTimeoutError, TimeoutError)
    assert issubclass(e.PollingTimeoutError, TimeoutError)
    assert issubclass(e.InvalidInputError, ValueError)
    assert issubclass(e.MissingCredentialsError, e.InvalidInputError)
    for cls in (
        e.SizeMismatchError,
        e.ChecksumMismatchError,
        e.UnsafeFileNameError,
        e.LinkExpiredError,
        e.DestinationExistsError,
    ):
        assert issubclass(cls, e.DownloadError)
    missing = e.MissingCredentialsError("TELNYX_API_KEY", "telnyx")
    assert "TELNYX_API_KEY" in str(missing) and missing.env_var == "TELNYX_API_KEY"
    failed = e.JobFailedError("j1", {"status": "Failed"}, "page limit exceeded")
    assert failed.message == "page limit exceeded" and "j1" in str(failed)
