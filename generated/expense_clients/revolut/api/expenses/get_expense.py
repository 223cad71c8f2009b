from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.expense import Expense
from ...types import Response


def _get_kwargs(
    expense_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/expenses/{expense_id}".format(
            expense_id=quote(str(expense_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Expense | None:
    if response.status_code == 200:
        response_200 = Expense.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | Expense]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | Expense]:
    """Retrieve an expense

     Get the information about a specific expense by its ID.

    Args:
        expense_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Expense]
    """

    kwargs = _get_kwargs(
        expense_id=expense_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | Expense | None:
    """Retrieve an expense

     Get the information about a specific expense by its ID.

    Args:
        expense_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Expense
    """

    return sync_detailed(
        expense_id=expense_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | Expense]:
    """Retrieve an expense

     Get the information about a specific expense by its ID.

    Args:
        expense_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Expense]
    """

    kwargs = _get_kwargs(
        expense_id=expense_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | Expense | None:
    """Retrieve an expense

     Get the information about a specific expense by its ID.

    Args:
        expense_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Expense
    """

    return (
        await asyncio_detailed(
            expense_id=expense_id,
            client=client,
        )
    ).parsed
