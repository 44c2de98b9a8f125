from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_error import ApiError
from ...models.asset_type import AssetType
from ...models.asset_url import AssetUrl
from ...types import UNSET, Response, status_code_from_int


def request_kwargs(
    *,
    file_id: str,
    asset: AssetType,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for this operation (method, url, params, headers, body)."""

    params: dict[str, Any] = {}

    params["file_id"] = file_id

    json_asset = asset.value
    params["asset"] = json_asset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/files/asset-url",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ApiError | AssetUrl | None:
    if response.status_code == 200:
        response_200 = AssetUrl.from_dict(response.json())

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


def build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ApiError | AssetUrl]:
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
    file_id: str,
    asset: AssetType,
) -> Response[ApiError | AssetUrl]:
    """Get a signed URL for a file asset

     A short-lived signed URL (30 minutes) for the original file or one of its generated assets.
    Answers 404 `request.cases.case-file.asset-not-found` while the asset has not been generated.

    Args:
        file_id (str):
        asset (AssetType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | AssetUrl]
    """

    kwargs = request_kwargs(
        file_id=file_id,
        asset=asset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    file_id: str,
    asset: AssetType,
) -> ApiError | AssetUrl | None:
    """Get a signed URL for a file asset

     A short-lived signed URL (30 minutes) for the original file or one of its generated assets.
    Answers 404 `request.cases.case-file.asset-not-found` while the asset has not been generated.

    Args:
        file_id (str):
        asset (AssetType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | AssetUrl
    """

    return sync_detailed(
        client=client,
        file_id=file_id,
        asset=asset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    file_id: str,
    asset: AssetType,
) -> Response[ApiError | AssetUrl]:
    """Get a signed URL for a file asset

     A short-lived signed URL (30 minutes) for the original file or one of its generated assets.
    Answers 404 `request.cases.case-file.asset-not-found` while the asset has not been generated.

    Args:
        file_id (str):
        asset (AssetType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiError | AssetUrl]
    """

    kwargs = request_kwargs(
        file_id=file_id,
        asset=asset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    file_id: str,
    asset: AssetType,
) -> ApiError | AssetUrl | None:
    """Get a signed URL for a file asset

     A short-lived signed URL (30 minutes) for the original file or one of its generated assets.
    Answers 404 `request.cases.case-file.asset-not-found` while the asset has not been generated.

    Args:
        file_id (str):
        asset (AssetType):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiError | AssetUrl
    """

    return (
        await asyncio_detailed(
            client=client,
            file_id=file_id,
            asset=asset,
        )
    ).parsed


@contextmanager
def stream(
    *,
    client: AuthenticatedClient | Client,
    file_id: str,
    asset: AssetType,
) -> Iterator[httpx.Response]:
    """Send the request and yield the ``httpx.Response`` with its body not yet read.

    Iterate ``response.iter_bytes()`` to stream a large body in constant memory; call
    ``response.read()`` then ``build_response(...)`` to parse it like ``sync_detailed``.
    """
    kwargs = request_kwargs(
        file_id=file_id,
        asset=asset,
    )
    with client.get_httpx_client().stream(**kwargs) as response:
        yield response


@asynccontextmanager
async def astream(
    *,
    client: AuthenticatedClient | Client,
    file_id: str,
    asset: AssetType,
) -> AsyncIterator[httpx.Response]:
    """Async twin of ``stream``: the response body is not read; use ``response.aiter_bytes()``."""
    kwargs = request_kwargs(
        file_id=file_id,
        asset=asset,
    )
    async with client.get_async_httpx_client().stream(**kwargs) as response:
        yield response
