from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_response import ApiResponse
from ...models.export_status_update_request import ExportStatusUpdateRequest
from ...models.export_status_update_response import ExportStatusUpdateResponse
from ...types import Response


def _get_kwargs(
    *,
    body: ExportStatusUpdateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/Expenses/ExportStatusUpdate",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiResponse | ExportStatusUpdateResponse | None:
    if response.status_code == 200:
        response_200 = ExportStatusUpdateResponse.from_dict(response.json())

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
) -> Response[ApiResponse | ExportStatusUpdateResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExportStatusUpdateRequest,
) -> Response[ApiResponse | ExportStatusUpdateResponse]:
    """Mark expenses as exported (or record an export failure)

     Use this endpoint to mark expenses as exported once you've processed them.
    Multiple records can be batched into a single request. `success: true`
    removes the row from the Export queue; `success: false` with a message keeps
    it queued with an error note. Echo back each row's `transactionType`.

    Args:
        body (ExportStatusUpdateRequest): A batch of export results. Example: {'exportStatuses':
            [{'id': '3fa85f64-5717-4562-b3fc-2c963f66afa6', 'success': True, 'message': 'string',
            'transactionType': 0}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiResponse | ExportStatusUpdateResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ExportStatusUpdateRequest,
) -> ApiResponse | ExportStatusUpdateResponse | None:
    """Mark expenses as exported (or record an export failure)

     Use this endpoint to mark expenses as exported once you've processed them.
    Multiple records can be batched into a single request. `success: true`
    removes the row from the Export queue; `success: false` with a message keeps
    it queued with an error note. Echo back each row's `transactionType`.

    Args:
        body (ExportStatusUpdateRequest): A batch of export results. Example: {'exportStatuses':
            [{'id': '3fa85f64-5717-4562-b3fc-2c963f66afa6', 'success': True, 'message': 'string',
            'transactionType': 0}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiResponse | ExportStatusUpdateResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ExportStatusUpdateRequest,
) -> Response[ApiResponse | ExportStatusUpdateResponse]:
    """Mark expenses as exported (or record an export failure)

     Use this endpoint to mark expenses as exported once you've processed them.
    Multiple records can be batched into a single request. `success: true`
    removes the row from the Export queue; `success: false` with a message keeps
    it queued with an error note. Echo back each row's `transactionType`.

    Args:
        body (ExportStatusUpdateRequest): A batch of export results. Example: {'exportStatuses':
            [{'id': '3fa85f64-5717-4562-b3fc-2c963f66afa6', 'success': True, 'message': 'string',
            'transactionType': 0}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiResponse | ExportStatusUpdateResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ExportStatusUpdateRequest,
) -> ApiResponse | ExportStatusUpdateResponse | None:
    """Mark expenses as exported (or record an export failure)

     Use this endpoint to mark expenses as exported once you've processed them.
    Multiple records can be batched into a single request. `success: true`
    removes the row from the Export queue; `success: false` with a message keeps
    it queued with an error note. Echo back each row's `transactionType`.

    Args:
        body (ExportStatusUpdateRequest): A batch of export results. Example: {'exportStatuses':
            [{'id': '3fa85f64-5717-4562-b3fc-2c963f66afa6', 'success': True, 'message': 'string',
            'transactionType': 0}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiResponse | ExportStatusUpdateResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
