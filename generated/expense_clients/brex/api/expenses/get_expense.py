from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.expense import Expense
from ...types import UNSET, Response, Unset


def _get_kwargs(
    expense_id: str,
    *,
    expand: list[str] | None | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_expand: list[str] | None | Unset
    if isinstance(expand, Unset):
        json_expand = UNSET
    elif isinstance(expand, list):
        json_expand = expand

    else:
        json_expand = expand
    params["expand[]"] = json_expand

    json_load_custom_fields: bool | None | Unset
    if isinstance(load_custom_fields, Unset):
        json_load_custom_fields = UNSET
    else:
        json_load_custom_fields = load_custom_fields
    params["load_custom_fields"] = json_load_custom_fields

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/expenses/{expense_id}".format(
            expense_id=quote(str(expense_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Expense | None:
    if response.status_code == 200:
        response_200 = Expense.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

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
    expand: list[str] | None | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
) -> Response[Error | Expense]:
    """Get an expense

     Get an expense by its ID.

    Args:
        expense_id (str):
        expand (list[str] | None | Unset):
        load_custom_fields (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Expense]
    """

    kwargs = _get_kwargs(
        expense_id=expense_id,
        expand=expand,
        load_custom_fields=load_custom_fields,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    expand: list[str] | None | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
) -> Error | Expense | None:
    """Get an expense

     Get an expense by its ID.

    Args:
        expense_id (str):
        expand (list[str] | None | Unset):
        load_custom_fields (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Expense
    """

    return sync_detailed(
        expense_id=expense_id,
        client=client,
        expand=expand,
        load_custom_fields=load_custom_fields,
    ).parsed


async def asyncio_detailed(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    expand: list[str] | None | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
) -> Response[Error | Expense]:
    """Get an expense

     Get an expense by its ID.

    Args:
        expense_id (str):
        expand (list[str] | None | Unset):
        load_custom_fields (bool | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Expense]
    """

    kwargs = _get_kwargs(
        expense_id=expense_id,
        expand=expand,
        load_custom_fields=load_custom_fields,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    expand: list[str] | None | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
) -> Error | Expense | None:
    """Get an expense

     Get an expense by its ID.

    Args:
        expense_id (str):
        expand (list[str] | None | Unset):
        load_custom_fields (bool | None | Unset):

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
            expand=expand,
            load_custom_fields=load_custom_fields,
        )
    ).parsed
