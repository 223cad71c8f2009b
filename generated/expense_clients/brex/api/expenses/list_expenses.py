from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.expense_page import ExpensePage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    expand: list[str] | None | Unset = UNSET,
    user_id: list[str] | None | Unset = UNSET,
    parent_expense_id: list[str] | None | Unset = UNSET,
    budget_id: list[str] | None | Unset = UNSET,
    status: list[str] | None | Unset = UNSET,
    payment_status: list[str] | None | Unset = UNSET,
    purchased_at_start: None | str | Unset = UNSET,
    purchased_at_end: None | str | Unset = UNSET,
    updated_at_start: None | str | Unset = UNSET,
    updated_at_end: None | str | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
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

    json_user_id: list[str] | None | Unset
    if isinstance(user_id, Unset):
        json_user_id = UNSET
    elif isinstance(user_id, list):
        json_user_id = user_id

    else:
        json_user_id = user_id
    params["user_id[]"] = json_user_id

    json_parent_expense_id: list[str] | None | Unset
    if isinstance(parent_expense_id, Unset):
        json_parent_expense_id = UNSET
    elif isinstance(parent_expense_id, list):
        json_parent_expense_id = parent_expense_id

    else:
        json_parent_expense_id = parent_expense_id
    params["parent_expense_id[]"] = json_parent_expense_id

    json_budget_id: list[str] | None | Unset
    if isinstance(budget_id, Unset):
        json_budget_id = UNSET
    elif isinstance(budget_id, list):
        json_budget_id = budget_id

    else:
        json_budget_id = budget_id
    params["budget_id[]"] = json_budget_id

    json_status: list[str] | None | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, list):
        json_status = status

    else:
        json_status = status
    params["status[]"] = json_status

    json_payment_status: list[str] | None | Unset
    if isinstance(payment_status, Unset):
        json_payment_status = UNSET
    elif isinstance(payment_status, list):
        json_payment_status = payment_status

    else:
        json_payment_status = payment_status
    params["payment_status[]"] = json_payment_status

    json_purchased_at_start: None | str | Unset
    if isinstance(purchased_at_start, Unset):
        json_purchased_at_start = UNSET
    else:
        json_purchased_at_start = purchased_at_start
    params["purchased_at_start"] = json_purchased_at_start

    json_purchased_at_end: None | str | Unset
    if isinstance(purchased_at_end, Unset):
        json_purchased_at_end = UNSET
    else:
        json_purchased_at_end = purchased_at_end
    params["purchased_at_end"] = json_purchased_at_end

    json_updated_at_start: None | str | Unset
    if isinstance(updated_at_start, Unset):
        json_updated_at_start = UNSET
    else:
        json_updated_at_start = updated_at_start
    params["updated_at_start"] = json_updated_at_start

    json_updated_at_end: None | str | Unset
    if isinstance(updated_at_end, Unset):
        json_updated_at_end = UNSET
    else:
        json_updated_at_end = updated_at_end
    params["updated_at_end"] = json_updated_at_end

    json_load_custom_fields: bool | None | Unset
    if isinstance(load_custom_fields, Unset):
        json_load_custom_fields = UNSET
    else:
        json_load_custom_fields = load_custom_fields
    params["load_custom_fields"] = json_load_custom_fields

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/expenses",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ExpensePage | None:
    if response.status_code == 200:
        response_200 = ExpensePage.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ExpensePage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    expand: list[str] | None | Unset = UNSET,
    user_id: list[str] | None | Unset = UNSET,
    parent_expense_id: list[str] | None | Unset = UNSET,
    budget_id: list[str] | None | Unset = UNSET,
    status: list[str] | None | Unset = UNSET,
    payment_status: list[str] | None | Unset = UNSET,
    purchased_at_start: None | str | Unset = UNSET,
    purchased_at_end: None | str | Unset = UNSET,
    updated_at_start: None | str | Unset = UNSET,
    updated_at_end: None | str | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> Response[Error | ExpensePage]:
    """List expenses

     List expenses under the same account. Admin and bookkeeper have access to any
    expense, and regular users can only access their own. Array keys are sent
    literally with brackets, repeated once per value
    (`?status[]=APPROVED&status[]=SETTLED`).

    Args:
        expand (list[str] | None | Unset):
        user_id (list[str] | None | Unset):
        parent_expense_id (list[str] | None | Unset):
        budget_id (list[str] | None | Unset):
        status (list[str] | None | Unset):
        payment_status (list[str] | None | Unset):
        purchased_at_start (None | str | Unset):
        purchased_at_end (None | str | Unset):
        updated_at_start (None | str | Unset):
        updated_at_end (None | str | Unset):
        load_custom_fields (bool | None | Unset):
        cursor (None | str | Unset):
        limit (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExpensePage]
    """

    kwargs = _get_kwargs(
        expand=expand,
        user_id=user_id,
        parent_expense_id=parent_expense_id,
        budget_id=budget_id,
        status=status,
        payment_status=payment_status,
        purchased_at_start=purchased_at_start,
        purchased_at_end=purchased_at_end,
        updated_at_start=updated_at_start,
        updated_at_end=updated_at_end,
        load_custom_fields=load_custom_fields,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    expand: list[str] | None | Unset = UNSET,
    user_id: list[str] | None | Unset = UNSET,
    parent_expense_id: list[str] | None | Unset = UNSET,
    budget_id: list[str] | None | Unset = UNSET,
    status: list[str] | None | Unset = UNSET,
    payment_status: list[str] | None | Unset = UNSET,
    purchased_at_start: None | str | Unset = UNSET,
    purchased_at_end: None | str | Unset = UNSET,
    updated_at_start: None | str | Unset = UNSET,
    updated_at_end: None | str | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> Error | ExpensePage | None:
    """List expenses

     List expenses under the same account. Admin and bookkeeper have access to any
    expense, and regular users can only access their own. Array keys are sent
    literally with brackets, repeated once per value
    (`?status[]=APPROVED&status[]=SETTLED`).

    Args:
        expand (list[str] | None | Unset):
        user_id (list[str] | None | Unset):
        parent_expense_id (list[str] | None | Unset):
        budget_id (list[str] | None | Unset):
        status (list[str] | None | Unset):
        payment_status (list[str] | None | Unset):
        purchased_at_start (None | str | Unset):
        purchased_at_end (None | str | Unset):
        updated_at_start (None | str | Unset):
        updated_at_end (None | str | Unset):
        load_custom_fields (bool | None | Unset):
        cursor (None | str | Unset):
        limit (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExpensePage
    """

    return sync_detailed(
        client=client,
        expand=expand,
        user_id=user_id,
        parent_expense_id=parent_expense_id,
        budget_id=budget_id,
        status=status,
        payment_status=payment_status,
        purchased_at_start=purchased_at_start,
        purchased_at_end=purchased_at_end,
        updated_at_start=updated_at_start,
        updated_at_end=updated_at_end,
        load_custom_fields=load_custom_fields,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    expand: list[str] | None | Unset = UNSET,
    user_id: list[str] | None | Unset = UNSET,
    parent_expense_id: list[str] | None | Unset = UNSET,
    budget_id: list[str] | None | Unset = UNSET,
    status: list[str] | None | Unset = UNSET,
    payment_status: list[str] | None | Unset = UNSET,
    purchased_at_start: None | str | Unset = UNSET,
    purchased_at_end: None | str | Unset = UNSET,
    updated_at_start: None | str | Unset = UNSET,
    updated_at_end: None | str | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> Response[Error | ExpensePage]:
    """List expenses

     List expenses under the same account. Admin and bookkeeper have access to any
    expense, and regular users can only access their own. Array keys are sent
    literally with brackets, repeated once per value
    (`?status[]=APPROVED&status[]=SETTLED`).

    Args:
        expand (list[str] | None | Unset):
        user_id (list[str] | None | Unset):
        parent_expense_id (list[str] | None | Unset):
        budget_id (list[str] | None | Unset):
        status (list[str] | None | Unset):
        payment_status (list[str] | None | Unset):
        purchased_at_start (None | str | Unset):
        purchased_at_end (None | str | Unset):
        updated_at_start (None | str | Unset):
        updated_at_end (None | str | Unset):
        load_custom_fields (bool | None | Unset):
        cursor (None | str | Unset):
        limit (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExpensePage]
    """

    kwargs = _get_kwargs(
        expand=expand,
        user_id=user_id,
        parent_expense_id=parent_expense_id,
        budget_id=budget_id,
        status=status,
        payment_status=payment_status,
        purchased_at_start=purchased_at_start,
        purchased_at_end=purchased_at_end,
        updated_at_start=updated_at_start,
        updated_at_end=updated_at_end,
        load_custom_fields=load_custom_fields,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    expand: list[str] | None | Unset = UNSET,
    user_id: list[str] | None | Unset = UNSET,
    parent_expense_id: list[str] | None | Unset = UNSET,
    budget_id: list[str] | None | Unset = UNSET,
    status: list[str] | None | Unset = UNSET,
    payment_status: list[str] | None | Unset = UNSET,
    purchased_at_start: None | str | Unset = UNSET,
    purchased_at_end: None | str | Unset = UNSET,
    updated_at_start: None | str | Unset = UNSET,
    updated_at_end: None | str | Unset = UNSET,
    load_custom_fields: bool | None | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
) -> Error | ExpensePage | None:
    """List expenses

     List expenses under the same account. Admin and bookkeeper have access to any
    expense, and regular users can only access their own. Array keys are sent
    literally with brackets, repeated once per value
    (`?status[]=APPROVED&status[]=SETTLED`).

    Args:
        expand (list[str] | None | Unset):
        user_id (list[str] | None | Unset):
        parent_expense_id (list[str] | None | Unset):
        budget_id (list[str] | None | Unset):
        status (list[str] | None | Unset):
        payment_status (list[str] | None | Unset):
        purchased_at_start (None | str | Unset):
        purchased_at_end (None | str | Unset):
        updated_at_start (None | str | Unset):
        updated_at_end (None | str | Unset):
        load_custom_fields (bool | None | Unset):
        cursor (None | str | Unset):
        limit (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExpensePage
    """

    return (
        await asyncio_detailed(
            client=client,
            expand=expand,
            user_id=user_id,
            parent_expense_id=parent_expense_id,
            budget_id=budget_id,
            status=status,
            payment_status=payment_status,
            purchased_at_start=purchased_at_start,
            purchased_at_end=purchased_at_end,
            updated_at_start=updated_at_start,
            updated_at_end=updated_at_end,
            load_custom_fields=load_custom_fields,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
