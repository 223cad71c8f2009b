from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.expense_split import ExpenseSplit
from ...types import Response


def _get_kwargs(
    version: str,
    company_id: str,
    claim_id: str,
    expense_id: str,
    split_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/{version}/company/{company_id}/claim/{claim_id}/expense/{expense_id}/split/{split_id}".format(
            version=quote(str(version), safe=""),
            company_id=quote(str(company_id), safe=""),
            claim_id=quote(str(claim_id), safe=""),
            expense_id=quote(str(expense_id), safe=""),
            split_id=quote(str(split_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ExpenseSplit | None:
    if response.status_code == 200:
        response_200 = ExpenseSplit.from_dict(response.json())

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
) -> Response[Error | ExpenseSplit]:
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
    split_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | ExpenseSplit]:
    """Get a split line of an expense

    Args:
        version (str):
        company_id (str):
        claim_id (str):
        expense_id (str):
        split_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExpenseSplit]
    """

    kwargs = _get_kwargs(
        version=version,
        company_id=company_id,
        claim_id=claim_id,
        expense_id=expense_id,
        split_id=split_id,
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
    split_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | ExpenseSplit | None:
    """Get a split line of an expense

    Args:
        version (str):
        company_id (str):
        claim_id (str):
        expense_id (str):
        split_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExpenseSplit
    """

    return sync_detailed(
        version=version,
        company_id=company_id,
        claim_id=claim_id,
        expense_id=expense_id,
        split_id=split_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    version: str,
    company_id: str,
    claim_id: str,
    expense_id: str,
    split_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | ExpenseSplit]:
    """Get a split line of an expense

    Args:
        version (str):
        company_id (str):
        claim_id (str):
        expense_id (str):
        split_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ExpenseSplit]
    """

    kwargs = _get_kwargs(
        version=version,
        company_id=company_id,
        claim_id=claim_id,
        expense_id=expense_id,
        split_id=split_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    version: str,
    company_id: str,
    claim_id: str,
    expense_id: str,
    split_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Error | ExpenseSplit | None:
    """Get a split line of an expense

    Args:
        version (str):
        company_id (str):
        claim_id (str):
        expense_id (str):
        split_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ExpenseSplit
    """

    return (
        await asyncio_detailed(
            version=version,
            company_id=company_id,
            claim_id=claim_id,
            expense_id=expense_id,
            split_id=split_id,
            client=client,
        )
    ).parsed
