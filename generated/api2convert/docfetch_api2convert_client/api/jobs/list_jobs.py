from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.job import Job
from ...types import UNSET, Response, Unset, status_code_from_int


def request_kwargs(
    *,
    status: str | Unset = UNSET,
    page: int | Unset = 1,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for this operation (method, url, params, headers, body)."""

    params: dict[str, Any] = {}

    params["status"] = status

    params["page"] = page

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/jobs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | list[Job] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = Job.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | Error | list[Job]]:
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
    status: str | Unset = UNSET,
    page: int | Unset = 1,
) -> Response[Any | Error | list[Job]]:
    """List of jobs active for the current user identified by the key.

     It will return the list of jobs for the given user. In order to get the jobs a key or token must be
    provided:
      - If the user key is provided all jobs for the current will be return.
      - If one token is provided it will return the job assigned to that token if any.

    The request is paginated with an amount of 50 elements per page in any case.

    Args:
        status (str | Unset):
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | list[Job]]
    """

    kwargs = request_kwargs(
        status=status,
        page=page,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    page: int | Unset = 1,
) -> Any | Error | list[Job] | None:
    """List of jobs active for the current user identified by the key.

     It will return the list of jobs for the given user. In order to get the jobs a key or token must be
    provided:
      - If the user key is provided all jobs for the current will be return.
      - If one token is provided it will return the job assigned to that token if any.

    The request is paginated with an amount of 50 elements per page in any case.

    Args:
        status (str | Unset):
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | list[Job]
    """

    return sync_detailed(
        client=client,
        status=status,
        page=page,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    page: int | Unset = 1,
) -> Response[Any | Error | list[Job]]:
    """List of jobs active for the current user identified by the key.

     It will return the list of jobs for the given user. In order to get the jobs a key or token must be
    provided:
      - If the user key is provided all jobs for the current will be return.
      - If one token is provided it will return the job assigned to that token if any.

    The request is paginated with an amount of 50 elements per page in any case.

    Args:
        status (str | Unset):
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | list[Job]]
    """

    kwargs = request_kwargs(
        status=status,
        page=page,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    page: int | Unset = 1,
) -> Any | Error | list[Job] | None:
    """List of jobs active for the current user identified by the key.

     It will return the list of jobs for the given user. In order to get the jobs a key or token must be
    provided:
      - If the user key is provided all jobs for the current will be return.
      - If one token is provided it will return the job assigned to that token if any.

    The request is paginated with an amount of 50 elements per page in any case.

    Args:
        status (str | Unset):
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | list[Job]
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            page=page,
        )
    ).parsed


@contextmanager
def stream(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    page: int | Unset = 1,
) -> Iterator[httpx.Response]:
    """Send the request and yield the ``httpx.Response`` with its body not yet read.

    Iterate ``response.iter_bytes()`` to stream a large body in constant memory; call
    ``response.read()`` then ``build_response(...)`` to parse it like ``sync_detailed``.
    """
    kwargs = request_kwargs(
        status=status,
        page=page,
    )
    with client.get_httpx_client().stream(**kwargs) as response:
        yield response


@asynccontextmanager
async def astream(
    *,
    client: AuthenticatedClient | Client,
    status: str | Unset = UNSET,
    page: int | Unset = 1,
) -> AsyncIterator[httpx.Response]:
    """Async twin of ``stream``: the response body is not read; use ``response.aiter_bytes()``."""
    kwargs = request_kwargs(
        status=status,
        page=page,
    )
    async with client.get_async_httpx_client().stream(**kwargs) as response:
        yield response
