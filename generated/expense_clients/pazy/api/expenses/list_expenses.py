from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.expense_list_response import ExpenseListResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 30,
    cursor: str | Unset = UNSET,
    start_date: str | Unset = UNSET,
    end_date: str | Unset = UNSET,
    state: str | Unset = UNSET,
    employee_name: str | Unset = UNSET,
    tag_id: str | Unset = UNSET,
    min_amount: float | Unset = UNSET,
    max_amount: float | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    params["startDate"] = start_date

    params["endDate"] = end_date

    params["state"] = state

    params["employeeName"] = employee_name

    params["tagId"] = tag_id

    params["minAmount"] = min_amount

    params["maxAmount"] = max_amount

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/expenses",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ExpenseListResponse | None:
    if response.status_code == 200:
        response_200 = ExpenseListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ExpenseListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 30,
    cursor: str | Unset = UNSET,
    start_date: str | Unset = UNSET,
    end_date: str | Unset = UNSET,
    state: str | Unset = UNSET,
    employee_name: str | Unset = UNSET,
    tag_id: str | Unset = UNSET,
    min_amount: float | Unset = UNSET,
    max_amount: float | Unset = UNSET,
) -> Response[ErrorResponse | ExpenseListResponse]:
    """List expenses

     Expenses, one page at a time. Page with `cursor` = `data.context.nextCursor`
    while `data.context.hasMore` is true.

    Args:
        limit (int | Unset):  Default: 30.
        cursor (str | Unset):
        start_date (str | Unset):
        end_date (str | Unset):
        state (str | Unset): State of an expense (the values accepted by the list's `state`
            filter).
        employee_name (str | Unset):
        tag_id (str | Unset):
        min_amount (float | Unset):
        max_amount (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExpenseListResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        start_date=start_date,
        end_date=end_date,
        state=state,
        employee_name=employee_name,
        tag_id=tag_id,
        min_amount=min_amount,
        max_amount=max_amount,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 30,
    cursor: str | Unset = UNSET,
    start_date: str | Unset = UNSET,
    end_date: str | Unset = UNSET,
    state: str | Unset = UNSET,
    employee_name: str | Unset = UNSET,
    tag_id: str | Unset = UNSET,
    min_amount: float | Unset = UNSET,
    max_amount: float | Unset = UNSET,
) -> ErrorResponse | ExpenseListResponse | None:
    """List expenses

     Expenses, one page at a time. Page with `cursor` = `data.context.nextCursor`
    while `data.context.hasMore` is true.

    Args:
        limit (int | Unset):  Default: 30.
        cursor (str | Unset):
        start_date (str | Unset):
        end_date (str | Unset):
        state (str | Unset): State of an expense (the values accepted by the list's `state`
            filter).
        employee_name (str | Unset):
        tag_id (str | Unset):
        min_amount (float | Unset):
        max_amount (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExpenseListResponse
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        start_date=start_date,
        end_date=end_date,
        state=state,
        employee_name=employee_name,
        tag_id=tag_id,
        min_amount=min_amount,
        max_amount=max_amount,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 30,
    cursor: str | Unset = UNSET,
    start_date: str | Unset = UNSET,
    end_date: str | Unset = UNSET,
    state: str | Unset = UNSET,
    employee_name: str | Unset = UNSET,
    tag_id: str | Unset = UNSET,
    min_amount: float | Unset = UNSET,
    max_amount: float | Unset = UNSET,
) -> Response[ErrorResponse | ExpenseListResponse]:
    """List expenses

     Expenses, one page at a time. Page with `cursor` = `data.context.nextCursor`
    while `data.context.hasMore` is true.

    Args:
        limit (int | Unset):  Default: 30.
        cursor (str | Unset):
        start_date (str | Unset):
        end_date (str | Unset):
        state (str | Unset): State of an expense (the values accepted by the list's `state`
            filter).
        employee_name (str | Unset):
        tag_id (str | Unset):
        min_amount (float | Unset):
        max_amount (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ExpenseListResponse]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        start_date=start_date,
        end_date=end_date,
        state=state,
        employee_name=employee_name,
        tag_id=tag_id,
        min_amount=min_amount,
        max_amount=max_amount,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 30,
    cursor: str | Unset = UNSET,
    start_date: str | Unset = UNSET,
    end_date: str | Unset = UNSET,
    state: str | Unset = UNSET,
    employee_name: str | Unset = UNSET,
    tag_id: str | Unset = UNSET,
    min_amount: float | Unset = UNSET,
    max_amount: float | Unset = UNSET,
) -> ErrorResponse | ExpenseListResponse | None:
    """List expenses

     Expenses, one page at a time. Page with `cursor` = `data.context.nextCursor`
    while `data.context.hasMore` is true.

    Args:
        limit (int | Unset):  Default: 30.
        cursor (str | Unset):
        start_date (str | Unset):
        end_date (str | Unset):
        state (str | Unset): State of an expense (the values accepted by the list's `state`
            filter).
        employee_name (str | Unset):
        tag_id (str | Unset):
        min_amount (float | Unset):
        max_amount (float | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ExpenseListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            start_date=start_date,
            end_date=end_date,
            state=state,
            employee_name=employee_name,
            tag_id=tag_id,
            min_amount=min_amount,
            max_amount=max_amount,
        )
    ).parsed
