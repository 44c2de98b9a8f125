import datetime
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx

from ...client import AuthenticatedClient, Client
from ...models.document_list_response import DocumentListResponse
from ...models.document_sort_field import DocumentSortField
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset, status_code_from_int


def request_kwargs(
    *,
    filtercreated_atgt: datetime.datetime | Unset = UNSET,
    filtercreated_atlt: datetime.datetime | Unset = UNSET,
    filtercustomer_referenceeq: str | Unset = UNSET,
    filterfilenamecontains: str | Unset = UNSET,
    sort: list[DocumentSortField] | Unset = UNSET,
    pagenumber: int | Unset = 1,
    pagesize: int | Unset = 20,
) -> dict[str, Any]:
    """The keyword arguments of ``httpx.Client.request`` for this operation (method, url, params, headers, body)."""

    params: dict[str, Any] = {}

    json_filtercreated_atgt: str | Unset = UNSET
    if not isinstance(filtercreated_atgt, Unset):
        json_filtercreated_atgt = filtercreated_atgt.isoformat()
    params["filter[created_at][gt]"] = json_filtercreated_atgt

    json_filtercreated_atlt: str | Unset = UNSET
    if not isinstance(filtercreated_atlt, Unset):
        json_filtercreated_atlt = filtercreated_atlt.isoformat()
    params["filter[created_at][lt]"] = json_filtercreated_atlt

    params["filter[customer_reference][eq]"] = filtercustomer_referenceeq

    params["filter[filename][contains]"] = filterfilenamecontains

    json_sort: list[str] | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = []
        for sort_item_data in sort:
            sort_item = sort_item_data.value
            json_sort.append(sort_item)

    params["sort"] = json_sort

    params["page[number]"] = pagenumber

    params["page[size]"] = pagesize

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/documents",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentListResponse | ErrorResponse:
    if response.status_code == 200:
        response_200 = DocumentListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    response_default = ErrorResponse.from_dict(response.json())

    return response_default


def build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DocumentListResponse | ErrorResponse]:
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
    filtercreated_atgt: datetime.datetime | Unset = UNSET,
    filtercreated_atlt: datetime.datetime | Unset = UNSET,
    filtercustomer_referenceeq: str | Unset = UNSET,
    filterfilenamecontains: str | Unset = UNSET,
    sort: list[DocumentSortField] | Unset = UNSET,
    pagenumber: int | Unset = 1,
    pagesize: int | Unset = 20,
) -> Response[DocumentListResponse | ErrorResponse]:
    """List all documents

     List all documents ordered by created_at descending.

    Args:
        filtercreated_atgt (datetime.datetime | Unset):  Example: 2021-04-09T22:25:27.521Z.
        filtercreated_atlt (datetime.datetime | Unset):  Example: 2021-04-09T22:25:27.521Z.
        filtercustomer_referenceeq (str | Unset):  Example: MY REF 001.
        filterfilenamecontains (str | Unset):  Example: invoice.
        sort (list[DocumentSortField] | Unset):  Example: ['filename'].
        pagenumber (int | Unset):  Default: 1.
        pagesize (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentListResponse | ErrorResponse]
    """

    kwargs = request_kwargs(
        filtercreated_atgt=filtercreated_atgt,
        filtercreated_atlt=filtercreated_atlt,
        filtercustomer_referenceeq=filtercustomer_referenceeq,
        filterfilenamecontains=filterfilenamecontains,
        sort=sort,
        pagenumber=pagenumber,
        pagesize=pagesize,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    filtercreated_atgt: datetime.datetime | Unset = UNSET,
    filtercreated_atlt: datetime.datetime | Unset = UNSET,
    filtercustomer_referenceeq: str | Unset = UNSET,
    filterfilenamecontains: str | Unset = UNSET,
    sort: list[DocumentSortField] | Unset = UNSET,
    pagenumber: int | Unset = 1,
    pagesize: int | Unset = 20,
) -> DocumentListResponse | ErrorResponse | None:
    """List all documents

     List all documents ordered by created_at descending.

    Args:
        filtercreated_atgt (datetime.datetime | Unset):  Example: 2021-04-09T22:25:27.521Z.
        filtercreated_atlt (datetime.datetime | Unset):  Example: 2021-04-09T22:25:27.521Z.
        filtercustomer_referenceeq (str | Unset):  Example: MY REF 001.
        filterfilenamecontains (str | Unset):  Example: invoice.
        sort (list[DocumentSortField] | Unset):  Example: ['filename'].
        pagenumber (int | Unset):  Default: 1.
        pagesize (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentListResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        filtercreated_atgt=filtercreated_atgt,
        filtercreated_atlt=filtercreated_atlt,
        filtercustomer_referenceeq=filtercustomer_referenceeq,
        filterfilenamecontains=filterfilenamecontains,
        sort=sort,
        pagenumber=pagenumber,
        pagesize=pagesize,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    filtercreated_atgt: datetime.datetime | Unset = UNSET,
    filtercreated_atlt: datetime.datetime | Unset = UNSET,
    filtercustomer_referenceeq: str | Unset = UNSET,
    filterfilenamecontains: str | Unset = UNSET,
    sort: list[DocumentSortField] | Unset = UNSET,
    pagenumber: int | Unset = 1,
    pagesize: int | Unset = 20,
) -> Response[DocumentListResponse | ErrorResponse]:
    """List all documents

     List all documents ordered by created_at descending.

    Args:
        filtercreated_atgt (datetime.datetime | Unset):  Example: 2021-04-09T22:25:27.521Z.
        filtercreated_atlt (datetime.datetime | Unset):  Example: 2021-04-09T22:25:27.521Z.
        filtercustomer_referenceeq (str | Unset):  Example: MY REF 001.
        filterfilenamecontains (str | Unset):  Example: invoice.
        sort (list[DocumentSortField] | Unset):  Example: ['filename'].
        pagenumber (int | Unset):  Default: 1.
        pagesize (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentListResponse | ErrorResponse]
    """

    kwargs = request_kwargs(
        filtercreated_atgt=filtercreated_atgt,
        filtercreated_atlt=filtercreated_atlt,
        filtercustomer_referenceeq=filtercustomer_referenceeq,
        filterfilenamecontains=filterfilenamecontains,
        sort=sort,
        pagenumber=pagenumber,
        pagesize=pagesize,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    filtercreated_atgt: datetime.datetime | Unset = UNSET,
    filtercreated_atlt: datetime.datetime | Unset = UNSET,
    filtercustomer_referenceeq: str | Unset = UNSET,
    filterfilenamecontains: str | Unset = UNSET,
    sort: list[DocumentSortField] | Unset = UNSET,
    pagenumber: int | Unset = 1,
    pagesize: int | Unset = 20,
) -> DocumentListResponse | ErrorResponse | None:
    """List all documents

     List all documents ordered by created_at descending.

    Args:
        filtercreated_atgt (datetime.datetime | Unset):  Example: 2021-04-09T22:25:27.521Z.
        filtercreated_atlt (datetime.datetime | Unset):  Example: 2021-04-09T22:25:27.521Z.
        filtercustomer_referenceeq (str | Unset):  Example: MY REF 001.
        filterfilenamecontains (str | Unset):  Example: invoice.
        sort (list[DocumentSortField] | Unset):  Example: ['filename'].
        pagenumber (int | Unset):  Default: 1.
        pagesize (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentListResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            filtercreated_atgt=filtercreated_atgt,
            filtercreated_atlt=filtercreated_atlt,
            filtercustomer_referenceeq=filtercustomer_referenceeq,
            filterfilenamecontains=filterfilenamecontains,
            sort=sort,
            pagenumber=pagenumber,
            pagesize=pagesize,
        )
    ).parsed


@contextmanager
def stream(
    *,
    client: AuthenticatedClient | Client,
    filtercreated_atgt: datetime.datetime | Unset = UNSET,
    filtercreated_atlt: datetime.datetime | Unset = UNSET,
    filtercustomer_referenceeq: str | Unset = UNSET,
    filterfilenamecontains: str | Unset = UNSET,
    sort: list[DocumentSortField] | Unset = UNSET,
    pagenumber: int | Unset = 1,
    pagesize: int | Unset = 20,
) -> Iterator[httpx.Response]:
    """Send the request and yield the ``httpx.Response`` with its body not yet read.

    Iterate ``response.iter_bytes()`` to stream a large body in constant memory; call
    ``response.read()`` then ``build_response(...)`` to parse it like ``sync_detailed``.
    """
    kwargs = request_kwargs(
        filtercreated_atgt=filtercreated_atgt,
        filtercreated_atlt=filtercreated_atlt,
        filtercustomer_referenceeq=filtercustomer_referenceeq,
        filterfilenamecontains=filterfilenamecontains,
        sort=sort,
        pagenumber=pagenumber,
        pagesize=pagesize,
    )
    with client.get_httpx_client().stream(**kwargs) as response:
        yield response


@asynccontextmanager
async def astream(
    *,
    client: AuthenticatedClient | Client,
    filtercreated_atgt: datetime.datetime | Unset = UNSET,
    filtercreated_atlt: datetime.datetime | Unset = UNSET,
    filtercustomer_referenceeq: str | Unset = UNSET,
    filterfilenamecontains: str | Unset = UNSET,
    sort: list[DocumentSortField] | Unset = UNSET,
    pagenumber: int | Unset = 1,
    pagesize: int | Unset = 20,
) -> AsyncIterator[httpx.Response]:
    """Async twin of ``stream``: the response body is not read; use ``response.aiter_bytes()``."""
    kwargs = request_kwargs(
        filtercreated_atgt=filtercreated_atgt,
        filtercreated_atlt=filtercreated_atlt,
        filtercustomer_referenceeq=filtercustomer_referenceeq,
        filterfilenamecontains=filterfilenamecontains,
        sort=sort,
        pagenumber=pagenumber,
        pagesize=pagesize,
    )
    async with client.get_async_httpx_client().stream(**kwargs) as response:
        yield response
