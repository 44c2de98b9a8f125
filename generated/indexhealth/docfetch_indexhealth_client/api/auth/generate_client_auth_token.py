from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.auth_error_response import AuthErrorResponse
from ...models.client_auth_token_request import ClientAuthTokenRequest
from ...models.client_auth_token_response import ClientAuthTokenResponse
from ...types import Response, status_code_from_int


def request_kwargs(
    *,
    body: ClientAuthTokenRequest,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for this operation (method, url, params, headers, body)."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/generate-client-auth-token",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuthErrorResponse | ClientAuthTokenResponse | None:
    if response.status_code == 200:
        response_200 = ClientAuthTokenResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = AuthErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = AuthErrorResponse.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AuthErrorResponse | ClientAuthTokenResponse]:
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
    body: ClientAuthTokenRequest,
) -> Response[AuthErrorResponse | ClientAuthTokenResponse]:
    """Exchange client credentials and a user identity for a bearer token

     Returns a JWT to send as `Authorization: Bearer <token>` on every other endpoint. The docs disagree
    on the
    success shape: the client-credentials page shows `{status: 200, data: {auth_token}}`, the download
    page's
    example shows `{statusCode: 200, data: {access_token}, message: "OKAY"}`. Both shapes are accepted
    here:
    read `data.auth_token`, falling back to `data.access_token`.

    Args:
        body (ClientAuthTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthErrorResponse | ClientAuthTokenResponse]
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
    body: ClientAuthTokenRequest,
) -> AuthErrorResponse | ClientAuthTokenResponse | None:
    """Exchange client credentials and a user identity for a bearer token

     Returns a JWT to send as `Authorization: Bearer <token>` on every other endpoint. The docs disagree
    on the
    success shape: the client-credentials page shows `{status: 200, data: {auth_token}}`, the download
    page's
    example shows `{statusCode: 200, data: {access_token}, message: "OKAY"}`. Both shapes are accepted
    here:
    read `data.auth_token`, falling back to `data.access_token`.

    Args:
        body (ClientAuthTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthErrorResponse | ClientAuthTokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ClientAuthTokenRequest,
) -> Response[AuthErrorResponse | ClientAuthTokenResponse]:
    """Exchange client credentials and a user identity for a bearer token

     Returns a JWT to send as `Authorization: Bearer <token>` on every other endpoint. The docs disagree
    on the
    success shape: the client-credentials page shows `{status: 200, data: {auth_token}}`, the download
    page's
    example shows `{statusCode: 200, data: {access_token}, message: "OKAY"}`. Both shapes are accepted
    here:
    read `data.auth_token`, falling back to `data.access_token`.

    Args:
        body (ClientAuthTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuthErrorResponse | ClientAuthTokenResponse]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ClientAuthTokenRequest,
) -> AuthErrorResponse | ClientAuthTokenResponse | None:
    """Exchange client credentials and a user identity for a bearer token

     Returns a JWT to send as `Authorization: Bearer <token>` on every other endpoint. The docs disagree
    on the
    success shape: the client-credentials page shows `{status: 200, data: {auth_token}}`, the download
    page's
    example shows `{statusCode: 200, data: {access_token}, message: "OKAY"}`. Both shapes are accepted
    here:
    read `data.auth_token`, falling back to `data.access_token`.

    Args:
        body (ClientAuthTokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuthErrorResponse | ClientAuthTokenResponse
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
    body: ClientAuthTokenRequest,
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
    body: ClientAuthTokenRequest,
) -> AsyncIterator[httpx.Response]:
    """Async twin of ``stream``: the response body is not read; use ``response.aiter_bytes()``."""
    kwargs = request_kwargs(
        body=body,
    )
    async with client.get_async_httpx_client().stream(**kwargs) as response:
        yield response
