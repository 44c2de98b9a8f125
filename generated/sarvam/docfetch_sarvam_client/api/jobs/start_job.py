from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.doc_digitization_error_message import DocDigitizationErrorMessage
from ...models.doc_digitization_job_status_response import DocDigitizationJobStatusResponse
from ...types import Response, status_code_from_int


def request_kwargs(
    job_id: str,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for this operation (method, url, params, headers, body)."""

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/doc-digitization/job/v1/{job_id}/start".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocDigitizationErrorMessage | DocDigitizationJobStatusResponse | None:
    if response.status_code == 202:
        response_202 = DocDigitizationJobStatusResponse.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = DocDigitizationErrorMessage.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = DocDigitizationErrorMessage.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = DocDigitizationErrorMessage.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = DocDigitizationErrorMessage.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = DocDigitizationErrorMessage.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = DocDigitizationErrorMessage.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = DocDigitizationErrorMessage.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DocDigitizationErrorMessage | DocDigitizationJobStatusResponse]:
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
) -> Response[DocDigitizationErrorMessage | DocDigitizationJobStatusResponse]:
    """Start Document Intelligence Job

     Validates the uploaded file and starts processing asynchronously. The file must have been uploaded;
    it must be a parseable PDF or a flat ZIP of JPEG/PNG images of at most 10 pages/images (otherwise
    422 `max_page_limit_exceeded`) and at most 200 MB.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocDigitizationErrorMessage | DocDigitizationJobStatusResponse]
    """

    kwargs = request_kwargs(
        job_id=job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return build_response(client=client, response=response)


def sync(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> DocDigitizationErrorMessage | DocDigitizationJobStatusResponse | None:
    """Start Document Intelligence Job

     Validates the uploaded file and starts processing asynchronously. The file must have been uploaded;
    it must be a parseable PDF or a flat ZIP of JPEG/PNG images of at most 10 pages/images (otherwise
    422 `max_page_limit_exceeded`) and at most 200 MB.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocDigitizationErrorMessage | DocDigitizationJobStatusResponse
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[DocDigitizationErrorMessage | DocDigitizationJobStatusResponse]:
    """Start Document Intelligence Job

     Validates the uploaded file and starts processing asynchronously. The file must have been uploaded;
    it must be a parseable PDF or a flat ZIP of JPEG/PNG images of at most 10 pages/images (otherwise
    422 `max_page_limit_exceeded`) and at most 200 MB.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocDigitizationErrorMessage | DocDigitizationJobStatusResponse]
    """

    kwargs = request_kwargs(
        job_id=job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return build_response(client=client, response=response)


async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> DocDigitizationErrorMessage | DocDigitizationJobStatusResponse | None:
    """Start Document Intelligence Job

     Validates the uploaded file and starts processing asynchronously. The file must have been uploaded;
    it must be a parseable PDF or a flat ZIP of JPEG/PNG images of at most 10 pages/images (otherwise
    422 `max_page_limit_exceeded`) and at most 200 MB.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocDigitizationErrorMessage | DocDigitizationJobStatusResponse
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
        )
    ).parsed


@contextmanager
def stream(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Iterator[httpx.Response]:
    """Send the request and yield the ``httpx.Response`` with its body not yet read.

    Iterate ``response.iter_bytes()`` to stream a large body in constant memory; call
    ``response.read()`` then ``build_response(...)`` to parse it like ``sync_detailed``.
    """
    kwargs = request_kwargs(
        job_id=job_id,
    )
    with client.get_httpx_client().stream(**kwargs) as response:
        yield response


@asynccontextmanager
async def astream(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> AsyncIterator[httpx.Response]:
    """Async twin of ``stream``: the response body is not read; use ``response.aiter_bytes()``."""
    kwargs = request_kwargs(
        job_id=job_id,
    )
    async with client.get_async_httpx_client().stream(**kwargs) as response:
        yield response
