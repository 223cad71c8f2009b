from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_response import ApiResponse
from ...models.export_response import ExportResponse
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/Expenses/Export",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiResponse | ExportResponse | None:
    if response.status_code == 200:
        response_200 = ExportResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ApiResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ApiResponse.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = ApiResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApiResponse | ExportResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[ApiResponse | ExportResponse]:
    """List approved expenses ready to be exported

     Returns all expenses that are fully approved and ready to be exported (the
    queue of approved, not yet exported expenses). Each item in `data` is one
    approved expense. Rows leave the queue when marked exported with
    `success: true`. The call can be slow (an integrator uses a 120 s timeout).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiResponse | ExportResponse]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> ApiResponse | ExportResponse | None:
    """List approved expenses ready to be exported

     Returns all expenses that are fully approved and ready to be exported (the
    queue of approved, not yet exported expenses). Each item in `data` is one
    approved expense. Rows leave the queue when marked exported with
    `success: true`. The call can be slow (an integrator uses a 120 s timeout).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiResponse | ExportResponse
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[ApiResponse | ExportResponse]:
    """List approved expenses ready to be exported

     Returns all expenses that are fully approved and ready to be exported (the
    queue of approved, not yet exported expenses). Each item in `data` is one
    approved expense. Rows leave the queue when marked exported with
    `success: true`. The call can be slow (an integrator uses a 120 s timeout).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiResponse | ExportResponse]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> ApiResponse | ExportResponse | None:
    """List approved expenses ready to be exported

     Returns all expenses that are fully approved and ready to be exported (the
    queue of approved, not yet exported expenses). Each item in `data` is one
    approved expense. Rows leave the queue when marked exported with
    `success: true`. The call can be slow (an integrator uses a 120 s timeout).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiResponse | ExportResponse
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
