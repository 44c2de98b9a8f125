from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_error import ApiError
from ...models.download_files_request import DownloadFilesRequest
from ...models.download_files_response import DownloadFilesResponse
from ...types import Response, status_code_from_int


def request_kwargs(
    *,
    body: DownloadFilesRequest,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for this operation (method, url, params, headers, body)."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/files/download",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiError | DownloadFilesResponse | None:
    if response.status_code == 200:
        response_200 = DownloadFilesResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ApiError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ApiError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ApiError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ApiError.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ApiError.from_dict(response.json())

        return response_409

    if response.status_code == 429:
        response_429 = ApiError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ApiError.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ApiError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApiError | DownloadFilesResponse]:
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
    *,
    client: AuthenticatedClient | Client,
    body: DownloadFilesRequest,
) -> Response[ApiError | DownloadFilesResponse]:
    """Generate bulk file download URLs

     Generate signed download URLs for up to 25 files in one request. Partial success: URLs are
    returned for accessible files and per-file entries in `errors` for ids that are inaccessible
    or invalid. Files must be owned by the authenticated user. URLs expire after 60 minutes.
    Rate limit: 20 requests per minute.

    Args:
        body (DownloadFilesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | DownloadFilesResponse]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: DownloadFilesRequest,
) -> ApiError | DownloadFilesResponse | None:
    """Generate bulk file download URLs

     Generate signed download URLs for up to 25 files in one request. Partial success: URLs are
    returned for accessible files and per-file entries in `errors` for ids that are inaccessible
    or invalid. Files must be owned by the authenticated user. URLs expire after 60 minutes.
    Rate limit: 20 requests per minute.

    Args:
        body (DownloadFilesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | DownloadFilesResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DownloadFilesRequest,
) -> Response[ApiError | DownloadFilesResponse]:
    """Generate bulk file download URLs

     Generate signed download URLs for up to 25 files in one request. Partial success: URLs are
    returned for accessible files and per-file entries in `errors` for ids that are inaccessible
    or invalid. Files must be owned by the authenticated user. URLs expire after 60 minutes.
    Rate limit: 20 requests per minute.

    Args:
        body (DownloadFilesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | DownloadFilesResponse]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: DownloadFilesRequest,
) -> ApiError | DownloadFilesResponse | None:
    """Generate bulk file download URLs

     Generate signed download URLs for up to 25 files in one request. Partial success: URLs are
    returned for accessible files and per-file entries in `errors` for ids that are inaccessible
    or invalid. Files must be owned by the authenticated user. URLs expire after 60 minutes.
    Rate limit: 20 requests per minute.

    Args:
        body (DownloadFilesRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | DownloadFilesResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed


@contextmanager
def stream(
    *,
    client: AuthenticatedClient | Client,
    body: DownloadFilesRequest,
) -> Iterator[httpx.Response]:
    """Send the request and yield the ``httpx.Response`` with its body not yet read.

    Iterate ``response.iter_bytes()`` to stream a large body in constant memory; call
    ``response.read()`` then ``build_response(...)`` to parse it like ``sync_detailed``.
    """
    kwargs = request_kwargs(
        body=body,
    )
    with client.get_httpx_client().stream(**kwargs) as response:
        yield response


@asynccontextmanager
async def astream(
    *,
    client: AuthenticatedClient | Client,
    body: DownloadFilesRequest,
) -> AsyncIterator[httpx.Response]:
    """Async twin of ``stream``: the response body is not read; use ``response.aiter_bytes()``."""
    kwargs = request_kwargs(
        body=body,
    )
    async with client.get_async_httpx_client().stream(**kwargs) as response:
        yield response
