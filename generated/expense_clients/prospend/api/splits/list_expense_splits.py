from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.expense_split_page import ExpenseSplitPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    version: str,
    company_id: str,
    claim_id: str,
    expense_id: str,
    *,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/{version}/company/{company_id}/claim/{claim_id}/expense/{expense_id}/split".format(
            version=quote(str(version), safe=""),
            company_id=quote(str(company_id), safe=""),
            claim_id=quote(str(claim_id), safe=""),
            expense_id=quote(str(expense_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ExpenseSplitPage | None:
    if response.status_code == 200:
        response_200 = ExpenseSplitPage.from_dict(response.json())

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

    if response.status_code == 405:
        response_405 = Error.from_dict(response.json())

        return response_405

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | ExpenseSplitPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    version: str,
    company_id: str,
    claim_id: str,
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> Response[Error | ExpenseSplitPage]:
    """List the split lines of an expense

    Args:
        version (str):
        company_id (str):
        claim_id (str):
        expense_id (str):
        cursor (str | Unset):
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExpenseSplitPage]
    """

    kwargs = _get_kwargs(
        version=version,
        company_id=company_id,
        claim_id=claim_id,
        expense_id=expense_id,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    version: str,
    company_id: str,
    claim_id: str,
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> Error | ExpenseSplitPage | None:
    """List the split lines of an expense

    Args:
        version (str):
        company_id (str):
        claim_id (str):
        expense_id (str):
        cursor (str | Unset):
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExpenseSplitPage
    """

    return sync_detailed(
        version=version,
        company_id=company_id,
        claim_id=claim_id,
        expense_id=expense_id,
        client=client,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    version: str,
    company_id: str,
    claim_id: str,
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> Response[Error | ExpenseSplitPage]:
    """List the split lines of an expense

    Args:
        version (str):
        company_id (str):
        claim_id (str):
        expense_id (str):
        cursor (str | Unset):
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExpenseSplitPage]
    """

    kwargs = _get_kwargs(
        version=version,
        company_id=company_id,
        claim_id=claim_id,
        expense_id=expense_id,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    version: str,
    company_id: str,
    claim_id: str,
    expense_id: str,
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    limit: int | Unset = 10,
) -> Error | ExpenseSplitPage | None:
    """List the split lines of an expense

    Args:
        version (str):
        company_id (str):
        claim_id (str):
        expense_id (str):
        cursor (str | Unset):
        limit (int | Unset):  Default: 10.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExpenseSplitPage
    """

    return (
        await asyncio_detailed(
            version=version,
            company_id=company_id,
            claim_id=claim_id,
            expense_id=expense_id,
            client=client,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
