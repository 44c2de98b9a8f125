from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...types import File, Response, status_code_from_int


def request_kwargs(
    document_id: str,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for this operation (method, url, params, headers, body)."""

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/download/{document_id}".format(
            document_id=quote(str(document_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 435:
        response_435 = ErrorEnvelope.from_dict(response.json())

        return response_435

    if response.status_code == 437:
        response_437 = ErrorEnvelope.from_dict(response.json())

        return response_437

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | File]:
    """Parse a response whose body has been read (after ``stream`` and ``response.read()``, for example).

    An error response whose body does not match its documented model (a proxy's HTML 503, say) is
    returned with ``parsed=None`` rather than raising, so its status code is never lost.
    """
    try:
        parsed = _parse_response(client=client, response=response)
    except (KeyError, TypeError, ValueError, AttributeError):
        if response.is_success:
            raise
        parsed = None
    return Response(
        status_code=status_code_from_int(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    document_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorEnvelope | File]:
    """Download a file-based document's content directly

     Streams the file with the document's own MIME type (the docs list PDF, DOCX, TXT and PNG/JPG/GIF
    images), `Content-Disposition: attachment; filename="document-name.pdf"` and `Cache-Control: no-
    cache`.
    `application/octet-stream` comes first and codegen.yaml maps the other types onto it, so the
    generated client treats every file type as bytes.

    Args:
        document_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | File]
    """

    kwargs = request_kwargs(
        document_id=document_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return build_response(client=client, response=response)


def sync(
    document_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorEnvelope | File | None:
    """Download a file-based document's content directly

     Streams the file with the document's own MIME type (the docs list PDF, DOCX, TXT and PNG/JPG/GIF
    images), `Content-Disposition: attachment; filename="document-name.pdf"` and `Cache-Control: no-
    cache`.
    `application/octet-stream` comes first and codegen.yaml maps the other types onto it, so the
    generated client treats every file type as bytes.

    Args:
        document_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | File
    """

    return sync_detailed(
        document_id=document_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    document_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorEnvelope | File]:
    """Download a file-based document's content directly

     Streams the file with the document's own MIME type (the docs list PDF, DOCX, TXT and PNG/JPG/GIF
    images), `Content-Disposition: attachment; filename="document-name.pdf"` and `Cache-Control: no-
    cache`.
    `application/octet-stream` comes first and codegen.yaml maps the other types onto it, so the
    generated client treats every file type as bytes.

    Args:
        document_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | File]
    """

    kwargs = request_kwargs(
        document_id=document_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return build_response(client=client, response=response)


async def asyncio(
    document_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorEnvelope | File | None:
    """Download a file-based document's content directly

     Streams the file with the document's own MIME type (the docs list PDF, DOCX, TXT and PNG/JPG/GIF
    images), `Content-Disposition: attachment; filename="document-name.pdf"` and `Cache-Control: no-
    cache`.
    `application/octet-stream` comes first and codegen.yaml maps the other types onto it, so the
    generated client treats every file type as bytes.

    Args:
        document_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | File
    """

    return (
        await asyncio_detailed(
            document_id=document_id,
            client=client,
        )
    ).parsed


@contextmanager
def stream(
    document_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Iterator[httpx.Response]:
    """Send the request and yield the ``httpx.Response`` with its body not yet read.

    Iterate ``response.iter_bytes()`` to stream a large body in constant memory; call
    ``response.read()`` then ``build_response(...)`` to parse it like ``sync_detailed``.
    """
    kwargs = request_kwargs(
        document_id=document_id,
    )
    with client.get_httpx_client().stream(**kwargs) as response:
        yield response


@asynccontextmanager
async def astream(
    document_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> AsyncIterator[httpx.Response]:
    """Async twin of ``stream``: the response body is not read; use ``response.aiter_bytes()``."""
    kwargs = request_kwargs(
        document_id=document_id,
    )
    async with client.get_async_httpx_client().stream(**kwargs) as response:
        yield response
