from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.job import Job
from ...models.job_request import JobRequest
from ...types import Response, status_code_from_int


def request_kwargs(
    job_id: str,
    *,
    body: JobRequest,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for this operation (method, url, params, headers, body)."""
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/jobs/{job_id}".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Job | None:
    if response.status_code == 200:
        response_200 = Job.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Job]:
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
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRequest,
) -> Response[Error | Job]:
    """Modifies the job identified by the id, allows to start a created job.

    Args:
        job_id (str):
        body (JobRequest): The fields a client may send when creating a job (POST) or changing one
            (PATCH). Send `{"process": true}` to start a job that was created with `process: false`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Job]
    """

    kwargs = request_kwargs(
        job_id=job_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return build_response(client=client, response=response)


def sync(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRequest,
) -> Error | Job | None:
    """Modifies the job identified by the id, allows to start a created job.

    Args:
        job_id (str):
        body (JobRequest): The fields a client may send when creating a job (POST) or changing one
            (PATCH). Send `{"process": true}` to start a job that was created with `process: false`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Job
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRequest,
) -> Response[Error | Job]:
    """Modifies the job identified by the id, allows to start a created job.

    Args:
        job_id (str):
        body (JobRequest): The fields a client may send when creating a job (POST) or changing one
            (PATCH). Send `{"process": true}` to start a job that was created with `process: false`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Job]
    """

    kwargs = request_kwargs(
        job_id=job_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return build_response(client=client, response=response)


async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRequest,
) -> Error | Job | None:
    """Modifies the job identified by the id, allows to start a created job.

    Args:
        job_id (str):
        body (JobRequest): The fields a client may send when creating a job (POST) or changing one
            (PATCH). Send `{"process": true}` to start a job that was created with `process: false`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Job
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
            body=body,
        )
    ).parsed


@contextmanager
def stream(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRequest,
) -> Iterator[httpx.Response]:
    """Send the request and yield the ``httpx.Response`` with its body not yet read.

    Iterate ``response.iter_bytes()`` to stream a large body in constant memory; call
    ``response.read()`` then ``build_response(...)`` to parse it like ``sync_detailed``.
    """
    kwargs = request_kwargs(
        job_id=job_id,
        body=body,
    )
    with client.get_httpx_client().stream(**kwargs) as response:
        yield response


@asynccontextmanager
async def astream(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: JobRequest,
) -> AsyncIterator[httpx.Response]:
    """Async twin of ``stream``: the response body is not read; use ``response.aiter_bytes()``."""
    kwargs = request_kwargs(
        job_id=job_id,
        body=body,
    )
    async with client.get_async_httpx_client().stream(**kwargs) as response:
        yield response
